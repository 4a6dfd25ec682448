package toolchain

import (
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"encoding/binary"
	"errors"
	"io"
	"slices"
	"strings"
)

// archInfo is everything gox knows about one Go architecture, in one row:
// how object files label its code, what qemu-user, zig, Apple and the
// kernel call it, and which variable selects its variant. Every other
// per-architecture answer in gox is a lookup here.
type archInfo struct {
	GOARCH string
	// ELF machine and class, and the byte order (of every format); PE
	// (IMAGE_FILE_MACHINE_*) and Mach-O CPU type, 0 where the port has no
	// such form. An architecture with no ELF machine (wasm) has no native
	// object format.
	ELF       elf.Machine
	Class     elf.Class
	BigEndian bool
	PE        uint16
	MachO     macho.Cpu
	// Machine is the machine as messages name it ("aarch64", "x86-64");
	// several GOARCHes share one (mips and mipsle are "mips").
	Machine string
	// Kernel lists what uname -m says on machines that run the code.
	Kernel []string
	// Qemu is qemu-user's name (qemu-<Qemu>), Zig zig's, Apple Apple's
	// (lipo, file); "" where there is none.
	Qemu, Zig, Apple string
	// VariantVar is the variable that selects a variant (GOARM, GOAMD64),
	// DefaultVariant what the go command uses when it is unset
	// (internal/buildcfg's defaults, kept by every release since 1.22).
	VariantVar, DefaultVariant string
}

// archTable has a row for every architecture the go command knows that
// gox has anything to say about. It is data the linker lays out: nothing
// runs at start-up.
var archTable = [...]archInfo{
	{GOARCH: "amd64", ELF: elf.EM_X86_64, Class: elf.ELFCLASS64, PE: pe.IMAGE_FILE_MACHINE_AMD64, MachO: macho.CpuAmd64,
		Machine: "x86-64", Kernel: []string{"x86_64", "amd64"}, Qemu: "x86_64", Zig: "x86_64", Apple: "x86_64", VariantVar: "GOAMD64", DefaultVariant: "v1"},
	{GOARCH: "386", ELF: elf.EM_386, Class: elf.ELFCLASS32, PE: pe.IMAGE_FILE_MACHINE_I386, MachO: macho.Cpu386,
		Machine: "i386", Kernel: []string{"i386", "i486", "i586", "i686"}, Qemu: "i386", Zig: "x86", Apple: "i386", VariantVar: "GO386", DefaultVariant: "sse2"},
	{GOARCH: "arm64", ELF: elf.EM_AARCH64, Class: elf.ELFCLASS64, PE: pe.IMAGE_FILE_MACHINE_ARM64, MachO: macho.CpuArm64,
		Machine: "aarch64", Kernel: []string{"aarch64", "arm64", "aarch64_be"}, Qemu: "aarch64", Zig: "aarch64", Apple: "arm64", VariantVar: "GOARM64", DefaultVariant: "v8.0"},
	{GOARCH: "arm", ELF: elf.EM_ARM, Class: elf.ELFCLASS32, PE: pe.IMAGE_FILE_MACHINE_ARMNT, MachO: macho.CpuArm,
		Machine: "arm", Kernel: []string{"armv6l", "armv7l", "armv8l", "arm"}, Qemu: "arm", Zig: "arm", Apple: "arm", VariantVar: "GOARM", DefaultVariant: "7"},
	{GOARCH: "riscv64", ELF: elf.EM_RISCV, Class: elf.ELFCLASS64, PE: pe.IMAGE_FILE_MACHINE_RISCV64,
		Machine: "riscv64", Kernel: []string{"riscv64"}, Qemu: "riscv64", Zig: "riscv64", VariantVar: "GORISCV64", DefaultVariant: "rva20u64"},
	{GOARCH: "ppc64", ELF: elf.EM_PPC64, Class: elf.ELFCLASS64, BigEndian: true, MachO: macho.CpuPpc64,
		Machine: "ppc64", Kernel: []string{"ppc64"}, Qemu: "ppc64", Apple: "ppc64", VariantVar: "GOPPC64", DefaultVariant: "power8"},
	{GOARCH: "ppc64le", ELF: elf.EM_PPC64, Class: elf.ELFCLASS64,
		Machine: "ppc64", Kernel: []string{"ppc64le"}, Qemu: "ppc64le", Zig: "powerpc64le", VariantVar: "GOPPC64", DefaultVariant: "power8"},
	{GOARCH: "s390x", ELF: elf.EM_S390, Class: elf.ELFCLASS64, BigEndian: true,
		Machine: "s390x", Kernel: []string{"s390x"}, Qemu: "s390x", Zig: "s390x"},
	{GOARCH: "mips", ELF: elf.EM_MIPS, Class: elf.ELFCLASS32, BigEndian: true,
		Machine: "mips", Kernel: []string{"mips"}, Qemu: "mips", Zig: "mips", VariantVar: "GOMIPS", DefaultVariant: "hardfloat"},
	{GOARCH: "mipsle", ELF: elf.EM_MIPS, Class: elf.ELFCLASS32,
		Machine: "mips", Kernel: []string{"mipsel"}, Qemu: "mipsel", Zig: "mipsel", VariantVar: "GOMIPS", DefaultVariant: "hardfloat"},
	{GOARCH: "mips64", ELF: elf.EM_MIPS, Class: elf.ELFCLASS64, BigEndian: true,
		Machine: "mips64", Kernel: []string{"mips64"}, Qemu: "mips64", Zig: "mips64", VariantVar: "GOMIPS64", DefaultVariant: "hardfloat"},
	{GOARCH: "mips64le", ELF: elf.EM_MIPS, Class: elf.ELFCLASS64,
		Machine: "mips64", Kernel: []string{"mips64el"}, Qemu: "mips64el", Zig: "mips64el", VariantVar: "GOMIPS64", DefaultVariant: "hardfloat"},
	{GOARCH: "loong64", ELF: elf.EM_LOONGARCH, Class: elf.ELFCLASS64, PE: pe.IMAGE_FILE_MACHINE_LOONGARCH64,
		Machine: "loongarch64", Kernel: []string{"loongarch64"}, Qemu: "loongarch64", Zig: "loongarch64"},
	{GOARCH: "wasm", VariantVar: "GOWASM"},
}

// archOf is goarch's row, or false when gox knows nothing of it.
func archOf(goarch string) (archInfo, bool) {
	for _, a := range archTable {
		if a.GOARCH == goarch {
			return a, true
		}
	}
	return archInfo{}, false
}

// Arch is how a port's machine code is labelled in object files.
type Arch struct {
	ELF   elf.Machine
	Class elf.Class
	Order binary.ByteOrder
	PE    uint16 // IMAGE_FILE_MACHINE_*; 0 when the port has no PE form
	MachO macho.Cpu
}

// ArchOf returns the labels for goarch, or false for architectures that
// have no native object format (wasm).
func ArchOf(goarch string) (Arch, bool) {
	a, ok := archOf(goarch)
	if !ok || a.ELF == 0 {
		return Arch{}, false
	}
	return Arch{ELF: a.ELF, Class: a.Class, Order: a.order(), PE: a.PE, MachO: a.MachO}, true
}

func (a archInfo) order() binary.ByteOrder {
	if a.BigEndian {
		return binary.BigEndian
	}
	return binary.LittleEndian
}

// GOARCHOf names the Go architecture of an ELF machine, class and byte
// order ("" when Go has none), for messages such as "built for amd64".
func GOARCHOf(m elf.Machine, c elf.Class, o binary.ByteOrder) string {
	for _, a := range archTable {
		if a.ELF == m && a.Class == c && a.order() == o {
			return a.GOARCH
		}
	}
	return ""
}

// QemuArch is qemu-user's name for a Go architecture, or "".
func QemuArch(goarch string) string {
	a, _ := archOf(goarch)
	return a.Qemu
}

// VariantVar names the variable that selects an architecture's variant,
// or "" for architectures that have none.
func VariantVar(goarch string) string {
	a, _ := archOf(goarch)
	return a.VariantVar
}

// DefaultVariant is the variant the go command uses for goarch when none
// is set.
func DefaultVariant(goarch string) string {
	a, _ := archOf(goarch)
	return a.DefaultVariant
}

// machineName is the machine of an ELF header for messages.
func machineName(m elf.Machine, c elf.Class) string {
	if m == elf.EM_RISCV && c == elf.ELFCLASS32 {
		return "riscv32"
	}
	for _, a := range archTable {
		if a.ELF == m && (a.Class == c || m != elf.EM_MIPS) {
			return a.Machine
		}
	}
	return m.String()
}

// machOCPUName is Apple's name for a CPU type (what lipo and file say).
func machOCPUName(c macho.Cpu) string {
	for _, a := range archTable {
		if a.MachO == c && c != 0 && a.Apple != "" {
			return a.Apple
		}
	}
	return c.String()
}

// appleArch is Apple's name for a GOARCH.
func appleArch(goarch string) string {
	if a, _ := archOf(goarch); a.Apple != "" {
		return a.Apple
	}
	return goarch
}

// machineGOARCH maps uname -m to a GOARCH, "" when none matches.
func machineGOARCH(m string) string {
	for _, a := range archTable {
		if slices.Contains(a.Kernel, m) {
			return a.GOARCH
		}
	}
	return ""
}

// zigArch is zig's name for goarch's architecture, or "".
func zigArch(goarch string) string {
	a, _ := archOf(goarch)
	return a.Zig
}

// ARM EABI float flags in the ELF header (e_flags).
const (
	efARMABIFloatSoft = 0x200
	efARMABIFloatHard = 0x400
)

// ObjectInfo is what gox reads from the header of a compiled file: enough
// to tell which machine and ABI it is for.
type ObjectInfo struct {
	Format string // "elf", "pe", "macho", "wasm"
	// GOARCH is the Go architecture of the code ("" if none matches).
	GOARCH string
	// Machine is the machine label for messages: "aarch64", "x86-64".
	Machine string
	// Float is the ARM float ABI: "hard", "soft" or "" (not ARM, or not
	// marked).
	Float string
	// Interp is an ELF executable's program interpreter, "" when static.
	Interp string
}

// ErrNotObject is wrapped when a file is not a binary gox can read.
var ErrNotObject = errors.New("not an ELF, PE, Mach-O or wasm file")

// ReadObjectInfo reads the header of an object file, executable or shared
// library: the part of Inspect that probing compilers and choosing a
// loader prefix need.
func ReadObjectInfo(path string) (ObjectInfo, error) {
	b, err := Inspect(path)
	if err != nil {
		return ObjectInfo{}, err
	}
	return ObjectInfo{Format: strings.TrimSuffix(b.Format, "-fat"), GOARCH: b.GOARCH, Machine: b.Machine, Float: b.Float, Interp: b.Interp}, nil
}

// isCOFFObject recognises a bare COFF object (what mingw's gcc -c writes)
// by its machine field.
func isCOFFObject(m [4]byte) bool {
	switch binary.LittleEndian.Uint16(m[:2]) {
	case pe.IMAGE_FILE_MACHINE_AMD64, pe.IMAGE_FILE_MACHINE_I386, pe.IMAGE_FILE_MACHINE_ARM64, pe.IMAGE_FILE_MACHINE_ARMNT:
		return true
	}
	return false
}

// elfFlags reads e_flags, which debug/elf does not expose.
func elfFlags(r io.ReaderAt, ef *elf.File) (uint32, error) {
	var b [4]byte
	off := int64(36) // e_flags in a 32-bit header
	if ef.Class == elf.ELFCLASS64 {
		off = 48
	}
	if _, err := r.ReadAt(b[:], off); err != nil {
		return 0, err
	}
	return ef.ByteOrder.Uint32(b[:]), nil
}

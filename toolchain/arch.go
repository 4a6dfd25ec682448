package toolchain

import (
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"encoding/binary"
	"errors"
	"io"
	"strings"
)

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
	le, be := binary.ByteOrder(binary.LittleEndian), binary.ByteOrder(binary.BigEndian)
	switch goarch {
	case "amd64":
		return Arch{elf.EM_X86_64, elf.ELFCLASS64, le, pe.IMAGE_FILE_MACHINE_AMD64, macho.CpuAmd64}, true
	case "386":
		return Arch{elf.EM_386, elf.ELFCLASS32, le, pe.IMAGE_FILE_MACHINE_I386, macho.Cpu386}, true
	case "arm64":
		return Arch{elf.EM_AARCH64, elf.ELFCLASS64, le, pe.IMAGE_FILE_MACHINE_ARM64, macho.CpuArm64}, true
	case "arm":
		return Arch{elf.EM_ARM, elf.ELFCLASS32, le, pe.IMAGE_FILE_MACHINE_ARMNT, macho.CpuArm}, true
	case "riscv64":
		return Arch{elf.EM_RISCV, elf.ELFCLASS64, le, pe.IMAGE_FILE_MACHINE_RISCV64, 0}, true
	case "ppc64":
		return Arch{elf.EM_PPC64, elf.ELFCLASS64, be, 0, macho.CpuPpc64}, true
	case "ppc64le":
		return Arch{elf.EM_PPC64, elf.ELFCLASS64, le, 0, 0}, true
	case "s390x":
		return Arch{elf.EM_S390, elf.ELFCLASS64, be, 0, 0}, true
	case "mips":
		return Arch{elf.EM_MIPS, elf.ELFCLASS32, be, 0, 0}, true
	case "mipsle":
		return Arch{elf.EM_MIPS, elf.ELFCLASS32, le, 0, 0}, true
	case "mips64":
		return Arch{elf.EM_MIPS, elf.ELFCLASS64, be, 0, 0}, true
	case "mips64le":
		return Arch{elf.EM_MIPS, elf.ELFCLASS64, le, 0, 0}, true
	case "loong64":
		return Arch{elf.EM_LOONGARCH, elf.ELFCLASS64, le, pe.IMAGE_FILE_MACHINE_LOONGARCH64, 0}, true
	}
	return Arch{}, false
}

// GOARCHOf names the Go architecture of an ELF machine, class and byte
// order ("" when Go has none), for messages such as "built for amd64".
func GOARCHOf(m elf.Machine, c elf.Class, o binary.ByteOrder) string {
	for _, a := range []string{"amd64", "386", "arm64", "arm", "riscv64", "ppc64", "ppc64le", "s390x", "mips", "mipsle", "mips64", "mips64le", "loong64"} {
		x, _ := ArchOf(a)
		if x.ELF == m && x.Class == c && x.Order == o {
			return a
		}
	}
	return ""
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

func machineName(m elf.Machine, c elf.Class) string {
	switch m {
	case elf.EM_X86_64:
		return "x86-64"
	case elf.EM_386:
		return "i386"
	case elf.EM_AARCH64:
		return "aarch64"
	case elf.EM_ARM:
		return "arm"
	case elf.EM_RISCV:
		if c == elf.ELFCLASS32 {
			return "riscv32"
		}
		return "riscv64"
	case elf.EM_PPC64:
		return "ppc64"
	case elf.EM_S390:
		return "s390x"
	case elf.EM_MIPS:
		if c == elf.ELFCLASS64 {
			return "mips64"
		}
		return "mips"
	case elf.EM_LOONGARCH:
		return "loongarch64"
	}
	return m.String()
}

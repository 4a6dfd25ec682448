// Package arch is gox's one table of Go architectures: how object files
// label each one's code, what qemu-user, zig, Apple and the kernel call it,
// and which variable selects its variant. Every per-architecture answer in
// gox is a lookup here, so adding an architecture is adding a row.
package arch

import (
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"encoding/binary"
	"slices"
	"strings"
)

// Info is everything gox knows about one Go architecture, in one row:
// how object files label its code, what qemu-user, zig, Apple and the
// kernel call it, and which variable selects its variant. Every other
// per-architecture answer in gox is a lookup here.
type Info struct {
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
	// Variants are the values VariantVar takes (cmd/internal/objabi,
	// internal/buildcfg), without suffixes; VariantPrefix is what the
	// target syntax writes before one (linux/arm/v7 is GOARM=7).
	Variants      []string
	VariantPrefix string
	// VariantsShown, when set, is how messages list Variants (a range
	// reads better than sixteen values).
	VariantsShown string
	// Suffixes may follow a variant after commas (GOARM=6,softfloat,
	// GOARM64=v8.1,lse,crypto): at most one, or any of them with
	// ManySuffixes.
	Suffixes     []string
	ManySuffixes bool
	// Aliases are other names people use for the architecture alone
	// (aarch64, x86_64, ppc64el).
	Aliases []string
	// Wine lists the Wine loaders that run the architecture's windows
	// binaries, best first (a name on PATH or an absolute path). Debian
	// installs the loaders under /usr/lib/wine and puts only a wrapper
	// script named wine on PATH, which prints a hint about wine32 on every
	// start unless WINEDEBUG hides it; gox calls the loader itself.
	Wine []string
	// CFlags are the C flags a variant needs beyond a Linux distribution's
	// cross compiler's default, by the variant as the target names it
	// (suffix included). Debian's armhf compiler defaults to ARMv7 with
	// Thumb-2; ARMv6 boards (Raspberry Pi Zero and 1, whose Raspberry Pi
	// OS is hard-float) need ARM code for ARMv6 with VFP. (Debian's armhf
	// crt files and libc stay ARMv7: such a binary runs in qemu and on
	// ARMv7 boards, and on ARMv6 only with the board's own libc.)
	CFlags []VariantCFlags
	// MultilibOn is the host architecture whose own gcc builds this one
	// with MultilibFlag (386 on amd64: gcc -m32, with gcc-multilib).
	MultilibOn, MultilibFlag string
}

// VariantCFlags are the C flags one variant needs (Info.CFlags).
type VariantCFlags struct {
	Variant string
	Flags   []string
}

// CFlagsFor is the C flags variant needs beyond a distribution cross
// compiler's default, nil for none.
func (a Info) CFlagsFor(variant string) []string {
	for _, f := range a.CFlags {
		if f.Variant == variant {
			return f.Flags
		}
	}
	return nil
}

// table has a row for every architecture the go command knows that
// gox has anything to say about. It is data the linker lays out: nothing
// runs at start-up.
var table = [...]Info{
	{GOARCH: "amd64", ELF: elf.EM_X86_64, Class: elf.ELFCLASS64, PE: pe.IMAGE_FILE_MACHINE_AMD64, MachO: macho.CpuAmd64,
		Machine: "x86-64", Kernel: []string{"x86_64", "amd64"}, Qemu: "x86_64", Zig: "x86_64", Apple: "x86_64", VariantVar: "GOAMD64", DefaultVariant: "v1",
		Variants: []string{"v1", "v2", "v3", "v4"}, Aliases: []string{"x86_64", "x64"},
		Wine: []string{"wine64", "/usr/lib/wine/wine64", "/usr/lib64/wine/wine64", "/opt/wine-stable/bin/wine64", "/usr/lib/wine/wine"}},
	{GOARCH: "386", ELF: elf.EM_386, Class: elf.ELFCLASS32, PE: pe.IMAGE_FILE_MACHINE_I386, MachO: macho.Cpu386,
		Machine: "i386", Kernel: []string{"i386", "i486", "i586", "i686"}, Qemu: "i386", Zig: "x86", Apple: "i386", VariantVar: "GO386", DefaultVariant: "sse2",
		Variants: []string{"sse2", "softfloat"}, Aliases: []string{"i386", "i686", "x86"}, MultilibOn: "amd64", MultilibFlag: "-m32",
		Wine: []string{"/usr/lib/wine/wine", "/usr/lib/i386-linux-gnu/wine/wine", "/opt/wine-stable/bin/wine"}},
	{GOARCH: "arm64", ELF: elf.EM_AARCH64, Class: elf.ELFCLASS64, PE: pe.IMAGE_FILE_MACHINE_ARM64, MachO: macho.CpuArm64,
		Machine: "aarch64", Kernel: []string{"aarch64", "arm64", "aarch64_be"}, Qemu: "aarch64", Zig: "aarch64", Apple: "arm64", VariantVar: "GOARM64", DefaultVariant: "v8.0",
		Variants:      []string{"v8.0", "v8.1", "v8.2", "v8.3", "v8.4", "v8.5", "v8.6", "v8.7", "v8.8", "v8.9", "v9.0", "v9.1", "v9.2", "v9.3", "v9.4", "v9.5"},
		VariantsShown: "v8.0 to v8.9 or v9.0 to v9.5", Suffixes: []string{"lse", "crypto"}, ManySuffixes: true, Aliases: []string{"aarch64"}},
	{GOARCH: "arm", ELF: elf.EM_ARM, Class: elf.ELFCLASS32, PE: pe.IMAGE_FILE_MACHINE_ARMNT, MachO: macho.CpuArm,
		Machine: "arm", Kernel: []string{"armv6l", "armv7l", "armv8l", "arm"}, Qemu: "arm", Zig: "arm", Apple: "arm", VariantVar: "GOARM", DefaultVariant: "7",
		Variants: []string{"5", "6", "7"}, VariantPrefix: "v", Suffixes: []string{"softfloat", "hardfloat"},
		CFlags: []VariantCFlags{{"6", []string{"-march=armv6+fp", "-marm"}}, {"6,hardfloat", []string{"-march=armv6+fp", "-marm"}}}},
	{GOARCH: "riscv64", ELF: elf.EM_RISCV, Class: elf.ELFCLASS64, PE: pe.IMAGE_FILE_MACHINE_RISCV64,
		Machine: "riscv64", Kernel: []string{"riscv64"}, Qemu: "riscv64", Zig: "riscv64", VariantVar: "GORISCV64", DefaultVariant: "rva20u64",
		Variants: []string{"rva20u64", "rva22u64", "rva23u64"}},
	{GOARCH: "ppc64", ELF: elf.EM_PPC64, Class: elf.ELFCLASS64, BigEndian: true, MachO: macho.CpuPpc64,
		Machine: "ppc64", Kernel: []string{"ppc64"}, Qemu: "ppc64", Apple: "ppc64", VariantVar: "GOPPC64", DefaultVariant: "power8",
		Variants: []string{"power8", "power9", "power10"}},
	{GOARCH: "ppc64le", ELF: elf.EM_PPC64, Class: elf.ELFCLASS64,
		Machine: "ppc64", Kernel: []string{"ppc64le"}, Qemu: "ppc64le", Zig: "powerpc64le", VariantVar: "GOPPC64", DefaultVariant: "power8",
		Variants: []string{"power8", "power9", "power10"}, Aliases: []string{"ppc64el"}},
	{GOARCH: "s390x", ELF: elf.EM_S390, Class: elf.ELFCLASS64, BigEndian: true,
		Machine: "s390x", Kernel: []string{"s390x"}, Qemu: "s390x", Zig: "s390x"},
	{GOARCH: "mips", ELF: elf.EM_MIPS, Class: elf.ELFCLASS32, BigEndian: true,
		Machine: "mips", Kernel: []string{"mips"}, Qemu: "mips", Zig: "mips", VariantVar: "GOMIPS", DefaultVariant: "hardfloat",
		Variants: []string{"hardfloat", "softfloat"}},
	{GOARCH: "mipsle", ELF: elf.EM_MIPS, Class: elf.ELFCLASS32,
		Machine: "mips", Kernel: []string{"mipsel"}, Qemu: "mipsel", Zig: "mipsel", VariantVar: "GOMIPS", DefaultVariant: "hardfloat",
		Variants: []string{"hardfloat", "softfloat"}, Aliases: []string{"mipsel"}},
	{GOARCH: "mips64", ELF: elf.EM_MIPS, Class: elf.ELFCLASS64, BigEndian: true,
		Machine: "mips64", Kernel: []string{"mips64"}, Qemu: "mips64", Zig: "mips64", VariantVar: "GOMIPS64", DefaultVariant: "hardfloat",
		Variants: []string{"hardfloat", "softfloat"}},
	{GOARCH: "mips64le", ELF: elf.EM_MIPS, Class: elf.ELFCLASS64,
		Machine: "mips64", Kernel: []string{"mips64el"}, Qemu: "mips64el", Zig: "mips64el", VariantVar: "GOMIPS64", DefaultVariant: "hardfloat",
		Variants: []string{"hardfloat", "softfloat"}, Aliases: []string{"mips64el"}},
	{GOARCH: "loong64", ELF: elf.EM_LOONGARCH, Class: elf.ELFCLASS64, PE: pe.IMAGE_FILE_MACHINE_LOONGARCH64,
		Machine: "loongarch64", Kernel: []string{"loongarch64"}, Qemu: "loongarch64", Zig: "loongarch64"},
	{GOARCH: "wasm", VariantVar: "GOWASM"},
}

// ValidVariant reports whether v is a value the go command accepts for
// the architecture's variant variable, suffixes included.
func (a Info) ValidVariant(v string) bool {
	base, suffix, hasSuffix := strings.Cut(v, ",")
	if !slices.Contains(a.Variants, base) {
		return false
	}
	if !hasSuffix {
		return true
	}
	parts := strings.Split(suffix, ",")
	if len(parts) > 1 && !a.ManySuffixes {
		return false
	}
	for _, p := range parts {
		if !slices.Contains(a.Suffixes, p) {
			return false
		}
	}
	return true
}

// VariantHelp says which variants the target syntax takes, for a message:
// "v5, v6 or v7, optionally with ,softfloat or ,hardfloat".
func (a Info) VariantHelp() string {
	if len(a.Variants) == 0 {
		return "no variants gox knows"
	}
	vs := make([]string, len(a.Variants))
	for i, v := range a.Variants {
		vs[i] = a.VariantPrefix + v
	}
	help := orList(vs, " or ")
	if a.VariantsShown != "" {
		help = a.VariantsShown
	}
	if len(a.Suffixes) > 0 {
		join := " or "
		if a.ManySuffixes {
			join = " and "
		}
		sfx := make([]string, len(a.Suffixes))
		for i, s := range a.Suffixes {
			sfx[i] = "," + s
		}
		help += ", optionally with " + orList(sfx, join)
	}
	return help
}

// orList joins items as "a, b or c" (last is " or " or " and ").
func orList(items []string, last string) string {
	if len(items) == 1 {
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + last + items[len(items)-1]
}

// Named is the architecture a name means: its GOARCH or an alias.
func Named(name string) (Info, bool) {
	for i := range table {
		a := &table[i]
		if a.GOARCH == name || slices.Contains(a.Aliases, name) {
			return *a, true
		}
	}
	return Info{}, false
}

// NamedVariant reads an architecture and a variant written as the row's
// target syntax writes them, without a slash (armv6: arm, GOARM=6).
func NamedVariant(name string) (Info, string, bool) {
	for i := range table {
		a := &table[i]
		if a.VariantPrefix == "" {
			continue
		}
		if v, ok := strings.CutPrefix(name, a.GOARCH+a.VariantPrefix); ok && slices.Contains(a.Variants, v) {
			return *a, v, true
		}
	}
	return Info{}, "", false
}

// Of is goarch's row, or false when gox knows nothing of it.
func Of(goarch string) (Info, bool) {
	for i := range table {
		a := &table[i]
		if a.GOARCH == goarch {
			return *a, true
		}
	}
	return Info{}, false
}

// All returns every row, in the table's order.
func All() []Info { return slices.Clone(table[:]) }

// Order is the byte order of the architecture's code.
func (a Info) Order() binary.ByteOrder {
	if a.BigEndian {
		return binary.BigEndian
	}
	return binary.LittleEndian
}

// ByELF finds the architecture of an ELF machine, class and byte order.
func ByELF(m elf.Machine, c elf.Class, o binary.ByteOrder) (Info, bool) {
	for i := range table {
		a := &table[i]
		if a.ELF == m && a.Class == c && a.Order() == o {
			return *a, true
		}
	}
	return Info{}, false
}

// MachineName is the machine of an ELF header for messages ("aarch64",
// "x86-64"), the ELF name for one Go has no architecture for.
func MachineName(m elf.Machine, c elf.Class) string {
	if m == elf.EM_RISCV && c == elf.ELFCLASS32 {
		return "riscv32"
	}
	for i := range table {
		a := &table[i]
		if a.ELF == m && (a.Class == c || m != elf.EM_MIPS) {
			return a.Machine
		}
	}
	return m.String()
}

// MachOName is Apple's name for a Mach-O CPU type (what lipo and file say).
func MachOName(c macho.Cpu) string {
	for i := range table {
		a := &table[i]
		if a.MachO == c && c != 0 && a.Apple != "" {
			return a.Apple
		}
	}
	return c.String()
}

// AppleName is Apple's name for a GOARCH (x86_64 for amd64).
func AppleName(goarch string) string {
	if a, _ := Of(goarch); a.Apple != "" {
		return a.Apple
	}
	return goarch
}

// ByKernel maps what uname -m says to a GOARCH, "" when none matches.
func ByKernel(machine string) string {
	for i := range table {
		a := &table[i]
		if slices.Contains(a.Kernel, machine) {
			return a.GOARCH
		}
	}
	return ""
}

// VariantVars are all the variables that select a variant, for clearing
// them.
func VariantVars() []string {
	var out []string
	for i := range table {
		a := &table[i]
		if a.VariantVar != "" && !slices.Contains(out, a.VariantVar) {
			out = append(out, a.VariantVar)
		}
	}
	return out
}

// IsCOFFMachine reports a PE/COFF machine field of an architecture Go
// builds Windows code for.
func IsCOFFMachine(m uint16) bool {
	switch m {
	case pe.IMAGE_FILE_MACHINE_AMD64, pe.IMAGE_FILE_MACHINE_I386, pe.IMAGE_FILE_MACHINE_ARM64, pe.IMAGE_FILE_MACHINE_ARMNT:
		return true
	}
	return false
}

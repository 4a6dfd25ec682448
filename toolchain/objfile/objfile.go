// Package objfile reads compiled Go (and C) files of every format the go
// command writes: ELF, PE, Mach-O (thin and universal), wasm, XCOFF, Plan 9
// a.out, ar archives (c-archive, and Go package archives). It tells which
// operating system, machine, ABI, C library and Go build settings a file is
// for, without running it or any tool (no file, readelf or otool), and it
// never trusts a size a header claims: a truncated or hostile file gives an
// error, not a panic or a huge allocation (FuzzInspect).
//
// Verification against a target is toolchain/verify's; the names of
// architectures are toolchain/arch's.
package objfile

import (
	"debug/elf"
	"debug/macho"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/gox-build/gox/toolchain/arch"
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
	a, ok := arch.Of(goarch)
	if !ok || a.ELF == 0 {
		return Arch{}, false
	}
	return Arch{ELF: a.ELF, Class: a.Class, Order: a.Order(), PE: a.PE, MachO: a.MachO}, true
}

// GOARCHOf names the Go architecture of an ELF machine, class and byte
// order ("" when Go has none), for messages such as "built for amd64".
func GOARCHOf(m elf.Machine, c elf.Class, o binary.ByteOrder) string {
	a, _ := arch.ByELF(m, c, o)
	return a.GOARCH
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
	return arch.IsCOFFMachine(binary.LittleEndian.Uint16(m[:2]))
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

// FormatFor is the object format the go command writes for goos.
func FormatFor(goos string) string {
	switch goos {
	case "windows":
		return "pe"
	case "darwin", "ios":
		return "macho"
	case "js", "wasip1":
		return "wasm"
	case "aix":
		return "xcoff"
	case "plan9":
		return "plan9"
	}
	return "elf"
}

// BinaryArchs returns the GOARCHes of the machine code in an executable:
// one, or every slice of a universal Mach-O file.
func BinaryArchs(path string) ([]string, error) {
	b, err := Inspect(path)
	if err != nil {
		return nil, err
	}
	if b.Format == "macho-fat" {
		var out []string
		for _, s := range b.Slices {
			out = append(out, OrQ(s.GOARCH))
		}
		return out, nil
	}
	if b.GOARCH == "" {
		return nil, fmt.Errorf("%s: unknown machine %s", path, b.Machine)
	}
	return []string{b.GOARCH}, nil
}

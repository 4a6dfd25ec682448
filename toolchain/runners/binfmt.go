package runners

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gox-build/gox/toolchain"
	"github.com/gox-build/gox/toolchain/objfile"
)

// BinfmtDir is where the kernel's binfmt_misc interface lives.
const BinfmtDir = "/proc/sys/fs/binfmt_misc"

// BinfmtName is the name gox registers goarch's emulator under. The gox-
// prefix tells gox's own registrations from a distribution's, so that
// removing them never touches anything else.
func BinfmtName(goarch string) string { return "gox-qemu-" + toolchain.QemuArch(goarch) }

// BinfmtRegistration is the line to write to binfmt_misc's register file
// so the kernel runs goarch's Linux ELF executables (static and dynamic,
// any OS ABI byte) with interpreter, under gox's name for it.
func BinfmtRegistration(goarch, interpreter string) (string, error) {
	return BinfmtLine(BinfmtName(goarch), goarch, interpreter)
}

// BinfmtLine is BinfmtRegistration under another name (a test's stand-in
// for a distribution's registration). The F flag opens the interpreter
// now, so it also works inside containers and chroots.
func BinfmtLine(name, goarch, interpreter string) (string, error) {
	magic := ELFHeaderFor(goarch, false)
	if magic == nil || toolchain.QemuArch(goarch) == "" {
		return "", fmt.Errorf("no emulator is known for %s", goarch)
	}
	mask := make([]byte, len(magic))
	for i := range mask {
		mask[i] = 0xff
	}
	mask[7] = 0 // EI_OSABI: Linux binaries say SYSV or GNU
	a, _ := objfile.ArchOf(goarch)
	// e_type: ET_EXEC (2) or ET_DYN (3).
	if a.Order.Uint16([]byte{1, 0}) == 1 {
		mask[16] = 0xfe
	} else {
		mask[17] = 0xfe
	}
	for i := range magic {
		magic[i] &= mask[i]
	}
	esc := func(b []byte) string {
		var s strings.Builder
		for _, c := range b {
			fmt.Fprintf(&s, "\\x%02x", c)
		}
		return s.String()
	}
	return fmt.Sprintf(":%s:M:0:%s:%s:%s:F", name, esc(magic), esc(mask), interpreter), nil
}

// BinfmtMagicLine is a registration line for files that start with magic
// (all of it compared), run with interpreter under name, with flag F.
func BinfmtMagicLine(name, magic, interpreter string) string {
	var s strings.Builder
	for _, c := range []byte(magic) {
		fmt.Fprintf(&s, "\\x%02x", c)
	}
	return ":" + name + ":M:0:" + s.String() + "::" + interpreter + ":F"
}

// PEMagic starts every Windows executable (the MZ of its DOS stub), and
// WasmMagic every WebAssembly module of version 1.
const (
	PEMagic   = "MZ"
	WasmMagic = "\x00asm\x01\x00\x00\x00"
)

// RegisterBinfmt registers interpreter for goarch unless gox's entry is
// there already. It needs root and a mounted binfmt_misc (MountBinfmt).
func RegisterBinfmt(dir, goarch, interpreter string) (already bool, err error) {
	if _, err := os.Stat(filepath.Join(dir, BinfmtName(goarch))); err == nil {
		return true, nil
	}
	line, err := BinfmtRegistration(goarch, interpreter)
	if err != nil {
		return false, err
	}
	return false, os.WriteFile(filepath.Join(dir, "register"), []byte(line), 0)
}

// UnregisterBinfmt removes gox's registration for goarch, if any.
func UnregisterBinfmt(dir, goarch string) (removed bool, err error) {
	entry := filepath.Join(dir, BinfmtName(goarch))
	if _, err := os.Stat(entry); errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	return true, os.WriteFile(entry, []byte("-1"), 0)
}

package cgo

import (
	"runtime"
	"testing"
	"unsafe"
)

func TestLongSizeMatchesGo(t *testing.T) {
	// On every target gox supports, C's long is as wide as Go's uintptr,
	// except 64-bit windows (LLP64).
	want := int(unsafe.Sizeof(uintptr(0)))
	if runtime.GOOS == "windows" {
		want = 4
	}
	if got := LongSize(); got != want {
		t.Fatalf("sizeof(long) = %d, want %d", got, want)
	}
}

func TestMachineMatchesGOARCH(t *testing.T) {
	want, ok := map[string]string{
		"arm64": "aarch64", "arm": "arm", "riscv64": "riscv64", "amd64": "x86_64", "386": "i386",
		"ppc64le": "ppc64le", "ppc64": "ppc64", "s390x": "s390x",
		"mips": "mips", "mipsle": "mipsel", "mips64": "mips64", "mips64le": "mips64el", "loong64": "loongarch64",
	}[runtime.GOARCH]
	if !ok {
		t.Fatalf("no C machine name is known for GOARCH=%s: add it here and to c_machine", runtime.GOARCH)
	}
	if got := Machine(); got != want {
		t.Fatalf("C compiled for %s, Go for %s", got, runtime.GOARCH)
	}
	t.Logf("C compiled for %s, Go for %s", Machine(), runtime.GOARCH)
}

func TestFormatUsesLibc(t *testing.T) {
	if got := Format(42); got != "C says 42" {
		t.Fatalf("Format(42) = %q", got)
	}
}

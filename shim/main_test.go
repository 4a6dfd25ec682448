package shim

import "testing"

func TestProgName(t *testing.T) {
	for in, want := range map[string]string{
		"go": "go", "/usr/bin/go": "go", "gox": "gox",
		"/a/b/gox.exe": "gox", "go_linux_arm64_exec": "go_linux_arm64_exec", "": ".",
	} {
		if got := progName(in); got != want {
			t.Errorf("progName(%q) = %q, want %q", in, got, want)
		}
	}
}

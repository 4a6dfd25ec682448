package compilers

import (
	"github.com/gox-build/gox/toolchain"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestParseIncludeSearch(t *testing.T) {
	// Debian's aarch64-linux-gnu-gcc 12 with -I and --sysroot, as it prints
	out := `ignoring nonexistent directory "/sr/usr/local/include"
ignoring nonexistent directory "/sr/usr/include"
ignoring duplicate directory "/usr/aarch64-linux-gnu/include"
#include "..." search starts here:
 /src/app/inc
#include <...> search starts here:
 /usr/lib/gcc-cross/aarch64-linux-gnu/12/include
 /usr/lib/gcc-cross/aarch64-linux-gnu/12/../../../../aarch64-linux-gnu/include
 /System/Library/Frameworks (framework directory)
End of search list.
`
	want := []string{"/sr/usr/local/include", "/sr/usr/include", "/src/app/inc", "/usr/lib/gcc-cross/aarch64-linux-gnu/12/include",
		"/usr/aarch64-linux-gnu/include", "/System/Library/Frameworks"}
	if got := parseIncludeSearch(out); !slices.Equal(got, want) {
		t.Errorf("parseIncludeSearch:\n got %q\nwant %q", got, want)
	}
	lib := "install: /usr/lib/gcc-cross/aarch64-linux-gnu/12/\nprograms: =/a/\nlibraries: =/usr/lib/gcc-cross/aarch64-linux-gnu/12/:/lib/../lib/:/usr/lib/\n"
	if got := parseLibrarySearch(lib); !slices.Equal(got, []string{"/usr/lib/gcc-cross/aarch64-linux-gnu/12", "/lib", "/usr/lib"}) {
		t.Errorf("parseLibrarySearch: %q", got)
	}
	if got := libFlags([]string{"-L/opt/x/lib", "-lfoo", "-L", "/opt/y", "-static"}); !slices.Equal(got, []string{"/opt/x/lib", "/opt/y"}) {
		t.Errorf("libFlags: %q", got)
	}
}

// TestSearchDirsRealCompiler asks Debian's arm64 cross gcc where it looks,
// under the flags a cgo build gives it.
func TestSearchDirsRealCompiler(t *testing.T) {
	if _, err := exec.LookPath("aarch64-linux-gnu-gcc"); err != nil {
		t.Skip("no aarch64-linux-gnu-gcc")
	}
	st := toolchain.State{Dir: t.TempDir()}
	env := toolchain.Env(os.Environ())
	arm64 := toolchain.Target{GOOS: "linux", GOARCH: "arm64"}
	cc := &CCompiler{CC: []string{"aarch64-linux-gnu-gcc"}}
	plain, err := SearchDirs(cc, CFlags{}, env, st, arm64)
	if err != nil {
		t.Fatal(err)
	}
	// Debian's cross gcc searches its cross headers and the host's
	// /usr/include
	for _, d := range []string{"/usr/aarch64-linux-gnu/include", "/usr/include"} {
		if !slices.Contains(plain.Include, d) {
			t.Errorf("include list lacks %s: %q", d, plain.Include)
		}
	}
	if !slices.Contains(plain.Lib, "/usr/aarch64-linux-gnu/lib") {
		t.Errorf("library list lacks /usr/aarch64-linux-gnu/lib: %q", plain.Lib)
	}
	sr := t.TempDir()
	os.MkdirAll(filepath.Join(sr, "usr", "include"), 0o755)
	inc := t.TempDir()
	withFlags, err := SearchDirs(cc, CFlags{C: []string{"--sysroot=" + sr}, CPP: []string{"-isystem", inc}, LD: []string{"-L" + sr + "/opt"}}, env, st, arm64)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{filepath.Join(sr, "usr", "include"), inc, "/usr/aarch64-linux-gnu/include"} {
		if !slices.Contains(withFlags.Include, d) {
			t.Errorf("with --sysroot and -isystem in the cgo flags, include list lacks %s: %q", d, withFlags.Include)
		}
	}
	if slices.Contains(withFlags.Include, "/usr/include") {
		t.Errorf("with --sysroot the host's /usr/include is still listed: %q", withFlags.Include)
	}
	if !slices.Contains(withFlags.Lib, sr+"/opt") || !strings.HasPrefix(strings.Join(withFlags.Lib, " "), sr+"/opt") {
		t.Errorf("-L of CGO_LDFLAGS is not first in the library list: %q", withFlags.Lib)
	}
	// recorded: the second question runs no compiler
	if n := st.Facts().Count("linux/arm64"); n != 2 {
		t.Errorf("%d facts recorded, want 2", n)
	}
}

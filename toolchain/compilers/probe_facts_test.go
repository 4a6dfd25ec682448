package compilers

import (
	"github.com/gox-build/gox/toolchain"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestProbeCompilerKept: a compiler that works is kept under its key (its
// command line and binary, changed by an edit of a wrapper script); one
// that fails is never kept, so that installing what it lacked is noticed at
// once.
func TestProbeCompilerKept(t *testing.T) {
	dir := t.TempDir()
	st := toolchain.State{Dir: filepath.Join(dir, "state")}
	arm64 := toolchain.Target{GOOS: "linux", GOARCH: "arm64"}
	cc := filepath.Join(dir, "cc.sh")
	env := toolchain.Env(os.Environ())

	// a compiler wrapper that fails: probed, not kept
	os.WriteFile(cc, []byte("#!/bin/sh\necho 'fatal: no headers' >&2\nexit 1\n"), 0o755)
	if p := ProbeCompiler(CCompiler{CC: []string{cc}}, arm64, env, st); p.OK || p.Problem == "" {
		t.Fatalf("a failing compiler: %+v", p)
	}
	if n := st.Facts().Count(""); n != 0 {
		t.Errorf("a failure was kept (%d facts)", n)
	}
	if p := ProbeCompiler(CCompiler{CC: []string{filepath.Join(dir, "missing")}}, arm64, env, st); !p.NotFound {
		t.Errorf("a missing compiler: %+v", p)
	}

	real, ok := toolchain.LookPath(env, "aarch64-linux-gnu-gcc")
	if !ok {
		t.Skip("no aarch64-linux-gnu-gcc")
	}
	os.WriteFile(cc, []byte("#!/bin/sh\nexec "+real+" \"$@\"\n"), 0o755)
	past := time.Now().Add(-time.Hour)
	os.Chtimes(cc, past, past)
	if p := ProbeCompiler(CCompiler{CC: []string{cc}}, arm64, env, st); !p.OK {
		t.Fatalf("the wrapper of a real compiler: %+v", p)
	}
	if n := st.Facts().Count("linux/arm64"); n != 1 {
		t.Fatalf("%d facts kept, want 1", n)
	}
	// the same compiler again: read, not probed (a probe would compile)
	if p := ProbeCompiler(CCompiler{CC: []string{cc}}, arm64, env, st); !p.OK {
		t.Fatal(p)
	}
	if n := st.Facts().Count("linux/arm64"); n != 1 {
		t.Errorf("%d facts after a second look, want 1", n)
	}
	// an edited wrapper, or another flag: another key, probed again
	os.WriteFile(cc, []byte("#!/bin/sh\nexec "+real+" \"$@\" # edited\n"), 0o755)
	ProbeCompiler(CCompiler{CC: []string{cc}}, arm64, env, st)
	ProbeCompiler(CCompiler{CC: []string{cc, "-O1"}}, arm64, env, st)
	if n := st.Facts().Count("linux/arm64"); n != 3 {
		t.Errorf("%d facts after an edit and a flag, want 3", n)
	}
	// a compiler variable is an input too
	ProbeCompiler(CCompiler{CC: []string{cc}}, arm64, env.With("CPATH", dir), st)
	if n := st.Facts().Count("linux/arm64"); n != 4 {
		t.Errorf("%d facts after CPATH, want 4", n)
	}
}

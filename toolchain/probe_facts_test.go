package toolchain

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestProbeCompilerKept: a compiler that works is kept under its key (its
// command line and binary, changed by an edit of a wrapper script); one
// that fails is never kept, so that installing what it lacked is noticed at
// once.
func TestProbeCompilerKept(t *testing.T) {
	dir := t.TempDir()
	st := State{Dir: filepath.Join(dir, "state")}
	arm64 := Target{GOOS: "linux", GOARCH: "arm64"}
	cc := filepath.Join(dir, "cc.sh")
	env := Env(os.Environ())

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

	real, ok := LookPath(env, "aarch64-linux-gnu-gcc")
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

// TestLoaderPrefixKey: a loader-prefix verdict names what runs the probe:
// a qemu binary, or the kernel's registration with its flags and program
// (the route the tests take on a host with qemu-user-static); qemu's own
// variables count, the prefix variable a candidate sets does not.
func TestLoaderPrefixKey(t *testing.T) {
	dir := t.TempDir()
	qa, qb := filepath.Join(dir, "qemu-a"), filepath.Join(dir, "qemu-b")
	os.WriteFile(qa, []byte("a"), 0o755)
	os.WriteFile(qb, []byte("bb"), 0o755)
	arm64 := Target{GOOS: "linux", GOARCH: "arm64"}
	reg := func(flags, interp string) *BinfmtEntry {
		return &BinfmtEntry{Name: "qemu-aarch64", Interpreter: interp, Flags: flags}
	}
	key := func(in PrefixProbe) string {
		t.Helper()
		in.Target = arm64
		k, err := in.key([]string{"", "/usr/aarch64-linux-gnu"})
		if err != nil {
			t.Fatal(err)
		}
		if k.Kind != "loader-prefix" || k.Scope != "linux/arm64" {
			t.Fatalf("key %+v", k)
		}
		return strings.Join(k.Inputs, "\n")
	}
	base := key(PrefixProbe{Qemu: qa})
	distinct := map[string]PrefixProbe{
		"another qemu":               {Qemu: qb},
		"the kernel's registration":  {Binfmt: reg("PF", qa)},
		"qemu's variables":           {Qemu: qa, Env: Env{"QEMU_CPU=cortex-a53"}},
		"another project":            {Qemu: qa, Project: "gox.toml sha256:00"},
		"another sysroot":            {Qemu: qa, Sysroot: "/opt/sr"},
		"the registration's flags":   {Binfmt: reg("POCF", qa)},
		"the registration's program": {Binfmt: reg("PF", qb)},
	}
	seen := map[string]string{"plain qemu": base}
	for name, in := range distinct {
		k := key(in)
		for other, ok := range seen {
			if k == ok {
				t.Errorf("%s keys the verdict as %s does", name, other)
			}
		}
		seen[name] = k
	}
	if k := key(PrefixProbe{Qemu: qa, Env: Env{"QEMU_LD_PREFIX=/x"}}); k != base {
		t.Errorf("QEMU_LD_PREFIX, which each candidate sets, changed the key")
	}
	if _, err := (PrefixProbe{Target: arm64, Binfmt: reg("F", filepath.Join(dir, "gone"))}).key(nil); err == nil {
		t.Error("a registration whose program is gone made a key")
	}
}

package plan

import (
	"strings"
	"testing"

	"github.com/gox-build/gox/toolchain"
	"github.com/gox-build/gox/toolchain/compilers"
)

// TestCacheIdentity pins which builds share a per-target GOCACHE: every
// part of the identity (target, Go version, C compiler, its version, the
// sysroot) gives another directory, and gox stays out of a cache the user
// chose.
func TestCacheIdentity(t *testing.T) {
	arm64 := toolchain.Target{GOOS: "linux", GOARCH: "arm64"}
	gcc := &compilers.CCompiler{CC: []string{"aarch64-linux-gnu-gcc"}, Rule: "aarch64-linux-gnu-gcc", Triple: "aarch64-linux-gnu"}
	base := cacheInput{Target: arm64, GoVersion: "go1.26.8", Cgo: true, Compiler: gcc, CCVersion: "12.2.0"}
	with := func(f func(*cacheInput)) cacheInput {
		in := base
		f(&in)
		return in
	}
	dirName := func(t *testing.T, in cacheInput, sysroot string) string {
		t.Helper()
		in.Fingerprint = sysroot
		id, route, why := cacheIdentity(in)
		if route != cacheOwnDir {
			t.Fatalf("no cache of gox's: %s", why)
		}
		return id.DirName()
	}
	want := dirName(t, base, "fp1")
	for _, c := range []struct {
		name string
		in   cacheInput
		fp   string
		same bool
	}{
		{"same again", base, "fp1", true},
		{"sysroot changed", base, "fp2", false},
		{"another target", with(func(in *cacheInput) { in.Target = toolchain.Target{GOOS: "linux", GOARCH: "riscv64"} }), "fp1", false},
		{"another variant", with(func(in *cacheInput) { in.Target.Variant = "v8.2" }), "fp1", false},
		{"another Go", with(func(in *cacheInput) { in.GoVersion = "go1.26.9" }), "fp1", false},
		{"another compiler", with(func(in *cacheInput) {
			in.Compiler = &compilers.CCompiler{CC: []string{"aarch64-linux-gnu-gcc-12"}, Triple: "aarch64-linux-gnu"}
		}), "fp1", false},
		{"compiler flags", with(func(in *cacheInput) {
			in.Compiler = &compilers.CCompiler{CC: []string{"aarch64-linux-gnu-gcc", "--sysroot=/sr"}, Triple: "aarch64-linux-gnu"}
		}), "fp1", false},
		{"compiler upgraded", with(func(in *cacheInput) { in.CCVersion = "12.3.0" }), "fp1", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := dirName(t, c.in, c.fp); (got == want) != c.same {
				t.Errorf("dir %s, base %s: same = %v, want %v", got, want, got == want, c.same)
			}
			if !strings.HasPrefix(dirName(t, c.in, c.fp), "linux_") {
				t.Errorf("dir name does not start with the target")
			}
		})
	}

	// Without cgo the C compiler is no part of the key.
	noCgo := with(func(in *cacheInput) { in.Cgo = false })
	otherCC := with(func(in *cacheInput) {
		in.Cgo = false
		in.Compiler = &compilers.CCompiler{CC: []string{"clang"}}
	})
	if dirName(t, noCgo, "") != dirName(t, otherCC, "") {
		t.Error("a pure-Go build's cache depends on the C compiler")
	}
	if dirName(t, noCgo, "") == want {
		t.Error("cgo on and off share a cache")
	}

	// The user's own choices are left alone; go.env's GOCACHE is a default.
	for _, c := range []struct {
		name     string
		settings toolchain.GoSettings
		ours     bool
		why      string
	}{
		{"GOCACHE in the environment", toolchain.GoSettings{Env: toolchain.Env{"GOCACHE=/mine"}}, false, "GOCACHE is yours (from the environment)"},
		{"GOCACHE from go env -w", toolchain.GoSettings{User: map[string]string{"GOCACHE": "/mine"}}, false, "GOCACHE is yours (from GOENV)"},
		{"GOCACHE from go.env", toolchain.GoSettings{Root: map[string]string{"GOCACHE": "/dist"}}, true, ""},
		{"GOCACHEPROG", toolchain.GoSettings{Env: toolchain.Env{"GOCACHEPROG=cacher"}}, false, "GOCACHEPROG (from the environment) does the caching"},
		{"nothing set", toolchain.GoSettings{}, true, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := with(func(in *cacheInput) { in.Settings = c.settings })
			_, route, why := cacheIdentity(in)
			if (route == cacheOwnDir) != c.ours || !strings.Contains(why, c.why) {
				t.Errorf("route %v (%q), want ours %v (%q)", route, why, c.ours, c.why)
			}
		})
	}
}

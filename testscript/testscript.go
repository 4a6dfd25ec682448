// Package testscript runs a project's own script suite
// (github.com/rogpeppe/go-internal/testscript) with gox, for any target.
//
// Add it to the script test in two lines:
//
//	import (
//		"github.com/rogpeppe/go-internal/testscript"
//		goxscript "github.com/gox-build/gox/testscript"
//	)
//
//	func TestMain(m *testing.M) {
//		testscript.Main(m, map[string]func(){"greet": greetMain})
//	}
//
//	func TestScripts(t *testing.T) {
//		testscript.Run(t, goxscript.Params(t, testscript.Params{Dir: "testdata/script"}))
//	}
//
// Every script then has:
//
//   - "go" meaning gox in front of the real go, and a "gox" command (both a
//     gox built from the module version the project requires), first on
//     PATH;
//   - its own HOME in $WORK, and GOCACHE and GOMODCACHE in a cache kept
//     for script suites (gox-testscript in the user's cache directory,
//     never the user's own GOCACHE);
//   - GOOS and GOARCH of the target the suite runs for, when that is not
//     the host's: go commands in the scripts build for it, and gox runs
//     what they build;
//   - the conditions [target:TARGET] (the suite runs for TARGET, e.g.
//     [target:linux/arm64], [target:linux/arm/v7]), [emulated] (its test
//     binary runs under an emulator), [cc:TARGET] (gox finds a C cross
//     compiler for TARGET here) and [runs:TARGET] (binaries for TARGET can
//     run here through gox: go run and go test), besides those of the
//     Params given.
//
// To run the whole suite for a target, run its tests through gox:
//
//	gox test -target linux/arm64 ./...        (or GOOS=linux GOARCH=arm64 go test ./... with gox as go)
//
// The test binary is built for the target and runs under emulation, and so
// do the project's commands, which testscript runs by executing the test
// binary again. That nested execution needs the kernel to run the target's
// binaries: gox's namespace route (Linux 6.7+, no root) or a binfmt_misc
// registration of the host. Through gox's exec wrapper alone (user
// namespaces refused, or GOX_NAMESPACE=off) the test binary itself runs,
// but its re-executions fail with "exec format error"; gox doctor shows
// the route.
package testscript

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/gox-build/gox/toolchain"
	"github.com/gox-build/gox/toolchain/arch"
)

// HostVar is the variable gox sets, for the commands it runs test binaries
// and programs with, to the platform it runs on ("linux/amd64"): a program
// under emulation cannot tell otherwise.
const HostVar = "GOX_HOST"

// Params returns p ready for a script suite run with gox: it builds gox
// for the host into a directory of t's, and wraps p's Setup and Condition
// (which run after, and answer what gox's conditions do not).
func Params(t testing.TB, p testscript.Params) testscript.Params {
	t.Helper()
	h := host()
	bin := t.TempDir()
	build := exec.Command(goCommand(), "build", "-o", bin+string(filepath.Separator),
		"github.com/gox-build/gox/cmd/gox", "github.com/gox-build/gox/cmd/gox-wasi")
	goos, goarch, _ := strings.Cut(h, "/")
	build.Env = append(os.Environ(), "GOOS="+goos, "GOARCH="+goarch, "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building gox for %s: %v\n%s", h, err, out)
	}
	gox := filepath.Join(bin, "gox")
	shim := filepath.Join(bin, "shim")
	if err := os.MkdirAll(shim, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(gox, filepath.Join(shim, "go")); err != nil {
		t.Fatal(err)
	}
	cache := cacheDir(t)
	userSetup := p.Setup
	p.Setup = func(e *testscript.Env) error {
		home := filepath.Join(e.WorkDir, "home")
		if err := os.MkdirAll(home, 0o755); err != nil {
			return err
		}
		e.Setenv("HOME", home)
		e.Setenv("GOCACHE", filepath.Join(cache, "gocache"))
		e.Setenv("GOMODCACHE", filepath.Join(cache, "gomodcache"))
		e.Setenv("GOFLAGS", "-modcacherw")
		e.Setenv("GOTOOLCHAIN", "local")
		for _, v := range []string{"GOPROXY", "GOSUMDB", "GONOSUMDB", "GOPRIVATE", "GONOPROXY", "GOX_NAMESPACE", "QEMU_LD_PREFIX"} {
			if val := os.Getenv(v); val != "" {
				e.Setenv(v, val)
			}
		}
		// The suite's target: the test binary's own.
		if self := runtime.GOOS + "/" + runtime.GOARCH; self != h {
			e.Setenv("GOOS", runtime.GOOS)
			e.Setenv("GOARCH", runtime.GOARCH)
			if vv := toolchain.VariantVar(runtime.GOARCH); vv != "" && os.Getenv(vv) != "" {
				e.Setenv(vv, os.Getenv(vv))
			}
		}
		e.Setenv("GOX", gox)
		path := []string{shim, bin}
		if real, err := exec.LookPath(goCommand()); err == nil {
			path = append(path, filepath.Dir(real))
		}
		e.Setenv("PATH", strings.Join(append(path, filepath.SplitList(e.Getenv("PATH"))...), string(filepath.ListSeparator)))
		if userSetup != nil {
			return userSetup(e)
		}
		return nil
	}
	userCond := p.Condition
	conds := &conditions{gox: gox, host: h, answers: map[string]bool{}}
	p.Condition = func(cond string) (bool, error) {
		if ok, known, err := conds.answer(cond); known {
			return ok, err
		}
		if userCond != nil {
			return userCond(cond)
		}
		return false, fmt.Errorf("unknown condition %q", cond)
	}
	return p
}

// host is the platform the suite's machine is: what gox says it runs on,
// else the test binary's own.
func host() string {
	if h := os.Getenv(HostVar); strings.Count(h, "/") == 1 {
		return h
	}
	return runtime.GOOS + "/" + runtime.GOARCH
}

// goCommand is the go command to build gox with: $GOROOT/bin/go of the
// test's toolchain when it exists, else "go" on PATH.
func goCommand() string {
	if root := runtime.GOROOT(); root != "" {
		p := filepath.Join(root, "bin", "go")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return "go"
}

// cacheDir is where script suites keep GOCACHE and GOMODCACHE between
// runs: gox-testscript in the user's cache directory.
func cacheDir(t testing.TB) string {
	d, err := os.UserCacheDir()
	if err != nil {
		return t.TempDir()
	}
	return filepath.Join(d, "gox-testscript")
}

// conditions answers gox's conditions, each once per suite.
type conditions struct {
	gox, host string
	mu        sync.Mutex
	answers   map[string]bool
}

// answer reports whether cond holds, and whether it is one of gox's.
func (c *conditions) answer(cond string) (ok, known bool, err error) {
	name, arg, _ := strings.Cut(cond, ":")
	switch name {
	case "emulated":
		return runtime.GOOS+"/"+runtime.GOARCH != c.host, true, nil
	case "target", "cc", "runs":
	default:
		return false, false, nil
	}
	t, err := toolchain.ParseTarget(arg, runtime.GOOS)
	if err == nil {
		if _, ok := arch.Of(t.GOARCH); !ok {
			// a typo must not read as "not this target"
			err = fmt.Errorf("no architecture %s", t.GOARCH)
		}
	}
	if err != nil {
		return false, true, fmt.Errorf("%s: %v", cond, err)
	}
	if name == "target" {
		if t.GOOS != runtime.GOOS || t.GOARCH != runtime.GOARCH {
			return false, true, nil
		}
		if vv := toolchain.VariantVar(t.GOARCH); vv != "" && t.Variant != "" {
			v := os.Getenv(vv)
			if v == "" {
				v = toolchain.DefaultVariant(t.GOARCH)
			}
			return strings.TrimPrefix(v, "v") == strings.TrimPrefix(t.Variant, "v"), true, nil
		}
		return true, true, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.answers[cond]; ok {
		return v, true, nil
	}
	var v bool
	switch name {
	case "cc":
		// gox turns cgo on for a cross target exactly when it has proved
		// a C compiler for it
		out, err := exec.Command(c.gox, "env", "-target", t.String(), "CGO_ENABLED").Output()
		v = err == nil && strings.TrimSpace(string(out)) == "1"
	case "runs":
		out, _ := exec.Command(c.gox, "doctor", "-json", "-target", t.String()).Output()
		var reports []struct {
			Checks []struct{ Name, Status string }
		}
		if json.Unmarshal(out, &reports) == nil && len(reports) == 1 {
			for _, ch := range reports[0].Checks {
				v = v || ch.Name == "runner" && ch.Status == "ok"
			}
		}
	}
	c.answers[cond] = v
	return v, true, nil
}

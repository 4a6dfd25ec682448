package testscript_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	goxscript "github.com/gox-build/gox/testscript"

	// The scripts run a gox built from this checkout by go build, which the
	// go command's test cache cannot see: importing gox's packages makes a
	// change to them a change to this test binary, so results are never
	// reused across source changes.
	_ "github.com/gox-build/gox/internal/wasi"
	_ "github.com/gox-build/gox/shim"
)

func TestMain(m *testing.M) {
	testscript.Main(m, goxscript.Commands())
}

func TestScripts(t *testing.T) {
	realGo, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	realGo, err = filepath.Abs(realGo)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	gox := filepath.Join(dir, "bin", "gox")
	// gox and its wasip1 runner, side by side as go install puts them.
	build := exec.Command(realGo, "build", "-o", filepath.Dir(gox)+string(filepath.Separator), "github.com/gox-build/gox/cmd/gox", "github.com/gox-build/gox/cmd/gox-wasi")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		t.Fatalf("building gox: %v", err)
	}
	cacheDir := os.Getenv("GOX_TEST_CACHE")
	if cacheDir == "" {
		cacheDir = filepath.Join(dir, "cache")
	}
	cfg := goxscript.Config{Gox: gox, RealGo: realGo, CacheDir: cacheDir}
	params := func(dir string) testscript.Params {
		return testscript.Params{
			Dir:                 dir,
			RequireExplicitExec: true,
			RequireUniqueNames:  true,
			Setup:               goxscript.Setup(cfg),
			Condition:           goxscript.Condition(cfg),
		}
	}
	// The scripts run in parallel; t.Run returns when all have finished.
	t.Run("suite", func(t *testing.T) { testscript.Run(t, params("testdata")) })
	// Scripts that change kernel state every other script depends on
	// (a binfmt_misc registration for arm64, which the suite runs under
	// qemu with a wrapper) run alone, afterwards.
	t.Run("host", func(t *testing.T) {
		const reg = "/proc/sys/fs/binfmt_misc/gox-qemu-aarch64"
		if _, err := os.Stat(reg); err == nil {
			t.Skip("gox-qemu-aarch64 is registered already (by you?): the host scripts would change it")
		}
		t.Cleanup(func() {
			if _, err := os.Stat(reg); err == nil {
				exec.Command(gox, "setup", "-binfmt", "-remove", "linux/arm64").Run()
			}
		})
		testscript.Run(t, params(filepath.Join("testdata", "host")))
	})
}

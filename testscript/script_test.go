package testscript_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	goxscript "github.com/gox-build/gox/testscript"
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
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata",
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Setup:               goxscript.Setup(cfg),
		Condition:           goxscript.Condition(cfg),
	})
}

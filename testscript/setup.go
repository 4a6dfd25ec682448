package testscript

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
)

// Config says where the pieces of a gox test run are.
type Config struct {
	// Gox is the gox binary under test.
	Gox string
	// RealGo is the real go command.
	RealGo string
	// CacheDir holds GOCACHE and GOMODCACHE for every script of the run,
	// so that scripts share compiled packages but never touch the user's.
	CacheDir string
}

// Setup returns a testscript Params.Setup function that gives each script
// the environment described in the package documentation.
func Setup(c Config) func(*testscript.Env) error {
	return func(e *testscript.Env) error {
		home := filepath.Join(e.WorkDir, "home")
		shimDir := filepath.Join(e.WorkDir, ".shim")
		for _, d := range []string{home, shimDir} {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return err
			}
		}
		shim := filepath.Join(shimDir, "go")
		if err := os.Symlink(c.Gox, shim); err != nil {
			return err
		}
		e.Setenv("HOME", home)
		e.Setenv("GOCACHE", filepath.Join(c.CacheDir, "gocache"))
		e.Setenv("GOMODCACHE", filepath.Join(c.CacheDir, "gomodcache"))
		e.Setenv("GOFLAGS", "-modcacherw")
		e.Setenv("GOTOOLCHAIN", "local")
		for _, v := range []string{"GOPROXY", "GOSUMDB", "GONOSUMDB", "GOPRIVATE"} {
			if val := os.Getenv(v); val != "" {
				e.Setenv(v, val)
			}
		}
		e.Setenv("GOX", c.Gox)
		e.Setenv("REALGO", c.RealGo)
		e.Setenv("SHIMGO", shim)
		// PLAINPATH has gox and the real go but no go shim: for scripts
		// that set up the shim themselves.
		e.Setenv("PLAINPATH", strings.Join(append([]string{filepath.Dir(c.Gox), filepath.Dir(c.RealGo)},
			filepath.SplitList(e.Getenv("PATH"))...), string(filepath.ListSeparator)))
		path := []string{shimDir, filepath.Dir(c.Gox), filepath.Dir(c.RealGo)}
		path = append(path, filepath.SplitList(e.Getenv("PATH"))...)
		e.Setenv("PATH", strings.Join(path, string(filepath.ListSeparator)))
		return nil
	}
}

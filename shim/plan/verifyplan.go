package plan

import (
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/gox-build/gox/shim/cmdline"
	"github.com/gox-build/gox/toolchain"
	"github.com/gox-build/gox/toolchain/runners"
	"github.com/gox-build/gox/toolchain/verify"
)

// VerifyPlan says what gox checks after a build: the files the go command
// will have written, and what they must be.
type VerifyPlan struct {
	Want verify.Want
	// Files are outputs named exactly (-o FILE).
	Files []string
	// Dirs are directories into which the command writes its outputs under
	// names of the go command's choosing (-o DIR/, the working directory
	// without -o, $GOPATH/bin/<goos>_<goarch> for go install). Files in
	// them written by the command are checked; the rest are not gox's
	// business.
	Dirs []string
}

// buildOutputs is what verifyPlanFor needs to know about a command line's
// surroundings.
type buildOutputs struct {
	// Dir is the directory the go command runs in (gox's, or -C's).
	Dir string
	// GOPATH and GOBIN are the go command's settings.
	GOPATH, GOBIN string
	// Cross is true when the target is not the host's: go install then
	// writes to $GOPATH/bin/<goos>_<goarch>.
	Cross bool
	// Module returns the module path and root directory of the module
	// holding dir ("" when there is none).
	Module func(dir string) (path, root string)
}

// verifyPlanFor decides which outputs of a go build, go install or go test
// command line to verify, or returns nil when the command writes none
// (go test without -c or -o, -o /dev/null).
func verifyPlanFor(line cmdline.Line, want verify.Want, where buildOutputs) *VerifyPlan {
	sub := line.Sub
	out, chdir, buildmode := line.Value("o"), line.Value("C"), line.Value("buildmode")
	pkgs := line.Packages
	testC := line.Bool("c")
	dir := where.Dir
	if chdir != "" {
		if filepath.IsAbs(chdir) {
			dir = chdir
		} else {
			dir = filepath.Join(dir, chdir)
		}
	}
	if buildmode != "" && buildmode != "default" {
		want.BuildMode = buildmode
	}
	if buildmode == "shared" {
		return nil // writes a shared library into GOROOT's pkg tree; nothing to name
	}
	vp := &VerifyPlan{Want: want}
	switch sub {
	case "build", "test":
		if sub == "test" && !testC && out == "" {
			return nil
		}
		switch {
		case out == "":
			// The go command names the output after the one package.
			name := binaryName(pkgs, dir, where.Module)
			if name == "" {
				return nil
			}
			if sub == "test" {
				name += ".test"
			}
			vp.Files = []string{filepath.Join(dir, name+ExeSuffix(want.Target.GOOS, buildmode))}
		case out == os.DevNull || out == "/dev/null" || strings.EqualFold(out, "NUL"):
			return nil
		default:
			p := out
			if !filepath.IsAbs(p) {
				p = filepath.Join(dir, p)
			}
			if strings.HasSuffix(out, "/") || strings.HasSuffix(out, string(filepath.Separator)) || runners.IsDir(p) {
				vp.Dirs = []string{p}
			} else {
				vp.Files = []string{p}
			}
		}
	case "install":
		bin := where.GOBIN
		if bin == "" || where.Cross {
			gopath := filepath.SplitList(where.GOPATH)
			if len(gopath) == 0 || gopath[0] == "" {
				return nil
			}
			bin = filepath.Join(gopath[0], "bin")
			if where.Cross {
				bin = filepath.Join(bin, want.Target.GOOS+"_"+want.Target.GOARCH)
			}
		}
		vp.Dirs = []string{bin}
	default:
		return nil
	}
	return vp
}

// ExeSuffix is cmd/go's cfg.ExeSuffix for a build.
func ExeSuffix(goos, buildmode string) string {
	switch buildmode {
	case "c-archive":
		return ".a"
	case "c-shared":
		return ""
	}
	if goos == "windows" {
		return ".exe"
	}
	return ""
}

// binaryName is the go command's name for the binary of the package named
// by pkgs (load.Package.DefaultExecName): the last element of its import
// path, or of the path before a major version suffix (example.com/cmd/v2
// is "cmd"); for .go files, the first file's name. "" when pkgs is not
// one package (several, or a pattern), which go build writes nowhere.
func binaryName(pkgs []string, dir string, module func(string) (string, string)) string {
	if len(pkgs) == 0 {
		pkgs = []string{"."}
	}
	if strings.HasSuffix(pkgs[0], ".go") {
		return strings.TrimSuffix(filepath.Base(pkgs[0]), ".go")
	}
	if len(pkgs) != 1 || strings.Contains(pkgs[0], "...") {
		return ""
	}
	p := pkgs[0]
	importPath := p
	if p == "." || p == ".." || strings.HasPrefix(p, "./") || strings.HasPrefix(p, "../") || filepath.IsAbs(p) {
		abs := p
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(dir, p)
		}
		importPath = filepath.Base(abs)
		if module != nil {
			if mpath, root := module(abs); mpath != "" {
				if rel, err := filepath.Rel(root, abs); err == nil && !strings.HasPrefix(rel, "..") {
					importPath = mpath
					if rel != "." {
						importPath += "/" + filepath.ToSlash(rel)
					}
				}
			}
		}
	}
	elem := path.Base(importPath)
	if elem != importPath && IsVersionElement(elem) {
		elem = path.Base(path.Dir(importPath))
	}
	return elem
}

// VerifyNative adds verification to the plan of a native build, which
// plan() leaves unchecked unless asked (gox -verify, a matrix build): t is
// the target, or zero for the one the settings select.
func (s *Planner) VerifyNative(g toolchain.GoCommand, p *Plan, line cmdline.Line, t toolchain.Target) {
	if s.Env.Get("GOX_VERIFY") == "off" {
		return
	}
	settings := toolchain.LoadGoSettings(s.Env, g.Root)
	if t.GOOS == "" {
		h := ThisHost()
		t = toolchain.Target{GOOS: h.GOOS, GOARCH: h.GOARCH}
		if rt, _, err := toolchain.ResolveTarget("", settings, h.GOOS, h.GOARCH); err == nil {
			t = rt
		}
	}
	p.Verify = verifyPlanFor(line.WithGOFLAGS(settings.Get("GOFLAGS")), verify.Want{Target: t}, s.outputsOf(settings, false))
	p.Follow = p.Follow || p.Verify != nil
}

// IsVersionElement reports a major version suffix: v2, v3, ...
func IsVersionElement(s string) bool {
	if len(s) < 2 || s[0] != 'v' || s[1] == '0' || s[1] == '1' && len(s) == 2 {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

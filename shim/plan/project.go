package plan

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gox-build/gox/shim/cmdline"
	"github.com/gox-build/gox/shim/config"
	"github.com/gox-build/gox/shim/internal/base"
	"github.com/gox-build/gox/shim/project"
	"github.com/gox-build/gox/toolchain"
	"github.com/gox-build/gox/toolchain/compilers"
)

// loadProject finds and reads the gox.toml for a go command run in dir,
// and the user's trust in it; nil when there is none.
func (s *Planner) loadProject(dir string, st toolchain.State) (*project.Facts, error) {
	path := config.Find(dir, s.GoworkSetting())
	if path == "" {
		return nil, nil
	}
	cfg, err := config.Load(path)
	if err == nil {
		err = cfg.Validate(project.ParseTargetName(ThisHost().GOOS))
	}
	if err != nil {
		return nil, &base.Error{Err: err, Hints: []string{"see the gox.toml section of gox's README for the keys and their types"}}
	}
	ok, why := config.Trusted(st.Dir, cfg, s.Env.Get("GOX_TRUST"))
	return &project.Facts{File: cfg, Trusted: ok, Why: why, Dir: dir}, nil
}

// GoworkSetting is the go command's GOWORK (environment, then GOENV):
// which workspace, if any, the go command uses.
func (s *Planner) GoworkSetting() string {
	if v, ok := s.Env.Lookup("GOWORK"); ok {
		return v
	}
	return toolchain.LoadGoSettings(s.Env, "").Get("GOWORK")
}

// compilerCandidates are the C compilers to try for t: the environment's
// GOX_CC_<goos>_<goarch> or CC first, then gox.toml's cc, then CC from
// the GOENV file, then discovery (with gox.toml's sysroot).
func compilerCandidates(t toolchain.Target, settings toolchain.GoSettings, h Host, ps *project.Settings) []compilers.CCompiler {
	if ps != nil && ps.CC != nil && settings.Env.Get("GOX_CC_"+t.GOOS+"_"+t.GOARCH) == "" && settings.Lookup("CC").Source != toolchain.SourceEnv {
		return []compilers.CCompiler{{CC: ps.CC, CXX: ps.CXX, Origin: compilers.FromConfig, Var: "cc", From: ps.Path}}
	}
	cands := compilers.CompilerCandidates(t, settings, h.GOOS, h.GOARCH)
	if ps != nil && ps.Sysroot != "" {
		for i := range cands {
			if cands[i].Origin == compilers.Discovered {
				cands[i].CC = project.WithSysroot(cands[i].CC, ps.Sysroot)
				if len(cands[i].CXX) > 0 {
					cands[i].CXX = project.WithSysroot(cands[i].CXX, ps.Sysroot)
				}
			}
		}
	}
	return cands
}

// ConfiguredTargets is -target config: gox.toml's target list, as one
// -target value, and its output template.
func (s *Planner) ConfiguredTargets(line cmdline.Line) (targets, output string, err error) {
	dir := commandDir(line.Value("C"))
	st, err := s.OpenState()
	if err != nil {
		return "", "", err
	}
	pf, err := s.loadProject(dir, st)
	if err != nil {
		return "", "", err
	}
	if pf == nil {
		return "", "", base.UsageError{Err: &base.Error{What: "-target config", Err: fmt.Errorf("no %s next to the go.mod (or go.work) of %s", config.FileName, dir),
			Hints: []string{"list the targets in gox.toml: targets = [\"linux/amd64\", \"linux/arm64\"]"}}}
	}
	if len(pf.File.Targets) == 0 {
		return "", "", base.UsageError{Err: &base.Error{What: "-target config", Err: fmt.Errorf("%s lists no targets", pf.DisplayPath())}}
	}
	out := pf.File.Output
	if out != "" && !pf.Trusted && !filepath.IsLocal(out) && !line.Has("o") {
		// where a build writes is the user's to say: a file from a cloned
		// repository may name a place inside the project only
		return "", "", &base.Error{What: pf.DisplayPath(),
			Err:   fmt.Errorf("not trusted: output = %s writes outside the project", out),
			Hints: []string{"gox trust, if it should", "or give -o yourself"}}
	}
	return strings.Join(pf.File.Targets, ","), out, nil
}

// ProjectPackages are the Debian packages gox.toml lists for targets.
func (s *Planner) ProjectPackages(ce *CrossEnv, targets []toolchain.Target) ([]string, error) {
	pf, err := s.loadProject(commandDir(""), ce.State)
	if err != nil || pf == nil {
		return nil, err
	}
	h := ThisHost()
	var out []string
	for _, t := range targets {
		if _, err := project.For(pf, t, s.Env, h.GOOS); err != nil {
			return nil, err
		}
		if _, tc := pf.File.For(t.String(), t.Port(), project.ParseTargetName(h.GOOS)); tc != nil {
			out = append(out, tc.Packages...)
		}
	}
	return out, nil
}

// commandDir is the directory a go command line runs in: -C's, else the
// working directory.
func commandDir(chdir string) string {
	wd, err := os.Getwd()
	if err != nil {
		return chdir
	}
	if chdir == "" {
		return wd
	}
	if filepath.IsAbs(chdir) {
		return chdir
	}
	return filepath.Join(wd, chdir)
}

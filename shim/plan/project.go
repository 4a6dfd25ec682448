package plan

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gox-build/gox/shim/cmdline"
	"github.com/gox-build/gox/shim/config"
	"github.com/gox-build/gox/shim/internal/base"
	"github.com/gox-build/gox/toolchain"
)

// ProjectFacts are a project's gox.toml and the user's trust in it, as
// gather finds them for a cross command.
type ProjectFacts struct {
	File    *config.File
	Trusted bool
	// Why says how the trust was decided ("never trusted", "changed since
	// you trusted it", "GOX_TRUST names its SHA-256", …).
	Why string
	// Dir is the directory the go command runs in, for naming the file.
	Dir string
}

// ProjectSettings are what a gox.toml says for one target, resolved
// against the user's environment, which wins variable by variable.
type ProjectSettings struct {
	// Path is the file, Name the [target."…"] table used.
	Path, Name string
	// Changes are the variables it sets that the environment does not.
	Changes []EnvChange
	// CC and CXX are its C compiler, with sysroot applied; nil unless
	// set (and trusted).
	CC, CXX []string
	// Sysroot is its sysroot, for discovered compilers too.
	Sysroot string
	// Runner is set when the runner comes from the file.
	Runner bool
	// Gated lists its settings that need trust; Trusted says they apply.
	Gated   []string
	Trusted bool
}

// ParseTargetName reads a target name as gox does, for the config package.
func ParseTargetName(hostGOOS string) config.TargetParser {
	return func(name string) (string, error) {
		t, err := toolchain.ParseTarget(name, hostGOOS)
		if err != nil {
			return "", err
		}
		return t.String(), nil
	}
}

// loadProject finds and reads the gox.toml for a go command run in dir,
// and the user's trust in it; nil when there is none.
func (s *Planner) loadProject(dir string, st toolchain.State) (*ProjectFacts, error) {
	path := config.Find(dir, s.GoworkSetting())
	if path == "" {
		return nil, nil
	}
	cfg, err := config.Load(path)
	if err == nil {
		err = cfg.Validate(ParseTargetName(ThisHost().GOOS))
	}
	if err != nil {
		return nil, &toolchain.Error{Err: err, Hints: []string{"see the gox.toml section of gox's README for the keys and their types"}}
	}
	ok, why := config.Trusted(st.Dir, cfg, s.Env.Get("GOX_TRUST"))
	return &ProjectFacts{File: cfg, Trusted: ok, Why: why, Dir: dir}, nil
}

// GoworkSetting is the go command's GOWORK (environment, then GOENV):
// which workspace, if any, the go command uses.
func (s *Planner) GoworkSetting() string {
	if v, ok := s.Env.Lookup("GOWORK"); ok {
		return v
	}
	return toolchain.LoadGoSettings(s.Env, "").Get("GOWORK")
}

// displayPath names the configuration file for messages: relative to the
// directory the command runs in when it is at or below it.
func (pf *ProjectFacts) displayPath() string {
	if rel, err := filepath.Rel(pf.Dir, pf.File.Path); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return pf.File.Path
}

// ProjectFor resolves what pf says for target t against env. A file that
// names programs for t and is not trusted is an error: the command would
// run them.
func ProjectFor(pf *ProjectFacts, t toolchain.Target, env toolchain.Env, hostGOOS string) (*ProjectSettings, error) {
	if pf == nil {
		return nil, nil
	}
	name, tc := pf.File.For(t.String(), t.Port(), ParseTargetName(hostGOOS))
	if tc == nil {
		return nil, nil
	}
	ps := &ProjectSettings{Path: pf.File.Path, Name: name, Gated: tc.Gated(), Trusted: pf.Trusted}
	if len(ps.Gated) > 0 && !pf.Trusted {
		hint := "gox trust"
		if p := pf.displayPath(); p != config.FileName {
			hint += " " + p
		}
		return nil, &toolchain.Error{What: pf.displayPath(),
			Err:   fmt.Errorf("not trusted: it names programs to run (%s)", ps.Gated[0]),
			Hints: []string{hint, "read it first: trusting it lets it run what it names, as your user (" + pf.Why + ")"}}
	}
	dir := filepath.Dir(pf.File.Path)
	set := func(name, value string) {
		if _, ok := env.Lookup(name); !ok {
			ps.Changes = append(ps.Changes, EnvChange{Name: name, Value: value})
		}
	}
	if tc.Cgo != nil {
		v := "0"
		if *tc.Cgo {
			v = "1"
		}
		set("CGO_ENABLED", v)
	}
	for _, k := range sortedKeys(tc.Env) {
		set(k, tc.Env[k])
	}
	if tc.Sysroot != "" {
		ps.Sysroot = ResolveIn(dir, tc.Sysroot)
		set("PKG_CONFIG_SYSROOT_DIR", ps.Sysroot)
		if tc.PkgConfigLibdir == "" {
			var dirs []string
			for _, tr := range t.Triples() {
				dirs = append(dirs, filepath.Join(ps.Sysroot, "usr", "lib", tr, "pkgconfig"))
			}
			dirs = append(dirs, filepath.Join(ps.Sysroot, "usr", "lib", "pkgconfig"), filepath.Join(ps.Sysroot, "usr", "share", "pkgconfig"))
			set("PKG_CONFIG_LIBDIR", strings.Join(dirs, string(filepath.ListSeparator)))
		}
	}
	if tc.PkgConfigLibdir != "" {
		set("PKG_CONFIG_LIBDIR", resolveList(dir, tc.PkgConfigLibdir))
	}
	if tc.CC != "" {
		cc, err := toolchain.SplitQuoted(tc.CC)
		if err != nil {
			return nil, &toolchain.Error{What: pf.displayPath(), Err: fmt.Errorf("target.%q.cc: %v", name, err)}
		}
		ps.CC = withSysroot(resolveCommand(dir, cc), ps.Sysroot)
		if tc.CXX != "" {
			cxx, err := toolchain.SplitQuoted(tc.CXX)
			if err != nil {
				return nil, &toolchain.Error{What: pf.displayPath(), Err: fmt.Errorf("target.%q.cxx: %v", name, err)}
			}
			ps.CXX = withSysroot(resolveCommand(dir, cxx), ps.Sysroot)
		}
	}
	if len(tc.Runner) > 0 {
		v := "GOX_RUNNER_" + t.GOOS + "_" + t.GOARCH
		if _, ok := env.Lookup(v); !ok {
			// The exec wrapper runs in the go command's environment: the
			// runner travels there as the variable that names one.
			ps.Runner = true
			ps.Changes = append(ps.Changes, EnvChange{Name: v, Value: toolchain.JoinQuoted(resolveCommand(dir, tc.Runner))})
		}
	}
	return ps, nil
}

// value is the variable name's value among ps's changes.
func (ps *ProjectSettings) value(name string) (string, bool) {
	for _, c := range ps.Changes {
		if c.Name == name && !c.Unset {
			return c.Value, true
		}
	}
	return "", false
}

// WithProject puts ps's variables in settings as the gox.toml layer.
func WithProject(settings toolchain.GoSettings, ps *ProjectSettings) toolchain.GoSettings {
	if ps == nil || len(ps.Changes) == 0 {
		return settings
	}
	settings.Project = make(map[string]string, len(ps.Changes))
	for _, c := range ps.Changes {
		settings.Project[c.Name] = c.Value
	}
	return settings
}

// compilerCandidates are the C compilers to try for t: the environment's
// GOX_CC_<goos>_<goarch> or CC first, then gox.toml's cc, then CC from
// the GOENV file, then discovery (with gox.toml's sysroot).
func compilerCandidates(t toolchain.Target, settings toolchain.GoSettings, h Host, ps *ProjectSettings) []toolchain.CCompiler {
	if ps != nil && ps.CC != nil && settings.Env.Get("GOX_CC_"+t.GOOS+"_"+t.GOARCH) == "" && settings.Lookup("CC").Source != toolchain.SourceEnv {
		return []toolchain.CCompiler{{CC: ps.CC, CXX: ps.CXX, Origin: toolchain.FromConfig, Var: "cc", From: ps.Path}}
	}
	cands := toolchain.CompilerCandidates(t, settings, h.GOOS, h.GOARCH)
	if ps != nil && ps.Sysroot != "" {
		for i := range cands {
			if cands[i].Origin == toolchain.Discovered {
				cands[i].CC = withSysroot(cands[i].CC, ps.Sysroot)
				if len(cands[i].CXX) > 0 {
					cands[i].CXX = withSysroot(cands[i].CXX, ps.Sysroot)
				}
			}
		}
	}
	return cands
}

func withSysroot(cmd []string, sysroot string) []string {
	if sysroot == "" || len(cmd) == 0 {
		return cmd
	}
	for _, w := range cmd {
		if w == "--sysroot" || strings.HasPrefix(w, "--sysroot=") {
			return cmd
		}
	}
	return append(append([]string(nil), cmd...), "--sysroot="+sysroot)
}

// withoutSysroot takes out the --sysroot=sysroot withSysroot added.
func withoutSysroot(cmd []string, sysroot string) []string {
	var out []string
	for _, w := range cmd {
		if w != "--sysroot="+sysroot {
			out = append(out, w)
		}
	}
	return out
}

// resolveCommand makes a program named by a relative path ("./tools/cc.sh")
// relative to the gox.toml's directory, so it works from any package.
func resolveCommand(dir string, cmd []string) []string {
	if len(cmd) == 0 || filepath.IsAbs(cmd[0]) || !strings.ContainsRune(cmd[0], '/') {
		return cmd
	}
	out := append([]string(nil), cmd...)
	out[0] = filepath.Join(dir, cmd[0])
	return out
}

func ResolveIn(dir, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}

func resolveList(dir, list string) string {
	parts := filepath.SplitList(list)
	for i, p := range parts {
		parts[i] = ResolveIn(dir, p)
	}
	return strings.Join(parts, string(filepath.ListSeparator))
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

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
		return "", "", base.UsageError{Err: &toolchain.Error{What: "-target config", Err: fmt.Errorf("no %s next to the go.mod (or go.work) of %s", config.FileName, dir),
			Hints: []string{"list the targets in gox.toml: targets = [\"linux/amd64\", \"linux/arm64\"]"}}}
	}
	if len(pf.File.Targets) == 0 {
		return "", "", base.UsageError{Err: &toolchain.Error{What: "-target config", Err: fmt.Errorf("%s lists no targets", pf.displayPath())}}
	}
	out := pf.File.Output
	if out != "" && !pf.Trusted && !filepath.IsLocal(out) && !line.Has("o") {
		// where a build writes is the user's to say: a file from a cloned
		// repository may name a place inside the project only
		return "", "", &toolchain.Error{What: pf.displayPath(),
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
		if _, err := ProjectFor(pf, t, s.Env, h.GOOS); err != nil {
			return nil, err
		}
		if _, tc := pf.File.For(t.String(), t.Port(), ParseTargetName(h.GOOS)); tc != nil {
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

package compilers

import (
	"fmt"
	"github.com/gox-build/gox/toolchain"
	"path/filepath"
	"strings"
)

// CInput is everything the C-side decision for a cross target depends on.
// Probing (finding and test-compiling compilers) happens before; the
// decision itself only reads these values.
type CInput struct {
	Target toolchain.Target
	Port   toolchain.Port
	// Settings gives CGO_ENABLED, PKG_CONFIG and friends as the go command
	// sees them.
	Settings toolchain.GoSettings
	// Compiler is the first candidate that passed its probe, or nil.
	Compiler *CCompiler
	// Tried lists every candidate probed, in order.
	Tried  []Tried
	Distro toolchain.Distro
	// Strict is set for commands that build (build, install, run, test):
	// they fail when the C side cannot be made right. Others (list, env,
	// vet) get the best gox can do and never fail on its account, so an
	// editor's go list keeps working.
	Strict bool
	// NeedsCgo lists the non-standard packages of the command that have cgo
	// files. It is called only when no compiler was found.
	NeedsCgo func() ([]string, error)
	// LookPath finds helper tools (AR, pkg-config) on PATH.
	LookPath func(string) (string, bool)
	// Links reports whether the command links a binary (a main package,
	// a test binary). It is called only for a port that links externally
	// when no compiler was found: building package archives needs none.
	Links func() (bool, error)
	// InstallHint words the hint that says how to get a C compiler for a
	// target; nil gives InstallCommand's. (The caller names its own
	// commands: toolchain does not know gox's command line.)
	InstallHint func(toolchain.Target) string
}

// installHint is in's hint for getting a C compiler for t.
func (in CInput) installHint(t toolchain.Target) string {
	if in.InstallHint != nil {
		return in.InstallHint(t)
	}
	how, _ := toolchain.InstallCommand(in.Distro, t)
	return how
}

// linksNothing reports a command that, by in.Links, links no binary.
func (in CInput) linksNothing() bool {
	if in.Links == nil {
		return false
	}
	links, err := in.Links()
	return err == nil && !links
}

// CDecision is the C side of a cross build.
type CDecision struct {
	// Cgo says cgo will be on.
	Cgo bool
	// Compiler is the compiler gox put in CC, if any.
	Compiler *CCompiler
	Changes  []toolchain.EnvChange
	// Why explains the decision in a line, for gox -n.
	Why string
}

// MustLinkExternal reports ports that need a C linker even without cgo
// (internal/platform.MustLinkExternal).
func MustLinkExternal(goos, goarch string) bool {
	switch goos {
	case "android":
		return goarch != "arm64"
	case "ios":
		return goarch == "arm64"
	}
	return false
}

// DecideC decides CGO_ENABLED and the C toolchain variables for a cross
// target. The go command turns cgo off for every cross build unless told
// otherwise (golang/go#71379), so that a cross binary silently differs from
// the native one; gox turns it on whenever a verified compiler exists, and
// refuses a build that needs cgo when none does.
func DecideC(in CInput) (CDecision, error) {
	t := in.Target
	user := in.Settings.Lookup("CGO_ENABLED")
	explicit := len(in.Tried) == 1 && in.Tried[0].Compiler.Explicit()
	external := MustLinkExternal(t.GOOS, t.GOARCH)

	if explicit && in.Compiler == nil && in.Strict && user.Value != "0" {
		tr := in.Tried[0]
		name, from := tr.Compiler.Var, "from the environment"
		switch tr.Compiler.Origin {
		case FromCC:
			from = "from " + SourceName(tr.Compiler.From)
		case FromConfig:
			from = "in " + tr.Compiler.From
		}
		problem := describeProblem(tr.Probe)
		if strings.HasPrefix(problem, "the ") {
			problem = "fails: " + problem
		}
		e := &CompilerError{Target: t, Err: fmt.Errorf("%s=%s %s %s", name, tr.Compiler.CCString(), from, problem), Setting: name}
		if tr.Compiler.Origin == FromConfig {
			e.Config = tr.Compiler.From
		}
		if tr.Probe.MissingHeaders || tr.Probe.NotFound {
			e.Install = in.installHint(t)
		}
		return CDecision{}, e
	}

	switch {
	case user.Value == "0":
		if external {
			if in.Compiler == nil {
				if in.Strict && !in.linksNothing() {
					return CDecision{}, noCompilerError(in, fmt.Errorf("%s links externally even without cgo, and no C cross compiler was found", t.Port()))
				}
				return CDecision{Why: "no C compiler for the external linker"}, nil
			}
			return CDecision{Compiler: in.Compiler, Changes: compilerChanges(in), Why: "cgo off (CGO_ENABLED=0 from " + SourceName(string(user.Source)) + "); C linker " + in.Compiler.CCString()}, nil
		}
		return CDecision{Why: "cgo off (CGO_ENABLED=0 from " + SourceName(string(user.Source)) + ")"}, nil
	case user.Value == "1":
		if in.Compiler == nil {
			if in.Strict {
				return CDecision{}, noCompilerError(in, fmt.Errorf("CGO_ENABLED=1, but no C cross compiler was found"))
			}
			return CDecision{Why: "CGO_ENABLED=1 but no C compiler found"}, nil
		}
		return CDecision{Cgo: true, Compiler: in.Compiler, Changes: compilerChanges(in), Why: "cgo on (CGO_ENABLED=1 from " + SourceName(string(user.Source)) + "): " + describeCompiler(in)}, nil
	}

	if !in.Port.CgoSupported {
		return CDecision{Why: t.Port() + " has no cgo support: pure Go"}, nil
	}
	if in.Compiler != nil {
		ch := append([]toolchain.EnvChange{{Name: "CGO_ENABLED", Value: "1"}}, compilerChanges(in)...)
		return CDecision{Cgo: true, Compiler: in.Compiler, Changes: ch, Why: "cgo on, as in a native build: " + describeCompiler(in)}, nil
	}
	if external && in.Strict {
		if in.linksNothing() {
			return CDecision{Why: t.Port() + " links externally, but this command links nothing: no C compiler needed"}, nil
		}
		return CDecision{}, noCompilerError(in, fmt.Errorf("%s links externally even without cgo, and no C cross compiler was found", t.Port()))
	}
	if in.Strict && in.NeedsCgo != nil {
		pkgs, err := in.NeedsCgo()
		if err == nil && len(pkgs) > 0 {
			p := pkgs[0]
			if len(pkgs) > 1 {
				p += fmt.Sprintf(" (and %d more)", len(pkgs)-1)
			}
			return CDecision{}, noCompilerError(in, fmt.Errorf("package %s needs cgo but no C cross compiler was found", p))
		}
	}
	return CDecision{Why: "no C cross compiler found; the packages need none: pure Go, as the go command does"}, nil
}

// describeCompiler says which compiler was chosen and what its probe saw.
func describeCompiler(in CInput) string {
	c := in.Compiler
	s := c.CCString()
	if c.Explicit() {
		s += " (" + c.Source() + ")"
	}
	if n := len(in.Tried); n > 0 && in.Tried[n-1].Probe.OK {
		p := in.Tried[n-1].Probe
		s += ", probed: builds " + p.Got.Machine + " executables"
		if p.Got.Float != "" {
			s += ", " + p.Got.Float + "-float ABI"
		}
	}
	return s
}

func noCompilerError(in CInput, err error) error {
	return &CompilerError{Target: in.Target, Err: err, Install: in.installHint(in.Target), Tried: describeTried(in.Tried)}
}

// CompilerError says a build needs a C compiler for Target and has none:
// none was found (Setting empty), or the one the user set (Setting: CC,
// GOX_CC_<goos>_<goarch>, or cc in the gox.toml Config) does not work.
// The library says what was tried and what would install one; gox words
// the fix.
type CompilerError struct {
	Target  toolchain.Target
	Err     error
	Setting string
	Config  string
	// Install is how to get a compiler for Target ("apt-get install …"),
	// "" when no package would help.
	Install string
	// Tried lists the compilers probed, "" for none.
	Tried string
}

func (e *CompilerError) Error() string { return "target " + e.Target.String() + ": " + e.Err.Error() }
func (e *CompilerError) Unwrap() error { return e.Err }

func describeProblem(p Probe) string {
	switch {
	case p.NotFound:
		return "is not on PATH"
	case p.MissingHeaders:
		return "cannot find the target's C headers: " + p.Problem
	}
	return p.Problem
}

func describeTried(tried []Tried) string {
	var missing, parts []string
	for _, t := range tried {
		if t.Probe.NotFound {
			missing = append(missing, t.Compiler.CC[0])
			continue
		}
		parts = append(parts, t.Compiler.CCString()+" ("+describeProblem(t.Probe)+")")
	}
	if len(missing) > 0 {
		parts = append(parts, strings.Join(dedup(missing), ", ")+" (not on PATH)")
	}
	return strings.Join(parts, "; ")
}

func dedup(s []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// compilerChanges are CC, CXX, AR and pkg-config for the chosen compiler.
// The user's own settings of these win: gox only fills in what is unset.
func compilerChanges(in CInput) []toolchain.EnvChange {
	c := in.Compiler
	var out []toolchain.EnvChange
	if c.Origin != FromCC {
		// (CC the user set is where the go command reads it already.)
		out = append(out, toolchain.EnvChange{Name: "CC", Value: c.CCString()})
		if len(c.CXX) > 0 && (c.Explicit() || in.Settings.Get("CXX") == "") {
			out = append(out, toolchain.EnvChange{Name: "CXX", Value: c.CXXString()})
		}
	}
	look := in.LookPath
	if look == nil {
		look = func(string) (string, bool) { return "", false }
	}
	if c.Triple != "" && c.Origin == Discovered && c.Rule == c.Triple+"-gcc" && in.Settings.Get("AR") == "" {
		if _, ok := look(c.Triple + "-ar"); ok {
			out = append(out, toolchain.EnvChange{Name: "AR", Value: c.Triple + "-ar"})
		}
	}
	if len(UserPkgConfig(in.Settings)) == 0 {
		tr := c.Triple
		if tr == "" {
			tr = in.Target.Triple()
		}
		if tr != "" {
			if _, ok := look(tr + "-pkg-config"); ok {
				out = append(out, toolchain.EnvChange{Name: "PKG_CONFIG", Value: tr + "-pkg-config"})
			} else {
				// Only the target's .pc files: a host library must not be
				// linked into a target binary ("skipping incompatible").
				dirs := []string{
					filepath.Join("/usr/lib", tr, "pkgconfig"),
					filepath.Join("/usr", tr, "lib", "pkgconfig"),
					"/usr/share/pkgconfig",
				}
				out = append(out, toolchain.EnvChange{Name: "PKG_CONFIG_LIBDIR", Value: strings.Join(dirs, string(filepath.ListSeparator))})
			}
		}
	}
	return out
}

// UserPkgConfig lists the pkg-config settings the user made (NAME=value):
// PKG_CONFIG as the go command reads it, and the variables pkg-config
// itself reads. With any of them set gox leaves pkg-config to the user.
func UserPkgConfig(s toolchain.GoSettings) []string {
	var yours []string
	if v := s.Get("PKG_CONFIG"); v != "" {
		yours = append(yours, "PKG_CONFIG="+v)
	}
	for _, name := range []string{"PKG_CONFIG_LIBDIR", "PKG_CONFIG_PATH", "PKG_CONFIG_SYSROOT_DIR"} {
		if v := s.Env.Get(name); v != "" {
			yours = append(yours, name+"="+v)
		}
	}
	return yours
}

// UndefinedSymbols are the symbols a linker's output says are undefined
// (lld, which zig cc runs: "ld.lld: error: undefined symbol: close_range";
// GNU ld: "undefined reference to `close_range'"), each once, in order.
func UndefinedSymbols(output string) []string {
	var out []string
	seen := map[string]bool{}
	for _, line := range strings.Split(output, "\n") {
		sym := ""
		if _, after, ok := strings.Cut(line, "undefined symbol: "); ok {
			sym = strings.TrimSpace(after)
		} else if _, after, ok := strings.Cut(line, "undefined reference to `"); ok {
			sym, _, _ = strings.Cut(after, "'")
		}
		if sym != "" && !seen[sym] {
			seen[sym] = true
			out = append(out, sym)
		}
	}
	return out
}

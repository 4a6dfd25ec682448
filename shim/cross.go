package shim

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/gox-build/gox/shim/cmdline"
	"github.com/gox-build/gox/toolchain"
)

// host is the platform gox runs on, which is what the go command builds
// for by default.
type host struct{ goos, goarch string }

func thisHost() host { return host{runtime.GOOS, runtime.GOARCH} }

func (h host) port() string { return h.goos + "/" + h.goarch }

// plan decides what to run for a go command line. Commands that cannot
// depend on the target, and native builds, pass through untouched and pay
// for nothing but finding the real go; only a cross build reads the
// toolchain facts and probes C compilers (both cached).
func (s *session) plan(g toolchain.GoCommand, line cmdline.Line) (Plan, error) {
	pass := Passthrough(g, line.GoArgs(), s.env)
	if line.Target == "" && !crossCommand(line) {
		return pass, nil
	}
	h := thisHost()
	// Fast path: with GOOS and GOARCH both in the environment, the GOENV
	// file cannot change the target, so a native command reads no file.
	if line.Target == "" {
		goos, goarch := s.env.Get("GOOS"), s.env.Get("GOARCH")
		if (goos == "" || goos == h.goos) && (goarch == "" || goarch == h.goarch) && goos != "" && goarch != "" {
			return pass, nil
		}
	}
	settings := toolchain.LoadGoSettings(s.env, g.Root)
	line = line.WithGOFLAGS(settings.Get("GOFLAGS"))
	t, fromFlag, err := toolchain.ResolveTarget(line.Target, settings, h.goos, h.goarch)
	if err != nil {
		if line.Target == "" {
			// GOOS/GOARCH of the environment's that make no target: the
			// go command's own error and exit code.
			return pass, nil
		}
		return Plan{}, s.targetError(g, line.Target, err)
	}
	if !fromFlag && t.Port() == h.port() {
		if w, hp := s.hostWarning(g, line, settings); w != "" {
			pass.Warnings = append(pass.Warnings, w)
			pass.Host, pass.Follow = hp, true
		}
		return pass, nil
	}
	stateDir, err := toolchain.StateDir(s.env)
	if err != nil {
		return Plan{}, err
	}
	if toolchain.TempState(s.env) {
		pass.Notes = append(pass.Notes, toolchain.TempStateNote)
	}
	facts, err := toolchain.LoadGoFacts(g, s.env, stateDir)
	if err != nil {
		return Plan{}, err
	}
	strict := isStrictCommand(line.Sub)
	if err := facts.CheckTarget(t); err != nil {
		if fromFlag {
			return Plan{}, usageError{err}
		}
		// A GOOS/GOARCH of the environment's that the toolchain does not
		// support: the go command says so in its own words, with its own
		// exit code (2); gox adds only its suggestion, first.
		if _, known := facts.Port(t.GOOS, t.GOARCH); !known {
			if sug := toolchain.Suggest(t.Port(), facts.PortNames()); len(sug) > 0 {
				pass.Warnings = append(pass.Warnings, "gox: hint: "+t.Port()+" (from "+targetSource(settings)+") is no port of "+facts.GoVersion+"; did you mean "+strings.Join(sug, " or ")+"?")
			}
		}
		return pass, nil
	}
	p := pass
	p.Target = t
	p.Changes = toolchain.TargetChanges(t, fromFlag, s.env)
	where := "from -target"
	if !fromFlag {
		where = targetSource(settings)
	}
	p.Notes = append(p.Notes, "target "+t.String()+" ("+where+")")
	if t.Port() == h.port() || !crossCommand(line) {
		p.Env = applyChanges(p.Env, p.Changes)
		return p, nil
	}
	port, _ := facts.Port(t.GOOS, t.GOARCH)
	cands := toolchain.CompilerCandidates(t, settings, h.goos, h.goarch)
	comp, tried := toolchain.FindCompiler(cands, t, s.env, stateDir)
	// The variables the user set for this target through gox's -target
	// count as set for the C decision too.
	settings.Env = applyChanges(settings.Env, p.Changes)
	dec, err := toolchain.DecideC(toolchain.CInput{
		Target: t, Port: port, Settings: settings, Compiler: comp, Tried: tried,
		Distro: toolchain.HostDistro(), Strict: strict,
		NeedsCgo: func() ([]string, error) {
			return s.needsCgo(g, applyChanges(p.Env, p.Changes), line)
		},
		LookPath: func(name string) (string, bool) { return toolchain.LookPath(s.env, name) },
		Links: func() (bool, error) {
			return s.linksBinary(g, applyChanges(p.Env, p.Changes), line)
		},
	})
	if err != nil {
		return Plan{}, err
	}
	p.Changes = append(p.Changes, dec.Changes...)
	p.Notes = append(p.Notes, dec.Why)
	cacheDir, why, err := targetCache(cacheInput{Target: t, GoVersion: facts.GoVersion, Cgo: dec.Cgo, Compiler: comp, CCVersion: chosenVersion(comp, tried), Settings: settings}, stateDir)
	switch {
	case err != nil:
		return Plan{}, &toolchain.Error{What: "build cache for " + t.String(), Err: err,
			Hints: []string{"gox cache clean -target " + t.String() + " removes it (gox makes it anew), or make it writable again",
				"or set GOX_CACHE to a directory gox may write, or GOCACHE to use one cache for every target"}}
	case cacheDir != "":
		p.Changes = append(p.Changes, EnvChange{Name: "GOCACHE", Value: cacheDir})
		p.Notes = append(p.Notes, "build cache of its own for "+t.String()+" (keyed by the Go and C toolchains and the sysroot)")
	default:
		p.Notes = append(p.Notes, why)
	}
	if runsBinaries(line) {
		goroot := g.Root
		if goroot == "" {
			goroot = facts.GOROOT
		}
		if err := s.planRunner(&p, line, t, goroot, stateDir, dec.Cgo); err != nil {
			return Plan{}, err
		}
	}
	if s.env.Get("GOX_VERIFY") != "off" {
		cgo := "0"
		if dec.Cgo {
			cgo = "1"
		}
		p.Verify = verifyPlanFor(line, toolchain.Want{Target: t, Cgo: cgo}, s.outputsOf(settings, t.Port() != h.port()))
		if p.Verify != nil {
			p.Follow = true
			p.Notes = append(p.Notes, "gox verifies what the command writes is for "+t.String()+" (GOX_VERIFY=off to skip)")
		}
	}
	p.Env = applyChanges(p.Env, p.Changes)
	return p, nil
}

// outputsOf is where the go command writes its outputs, for verification.
func (s *session) outputsOf(settings toolchain.GoSettings, cross bool) buildOutputs {
	dir, _ := os.Getwd()
	gopath := settings.Get("GOPATH")
	if gopath == "" {
		if home := s.env.Get("HOME"); home != "" {
			gopath = filepath.Join(home, "go")
		}
	}
	return buildOutputs{Dir: dir, GOPATH: gopath, GOBIN: settings.Get("GOBIN"), Cross: cross, Module: findModule}
}

// findModule finds the go.mod above dir and reads its module path.
func findModule(dir string) (path, root string) {
	for d := dir; ; {
		if data, err := os.ReadFile(filepath.Join(d, "go.mod")); err == nil {
			return modulePath(data), d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", ""
		}
		d = parent
	}
}

// modulePath reads the module directive of a go.mod file: module path,
// module "path", or module ( path ), with comments. It is what
// golang.org/x/mod/modfile.ModulePath does; that package's parser and
// regexps would add their weight and initialisation to every go command
// gox runs, for one line.
func modulePath(gomod []byte) string {
	text := string(gomod)
	for len(text) > 0 {
		var line string
		line, text, _ = strings.Cut(text, "\n")
		if i := strings.Index(line, "//"); i >= 0 {
			line = line[:i]
		}
		f := strings.Fields(line)
		if len(f) == 0 || f[0] != "module" {
			continue
		}
		rest := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "module"))
		if rest == "(" {
			for len(text) > 0 {
				line, text, _ = strings.Cut(text, "\n")
				if i := strings.Index(line, "//"); i >= 0 {
					line = line[:i]
				}
				if rest = strings.TrimSpace(line); rest != "" {
					break
				}
			}
		}
		rest = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(rest, "("), ")"))
		if strings.HasPrefix(rest, "\"") || strings.HasPrefix(rest, "`") {
			if p, err := strconv.Unquote(rest); err == nil {
				return p
			}
			return ""
		}
		return rest
	}
	return ""
}

// planRunner arranges for go test and go run to run the target's binaries:
// nothing when the host or the kernel (binfmt_misc) runs them, else gox's
// runner as go_<goos>_<goarch>_exec on the real go's PATH. A user's own
// -exec, or own go_<goos>_<goarch>_exec on PATH, is left alone.
func (s *session) planRunner(p *Plan, line cmdline.Line, t toolchain.Target, goroot, stateDir string, cgo bool) error {
	r := s.runnerFor(t, goroot, stateDir)
	if line.Has("exec") {
		p.Notes = append(p.Notes, "runner: your -exec")
		return nil
	}
	switch r.Kind {
	case "none":
		return &toolchain.Error{What: "target " + t.String(), Err: fmt.Errorf("cannot run %s binaries here: %s", t.Port(), r.Detail),
			Hints: append(nonEmpty(r.Fix), "go test -c and go build still work; gox doctor -target "+t.String()+" shows the runner")}
	case "native":
		p.Notes = append(p.Notes, "runner: "+r.Detail)
		return nil
	case "binfmt":
		p.Notes = append(p.Notes, "runner: "+r.Detail)
		p.NoCoreDumps = true
		p.Notes = append(p.Notes, "core dumps off (RLIMIT_CORE=0): qemu writes none into your package directories")
		if line.Sub == "test" {
			// go run's program may own a terminal; a test's output is
			// go test's to print, so gox can read it on the way.
			p.Follow, p.FilterNoise, p.TestJSON = true, true, line.Bool("json")
			p.Notes = append(p.Notes, "gox takes qemu's 'uncaught target signal' lines out of go test's output")
		}
		if cgo && s.env.Get("QEMU_LD_PREFIX") == "" {
			g, gerr := s.realGo()
			if lp, ok := s.loaderPrefix(g, gerr, t, r, stateDir); ok && lp != "" {
				p.Changes = append(p.Changes, EnvChange{Name: "QEMU_LD_PREFIX", Value: lp})
			}
		}
		return nil
	}
	name := execName(t.GOOS, t.GOARCH)
	if path, ok := toolchain.LookPath(s.env, name); ok {
		p.Notes = append(p.Notes, "runner: your "+path)
		return nil
	}
	if r.Kind == "wine" {
		w, err := s.winePrefix(t, r, stateDir)
		if err != nil {
			return err
		}
		if !w.Ready() {
			p.Prepare = &w
			p.Notes = append(p.Notes, "wine prefix "+w.Dir+" is prepared first (wineboot, and a bcryptprimitives.dll built with "+w.MinGW+" where Wine lacks one)")
		}
	}
	dir, err := wrapperDir(stateDir, t.GOOS, t.GOARCH)
	if err != nil {
		return &toolchain.Error{What: "runner", Err: err}
	}
	p.Changes = append(p.Changes, EnvChange{Name: "PATH", Value: dir, Prepend: true})
	p.Notes = append(p.Notes, "runner: "+r.Detail+" through "+name)
	if line.Sub == "test" {
		note := "gox: note: go test does not cache results of tests run through an exec wrapper (golang/go#27207)"
		if r.Kind == "qemu" {
			note += "; gox setup -binfmt " + t.String() + " (as root) lets the kernel run them, and caching works again"
		}
		p.Warnings = append(p.Warnings, note)
	}
	return nil
}

// targetSource says where GOOS/GOARCH came from, for the plan's notes.
func targetSource(s toolchain.GoSettings) string {
	bySource := map[string][]string{}
	var order []string
	for _, v := range []string{"GOOS", "GOARCH"} {
		src := s.Lookup(v).Source
		switch src {
		case "":
			src = "the host"
		case "env":
			src = "the environment"
		}
		if bySource[src] == nil {
			order = append(order, src)
		}
		bySource[src] = append(bySource[src], v)
	}
	var parts []string
	for _, src := range order {
		parts = append(parts, strings.Join(bySource[src], " and ")+" from "+src)
	}
	return strings.Join(parts, ", ")
}

// targetError turns a -target that does not parse into a usage error with
// suggestions from the real toolchain's ports.
func (s *session) targetError(g toolchain.GoCommand, flag string, err error) error {
	e := &toolchain.Error{Err: err}
	if errors.Is(err, toolchain.ErrUnknownTarget) {
		if stateDir, serr := toolchain.StateDir(s.env); serr == nil {
			if facts, ferr := toolchain.LoadGoFacts(g, s.env, stateDir); ferr == nil {
				if sug := toolchain.Suggest(flag, facts.PortNames()); len(sug) > 0 {
					e.Hints = append(e.Hints, "did you mean "+strings.Join(sug, " or ")+"?")
				}
			}
		}
		e.Hints = append(e.Hints, "targets are os/arch[/variant] (linux/arm64, linux/arm/v7), GNU triples (aarch64-linux-gnu) or aliases (arm64, armhf); gox targets lists them")
	}
	return usageError{e}
}

// needsCgo asks the real go which of the command's packages (and their
// dependencies) outside the standard library have cgo files. It runs only
// when a cross build found no C compiler.
func (s *session) needsCgo(g toolchain.GoCommand, env toolchain.Env, line cmdline.Line) ([]string, error) {
	return s.listPackages(g, env.With("CGO_ENABLED", "1"), line, "-deps", "-e", "-f", "{{if and (not .Standard) .CgoFiles}}{{.ImportPath}}{{end}}")
}

// listPackages runs go list with the command's build flags and packages
// and the given flags, and returns the words it printed.
func (s *session) listPackages(g toolchain.GoCommand, env toolchain.Env, line cmdline.Line, flags ...string) ([]string, error) {
	args := []string{"list"}
	args = append(args, line.ListFlags()...)
	args = append(args, flags...)
	args = append(args, line.PackagesOrDot()...)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, g.Path, args...)
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %v: %s", err, stderr.String())
	}
	return strings.Fields(string(out)), nil
}

// linksBinary reports whether the command links a binary: go run and go
// test always (a test binary), go build and go install when a package is
// main (asked of go list, as only for an external-link port with no C
// compiler) and -buildmode is not archive.
func (s *session) linksBinary(g toolchain.GoCommand, env toolchain.Env, line cmdline.Line) (bool, error) {
	switch line.Sub {
	case "build", "install":
	default:
		return true, nil
	}
	if line.Value("buildmode") == "archive" {
		return false, nil
	}
	names, err := s.listPackages(g, env, line, "-e", "-f", "{{.Name}}")
	if err != nil {
		return true, err
	}
	for _, name := range names {
		if name == "main" {
			return true, nil
		}
	}
	return false, nil
}

// applyChanges returns env with the changes made.
func applyChanges(env toolchain.Env, changes []EnvChange) toolchain.Env {
	for _, c := range changes {
		switch {
		case c.Unset:
			env = env.Without(c.Name)
		case c.Prepend && env.Get(c.Name) != "":
			env = env.With(c.Name, c.Value+string(filepath.ListSeparator)+env.Get(c.Name))
		default:
			env = env.With(c.Name, c.Value)
		}
	}
	return env
}

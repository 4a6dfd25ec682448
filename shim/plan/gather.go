package plan

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/gox-build/gox/cache"
	"github.com/gox-build/gox/shim/cmdline"
	"github.com/gox-build/gox/shim/internal/base"
	"github.com/gox-build/gox/shim/project"
	"github.com/gox-build/gox/toolchain"
	"github.com/gox-build/gox/toolchain/compilers"
	"github.com/gox-build/gox/toolchain/runners"
)

// Host is the platform gox runs on, which is what the go command builds
// for by default.
type Host struct{ GOOS, GOARCH string }

func ThisHost() Host { return Host{runtime.GOOS, runtime.GOARCH} }

func (h Host) Port() string { return h.GOOS + "/" + h.GOARCH }

// Plan decides what to run for a go command line: gather the facts, then
// decide. Commands that cannot depend on the target, and native builds,
// pass through and pay for nothing but finding the real go.
func (s *Planner) Plan(g toolchain.GoCommand, line cmdline.Line) (Plan, error) {
	f, err := s.gather(g, line)
	if err != nil {
		return Plan{}, err
	}
	return Decide(line, f)
}

// gather finds the facts decide needs for line, stage by stage, stopping
// where decide will stop. To know which facts a cross build needs it asks
// the same pure functions decide does (toolchain.ResolveTarget,
// toolchain.DecideC, cacheIdentity); what it finds it writes nowhere but
// gox's fact store (internal/facts), and with read-only state (gox -n) not
// even there. gox doctor, setup, env and the matrix gather the same way.
func (s *Planner) gather(g toolchain.GoCommand, line cmdline.Line) (Facts, error) {
	return s.GatherFacts(g, line, true)
}

// GatherFacts is gather; without askGoList, the C decision takes it that
// no package needs cgo (gox doctor, which has no packages, asks so: it
// shows the facts a plan for the target is decided from).
func (s *Planner) GatherFacts(g toolchain.GoCommand, line cmdline.Line, askGoList bool) (Facts, error) {
	f := Facts{Go: g, Env: s.Env, Host: ThisHost()}
	h := f.Host
	if !needsFacts(line, s.Env, h) {
		return f, nil
	}
	f.Settings, f.Read = toolchain.LoadGoSettings(s.Env, g.Root), true
	line = line.WithGOFLAGS(f.Settings.Get("GOFLAGS"))
	t, fromFlag, err := toolchain.ResolveTarget(line.Target, f.Settings, h.GOOS, h.GOARCH)
	if err != nil {
		if line.Target != "" {
			// for suggestions: the toolchain's ports, if they can be had
			if st, serr := s.OpenState(); serr == nil {
				f.GoFacts, _ = toolchain.LoadGoFacts(g, s.Env, st)
			}
		}
		return f, nil
	}
	if !fromFlag && t.Port() == h.Port() {
		f.HostWarning, f.HostProblem = s.hostWarning(g, line, f.Settings)
		return f, nil
	}
	if f.State, err = s.OpenState(); err != nil {
		return f, err
	}
	if f.GoFacts, err = toolchain.LoadGoFacts(g, s.Env, f.State); err != nil {
		return f, err
	}
	port, _ := f.GoFacts.Port(t.GOOS, t.GOARCH)
	if f.GoFacts.CheckTarget(t) != nil || h.Builds(t) || !line.Cross() {
		return f, nil
	}
	changes := toolchain.TargetChanges(t, fromFlag, s.Env)
	// The project's gox.toml, read for cross commands only: a native
	// command pays nothing for it.
	if f.Project, err = s.loadProject(commandDir(line.Value("C")), f.State); err != nil {
		return f, err
	}
	ps, err := project.For(f.Project, t, s.Env, h.GOOS)
	if err != nil {
		return f, nil // decide makes the same error
	}
	env := s.Env
	if ps != nil {
		env = ApplyChanges(env, ps.Changes)
	}
	settings := project.Apply(f.Settings, ps)
	settings.Env = ApplyChanges(settings.Env, changes)
	f.C.Distro = toolchain.HostDistro()
	f.C.LookPath = func(name string) (string, bool) { return toolchain.LookPath(s.Env, name) }
	f.C.Compiler, f.C.Tried = compilers.FindCompiler(compilerCandidates(t, settings, h, ps), t, env, f.State)
	// The C decision asks go list only when no compiler was found; ask it
	// here what it would ask, once, and keep the answers for decide.
	in := cInput(line, t, port, f, changes, ps)
	goEnv := ApplyChanges(toolchain.ExecEnv(s.Env, g), changes)
	f.C.Links = true
	if askGoList {
		in.NeedsCgo = func() ([]string, error) {
			f.C.NeedsCgo, f.C.NeedsCgoErr = s.needsCgo(g, goEnv, line)
			return f.C.NeedsCgo, f.C.NeedsCgoErr
		}
		in.Links = func() (bool, error) {
			f.C.Links, f.C.LinksErr = s.linksBinary(g, goEnv, line)
			return f.C.Links, f.C.LinksErr
		}
	}
	dec, err := compilers.DecideC(in)
	if err != nil {
		return f, nil // decide makes the same error
	}
	if f.Settings.Get("GOCACHEPROG") != "" || line.RunsBinaries() {
		// the GOCACHEPROG layer, the exec wrapper and the namespace
		// helper are this binary
		f.Self, f.SelfErr = base.SelfBinary()
	}
	if dec.Cgo && f.C.Compiler != nil {
		var pr cache.Print
		f.Sysroot, pr, f.SysrootErr = sysrootIdentity(f.C.Compiler, t, settings, env, f.State)
		f.Fingerprint, f.SysrootContent = pr.Local, pr.Content
	}
	if line.RunsBinaries() && !line.Has("exec") {
		rf := s.gatherRunner(g, f, t, dec.Cgo, env, settings, ps)
		f.Runner = &rf
	}
	if s.Env.Get("GOX_VERIFY") != "off" {
		f.Outputs = s.outputsOf(f.Settings, t.Port() != h.Port())
	}
	return f, nil
}

// gatherRunner probes how t's binaries run here, and what running them
// through gox needs: for a cgo build run under qemu, the loader prefix of
// its dynamic binaries, found with the compiler, settings and project the
// plan uses (the exec wrapper gets the verdict from the plan).
func (s *Planner) gatherRunner(g toolchain.GoCommand, f Facts, t toolchain.Target, cgo bool, env toolchain.Env, settings toolchain.GoSettings, ps *project.Settings) RunnerFacts {
	goroot := g.Root
	if goroot == "" {
		goroot = f.GoFacts.GOROOT
	}
	from := ""
	if ps != nil && ps.Runner {
		from = "gox.toml"
	}
	rf := RunnerFacts{Runner: s.RunnerIn(t, goroot, f.State, env, from)}
	r := rf.Runner
	prefix := func() {
		if cgo && s.Env.Get("QEMU_LD_PREFIX") == "" {
			lp := s.ProbeLoaderPrefix(PrefixQuestion{Go: g, Target: t, Runner: r, State: f.State, Compiler: f.C.Compiler,
				CCVersion: ChosenVersion(f.C.Compiler, f.C.Tried), Settings: settings, Env: env, pf: f.Project, ps: ps})
			rf.LoaderPrefix = &lp
		}
	}
	switch r.Kind {
	case runners.RunNone, runners.RunNative:
		return rf
	case runners.RunBinfmt:
		prefix()
		return rf
	}
	if path, ok := toolchain.LookPath(s.Env, ExecName(t.GOOS, t.GOARCH)); ok {
		rf.UserWrapper = path
		return rf
	}
	if r.Kind == runners.RunWine {
		w, err := s.WinePrefix(t, r, f.State)
		rf.Wine, rf.WineErr, rf.WineReady = &w, err, err == nil && w.Ready()
	}
	switch r.Kind {
	case runners.RunQemu, runners.RunWine, runners.RunWasi:
		if h := ThisHost(); h.GOOS == "linux" && f.SelfErr == nil {
			v := s.namespaceVerdict(f.State, f.Self)
			rf.Namespace = &v
		}
	}
	if r.Kind == runners.RunQemu || r.Emulator != "" {
		prefix()
	}
	return rf
}

// outputsOf is where the go command writes its outputs, for verification.
func (s *Planner) outputsOf(settings toolchain.GoSettings, cross bool) buildOutputs {
	dir, _ := os.Getwd()
	gopath := settings.Get("GOPATH")
	if gopath == "" {
		if home := s.Env.Get("HOME"); home != "" {
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

// needsCgo asks the real go which of the command's packages (and their
// dependencies) outside the standard library have cgo files. It runs only
// when a cross build found no C compiler.
func (s *Planner) needsCgo(g toolchain.GoCommand, env toolchain.Env, line cmdline.Line) ([]string, error) {
	return s.ListPackages(g, env.With("CGO_ENABLED", "1"), line, "-deps", "-e", "-f", "{{if and (not .Standard) .CgoFiles}}{{.ImportPath}}{{end}}")
}

// ListPackages runs go list with the command's build flags and packages
// and the given flags (-f and the like), in env, and returns the lines it
// printed, empty ones left out. The planner asks it whether a build needs
// cgo or links a binary; the matrix what its jobs build.
func (s *Planner) ListPackages(g toolchain.GoCommand, env toolchain.Env, line cmdline.Line, flags ...string) ([]string, error) {
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
		return nil, &base.Error{What: "go list", Err: fmt.Errorf("%v\n%s", err, strings.TrimSpace(stderr.String()))}
	}
	var lines []string
	for _, l := range strings.Split(string(out), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return lines, nil
}

// linksBinary reports whether the command links a binary: go run and go
// test always (a test binary), go build and go install when a package is
// main (asked of go list, as only for an external-link port with no C
// compiler) and -buildmode is not archive.
func (s *Planner) linksBinary(g toolchain.GoCommand, env toolchain.Env, line cmdline.Line) (bool, error) {
	switch line.Sub {
	case "build", "install":
	default:
		return true, nil
	}
	if line.Value("buildmode") == "archive" {
		return false, nil
	}
	names, err := s.ListPackages(g, env, line, "-e", "-f", "{{.Name}}")
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

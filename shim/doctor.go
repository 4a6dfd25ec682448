package shim

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/gox-build/gox/cache"
	"github.com/gox-build/gox/toolchain"
)

// check is one row of gox doctor: a hidden dependency of building for a
// target, its state and the fix.
type check struct {
	Name   string `json:"name"`
	Status string `json:"status"` // ok, missing, wrong, n/a
	Detail string `json:"detail"`
	Fix    string `json:"fix,omitempty"`
	// Required rows decide whether the target is ready.
	Required bool `json:"required"`
}

// targetReport is what gox knows of one target's readiness.
type targetReport struct {
	Target string  `json:"target"`
	Ready  bool    `json:"ready"`
	Checks []check `json:"checks"`
}

// crossEnv is what inspecting targets needs, loaded once per command.
type crossEnv struct {
	g        toolchain.GoCommand
	facts    *toolchain.GoFacts
	settings toolchain.GoSettings
	state    toolchain.State
	distro   toolchain.Distro
	// project is the gox.toml of the module in the working directory;
	// projectErr why it could not be read.
	project    *projectFacts
	projectErr error
}

func (s *session) loadCrossEnv() (*crossEnv, error) {
	g, err := s.realGo()
	if err != nil {
		return nil, err
	}
	st, err := toolchain.OpenState(s.env, false)
	if err != nil {
		return nil, err
	}
	if toolchain.TempState(s.env) {
		fmt.Fprintln(s.stderr, "gox: note: "+tempStateNote)
	}
	facts, err := toolchain.LoadGoFacts(g, s.env, st)
	if err != nil {
		return nil, err
	}
	ce := &crossEnv{g: g, facts: facts, settings: toolchain.LoadGoSettings(s.env, g.Root), state: st, distro: toolchain.HostDistro()}
	ce.project, ce.projectErr = s.loadProject(commandDir(""), st)
	return ce, nil
}

// crossTargets loads what inspecting targets needs and parses the target
// arguments.
func (s *session) crossTargets(args []string) (*crossEnv, []toolchain.Target, error) {
	ce, err := s.loadCrossEnv()
	if err != nil {
		return nil, nil, err
	}
	targets, err := s.parseTargets(ce, args)
	return ce, targets, err
}

// parseTargets turns target arguments into targets, defaulting to the
// target the environment selects.
func (s *session) parseTargets(ce *crossEnv, args []string) ([]toolchain.Target, error) {
	h := thisHost()
	if len(args) == 0 {
		t, _, err := toolchain.ResolveTarget("", ce.settings, h.goos, h.goarch)
		return []toolchain.Target{t}, err
	}
	var out []toolchain.Target
	for _, a := range args {
		for _, one := range toolchain.SplitTargets(a) {
			t, err := toolchain.ParseTarget(one, h.goos)
			if err != nil {
				return nil, targetError(one, err, ce.facts)
			}
			out = append(out, t)
		}
	}
	return out, nil
}

// inspect checks one target's hidden dependencies.
func (s *session) inspect(ce *crossEnv, t toolchain.Target) targetReport {
	h := thisHost()
	r := targetReport{Target: t.String()}
	r.Checks = append(r.Checks, hostCheck(ce.g))
	port, ok := ce.facts.Port(t.GOOS, t.GOARCH)
	goRow := check{Name: "go", Required: true}
	if err := checkTarget(ce.facts, t); err != nil {
		goRow.Status, goRow.Detail = "missing", err.Error()
		if te, ok := err.(*toolchain.Error); ok && len(te.Hints) > 0 {
			goRow.Fix = te.Hints[0]
		}
		r.Checks = append(r.Checks, goRow)
		return r
	}
	var traits []string
	if port.FirstClass {
		traits = append(traits, "first class")
	}
	if port.CgoSupported {
		traits = append(traits, "cgo supported")
	} else {
		traits = append(traits, "no cgo")
	}
	goRow.Status = "ok"
	goRow.Detail = fmt.Sprintf("%s builds %s (%s)", ce.facts.GoVersion, t.Port(), strings.Join(traits, ", "))
	r.Checks = append(r.Checks, goRow)
	_ = ok

	native := t.Port() == h.port()
	// The project's settings for the target, where each came from.
	var ps *projectSettings
	env, settings := s.env, ce.settings
	if !native {
		row, p := s.projectCheck(ce, t)
		if row != nil {
			r.Checks = append(r.Checks, *row)
		}
		if ps = p; ps != nil {
			env = applyChanges(env, ps.Changes)
			settings.Env = applyChanges(settings.Env, ps.Changes)
		}
	}
	ccRow := check{Name: "C compiler", Required: port.CgoSupported || toolchain.MustLinkExternal(t.GOOS, t.GOARCH)}
	var comp *toolchain.CCompiler
	var tried []toolchain.Tried
	switch {
	case native:
		ccRow.Status, ccRow.Detail, ccRow.Required = "ok", "native target: the go command's own C compiler ("+orDefault(ce.settings.Get("CC"), "gcc")+")", false
	case !ccRow.Required:
		ccRow.Status, ccRow.Detail = "n/a", t.Port()+" has no cgo; pure Go needs no C compiler"
	default:
		comp, tried = toolchain.FindCompiler(compilerCandidates(t, settings, h, ps), t, env, ce.state)
		if comp != nil {
			p := tried[len(tried)-1].Probe
			ccRow.Status = "ok"
			ccRow.Detail = fmt.Sprintf("%s (%s; %s), probe: %s executable", comp.CCString(), p.Path, p.Version, p.Got.Machine)
			if comp.Explicit() {
				ccRow.Detail += "; " + comp.Source()
			}
			if p.Got.Float != "" {
				ccRow.Detail += ", " + p.Got.Float + "-float ABI"
			}
		} else {
			ccRow.Status = "missing"
			if len(tried) == 1 && tried[0].Compiler.Explicit() && tried[0].Probe.Problem != "not found" {
				ccRow.Status = "wrong"
			}
			var why []string
			for _, tr := range tried {
				why = append(why, tr.Compiler.CCString()+": "+tr.Probe.Problem)
			}
			ccRow.Detail = strings.Join(why, "; ")
			ccRow.Fix = installHint(ce.distro, t)
			if ccRow.Status == "wrong" {
				ccRow.Fix = "unset " + tried[0].Compiler.Var + " or point it at a compiler for " + t.Port() + "; " + ccRow.Fix
			}
		}
	}
	r.Checks = append(r.Checks, ccRow)

	if !native && comp != nil {
		triple := comp.Triple
		if triple == "" {
			if trs := t.Triples(); len(trs) > 0 {
				triple = trs[0]
			}
		}
		cxx := check{Name: "C++ compiler"}
		switch {
		case len(comp.CXX) > 0:
			path, _ := toolchain.LookPath(env, comp.CXX[0])
			cxx.Status, cxx.Detail = "ok", comp.CXXString()+" ("+path+")"
		case comp.Explicit():
			cxx.Status, cxx.Detail = "missing", "no C++ compiler goes with "+comp.Source()+": packages with C++ files will not link"
			cxx.Fix = "name one beside it (cxx in gox.toml, CXX, or GOX_CXX_" + t.GOOS + "_" + t.GOARCH + ")"
		default:
			cxx.Status, cxx.Detail = "missing", "no C++ compiler for "+triple+": packages with C++ files will not link"
			if pk := toolchain.CompilerPackages(ce.distro, triple, true); len(pk) > 1 {
				cxx.Fix = "apt-get install " + pk[1]
			}
		}
		r.Checks = append(r.Checks, cxx)

		pc := pkgConfigCheck(triple, settings, func(name string) (string, bool) { return toolchain.LookPath(env, name) })
		r.Checks = append(r.Checks, pc)

		sr := check{Name: "sysroot"}
		root := filepath.Join("/usr", triple)
		if ps != nil && ps.Sysroot != "" {
			root = ps.Sysroot
		}
		if fi, err := os.Stat(filepath.Join(root, "include")); err == nil && fi.IsDir() {
			sr.Status, sr.Detail = "ok", root
		} else {
			sr.Status, sr.Detail = "n/a", "no "+root+"/include; the compiler brings its own"
		}
		r.Checks = append(r.Checks, sr)
	}

	r.Checks = append(r.Checks, s.runnerCheck(ce, t, comp, env, ps)...)
	if !native {
		r.Checks = append(r.Checks, cacheCheck(cacheInput{Target: t, GoVersion: ce.facts.GoVersion, Cgo: comp != nil && port.CgoSupported && ce.settings.Get("CGO_ENABLED") != "0",
			Compiler: comp, CCVersion: chosenVersion(comp, tried), Settings: ce.settings}, ce.state))
	}

	r.Ready = true
	for _, c := range r.Checks {
		if c.Required && c.Status != "ok" {
			r.Ready = false
		}
	}
	return r
}

// runnerCheck is doctor's row for running the target's binaries (go test,
// go run), and for qemu the loader prefix its dynamic binaries get.
func (s *session) runnerCheck(ce *crossEnv, t toolchain.Target, comp *toolchain.CCompiler, env toolchain.Env, ps *projectSettings) []check {
	goroot := ce.g.Root
	if goroot == "" {
		goroot = ce.facts.GOROOT
	}
	from := ""
	if ps != nil && ps.Runner {
		from = "gox.toml"
	}
	r := s.runnerIn(t, goroot, ce.state, env, from)
	row := check{Name: "runner", Status: "ok", Detail: string(r.Kind) + ": " + r.Detail}
	if r.Kind == toolchain.RunNone {
		row.Status, row.Detail, row.Fix = "missing", r.Detail, r.Fix
	}
	out := []check{row}
	if r.Kind != toolchain.RunNone {
		out = append(out, s.routeCheck(ce, t, r))
	}
	if r.Kind == toolchain.RunWine {
		pr := check{Name: "wine prefix", Status: "ok"}
		w, err := s.winePrefix(t, r, ce.state)
		switch {
		case err != nil:
			pr.Status, pr.Detail = "wrong", err.Error()
		case w.Ready():
			pr.Detail = w.Dir
		case w.MinGW == "":
			pr.Status, pr.Detail = "missing", "not prepared yet, and no "+toolchain.MinGWFor(t.GOARCH)+" to build the bcryptprimitives.dll Wine 8 lacks"
			pr.Fix = "gox setup " + t.String()
		default:
			pr.Detail = w.Dir + " is prepared on first use (about 10 s), or now by gox setup " + t.String()
		}
		out = append(out, pr)
	}
	if (r.Kind == toolchain.RunQemu || r.Kind == toolchain.RunBinfmt) && comp != nil {
		lp, ok := s.loaderPrefix(ce.g, nil, t, r, ce.state)
		pr := check{Name: "loader prefix", Status: "ok"}
		switch {
		case !ok:
			pr.Status, pr.Detail = "wrong", lp
			pr.Fix = "install the target's C library (" + installHint(ce.distro, t) + "), or remove a second copy of it of another revision"
		case lp == "":
			pr.Detail = "none needed: the host's multiarch loader and libraries run a dynamic cgo probe"
		default:
			pr.Detail = "-L " + lp + ": a dynamic cgo probe runs under it"
		}
		out = append(out, pr)
	}
	return out
}

// projectCheck is doctor's row for the project's gox.toml as it applies
// to t (nil when there is none or it has nothing for t), and the settings
// it contributes.
func (s *session) projectCheck(ce *crossEnv, t toolchain.Target) (*check, *projectSettings) {
	if ce.projectErr != nil {
		return &check{Name: "gox.toml", Status: "wrong", Detail: ce.projectErr.Error(), Required: true}, nil
	}
	pf := ce.project
	if pf == nil {
		return nil, nil
	}
	ps, err := projectFor(pf, t, s.env, thisHost().goos)
	if err != nil {
		row := &check{Name: "gox.toml", Status: "wrong", Detail: err.Error(), Required: true}
		var te *toolchain.Error
		if errors.As(err, &te) && len(te.Hints) > 0 {
			row.Fix = te.Hints[0]
		}
		return row, nil
	}
	if ps == nil {
		return &check{Name: "gox.toml", Status: "ok", Detail: pf.File.Path + ": nothing for " + t.String()}, nil
	}
	var parts []string
	for _, c := range ps.Changes {
		parts = append(parts, c.Name+"="+c.Value)
	}
	if ps.CC != nil {
		parts = append(parts, "cc = "+toolchain.JoinQuoted(ps.CC))
	}
	if ps.Sysroot != "" {
		parts = append(parts, "sysroot = "+ps.Sysroot)
	}
	detail := pf.File.Path + ` [target."` + ps.Name + `"]`
	if len(parts) > 0 {
		detail += ": " + strings.Join(parts, ", ")
	}
	if len(ps.Gated) > 0 {
		detail += " (names programs to run; " + pf.Why + ")"
	}
	detail += "; the environment wins over it"
	return &check{Name: "gox.toml", Status: "ok", Detail: detail}, ps
}

// routeCheck is doctor's row for how go test reaches the runner: the
// host's binfmt_misc, gox's user namespace, or an exec wrapper, and why.
func (s *session) routeCheck(ce *crossEnv, t toolchain.Target, r toolchain.Runner) check {
	row := check{Name: "route", Status: "ok"}
	name := execName(t.GOOS, t.GOARCH)
	switch r.Kind {
	case toolchain.RunNative:
		row.Detail = "native: go test runs them itself"
		return row
	case toolchain.RunBinfmt:
		row.Detail = "host binfmt: the kernel runs them directly (go test caches results)"
		return row
	case toolchain.RunUser:
		row.Detail = "exec wrapper " + name + " running your GOX_RUNNER_" + t.GOOS + "_" + t.GOARCH + " (go test does not cache results)"
		return row
	}
	if path, ok := toolchain.LookPath(s.env, name); ok {
		row.Detail = "your exec wrapper " + path + " (go test does not cache results)"
		return row
	}
	why := "gox's namespace route is for qemu, Wine and gox-wasi runners"
	if r.Kind == toolchain.RunQemu || r.Kind == toolchain.RunWine || r.Kind == toolchain.RunWasi {
		self, _ := selfBinary()
		v := s.namespaceVerdict(ce.state, self)
		if v.OK {
			row.Detail = "gox namespace: a private user namespace with its own binfmt_misc (Linux 6.7+, no root, no exec wrapper: go test caches results)"
			return row
		}
		why = "the namespace route is unavailable: " + v.Why
	}
	row.Detail = "exec wrapper " + name + ": go test does not cache results (" + why + ")"
	return row
}

// cacheCheck is doctor's row for the target's build cache: where it is,
// its size, and whether gox can write it.
func cacheCheck(in cacheInput, st toolchain.State) check {
	row := check{Name: "build cache", Status: "ok"}
	id, route, why := cacheIdentity(targetCacheInput(in))
	if route != cacheOwnDir {
		row.Detail = why
		return row
	}
	root := cache.Root(st.Dir)
	dir := filepath.Join(root, id.DirName())
	if _, err := os.Stat(filepath.Join(dir, cache.MetaFile)); err == nil {
		row.Detail = dir + " (" + humanSize(cache.DirSize(dir)) + ")"
	} else {
		row.Detail = dir + " (made by the first build)"
	}
	if err := writable(root); err != nil {
		row.Status, row.Detail = "wrong", root+" is not writable: "+err.Error()
		row.Fix = "set GOX_CACHE to a directory you can write"
	}
	return row
}

// writable checks that dir (created if need be) takes a new file.
func writable(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".gox-writable-*")
	if err != nil {
		return err
	}
	f.Close()
	return os.Remove(f.Name())
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

type doctorFlags struct {
	json    bool
	targets []string
}

// targetsFlag declares a repeatable -target flag.
func targetsFlag(fs *flag.FlagSet, into *[]string) {
	fs.Func("target", "target (repeatable; os/arch[/variant], triple or alias)", func(v string) error {
		*into = append(*into, v)
		return nil
	})
}

func doctorCommand() *Command {
	return newCommand(Command{
		Name:      "doctor",
		UsageLine: "doctor [-json] [-target T ...] [TARGET ...]",
		Short:     "check what building for a target needs, and say what is missing",
		Long: `
Doctor checks, for each target, the dependencies a cross build hides: that
the real go supports the port, the C compiler gox would use (found, and
proven by compiling and linking a probe program for the target), the C++
compiler, pkg-config, the sysroot, the runner that go test and go run use
(native, binfmt_misc, qemu-user, node) and, for qemu, the loader prefix
its dynamically linked binaries get (chosen by running a cgo probe). Each row is ok, missing, wrong or
n/a, with the exact fix.

Targets are given with -target (repeatable, or comma-separated) or as
arguments; with none, doctor checks the target the environment selects.

Doctor exits 0 when every target is ready (the go row and, where the port
needs one, the C compiler row are ok) and 1 otherwise.
`,
	}, func(fs *flag.FlagSet, f *doctorFlags) {
		fs.BoolVar(&f.json, "json", false, "print JSON")
		targetsFlag(fs, &f.targets)
	}, runDoctor)
}

func runDoctor(s *session, f *doctorFlags, args []string) int {
	ce, targets, err := s.crossTargets(append(f.targets, args...))
	if err != nil {
		return s.fail(err)
	}
	var reports []targetReport
	ready := true
	for _, t := range targets {
		r := s.inspect(ce, t)
		reports = append(reports, r)
		ready = ready && r.Ready
	}
	if f.json {
		out, _ := json.MarshalIndent(reports, "", "\t")
		fmt.Fprintf(s.stdout, "%s\n", out)
	} else {
		for i, r := range reports {
			if i > 0 {
				fmt.Fprintln(s.stdout)
			}
			verdict := "ready"
			if !r.Ready {
				verdict = "NOT READY"
			}
			fmt.Fprintf(s.stdout, "%s: %s\n", r.Target, verdict)
			tw := tabwriter.NewWriter(s.stdout, 0, 4, 2, ' ', 0)
			for _, c := range r.Checks {
				fmt.Fprintf(tw, "  %s\t%s\t%s\n", c.Name, c.Status, c.Detail)
				if c.Fix != "" {
					fmt.Fprintf(tw, "  \tfix:\t%s\n", c.Fix)
				}
			}
			tw.Flush()
		}
	}
	if !ready {
		return 1
	}
	return 0
}

// pkgConfigCheck is doctor's pkg-config row for a cross compiler of
// triple: what the go command will run for #cgo pkg-config lines, in the
// order gox's plan chooses it (the user's settings, the target's own
// pkg-config, the host's limited to the target's .pc files).
func pkgConfigCheck(triple string, settings toolchain.GoSettings, lookPath func(string) (string, bool)) check {
	pc := check{Name: "pkg-config"}
	yours := toolchain.UserPkgConfig(settings)
	program := settings.Get("PKG_CONFIG")
	if program == "" {
		program = "pkg-config"
	}
	switch path, ok := lookPath(triple + "-pkg-config"); {
	case len(yours) > 0:
		pc.Status, pc.Detail = "ok", "set by you: "+strings.Join(yours, " ")
		if _, ok := lookPath(program); !ok {
			pc.Status, pc.Detail = "missing", program+" is not on PATH (set by you: "+strings.Join(yours, " ")+")"
		}
	case ok:
		pc.Status, pc.Detail = "ok", path
	default:
		if host, ok := lookPath(program); ok {
			pc.Status, pc.Detail = "ok", host+" limited to the target's .pc files (PKG_CONFIG_LIBDIR=/usr/lib/"+triple+"/pkgconfig:…), host libraries hidden"
		} else {
			pc.Status, pc.Detail = "missing", "no pkg-config: packages with #cgo pkg-config lines will not build"
			pc.Fix = "apt-get install pkg-config"
		}
	}
	return pc
}

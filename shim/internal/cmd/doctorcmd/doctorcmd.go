// Package doctorcmd is gox doctor: check what building for a target needs, and say what is missing.
// Its usage and help live with the code (Command); the front door runs
// it with the session.
package doctorcmd

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/gox-build/gox/cache"
	"github.com/gox-build/gox/shim/cmdline"
	"github.com/gox-build/gox/shim/internal/base"
	"github.com/gox-build/gox/shim/plan"
	"github.com/gox-build/gox/shim/project"
	"github.com/gox-build/gox/toolchain"
	"github.com/gox-build/gox/toolchain/compilers"
	"github.com/gox-build/gox/toolchain/runners"
)

// check is one row of gox doctor: a hidden dependency of building for a
// target, its state and the fix.
type check struct {
	Name   string    `json:"name"`
	Status rowStatus `json:"status"`
	Detail string    `json:"detail"`
	Fix    string    `json:"fix,omitempty"`
	// Required rows decide whether the target is ready.
	Required bool `json:"required"`
}

// rowStatus is a doctor row's state; its value is the word doctor shows.
type rowStatus string

const (
	statusOK      rowStatus = "ok"
	statusMissing rowStatus = "missing" // not there; the fix says how to get it
	statusWrong   rowStatus = "wrong"   // there, and broken: what gox would do would fail
	statusNA      rowStatus = "n/a"     // does not apply to this target
)

// Report is what gox knows of one target's readiness.
type Report struct {
	Target string `json:"target"`
	Ready  bool   `json:"ready"`
	// Gaps are the rows that are not ok though the target is usable
	// (a C++ compiler, pkg-config): the headline names them.
	Gaps   []string `json:"gaps,omitempty"`
	Checks []check  `json:"checks"`
}

// Inspect is doctor's report on one target, for gox setup to end with.
func Inspect(p *plan.Planner, ce *plan.CrossEnv, t toolchain.Target) Report {
	return (&session{p}).inspect(ce, t)
}

// inspect checks one target's hidden dependencies. For a cross target it
// gathers the facts of a go test for the target exactly as a go command's
// plan gathers them (Planner.GatherFacts), and decides the plans of a build and a
// test from them: each row reads those facts or those plans, so doctor
// shows what a command would do, found the one way gox finds it.
func (s *session) inspect(ce *plan.CrossEnv, t toolchain.Target) Report {
	h := plan.ThisHost()
	r := Report{Target: t.String()}
	r.Checks = append(r.Checks, hostCheck(ce.Go))
	port, _ := ce.Facts.Port(t.GOOS, t.GOARCH)
	goRow := check{Name: "go", Required: true}
	if err := ce.Facts.CheckTarget(t); err != nil {
		goRow.Status, goRow.Detail = statusMissing, err.Error()
		if h := base.Hints(err); len(h) > 0 {
			goRow.Fix = h[0]
		}
		r.Checks = append(r.Checks, goRow)
		return r.judged()
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
	goRow.Status = statusOK
	goRow.Detail = fmt.Sprintf("%s builds %s (%s)", ce.Facts.GoVersion, t.Port(), strings.Join(traits, ", "))
	r.Checks = append(r.Checks, goRow)

	if t.Port() == h.Port() {
		r.Checks = append(r.Checks, check{Name: "C compiler", Status: statusOK, Detail: "native target: the go command's own C compiler (" + base.OrDefault(ce.Settings.Get("CC"), "gcc") + ")"})
		rf := plan.RunnerFacts{Runner: s.RunnerIn(t, ce.GoRoot(), ce.State, s.Env, "")}
		r.Checks = append(r.Checks, runnerChecks(t, rf, nil)...)
		return r.judged()
	}
	row, ps := s.projectCheck(ce, t)
	if row != nil {
		r.Checks = append(r.Checks, *row)
	}
	test := cmdline.Line{Sub: "test", Target: t.String()}
	f, err := s.GatherFacts(ce.Go, test, false)
	if err != nil {
		r.Checks = append(r.Checks, check{Name: "facts", Status: statusWrong, Detail: err.Error(), Required: true})
		return r.judged()
	}
	testPlan, testErr := plan.Decide(test, f)
	buildPlan, buildErr := plan.Decide(cmdline.Line{Sub: "build", Target: t.String()}, f)
	env := s.Env
	if ps != nil {
		env = plan.ApplyChanges(env, ps.Changes)
	}

	ccRow := check{Name: "C compiler", Required: port.CgoSupported || compilers.MustLinkExternal(t.GOOS, t.GOARCH)}
	comp, tried := f.C.Compiler, f.C.Tried
	switch {
	case !ccRow.Required:
		ccRow.Status, ccRow.Detail = statusNA, t.Port()+" has no cgo; pure Go needs no C compiler"
	case comp != nil:
		p := tried[len(tried)-1].Probe
		ccRow.Status = statusOK
		ccRow.Detail = fmt.Sprintf("%s (%s; %s), probe: %s executable", comp.CCString(), p.Path, p.Version, p.Got.Machine)
		if comp.Explicit() {
			ccRow.Detail += "; " + comp.Source()
		}
		if p.Got.Float != "" {
			ccRow.Detail += ", " + p.Got.Float + "-float ABI"
		}
	case len(tried) == 0:
		ccRow.Status, ccRow.Detail = statusWrong, "not looked for: "+errText(buildErr, "the target's settings are wrong")
	default:
		ccRow.Status = statusMissing
		if len(tried) == 1 && tried[0].Compiler.Explicit() && !tried[0].Probe.NotFound {
			ccRow.Status = statusWrong
		}
		var why []string
		for _, tr := range tried {
			why = append(why, tr.Compiler.CCString()+": "+tr.Probe.Problem)
		}
		ccRow.Detail = strings.Join(why, "; ")
		ccRow.Fix = plan.InstallHint(ce.Distro, t)
		if ccRow.Status == statusWrong {
			ccRow.Fix = "unset " + tried[0].Compiler.Var + " or point it at a compiler for " + t.Port() + "; " + ccRow.Fix
		}
	}
	r.Checks = append(r.Checks, ccRow)

	if comp != nil {
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
			cxx.Status, cxx.Detail = statusOK, comp.CXXString()+" ("+path+")"
		case comp.Explicit():
			cxx.Status, cxx.Detail = statusMissing, "no C++ compiler goes with "+comp.Source()+": packages with C++ files will not link"
			cxx.Fix = "name one beside it (cxx in gox.toml, CXX, or GOX_CXX_" + t.GOOS + "_" + t.GOARCH + ")"
		default:
			cxx.Status, cxx.Detail = statusMissing, "no C++ compiler for "+triple+": packages with C++ files will not link"
			if pk := toolchain.CompilerPackages(ce.Distro, triple, true); len(pk) > 1 {
				cxx.Fix = "apt-get install " + pk[1]
			}
		}
		r.Checks = append(r.Checks, cxx)
		settings := project.Apply(f.Settings, ps)
		r.Checks = append(r.Checks, pkgConfigCheck(triple, settings, func(name string) (string, bool) { return toolchain.LookPath(env, name) }))
		r.Checks = append(r.Checks, sysrootCheck(f))
	}

	if f.Runner != nil {
		r.Checks = append(r.Checks, runnerChecks(t, *f.Runner, planOrNil(testPlan, testErr))...)
	}
	if buildErr == nil {
		r.Checks = append(r.Checks, cacheCheck(buildPlan))
	}
	return r.judged()
}

func errText(err error, def string) string {
	if err != nil {
		return err.Error()
	}
	return def
}

func planOrNil(p plan.Plan, err error) *plan.Plan {
	if err != nil {
		return nil
	}
	return &p
}

// judged sets the report's verdict: ready when every row is ok (or does
// not apply); NOT READY when a required row is not ok or any row is
// wrong; otherwise usable, with the missing rows named as gaps.
func (r Report) judged() Report {
	r.Ready = true
	r.Gaps = nil
	for _, c := range r.Checks {
		switch {
		case c.Status == statusOK || c.Status == statusNA:
		case c.Required || c.Status == statusWrong:
			r.Ready = false
		default:
			r.Gaps = append(r.Gaps, c.Name)
		}
	}
	return r
}

// Headline is the report's first line.
func (r Report) Headline() string {
	switch {
	case !r.Ready:
		return "NOT READY"
	case len(r.Gaps) > 0:
		return "usable, missing: " + strings.Join(r.Gaps, ", ")
	}
	return "ready"
}

// sysrootCheck is doctor's row for what identifies the C headers and
// libraries in the build cache's key: the compiler's own search lists.
func sysrootCheck(f plan.Facts) check {
	row := check{Name: "sysroot", Status: statusOK}
	if f.SysrootErr != nil {
		row.Status, row.Detail = statusWrong, "the compiler's search directories are unknown: "+f.SysrootErr.Error()
		return row
	}
	if len(f.Sysroot) == 0 {
		row.Status, row.Detail = statusNA, "the build has no cgo"
		return row
	}
	shown := f.Sysroot
	if len(shown) > 3 {
		shown = shown[:3]
	}
	row.Detail = fmt.Sprintf("%d directories the compiler searches (%s", len(f.Sysroot), strings.Join(shown, ", "))
	if len(f.Sysroot) > len(shown) {
		row.Detail += ", …"
	}
	row.Detail += ") key the build cache"
	return row
}

// runnerChecks are doctor's rows for running the target's binaries (go
// test, go run): the runner, the route the test plan takes, gox's Wine
// prefix, and for qemu the loader prefix its dynamic binaries get.
func runnerChecks(t toolchain.Target, rf plan.RunnerFacts, test *plan.Plan) []check {
	r := rf.Runner
	row := check{Name: "runner", Status: statusOK, Detail: string(r.Kind) + ": " + r.Detail}
	if r.Kind == runners.RunNone {
		row.Status, row.Detail, row.Fix = statusMissing, r.Detail, r.Fix
		return []check{row}
	}
	out := []check{row, routeCheck(t, rf, test)}
	if r.Kind == runners.RunWine && rf.Wine != nil {
		pr := check{Name: "wine prefix", Status: statusOK}
		switch w := rf.Wine; {
		case rf.WineErr != nil:
			pr.Status, pr.Detail = statusWrong, rf.WineErr.Error()
		case rf.WineReady:
			pr.Detail = w.Dir
		case w.MinGW == "":
			pr.Status, pr.Detail = statusMissing, "not prepared yet, and no "+runners.MinGWFor(t.GOARCH)+" to build the bcryptprimitives.dll Wine 8 lacks"
			pr.Fix = "gox setup " + t.String()
		default:
			pr.Detail = w.Dir + " is prepared on first use (about 10 s), or now by gox setup " + t.String()
		}
		out = append(out, pr)
	}
	if lp := rf.LoaderPrefix; lp != nil {
		pr := check{Name: "loader prefix", Status: statusOK, Required: true}
		switch {
		case lp.Unprobed:
			pr.Status, pr.Detail = statusNA, lp.Why
		case !lp.OK:
			pr.Status, pr.Detail = statusWrong, lp.Why
			pr.Fix = "install the target's C library, or remove a second copy of it of another revision; gox doctor -refresh probes again"
		case lp.Prefix == "":
			pr.Detail = "none needed: the host's multiarch loader and libraries run a dynamic cgo probe"
		default:
			pr.Detail = "-L " + lp.Prefix + ": a dynamic cgo probe runs under it"
		}
		out = append(out, pr)
	}
	return out
}

// projectCheck is doctor's row for the project's gox.toml as it applies
// to t (nil when there is none or it has nothing for t), and the settings
// it contributes.
func (s *session) projectCheck(ce *plan.CrossEnv, t toolchain.Target) (*check, *project.Settings) {
	if ce.ProjectErr != nil {
		return &check{Name: "gox.toml", Status: statusWrong, Detail: ce.ProjectErr.Error(), Required: true}, nil
	}
	pf := ce.Project
	if pf == nil {
		return nil, nil
	}
	ps, err := project.For(pf, t, s.Env, plan.ThisHost().GOOS)
	if err != nil {
		row := &check{Name: "gox.toml", Status: statusWrong, Detail: err.Error(), Required: true}
		if h := base.Hints(err); len(h) > 0 {
			row.Fix = h[0]
		}
		return row, nil
	}
	if ps == nil {
		return &check{Name: "gox.toml", Status: statusOK, Detail: pf.File.Path + ": nothing for " + t.String()}, nil
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
	return &check{Name: "gox.toml", Status: statusOK, Detail: detail}, ps
}

// routeCheck is doctor's row for how go test reaches the runner, as the
// test plan has it: the host's binfmt_misc, gox's user namespace, or an
// exec wrapper, and why.
func routeCheck(t toolchain.Target, rf plan.RunnerFacts, test *plan.Plan) check {
	row := check{Name: "route", Status: statusOK}
	name := plan.ExecName(t.GOOS, t.GOARCH)
	r := rf.Runner
	switch {
	case r.Kind == runners.RunNative:
		row.Detail = "native: go test runs them itself"
	case r.Kind == runners.RunBinfmt:
		row.Detail = "host binfmt: the kernel runs them directly (go test caches results)"
	case r.Kind == runners.RunUser:
		row.Detail = "exec wrapper " + name + " running your GOX_RUNNER_" + t.GOOS + "_" + t.GOARCH + " (go test does not cache results)"
	case rf.UserWrapper != "":
		row.Detail = "your exec wrapper " + rf.UserWrapper + " (go test does not cache results)"
	case test == nil:
		row.Status, row.Detail = statusNA, "no plan for go test"
	case test.Namespace != nil:
		row.Detail = "gox namespace: a private user namespace with its own binfmt_misc (Linux 6.7+, no root, no exec wrapper: go test caches results)"
	default:
		why := "gox's namespace route is for qemu, Wine and gox-wasi runners"
		if ns := rf.Namespace; ns != nil && !ns.OK {
			why = "the namespace route is unavailable: " + ns.Why
		}
		row.Detail = "exec wrapper " + name + ": go test does not cache results (" + why + ")"
	}
	return row
}

// cacheCheck is doctor's row for the target's build cache, as a build's
// plan has it: where it is, its size, and whether gox can write it.
func cacheCheck(p plan.Plan) check {
	row := check{Name: "build cache", Status: statusOK}
	if p.Cache == nil {
		row.Detail = base.OrDefault(p.CacheWhy, "the go command's own")
		return row
	}
	dir := filepath.Join(p.Cache.Root, p.Cache.ID.DirName())
	if _, err := os.Stat(filepath.Join(dir, cache.MetaFile)); err == nil {
		row.Detail = dir + " (" + base.HumanSize(cache.DirSize(dir)) + ")"
	} else {
		row.Detail = dir + " (made by the first build)"
	}
	if err := writable(p.Cache.Root); err != nil {
		row.Status, row.Detail = statusWrong, p.Cache.Root+" is not writable: "+err.Error()
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

type doctorFlags struct {
	json    bool
	refresh bool
	targets []string
}

// targetsFlag declares a repeatable -target flag.
func targetsFlag(fs *flag.FlagSet, into *[]string) {
	fs.Func("target", "target (repeatable; os/arch[/variant], triple or alias)", func(v string) error {
		*into = append(*into, v)
		return nil
	})
}

// Command is gox doctor.
func Command() *base.Command {
	return base.NewCommand(base.Command{
		Name:      "doctor",
		UsageLine: "doctor [-json] [-refresh] [-target T ...] [TARGET ...]",
		Short:     "check what building for a target needs, and say what is missing",
		Long: `
Doctor checks, for each target, the dependencies a cross build hides: that
the real go supports the port, the C compiler gox would use (found, and
proven by compiling and linking a probe program for the target), the C++
compiler, pkg-config, the sysroot, the runner that go test and go run use
(native, binfmt_misc, qemu-user, node) and, for qemu, the loader prefix
its dynamically linked binaries get (chosen by running a cgo probe). Each row is ok, missing, wrong or
n/a, with the exact fix.

Every row reads the facts a go test for the target gathers and the plan
gox decides from them, so doctor shows what a command would do. Those
facts are probed once and kept, each under everything it depends on;
-refresh probes every one of them again (and keeps the new answers).

Targets are given with -target (repeatable, or comma-separated) or as
arguments; with none, doctor checks the target the environment selects.

A target is ready when every row is ok or n/a; usable, with the rows
named, when only rows nothing requires are missing (a C++ compiler,
pkg-config); NOT READY when a required row is not ok (the go row, the C
compiler where the port needs one, the loader prefix) or any row is
wrong. Doctor exits 0 when no target is NOT READY, and 1 otherwise.
`,
	}, func(fs *flag.FlagSet, f *doctorFlags) {
		fs.BoolVar(&f.json, "json", false, "print JSON")
		fs.BoolVar(&f.refresh, "refresh", false, "probe every fact again")
		targetsFlag(fs, &f.targets)
	}, runDoctor)
}

func runDoctor(b *base.Session, f *doctorFlags, args []string) int {
	s := &session{&plan.Planner{Session: b}}
	s.Refresh = f.refresh
	ce, targets, err := s.CrossTargets(append(f.targets, args...))
	if err != nil {
		return s.Fail(err)
	}
	var reports []Report
	ready := true
	for _, t := range targets {
		r := s.inspect(ce, t)
		reports = append(reports, r)
		ready = ready && r.Ready
	}
	if f.json {
		out, _ := json.MarshalIndent(reports, "", "\t")
		fmt.Fprintf(s.Stdout, "%s\n", out)
	} else {
		for i, r := range reports {
			if i > 0 {
				fmt.Fprintln(s.Stdout)
			}
			fmt.Fprintf(s.Stdout, "%s: %s\n", r.Target, r.Headline())
			tw := tabwriter.NewWriter(s.Stdout, 0, 4, 2, ' ', 0)
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
	yours := compilers.UserPkgConfig(settings)
	program := settings.Get("PKG_CONFIG")
	if program == "" {
		program = "pkg-config"
	}
	switch path, ok := lookPath(triple + "-pkg-config"); {
	case len(yours) > 0:
		pc.Status, pc.Detail = statusOK, "set by you: "+strings.Join(yours, " ")
		if _, ok := lookPath(program); !ok {
			pc.Status, pc.Detail = statusMissing, program+" is not on PATH (set by you: "+strings.Join(yours, " ")+")"
		}
	case ok:
		pc.Status, pc.Detail = statusOK, path
	default:
		if host, ok := lookPath(program); ok {
			pc.Status, pc.Detail = statusOK, host+" limited to the target's .pc files (PKG_CONFIG_LIBDIR=/usr/lib/"+triple+"/pkgconfig:…), host libraries hidden"
		} else {
			pc.Status, pc.Detail = statusMissing, "no pkg-config: packages with #cgo pkg-config lines will not build"
			pc.Fix = "apt-get install pkg-config"
		}
	}
	return pc
}

// hostCheck is doctor's row for the host.
func hostCheck(g toolchain.GoCommand) check {
	h := plan.HostFacts(g)
	v := toolchain.JudgeHost(h)
	row := check{Name: "host", Status: statusOK, Required: true}
	if v.Problem {
		row.Status, row.Detail, row.Fix = statusWrong, v.Message, v.Fix
		return row
	}
	row.Detail = h.OS + "/" + base.OrDefault(h.Machine, "?") + ", go is " + base.OrDefault(v.DefaultGOARCH, "?") + " (native)"
	return row
}

// session is the run's planner, which this command asks for what a go
// command for a target would get.
type session struct{ *plan.Planner }

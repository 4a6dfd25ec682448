package runner

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/gox-build/gox/shim/internal/base"

	"github.com/gox-build/gox/shim/internal/proc"
	"github.com/gox-build/gox/shim/plan"
	"github.com/gox-build/gox/toolchain"
	"github.com/gox-build/gox/toolchain/compilers"
	"github.com/gox-build/gox/toolchain/objfile"
	"github.com/gox-build/gox/toolchain/runners"
)

// run is gox run as go_<goos>_<goarch>_exec BINARY ARGS...: it runs
// a foreign binary the way the target's runner says, replacing itself with
// the emulator so that exit codes and signals are the binary's own. It
// writes nothing of its own in normal operation: go test -json consumers
// see the test's output only.
func (s *session) run(goos, goarch string, args []string) int {
	name := plan.ExecName(goos, goarch)
	if len(args) == 0 {
		fmt.Fprintf(s.Stderr, "usage: %s BINARY [ARGS...]\n", name)
		return 2
	}
	t := toolchain.Target{GOOS: goos, GOARCH: goarch}
	st, err := toolchain.OpenState(s.Env, false)
	if err != nil {
		return s.Fail(err)
	}
	// The wrapper directory stays on the program's PATH on purpose: a test
	// that runs go itself (go test -gcflags=-m, testscript suites) inherits
	// GOOS/GOARCH, and its nested go must find the runner too.
	env := s.Env.WithoutPrefix(toolchain.InternalPrefix)
	goroot := ""
	g, gerr := s.RealGo()
	if gerr == nil {
		goroot = g.Root
	}
	r := s.RunnerFor(t, goroot, st)
	bin := args[0]
	var argv []string
	switch r.Kind {
	case runners.RunNone:
		return s.Fail(&base.Error{What: name, Err: fmt.Errorf("cannot run %s binaries here: %s", t.Port(), r.Detail), Hints: plan.NonEmpty(r.Fix)})
	case runners.RunNative, runners.RunBinfmt:
		argv = args
		if r.Kind == runners.RunBinfmt {
			if info, err := objfile.ReadObjectInfo(bin); err == nil && info.Interp != "" && env.Get("QEMU_LD_PREFIX") == "" {
				if lp, ok := s.loaderPrefix(g, gerr, t, r, st); ok && lp != "" {
					env = env.With("QEMU_LD_PREFIX", lp)
				}
			}
		}
	case runners.RunQemu:
		argv = []string{r.Cmd[0]}
		if info, err := objfile.ReadObjectInfo(bin); err == nil && info.Interp != "" && env.Get("QEMU_LD_PREFIX") == "" {
			lp, ok := s.loaderPrefix(g, gerr, t, r, st)
			if !ok {
				return s.Fail(noLoaderError(name, bin, lp, t))
			}
			if lp != "" {
				argv = append(argv, "-L", lp)
			}
		}
		argv = append(argv, args...)
	case runners.RunWine:
		w, err := s.WinePrefix(t, r, st)
		if err == nil {
			err = s.PrepareWine(w)
		}
		if err != nil {
			return s.Fail(err)
		}
		w.StartServer(env)
		env = w.Env(env)
		argv = append([]string{r.Cmd[0]}, args...)
	default:
		argv = append(append([]string(nil), r.Cmd...), args...)
		// A user's qemu that names no loader prefix gets gox's for
		// dynamic binaries too (Runner.Emulator).
		if r.Emulator != "" && env.Get("QEMU_LD_PREFIX") == "" {
			if info, err := objfile.ReadObjectInfo(bin); err == nil && info.Interp != "" {
				lp, ok := s.loaderPrefix(g, gerr, t, r, st)
				if !ok {
					return s.Fail(noLoaderError(name, bin, lp, t))
				}
				if lp != "" {
					env = env.With("QEMU_LD_PREFIX", lp)
				}
			}
		}
	}
	path, ok := toolchain.LookPath(env, argv[0])
	if !ok {
		if abs, err := filepath.Abs(argv[0]); err == nil {
			path = abs
		}
	}
	// qemu writes a core file into the current directory, and says so on
	// stderr, when the guest dies of a signal; the go command reports the
	// signal itself, so neither is wanted.
	proc.NoCoreDumps()
	if r.Kind != runners.RunNative && r.Kind != runners.RunBinfmt {
		if d := testTimeout(args[1:]); d > 0 {
			return s.runWithDeadline(name, bin, path, argv, env, d, graceFor(d, env.Get("GOX_DEADLINE_GRACE")))
		}
	}
	err = proc.Exec(path, argv, env)
	return s.Fail(&base.Error{What: name, Err: fmt.Errorf("exec %s: %v", path, err)})
}

// loaderPrefix returns the -L prefix for t's dynamic binaries, or the
// reason there is none (ok false): the plan's verdict when the go command
// was started by a gox plan, else probed with the go settings of the
// environment (a go command the user runs by hand, a nested one).
func (s *session) loaderPrefix(g toolchain.GoCommand, gerr error, t toolchain.Target, r runners.Runner, st toolchain.State) (string, bool) {
	if v, ok := s.Env.Lookup(plan.LoaderVar(t)); ok {
		if p, ok := strings.CutPrefix(v, "ok:"); ok {
			return p, true
		}
		return strings.TrimPrefix(v, "no:"), false
	}
	if gerr != nil {
		return gerr.Error(), false
	}
	settings := toolchain.LoadGoSettings(s.Env, g.Root)
	h := plan.ThisHost()
	comp, tried := compilers.FindCompiler(compilers.CompilerCandidates(t, settings, h.GOOS, h.GOARCH), t, s.Env, st)
	lp := s.ProbeLoaderPrefix(plan.PrefixQuestion{Go: g, Target: t, Runner: r, State: st, Compiler: comp, CCVersion: plan.ChosenVersion(comp, tried), Settings: settings, Env: s.Env})
	if !lp.OK {
		return lp.Why, false
	}
	return lp.Prefix, true
}

// noLoaderError says that no loader prefix runs a dynamic binary.
func noLoaderError(name, bin, why string, t toolchain.Target) error {
	return &base.Error{What: name, Err: fmt.Errorf("cannot run the dynamically linked %s: %s", bin, why),
		Hints: []string{"gox doctor -target " + t.String() + " shows the loader prefixes tried"}}
}

// testTimeout is the -test.timeout go test gives a test binary, or 0
// (go run, or -timeout 0).
func testTimeout(args []string) time.Duration {
	for _, a := range args {
		if v, ok := strings.CutPrefix(a, "-test.timeout="); ok {
			d, err := time.ParseDuration(v)
			if err == nil && d > 0 {
				return d
			}
		}
	}
	return 0
}

// deadlineGrace is how long gox's runner waits after a test binary's
// -test.timeout before it sends SIGTERM (term), and after that before
// SIGKILL (kill).
type deadlineGrace struct{ term, kill time.Duration }

// graceFor gives the test's own timeout panic time to print its goroutine
// dump first: a tenth of the timeout, between 5 s and a minute, then 5 s
// for SIGTERM. GOX_DEADLINE_GRACE (a duration, e.g. 200ms) sets both, for
// tests of gox and impatient CI; a value that does not parse is ignored.
func graceFor(timeout time.Duration, setting string) deadlineGrace {
	if d, err := time.ParseDuration(setting); err == nil && d >= 0 {
		return deadlineGrace{term: d, kill: d}
	}
	return deadlineGrace{term: min(max(timeout/10, 5*time.Second), time.Minute), kill: 5 * time.Second}
}

package shim

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gox-build/gox/shim/internal/base"
	"github.com/gox-build/gox/shim/internal/proc"
	"github.com/gox-build/gox/toolchain"
	"github.com/gox-build/gox/toolchain/objfile"
)

// execName is the name the go command looks for on PATH to run a foreign
// binary (cmd/go/internal/work.FindExecCmd): go_<goos>_<goarch>_exec.
func execName(goos, goarch string) string { return "go_" + goos + "_" + goarch + "_exec" }

// parseExecName reads goos and goarch back from an exec wrapper's name.
func parseExecName(name string) (goos, goarch string, ok bool) {
	rest, ok := strings.CutPrefix(name, "go_")
	if !ok {
		return "", "", false
	}
	rest, ok = strings.CutSuffix(rest, "_exec")
	if !ok {
		return "", "", false
	}
	goos, goarch, ok = strings.Cut(rest, "_")
	return goos, goarch, ok && goos != "" && goarch != "" && !strings.Contains(goarch, "_")
}

// runnerFacts probes what choosing a runner for t needs.
func (s *session) runnerFor(t toolchain.Target, goroot string, st toolchain.State) toolchain.Runner {
	return s.runnerIn(t, goroot, st, s.Env, "")
}

// runnerIn chooses the runner with env's GOX_RUNNER_<goos>_<goarch>,
// which came from userFrom when that is not "".
func (s *session) runnerIn(t toolchain.Target, goroot string, st toolchain.State, env toolchain.Env, userFrom string) toolchain.Runner {
	h := thisHost()
	var user []string
	if v := env.Get("GOX_RUNNER_" + t.GOOS + "_" + t.GOARCH); v != "" {
		user, _ = toolchain.SplitQuoted(v)
	}
	in := toolchain.RunnerInput{
		Target: t, HostGOOS: h.goos, HostGOARCH: h.goarch, User: user, UserFrom: userFrom, GOROOT: goroot,
		LookPath: func(name string) (string, bool) { return toolchain.LookPath(s.Env, name) },
		Distro:   toolchain.HostDistro(),
	}
	if t.GOOS == "wasip1" {
		in.WasiHelper = s.wasiHelper()
	}
	if len(user) == 0 && t.GOOS == h.goos && t.GOOS == "linux" {
		in.NativeOK = toolchain.NativeRuns(h.goarch, t.GOARCH, st)
		if !in.NativeOK {
			in.Binfmt = toolchain.FindBinfmt("/proc/sys/fs/binfmt_misc", t.GOARCH)
		}
	}
	return toolchain.ChooseRunner(in)
}

// wasiHelper finds gox-wasi next to this gox binary, else on PATH.
func (s *session) wasiHelper() string {
	name := "gox-wasi"
	if self, err := base.SelfBinary(); err == nil {
		p := filepath.Join(filepath.Dir(self), name)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p
		}
	}
	p, _ := toolchain.LookPath(s.Env, name)
	return p
}

// wrapperLink is a directory of gox's own holding only a
// go_<goos>_<goarch>_exec link to this gox binary. Put first on the real
// go's PATH, it makes go test and go run hand foreign binaries to gox's
// runner without touching the command line.
type wrapperLink struct {
	Dir, Name, Self string
}

// wrapperFor names the wrapper directory for the gox binary self.
func wrapperFor(stateDir, self, goos, goarch string) wrapperLink {
	return wrapperLink{Dir: filepath.Join(stateDir, "exec", toolchain.HashKey(self)), Name: execName(goos, goarch), Self: self}
}

// make creates the link unless it is there already.
func (w wrapperLink) make() error {
	link := filepath.Join(w.Dir, w.Name)
	if target, err := os.Readlink(link); err == nil && target == w.Self {
		return nil
	}
	if err := os.MkdirAll(w.Dir, 0o755); err != nil {
		return &toolchain.Error{What: "runner", Err: err}
	}
	tmp := fmt.Sprintf("%s.tmp-%d", link, os.Getpid())
	os.Remove(tmp)
	if err := os.Symlink(w.Self, tmp); err != nil {
		return &toolchain.Error{What: "runner", Err: err}
	}
	if err := os.Rename(tmp, link); err != nil {
		os.Remove(tmp)
		return &toolchain.Error{What: "runner", Err: err}
	}
	return nil
}

// runRunner is gox run as go_<goos>_<goarch>_exec BINARY ARGS...: it runs
// a foreign binary the way the target's runner says, replacing itself with
// the emulator so that exit codes and signals are the binary's own. It
// writes nothing of its own in normal operation: go test -json consumers
// see the test's output only.
func (s *session) runRunner(goos, goarch string, args []string) int {
	name := execName(goos, goarch)
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
	r := s.runnerFor(t, goroot, st)
	bin := args[0]
	var argv []string
	switch r.Kind {
	case toolchain.RunNone:
		return s.Fail(&toolchain.Error{What: name, Err: fmt.Errorf("cannot run %s binaries here: %s", t.Port(), r.Detail), Hints: nonEmpty(r.Fix)})
	case toolchain.RunNative, toolchain.RunBinfmt:
		argv = args
		if r.Kind == toolchain.RunBinfmt {
			if info, err := objfile.ReadObjectInfo(bin); err == nil && info.Interp != "" && env.Get("QEMU_LD_PREFIX") == "" {
				if lp, ok := s.loaderPrefix(g, gerr, t, r, st); ok && lp != "" {
					env = env.With("QEMU_LD_PREFIX", lp)
				}
			}
		}
	case toolchain.RunQemu:
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
	case toolchain.RunWine:
		w, err := s.winePrefix(t, r, st)
		if err == nil {
			err = s.prepareWine(w)
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
	if r.Kind != toolchain.RunNative && r.Kind != toolchain.RunBinfmt {
		if d := testTimeout(args[1:]); d > 0 {
			return s.runWithDeadline(name, bin, path, argv, env, d, graceFor(d, env.Get("GOX_DEADLINE_GRACE")))
		}
	}
	err = proc.Exec(path, argv, env)
	return s.Fail(&toolchain.Error{What: name, Err: fmt.Errorf("exec %s: %v", path, err)})
}

// prepareWine makes the Wine prefix w ready, saying so on stderr when
// that takes time.
func (s *session) prepareWine(w toolchain.WinePrefix) error {
	return w.Prepare(s.Env, func() {
		fmt.Fprintf(s.Stderr, "gox: preparing a Wine prefix for windows binaries in %s (once, takes a few seconds)\n", w.Dir)
	})
}

// winePrefix is gox's Wine prefix for the wine runner r.
func (s *session) winePrefix(t toolchain.Target, r toolchain.Runner, st toolchain.State) (toolchain.WinePrefix, error) {
	mingw, _ := toolchain.LookPath(s.Env, toolchain.MinGWFor(t.GOARCH))
	w, err := toolchain.NewWinePrefix(st.Dir, r.Cmd[0], t.GOARCH, mingw)
	if err != nil {
		return w, &toolchain.Error{What: "wine", Err: err}
	}
	return w, nil
}

// loaderVar carries the plan's loader-prefix verdict to gox's exec
// wrapper: "ok:PREFIX" or "no:WHY". The plan found it with the project's
// settings; the wrapper, run by the go command, cannot see them.
func loaderVar(t toolchain.Target) string {
	return toolchain.InternalPrefix + "LOADER_" + t.GOOS + "_" + t.GOARCH
}

// encodeLoader is a verdict as loaderVar carries it.
func encodeLoader(lp toolchain.LoaderPrefix) string {
	if lp.OK {
		return "ok:" + lp.Prefix
	}
	return "no:" + lp.Why
}

// loaderPrefix returns the -L prefix for t's dynamic binaries, or the
// reason there is none (ok false): the plan's verdict when the go command
// was started by a gox plan, else probed with the go settings of the
// environment (a go command the user runs by hand, a nested one).
func (s *session) loaderPrefix(g toolchain.GoCommand, gerr error, t toolchain.Target, r toolchain.Runner, st toolchain.State) (string, bool) {
	if v, ok := s.Env.Lookup(loaderVar(t)); ok {
		if p, ok := strings.CutPrefix(v, "ok:"); ok {
			return p, true
		}
		return strings.TrimPrefix(v, "no:"), false
	}
	if gerr != nil {
		return gerr.Error(), false
	}
	settings := toolchain.LoadGoSettings(s.Env, g.Root)
	h := thisHost()
	comp, tried := toolchain.FindCompiler(toolchain.CompilerCandidates(t, settings, h.goos, h.goarch), t, s.Env, st)
	lp := s.probeLoaderPrefix(prefixQuestion{g: g, t: t, r: r, st: st, comp: comp, ccVersion: chosenVersion(comp, tried), settings: settings, env: s.Env})
	if !lp.OK {
		return lp.Why, false
	}
	return lp.Prefix, true
}

// noLoaderError says that no loader prefix runs a dynamic binary.
func noLoaderError(name, bin, why string, t toolchain.Target) error {
	return &toolchain.Error{What: name, Err: fmt.Errorf("cannot run the dynamically linked %s: %s", bin, why),
		Hints: []string{"gox doctor -target " + t.String() + " shows the loader prefixes tried"}}
}

// prefixQuestion is what asking for a target's loader prefix takes: the
// runner, the compiler the plan chose and the settings and project it
// chose it under.
type prefixQuestion struct {
	g         toolchain.GoCommand
	t         toolchain.Target
	r         toolchain.Runner
	st        toolchain.State
	comp      *toolchain.CCompiler
	ccVersion string
	settings  toolchain.GoSettings
	env       toolchain.Env
	pf        *projectFacts
	ps        *projectSettings
}

// probeLoaderPrefix finds (recorded, else probed) the loader prefix of the
// target's dynamic cgo binaries under the runner's emulator: the one place
// gox asks it. The probe program runs what it links, so it is built
// without a sysroot an untrusted gox.toml names (that sysroot is never a
// candidate either); a verdict learned with a project's sysroot or
// compiler names the project in its key.
func (s *session) probeLoaderPrefix(q prefixQuestion) toolchain.LoaderPrefix {
	t := q.t
	qemu := ""
	if q.r.Emulator != "" {
		qemu = q.r.Emulator
	} else if q.r.Kind == toolchain.RunQemu && len(q.r.Cmd) > 0 {
		qemu = q.r.Cmd[0]
	} else if qa := toolchain.QemuArch(t.GOARCH); qa != "" {
		qemu, _ = toolchain.LookPath(s.Env, "qemu-"+qa)
	}
	if qemu == "" {
		return toolchain.LoaderPrefix{Why: "no qemu to probe with"}
	}
	in := toolchain.PrefixProbe{Go: q.g, Target: t, Qemu: qemu, Env: q.env}
	if q.comp != nil {
		c := *q.comp
		if q.ps != nil && q.ps.Sysroot != "" && !q.pf.Trusted {
			c.CC, c.CXX = withoutSysroot(c.CC, q.ps.Sysroot), withoutSysroot(c.CXX, q.ps.Sysroot)
		} else if q.ps != nil && (q.ps.Sysroot != "" || q.ps.CC != nil) {
			in.Project = q.pf.File.Path + " sha256:" + q.pf.File.Sum
		}
		in.Compiler = &c
		in.Sysroot = toolchain.SysrootOfArgs(c.CC)
		in.BuildEnv = func() toolchain.Env { return s.probeBuildEnv(q, &c) }
	}
	return toolchain.ProbeLoaderPrefix(in, q.st)
}

// probeBuildEnv builds the loader-prefix probe into the build cache a
// cross build with comp uses (gox's per-target one), never the go
// command's default one.
func (s *session) probeBuildEnv(q prefixQuestion, comp *toolchain.CCompiler) toolchain.Env {
	if _, route, _ := cacheIdentity(cacheInput{Settings: q.settings}); route != cacheOwnDir || q.st.ReadOnly {
		return q.env
	}
	facts, err := toolchain.LoadGoFacts(q.g, s.Env, q.st)
	if err != nil {
		return q.env
	}
	in := cacheInput{Target: q.t, GoVersion: facts.GoVersion, Cgo: true, Compiler: comp, CCVersion: q.ccVersion, Settings: q.settings}
	dirs, pr, err := sysrootIdentity(comp, q.t, q.settings, q.env, q.st)
	if err != nil {
		return q.env
	}
	in.Sysroot, in.Fingerprint = dirs, pr.Local
	if dir, _, err := targetCache(in, q.st); err == nil && dir != "" {
		return q.env.With("GOCACHE", dir)
	}
	return q.env
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
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

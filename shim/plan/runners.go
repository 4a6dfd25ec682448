package plan

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gox-build/gox/shim/internal/base"
	"github.com/gox-build/gox/shim/project"
	"github.com/gox-build/gox/toolchain"
	"github.com/gox-build/gox/toolchain/compilers"
	"github.com/gox-build/gox/toolchain/runners"
)

// ExecName is the name the go command looks for on PATH to run a foreign
// binary (cmd/go/internal/work.FindExecCmd): go_<goos>_<goarch>_exec.
func ExecName(goos, goarch string) string { return "go_" + goos + "_" + goarch + "_exec" }

// ParseExecName reads goos and goarch back from an exec wrapper's name.
func ParseExecName(name string) (goos, goarch string, ok bool) {
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
func (s *Planner) RunnerFor(t toolchain.Target, goroot string, st toolchain.State) runners.Runner {
	return s.RunnerIn(t, goroot, st, s.Env, "")
}

// RunnerIn chooses the runner with env's GOX_RUNNER_<goos>_<goarch>,
// which came from userFrom when that is not "".
func (s *Planner) RunnerIn(t toolchain.Target, goroot string, st toolchain.State, env toolchain.Env, userFrom string) runners.Runner {
	h := ThisHost()
	var user []string
	if v := env.Get("GOX_RUNNER_" + t.GOOS + "_" + t.GOARCH); v != "" {
		user, _ = toolchain.SplitQuoted(v)
	}
	in := runners.RunnerInput{
		Target: t, HostGOOS: h.GOOS, HostGOARCH: h.GOARCH, User: user, UserFrom: userFrom, GOROOT: goroot,
		LookPath: func(name string) (string, bool) { return toolchain.LookPath(s.Env, name) },
		Distro:   toolchain.HostDistro(),
	}
	if t.GOOS == "wasip1" {
		in.WasiHelper = s.wasiHelper()
	}
	if len(user) == 0 && t.GOOS == h.GOOS && t.GOOS == "linux" {
		in.NativeOK = runners.NativeRuns(h.GOARCH, t.GOARCH, st)
		if !in.NativeOK {
			in.Binfmt = runners.FindBinfmt(runners.BinfmtDir, t.GOARCH)
		}
	}
	return runners.ChooseRunner(in)
}

// wasiHelper finds gox-wasi next to this gox binary, else on PATH.
func (s *Planner) wasiHelper() string {
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

// WrapperLink is a directory of gox's own holding only a
// go_<goos>_<goarch>_exec link to this gox binary. Put first on the real
// go's PATH, it makes go test and go run hand foreign binaries to gox's
// runner without touching the command line.
type WrapperLink struct {
	Dir, Name, Self string
}

// wrapperFor names the wrapper directory for the gox binary self.
func wrapperFor(stateDir, self, goos, goarch string) WrapperLink {
	return WrapperLink{Dir: filepath.Join(stateDir, "exec", toolchain.HashKey(self)), Name: ExecName(goos, goarch), Self: self}
}

// Make creates the link unless it is there already.
func (w WrapperLink) Make() error {
	link := filepath.Join(w.Dir, w.Name)
	if target, err := os.Readlink(link); err == nil && target == w.Self {
		return nil
	}
	if err := os.MkdirAll(w.Dir, 0o755); err != nil {
		return &base.Error{What: "runner", Err: err}
	}
	tmp := fmt.Sprintf("%s.tmp-%d", link, os.Getpid())
	os.Remove(tmp)
	if err := os.Symlink(w.Self, tmp); err != nil {
		return &base.Error{What: "runner", Err: err}
	}
	if err := os.Rename(tmp, link); err != nil {
		os.Remove(tmp)
		return &base.Error{What: "runner", Err: err}
	}
	return nil
}

// PrepareWine makes the Wine prefix w ready, saying so on stderr when
// that takes time.
func (s *Planner) PrepareWine(w runners.WinePrefix) error {
	return w.Prepare(s.Env, func() {
		fmt.Fprintf(s.Stderr, "gox: preparing a Wine prefix for windows binaries in %s (once, takes a few seconds)\n", w.Dir)
	})
}

// WinePrefix is gox's Wine prefix for the wine runner r.
func (s *Planner) WinePrefix(t toolchain.Target, r runners.Runner, st toolchain.State) (runners.WinePrefix, error) {
	mingw, _ := toolchain.LookPath(s.Env, runners.MinGWFor(t.GOARCH))
	w, err := runners.NewWinePrefix(st.Dir, r.Cmd[0], t.GOARCH, mingw)
	if err != nil {
		return w, &base.Error{What: "wine", Err: err}
	}
	return w, nil
}

// LoaderVar carries the plan's loader-prefix verdict to gox's exec
// wrapper: "ok:PREFIX" or "no:WHY". The plan found it with the project's
// settings; the wrapper, run by the go command, cannot see them.
func LoaderVar(t toolchain.Target) string {
	return toolchain.InternalPrefix + "LOADER_" + t.GOOS + "_" + t.GOARCH
}

// encodeLoader is a verdict as LoaderVar carries it.
func encodeLoader(lp runners.LoaderPrefix) string {
	if lp.OK {
		return "ok:" + lp.Prefix
	}
	return "no:" + lp.Why
}

// PrefixQuestion is what asking for a target's loader prefix takes: the
// runner, the compiler the plan chose and the settings and project it
// chose it under.
type PrefixQuestion struct {
	Go        toolchain.GoCommand
	Target    toolchain.Target
	Runner    runners.Runner
	State     toolchain.State
	Compiler  *compilers.CCompiler
	CCVersion string
	Settings  toolchain.GoSettings
	Env       toolchain.Env
	pf        *project.Facts
	ps        *project.Settings
}

// ProbeLoaderPrefix finds (recorded, else probed) the loader prefix of the
// target's dynamic cgo binaries under the runner's emulator: the one place
// gox asks it. The probe program runs what it links, so it is built
// without a sysroot an untrusted gox.toml names (that sysroot is never a
// candidate either); a verdict learned with a project's sysroot or
// compiler names the project in its key.
func (s *Planner) ProbeLoaderPrefix(q PrefixQuestion) runners.LoaderPrefix {
	t := q.Target
	qemu := ""
	switch {
	case q.Runner.Binfmt != nil:
		// the kernel's registration runs the probe, as it runs the tests
	case q.Runner.Emulator != "":
		qemu = q.Runner.Emulator
	case q.Runner.Kind == runners.RunQemu && len(q.Runner.Cmd) > 0:
		qemu = q.Runner.Cmd[0]
	default:
		if qa := toolchain.QemuArch(t.GOARCH); qa != "" {
			qemu, _ = toolchain.LookPath(s.Env, "qemu-"+qa)
		}
		if qemu == "" {
			return runners.LoaderPrefix{Why: "no qemu to probe with"}
		}
	}
	in := runners.PrefixProbe{Go: q.Go, Target: t, Qemu: qemu, Binfmt: q.Runner.Binfmt, Env: q.Env}
	if q.Compiler != nil {
		c := *q.Compiler
		if q.ps != nil && q.ps.Sysroot != "" && !q.pf.Trusted {
			c.CC, c.CXX = project.WithoutSysroot(c.CC, q.ps.Sysroot), project.WithoutSysroot(c.CXX, q.ps.Sysroot)
		} else if q.ps != nil && (q.ps.Sysroot != "" || q.ps.CC != nil) {
			in.Project = q.pf.File.Path + " sha256:" + q.pf.File.Sum
		}
		in.Compiler = &c
		in.Sysroot = runners.SysrootOfArgs(c.CC)
		in.BuildEnv = func() toolchain.Env { return s.probeBuildEnv(q, &c) }
	}
	return runners.ProbeLoaderPrefix(in, q.State)
}

// probeBuildEnv builds the loader-prefix probe into the build cache a
// cross build with comp uses (gox's per-target one), never the go
// command's default one.
func (s *Planner) probeBuildEnv(q PrefixQuestion, comp *compilers.CCompiler) toolchain.Env {
	if _, route, _ := cacheIdentity(cacheInput{Settings: q.Settings}); route != cacheOwnDir || q.State.ReadOnly {
		return q.Env
	}
	facts, err := toolchain.LoadGoFacts(q.Go, s.Env, q.State)
	if err != nil {
		return q.Env
	}
	in := cacheInput{Target: q.Target, GoVersion: facts.GoVersion, Cgo: true, Compiler: comp, CCVersion: q.CCVersion, Settings: q.Settings}
	dirs, pr, err := sysrootIdentity(comp, q.Target, q.Settings, q.Env, q.State)
	if err != nil {
		return q.Env
	}
	in.Sysroot, in.Fingerprint = dirs, pr.Local
	if dir, _, err := targetCache(in, q.State); err == nil && dir != "" {
		return q.Env.With("GOCACHE", dir)
	}
	return q.Env
}

func NonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

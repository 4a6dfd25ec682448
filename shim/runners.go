package shim

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gox-build/gox/shim/internal/base"
	"github.com/gox-build/gox/toolchain"
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

package scripttest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/gox-build/gox/toolchain"
	"github.com/gox-build/gox/toolchain/compilers"
	"github.com/gox-build/gox/toolchain/runners"
)

// Config says where the pieces of a gox test run are.
type Config struct {
	// Gox is the gox binary under test.
	Gox string
	// RealGo is the real go command.
	RealGo string
	// CacheDir holds GOCACHE and GOMODCACHE for every script of the run,
	// so that scripts share compiled packages but never touch the user's.
	CacheDir string
}

// Setup returns a testscript Params.Setup function that gives each script
// the environment described in the package documentation.
func Setup(c Config) func(*testscript.Env) error {
	return func(e *testscript.Env) error {
		home := filepath.Join(e.WorkDir, "home")
		shimDir := filepath.Join(e.WorkDir, ".shim")
		for _, d := range []string{home, shimDir} {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return err
			}
		}
		shim := filepath.Join(shimDir, "go")
		if err := os.Symlink(c.Gox, shim); err != nil {
			return err
		}
		e.Setenv("HOME", home)
		e.Setenv("GOCACHE", filepath.Join(c.CacheDir, "gocache"))
		e.Setenv("GOMODCACHE", filepath.Join(c.CacheDir, "gomodcache"))
		e.Setenv("GOFLAGS", "-modcacherw")
		e.Setenv("GOTOOLCHAIN", "local")
		for _, v := range []string{"GOPROXY", "GOSUMDB", "GONOSUMDB", "GOPRIVATE"} {
			if val := os.Getenv(v); val != "" {
				e.Setenv(v, val)
			}
		}
		e.Setenv("GOX", c.Gox)
		// zig keeps the libc it builds for each target here, across runs
		// (it would go under HOME, which is the script's own).
		e.Setenv("ZIG_GLOBAL_CACHE_DIR", filepath.Join(c.CacheDir, "zig"))
		// ASUSER_CACHE holds nobody's HOME and caches, for asuser.
		e.Setenv("ASUSER_CACHE", UserCacheDir())
		// HOSTOS and HOSTARCH are the platform the suite runs on, for
		// what a script expects of a native build.
		e.Setenv("HOSTOS", runtime.GOOS)
		e.Setenv("HOSTARCH", runtime.GOARCH)
		// UID is the user's id, for paths gox derives from it.
		e.Setenv("UID", strconv.Itoa(os.Getuid()))
		// FREEPORT is a loopback TCP port nothing listened on a moment
		// ago, for a server a script starts: a fixed port would meet a
		// server another run of the suite left, or one running beside it.
		port, err := freePort()
		if err != nil {
			return err
		}
		e.Setenv("FREEPORT", port)
		e.Setenv("REALGO", c.RealGo)
		e.Setenv("SHIMGO", shim)
		e.Setenv("REALGOBIN", filepath.Dir(c.RealGo))
		// REALGOVERSION is the Go version the suite was built with, which
		// is the real go's: for fetching the same toolchain for another
		// architecture.
		e.Setenv("REALGOVERSION", runtime.Version())
		// HELPERBIN holds the helper commands, for scripts that narrow PATH.
		if p, err := exec.LookPath("status"); err == nil {
			e.Setenv("HELPERBIN", filepath.Dir(p))
		}
		// PLAINPATH has gox and the real go but no go shim: for scripts
		// that set up the shim themselves.
		e.Setenv("PLAINPATH", strings.Join(append([]string{filepath.Dir(c.Gox), filepath.Dir(c.RealGo)},
			filepath.SplitList(e.Getenv("PATH"))...), string(filepath.ListSeparator)))
		path := []string{shimDir, filepath.Dir(c.Gox), filepath.Dir(c.RealGo)}
		path = append(path, filepath.SplitList(e.Getenv("PATH"))...)
		e.Setenv("PATH", strings.Join(path, string(filepath.ListSeparator)))
		return nil
	}
}

// Condition answers the suite's custom conditions:
//
//	[cc:TARGET]  gox finds a working C compiler for TARGET here
//	[root]       the tests run as root
//	[binfmt]     root, and binfmt_misc is mounted or can be mounted
//	[wine:GOARCH] Wine runs windows/GOARCH binaries here
//	[userns]     gox's namespace route works here: an unprivileged user
//	             namespace may mount binfmt_misc (Linux 6.7+, and user
//	             namespaces not refused)
//	[hostbinfmt:GOARCH] the kernel runs linux/GOARCH binaries itself
//	             through a binfmt_misc registration (a distribution's
//	             qemu-user-static, or gox's), so gox's plans take the
//	             kernel route instead of its exec wrapper
//	[multiarch:GOARCH] the host has linux/GOARCH's own C library
//	             (Debian's libc6:GOARCH), so the loader-prefix verdict
//	             may be "none needed"
//
// An unknown condition, or a target that does not parse, is an error, not
// false. Under CI (CI=true), a missing compiler is an error too: CI
// installs them, and a script must never skip there in silence.
func Condition(c Config) func(cond string) (bool, error) {
	var (
		usernsOnce sync.Once
		userns     bool
	)
	return func(cond string) (bool, error) {
		name, arg, _ := strings.Cut(cond, ":")
		switch name {
		case "userns":
			usernsOnce.Do(func() {
				probe := exec.Command(c.Gox, "-probe")
				probe.Args[0] = "gox-nsrun"
				probe.SysProcAttr = runners.OuterNamespace(os.Getuid(), os.Getgid())
				userns = runners.NamespaceSupported && probe.Run() == nil
			})
			return userns, nil
		case "root":
			return os.Geteuid() == 0, nil
		case "binfmt":
			// binfmt_misc is usable: root, and mounted or mountable (some
			// containers forbid it; FACTS.md says this kind of machine
			// allows it).
			if os.Geteuid() != 0 {
				return false, nil
			}
			return runners.MountBinfmt(runners.BinfmtDir) == nil, nil
		case "hostbinfmt":
			if toolchain.QemuArch(arg) == "" {
				return false, fmt.Errorf("hostbinfmt:%s: no emulator is known for that GOARCH", arg)
			}
			return runners.FindBinfmt(runners.BinfmtDir, arg) != nil, nil
		case "multiarch":
			// the host has the target's own (multiarch) C library, as
			// libc6:arm64 installs it: a dynamic binary may then run with
			// no loader prefix, and the cross libc's may wedge it
			t, err := toolchain.ParseTarget("linux/"+arg, runtime.GOOS)
			if err != nil {
				return false, err
			}
			for _, tr := range t.Triples() {
				for _, dir := range []string{"/lib", "/usr/lib"} {
					if _, err := os.Stat(filepath.Join(dir, tr, "libc.so.6")); err == nil {
						return true, nil
					}
				}
			}
			return false, nil
		case "wine":
			r := runners.ChooseRunner(runners.RunnerInput{
				Target: toolchain.Target{GOOS: "windows", GOARCH: arg}, HostGOOS: runtime.GOOS, HostGOARCH: runtime.GOARCH,
				LookPath: func(name string) (string, bool) { return toolchain.LookPath(toolchain.Env(os.Environ()), name) },
			})
			if r.Kind != runners.RunWine && os.Getenv("CI") != "" && arg == "amd64" {
				return false, fmt.Errorf("CI has no Wine for windows/amd64 (%s); .ci/run must install it", r.Detail)
			}
			return r.Kind == runners.RunWine, nil
		case "cc":
			t, err := toolchain.ParseTarget(arg, runtime.GOOS)
			if err != nil {
				return false, err
			}
			env := toolchain.Env(os.Environ())
			settings := toolchain.GoSettings{Env: env.Without("CC").Without("CXX")}
			comp, tried := compilers.FindCompiler(compilers.CompilerCandidates(t, settings, runtime.GOOS, runtime.GOARCH), t, env, toolchain.State{Dir: filepath.Join(c.CacheDir, "cond-probes")})
			if comp == nil && os.Getenv("CI") != "" {
				var why []string
				for _, tr := range tried {
					why = append(why, tr.Compiler.CCString()+": "+tr.Probe.Problem)
				}
				return false, fmt.Errorf("CI has no C compiler for %s (%s); .ci/run must install it", t, strings.Join(why, "; "))
			}
			return comp != nil, nil
		}
		return false, fmt.Errorf("unknown condition %q", cond)
	}
}

// WarmJob is one target whose standard packages WarmCache compiles.
type WarmJob struct {
	Target   string
	Packages []string
	// AsUser builds into the unprivileged user's cache (asuser's) as
	// that user, when the suite runs as root.
	AsUser bool
}

// WarmCache builds each job's packages (and runtime/cgo where gox turns
// cgo on) for its target through gox into the suite's shared GOCACHE, at
// most parallel targets at a time, so that the scripts, which run in
// parallel, find them compiled instead of each compiling the same runtime
// for the same target at once. A target gox cannot build here (no C
// compiler, say) is built as far as it goes: the scripts that need it skip
// or fail on their own terms. It returns how long each target took.
func WarmCache(c Config, jobs []WarmJob, parallel int) map[string]time.Duration {
	home, err := os.MkdirTemp("", "gox-warm-")
	if err != nil {
		return nil
	}
	defer os.RemoveAll(home)
	env := append(os.Environ(),
		"HOME="+home,
		"GOCACHE="+filepath.Join(c.CacheDir, "gocache"),
		"GOMODCACHE="+filepath.Join(c.CacheDir, "gomodcache"),
		"GOFLAGS=-modcacherw",
		"GOTOOLCHAIN=local",
		"PATH="+strings.Join([]string{filepath.Dir(c.Gox), filepath.Dir(c.RealGo), os.Getenv("PATH")}, string(filepath.ListSeparator)),
	)
	var (
		mu    sync.Mutex
		took  = map[string]time.Duration{}
		sem   = make(chan struct{}, max(parallel, 1))
		group sync.WaitGroup
	)
	for _, j := range jobs {
		group.Add(1)
		go func() {
			defer group.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			start := time.Now()
			pkgs := j.Packages
			cgo := exec.Command(c.Gox, "env", "-target", j.Target, "CGO_ENABLED")
			cgo.Dir, cgo.Env = home, env
			if out, err := cgo.Output(); err == nil && strings.TrimSpace(string(out)) == "1" {
				pkgs = append(pkgs[:len(pkgs):len(pkgs)], "runtime/cgo")
			}
			cmd := exec.Command(c.Gox, append([]string{"build", "-target", j.Target}, pkgs...)...)
			cmd.Dir = home
			cmd.Env = env
			if j.AsUser && os.Geteuid() == 0 {
				dir := UserCacheDir()
				if prepareUserDir(dir) != nil {
					return
				}
				cmd.Dir = os.TempDir()
				cmd.Env = asUserEnv(env, dir)
				cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: UnprivilegedID, Gid: UnprivilegedID, Groups: []uint32{}}}
			}
			_ = cmd.Run()
			mu.Lock()
			name := j.Target
			if j.AsUser {
				name += " as nobody"
			}
			took[name] = time.Since(start).Round(time.Millisecond)
			mu.Unlock()
		}()
	}
	group.Wait()
	return took
}

// freePort is a loopback TCP port the kernel just handed out and took back.
func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("finding a free port: %w", err)
	}
	defer l.Close()
	return strconv.Itoa(l.Addr().(*net.TCPAddr).Port), nil
}

package testscript_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	goxscript "github.com/gox-build/gox/internal/scripttest"
	"github.com/gox-build/gox/toolchain"
	"github.com/gox-build/gox/toolchain/runners"

	// The scripts run a gox built from this checkout by go build, which the
	// go command's test cache cannot see: importing gox's packages makes a
	// change to them a change to this test binary, so results are never
	// reused across source changes.
	_ "github.com/gox-build/gox/internal/wasi"
	_ "github.com/gox-build/gox/shim"
)

func TestMain(m *testing.M) {
	testscript.Main(m, goxscript.Commands())
}

func TestScripts(t *testing.T) {
	removeStaleDistro(t)
	realGo, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	realGo, err = filepath.Abs(realGo)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	gox := filepath.Join(dir, "bin", "gox")
	// gox and its wasip1 runner, side by side as go install puts them.
	build := exec.Command(realGo, "build", "-o", filepath.Dir(gox)+string(filepath.Separator), "github.com/gox-build/gox/cmd/gox", "github.com/gox-build/gox/cmd/gox-wasi")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		t.Fatalf("building gox: %v", err)
	}
	// Scripts run gox as an unprivileged user too (asuser): let others
	// reach it through the test's private temporary directories.
	for d := filepath.Dir(gox); d != filepath.Dir(dir); d = filepath.Dir(d) {
		_ = os.Chmod(d, 0o755)
	}
	_ = os.Chmod(filepath.Dir(dir), 0o711)
	cfg := goxscript.Config{Gox: gox, RealGo: realGo, CacheDir: suiteCache(t)}
	// Compile the standard packages every script needs once per target,
	// up to the cores in parallel, before the scripts start.
	start := time.Now()
	took := goxscript.WarmCache(cfg, warmJobs(testing.Short()), runtime.GOMAXPROCS(0))
	t.Logf("warmed the shared build cache for %d targets in %v: %v", len(took), time.Since(start).Round(time.Millisecond), took)
	if os.Getenv("GOX_TEST_WARM_ONLY") != "" {
		// .ci/run does this while apt installs the cross toolchains: what
		// needs no C compiler is compiled by then.
		t.Skip("GOX_TEST_WARM_ONLY is set: the cache is warm; no script runs")
	}
	params := func(dir string) testscript.Params {
		return testscript.Params{
			Dir:                 dir,
			RequireExplicitExec: true,
			RequireUniqueNames:  true,
			Setup:               goxscript.Setup(cfg),
			Condition:           goxscript.Condition(cfg),
		}
	}
	// The scripts run in parallel; t.Run returns when all have finished.
	t.Run("suite", func(t *testing.T) { testscript.Run(t, params("testdata")) })
	// Scripts that change kernel state every other script depends on
	// (a binfmt_misc registration for arm64, which the suite runs under
	// qemu with a wrapper) run alone, afterwards.
	t.Run("host", func(t *testing.T) {
		const reg = "/proc/sys/fs/binfmt_misc/gox-qemu-aarch64"
		if _, err := os.Stat(reg); err == nil {
			t.Skip("gox-qemu-aarch64 is registered already (by you?): the host scripts would change it")
		}
		t.Cleanup(func() {
			if _, err := os.Stat(reg); err == nil {
				exec.Command(gox, "setup", "-binfmt", "-remove", "linux/arm64").Run()
			}
		})
		// One at a time: each registers gox-qemu-aarch64 and takes it away.
		files, err := filepath.Glob(filepath.Join("testdata", "host", "*.txtar"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			p := params("")
			p.Files = []string{f}
			// testscript.Run starts the script as a parallel subtest, which
			// runs only when its parent returns: a t.Run of its own waits
			// for it before the next one starts.
			t.Run(strings.TrimSuffix(filepath.Base(f), ".txtar"), func(t *testing.T) { testscript.Run(t, p) })
		}
	})
	// The scripts whose runner depends on whether the kernel runs a
	// target's binaries itself pass both ways. The suite above ran them
	// the way this machine is; where it has no registration and one can
	// be made, they run again under registrations made as Debian's
	// qemu-user-static makes them, alone, removed afterwards.
	t.Run("hostbinfmt", func(t *testing.T) {
		if testing.Short() {
			t.Skip("-short: the suite ran them once, the way this machine is")
		}
		for _, d := range distroRegs {
			if runners.FindBinfmt(runners.BinfmtDir, d.goarch) != nil {
				t.Skipf("the kernel runs %s binaries here already: the suite ran these scripts that way", d.goarch)
			}
		}
		if os.Geteuid() != 0 || runners.MountBinfmt(runners.BinfmtDir) != nil {
			t.Skip("registering with binfmt_misc needs root and a mountable binfmt_misc")
		}
		// Debian's registration names /usr/libexec/qemu-binfmt/<arch>-binfmt-P,
		// qemu under another name, with flags PF: the kernel hands it the
		// binary's path and its argv[0], and it takes no -L.
		libexec := filepath.Join(t.TempDir(), "qemu-binfmt")
		if err := os.Mkdir(libexec, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, d := range distroRegs {
			qa := toolchain.QemuArch(d.goarch)
			qemu, err := exec.LookPath("qemu-" + qa)
			if err != nil {
				t.Skipf("no qemu-%s", qa)
			}
			prog := filepath.Join(libexec, qa+"-binfmt-P")
			if err := os.Symlink(qemu, prog); err != nil {
				t.Fatal(err)
			}
			line, err := runners.BinfmtLine(d.name, d.goarch, prog)
			if err != nil {
				t.Fatal(err)
			}
			line = strings.TrimSuffix(line, ":F") + ":PF"
			if err := os.WriteFile(filepath.Join(runners.BinfmtDir, "register"), []byte(line), 0); err != nil {
				t.Fatalf("registering %s: %v", d.name, err)
			}
			t.Cleanup(func() {
				if err := os.WriteFile(filepath.Join(runners.BinfmtDir, d.name), []byte("-1"), 0); err != nil {
					t.Errorf("removing %s: %v", d.name, err)
				}
			})
		}
		p := params("")
		for _, f := range hostBinfmtScripts {
			p.Files = append(p.Files, filepath.Join("testdata", f))
		}
		testscript.Run(t, p)
	})
}

// distroRegs are the registrations the hostbinfmt phase makes, as a
// distribution's qemu-user-static would (it makes one for every arch).
var distroRegs = []struct{ name, goarch string }{
	{"gox-test-distro-aarch64", "arm64"},
	{"gox-test-distro-arm", "arm"},
	{"gox-test-distro-riscv64", "riscv64"},
}

// removeStaleDistro removes distroRegs when a run killed before its
// cleanup (a timeout) left them in the kernel: they are this suite's own,
// and left there they would turn every later run into a host-binfmt run.
func removeStaleDistro(t *testing.T) {
	for _, d := range distroRegs {
		reg := filepath.Join(runners.BinfmtDir, d.name)
		if _, err := os.Stat(reg); err != nil {
			continue
		}
		if err := os.WriteFile(reg, []byte("-1"), 0); err != nil {
			t.Fatalf("a killed run left %s registered, and removing it failed: %v", d.name, err)
		}
		t.Logf("removed %s, left registered by a run killed before its cleanup", d.name)
	}
}

// warmJobs are what the scripts build for most: the testing package's
// dependencies for the targets whose tests run, the runtime for those
// only built.
// With -short only the native and arm64 ones: the scripts for the others
// skip.
func warmJobs(short bool) []goxscript.WarmJob {
	test := []string{"fmt", "bufio", "os/exec", "testing", "testing/internal/testdeps"}
	build := []string{"runtime", "strconv"}
	testTargets := []string{"linux/amd64", "linux/arm64", "windows/amd64", "wasip1/wasm"}
	buildTargets := []string{"linux/arm/v7", "linux/riscv64", "darwin/arm64", "linux/386", "js/wasm"}
	if short {
		testTargets, buildTargets = testTargets[:2], nil
	}
	var jobs []goxscript.WarmJob
	for _, t := range testTargets {
		jobs = append(jobs, goxscript.WarmJob{Target: t, Packages: test})
	}
	if !short {
		// run_userns.txtar tests these as an unprivileged user, with
		// that user's own cache.
		for _, t := range []string{"linux/arm64", "linux/arm/v7", "linux/riscv64"} {
			jobs = append(jobs, goxscript.WarmJob{Target: t, Packages: test, AsUser: true})
		}
	}
	for _, t := range buildTargets {
		jobs = append(jobs, goxscript.WarmJob{Target: t, Packages: build})
	}
	return jobs
}

// hostBinfmtScripts are the scripts whose runner differs when the kernel
// runs the targets' binaries itself (run_kill: gox follows go test on that
// route too, and must not leave it running; gox_doctor: the loader prefix
// is probed through the registration's program, which takes no -L).
var hostBinfmtScripts = []string{"run_qemu.txtar", "gox_doctor.txtar", "run_kill.txtar", "plan_dryrun.txtar"}

// suiteCache is where the suite keeps GOCACHE and GOMODCACHE between runs,
// shared by every script except those that test caching, which make their
// own: GOX_TEST_CACHE, else gox-test in the user's cache directory. It is
// never the user's own GOCACHE, and go clean -cache does not touch it.
func suiteCache(t *testing.T) string {
	if d := os.Getenv("GOX_TEST_CACHE"); d != "" {
		return d
	}
	d, err := os.UserCacheDir()
	if err != nil {
		t.Logf("no user cache directory (%v): the suite's cache lasts one run", err)
		return filepath.Join(t.TempDir(), "cache")
	}
	return filepath.Join(d, "gox-test")
}

// Package setupcmd is gox setup: install the C cross toolchain and emulator a target needs.
// Its usage and help live with the code (Command); the front door runs
// it with the session.
package setupcmd

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"

	"github.com/gox-build/gox/shim/internal/base"
	"github.com/gox-build/gox/shim/internal/cmd/doctorcmd"
	"github.com/gox-build/gox/shim/plan"
	"github.com/gox-build/gox/toolchain"
	"github.com/gox-build/gox/toolchain/runners"
)

type setupFlags struct {
	dryRun bool
	binfmt bool
	remove bool
}

// Command is gox setup.
func Command() *base.Command {
	return base.NewCommand(base.Command{
		Name:      "setup",
		UsageLine: "setup [-n] [-binfmt [-remove]] TARGET ...",
		Short:     "install the C cross toolchain and emulator a target needs",
		Long: `
Setup installs, with the system's package manager, what building and
testing for each target needs and what is not installed yet: the C and
C++ cross compilers, the target's C library headers, and qemu-user for
foreign Linux architectures, and Wine for windows/amd64. It then prepares
gox's own Wine prefix (see gox help run) and checks each target as gox
doctor does.

It knows apt-get (Debian, Ubuntu and their derivatives), and package
names for linux/arm64, linux/arm (v5, v6, v7), linux/riscv64, linux/386,
linux/ppc64le, linux/ppc64, linux/s390x, linux/mips*, linux/amd64/musl,
windows/amd64 and windows/386. It is idempotent: installed packages are
left alone, and with everything installed it installs nothing.

-n prints the commands instead of running them. Without root, setup
prints the command to run with sudo and exits 1.

-binfmt registers qemu-user with the kernel's binfmt_misc (mounting it if
needed; root only) for each foreign Linux target, under the name
gox-qemu-<arch>. The kernel then runs the target's binaries itself: go test
needs no exec wrapper and caches test results again (golang/go#27207),
and gox still gives dynamically linked binaries their loader prefix
(QEMU_LD_PREFIX). -binfmt -remove removes gox's registrations and nothing
else. A registration is kernel state: it lasts until reboot.
`,
	}, func(fs *flag.FlagSet, f *setupFlags) {
		fs.BoolVar(&f.dryRun, "n", false, "print the commands, do not run them")
		fs.BoolVar(&f.binfmt, "binfmt", false, "register qemu-user with binfmt_misc")
		fs.BoolVar(&f.remove, "remove", false, "with -binfmt: remove gox's registrations")
	}, runSetup)
}

// setupPackages lists the packages targets need on distro d (in order,
// without duplicates), or an error naming a target gox cannot set up.
// runs says whether the host runs a Linux GOARCH's binaries itself (the
// runner's own answer, toolchain.NativeRuns): those need no emulator.
func setupPackages(d toolchain.Distro, targets []toolchain.Target, h plan.Host, runs func(goarch string) bool) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	add := func(p ...string) {
		for _, x := range p {
			if !seen[x] {
				seen[x] = true
				out = append(out, x)
			}
		}
	}
	for _, t := range targets {
		if t.Port() == h.Port() && t.Libc == "" {
			continue
		}
		tr := ""
		if trs := t.Triples(); len(trs) > 0 {
			tr = trs[0]
		}
		pkgs := toolchain.CompilerPackages(d, tr, true)
		if len(pkgs) == 0 {
			if d != toolchain.Debian {
				return nil, &base.Error{What: "setup", Err: fmt.Errorf("gox setup knows only apt-get (Debian and Ubuntu)"),
					Hints: []string{plan.InstallHint(d, t)}}
			}
			return nil, &base.Error{What: "setup " + t.String(), Err: fmt.Errorf("no package is known to provide a C toolchain for %s", t.Port()),
				Hints: []string{plan.InstallHint(d, t)}}
		}
		add(pkgs...)
		if t.GOOS == "linux" && h.GOOS == "linux" && !runs(t.GOARCH) {
			add("qemu-user")
		}
		if t.GOOS == "windows" && h.GOOS == "linux" && h.GOARCH == "amd64" {
			switch t.GOARCH {
			case "amd64":
				add("wine", "wine64")
			case "386":
				add("wine", "wine32:i386")
			}
		}
	}
	return out, nil
}

func runSetup(b *base.Session, f *setupFlags, args []string) int {
	s := &session{&plan.Planner{Session: b}}
	if len(args) == 0 {
		return Command().Usage(s.Session, "name at least one target, e.g. gox setup linux/arm64")
	}
	ce, targets, err := s.CrossTargets(args)
	if err != nil {
		return s.Fail(err)
	}
	for _, t := range targets {
		if err := ce.Facts.CheckTarget(t); err != nil {
			return s.Fail(base.UsageError{Err: err})
		}
	}
	if f.remove && !f.binfmt {
		return Command().Usage(s.Session, "-remove goes with -binfmt")
	}
	if f.binfmt {
		return s.setupBinfmt(ce, targets, f.dryRun, f.remove)
	}
	pkgs, err := setupPackages(ce.Distro, targets, plan.ThisHost(), ce.NativeRuns)
	if err != nil {
		return s.Fail(err)
	}
	// The project's own packages for these targets (gox.toml), which
	// need the user's trust like every setting that runs something.
	extra, err := s.ProjectPackages(ce, targets)
	if err != nil {
		return s.Fail(err)
	}
	for _, p := range extra {
		if !slices.Contains(pkgs, p) {
			pkgs = append(pkgs, p)
		}
	}
	missing := notInstalled(pkgs)
	install := [][]string{
		{"apt-get", "update"},
		append([]string{"apt-get", "install", "-y", "--no-install-recommends"}, missing...),
	}
	switch {
	case len(missing) == 0:
		fmt.Fprintf(s.Stdout, "gox: everything is installed: %s\n", strings.Join(pkgs, " "))
	case f.dryRun:
		for _, c := range install {
			fmt.Fprintln(s.Stdout, strings.Join(c, " "))
		}
		return 0
	case os.Geteuid() != 0:
		return s.Fail(&base.Error{What: "setup", Err: fmt.Errorf("installing %s needs root", strings.Join(missing, " ")),
			Hints: []string{"run: sudo " + strings.Join(install[0], " ") + " && sudo " + strings.Join(install[1], " ")}})
	default:
		for _, c := range install {
			fmt.Fprintf(s.Stderr, "gox: %s\n", strings.Join(c, " "))
			cmd := exec.Command(c[0], c[1:]...)
			cmd.Env = append(s.Env.WithoutPrefix(toolchain.InternalPrefix), "DEBIAN_FRONTEND=noninteractive")
			cmd.Stdout, cmd.Stderr = s.Stderr, s.Stderr
			if err := cmd.Run(); err != nil {
				return s.Fail(&base.Error{What: c[0] + " " + c[1], Err: err})
			}
		}
	}
	ready := true
	for _, t := range targets {
		if t.GOOS == "windows" {
			goroot := ce.Go.Root
			if goroot == "" {
				goroot = ce.Facts.GOROOT
			}
			if r := s.RunnerFor(t, goroot, ce.State); r.Kind == runners.RunWine {
				w, err := s.WinePrefix(t, r, ce.State)
				if err == nil {
					err = s.PrepareWine(w)
				}
				if err != nil {
					s.Fail(err)
					ready = false
				}
			}
		}
		r := doctorcmd.Inspect(s.Planner, ce, t)
		state := r.Headline()
		if !r.Ready {
			state += " (see gox doctor " + t.String() + ")"
			ready = false
		}
		fmt.Fprintf(s.Stdout, "gox: %s: %s\n", t, state)
	}
	if !ready {
		return 1
	}
	return 0
}

// notInstalled filters pkgs down to those dpkg does not have installed.
func notInstalled(pkgs []string) []string {
	var out []string
	for _, p := range pkgs {
		b, err := exec.Command("dpkg-query", "-W", "-f=${Status}", p).Output()
		if err != nil || !strings.Contains(string(b), "ok installed") {
			out = append(out, p)
		}
	}
	return out
}

// setupBinfmt registers (or removes) gox's binfmt_misc entries for the
// foreign Linux targets.
func (s *session) setupBinfmt(ce *plan.CrossEnv, targets []toolchain.Target, dryRun, remove bool) int {
	h := plan.ThisHost()
	type job struct {
		t           toolchain.Target
		interpreter string
	}
	var jobs []job
	for _, t := range targets {
		if t.GOOS != "linux" || h.GOOS != "linux" || ce.NativeRuns(t.GOARCH) {
			fmt.Fprintf(s.Stdout, "gox: %s: nothing to register (the host runs it, or it is not Linux)\n", t)
			continue
		}
		qa := toolchain.QemuArch(t.GOARCH)
		if remove {
			jobs = append(jobs, job{t: t})
			continue
		}
		interp := ""
		for _, name := range []string{"qemu-" + qa + "-static", "qemu-" + qa} {
			if p, ok := toolchain.LookPath(s.Env, name); ok {
				interp = p
				break
			}
		}
		if interp == "" {
			return s.Fail(&base.Error{What: "setup -binfmt " + t.String(), Err: fmt.Errorf("qemu-%s is not installed", qa),
				Hints: []string{"gox setup " + t.String() + " installs it"}})
		}
		jobs = append(jobs, job{t, interp})
	}
	if dryRun {
		fmt.Fprintf(s.Stdout, "mount -t binfmt_misc binfmt_misc %s  # unless mounted\n", runners.BinfmtDir)
		for _, j := range jobs {
			if remove {
				fmt.Fprintf(s.Stdout, "echo -1 > %s/%s\n", runners.BinfmtDir, runners.BinfmtName(j.t.GOARCH))
				continue
			}
			line, _ := runners.BinfmtRegistration(j.t.GOARCH, j.interpreter)
			fmt.Fprintf(s.Stdout, "echo '%s' > %s/register\n", line, runners.BinfmtDir)
		}
		return 0
	}
	if len(jobs) == 0 {
		return 0
	}
	if os.Geteuid() != 0 {
		return s.Fail(&base.Error{What: "setup -binfmt", Err: fmt.Errorf("registering with binfmt_misc needs root"),
			Hints: []string{"run: sudo gox setup -binfmt " + targetList(targets)}})
	}
	if err := runners.MountBinfmt(runners.BinfmtDir); err != nil {
		return s.Fail(&base.Error{What: "setup -binfmt", Err: fmt.Errorf("mounting binfmt_misc: %v", err),
			Hints: []string{"in a container, binfmt_misc may need --privileged; go test keeps working through gox's qemu runner without it"}})
	}
	for _, j := range jobs {
		name := runners.BinfmtName(j.t.GOARCH)
		if remove {
			removed, err := runners.UnregisterBinfmt(runners.BinfmtDir, j.t.GOARCH)
			switch {
			case err != nil:
				return s.Fail(&base.Error{What: "setup -binfmt -remove " + j.t.String(), Err: err})
			case removed:
				fmt.Fprintf(s.Stdout, "gox: %s: removed %s\n", j.t, name)
			default:
				fmt.Fprintf(s.Stdout, "gox: %s: %s is not registered\n", j.t, name)
			}
			continue
		}
		already, err := runners.RegisterBinfmt(runners.BinfmtDir, j.t.GOARCH, j.interpreter)
		switch {
		case err != nil:
			return s.Fail(&base.Error{What: "setup -binfmt " + j.t.String(), Err: err})
		case already:
			fmt.Fprintf(s.Stdout, "gox: %s: %s is registered already\n", j.t, name)
		default:
			fmt.Fprintf(s.Stdout, "gox: %s: registered %s (%s): go test runs its binaries without a wrapper and caches results\n", j.t, name, j.interpreter)
		}
	}
	return 0
}

func targetList(ts []toolchain.Target) string {
	var s []string
	for _, t := range ts {
		s = append(s, t.String())
	}
	return strings.Join(s, " ")
}

// session is the run's planner, which this command asks for what a go
// command for a target would get.
type session struct{ *plan.Planner }

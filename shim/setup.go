package shim

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/gox-build/gox/toolchain"
)

type setupFlags struct {
	dryRun bool
}

func setupCommand() *Command {
	return &Command{
		Name:      "setup",
		UsageLine: "setup [-n] TARGET ...",
		Short:     "install the C cross toolchain and emulator a target needs",
		Long: `
Setup installs, with the system's package manager, what building and
testing for each target needs and what is not installed yet: the C and
C++ cross compilers, the target's C library headers, and qemu-user for
foreign Linux architectures. It then checks each target as gox doctor
does.

It knows apt-get (Debian, Ubuntu and their derivatives), and package
names for linux/arm64, linux/arm (v5, v6, v7), linux/riscv64, linux/386,
linux/ppc64le, linux/ppc64, linux/s390x, linux/mips*, linux/amd64/musl,
windows/amd64 and windows/386. It is idempotent: installed packages are
left alone, and with everything installed it installs nothing.

-n prints the commands instead of running them. Without root, setup
prints the command to run with sudo and exits 1.
`,
		Flags: func(fs *flag.FlagSet) any {
			f := &setupFlags{}
			fs.BoolVar(&f.dryRun, "n", false, "print the commands, do not run them")
			return f
		},
		Run: runSetup,
	}
}

// setupPackages lists the packages targets need on distro d (in order,
// without duplicates), or an error naming a target gox cannot set up.
func setupPackages(d toolchain.Distro, targets []toolchain.Target, h host) ([]string, error) {
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
		if t.Port() == h.port() && t.Libc == "" {
			continue
		}
		tr := ""
		if trs := t.Triples(); len(trs) > 0 {
			tr = trs[0]
		}
		pkgs := toolchain.CompilerPackages(d, tr, true)
		if len(pkgs) == 0 {
			if d != "debian" {
				return nil, &toolchain.Error{What: "setup", Err: fmt.Errorf("gox setup knows only apt-get (Debian and Ubuntu)"),
					Hints: []string{toolchain.InstallHint(d, t)}}
			}
			return nil, &toolchain.Error{What: "setup " + t.String(), Err: fmt.Errorf("no package is known to provide a C toolchain for %s", t.Port()),
				Hints: []string{toolchain.InstallHint(d, t)}}
		}
		add(pkgs...)
		if t.GOOS == "linux" && h.goos == "linux" && !hostRuns(h, t.GOARCH) {
			add("qemu-user")
		}
	}
	return out, nil
}

// hostRuns reports whether the host runs goarch's Linux binaries natively.
func hostRuns(h host, goarch string) bool {
	return goarch == h.goarch || h.goarch == "amd64" && goarch == "386" || h.goarch == "arm64" && goarch == "arm"
}

func runSetup(s *session, v any, args []string) int {
	f := v.(*setupFlags)
	if len(args) == 0 {
		return s.usage(lookupCommand("setup"), "name at least one target, e.g. gox setup linux/arm64")
	}
	ce, err := s.loadCrossEnv()
	if err != nil {
		return s.fail(err)
	}
	targets, err := s.parseTargets(ce, args)
	if err != nil {
		return s.fail(err)
	}
	for _, t := range targets {
		if err := ce.facts.CheckTarget(t); err != nil {
			return s.fail(usageError{err})
		}
	}
	pkgs, err := setupPackages(ce.distro, targets, thisHost())
	if err != nil {
		return s.fail(err)
	}
	missing := notInstalled(pkgs)
	install := [][]string{
		{"apt-get", "update"},
		append([]string{"apt-get", "install", "-y", "--no-install-recommends"}, missing...),
	}
	switch {
	case len(missing) == 0:
		fmt.Fprintf(s.stdout, "gox: everything is installed: %s\n", strings.Join(pkgs, " "))
	case f.dryRun:
		for _, c := range install {
			fmt.Fprintln(s.stdout, strings.Join(c, " "))
		}
		return 0
	case os.Geteuid() != 0:
		return s.fail(&toolchain.Error{What: "setup", Err: fmt.Errorf("installing %s needs root", strings.Join(missing, " ")),
			Hints: []string{"run: sudo " + strings.Join(install[0], " ") + " && sudo " + strings.Join(install[1], " ")}})
	default:
		for _, c := range install {
			fmt.Fprintf(s.stderr, "gox: %s\n", strings.Join(c, " "))
			cmd := exec.Command(c[0], c[1:]...)
			cmd.Env = append(s.env.WithoutPrefix(toolchain.InternalPrefix), "DEBIAN_FRONTEND=noninteractive")
			cmd.Stdout, cmd.Stderr = s.stderr, s.stderr
			if err := cmd.Run(); err != nil {
				return s.fail(&toolchain.Error{What: c[0] + " " + c[1], Err: err})
			}
		}
	}
	ready := true
	for _, t := range targets {
		r := s.inspect(ce, t)
		state := "ready"
		if !r.Ready {
			state = "NOT READY (see gox doctor " + t.String() + ")"
			ready = false
		}
		fmt.Fprintf(s.stdout, "gox: %s: %s\n", t, state)
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

package shim

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/gox-build/gox/internal/facts"
	"github.com/gox-build/gox/shim/internal/base"
	"github.com/gox-build/gox/shim/internal/proc"
	"github.com/gox-build/gox/toolchain"
)

// The namespace route runs a go command for an emulated target inside a
// private user and mount namespace with gox's own binfmt_misc
// registrations (see toolchain.OuterNamespace): the kernel runs the
// target's binaries, so go test needs no exec wrapper and caches results,
// and a test binary that runs another foreign binary works. No root is
// needed, and nothing outside the namespace changes.
//
// gox starts itself as nsHelperName in the outer namespace; the helper
// mounts binfmt_misc, registers, and runs the real go in the inner
// namespace, where the user has their own uid again.

// nsHelperName is the name (argv[0]) gox runs as in the outer namespace.
const nsHelperName = "gox-nsrun"

// nsRoute is a plan's namespace: the registrations its binfmt_misc gets.
type nsRoute struct {
	Registrations []string
	// Self is this gox binary, which runs as the helper.
	Self string
}

// nsVerdict is whether the namespace route works here, and why not.
type nsVerdict struct {
	OK  bool   `json:"ok"`
	Why string `json:"why,omitempty"`
}

// namespaceVerdict finds, once per boot, user, user namespace and gox
// binary (the kernel and its policy decide, and the helper is this
// binary), whether gox can make a user namespace with a binfmt_misc
// instance of its own. GOX_NAMESPACE=off says no without probing. self is
// this gox binary, which runs as the helper ("" when unknown).
func (s *session) namespaceVerdict(st toolchain.State, self string) nsVerdict {
	if v := s.Env.Get("GOX_NAMESPACE"); v == "off" || v == "0" {
		return nsVerdict{Why: "GOX_NAMESPACE=" + v}
	}
	if !toolchain.NamespaceSupported {
		return nsVerdict{Why: "binfmt_misc is Linux's"}
	}
	if self == "" {
		return nsVerdict{Why: "gox cannot find its own binary"}
	}
	selfKey, _ := toolchain.FileKey(self)
	// The user namespace gox runs in decides too (a container's, or one
	// whose limits forbid making more).
	userns, _ := os.Readlink("/proc/self/ns/user")
	key := facts.Key{Kind: "namespace", Scope: facts.Host, Inputs: []string{"boot=" + toolchain.BootID(),
		"uid=" + strconv.Itoa(os.Getuid()), "userns=" + userns, "gox=" + selfKey}}
	v, _ := facts.Find(st.Facts(), key, func() (nsVerdict, facts.Outcome) {
		out, err := probeNamespace(self)
		if err != nil {
			return nsVerdict{Why: err.Error()}, out
		}
		return nsVerdict{OK: true}, facts.Settled
	})
	return v
}

// probeNamespace starts the helper in a new namespace to mount
// binfmt_misc and nothing more.
func probeNamespace(self string) (facts.Outcome, error) {
	cmd := exec.Command(self, "-probe")
	cmd.Args[0] = nsHelperName
	cmd.Env = []string{"PATH=/usr/bin:/bin"}
	cmd.SysProcAttr = toolchain.OuterNamespace(os.Getuid(), os.Getgid())
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		// clone(2) refused: no unprivileged user namespaces here (or, with
		// ENOSPC, none left at the moment)
		return facts.OutcomeOf(nil, err), fmt.Errorf("user namespaces are refused: %v", unwrapSyscall(err))
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			how := facts.OutcomeOf(nil, err)
			if msg := strings.TrimSpace(out.String()); msg != "" {
				return how, errors.New(strings.TrimPrefix(msg, "gox: "))
			}
			return how, err
		}
		return facts.Settled, nil
	case <-time.After(5 * time.Second):
		_ = cmd.Process.Kill()
		return facts.Passing, errors.New("the namespace probe did not finish in 5 s")
	}
}

func unwrapSyscall(err error) error {
	var se *os.SyscallError
	if errors.As(err, &se) {
		return se.Err
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// runNamespaceHelper is gox run as nsHelperName, in the outer namespace:
//
//	gox-nsrun -probe
//	gox-nsrun -uid U -gid G [-reg LINE]... -- GO ARGV0 ARGS...
//
// It sets up binfmt_misc and runs GO in the inner namespace, then ends the
// way GO ended.
func (s *session) runNamespaceHelper(args []string) int {
	if len(args) == 1 && args[0] == "-probe" {
		if err := toolchain.SetUpNamespace(nil); err != nil {
			fmt.Fprintf(s.Stderr, "gox: %v\n", unwrapSyscall(err))
			return 1
		}
		return 0
	}
	uid, gid := -1, -1
	var regs []string
	for len(args) > 0 && args[0] != "--" {
		if len(args) < 2 {
			return s.Fail(base.Usagef("%s: bad arguments", nsHelperName))
		}
		var err error
		switch args[0] {
		case "-uid":
			uid, err = strconv.Atoi(args[1])
		case "-gid":
			gid, err = strconv.Atoi(args[1])
		case "-reg":
			regs = append(regs, args[1])
		default:
			err = fmt.Errorf("unknown flag %s", args[0])
		}
		if err != nil {
			return s.Fail(base.Usagef("%s: %v", nsHelperName, err))
		}
		args = args[2:]
	}
	if len(args) < 3 || uid < 0 || gid < 0 {
		return s.Fail(base.Usagef("%s: bad arguments", nsHelperName))
	}
	if err := toolchain.SetUpNamespace(regs); err != nil {
		return s.Fail(&toolchain.Error{What: "namespace", Err: err})
	}
	cmd := exec.Command(args[1], args[3:]...)
	cmd.Args[0] = args[2]
	cmd.Env = s.Env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = s.Stdin, s.Stdout, s.Stderr
	cmd.SysProcAttr = toolchain.InnerNamespace(uid, gid)
	proc.EndWithGox(cmd)
	// The terminal's Ctrl-C reaches go too (one process group); a signal
	// sent to the helper alone is passed on.
	code, err := proc.RunForwarding(cmd)
	if err != nil {
		return s.Fail(&toolchain.Error{What: "namespace", Err: err})
	}
	return code
}

// namespaceCommand is the command that runs the plan's go through the
// helper, in the namespace.
func namespaceCommand(p Plan) *exec.Cmd {
	args := []string{"-uid", strconv.Itoa(os.Getuid()), "-gid", strconv.Itoa(os.Getgid())}
	for _, r := range p.Namespace.Registrations {
		args = append(args, "-reg", r)
	}
	args = append(args, "--", p.Go.Path, p.Args[0])
	args = append(args, p.Args[1:]...)
	cmd := exec.Command(p.Namespace.Self, args...)
	cmd.Args[0] = nsHelperName
	cmd.Env = p.Env
	cmd.SysProcAttr = toolchain.OuterNamespace(os.Getuid(), os.Getgid())
	return cmd
}

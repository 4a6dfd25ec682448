package runner

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"

	"github.com/gox-build/gox/shim/internal/base"
	"github.com/gox-build/gox/shim/internal/proc"
	"github.com/gox-build/gox/shim/plan"
	"github.com/gox-build/gox/toolchain/runners"
)

// The namespace route runs a go command for an emulated target inside a
// private user and mount namespace with gox's own binfmt_misc
// registrations (see toolchain.OuterNamespace): the kernel runs the
// target's binaries, so go test needs no exec wrapper and caches results,
// and a test binary that runs another foreign binary works. No root is
// needed, and nothing outside the namespace changes.
//
// gox starts itself as plan.NsHelperName in the outer namespace; the helper
// mounts binfmt_misc, registers, and runs the real go in the inner
// namespace, where the user has their own uid again.

// namespaceHelper is gox run as plan.NsHelperName, in the outer namespace:
//
//	gox-nsrun -probe
//	gox-nsrun -uid U -gid G [-reg LINE]... -- GO ARGV0 ARGS...
//
// It sets up binfmt_misc and runs GO in the inner namespace, then ends the
// way GO ended.
func (s *session) namespaceHelper(args []string) int {
	if len(args) == 1 && args[0] == "-probe" {
		if err := runners.SetUpNamespace(nil); err != nil {
			fmt.Fprintf(s.Stderr, "gox: %v\n", proc.SyscallErr(err))
			return 1
		}
		return 0
	}
	uid, gid := -1, -1
	var regs []string
	for len(args) > 0 && args[0] != "--" {
		if len(args) < 2 {
			return s.Fail(base.Usagef("%s: bad arguments", plan.NsHelperName))
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
			return s.Fail(base.Usagef("%s: %v", plan.NsHelperName, err))
		}
		args = args[2:]
	}
	if len(args) < 3 || uid < 0 || gid < 0 {
		return s.Fail(base.Usagef("%s: bad arguments", plan.NsHelperName))
	}
	if err := runners.SetUpNamespace(regs); err != nil {
		return s.Fail(&base.Error{What: "namespace", Err: err})
	}
	cmd := exec.Command(args[1], args[3:]...)
	cmd.Args[0] = args[2]
	cmd.Env = s.Env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = s.Stdin, s.Stdout, s.Stderr
	cmd.SysProcAttr = runners.InnerNamespace(uid, gid)
	proc.EndWithGox(cmd)
	// The terminal's Ctrl-C reaches go too (one process group); a signal
	// sent to the helper alone is passed on.
	code, err := proc.RunForwarding(cmd)
	if err != nil {
		return s.Fail(&base.Error{What: "namespace", Err: err})
	}
	return code
}

// NamespaceCommand is the command that runs the plan's go through the
// helper, in the namespace.
func NamespaceCommand(p plan.Plan) *exec.Cmd {
	args := []string{"-uid", strconv.Itoa(os.Getuid()), "-gid", strconv.Itoa(os.Getgid())}
	for _, r := range p.Namespace.Registrations {
		args = append(args, "-reg", r)
	}
	args = append(args, "--", p.Go.Path, p.Args[0])
	args = append(args, p.Args[1:]...)
	cmd := exec.Command(p.Namespace.Self, args...)
	cmd.Args[0] = plan.NsHelperName
	cmd.Env = p.Env
	cmd.SysProcAttr = runners.OuterNamespace(os.Getuid(), os.Getgid())
	return cmd
}

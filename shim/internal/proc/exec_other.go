//go:build !unix

package proc

import (
	"os"
	"os/exec"
)

// ExitLikeChild is the child's exit code: there are no signals to copy.
func ExitLikeChild(st *os.ProcessState) int { return st.ExitCode() }

// Exec runs path as a child and exits with its status: Windows has no
// exec, so this is the best that can be done (cmd/go does the same).
func Exec(path string, argv []string, env []string) error {
	cmd := exec.Command(path, argv[1:]...)
	cmd.Args[0] = argv[0]
	cmd.Env = env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	code, err := RunForwarding(cmd)
	if err != nil {
		return err
	}
	os.Exit(code)
	return nil
}

// NoCoreDumps has nothing to do where there is no RLIMIT_CORE.
func NoCoreDumps() {}

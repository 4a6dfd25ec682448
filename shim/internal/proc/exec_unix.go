//go:build unix

package proc

import (
	"os"
	"syscall"
)

// ExitLikeChild ends gox the way the child ended: with its exit code, or
// killed by the same signal so that a shell sees the same status.
func ExitLikeChild(st *os.ProcessState) int {
	if ws, ok := st.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		sig := ws.Signal()
		resetSignals()
		dieOfSignal(sig)
		return 128 + int(sig)
	}
	return st.ExitCode()
}

// Exec replaces gox with path, as cmd/go does when it switches
// toolchains: signals, the terminal and job control then behave exactly as
// without gox. It returns only on failure.
func Exec(path string, argv []string, env []string) error {
	return syscall.Exec(path, argv, env)
}

// NoCoreDumps sets RLIMIT_CORE to 0 for what gox execs next.
func NoCoreDumps() {
	_ = syscall.Setrlimit(syscall.RLIMIT_CORE, &syscall.Rlimit{Cur: 0, Max: 0})
}

//go:build unix

package shim

import (
	"os"
	"syscall"
)

// execGo replaces gox with the real go, as cmd/go does when it switches
// toolchains: signals, the terminal and job control then behave exactly as
// without gox. It returns only on failure.
func execGo(p Plan) error {
	return syscall.Exec(p.Go.Path, p.Args, p.Env)
}

// exitLikeChild ends gox the way the child ended: with its exit code, or
// killed by the same signal so that a shell sees the same status.
func exitLikeChild(st *os.ProcessState) int {
	if ws, ok := st.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		sig := ws.Signal()
		resetSignals()
		dieOfSignal(sig)
		return 128 + int(sig)
	}
	return st.ExitCode()
}

// execArgv replaces gox with path.
func execArgv(path string, argv []string, env []string) error {
	return syscall.Exec(path, argv, env)
}

// noCoreDumps sets RLIMIT_CORE to 0 for what gox execs next.
func noCoreDumps() {
	_ = syscall.Setrlimit(syscall.RLIMIT_CORE, &syscall.Rlimit{Cur: 0, Max: 0})
}

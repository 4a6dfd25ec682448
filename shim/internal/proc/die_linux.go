package proc

import (
	"os/exec"
	"runtime"
	"syscall"
	"unsafe"
)

// dieOfSignal ends gox by sig with the kernel's default action, so that
// whoever waits for gox sees what it would have seen from the child.
// signal.Reset is not enough: for SIGABRT, SIGQUIT, SIGSEGV and the other
// signals the Go runtime treats as crashes, its "default" is to print
// gox's own goroutine dump and exit 2. So the disposition is set to
// SIG_DFL with rt_sigaction directly: an all-zero kernel sigaction is
// SIG_DFL, no flags, empty mask, whatever the architecture's layout. It
// returns only if gox survived the signal.
func dieOfSignal(sig syscall.Signal) {
	if sig == syscall.SIGKILL || sig == syscall.SIGSTOP {
		// Their action cannot be changed, nor caught by the runtime.
		_ = syscall.Kill(syscall.Getpid(), sig)
		return
	}
	var act [8]uint64
	maskSize := uintptr(8)
	switch runtime.GOARCH {
	case "mips", "mipsle", "mips64", "mips64le":
		maskSize = 16
	}
	if _, _, errno := syscall.RawSyscall6(syscall.SYS_RT_SIGACTION, uintptr(sig), uintptr(unsafe.Pointer(&act)), 0, maskSize, 0, 0); errno != 0 {
		return
	}
	// To this thread first, which runs no Go signal handler now; then to
	// the process, in case this thread blocks it.
	_ = syscall.Tgkill(syscall.Getpid(), syscall.Gettid(), sig)
	_ = syscall.Kill(syscall.Getpid(), sig)
}

// EndWithGox asks the kernel to kill cmd when gox dies, SIGKILL
// included: a go command whose outputs gox verifies must not go on to
// write them unverified, and a go test gox followed must not outlive it.
// (The kernel ties this to the thread that starts cmd, which the Go
// runtime keeps.)
func EndWithGox(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
}

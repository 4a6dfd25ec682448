//go:build unix && !linux

package proc

import (
	"os"
	"syscall"
)

// dieOfSignal ends gox by sig where the Go runtime's default for it is to
// die quietly (SIGINT, SIGTERM, SIGHUP, SIGKILL, SIGPIPE, …). For the
// signals it treats as crashes (SIGABRT, SIGQUIT, SIGSEGV, …) its default
// prints gox's own goroutine dump, so gox returns instead and exits
// 128+sig, which a shell reports alike.
func dieOfSignal(sig syscall.Signal) {
	switch sig {
	case syscall.SIGABRT, syscall.SIGQUIT, syscall.SIGSEGV, syscall.SIGBUS, syscall.SIGFPE,
		syscall.SIGILL, syscall.SIGTRAP, syscall.SIGSYS, syscall.SIGEMT:
		return
	}
	_ = syscall.Kill(os.Getpid(), sig)
}

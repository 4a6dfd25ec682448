// Package proc is how gox starts and ends processes: exec where gox has
// nothing left to do, a child whose signals gox forwards and whose death it
// copies where it has, and the kernel's promise that a child gox follows
// does not outlive it. The parts that differ by system live here so that
// nothing else in gox needs a build tag for them.
package proc

import (
	"errors"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

// Forwarded returns the signals gox passes on to a child instead of dying of
// them. A terminal sends Ctrl-C to the whole foreground process group, so
// the child usually has it already; a signal sent to gox alone (kill, a CI
// runner's timeout) reaches the child only because gox forwards it. gox then
// waits and ends the way the child ended (golang.org/dl does the same, see
// golang/go#36976).
func Forwarded() []os.Signal {
	return []os.Signal{os.Interrupt, syscall.SIGQUIT, syscall.SIGTERM, syscall.SIGHUP}
}

// RunForwarding starts cmd, passes the Forwarded signals on to it until it
// ends, and returns the code to end the way it ended. err is set only when
// cmd could not be started.
func RunForwarding(cmd *exec.Cmd) (int, error) {
	c := make(chan os.Signal, 4)
	signal.Notify(c, Forwarded()...)
	defer signal.Stop(c)
	if err := cmd.Start(); err != nil {
		return 1, err
	}
	done := make(chan struct{})
	go func() {
		for {
			select {
			case sig := <-c:
				_ = cmd.Process.Signal(sig)
			case <-done:
				return
			}
		}
	}()
	_ = cmd.Wait()
	close(done)
	return ExitLikeChild(cmd.ProcessState), nil
}

func resetSignals() { signal.Reset(Forwarded()...) }

// SyscallErr is the errno inside err, for a message that says why a
// process or namespace could not be made without Go's wrapping of it.
func SyscallErr(err error) error {
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

package runners

import (
	"os"
	"os/signal"
	"syscall"
)

// onInterrupt runs cleanup if gox gets SIGINT, SIGTERM or SIGHUP before
// stop is called, and then lets the signal end gox as it would have. It is
// for the few places where gox runs something of its own (a probe) that
// must not outlive it.
func onInterrupt(cleanup func()) (stop func()) {
	sigs := []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}
	c := make(chan os.Signal, 1)
	done := make(chan struct{})
	signal.Notify(c, sigs...)
	go func() {
		select {
		case sig := <-c:
			cleanup()
			signal.Reset(sigs...)
			if p, err := os.FindProcess(os.Getpid()); err == nil {
				_ = p.Signal(sig)
			}
		case <-done:
		}
	}()
	return func() {
		signal.Stop(c)
		close(done)
	}
}

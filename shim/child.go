package shim

import (
	"io"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

// forwarded are the signals gox passes on to a child instead of dying of
// them. A terminal sends Ctrl-C to the whole foreground process group, so
// the child usually has it already; a signal sent to gox alone (kill, a CI
// runner's timeout) reaches the child only because gox forwards it. gox then
// waits and ends the way the child ended (golang.org/dl does the same, see
// golang/go#36976).
var forwarded = []os.Signal{os.Interrupt, syscall.SIGQUIT, syscall.SIGTERM, syscall.SIGHUP}

// runChild runs the plan's go as a child process and returns the exit code
// gox should end with. err is set only when go could not be started.
func runChild(p Plan, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	cmd := exec.Command(p.Go.Path, p.Args[1:]...)
	cmd.Args[0] = p.Args[0]
	cmd.Env = p.Env
	if p.Namespace != nil {
		cmd = namespaceCommand(p)
	}
	endWithGox(cmd)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, stderr
	return runForwarding(cmd)
}

// runForwarding starts cmd, passes the forwarded signals on to it until it
// ends, and returns the code to end the way it ended. err is set only when
// cmd could not be started.
func runForwarding(cmd *exec.Cmd) (int, error) {
	c := make(chan os.Signal, 4)
	signal.Notify(c, forwarded...)
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
	return exitLikeChild(cmd.ProcessState), nil
}

func resetSignals() { signal.Reset(forwarded...) }

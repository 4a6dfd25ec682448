//go:build unix

package runner

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"

	"github.com/gox-build/gox/shim/internal/proc"
)

// runWithDeadline runs a test binary's runner (qemu, wine, a user's) as a
// child in its own process group and ends it if it outlives go test's
// -test.timeout: the test's own timeout panic fires inside the guest, and
// a guest wedged in the emulator never gets there. After the deadline and
// a grace period gox sends SIGTERM to the group, then SIGKILL, and says
// so. Otherwise it behaves as exec would: signals are forwarded, and gox
// ends the way the child did.
func (s *session) runWithDeadline(name, bin, path string, argv, env []string, timeout time.Duration, g deadlineGrace) int {
	cmd := exec.Command(path, argv[1:]...)
	cmd.Args = argv
	cmd.Env = env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = s.Stdin, s.Stdout, s.Stderr
	// go test gives a test binary one pipe for stdout and stderr; qemu's
	// "uncaught target signal" line is taken out of it on the way.
	var filtered chan struct{}
	var pr, pw *os.File
	filter := &NoiseFilter{W: s.Stdout}
	if samePipe(s.Stdout, s.Stderr) {
		var err error
		if pr, pw, err = os.Pipe(); err == nil {
			cmd.Stdout, cmd.Stderr = pw, pw
			filtered = make(chan struct{})
			go func() {
				_, _ = io.Copy(filter, pr)
				close(filtered)
			}()
		}
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, proc.Forwarded()...)
	defer signal.Stop(sigs)
	err := cmd.Start()
	if pw != nil {
		pw.Close()
	}
	if err != nil {
		return s.Fail(fmt.Errorf("%s: exec %s: %v", name, path, err))
	}
	waitOutput := func() {
		if filtered == nil {
			return
		}
		select {
		case <-filtered:
			// qemu's line is the last a guest that died of a signal
			// wrote; a test's own line of the same words passes
			ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
			_ = filter.End(ok && ws.Signaled())
		case <-time.After(2 * time.Second):
			// Something the guest started still holds the pipe.
		}
	}
	started := time.Now()
	deadline := time.NewTimer(timeout + g.term)
	defer deadline.Stop()
	var kill <-chan time.Time
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	pgid := cmd.Process.Pid
	for {
		select {
		case <-done:
			if kill != nil || time.Since(started) >= timeout {
				// The test ran into its deadline: what it started in
				// its group (guests wedged in the emulator, which never
				// see the test's timeout) ends with it.
				_ = syscall.Kill(-pgid, syscall.SIGKILL)
			}
			waitOutput()
			return proc.ExitLikeChild(cmd.ProcessState)
		case sig := <-sigs:
			_ = syscall.Kill(-pgid, sig.(syscall.Signal))
		case <-deadline.C:
			fmt.Fprintf(s.Stderr, "gox: %s: %s is still running %v after its -test.timeout of %v; sending SIGTERM\n", name, bin, g.term, timeout)
			_ = syscall.Kill(-pgid, syscall.SIGTERM)
			kill = time.After(g.kill)
		case <-kill:
			fmt.Fprintf(s.Stderr, "gox: %s: it ignored SIGTERM; killed it (SIGKILL)\n", name)
			_ = syscall.Kill(-pgid, syscall.SIGKILL)
			kill = nil
		}
	}
}

// samePipe reports whether a and b are the same pipe, as go test makes a
// test binary's stdout and stderr. A terminal or a file is left alone.
func samePipe(wa, wb io.Writer) bool {
	a, okA := wa.(*os.File)
	b, okB := wb.(*os.File)
	if !okA || !okB {
		return false
	}
	fa, errA := a.Stat()
	fb, errB := b.Stat()
	return errA == nil && errB == nil && fa.Mode()&os.ModeNamedPipe != 0 && os.SameFile(fa, fb)
}

//go:build unix

package runners

import (
	"os/exec"
	"syscall"
	"time"
)

// ownGroup makes cmd, started with a context, run in a process group of
// its own that is killed whole with SIGKILL when the context ends: a qemu
// wedged in a loader of the wrong revision ignores SIGTERM, and whatever it
// started must go with it. Where the kernel can (Linux), the group leader
// also gets SIGKILL when gox dies, however it dies.
func ownGroup(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true
	setParentDeathSignal(cmd.SysProcAttr)
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = time.Second
}

// killGroup ends cmd's process group, if it was started.
func killGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}

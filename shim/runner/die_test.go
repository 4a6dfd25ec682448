package runner

import (
	"bytes"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gox-build/gox/shim/internal/base"
	"github.com/gox-build/gox/shim/internal/proc"
	"github.com/gox-build/gox/shim/plan"
	"github.com/gox-build/gox/toolchain"
)

// TestMain lets this test binary play the parts of TestRunnerDiesLikeItsChild:
// gox's runner supervising a test binary, and a test binary that crashes.
func TestMain(m *testing.M) {
	switch os.Getenv("GOX_TEST_ROLE") {
	case "crash":
		// As a test binary with GOTRACEBACK=crash dies: its own dump,
		// then SIGABRT.
		debug.SetTraceback("crash")
		var p *int
		_ = *p
	case "runner":
		proc.NoCoreDumps()
		self, _ := os.Executable()
		env := toolchain.Env(os.Environ()).With("GOX_TEST_ROLE", "crash")
		s := &session{&plan.Planner{Session: &base.Session{Env: env, Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}}}
		os.Exit(s.runWithDeadline("go_linux_arm64_exec", self, self, []string{self}, env, time.Minute, deadlineGrace{time.Second, time.Second}))
	}
	os.Exit(m.Run())
}

// TestRunnerDiesLikeItsChild: a test binary that dies of SIGABRT under
// gox's runner must leave go test seeing a death by SIGABRT, never gox's
// own goroutine dump and exit 2 (which the Go runtime's SIGABRT handler
// made of it about one run in three).
func TestRunnerDiesLikeItsChild(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("dieOfSignal resets the handler itself only on Linux")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		cmd := exec.Command(self, "-test.run=^$")
		cmd.Env = toolchain.Env(os.Environ()).With("GOX_TEST_ROLE", "runner")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		_ = cmd.Run()
		ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus)
		if !ws.Signaled() || ws.Signal() != syscall.SIGABRT {
			t.Fatalf("run %d: the runner ended with %v, want death by SIGABRT; output:\n%s", i, cmd.ProcessState, out.String())
		}
		if dump := out.String(); strings.Contains(dump, "runWithDeadline") || strings.Contains(dump, "proc.ExitLikeChild") {
			t.Fatalf("run %d: gox's own dump:\n%s", i, dump)
		}
		if !strings.Contains(out.String(), "TestMain") {
			t.Fatalf("run %d: the crashing binary's dump is missing:\n%s", i, out.String())
		}
	}
}

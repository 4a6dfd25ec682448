// Package shim is gox's front door: it turns an argv and an environment into
// a Plan for the real go command and carries it out.
//
// One binary plays several parts, chosen by the name it was run as (the base
// name of argv[0], ".exe" trimmed), as busybox and testscript do:
//
//   - "go": the transparent shim. Every argument reaches the real go
//     unchanged, and commands gox has nothing to add to replace the gox
//     process with the real go (exec), so output, exit status, signals and
//     the terminal are exactly the real go's.
//   - "go_<goos>_<goarch>_exec": the runner, which the go command calls to
//     run a foreign binary (go test, go run); see package runner.
//   - anything else ("gox"): gox's own commands (help, version, shim) and
//     every go command ("gox build" is "go build").
//
// The real go is found by toolchain.FindGo. Work on the path of every go
// command is kept to a few stat calls: no subprocess, no go.mod parsing and
// no heavy package initialisation happen before the exec.
package shim

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/gox-build/gox/shim/cmdline"
	"github.com/gox-build/gox/shim/internal/base"
	"github.com/gox-build/gox/shim/internal/proc"
	"github.com/gox-build/gox/shim/plan"
	"github.com/gox-build/gox/shim/runner"
	"github.com/gox-build/gox/shim/written"
	"github.com/gox-build/gox/toolchain"
)

// Main runs gox with the given argv and environment and returns the exit
// code. On the exec path it does not return.
func Main(args []string, environ []string, stdin io.Reader, stdout, stderr io.Writer) int {
	s := &session{&plan.Planner{Session: &base.Session{Env: toolchain.Env(environ), Stdin: stdin, Stdout: stdout, Stderr: stderr}}}
	if len(args) == 0 {
		args = []string{"gox"}
	}
	name := progName(args[0])
	if name == "go" {
		return s.runGo(args[1:])
	}
	if name == plan.NsHelperName {
		return runner.NamespaceHelper(s.Session, args[1:])
	}
	if name == plan.QemuLDName {
		return runner.QemuLD(s.Session, args[0], args[1:])
	}
	if goos, goarch, ok := plan.ParseExecName(name); ok {
		return runner.Run(s.Planner, goos, goarch, args[1:])
	}
	return s.runGox(args[1:])
}

// progName is the name gox was run as: the base of argv[0] without ".exe".
func progName(arg0 string) string {
	name := filepath.Base(arg0)
	return strings.TrimSuffix(strings.TrimSuffix(name, ".exe"), ".EXE")
}

// session is this package's view of the run's base.Session.
type session struct{ *plan.Planner }

// runGo is gox run as "go": the go command line is the user's, exactly
// (run as go, gox takes no flags of its own), and gox adds only what a
// cross build needs.
func (s *session) runGo(args []string) int {
	g, err := s.RealGo()
	if err != nil {
		return s.Fail(err)
	}
	line, err := cmdline.Parse(args, cmdline.Options{})
	if err != nil {
		// A command line the go command will refuse: its words, not gox's.
		return s.carryOut(plan.Passthrough(g, args, s.Env))
	}
	p, err := s.Plan(g, line)
	if err != nil {
		return s.Fail(err)
	}
	return s.carryOut(p)
}

// carryOut runs a plan: exec when gox has nothing to do afterwards, a child
// process otherwise.
func (s *session) carryOut(p plan.Plan) int {
	for _, w := range p.Warnings {
		fmt.Fprintln(s.Stderr, w)
	}
	if err := s.Prepare(p); err != nil {
		return s.Fail(err)
	}
	if p.NoCoreDumps {
		proc.NoCoreDumps()
	}
	if !p.Follow {
		err := proc.Exec(p.Go.Path, p.Args, p.Env)
		return s.Fail(&base.Error{What: "exec " + p.Go.Path, Err: err})
	}
	start := time.Now()
	stderr := s.Stderr
	var tail *tailWriter
	if p.Explains() {
		tail = &tailWriter{w: s.Stderr, max: 64 << 10}
		stderr = tail
	}
	stdout := s.Stdout
	var filter *runner.NoiseFilter
	if p.FilterNoise {
		filter = &runner.NoiseFilter{W: s.Stdout, JSON: p.TestJSON}
		stdout = filter
	}
	code, err := runChild(p, s.Stdin, stdout, stderr)
	if filter != nil {
		_ = filter.Flush()
	}
	if err != nil {
		e := &base.Error{What: "run " + p.Go.Path, Err: err}
		if p.Namespace != nil {
			e.What = "namespace"
			e.Hints = []string{"GOX_NAMESPACE=off runs the target's binaries through gox's exec wrapper instead"}
		}
		return s.Fail(e)
	}
	if tail != nil && code != 0 {
		for _, l := range p.Explain(string(tail.buf)) {
			fmt.Fprintln(s.Stderr, l)
		}
	}
	if code == 0 && p.Verify != nil {
		code = written.Report(s.Stderr, p.Verify, start)
	}
	return code
}

// runChild runs the plan's go as a child process and returns the exit code
// gox should end with. err is set only when go could not be started.
func runChild(p plan.Plan, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	cmd := p.Cmd()
	if p.Namespace != nil {
		cmd = runner.NamespaceCommand(p)
	}
	proc.EndWithGox(cmd)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, stderr
	return proc.RunForwarding(cmd)
}

// tailWriter passes writes through and keeps the last max bytes.
type tailWriter struct {
	w   io.Writer
	buf []byte
	max int
}

func (t *tailWriter) Write(p []byte) (int, error) {
	t.buf = append(t.buf, p...)
	if len(t.buf) > t.max {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-t.max:]...)
	}
	return t.w.Write(p)
}

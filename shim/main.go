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
//     run a foreign binary (go test, go run); see runRunner.
//   - anything else ("gox"): gox's own commands (help, version, shim) and
//     every go command ("gox build" is "go build").
//
// The real go is found by toolchain.FindGo. Work on the path of every go
// command is kept to a few stat calls: no subprocess, no go.mod parsing and
// no heavy package initialisation happen before the exec.
package shim

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gox-build/gox/shim/cmdline"
	"github.com/gox-build/gox/toolchain"
)

// Main runs gox with the given argv and environment and returns the exit
// code. On the exec path it does not return.
func Main(args []string, environ []string, stdin io.Reader, stdout, stderr io.Writer) int {
	s := &session{env: toolchain.Env(environ), stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		args = []string{"gox"}
	}
	name := progName(args[0])
	if name == "go" {
		return s.runGo(args[1:])
	}
	if name == nsHelperName {
		return s.runNamespaceHelper(args[1:])
	}
	if name == qemuLDName {
		return s.runQemuLD(args[0], args[1:])
	}
	if goos, goarch, ok := parseExecName(name); ok {
		return s.runRunner(goos, goarch, args[1:])
	}
	return s.runGox(args[1:])
}

// progName is the name gox was run as: the base of argv[0] without ".exe".
func progName(arg0 string) string {
	name := filepath.Base(arg0)
	return strings.TrimSuffix(strings.TrimSuffix(name, ".exe"), ".EXE")
}

// session is one run of gox: its inputs and outputs, nothing global.
type session struct {
	// readOnly is gox -n: gox may read its state, never write it.
	readOnly bool
	// refresh is gox doctor -refresh: every fact is probed again.
	refresh bool
	env     toolchain.Env
	stdin   io.Reader
	stdout  io.Writer
	stderr  io.Writer
}

// usageError is a command-line mistake: it exits 2. The error it wraps
// may carry hints (a *toolchain.Error).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, a ...any) usageError { return usageError{fmt.Errorf(format, a...)} }

// fail prints err in gox's one error format and returns the exit code:
// 2 for usage errors, 1 otherwise.
// openState opens gox's state as this session may use it.
func (s *session) openState() (toolchain.State, error) {
	st, err := toolchain.OpenState(s.env, s.readOnly)
	st.Refresh = s.refresh
	return st, err
}

func (s *session) fail(err error) int {
	fmt.Fprintf(s.stderr, "gox: %v\n", err)
	var te *toolchain.Error
	if errors.As(err, &te) {
		for _, h := range te.Hints {
			fmt.Fprintf(s.stderr, "gox: hint: %s\n", h)
		}
	}
	var ue usageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}

// selfBinary is this gox binary, links resolved: what exec wrappers link
// to and what runs as the namespace helper and the GOCACHEPROG layer.
func selfBinary() (string, error) {
	self, err := os.Executable()
	if err == nil {
		self, err = filepath.EvalSymlinks(self)
	}
	return self, err
}

// realGo finds the real go and applies the loop guard.
func (s *session) realGo() (toolchain.GoCommand, error) {
	if d := toolchain.Depth(s.env); d >= toolchain.MaxDepth {
		return toolchain.GoCommand{}, &toolchain.Error{
			What: "loop",
			Err:  fmt.Errorf("gox started itself %d times without reaching the real go", d),
			Hints: []string{
				"a program named go on PATH leads back to gox; see gox shim status",
				"set GOX_GO to the absolute path of the real go to break the loop",
			},
		}
	}
	self, err := os.Executable()
	if err != nil {
		self = ""
	}
	g, err := toolchain.FindGo(toolchain.GoLookup{Env: s.env, Self: self, Fallbacks: toolchain.DefaultFallbacks(s.env)})
	if err == nil && !g.Verified && toolchain.Depth(s.env) == 0 {
		// The counter did not come with us: a first start, or a wrapper
		// that cleared the environment. Count the other way.
		dir := ""
		if !s.readOnly {
			dir, _ = toolchain.StateDir(s.env)
		}
		if n := reentries(dir); n >= toolchain.MaxDepth {
			return toolchain.GoCommand{}, &toolchain.Error{
				What:  "loop",
				Err:   fmt.Errorf("gox came back to itself %d times through %s without reaching the real go (it clears the environment, so gox's loop counter does not travel)", n, g.Path),
				Hints: []string{"point GOX_GO at the real go (its GOROOT/bin/go), or make the wrapper keep " + toolchain.DepthVar},
			}
		}
	}
	return g, err
}

// runGo is gox run as "go": the go command line is the user's, exactly
// (run as go, gox takes no flags of its own), and gox adds only what a
// cross build needs.
func (s *session) runGo(args []string) int {
	g, err := s.realGo()
	if err != nil {
		return s.fail(err)
	}
	line, err := cmdline.Parse(args, cmdline.Options{})
	if err != nil {
		// A command line the go command will refuse: its words, not gox's.
		return s.carryOut(Passthrough(g, args, s.env))
	}
	p, err := s.plan(g, line)
	if err != nil {
		return s.fail(err)
	}
	return s.carryOut(p)
}

// prepare makes what the plan needs before its command runs.
func (s *session) prepare(p Plan) error {
	if p.Cache != nil {
		if _, err := p.Cache.ensure(time.Now()); err != nil {
			return err
		}
	}
	if p.Wrapper != nil {
		if err := p.Wrapper.make(); err != nil {
			return err
		}
	}
	if p.QemuLD != nil {
		if err := p.QemuLD.make(); err != nil {
			return err
		}
	}
	if p.Prepare != nil {
		return s.prepareWine(*p.Prepare)
	}
	return nil
}

// carryOut runs a plan: exec when gox has nothing to do afterwards, a child
// process otherwise.
func (s *session) carryOut(p Plan) int {
	for _, w := range p.Warnings {
		fmt.Fprintln(s.stderr, w)
	}
	if err := s.prepare(p); err != nil {
		return s.fail(err)
	}
	if p.NoCoreDumps {
		noCoreDumps()
	}
	if !p.Follow {
		err := execGo(p)
		return s.fail(&toolchain.Error{What: "exec " + p.Go.Path, Err: err})
	}
	start := time.Now()
	stderr := s.stderr
	var tail *tailWriter
	if p.Host != nil {
		tail = &tailWriter{w: s.stderr, max: 64 << 10}
		stderr = tail
	}
	stdout := s.stdout
	var filter *noiseFilter
	if p.FilterNoise {
		filter = &noiseFilter{w: s.stdout, json: p.TestJSON}
		stdout = filter
	}
	code, err := runChild(p, s.stdin, stdout, stderr)
	if filter != nil {
		_ = filter.Flush()
	}
	if err != nil {
		e := &toolchain.Error{What: "run " + p.Go.Path, Err: err}
		if p.Namespace != nil {
			e.What = "namespace"
			e.Hints = []string{"GOX_NAMESPACE=off runs the target's binaries through gox's exec wrapper instead"}
		}
		return s.fail(e)
	}
	if tail != nil && code != 0 {
		if h := toolchain.LinkHint(string(tail.buf), p.Host.verdict, p.Host.facts); h != "" {
			fmt.Fprintf(s.stderr, "gox: hint: %s\n", h)
		}
	}
	if code == 0 && p.Verify != nil {
		code = s.verifyWritten(p.Verify, start)
	}
	return code
}

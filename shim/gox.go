package shim

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/gox-build/gox/shim/cacheprog"
	"github.com/gox-build/gox/shim/cmdline"
	"github.com/gox-build/gox/shim/internal/base"
	"github.com/gox-build/gox/shim/matrix"
	"github.com/gox-build/gox/shim/plan"
	"github.com/gox-build/gox/toolchain"
)

// goxFlags are the flags that may come before a command when gox is run
// under its own name.
type goxFlags struct {
	print  bool   // -n: print the plan only
	trace  bool   // -x: print the plan, then run it
	verify bool   // -verify: check outputs of native builds too
	target string // -target before the command
}

// runGox is gox run under its own name.
func (s *session) runGox(args []string) int {
	if len(args) > 0 && args[0] == cacheprog.Command {
		return cacheprog.Run(args[1:], s.Env, s.Stdin, s.Stdout, s.Stderr)
	}
	var gf goxFlags
	fs := flag.NewFlagSet("gox", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.BoolVar(&gf.print, "n", false, "print the plan only")
	fs.BoolVar(&gf.trace, "x", false, "print the plan, then run it")
	fs.BoolVar(&gf.verify, "verify", false, "check the outputs of native builds too")
	fs.StringVar(&gf.target, "target", "", "the target")
	// (flag stops at the first word that is not a flag: the command)
	switch err := fs.Parse(args); {
	case errors.Is(err, flag.ErrHelp):
		s.printMainHelp(s.Stdout)
		return 0
	case err != nil:
		fmt.Fprintf(s.Stderr, "gox: %v\n", err)
		fmt.Fprintf(s.Stderr, "usage: gox [-n | -x] [-verify] [-target T] <command> [arguments]\nRun 'gox help' for usage.\n")
		return 2
	}
	args = fs.Args()
	if len(args) == 0 {
		s.printMainHelp(s.Stderr)
		return 2
	}
	s.ReadOnly = gf.print
	switch args[0] {
	case "help":
		return s.runHelp(args[1:])
	}
	if c := lookupCommand(args[0]); c != nil {
		return c.Run(s.Session, args[1:])
	}
	line, err := parseGoxLine(args, false)
	if err != nil {
		return s.Fail(err)
	}
	if line.Target == "" {
		line.Target = gf.target
	}
	defaultOutput := ""
	if line.Target == "config" {
		// The project's configured target list (gox.toml's targets), and
		// its output template where -o is not given.
		targets, output, err := s.ConfiguredTargets(line)
		if err != nil {
			return s.Fail(err)
		}
		line.Target, defaultOutput = targets, output
	}
	if line.Target != "" {
		for _, t := range toolchain.SplitTargets(line.Target) {
			if strings.TrimSpace(t) == "" {
				return s.Fail(base.Usagef("-target %q: an empty name in the list of targets", line.Target))
			}
		}
	}
	if ts := toolchain.SplitTargets(line.Target); len(ts) == 1 {
		// The same target named twice is that target, not a matrix.
		line.Target = strings.TrimSpace(ts[0])
	}
	g, err := s.RealGo()
	if err != nil {
		return s.Fail(err)
	}
	if matrix.IsMatrix(line.Target) || matrix.OutputTemplate(line, defaultOutput) {
		if gf.print || gf.trace {
			return s.Fail(base.Usagef("-n and -x show one target's plan: gox -n %s -target T ...", line.Sub))
		}
		// Read again with the matrix's own flags taken out.
		target := line.Target
		if line, err = parseGoxLine(args, true); err != nil {
			return s.Fail(err)
		}
		line.Target = target
		return matrix.Run(s.Planner, g, line, defaultOutput)
	}
	p, err := s.Plan(g, line)
	if err != nil {
		return s.Fail(err)
	}
	if gf.verify && p.Verify == nil {
		// A native build: cross builds are verified anyway.
		s.VerifyNative(g, &p, line, p.Target)
	}
	if gf.print || gf.trace {
		w := s.Stderr
		if gf.print {
			w = s.Stdout
		}
		fmt.Fprint(w, p.Script())
		if gf.print {
			return 0
		}
	}
	return s.carryOut(p)
}

// runHelp is "gox help [topic]": gox's own help for its commands, the go
// command's help for everything else.
func (s *session) runHelp(args []string) int {
	if len(args) == 0 {
		s.printMainHelp(s.Stdout)
		return 0
	}
	if len(args) == 1 {
		if c := lookupCommand(args[0]); c != nil {
			c.PrintHelp(s.Stdout)
			return 0
		}
	}
	g, err := s.RealGo()
	if err != nil {
		return s.Fail(err)
	}
	return s.carryOut(plan.Passthrough(g, append([]string{"help"}, args...), s.Env))
}

// parseGoxLine reads a command line given to gox under its own name: -target
// is gox's; a mistake in it is a usage error.
func parseGoxLine(args []string, matrix bool) (cmdline.Line, error) {
	l, err := cmdline.Parse(args, cmdline.Options{Gox: true, Matrix: matrix})
	if err != nil {
		return cmdline.Line{}, base.UsageError{Err: err}
	}
	return l, nil
}

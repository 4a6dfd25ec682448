package shim

import (
	"fmt"
)

// goxFlags are the flags that may come before a command when gox is run
// under its own name.
type goxFlags struct {
	print bool // -n: print the plan only
	trace bool // -x: print the plan, then run it
}

// runGox is gox run under its own name.
func (s *session) runGox(args []string) int {
	var gf goxFlags
	for len(args) > 0 && len(args[0]) > 1 && args[0][0] == '-' {
		switch args[0] {
		case "-n":
			gf.print = true
		case "-x":
			gf.trace = true
		case "-h", "-help", "--help":
			s.printMainHelp(s.stdout)
			return 0
		default:
			fmt.Fprintf(s.stderr, "gox: flag provided but not defined: %s\n", args[0])
			fmt.Fprintf(s.stderr, "usage: gox [-n | -x] <command> [arguments]\nRun 'gox help' for usage.\n")
			return 2
		}
		args = args[1:]
	}
	if len(args) == 0 {
		s.printMainHelp(s.stderr)
		return 2
	}
	switch args[0] {
	case "help":
		return s.runHelp(args[1:])
	}
	if c := lookupCommand(args[0]); c != nil {
		return s.runCommand(c, args[1:])
	}
	g, err := s.realGo()
	if err != nil {
		return s.fail(err)
	}
	p := Passthrough(g, args, s.env)
	if gf.print || gf.trace {
		w := s.stderr
		if gf.print {
			w = s.stdout
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
		s.printMainHelp(s.stdout)
		return 0
	}
	if len(args) == 1 {
		if c := lookupCommand(args[0]); c != nil {
			s.printCommandHelp(s.stdout, c)
			return 0
		}
	}
	g, err := s.realGo()
	if err != nil {
		return s.fail(err)
	}
	return s.carryOut(Passthrough(g, append([]string{"help"}, args...), s.env))
}

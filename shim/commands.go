package shim

import (
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Command is one of gox's own commands, in the shape of cmd/go's
// base.Command: the usage and help live with the code, and each run gets a
// fresh FlagSet, so there is no flag state between runs.
type Command struct {
	// Name is the command's word on the gox command line.
	Name string
	// UsageLine is the one-line synopsis, without "gox ".
	UsageLine string
	// Short is the one-line description in the "gox help" list.
	Short string
	// Long is the "gox help <name>" text.
	Long string
	// bind declares the command's flags on fs and returns the command's
	// work, which reads them (newCommand makes it from typed parts).
	bind func(fs *flag.FlagSet) func(s *session, args []string) int
}

// newCommand makes a Command whose flags are a value of its own type F:
// flags declares them on a FlagSet, run does the work with them and the
// remaining arguments. Each run gets a new F.
func newCommand[F any](c Command, flags func(*flag.FlagSet, *F), run func(*session, *F, []string) int) *Command {
	c.bind = func(fs *flag.FlagSet) func(*session, []string) int {
		f := new(F)
		if flags != nil {
			flags(fs, f)
		}
		return func(s *session, args []string) int { return run(s, f, args) }
	}
	return &c
}

// commands returns gox's own commands. It builds them anew on every call so
// that nothing about them is shared between runs.
func commands() []*Command {
	cmds := []*Command{
		versionCommand(),
		shimCommand(),
		envCommand(),
		doctorCommand(),
		targetsCommand(),
		setupCommand(),
		verifyCommand(),
		cacheCommand(),
		trustCommand(),
	}
	sort.Slice(cmds, func(i, j int) bool { return cmds[i].Name < cmds[j].Name })
	return cmds
}

func lookupCommand(name string) *Command {
	for _, c := range commands() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// runCommand parses c's flags from args and runs it. Flag errors are usage
// errors: the usage goes to stderr and the exit code is 2.
func (s *session) runCommand(c *Command, args []string) int {
	fs := flag.NewFlagSet("gox "+c.Name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	run := c.bind(fs)
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			s.printCommandHelp(s.Stdout, c)
			return 0
		}
		fmt.Fprintf(s.Stderr, "gox %s: %v\n", c.Name, err)
		fmt.Fprintf(s.Stderr, "usage: gox %s\nRun 'gox help %s' for details.\n", c.UsageLine, c.Name)
		return 2
	}
	return run(s, fs.Args())
}

// usage reports a command-line mistake for c and returns 2.
func (s *session) usage(c *Command, format string, a ...any) int {
	fmt.Fprintf(s.Stderr, "gox %s: %s\n", c.Name, fmt.Sprintf(format, a...))
	fmt.Fprintf(s.Stderr, "usage: gox %s\nRun 'gox help %s' for details.\n", c.UsageLine, c.Name)
	return 2
}

func (s *session) printCommandHelp(w io.Writer, c *Command) {
	fmt.Fprintf(w, "usage: gox %s\n\n%s\n", c.UsageLine, strings.TrimSpace(c.Long))
}

const mainHelpHead = `gox makes cross-compiling with the go command correct by default.

Installed as "go" in front of the real go on PATH, it passes every go
command through untouched; run as gox it also has commands of its own.

Usage:

	gox [-n | -x] [-verify] [-target T] <command> [arguments]

gox's own commands:

`

const mainHelpTail = `
Every go command works too: gox build, gox test, gox mod tidy, ... run the
real go with the same arguments, and "go <command>" through the shim does
exactly the same.

Flags before the command:

	-n	print the plan (the environment gox changes and the real go
		command line) without running it
	-x	print the plan to standard error, then run it
	-verify	verify the outputs of a native go build, go install or
		go test -c as well (cross builds are always verified: every
		binary the command writes is checked to be for the target,
		and a mismatch fails the command; see gox help verify)
	-target	the target, as GOOS/GOARCH would set it

Environment:

	GOX_GO	absolute path of the real go command; by default gox uses the
		first go on PATH that is neither gox nor a copy of it, then
		$GOROOT/bin/go, /usr/local/go/bin/go and /usr/lib/go/bin/go
	GOX_VERIFY=off	do not verify what cross builds write

Use "gox help <command>" for more about a gox command, and
"gox help <topic>" for the go command's help on anything else.
`

func (s *session) printMainHelp(w io.Writer) {
	io.WriteString(w, mainHelpHead)
	for _, c := range commands() {
		fmt.Fprintf(w, "\t%-10s %s\n", c.Name, c.Short)
	}
	io.WriteString(w, mainHelpTail)
}

package base

import (
	"flag"
	"fmt"
	"io"
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
	// work, which reads them (NewCommand makes it from typed parts).
	bind func(fs *flag.FlagSet) func(s *Session, args []string) int
}

// NewCommand makes a Command whose flags are a value of its own type F:
// flags declares them on a FlagSet, run does the work with them and the
// remaining arguments. Each run gets a new F.
func NewCommand[F any](c Command, flags func(*flag.FlagSet, *F), run func(*Session, *F, []string) int) *Command {
	c.bind = func(fs *flag.FlagSet) func(*Session, []string) int {
		f := new(F)
		if flags != nil {
			flags(fs, f)
		}
		return func(s *Session, args []string) int { return run(s, f, args) }
	}
	return &c
}

// Run parses c's flags from args and runs it. Flag errors are usage
// errors: the usage goes to stderr and the exit code is 2.
func (c *Command) Run(s *Session, args []string) int {
	fs := flag.NewFlagSet("gox "+c.Name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	run := c.bind(fs)
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			c.PrintHelp(s.Stdout)
			return 0
		}
		fmt.Fprintf(s.Stderr, "gox %s: %v\n", c.Name, err)
		fmt.Fprintf(s.Stderr, "usage: gox %s\nRun 'gox help %s' for details.\n", c.UsageLine, c.Name)
		return 2
	}
	return run(s, fs.Args())
}

// Usage reports a command-line mistake for c and returns 2.
func (c *Command) Usage(s *Session, format string, a ...any) int {
	fmt.Fprintf(s.Stderr, "gox %s: %s\n", c.Name, fmt.Sprintf(format, a...))
	fmt.Fprintf(s.Stderr, "usage: gox %s\nRun 'gox help %s' for details.\n", c.UsageLine, c.Name)
	return 2
}

// PrintHelp writes c's usage line and long help to w.
func (c *Command) PrintHelp(w io.Writer) {
	fmt.Fprintf(w, "usage: gox %s\n\n%s\n", c.UsageLine, strings.TrimSpace(c.Long))
}

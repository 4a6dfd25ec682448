package shim

import (
	"fmt"
	"io"
	"sort"

	"github.com/gox-build/gox/shim/internal/base"
	"github.com/gox-build/gox/shim/internal/cmd/cachecmd"
	"github.com/gox-build/gox/shim/internal/cmd/doctorcmd"
	"github.com/gox-build/gox/shim/internal/cmd/envcmd"
	"github.com/gox-build/gox/shim/internal/cmd/setupcmd"
	"github.com/gox-build/gox/shim/internal/cmd/shimcmd"
	"github.com/gox-build/gox/shim/internal/cmd/targetscmd"
	"github.com/gox-build/gox/shim/internal/cmd/trustcmd"
	"github.com/gox-build/gox/shim/internal/cmd/verifycmd"
	"github.com/gox-build/gox/shim/internal/cmd/versioncmd"
)

// commands returns gox's own commands. It builds them anew on every call so
// that nothing about them is shared between runs.
func commands() []*base.Command {
	cmds := []*base.Command{
		versioncmd.Command(),
		shimcmd.Command(),
		envcmd.Command(),
		doctorcmd.Command(),
		targetscmd.Command(),
		setupcmd.Command(),
		verifycmd.Command(),
		cachecmd.Command(),
		trustcmd.Command(),
	}
	sort.Slice(cmds, func(i, j int) bool { return cmds[i].Name < cmds[j].Name })
	return cmds
}

func lookupCommand(name string) *base.Command {
	for _, c := range commands() {
		if c.Name == name {
			return c
		}
	}
	return nil
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

// Package versioncmd is gox version: print gox's version and the real go's.
// Its usage and help live with the code (Command); the front door runs
// it with the session.
package versioncmd

import (
	"bytes"
	"fmt"
	"runtime"

	"github.com/gox-build/gox/shim/internal/base"
	"github.com/gox-build/gox/shim/internal/proc"
	"github.com/gox-build/gox/shim/plan"
)

// Command is gox version.
func Command() *base.Command {
	return base.NewCommand(base.Command{
		Name:      "version",
		UsageLine: "version",
		Short:     "print gox's version and the real go's",
		Long: `
Version prints gox's own version (its module version, or the VCS revision
of a development build), then the real go's "go version" line, so that a
bug report says both.
`,
	}, nil, func(b *base.Session, _ *struct{}, args []string) int {
		s := &session{&plan.Planner{Session: b}}
		if len(args) > 0 {
			return Command().Usage(s.Session, "unexpected arguments: %q", args)
		}
		fmt.Fprintf(s.Stdout, "gox version %s %s/%s\n", base.Version(), runtime.GOOS, runtime.GOARCH)
		g, err := s.RealGo()
		if err != nil {
			return s.Fail(err)
		}
		p := plan.Passthrough(g, []string{"version"}, s.Env)
		var out bytes.Buffer
		cmd := p.Cmd()
		proc.EndWithGox(cmd)
		cmd.Stdout, cmd.Stderr = &out, s.Stderr
		code, err := proc.RunForwarding(cmd)
		if err != nil {
			return s.Fail(err)
		}
		s.Stdout.Write(out.Bytes())
		return code
	})
}

// session is the run's planner, which this command asks for what a go
// command for a target would get.
type session struct{ *plan.Planner }

package shim

import (
	"bytes"
	"fmt"
	"runtime"

	"github.com/gox-build/gox/shim/internal/base"
	"github.com/gox-build/gox/shim/internal/proc"
	"github.com/gox-build/gox/shim/plan"
)

func versionCommand() *Command {
	return newCommand(Command{
		Name:      "version",
		UsageLine: "version",
		Short:     "print gox's version and the real go's",
		Long: `
Version prints gox's own version (its module version, or the VCS revision
of a development build), then the real go's "go version" line, so that a
bug report says both.
`,
	}, nil, func(s *session, _ *struct{}, args []string) int {
		if len(args) > 0 {
			return s.usage(lookupCommand("version"), "unexpected arguments: %q", args)
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

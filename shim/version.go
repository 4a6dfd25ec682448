package shim

import (
	"bytes"
	"fmt"
	"runtime"
	"runtime/debug"

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
		fmt.Fprintf(s.Stdout, "gox version %s %s/%s\n", goxVersion(), runtime.GOOS, runtime.GOARCH)
		g, err := s.RealGo()
		if err != nil {
			return s.Fail(err)
		}
		p := plan.Passthrough(g, []string{"version"}, s.Env)
		var out bytes.Buffer
		code, err := runChild(p, nil, &out, s.Stderr)
		if err != nil {
			return s.Fail(err)
		}
		s.Stdout.Write(out.Bytes())
		return code
	})
}

// goxVersion is the module version gox was installed at, or for a build
// from a checkout the VCS revision it was built from.
func goxVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := bi.Main.Version
	if v != "" && v != "(devel)" {
		return v
	}
	var rev, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if rev == "" {
		return "devel"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if modified == "true" {
		rev += "+dirty"
	}
	return "devel-" + rev
}

// Package envcmd is gox env: print the variables a build for a target sees.
// Its usage and help live with the code (Command); the front door runs
// it with the session.
package envcmd

import (
	"encoding/json"
	"flag"
	"fmt"
	"strings"

	"github.com/gox-build/gox/shim/cmdline"
	"github.com/gox-build/gox/shim/internal/base"
	"github.com/gox-build/gox/shim/plan"
	"github.com/gox-build/gox/toolchain"
)

type envFlags struct {
	target string
	json   bool
}

// Command is gox env.
func Command() *base.Command {
	return base.NewCommand(base.Command{
		Name:      "env",
		UsageLine: "env [-target T] [-json] [VAR ...]",
		Short:     "print the variables a build for a target sees",
		Long: `
Env prints the variables that decide a build for the target, as the real
go will see them once gox has set it up: GOOS, GOARCH, the variant
variable, CGO_ENABLED, CC, CXX, AR, PKG_CONFIG, PKG_CONFIG_LIBDIR and
GOCACHE (for a cross build gox's directory for the target, named after
the key of everything the build's C compiler reads: a changed header
gives a new one).
The values come from the real "go env" run in gox's environment, so they
are what the build gets, not a guess.

The target is -target, else what GOOS and GOARCH say (environment, then
GOENV file, then $GOROOT/go.env), else the host. For a native target gox
changes nothing, and env shows the go command's own values.

With VAR arguments, env prints their values, one per line. -json prints a
JSON object instead.

Other go env forms (go env -w, -u, -changed) are the go command's: run
them as go env.
`,
	}, func(fs *flag.FlagSet, f *envFlags) {
		fs.StringVar(&f.target, "target", "", "target (os/arch[/variant], triple or alias)")
		fs.BoolVar(&f.json, "json", false, "print JSON")
	}, runEnv)
}

// managedVars are the variables gox decides for a target.
var managedVars = []string{"GOOS", "GOARCH", "GOARM", "GOAMD64", "GOARM64", "GO386", "GOMIPS", "GOMIPS64", "GOPPC64", "GORISCV64", "CGO_ENABLED", "CC", "CXX", "AR", "PKG_CONFIG"}

func runEnv(b *base.Session, f *envFlags, args []string) int {
	s := &session{&plan.Planner{Session: b}}
	for _, a := range args {
		if strings.HasPrefix(a, "-") {
			return s.Fail(base.Usagef("env: flag %s is the go command's; run go env %s", a, strings.Join(args, " ")))
		}
	}
	g, err := s.RealGo()
	if err != nil {
		return s.Fail(err)
	}
	// Plan a go build for the target: env shows exactly what it would get.
	p, err := s.Plan(g, cmdline.Line{Sub: "build", Target: f.target})
	if err != nil {
		return s.Fail(err)
	}
	vars := args
	if len(vars) == 0 {
		t := p.Target
		if t.GOOS == "" {
			settings := toolchain.LoadGoSettings(s.Env, g.Root)
			t, _, _ = toolchain.ResolveTarget("", settings, plan.ThisHost().GOOS, plan.ThisHost().GOARCH)
		}
		for _, name := range managedVars {
			if strings.HasPrefix(name, "GO") && name != "GOOS" && name != "GOARCH" && name != toolchain.VariantVar(t.GOARCH) {
				continue
			}
			vars = append(vars, name)
		}
		// GOCACHE names the target's cache directory, whose name ends in
		// the key of what the build's C compiler reads
		vars = append(vars, "PKG_CONFIG_LIBDIR", "GOCACHE")
	}
	values, err := plan.GoEnv(p, vars)
	if err != nil {
		return s.Fail(err)
	}
	switch {
	case f.json:
		out, _ := json.MarshalIndent(values, "", "\t")
		fmt.Fprintf(s.Stdout, "%s\n", out)
	case len(args) > 0:
		for _, name := range args {
			fmt.Fprintln(s.Stdout, values[name])
		}
	default:
		for _, name := range vars {
			fmt.Fprintf(s.Stdout, "%s=%s\n", name, shellQuoteAlways(values[name]))
		}
	}
	return 0
}

// shellQuoteAlways quotes like go env does: always single quotes.
func shellQuoteAlways(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// session is the run's planner, which this command asks for what a go
// command for a target would get.
type session struct{ *plan.Planner }

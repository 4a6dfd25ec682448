// Package targetscmd is gox targets: list every port of the real toolchain and what building for it needs.
// Its usage and help live with the code (Command); the front door runs
// it with the session.
package targetscmd

import (
	"encoding/json"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/gox-build/gox/shim/internal/base"
	"github.com/gox-build/gox/shim/plan"
	"github.com/gox-build/gox/toolchain"
	"github.com/gox-build/gox/toolchain/compilers"
	"github.com/gox-build/gox/toolchain/runners"
)

type targetsFlags struct {
	json   bool
	broken bool
}

// Command is gox targets.
func Command() *base.Command {
	return base.NewCommand(base.Command{
		Name:      "targets",
		UsageLine: "targets [-json] [-broken]",
		Short:     "list every port of the real toolchain and what building for it needs",
		Long: `
Targets lists the ports of the real go ("go tool dist list"), never a list
of gox's own, with: whether the port is first class, whether it supports
cgo, the C compiler gox found and proved for it (or "-"), how gox runs its
binaries for go test and go run (native, binfmt, qemu, node; "-" for
none), and a note.
-broken includes the ports the toolchain marks broken.

The list comes from the toolchain once and is cached per go binary; each C
compiler is probed once and cached per compiler binary, so a second run is
fast.
`,
	}, func(fs *flag.FlagSet, f *targetsFlags) {
		fs.BoolVar(&f.json, "json", false, "print JSON")
		fs.BoolVar(&f.broken, "broken", false, "include broken ports")
	}, runTargets)
}

// targetRow is one line of gox targets.
type targetRow struct {
	Target       string `json:"target"`
	FirstClass   bool   `json:"firstClass"`
	CgoSupported bool   `json:"cgoSupported"`
	Broken       bool   `json:"broken,omitempty"`
	CCompiler    string `json:"cCompiler,omitempty"`
	Runner       string `json:"runner,omitempty"`
	Note         string `json:"note,omitempty"`
}

func runTargets(b *base.Session, f *targetsFlags, args []string) int {
	s := &session{&plan.Planner{Session: b}}
	if len(args) > 0 {
		return Command().Usage(s.Session, "unexpected arguments: %q", args)
	}
	ce, err := s.LoadCrossEnv()
	if err != nil {
		return s.Fail(err)
	}
	h := plan.ThisHost()
	var rows []targetRow
	for _, p := range ce.Facts.Ports {
		if p.Broken && !f.broken {
			continue
		}
		t := toolchain.Target{GOOS: p.GOOS, GOARCH: p.GOARCH}
		row := targetRow{Target: t.String(), FirstClass: p.FirstClass, CgoSupported: p.CgoSupported, Broken: p.Broken}
		var notes []string
		switch {
		case p.Broken:
			notes = append(notes, "broken")
		case t.Port() == h.Port():
			row.CCompiler = base.OrDefault(ce.Settings.Get("CC"), "gcc")
			notes = append(notes, "host")
		case p.CgoSupported || compilers.MustLinkExternal(p.GOOS, p.GOARCH):
			comp, _ := compilers.FindCompiler(compilers.CompilerCandidates(t, ce.Settings, h.GOOS, h.GOARCH), t, s.Env, ce.State)
			if comp != nil {
				row.CCompiler = comp.CCString()
			} else if len(t.Triples()) > 0 {
				notes = append(notes, "no C compiler: "+plan.InstallHint(ce.Distro, t))
			}
		}
		goroot := ce.Go.Root
		if goroot == "" {
			goroot = ce.Facts.GOROOT
		}
		if !p.Broken {
			if r := s.RunnerFor(t, goroot, ce.State); r.Kind != runners.RunNone {
				row.Runner = string(r.Kind)
				if len(r.Cmd) > 0 {
					row.Runner += " (" + filepath.Base(r.Cmd[0]) + ")"
				}
			}
		}
		if compilers.MustLinkExternal(p.GOOS, p.GOARCH) {
			notes = append(notes, "needs a C linker even without cgo")
		}
		row.Note = strings.Join(notes, "; ")
		rows = append(rows, row)
	}
	if f.json {
		out, _ := json.MarshalIndent(rows, "", "\t")
		fmt.Fprintf(s.Stdout, "%s\n", out)
		return 0
	}
	tw := tabwriter.NewWriter(s.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TARGET\tFIRST CLASS\tCGO\tC COMPILER\tRUNNER\tNOTE")
	yes := map[bool]string{true: "yes", false: "-"}
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Target, yes[r.FirstClass], yes[r.CgoSupported], base.OrDefault(r.CCompiler, "-"), base.OrDefault(r.Runner, "-"), r.Note)
	}
	tw.Flush()
	return 0
}

// session is the run's planner, which this command asks for what a go
// command for a target would get.
type session struct{ *plan.Planner }

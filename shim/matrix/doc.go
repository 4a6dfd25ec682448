// Package matrix builds (or builds test binaries) for several targets at
// once: gox build -target linux/arm64,windows/amd64, -target all, or one
// target whose -o is a template. Each target's job gets exactly the plan
// a single go command for it would get (the planner decides it), runs in
// parallel with the others, writes to its own rendered output path and is
// verified before it counts as done; progress goes to a terminal line or
// to -json events.
package matrix

import (
	"github.com/gox-build/gox/shim/cmdline"
	"github.com/gox-build/gox/shim/plan"
	"github.com/gox-build/gox/toolchain"
)

// session is the run's planner: every job's plan comes from it.
type session struct{ *plan.Planner }

// Run builds line for the targets it names (see run); defaultOutput is
// gox.toml's output template under -target config.
func Run(p *plan.Planner, g toolchain.GoCommand, line cmdline.Line, defaultOutput string) int {
	return (&session{p}).run(g, line, defaultOutput)
}

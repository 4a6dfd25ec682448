// Package plan decides what gox does with one go command. Facts are
// gathered first (the real go's ports, the C compiler's probe, the
// runner, the namespace route, the loader prefix, gox.toml, the sysroot's
// print: I/O, kept in the fact store), then one pure function, Decide,
// turns the command line and those facts into a Plan: the environment and
// argv of the real go, what to make before it runs and what to verify
// after. Deciding writes nothing, so gox -n changes nothing; Plan.Prepare,
// called when the plan is carried out, makes what it names.
package plan

import "github.com/gox-build/gox/shim/internal/base"

// Planner gathers facts and decides plans for one session. Packages that
// carry plans out (the front door, the matrix, the runner, gox's
// commands) embed it in a session type of their own.
type Planner struct{ *base.Session }

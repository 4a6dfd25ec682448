// Package runner is gox in the parts the go command and the kernel start
// it in, rather than the user: the exec wrapper go test and go run hand a
// foreign binary to (go_<goos>_<goarch>_exec), with its deadline and the
// filter for qemu's noise; the helper that makes the namespace route's
// user namespace and binfmt_misc registrations (gox-nsrun); and the
// interpreter those registrations name when the target's dynamic binaries
// need a loader prefix (gox-qemu-ld). The plan decides what each gets
// (package plan names them and carries the verdicts); the runner only
// carries that out, asking its planner itself only when a go command was
// started by hand, not by a gox plan.
package runner

import (
	"github.com/gox-build/gox/shim/internal/base"
	"github.com/gox-build/gox/shim/plan"
)

// session is the run's planner, which the exec wrapper asks for the
// loader prefix when no plan carried one.
type session struct{ *plan.Planner }

// Run is gox run as go_<goos>_<goarch>_exec BINARY ARGS...; see run.
func Run(p *plan.Planner, goos, goarch string, args []string) int {
	return (&session{p}).run(goos, goarch, args)
}

// NamespaceHelper is gox run as plan.NsHelperName; see namespaceHelper.
func NamespaceHelper(b *base.Session, args []string) int {
	return (&session{&plan.Planner{Session: b}}).namespaceHelper(args)
}

// QemuLD is gox run by the kernel as plan.QemuLDName; see qemuLD.
func QemuLD(b *base.Session, argv0 string, args []string) int {
	return (&session{&plan.Planner{Session: b}}).qemuLD(argv0, args)
}

package plan

import (
	"fmt"
	"os/exec"
	"strings"

	"github.com/gox-build/gox/toolchain"
	"github.com/gox-build/gox/toolchain/compilers"
	"github.com/gox-build/gox/toolchain/runners"
)

// Plan is everything gox decided for one go command: what to run, with
// which environment, and whether gox has work to do after it.
type Plan struct {
	// Go is the real go command.
	Go toolchain.GoCommand
	// Args is the argv for the real go, Args[0] included.
	Args []string
	// Env is the complete environment the real go gets.
	Env toolchain.Env
	// Changes lists, in order, the variables gox set or cleared for the
	// user's benefit; -n and -x print them. gox's internal bookkeeping
	// (the loop counter) is not listed.
	Changes []EnvChange
	// Internal are variables gox passes to itself (its exec wrapper), in
	// the go command's environment only: the wrapper takes them out before
	// it runs a binary. -n shows what they carry in a note.
	Internal []EnvChange
	// Target is the cross target gox set the command up for; zero for a
	// passthrough.
	Target toolchain.Target
	// Notes explain the decisions in a line each; -n and -x print them as
	// shell comments.
	Notes []string
	// Warnings are printed to stderr before the command runs.
	Warnings []string
	// Cache, Wrapper and Prepare are what gox makes before the command
	// runs: the target's build cache directory (or marks it used), the
	// exec wrapper link, and its Wine prefix (once: the runner finds it
	// ready afterwards). They are made when the plan is carried out, not
	// when it is decided, so that gox -n changes nothing.
	Cache *CacheSetup
	// QemuLD is the interpreter the namespace route registers when the
	// target's dynamic binaries need a loader prefix (see qemuLD).
	QemuLD *QemuLD
	// CacheWhy says why a cross build has no cache directory of gox's
	// (the user's GOCACHE, or GOCACHEPROG with gox's layer).
	CacheWhy string
	Wrapper  *WrapperLink
	Prepare  *runners.WinePrefix
	// NoCoreDumps sets RLIMIT_CORE to 0 for the go command and what it
	// runs: on the kernel's binfmt_misc route, qemu would otherwise write
	// a qemu_*.core file into the package directory for every guest that
	// dies of a signal.
	NoCoreDumps bool
	// FilterNoise takes qemu's "uncaught target signal" lines out of the
	// go command's stdout (plain or go test -json): on the kernel's route
	// qemu writes them into the test's output, and gox is not between go
	// test and qemu. It needs Follow.
	FilterNoise bool
	// TestJSON says that output is go test -json's.
	TestJSON bool
	// Namespace, when set, runs go in a private user namespace with gox's
	// own binfmt_misc registrations (the namespace route); it needs Follow.
	Namespace *NsRoute
	// Verify is what gox checks after the command succeeds; nil for none.
	Verify *VerifyPlan
	// Host is set when the real go is not native: gox then explains a
	// link failure that comes from it.
	Host *HostProblem
	// Follow says gox must wait for go to finish because it has work to
	// do afterwards; otherwise gox replaces itself with go.
	Follow bool
}

// EnvChange is one variable gox sets (or, with Unset, removes).
type EnvChange = toolchain.EnvChange

// Passthrough is the plan for a command gox leaves alone: the real go with
// the user's arguments and environment, less gox's internal variables.
func Passthrough(g toolchain.GoCommand, args []string, env toolchain.Env) Plan {
	argv := make([]string, 0, len(args)+1)
	argv = append(argv, "go")
	argv = append(argv, args...)
	return Plan{Go: g, Args: argv, Env: toolchain.ExecEnv(env, g)}
}

// Script renders the plan as shell lines a user could paste to do the same
// by hand: one export or unset per change, then the go command line.
func (p Plan) Script() string {
	var b strings.Builder
	for _, n := range p.Notes {
		b.WriteString("# " + n + "\n")
	}
	for _, c := range p.Changes {
		switch {
		case c.Unset:
			b.WriteString("unset " + c.Name + "\n")
		case c.Prepend:
			b.WriteString("export " + c.Name + "=" + ShellQuote(c.Value) + ":\"$" + c.Name + "\"\n")
		default:
			b.WriteString("export " + c.Name + "=" + ShellQuote(c.Value) + "\n")
		}
	}
	b.WriteString(ShellQuote(p.Go.Path))
	for _, a := range p.Args[1:] {
		b.WriteByte(' ')
		b.WriteString(ShellQuote(a))
	}
	b.WriteByte('\n')
	return b.String()
}

// ShellQuote quotes s for a POSIX shell when it needs quoting.
func ShellQuote(s string) string {
	if s == "" {
		return "''"
	}
	safe := true
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./=:,+@%", r)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Cmd is the plan's go command as a child process (the namespace route
// aside, which runner.NamespaceCommand starts): its argv and environment,
// stdio left to the caller.
func (p Plan) Cmd() *exec.Cmd {
	cmd := exec.Command(p.Go.Path, p.Args[1:]...)
	cmd.Args[0] = p.Args[0]
	cmd.Env = p.Env
	return cmd
}

// Explains reports whether Explain can say anything of this plan's
// failures, so that carrying it out keeps the end of the command's stderr.
func (p Plan) Explains() bool { return p.Host != nil || p.Target.Glibc != "" }

// Explain says, in gox's line format, what gox knows of why the plan's
// command failed with output at the end of its stderr: the link failure a
// host whose go is not native causes, and C functions newer than the
// target's glibc floor (the linker's undefined symbols).
func (p Plan) Explain(output string) []string {
	var lines []string
	if p.Host != nil {
		if h := toolchain.LinkHint(output, p.Host.verdict, p.Host.facts); h != "" {
			lines = append(lines, "gox: hint: "+h)
		}
	}
	if t := p.Target; t.Glibc != "" {
		for _, sym := range compilers.UndefinedSymbols(output) {
			lines = append(lines,
				fmt.Sprintf("gox: %s is not in glibc %s, the floor of %s: the C code calls a function newer than the oldest glibc the binary must run on", sym, t.Glibc, t),
				fmt.Sprintf("gox: hint: raise the floor (-target %s/%s/gnuX.Y) or keep %s out of the build for this target", t.GOOS, t.GOARCH, sym))
		}
	}
	return lines
}

package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/gox-build/gox/cache"
	"github.com/gox-build/gox/shim/cacheprog"
	"github.com/gox-build/gox/shim/cmdline"
	"github.com/gox-build/gox/shim/internal/base"
	"github.com/gox-build/gox/shim/project"
	"github.com/gox-build/gox/toolchain"
	"github.com/gox-build/gox/toolchain/compilers"
	"github.com/gox-build/gox/toolchain/runners"
	"github.com/gox-build/gox/toolchain/verify"
)

// Facts are what one go command's plan is decided from. gather finds
// them: it reads files, runs go env and go list, probes compilers and
// runners (all cached, and with read-only state keeping nothing), and
// stops at the first stage the command does not need; the rest stay zero.
// decide only reads them. Lookups on PATH are a function over the user's
// environment: reading them changes nothing.
type Facts struct {
	Go   toolchain.GoCommand
	Env  toolchain.Env
	Host Host
	// Settings are the go command's settings (environment, GOENV file,
	// $GOROOT/go.env); Read says gather read them.
	Settings toolchain.GoSettings
	Read     bool
	// HostWarning and HostProblem are the host check of a build for the
	// host's own target.
	HostWarning string
	HostProblem *HostProblem
	// State is gox's state directory, as this command may use it.
	State toolchain.State
	// GoFacts are the real go's version and ports.
	GoFacts *toolchain.GoFacts
	// C is what choosing the C side found.
	C cFacts
	// Fingerprint identifies the state of Sysroot, the chosen compiler's
	// header and library directories, for the cache key; SysrootErr says
	// why they could not be found.
	Sysroot     []string
	Fingerprint string
	SysrootErr  error
	// Runner is what running the target's binaries needs; nil for
	// commands that run none.
	Runner *RunnerFacts
	// Outputs is where the command writes, for verification.
	Outputs buildOutputs
	// Project is the project's gox.toml and the user's trust in it; nil
	// when there is none (or the command is not a cross one).
	Project *project.Facts
	// Self is this gox binary, resolved, when the plan may name it (the
	// GOCACHEPROG layer, the exec wrapper, the namespace helper).
	Self    string
	SelfErr error
	// SysrootContent is the sysroot's identity across machines, for the
	// GOCACHEPROG layer.
	SysrootContent string
}

// cFacts are the C compilers found for a cross target, and the go command's
// answers to the questions the C decision asks when there is none.
type cFacts struct {
	Compiler *compilers.CCompiler
	Tried    []compilers.Tried
	Distro   toolchain.Distro
	LookPath func(string) (string, bool)
	// NeedsCgo and Links are go list's answers (toolchain.CInput), asked
	// only when the decision needs them.
	NeedsCgo    []string
	NeedsCgoErr error
	Links       bool
	LinksErr    error
}

// RunnerFacts are what running a target's binaries through gox needs.
type RunnerFacts struct {
	Runner runners.Runner
	// UserWrapper is a go_<goos>_<goarch>_exec of the user's on PATH.
	UserWrapper string
	// LoaderPrefix is the probed QEMU_LD_PREFIX, on the kernel's binfmt
	// route for a cgo build only.
	LoaderPrefix *runners.LoaderPrefix
	// Wine is gox's Wine prefix for the wine runner, and whether it is
	// ready.
	Wine      *runners.WinePrefix
	WineReady bool
	WineErr   error
	// Namespace says whether the namespace route works here (nil when
	// it was not asked: another route was chosen first).
	Namespace *nsVerdict
}

// needsFacts reports whether a command's plan depends on more than its
// command line and environment. Commands that cannot depend on the target,
// and a native build named by GOOS and GOARCH in the environment (the GOENV
// file cannot change it), pass through and pay for nothing else.
func needsFacts(line cmdline.Line, env toolchain.Env, h Host) bool {
	if line.Target == "" && !line.Cross() {
		return false
	}
	if line.Target == "" {
		goos, goarch := env.Get("GOOS"), env.Get("GOARCH")
		if goos != "" && goarch != "" && goos == h.GOOS && goarch == h.GOARCH {
			return false
		}
	}
	return true
}

// cInput is the C decision's input for a cross target: the compilers found,
// the settings with gox's -target changes applied, and go list's answers.
func cInput(line cmdline.Line, t toolchain.Target, port toolchain.Port, f Facts, changes []EnvChange, ps *project.Settings) compilers.CInput {
	settings := f.Settings
	// The variables the user set for this target through gox's -target
	// count as set for the C decision too, and so do gox.toml's, as its.
	settings.Env = ApplyChanges(settings.Env, changes)
	settings = project.Apply(settings, ps)
	c := f.C
	return compilers.CInput{
		Target: t, Port: port, Settings: settings, Compiler: c.Compiler, Tried: c.Tried,
		Distro: c.Distro, Strict: line.Strict(), LookPath: c.LookPath,
		InstallHint: func(t toolchain.Target) string { return InstallHint(c.Distro, t) },
		NeedsCgo:    func() ([]string, error) { return c.NeedsCgo, c.NeedsCgoErr },
		Links:       func() (bool, error) { return c.Links, c.LinksErr },
	}
}

// Decide is gox's one decision for a go command: from the command line and
// the facts, the plan. It reads no file, runs nothing and writes nothing;
// what has to be made before the command runs (the target's cache
// directory, the exec wrapper link, the Wine prefix) is in the plan, for
// carrying it out.
func Decide(line cmdline.Line, f Facts) (Plan, error) {
	pass := Passthrough(f.Go, line.GoArgs(), f.Env)
	h := f.Host
	if !needsFacts(line, f.Env, h) {
		return pass, nil
	}
	settings := f.Settings
	line = line.WithGOFLAGS(settings.Get("GOFLAGS"))
	t, fromFlag, err := toolchain.ResolveTarget(line.Target, settings, h.GOOS, h.GOARCH)
	if err != nil {
		if line.Target == "" {
			// GOOS/GOARCH of the environment's that make no target: the
			// go command's own error and exit code.
			return pass, nil
		}
		return Plan{}, targetError(line.Target, err, f.GoFacts)
	}
	if !fromFlag && t.Port() == h.Port() {
		if f.HostWarning != "" {
			pass.Warnings = append(pass.Warnings, f.HostWarning)
			pass.Host, pass.Follow = f.HostProblem, true
		}
		return pass, nil
	}
	if f.State.Dir != "" && toolchain.TempState(f.Env) {
		pass.Notes = append(pass.Notes, tempStateNote)
	}
	facts := f.GoFacts
	if err := facts.CheckTarget(t); err != nil {
		if fromFlag {
			return Plan{}, base.UsageError{Err: err}
		}
		// A GOOS/GOARCH of the environment's that the toolchain does not
		// support: the go command says so in its own words, with its own
		// exit code (2); gox adds only its suggestion, first.
		// (only where the go command fails for it: go env and go list
		// succeed, and a hint then is noise on their stderr)
		if _, known := facts.Port(t.GOOS, t.GOARCH); !known && (line.Strict() || line.Sub == "vet") {
			if sug := toolchain.Suggest(t.Port(), facts.PortNames()); len(sug) > 0 {
				pass.Warnings = append(pass.Warnings, "gox: hint: "+t.Port()+" (from "+targetSource(settings)+") is no port of "+facts.GoVersion+"; did you mean "+strings.Join(sug, " or ")+"?")
			}
		}
		return pass, nil
	}
	p := pass
	p.Target = t
	p.Changes = toolchain.TargetChanges(t, fromFlag, f.Env)
	where := "from -target"
	if !fromFlag {
		where = targetSource(settings)
	}
	p.Notes = append(p.Notes, "target "+t.String()+" ("+where+")")
	if h.Builds(t) || !line.Cross() {
		p.Env = ApplyChanges(p.Env, p.Changes)
		return p, nil
	}
	ps, err := project.For(f.Project, t, f.Env, h.GOOS)
	if err != nil {
		return Plan{}, err
	}
	port, _ := facts.Port(t.GOOS, t.GOARCH)
	dec, err := compilers.DecideC(cInput(line, t, port, f, p.Changes, ps))
	if ps != nil {
		p.Changes = append(p.Changes, ps.Changes...)
		p.Notes = append(p.Notes, projectNote(ps))
	}
	if err != nil {
		return Plan{}, err
	}
	p.Changes = append(p.Changes, dec.Changes...)
	p.Notes = append(p.Notes, dec.Why)
	in := cacheInput{Target: t, GoVersion: facts.GoVersion, Cgo: dec.Cgo, Compiler: f.C.Compiler,
		CCVersion: ChosenVersion(f.C.Compiler, f.C.Tried), Settings: settings, Sysroot: f.Sysroot, Fingerprint: f.Fingerprint,
		SysrootContent: f.SysrootContent}
	if dec.Cgo && f.SysrootErr != nil {
		// what the compiler reads is unknown: a key of its own, said so
		in.Fingerprint, in.SysrootContent = "unidentified", "unidentified"
		p.Notes = append(p.Notes, "the C headers and libraries could not be identified ("+f.SysrootErr.Error()+"): the build cache is keyed without them")
	}
	id, route, why := cacheIdentity(in)
	if dec.Cgo && id.Sysroot != "" {
		// the identity in the go command's own action IDs, so that no
		// output it finds "up to date" was built against other headers
		v := compilers.WithIdentity(settings.Get("CGO_CPPFLAGS"), shortHash(id.Sysroot))
		p.Changes = append(p.Changes, EnvChange{Name: "CGO_CPPFLAGS", Value: v})
	}
	switch route {
	case cacheOwnDir:
		root := cache.Root(f.State.Dir)
		p.Cache = &CacheSetup{Root: root, ID: id, SysrootDirs: f.Sysroot}
		p.Changes = append(p.Changes, EnvChange{Name: "GOCACHE", Value: filepath.Join(root, id.DirName())})
		p.Notes = append(p.Notes, "build cache of its own for "+t.String()+" (keyed by the Go and C toolchains and the sysroot)")
	case cacheProgLayer:
		prog, err := toolchain.SplitQuoted(settings.Get("GOCACHEPROG"))
		if err != nil || len(prog) == 0 || f.SelfErr != nil {
			// the go command's own error for a GOCACHEPROG it cannot split
			p.Notes = append(p.Notes, "GOCACHEPROG is left as it is")
			break
		}
		layer := append([]string{f.Self, cacheprog.Command, id.Key(), "--"}, prog...)
		p.Changes = append(p.Changes, EnvChange{Name: "GOCACHEPROG", Value: toolchain.JoinQuoted(layer)})
		p.Notes = append(p.Notes, why)
		p.CacheWhy = why
	default:
		p.Notes = append(p.Notes, why)
		p.CacheWhy = why
	}
	if line.RunsBinaries() {
		if err := decideRunner(&p, line, t, f, dec.Cgo); err != nil {
			return Plan{}, err
		}
		// A program under emulation cannot tell what it runs on; the
		// testscript package's [emulated] asks this.
		p.Changes = append(p.Changes, EnvChange{Name: "GOX_HOST", Value: h.Port()})
	}
	if f.Env.Get("GOX_VERIFY") != "off" {
		cgo := "0"
		if dec.Cgo {
			cgo = "1"
		}
		want := t
		if vv := toolchain.VariantVar(t.GOARCH); vv != "" && t.Variant == "" && ps != nil {
			// a variant gox.toml sets for the target is what it is built for
			if v, ok := ps.Value(vv); ok {
				want.Variant = v
			}
		}
		vw := verify.Want{Target: want, Cgo: cgo}
		if dec.Cgo && dec.Compiler != nil && want.Glibc == "" {
			// a CC of the user's that is zig with a glibc version in its
			// -target sets a floor as the target syntax would
			vw.MaxGLIBC = compilers.ZigGlibcFloor(dec.Compiler.CC)
		}
		p.Verify = verifyPlanFor(line, vw, f.Outputs)
		if p.Verify != nil {
			p.Follow = true
			p.Notes = append(p.Notes, "gox verifies what the command writes is for "+t.String()+" (GOX_VERIFY=off to skip)")
		}
	}
	p.Env = ApplyChanges(ApplyChanges(p.Env, p.Changes), p.Internal)
	return p, nil
}

// decideRunner arranges for go test and go run to run the target's
// binaries: nothing when the host or the kernel (binfmt_misc) runs them,
// else gox's runner as go_<goos>_<goarch>_exec on the real go's PATH. A
// user's own -exec (command line or GOFLAGS), or own
// go_<goos>_<goarch>_exec on PATH, is left alone.
func decideRunner(p *Plan, line cmdline.Line, t toolchain.Target, f Facts, cgo bool) error {
	if line.Has("exec") {
		p.Notes = append(p.Notes, "runner: your -exec")
		return nil
	}
	rf := f.Runner
	r := rf.Runner
	switch r.Kind {
	case runners.RunNone:
		return &base.Error{What: "target " + t.String(), Err: fmt.Errorf("cannot run %s binaries here: %s", t.Port(), r.Detail),
			Hints: append(NonEmpty(r.Fix), "go test -c and go build still work; gox doctor -target "+t.String()+" shows the runner")}
	case runners.RunNative:
		p.Notes = append(p.Notes, "runner: "+r.Detail)
		return nil
	case runners.RunBinfmt:
		p.Notes = append(p.Notes, "runner: "+r.Detail)
		p.NoCoreDumps = true
		p.Notes = append(p.Notes, "core dumps off (RLIMIT_CORE=0): qemu writes none into your package directories")
		if line.Sub == "test" {
			// go run's program may own a terminal; a test's output is
			// go test's to print, so gox can read it on the way.
			p.Follow, p.FilterNoise, p.TestJSON = true, true, line.Bool("json")
			p.Notes = append(p.Notes, "gox takes qemu's 'uncaught target signal' lines out of go test's output")
		}
		loaderPrefixFor(p, f, cgo)
		return nil
	}
	name := ExecName(t.GOOS, t.GOARCH)
	if rf.UserWrapper != "" {
		p.Notes = append(p.Notes, "runner: your "+rf.UserWrapper)
		return nil
	}
	if ns := rf.Namespace; ns != nil && ns.OK && f.SelfErr == nil && (rf.Runner.Kind != runners.RunWine || rf.WineErr == nil) {
		return decideNamespace(p, line, t, f, cgo)
	}
	if r.Kind == runners.RunWine {
		if rf.WineErr != nil {
			return rf.WineErr
		}
		if !rf.WineReady {
			p.Prepare = rf.Wine
			p.Notes = append(p.Notes, "wine prefix "+rf.Wine.Dir+" is prepared first (wineboot, and a bcryptprimitives.dll built with "+rf.Wine.MinGW+" where Wine lacks one)")
		}
	}
	if f.SelfErr != nil {
		return &base.Error{What: "runner", Err: f.SelfErr}
	}
	w := wrapperFor(f.State.Dir, f.Self, t.GOOS, t.GOARCH)
	p.Wrapper = &w
	p.Changes = append(p.Changes, EnvChange{Name: "PATH", Value: w.Dir, Prepend: true})
	p.Notes = append(p.Notes, "runner: "+r.Detail+" through "+name)
	if lp := rf.LoaderPrefix; lp != nil && cgo && f.Env.Get("QEMU_LD_PREFIX") == "" {
		// the wrapper applies the plan's verdict to dynamic binaries
		if !lp.Unprobed {
			p.Internal = append(p.Internal, EnvChange{Name: LoaderVar(t), Value: encodeLoader(*lp)})
		}
		p.Notes = append(p.Notes, "loader prefix for dynamic cgo binaries: "+loaderNote(*lp))
	}
	if line.Sub == "test" {
		note := "gox: note: go test does not cache results of tests run through an exec wrapper (golang/go#27207)"
		if ns := rf.Namespace; ns != nil && !ns.OK {
			note += "; gox's user-namespace route is unavailable here (" + ns.Why + ")"
		}
		if r.Kind == runners.RunQemu {
			note += "; gox setup -binfmt " + t.String() + " (as root) lets the kernel run them, and caching works again"
		}
		p.Warnings = append(p.Warnings, note)
	}
	return nil
}

// loaderPrefixFor gives dynamic cgo binaries the probed loader prefix where
// the kernel starts qemu (binfmt_misc, gox's or the host's), which takes it
// from QEMU_LD_PREFIX; a prefix of the user's is kept.
func loaderPrefixFor(p *Plan, f Facts, cgo bool) {
	lp := f.Runner.LoaderPrefix
	if !cgo || f.Env.Get("QEMU_LD_PREFIX") != "" || lp == nil {
		return
	}
	if lp.OK && lp.Prefix != "" {
		p.Changes = append(p.Changes, EnvChange{Name: "QEMU_LD_PREFIX", Value: lp.Prefix})
	}
	p.Notes = append(p.Notes, "loader prefix for dynamic cgo binaries: "+loaderNote(*lp))
}

// shortHash is 16 hex digits of s's SHA-256.
func shortHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:8])
}

// loaderNote says what the loader-prefix verdict is, for the plan's notes.
func loaderNote(lp runners.LoaderPrefix) string {
	switch {
	case lp.Unprobed:
		return lp.Why
	case !lp.OK:
		return "none works (" + lp.Why + ")"
	case lp.Prefix == "":
		return "none needed (" + lp.Why + ")"
	}
	return "-L " + lp.Prefix + " (" + lp.Why + ")"
}

// decideNamespace plans the namespace route: go runs in a private user
// namespace whose binfmt_misc hands the target's binaries to the runner,
// so no exec wrapper is on PATH.
func decideNamespace(p *Plan, line cmdline.Line, t toolchain.Target, f Facts, cgo bool) error {
	rf := f.Runner
	r := rf.Runner
	var reg, how string
	switch r.Kind {
	case runners.RunQemu:
		interp := r.Cmd[0]
		if lp := rf.LoaderPrefix; cgo && lp != nil && lp.OK && lp.Prefix != "" && f.Env.Get("QEMU_LD_PREFIX") == "" {
			// the prefix must reach binaries whatever environment they
			// are given: the interpreter applies it itself
			q := qemuLDFor(f.State.Dir, f.Self, r.Cmd[0], lp.Prefix)
			p.QemuLD, interp = &q, q.Path()
			p.Notes = append(p.Notes, "the registered interpreter is gox as "+QemuLDName+" ("+q.Path()+"): it runs qemu with -L "+lp.Prefix+" whatever environment a binary is given")
		}
		line, err := runners.BinfmtLine("gox-ns-"+toolchain.QemuArch(t.GOARCH), t.GOARCH, interp)
		if err != nil {
			return &base.Error{What: "target " + t.String(), Err: err}
		}
		reg, how = line, r.Cmd[0]
		loaderPrefixFor(p, f, cgo)
	case runners.RunWine:
		// The kernel hands PE files to gox's runner, which runs Wine in
		// gox's prefix.
		w := wrapperFor(f.State.Dir, f.Self, t.GOOS, t.GOARCH)
		p.Wrapper = &w
		reg, how = runners.BinfmtMagicLine("gox-ns-pe", runners.PEMagic, filepath.Join(w.Dir, w.Name)), r.Detail
		if !rf.WineReady {
			p.Prepare = rf.Wine
			p.Notes = append(p.Notes, "wine prefix "+rf.Wine.Dir+" is prepared first (wineboot, and a bcryptprimitives.dll built with "+rf.Wine.MinGW+" where Wine lacks one)")
		}
	case runners.RunWasi:
		reg, how = runners.BinfmtMagicLine("gox-ns-wasm", runners.WasmMagic, r.Cmd[0]), r.Detail
	}
	p.Namespace = &NsRoute{Registrations: []string{reg}, Self: f.Self}
	p.Follow, p.NoCoreDumps = true, true
	p.Notes = append(p.Notes, "runner: "+how+", registered with binfmt_misc in a private user namespace gox makes (no root, no exec wrapper: go test caches results)")
	if line.Sub == "test" {
		p.FilterNoise, p.TestJSON = true, line.Bool("json")
		p.Notes = append(p.Notes, "gox takes qemu's 'uncaught target signal' lines out of go test's output")
	}
	return nil
}

// projectNote says what a gox.toml contributes to the plan.
func projectNote(ps *project.Settings) string {
	n := "settings for this target from " + ps.Path + ` [target."` + ps.Name + `"]`
	var parts []string
	for _, c := range ps.Changes {
		parts = append(parts, c.Name)
	}
	if ps.CC != nil {
		parts = append(parts, "cc")
	}
	if ps.Sysroot != "" {
		parts = append(parts, "sysroot")
	}
	if len(parts) > 0 {
		n += ": " + strings.Join(parts, ", ")
	}
	if len(ps.Gated) > 0 {
		n += " (it names programs to run; you trust it)"
	}
	return n
}

// tempStateNote is what gox says once when it keeps its state in the
// temporary directory.
const tempStateNote = "HOME is unset: gox keeps its probes and caches under the temporary directory (set GOX_CACHE to choose where)"

// InstallHint says how to get a C compiler for t: the package manager's
// command, and gox setup where that runs it.
func InstallHint(d toolchain.Distro, t toolchain.Target) string {
	how, ok := toolchain.InstallCommand(d, t)
	if ok {
		how += " (or: gox setup " + t.String() + ")"
	}
	return how
}

// targetError turns a -target that does not parse into a usage error with
// suggestions from the real toolchain's ports (when gather found them).
func targetError(flag string, err error, facts *toolchain.GoFacts) error {
	e := &base.Error{Err: err}
	if errors.Is(err, toolchain.ErrUnknownTarget) {
		if facts != nil {
			if sug := toolchain.Suggest(flag, facts.PortNames()); len(sug) > 0 {
				e.Hints = append(e.Hints, "did you mean "+strings.Join(sug, " or ")+"?")
			}
		}
		e.Hints = append(e.Hints, "targets are os/arch[/variant] (linux/arm64, linux/arm/v7), GNU triples (aarch64-linux-gnu) or aliases (arm64, armhf); gox targets lists them")
	}
	return base.UsageError{Err: e}
}

// targetSource says where GOOS/GOARCH came from, for the plan's notes.
func targetSource(s toolchain.GoSettings) string {
	bySource := map[string][]string{}
	var order []string
	for _, v := range []string{"GOOS", "GOARCH"} {
		src := "the host"
		if from := s.Lookup(v).Source; from != toolchain.SourceUnset {
			src = compilers.SourceName(string(from))
		}
		if bySource[src] == nil {
			order = append(order, src)
		}
		bySource[src] = append(bySource[src], v)
	}
	var parts []string
	for _, src := range order {
		parts = append(parts, strings.Join(bySource[src], " and ")+" from "+src)
	}
	return strings.Join(parts, ", ")
}

// ApplyChanges returns env with the changes made.
func ApplyChanges(env toolchain.Env, changes []EnvChange) toolchain.Env {
	for _, c := range changes {
		switch {
		case c.Unset:
			env = env.Without(c.Name)
		case c.Prepend && env.Get(c.Name) != "":
			env = env.With(c.Name, c.Value+string(filepath.ListSeparator)+env.Get(c.Name))
		default:
			env = env.With(c.Name, c.Value)
		}
	}
	return env
}

package runners

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gox-build/gox/internal/facts"
	"github.com/gox-build/gox/toolchain"
	"github.com/gox-build/gox/toolchain/compilers"
	"github.com/gox-build/gox/toolchain/objfile"
)

// NativeRuns reports whether this host runs goarch's Linux executables
// itself: 386 on amd64 works only when the kernel has 32-bit support, so
// gox runs a 100-byte i386 program that exits 0, once per boot.
func NativeRuns(hostGOARCH, goarch string, st toolchain.State) bool {
	if goarch == hostGOARCH {
		return true
	}
	if hostGOARCH != "amd64" || goarch != "386" {
		return false
	}
	ok, _ := facts.Find(st.Facts(), facts.Key{Kind: "native", Scope: "linux/386", Inputs: []string{"boot=" + BootID()}}, runsI386)
	return ok
}

// BootID identifies this boot of the kernel: what the kernel allows (its
// configuration, modules, registrations) can change only with it.
func BootID() string {
	boot, _ := os.ReadFile("/proc/sys/kernel/random/boot_id")
	return strings.TrimSpace(string(boot))
}

// runsI386 writes and runs a minimal static i386 ELF executable whose only
// instructions are exit(0).
func runsI386() (bool, facts.Outcome) {
	const base = 0x08048000
	code := []byte{0xb8, 1, 0, 0, 0, 0x31, 0xdb, 0xcd, 0x80} // mov eax,1; xor ebx,ebx; int 0x80
	var b bytes.Buffer
	le := binary.LittleEndian
	b.Write([]byte{0x7f, 'E', 'L', 'F', 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	for _, v := range []any{uint16(2), uint16(3), uint32(1), uint32(base + 84), uint32(52), uint32(0), uint32(0),
		uint16(52), uint16(32), uint16(1), uint16(0), uint16(0), uint16(0)} {
		binary.Write(&b, le, v)
	}
	size := uint32(84 + len(code))
	for _, v := range []uint32{1, 0, base, base, size, size, 5, 0x1000} {
		binary.Write(&b, le, v)
	}
	b.Write(code)
	f, err := os.CreateTemp("", "gox-i386-")
	if err != nil {
		return false, facts.Unkept
	}
	defer os.Remove(f.Name())
	f.Write(b.Bytes())
	f.Chmod(0o755)
	f.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err = exec.CommandContext(ctx, f.Name()).Run()
	return err == nil, facts.OutcomeOf(ctx, err)
}

// LoaderPrefix is the answer to "where are the dynamic loader and C
// library for a target's dynamically linked binaries under qemu".
type LoaderPrefix struct {
	// Prefix is what qemu gets as -L; "" means none (the host's own
	// multiarch loader and libraries are the target's).
	Prefix string
	// OK says a dynamic cgo probe ran under it.
	OK bool
	// Why says how it was chosen, or why nothing works.
	Why string
	// Unprobed says the verdict is not known yet: read-only state had none
	// and may not build the probe.
	Unprobed bool `json:"-"`
}

// prefixCandidates lists where a target's loader may live: Debian's cross
// libc under /usr/<triple>, the compiler's sysroot, and the host root
// (multiarch libc6:<arch>).
func prefixCandidates(t toolchain.Target, sysroot string) []string {
	var out []string
	for _, tr := range t.Triples() {
		if fi, err := os.Stat(filepath.Join("/usr", tr, "lib")); err == nil && fi.IsDir() {
			out = append(out, filepath.Join("/usr", tr))
		}
	}
	if sysroot != "" && sysroot != "/" && !slices.Contains(out, sysroot) {
		out = append(out, sysroot)
	}
	return append(out, "")
}

// libcKey identifies the C libraries a prefix provides, so the answer is
// probed again when any of them changes.
func libcKey(prefix string, t toolchain.Target) string {
	var parts []string
	root := prefix
	if root == "" {
		root = "/"
	}
	for _, tr := range t.Triples() {
		for _, p := range []string{"lib/libc.so.6", "lib/" + tr + "/libc.so.6", "lib64/libc.so.6", "lib/ld-musl-" + tr + ".so.1"} {
			if k, err := toolchain.FileKey(filepath.Join(root, p)); err == nil {
				parts = append(parts, k)
			}
		}
	}
	return strings.Join(parts, ",")
}

// PrefixProbe is everything the loader-prefix verdict for a target
// depends on.
type PrefixProbe struct {
	Go     toolchain.GoCommand
	Target toolchain.Target
	// Qemu is the emulator binary the target's binaries run under, which
	// the probe runs with -L; unused with Binfmt.
	Qemu string
	// Binfmt is the kernel's registration that runs the target's binaries,
	// nil for none: the probe then runs directly, each candidate in
	// QEMU_LD_PREFIX, as the tests will (a distribution's registration
	// names an argv0-preserving program that takes no -L).
	Binfmt *BinfmtEntry
	// Compiler builds the probe program (nil: nothing to build it with).
	// Its sysroot is a candidate; the caller passes a compiler whose
	// sysroot the user trusts, since the probe runs what it links.
	Compiler *compilers.CCompiler
	// Sysroot is the --sysroot the compiler command names, if any (a
	// candidate, and an input of the verdict); without one, the probe
	// asks the compiler for a built-in one (part of the compiler's
	// identity already).
	Sysroot string
	// Project names the gox.toml that contributed to Compiler (path and
	// SHA-256), "" when none did.
	Project string
	// Env is the environment: the compiler's variables and QEMU_* count.
	Env toolchain.Env
	// BuildEnv is the environment to build the probe in (a GOCACHE for
	// the target), asked only when a probe is built.
	BuildEnv func() toolchain.Env
}

// key names every input of the verdict: the target, what runs the probe
// (the emulator binary, or the kernel's registration with its flags and
// program), the compiler (command, binary, variables), its sysroot, the
// project file, each candidate with its C libraries, and qemu's variables
// (a QEMU_GDB or QEMU_CPU changes what runs).
func (in PrefixProbe) key(cands []string) (facts.Key, error) {
	runner := "qemu="
	prog := in.Qemu
	if b := in.Binfmt; b != nil {
		runner, prog = "binfmt="+b.Name+" flags="+b.Flags+" ", b.Interpreter
	}
	pk, err := toolchain.FileKey(prog)
	if err != nil {
		return facts.Key{}, err
	}
	inputs := []string{"target=" + in.Target.String(), runner + pk}
	if in.Compiler != nil {
		ck, _, err := compilers.CompilerKey(in.Compiler, in.Env)
		if err != nil {
			return facts.Key{}, fmt.Errorf("%s: %v", in.Compiler.CC[0], err)
		}
		inputs = append(inputs, ck...)
	}
	inputs = append(inputs, "sysroot="+in.Sysroot, "project="+in.Project)
	for _, c := range cands {
		inputs = append(inputs, "candidate="+c+" "+libcKey(c, in.Target))
	}
	var qemuVars []string
	for _, kv := range in.Env {
		if strings.HasPrefix(kv, "QEMU_") && !strings.HasPrefix(kv, "QEMU_LD_PREFIX=") {
			qemuVars = append(qemuVars, "env:"+kv)
		}
	}
	slices.Sort(qemuVars)
	return facts.Key{Kind: "loader-prefix", Scope: in.Target.Port(), Inputs: append(inputs, qemuVars...)}, nil
}

// ProbeLoaderPrefix finds the -L prefix under which qemu runs a
// dynamically linked Go cgo program for the target. A loader and a C
// library of different revisions hang a Go program at start-up (Debian's
// cross libc next to the multiarch one, say), so the prefix is never
// assumed: each candidate runs a probe program with a deadline, and the
// first that prints its answer wins. The verdict is kept under its key
// (PrefixProbe.key): a success, or a failure every candidate gave on its
// own; a failure a deadline, a signal or a resource error had a part in
// is probed once more and otherwise serves this run only.
func ProbeLoaderPrefix(in PrefixProbe, st toolchain.State) LoaderPrefix {
	cands := prefixCandidates(in.Target, in.Sysroot)
	key, err := in.key(cands)
	if err != nil {
		return LoaderPrefix{Why: err.Error()}
	}
	store := st.Facts()
	if st.ReadOnly || in.Compiler == nil {
		if lp, ok := facts.Lookup[LoaderPrefix](store, key); ok {
			return lp
		}
		if in.Compiler == nil {
			return LoaderPrefix{Why: "no C compiler to build the probe program with"}
		}
		// Probing builds a program into a build cache: read-only state
		// (gox -n) changes nothing, so the verdict waits for a real run.
		return LoaderPrefix{Unprobed: true, Why: "not probed yet: the first command that runs a " + in.Target.String() + " cgo binary probes it"}
	}
	lp, _ := facts.Find(store, key, func() (LoaderPrefix, facts.Outcome) {
		if in.Sysroot == "" {
			if sr := builtinSysroot(in.Compiler, in.Env); sr != "" {
				cands = prefixCandidates(in.Target, sr)
			}
		}
		return probePrefixes(in, cands)
	})
	return lp
}

// builtinSysroot is the sysroot a compiler was configured with
// (-print-sysroot; a vendor toolchain's own), "" for none.
func builtinSysroot(c *compilers.CCompiler, env toolchain.Env) string {
	_, path, err := compilers.CompilerKey(c, env)
	if err != nil {
		return ""
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, append(append([]string(nil), c.CC[1:]...), "-print-sysroot")...)
	cmd.Env = env.WithoutPrefix(toolchain.InternalPrefix)
	out, err := cmd.Output()
	if sr := strings.TrimSpace(string(out)); err == nil && sr != "" && sr != "/" {
		return filepath.Clean(sr)
	}
	return ""
}

// SysrootOfArgs is the --sysroot a compiler command line names, "" for
// none.
func SysrootOfArgs(cc []string) string {
	root := ""
	for i, w := range cc {
		if v, ok := strings.CutPrefix(w, "--sysroot="); ok {
			root = v
		} else if (w == "--sysroot" || w == "-isysroot") && i+1 < len(cc) {
			root = cc[i+1]
		}
	}
	if root != "" {
		root = filepath.Clean(root)
	}
	return root
}

// probePrefixes builds the probe program and runs it under each
// candidate.
func probePrefixes(in PrefixProbe, cands []string) (LoaderPrefix, facts.Outcome) {
	var lp LoaderPrefix
	// An interrupt while probing ends the probe's process group and removes
	// its files before gox goes the way the signal says.
	var (
		mu      sync.Mutex
		running *exec.Cmd
		dir     string
	)
	stop := onInterrupt(func() {
		mu.Lock()
		defer mu.Unlock()
		if running != nil {
			killGroup(running)
		}
		if dir != "" {
			os.RemoveAll(dir)
		}
	})
	defer stop()
	start := func(cmd *exec.Cmd) {
		mu.Lock()
		running = cmd
		mu.Unlock()
	}
	env := in.Env
	if in.BuildEnv != nil {
		env = in.BuildEnv()
	}
	probe, pdir, out, err := buildCgoProbe(in.Go, in.Target, in.Compiler, env, start, func(d string) { mu.Lock(); dir = d; mu.Unlock() })
	if err != nil {
		lp.Why = "building the probe program: " + err.Error()
		// a build that fails is not a fact about the loader
		if out == facts.Settled {
			out = facts.Unkept
		}
		return lp, out
	}
	defer os.RemoveAll(pdir)
	if info, err := objfile.ReadObjectInfo(probe); err == nil && info.Interp == "" {
		// The compiler links statically (zig's musl): the target's cgo
		// binaries load nothing, and no prefix is needed or tried.
		lp.OK, lp.Why = true, "the compiler links cgo programs statically (no loader)"
		return lp, facts.Settled
	}
	outcome := facts.Settled
	var tried []string
	deadline := probeDeadline(in.Env)
	for _, c := range cands {
		ctx, cancel := context.WithTimeout(context.Background(), deadline)
		var cmd *exec.Cmd
		env := in.Env.WithoutPrefix(toolchain.InternalPrefix).Without("QEMU_LD_PREFIX")
		switch {
		case in.Binfmt != nil && c != "":
			cmd, env = exec.CommandContext(ctx, probe), env.With("QEMU_LD_PREFIX", c)
		case in.Binfmt != nil:
			cmd = exec.CommandContext(ctx, probe)
		case c != "":
			cmd = exec.CommandContext(ctx, in.Qemu, "-L", c, probe)
		default:
			cmd = exec.CommandContext(ctx, in.Qemu, probe)
		}
		cmd.Env = env
		text, err := runGrouped(cmd, start)
		how := facts.OutcomeOf(ctx, err)
		cancel()
		name := c
		if name == "" {
			name = "no prefix (host multiarch libraries)"
		}
		if err == nil && strings.TrimSpace(text) == "gox-probe-ok" {
			lp.Prefix, lp.OK = c, true
			lp.Why = "a dynamic cgo probe ran under " + name
			if len(tried) > 0 {
				lp.Why += "; failed: " + strings.Join(tried, "; ")
			}
			// a prefix that ran the probe is proven, whatever came before
			return lp, facts.Settled
		}
		switch {
		case how == facts.Passing && ctx.Err() != nil:
			tried = append(tried, fmt.Sprintf("%s did not answer in %v (a wedged loader, or a loaded machine)", name, deadline))
		case err != nil && strings.TrimSpace(text) != "":
			tried = append(tried, fmt.Sprintf("%s: %v: %s", name, err, toolchain.FirstLines(strings.TrimSpace(text), 2)))
		case err != nil:
			tried = append(tried, fmt.Sprintf("%s: %v", name, err))
		default:
			tried = append(tried, fmt.Sprintf("%s: printed %q", name, toolchain.FirstLines(strings.TrimSpace(text), 2)))
		}
		if how == facts.Passing {
			outcome = facts.Passing
		}
	}
	lp.Why = "no loader prefix runs a dynamic cgo program: " + strings.Join(tried, "; ")
	return lp, outcome
}

// probeDeadline is how long one loader-prefix candidate may take: a good
// one answers in about 0.2 s (1 s on a loaded machine); one whose loader
// and C library disagree spins forever. GOX_PROBE_DEADLINE (a duration)
// sets it, for gox's tests; what a deadline ends is never kept, so it
// cannot make a verdict.
func probeDeadline(env toolchain.Env) time.Duration {
	if d, err := time.ParseDuration(env.Get("GOX_PROBE_DEADLINE")); err == nil && d > 0 {
		return d
	}
	return 5 * time.Second
}

// buildCgoProbe builds a tiny dynamically linked Go cgo program for t in
// a temporary directory, which it names through made before anything is
// written, so an interrupt can remove it; started is told of the build's
// process. The program prints with os.Stdout, not fmt: it builds in
// seconds with a cold cache.
func buildCgoProbe(g toolchain.GoCommand, t toolchain.Target, comp *compilers.CCompiler, env toolchain.Env, started func(*exec.Cmd), made func(string)) (string, string, facts.Outcome, error) {
	dir, err := os.MkdirTemp("", "gox-prefix-probe-")
	if err != nil {
		return "", "", facts.OutcomeOf(nil, err), err
	}
	made(dir)
	files := map[string]string{
		"go.mod":  "module goxprobe\n\ngo 1.21\n",
		"main.go": "package main\n\n// #include <stdlib.h>\n// static int twice(int x) { return 2 * atoi(\"1\") * x; }\nimport \"C\"\n\nimport \"os\"\n\nfunc main() {\n\tif C.twice(21) == 42 {\n\t\tos.Stdout.WriteString(\"gox-probe-ok\\n\")\n\t}\n}\n",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			os.RemoveAll(dir)
			return "", "", facts.OutcomeOf(nil, err), err
		}
	}
	out := filepath.Join(dir, "probe")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, g.Path, "build", "-o", out, ".")
	cmd.Dir = dir
	// The verdict is about the target's loader and C library: the user's
	// cgo flags (a -static, say) stay out of the probe.
	cmd.Env = toolchain.ExecEnv(env, g).Without("GOFLAGS").Without("CGO_CFLAGS").Without("CGO_CPPFLAGS").Without("CGO_LDFLAGS").With("GOTOOLCHAIN", "local").
		With("GOOS", t.GOOS).With("GOARCH", t.GOARCH).With("CGO_ENABLED", "1").With("CC", comp.CCString())
	if v := toolchain.VariantVar(t.GOARCH); v != "" {
		cmd.Env = toolchain.Env(cmd.Env).Without(v)
		if t.Variant != "" {
			cmd.Env = toolchain.Env(cmd.Env).With(v, t.Variant)
		}
	}
	if b, err := runGrouped(cmd, started); err != nil {
		os.RemoveAll(dir)
		how := facts.OutcomeOf(ctx, err)
		if facts.PassingText(b) {
			how = facts.Passing
		}
		return "", "", how, fmt.Errorf("%v: %s", err, toolchain.FirstLines(strings.TrimSpace(b), 3))
	}
	return out, dir, facts.Settled, nil
}

// runGrouped runs cmd (made with a context) in a process group of its own,
// tells started of it once it runs, and returns its combined output; the
// group is killed when cmd ends, so nothing it started outlives it.
func runGrouped(cmd *exec.Cmd, started func(*exec.Cmd)) (string, error) {
	ownGroup(cmd)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return "", err
	}
	started(cmd)
	err := cmd.Wait()
	killGroup(cmd)
	return out.String(), err
}

package compilers

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/gox-build/gox/internal/facts"
	"github.com/gox-build/gox/toolchain"
	"github.com/gox-build/gox/toolchain/arch"
	"github.com/gox-build/gox/toolchain/objfile"
)

// CCompiler is a C (and C++) compiler command for one target, as gox
// would put it in CC and CXX.
type CCompiler struct {
	// CC and CXX are the commands; extra words are arguments, which the go
	// command accepts in CC ("clang --target=aarch64-linux-gnu").
	CC, CXX []string
	// Origin says how gox came to this compiler.
	Origin CCOrigin
	// Var is the variable that named a compiler the user chose
	// (GOX_CC_linux_arm64, CC); From is where CC was set: "env" or the
	// GOENV file.
	Var, From string
	// Rule is the discovery rule that found one gox chose
	// ("aarch64-linux-gnu-gcc", "gcc -m32", "musl-gcc", "clang", "zig").
	Rule string
	// Triple is the GNU triple the compiler was picked for, if any.
	Triple string
	// bin and binKey are the compiler binary as FindCompiler resolved and
	// identified it, so that the verdicts about this compiler in one
	// command look it up once.
	bin, binKey string
}

// CCOrigin is how gox came to a C compiler.
type CCOrigin uint8

const (
	// Discovered: a conventional name for the target, found on PATH.
	Discovered CCOrigin = iota
	// FromGoxVar: GOX_CC_<goos>_<goarch> named it.
	FromGoxVar
	// FromCC: CC named it, in the environment or the GOENV file, where the
	// go command reads it already.
	FromCC
	// FromConfig: a project's gox.toml named it (Var "cc", From the file).
	FromConfig
)

// Explicit reports a compiler the user chose: gox respects it (no silent
// fallback to another) but still checks it.
func (c CCompiler) Explicit() bool { return c.Origin != Discovered }

// Source says why this compiler, for people: "GOX_CC_linux_arm64", "CC
// from the environment", "CC from /home/u/.config/go/env", or the rule.
func (c CCompiler) Source() string {
	switch c.Origin {
	case FromGoxVar:
		return c.Var
	case FromCC:
		return c.Var + " from " + SourceName(c.From)
	case FromConfig:
		return c.Var + " in " + c.From
	}
	return c.Rule
}

// CCString is CC's value in the form the go command reads.
func (c CCompiler) CCString() string { return toolchain.JoinQuoted(c.CC) }

// CXXString is CXX's value, or "".
func (c CCompiler) CXXString() string { return toolchain.JoinQuoted(c.CXX) }

// CompilerCandidates lists the C compilers worth trying for t, best first,
// from what the user set and the compilers' conventional names. It looks
// nothing up: the caller resolves and probes the names. When the user
// named a compiler (GOX_CC_<goos>_<goarch>, or CC in the environment or
// the GOENV file), that is the only candidate.
func CompilerCandidates(t toolchain.Target, s toolchain.GoSettings, hostGOOS, hostGOARCH string) []CCompiler {
	perTarget := "GOX_CC_" + t.GOOS + "_" + t.GOARCH
	if v := s.Env.Get(perTarget); v != "" {
		c := CCompiler{CC: toolchain.SplitCommand(v), Origin: FromGoxVar, Var: perTarget}
		if x := s.Env.Get("GOX_CXX_" + t.GOOS + "_" + t.GOARCH); x != "" {
			c.CXX = toolchain.SplitCommand(x)
		}
		return []CCompiler{c}
	}
	if cc := s.Lookup("CC"); cc.Value != "" && cc.Source != toolchain.SourceGoEnv {
		c := CCompiler{CC: toolchain.SplitCommand(cc.Value), Origin: FromCC, Var: "CC", From: string(cc.Source)}
		if x := s.Lookup("CXX"); x.Value != "" {
			c.CXX = toolchain.SplitCommand(x.Value)
		}
		return []CCompiler{c}
	}
	if t.Glibc != "" {
		// A glibc floor: gcc and clang link against the sysroot's glibc,
		// whatever its version; zig ships stubs for every glibc and links
		// against the one named.
		return zigCandidates(t)
	}
	var out []CCompiler
	extra := archFlags(t)
	for _, tr := range t.Triples() {
		out = append(out, CCompiler{
			CC:   append([]string{tr + "-gcc"}, extra...),
			CXX:  append([]string{tr + "-g++"}, extra...),
			Rule: tr + "-gcc", Triple: tr,
		})
	}
	// The host's gcc serves another architecture with a flag (the arch
	// row's Multilib: 386 on amd64 with -m32, gcc-multilib), and musl on
	// the host architecture through musl-gcc (musl-tools).
	if t.GOOS == "linux" && hostGOOS == "linux" {
		if a, ok := arch.Of(t.GOARCH); ok && a.MultilibOn == hostGOARCH && t.Libc == "" {
			out = append(out, CCompiler{CC: []string{"gcc", a.MultilibFlag}, CXX: []string{"g++", a.MultilibFlag}, Rule: "gcc " + a.MultilibFlag, Triple: t.Triple()})
		}
		if t.Libc == "musl" && t.GOARCH == hostGOARCH {
			out = append(out, CCompiler{CC: []string{"musl-gcc"}, Rule: "musl-gcc", Triple: t.Triple()})
		}
	}
	for _, tr := range t.Triples() {
		out = append(out, CCompiler{
			CC:   append([]string{"clang", "--target=" + tr}, extra...),
			CXX:  append([]string{"clang++", "--target=" + tr}, extra...),
			Rule: "clang", Triple: tr,
		})
	}
	return append(out, zigCandidates(t)...)
}

// zigCandidates is zig cc for t, when zig can target it. Its Triple is
// the target's GNU triple, as for the other compilers (pkg-config's
// directories and the packages gox names go by it); zig's own name is in
// the -target flag.
func zigCandidates(t toolchain.Target) []CCompiler {
	zt := toolchain.ZigTriple(t)
	if zt == "" {
		return nil
	}
	return []CCompiler{{
		CC:   []string{"zig", "cc", "-target", zt},
		CXX:  []string{"zig", "c++", "-target", zt},
		Rule: "zig", Triple: cmp.Or(t.Triple(), zt),
	}}
}

// SourceName says where a setting came from, for people: a
// GoSettings source ("env", a GOENV file's path, "gox.toml").
func SourceName(s string) string {
	if s == "env" {
		return "the environment"
	}
	return s
}

// archFlags are the C flags a Linux target's variant needs beyond its
// compiler's default (the arch row's CFlags).
func archFlags(t toolchain.Target) []string {
	if a, ok := arch.Of(t.GOARCH); ok && t.GOOS == "linux" {
		return a.CFlagsFor(t.Variant)
	}
	return nil
}

// compileDeadline is how long the probe program may take to build with c:
// a minute, or five for zig, whose first build for a target compiles that
// target's C library (about a minute alone on a 2-core machine, more
// while other builds run).
func compileDeadline(c CCompiler) time.Duration {
	if isZig(c.CC) {
		return 5 * time.Minute
	}
	return time.Minute
}

// isZig reports a compiler command line that runs zig (zig cc, zig c++).
func isZig(cc []string) bool {
	return len(cc) > 1 && strings.TrimSuffix(filepath.Base(cc[0]), ".exe") == "zig"
}

// ZigGlibcFloor is the glibc version a zig cc command line targets
// (zig cc -target aarch64-linux-gnu.2.28 → "2.28"), or "" when cc is not
// zig or names none.
func ZigGlibcFloor(cc []string) string {
	if !isZig(cc) {
		return ""
	}
	for i, a := range cc {
		zt := ""
		if a == "-target" && i+1 < len(cc) {
			zt = cc[i+1]
		} else if v, ok := strings.CutPrefix(a, "-target="); ok {
			zt = v
		}
		f := strings.Split(zt, "-")
		if len(f) < 3 || f[1] != "linux" || !strings.HasPrefix(f[2], "gnu") {
			continue
		}
		if _, v, ok := strings.Cut(f[2], "."); ok && toolchain.IsGlibcVersion(v) {
			return v
		}
	}
	return ""
}

// Probe is what compiling and linking a tiny C program with a compiler
// showed. It is cached per compiler binary and command line.
type Probe struct {
	Key string
	// OK says the compiler produced an executable for the target.
	OK bool
	// Version is the first line of "CC --version".
	Version string
	// Path is the compiler binary, resolved.
	Path string
	// Got is what the probe executable is for.
	Got objfile.ObjectInfo
	// Problem says what was wrong when !OK: "not found", a compile error
	// excerpt, or the machine mismatch.
	Problem string
	// NotFound says the compiler is not on PATH (Problem "not found").
	NotFound bool `json:",omitempty"`
	// MissingHeaders is set when the compiler works but the target's C
	// library headers are not installed (the libc6-dev-*-cross case).
	MissingHeaders bool `json:",omitempty"`
}

const probeSource = `#include <stdio.h>
#include <stdlib.h>
int main(void) { printf("%d\n", (int)sizeof(long)); return 0; }
`

// ProbeCompiler returns the probe of c for t, recorded per compiler
// (compilerKey), else by compiling. A compiler that is not on PATH gives a
// Probe that is NotFound.
func ProbeCompiler(c CCompiler, t toolchain.Target, env toolchain.Env, st toolchain.State) Probe {
	p, _ := probeCompiler(&c, t, env, st)
	return p
}

// probeCompiler is ProbeCompiler, and fills in c's binary.
func probeCompiler(c *CCompiler, t toolchain.Target, env toolchain.Env, st toolchain.State) (Probe, bool) {
	inputs, path, err := CompilerKey(c, env)
	if err == errNotFound {
		return Probe{Problem: "not found", NotFound: true}, false
	}
	if err != nil {
		return Probe{Problem: err.Error()}, false
	}
	key := facts.Key{Kind: "cc", Scope: t.Port(), Inputs: append([]string{"target=" + t.String()}, inputs...)}
	p, _ := facts.Find(st.Facts(), key, func() (Probe, facts.Outcome) {
		p, out := runProbe(*c, t, env, path)
		// Only successes are kept: a failure may be mended without
		// touching the compiler binary (installing the libc headers,
		// say), and must then be noticed at once.
		if !p.OK && out == facts.Settled {
			out = facts.Unkept
		}
		return p, out
	})
	return p, true
}

// compilerEnv are the variables a C compiler reads that change what it
// produces or finds (gcc's and clang's search paths, zig's library).
var compilerEnv = []string{"COMPILER_PATH", "GCC_EXEC_PREFIX", "LIBRARY_PATH", "CPATH", "C_INCLUDE_PATH",
	"CPLUS_INCLUDE_PATH", "OBJC_INCLUDE_PATH", "SDKROOT", "ZIG_LIB_DIR", "ZIG_GLOBAL_CACHE_DIR"}

var errNotFound = errors.New("not found")

// CompilerKey names what a verdict about the compiler command c depends
// on: every word of it, the binary its first word names (path, size,
// time; a wrapper script likewise), and the compiler's variables in env.
// It returns the binary too, and keeps both in c for the next verdict.
func CompilerKey(c *CCompiler, env toolchain.Env) ([]string, string, error) {
	if c.bin == "" {
		path, ok := toolchain.LookPath(env, c.CC[0])
		if !ok {
			return nil, "", errNotFound
		}
		fk, err := toolchain.FileKey(path)
		if err != nil {
			return nil, "", err
		}
		c.bin, c.binKey = path, fk
	}
	out := []string{"cc=" + toolchain.JoinQuoted(c.CC), "bin=" + c.binKey}
	for _, v := range compilerEnv {
		if val, ok := env.Lookup(v); ok {
			out = append(out, "env:"+v+"="+val)
		}
	}
	return out, c.bin, nil
}

func runProbe(c CCompiler, t toolchain.Target, env toolchain.Env, path string) (Probe, facts.Outcome) {
	p := Probe{Path: path}
	if r, err := filepath.EvalSymlinks(path); err == nil {
		p.Path = r
	}
	dir, err := os.MkdirTemp("", "gox-probe-")
	if err != nil {
		p.Problem = err.Error()
		return p, facts.OutcomeOf(nil, err)
	}
	defer os.RemoveAll(dir)
	deadline := compileDeadline(c)
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	runEnv := env.WithoutPrefix(toolchain.InternalPrefix)
	run := func(args ...string) ([]byte, error) {
		cmd := exec.CommandContext(ctx, path, args...)
		cmd.Env = runEnv
		cmd.Dir = dir
		return cmd.CombinedOutput()
	}
	if out, err := run(append(c.CC[1:], "--version")...); err == nil {
		p.Version = strings.TrimSpace(strings.SplitN(string(out), "\n", 2)[0])
	}
	src := filepath.Join(dir, "probe.c")
	if err := os.WriteFile(src, []byte(probeSource), 0o644); err != nil {
		p.Problem = err.Error()
		return p, facts.OutcomeOf(nil, err)
	}
	exe := filepath.Join(dir, "probe")
	if t.GOOS == "windows" {
		exe += ".exe"
	}
	out, err := run(append(c.CC[1:], "probe.c", "-o", exe)...)
	if err != nil {
		msg := strings.TrimSpace(string(out))
		p.MissingHeaders = strings.Contains(msg, "No such file or directory") && strings.Contains(msg, ".h")
		if msg == "" {
			// A compiler that fails without a word (/bin/false, a broken
			// wrapper): its exit status is all there is to say.
			msg = fmt.Sprintf("%s %v, and printed nothing", filepath.Base(c.CC[0]), err)
		}
		p.Problem = "the probe program does not build: " + toolchain.FirstLines(msg, 3)
		if ctx.Err() != nil {
			p.Problem = fmt.Sprintf("the probe program did not build within %v", deadline)
		}
		out := facts.OutcomeOf(ctx, err)
		if facts.PassingText(msg) {
			out = facts.Passing
		}
		return p, out
	}
	info, err := objfile.ReadObjectInfo(exe)
	if err != nil {
		p.Problem = "cannot read the probe executable: " + err.Error()
		return p, facts.Unkept
	}
	p.Got = info
	if why := mismatch(info, t); why != "" {
		p.Problem = why
		return p, facts.Settled
	}
	p.OK = true
	return p, facts.Settled
}

// mismatch says why an executable built by a C compiler does not suit t,
// or "" when it does.
func mismatch(info objfile.ObjectInfo, t toolchain.Target) string {
	wantFormat := "elf"
	switch t.GOOS {
	case "windows":
		wantFormat = "pe"
	case "darwin", "ios":
		wantFormat = "macho"
	}
	if info.Format != wantFormat {
		return fmt.Sprintf("builds %s files, %s needs %s", strings.ToUpper(info.Format), t.GOOS, strings.ToUpper(wantFormat))
	}
	if info.GOARCH != t.GOARCH {
		got := info.GOARCH
		if got == "" {
			got = info.Machine
		}
		return fmt.Sprintf("builds for %s (%s), not %s", got, info.Machine, t.GOARCH)
	}
	if t.GOARCH == "arm" && t.GOOS == "linux" && info.Float != "" {
		_, suffix, _ := strings.Cut(t.Variant, ",")
		wantSoft := suffix == "softfloat" || strings.HasPrefix(t.Variant, "5")
		if wantSoft && info.Float == "hard" {
			return "uses the hard-float ABI; " + t.String() + " needs soft-float (arm-linux-gnueabi)"
		}
		if !wantSoft && info.Float == "soft" {
			return "uses the soft-float ABI; " + t.String() + " needs hard-float (arm-linux-gnueabihf)"
		}
	}
	return ""
}

// FindCompiler probes the candidates in order and returns the first that
// works, with the probes of all it tried (for doctor and for messages).
func FindCompiler(cands []CCompiler, t toolchain.Target, env toolchain.Env, st toolchain.State) (*CCompiler, []Tried) {
	var tried []Tried
	for i := range cands {
		p, _ := probeCompiler(&cands[i], t, env, st)
		tried = append(tried, Tried{Compiler: cands[i], Probe: p})
		if p.OK {
			c := cands[i]
			if len(c.CXX) > 0 {
				if _, ok := toolchain.LookPath(env, c.CXX[0]); !ok {
					c.CXX = nil
				}
			}
			return &c, tried
		}
	}
	return nil, tried
}

// Tried is one candidate compiler and its probe.
type Tried struct {
	Compiler CCompiler
	Probe    Probe
}

// Package verifycmd is gox verify: check that binaries are really for their target.
// Its usage and help live with the code (Command); the front door runs
// it with the session.
package verifycmd

import (
	"encoding/json"
	"flag"
	"fmt"
	"runtime"
	"strings"

	"github.com/gox-build/gox/shim/internal/base"
	"github.com/gox-build/gox/shim/plan"
	"github.com/gox-build/gox/shim/written"
	"github.com/gox-build/gox/toolchain"
	"github.com/gox-build/gox/toolchain/objfile"
	"github.com/gox-build/gox/toolchain/verify"
)

type verifyFlags struct {
	target   string
	json     bool
	static   bool
	maxGLIBC string
}

// Command is gox verify.
func Command() *base.Command {
	return base.NewCommand(base.Command{
		Name:      "verify",
		UsageLine: "verify [-target T] [-json] [-static] [-max-glibc V] FILE ...",
		Short:     "check that binaries are really for their target",
		Long: `
Verify reads each file's headers and Go build information, with no outside
tool, and checks it: the object format and OS (ELF, PE, Mach-O, wasm), the
machine, word size and byte order, the Go build settings (GOOS, GOARCH and
the variant: GOARM, GOAMD64, GOARM64, ...), the ARM float ABI against
GOARM, and for a dynamic ELF file its loader and C library (glibc or musl).
It prints one line per file:

	app: ELF aarch64 linux, go1.26.8, GOARM64=v8.0, CGO_ENABLED=1, dynamic (glibc, needs GLIBC_2.34), ok

-target T checks the files against target T (os/arch[/variant][/musl], a
triple or an alias, as everywhere in gox); without it each file is checked
against the target it says it is for, which catches a header and build
info that disagree and a float ABI that does not match GOARM.
-static requires files that load no shared library.
-max-glibc 2.28 requires files that need no symbol version newer than
GLIBC_2.28 (the oldest glibc the binary must run on).
-json prints a JSON array, one object per file, for tools.

gox build, go install and go test -c through gox verify what they wrote
for a cross target by themselves (gox help cross).

The exit status is 1 when a file fails a check, 2 for a usage error or a
file that cannot be read as a binary (empty, truncated, text).
`,
	}, func(fs *flag.FlagSet, f *verifyFlags) {
		fs.StringVar(&f.target, "target", "", "the target the files must be for")
		fs.BoolVar(&f.json, "json", false, "print JSON")
		fs.BoolVar(&f.static, "static", false, "require statically linked files")
		fs.StringVar(&f.maxGLIBC, "max-glibc", "", "the newest GLIBC_x.y symbol version allowed")
	}, runVerify)
}

// verifyResult is one file's verdict, as -json prints it.
type verifyResult struct {
	File     string           `json:"file"`
	OK       bool             `json:"ok"`
	Target   string           `json:"target,omitempty"`
	Binary   *objfile.Binary  `json:"binary,omitempty"`
	Problems []verify.Problem `json:"problems,omitempty"`
	Error    string           `json:"error,omitempty"`
}

func runVerify(b *base.Session, f *verifyFlags, args []string) int {
	s := &session{&plan.Planner{Session: b}}
	c := Command()
	if len(args) == 0 {
		return c.Usage(s.Session, "name at least one file")
	}
	if f.maxGLIBC != "" && !validVersion(f.maxGLIBC) {
		return c.Usage(s.Session, "-max-glibc %s: want a version such as 2.28", f.maxGLIBC)
	}
	var target *toolchain.Target
	if f.target != "" {
		t, err := toolchain.ParseTarget(f.target, runtime.GOOS)
		if err != nil {
			return s.Fail(base.UsageError{Err: err})
		}
		target = &t
	}
	code := 0
	var results []verifyResult
	for _, file := range args {
		r := verifyResult{File: file}
		b, err := objfile.Inspect(file)
		if err != nil {
			// a file that is not a binary fails its check (1); 2 is for
			// a command line gox cannot read
			r.Error = err.Error()
			code = 1
			results = append(results, r)
			if !f.json {
				fmt.Fprintf(s.Stderr, "gox: verify %s\n", written.FileError(file, err))
			}
			continue
		}
		want := verify.Want{Static: f.static, MaxGLIBC: f.maxGLIBC}
		if target != nil {
			want.Target = *target
		} else {
			want.Target = ownTarget(b)
		}
		r.Binary, r.Target = b, want.Target.String()
		r.Problems = verify.Verify(b, want)
		r.OK = len(r.Problems) == 0
		if !r.OK && code == 0 {
			code = 1
		}
		results = append(results, r)
		if f.json {
			continue
		}
		if r.OK {
			fmt.Fprintf(s.Stdout, "%s: %s, ok\n", file, b.Summary())
			continue
		}
		fmt.Fprintf(s.Stdout, "%s: %s, FAILED\n", file, b.Summary())
		for _, p := range r.Problems {
			fmt.Fprintf(s.Stderr, "gox: verify %s: %s\n", file, p)
		}
	}
	if f.json {
		enc := json.NewEncoder(s.Stdout)
		enc.SetIndent("", "\t")
		if err := enc.Encode(results); err != nil {
			return s.Fail(err)
		}
	}
	return code
}

// ownTarget is the target a binary says it is for: gox verify without
// -target checks a file against itself (header against build info, float
// ABI against GOARM).
func ownTarget(b *objfile.Binary) toolchain.Target {
	if b.Format == "macho-fat" && len(b.Slices) > 0 {
		return ownTarget(&b.Slices[0])
	}
	goos, goarch, _ := strings.Cut(b.Port(), "/")
	if goos == "?" {
		switch b.Format {
		case "pe":
			goos = "windows"
		case "macho":
			goos = "darwin"
		default:
			goos = "linux"
		}
	}
	if g := b.Go.Setting("GOARCH"); g != "" {
		goarch = g
	}
	t := toolchain.Target{GOOS: goos, GOARCH: goarch}
	if vv := toolchain.VariantVar(goarch); vv != "" {
		t.Variant = b.Go.Setting(vv)
	}
	if b.Libc == "musl" {
		t.Libc = "musl"
	}
	return t
}

func validVersion(v string) bool {
	for _, p := range strings.Split(v, ".") {
		if p == "" || strings.Trim(p, "0123456789") != "" {
			return false
		}
	}
	return true
}

// session is the run's planner, which this command asks for what a go
// command for a target would get.
type session struct{ *plan.Planner }

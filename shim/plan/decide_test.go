package plan

import (
	"errors"
	"strings"
	"testing"

	"github.com/gox-build/gox/cache"
	"github.com/gox-build/gox/shim/cmdline"
	"github.com/gox-build/gox/shim/config"
	"github.com/gox-build/gox/shim/internal/base"
	"github.com/gox-build/gox/shim/project"
	"github.com/gox-build/gox/toolchain"
	"github.com/gox-build/gox/toolchain/compilers"
	"github.com/gox-build/gox/toolchain/objfile"
	"github.com/gox-build/gox/toolchain/runners"
)

// TestDecide pins gox's one decision with cross plans built from facts as
// gather would find them on a Debian amd64 host: the target, cgo on or
// off, a user's CC kept or refused, the runner, the cache directory, the
// outputs to verify, and what carrying the plan out must make first.
func TestDecide(t *testing.T) {
	h := Host{"linux", "amd64"}
	goCmd := toolchain.GoCommand{Path: "/usr/local/go/bin/go", Root: "/usr/local/go"}
	facts := &toolchain.GoFacts{GoVersion: "go1.26.8", GOROOT: "/usr/local/go", Ports: []toolchain.Port{
		{GOOS: "linux", GOARCH: "amd64", CgoSupported: true, FirstClass: true},
		{GOOS: "linux", GOARCH: "arm64", CgoSupported: true, FirstClass: true},
		{GOOS: "linux", GOARCH: "riscv64", CgoSupported: true},
		{GOOS: "windows", GOARCH: "amd64", CgoSupported: true, FirstClass: true},
		{GOOS: "js", GOARCH: "wasm"},
		{GOOS: "android", GOARCH: "arm", CgoSupported: true},
	}}
	arm64GCC := &compilers.CCompiler{CC: []string{"aarch64-linux-gnu-gcc"}, CXX: []string{"aarch64-linux-gnu-g++"}, Rule: "aarch64-linux-gnu-gcc", Triple: "aarch64-linux-gnu"}
	okProbe := compilers.Probe{OK: true, Version: "aarch64-linux-gnu-gcc (Debian 12.2.0-14) 12.2.0", Got: objfile.ObjectInfo{Machine: "aarch64"}}
	onPath := map[string]bool{"aarch64-linux-gnu-ar": true}
	look := func(name string) (string, bool) { return "/usr/bin/" + name, onPath[name] }
	qemu := runners.Runner{Kind: runners.RunQemu, Cmd: []string{"/usr/bin/qemu-aarch64"}, Wrapper: true, Detail: "/usr/bin/qemu-aarch64"}
	binfmt := runners.Runner{Kind: runners.RunBinfmt, Binfmt: &runners.BinfmtEntry{Name: "qemu-aarch64", Interpreter: "/usr/bin/qemu-aarch64", Flags: "F"}, Detail: "binfmt_misc qemu-aarch64 (/usr/bin/qemu-aarch64): no wrapper, go test caches results"}
	outputs := buildOutputs{Dir: "/src/app", GOPATH: "/home/u/go", Cross: true, Module: func(string) (string, string) { return "example.com/app", "/src/app" }}

	// facts gather finds for a cross command with a working arm64 gcc
	cross := func(env ...string) Facts {
		e := toolchain.Env(append([]string{"PATH=/usr/bin", "HOME=/home/u"}, env...))
		return Facts{Go: goCmd, Env: e, Host: h, Settings: toolchain.GoSettings{Env: e}, Read: true,
			State: toolchain.State{Dir: "/home/u/.cache/gox"}, GoFacts: facts,
			C:       cFacts{Compiler: arm64GCC, Tried: []compilers.Tried{{Compiler: *arm64GCC, Probe: okProbe}}, Distro: "debian", LookPath: look, Links: true},
			Sysroot: []string{"/usr/aarch64-linux-gnu/include"}, Fingerprint: "fp1", Outputs: outputs,
			Runner: &RunnerFacts{Runner: qemu}, Self: "/home/u/go/bin/gox"}
	}
	with := func(f Facts, change func(*Facts)) Facts { change(&f); return f }
	noCC := func(f *Facts) {
		f.C.Compiler = nil
		f.C.Tried = []compilers.Tried{{Compiler: *arm64GCC, Probe: compilers.Probe{Problem: "not found", NotFound: true}}}
		f.Sysroot, f.Fingerprint = nil, ""
	}
	userCC := func(cc string, ok bool) func(*Facts) {
		return func(f *Facts) {
			c := &compilers.CCompiler{CC: strings.Fields(cc), Origin: compilers.FromCC, Var: "CC", From: "env"}
			p := okProbe
			if !ok {
				p = compilers.Probe{Path: "/usr/bin/gcc", Problem: "builds x86-64 executables, not aarch64"}
			}
			f.C.Tried = []compilers.Tried{{Compiler: *c, Probe: p}}
			f.C.Compiler = c
			if !ok {
				f.C.Compiler = nil
			}
		}
	}

	tests := []struct {
		name  string
		line  string
		gox   bool
		facts Facts
		// want are lines of the plan's script (notes, exports, the go
		// command), each required; not are substrings that must be absent.
		want, not []string
		err       string
		usage     bool
		verify    string // the files to verify, joined; "-" for none
		cache     bool   // the plan makes the target's cache directory
		wrapper   bool   // and the exec wrapper link
		ns        string // the namespace route's registration starts so
		warn      string // a warning has this
	}{
		{name: "native passes through", line: "build ./...", facts: Facts{Go: goCmd, Env: toolchain.Env{"GOOS=linux", "GOARCH=amd64"}, Host: h},
			want: []string{"/usr/local/go/bin/go build ./..."}, not: []string{"export"}, verify: "-"},
		{name: "go mod passes through", line: "mod tidy", facts: cross(), want: []string{"/usr/local/go/bin/go mod tidy"}, not: []string{"export", "# "}, verify: "-"},
		{name: "cross build, cgo on", line: "build -target linux/arm64 -o app ./cmd/app", gox: true, facts: cross(),
			want: []string{"# target linux/arm64 (from -target)", "# cgo on, as in a native build: aarch64-linux-gnu-gcc, probed: builds aarch64 executables",
				"export GOOS=linux", "export GOARCH=arm64", "export CGO_ENABLED=1", "export CC=aarch64-linux-gnu-gcc", "export CXX=aarch64-linux-gnu-g++",
				"export AR=aarch64-linux-gnu-ar", "export GOCACHE=/home/u/.cache/gox/gocache/linux_arm64-", "/usr/local/go/bin/go build -o app ./cmd/app"},
			verify: "/src/app/app", cache: true},
		{name: "GOOS/GOARCH from the environment", line: "build .", facts: cross("GOOS=linux", "GOARCH=arm64"),
			want: []string{"# target linux/arm64 (GOOS and GOARCH from the environment)", "export CGO_ENABLED=1"}, not: []string{"export GOOS"}, verify: "/src/app/app", cache: true},
		{name: "CGO_ENABLED=0 kept", line: "build -o app .", facts: cross("GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0"),
			want: []string{"# cgo off (CGO_ENABLED=0 from the environment)"}, not: []string{"export CC=", "export CGO_ENABLED"}, verify: "/src/app/app", cache: true},
		{name: "no compiler, pure Go", line: "build -o app .", facts: with(cross("GOOS=linux", "GOARCH=arm64"), noCC),
			want: []string{"# no C cross compiler found; the packages need none: pure Go"}, not: []string{"export CC="}, verify: "/src/app/app", cache: true},
		{name: "no compiler, a package needs cgo", line: "build .", facts: with(cross("GOOS=linux", "GOARCH=arm64"), func(f *Facts) { noCC(f); f.C.NeedsCgo = []string{"example.com/app/sqlite"} }),
			err: "package example.com/app/sqlite needs cgo but no C cross compiler was found"},
		{name: "no compiler, go list only: best effort", line: "list ./...", facts: with(cross("GOOS=linux", "GOARCH=arm64"), func(f *Facts) { noCC(f); f.C.NeedsCgo = []string{"example.com/app/sqlite"} }),
			want: []string{"# no C cross compiler found"}, verify: "-", cache: true},
		{name: "the user's CC kept", line: "build -o app .", facts: with(cross("GOOS=linux", "GOARCH=arm64", "CC=aarch64-linux-gnu-gcc-12"), userCC("aarch64-linux-gnu-gcc-12", true)),
			want: []string{"# cgo on, as in a native build: aarch64-linux-gnu-gcc-12 (CC from the environment)"}, not: []string{"export CC="}, verify: "/src/app/app", cache: true},
		{name: "the user's CC refused", line: "build .", facts: with(cross("GOOS=linux", "GOARCH=arm64", "CC=gcc"), userCC("gcc", false)),
			err: "CC=gcc from the environment builds x86-64 executables, not aarch64"},
		{name: "a GOCACHE of the user's", line: "build -o app .", facts: cross("GOOS=linux", "GOARCH=arm64", "GOCACHE=/mine"),
			want: []string{"# GOCACHE is yours (from the environment): gox leaves it as it is"}, not: []string{"export GOCACHE"}, verify: "/src/app/app"},
		{name: "GOCACHEPROG: gox's key layer in front of it", line: "build -o app .",
			facts: with(cross("GOOS=linux", "GOARCH=arm64", "GOCACHEPROG=go-cacher -cache-dir '/a b'"), func(f *Facts) { f.Self = "/home/u/go/bin/gox" }),
			want: []string{"# GOCACHEPROG (from the environment) does the caching, with gox in front of it",
				`export GOCACHEPROG='/home/u/go/bin/gox __cacheprog ` + cacheKey("linux/arm64", "go1.26.8", "aarch64-linux-gnu-gcc", "aarch64-linux-gnu-gcc (Debian 12.2.0-14) 12.2.0", "fp1") + ` -- go-cacher -cache-dir '\''/a b'\'''`},
			not: []string{"export GOCACHE="}, verify: "/src/app/app"},
		{name: "GOCACHEPROG, cgo off: the key without the C toolchain", line: "build -o app .",
			facts:  with(cross("GOOS=linux", "GOARCH=arm64", "GOCACHEPROG=go-cacher", "CGO_ENABLED=0"), func(f *Facts) { f.Self = "/home/u/go/bin/gox" }),
			want:   []string{"export GOCACHEPROG='/home/u/go/bin/gox __cacheprog " + cacheKey("linux/arm64", "go1.26.8", "", "", "") + " -- go-cacher'"},
			verify: "/src/app/app"},
		{name: "test through qemu: the exec wrapper", line: "test ./...", facts: cross("GOOS=linux", "GOARCH=arm64"),
			want: []string{"# runner: /usr/bin/qemu-aarch64 through go_linux_arm64_exec", "export PATH=/home/u/.cache/gox/exec/"}, verify: "-", cache: true, wrapper: true},
		{name: "test under binfmt: no wrapper, the loader prefix", line: "test -json ./...",
			facts: with(cross("GOOS=linux", "GOARCH=arm64"), func(f *Facts) {
				f.Runner = &RunnerFacts{Runner: binfmt, LoaderPrefix: &runners.LoaderPrefix{OK: true, Prefix: "/usr/aarch64-linux-gnu"}}
			}),
			want: []string{"# runner: binfmt_misc qemu-aarch64", "# core dumps off", "export QEMU_LD_PREFIX=/usr/aarch64-linux-gnu"}, not: []string{"export PATH"}, verify: "-", cache: true},
		{name: "binfmt, prefix not probed yet (gox -n)", line: "test ./...",
			facts: with(cross("GOOS=linux", "GOARCH=arm64"), func(f *Facts) {
				f.Runner = &RunnerFacts{Runner: binfmt, LoaderPrefix: &runners.LoaderPrefix{Unprobed: true, Why: "not probed yet"}}
			}),
			want: []string{"# loader prefix for dynamic cgo binaries: not probed yet"}, not: []string{"QEMU_LD_PREFIX"}, verify: "-", cache: true},
		{name: "the user's -exec", line: "test -exec 'qemu-aarch64 -cpu max' ./...", facts: cross("GOOS=linux", "GOARCH=arm64"),
			want: []string{"# runner: your -exec"}, not: []string{"export PATH"}, verify: "-", cache: true},
		{name: "the user's -exec in GOFLAGS", line: "test ./...", facts: cross("GOOS=linux", "GOARCH=arm64", "GOFLAGS=-exec=qemu-aarch64"),
			want: []string{"# runner: your -exec"}, not: []string{"export PATH"}, verify: "-", cache: true},
		{name: "the user's wrapper on PATH", line: "run .", facts: with(cross("GOOS=linux", "GOARCH=arm64"), func(f *Facts) { f.Runner.UserWrapper = "/opt/bin/go_linux_arm64_exec" }),
			want: []string{"# runner: your /opt/bin/go_linux_arm64_exec"}, not: []string{"export PATH"}, verify: "-", cache: true},
		{name: "nothing runs it", line: "test ./...", facts: with(cross("GOOS=linux", "GOARCH=arm64"), func(f *Facts) {
			f.Runner = &RunnerFacts{Runner: runners.Runner{Kind: runners.RunNone, Detail: "qemu-aarch64 is not on PATH", Fix: "apt-get install qemu-user"}}
		}), err: "cannot run linux/arm64 binaries here: qemu-aarch64 is not on PATH"},
		{name: "go test -c: runs nothing, writes the test binary", line: "test -c ./pkg", facts: with(cross("GOOS=linux", "GOARCH=arm64"), func(f *Facts) { f.Runner = nil }),
			verify: "/src/app/pkg.test", cache: true},
		{name: "windows: the Wine prefix made first", line: "test ./...",
			facts: with(cross("GOOS=windows", "GOARCH=amd64"), func(f *Facts) {
				noCC(f)
				w := runners.WinePrefix{Dir: "/home/u/.cache/gox/wine/abc", MinGW: "/usr/bin/x86_64-w64-mingw32-gcc"}
				f.Runner = &RunnerFacts{Runner: runners.Runner{Kind: runners.RunWine, Cmd: []string{"/usr/bin/wine64"}, Detail: "wine (/usr/bin/wine64) in gox's own Wine prefix"}, Wine: &w}
			}),
			want: []string{"# wine prefix /home/u/.cache/gox/wine/abc is prepared first", "# runner: wine (/usr/bin/wine64) in gox's own Wine prefix through go_windows_amd64_exec"}, verify: "-", cache: true, wrapper: true},
		{name: "test through qemu in gox's user namespace", line: "test -json ./...",
			facts: with(cross("GOOS=linux", "GOARCH=arm64"), func(f *Facts) {
				f.Runner.Namespace = &nsVerdict{OK: true}
				f.Runner.LoaderPrefix = &runners.LoaderPrefix{OK: true, Prefix: "/usr/aarch64-linux-gnu"}
			}),
			want: []string{"# runner: /usr/bin/qemu-aarch64, registered with binfmt_misc in a private user namespace gox makes", "export QEMU_LD_PREFIX=/usr/aarch64-linux-gnu"},
			not:  []string{"export PATH", "go_linux_arm64_exec"}, verify: "-", cache: true, ns: ":gox-ns-aarch64:M:0:\\x7f\\x45\\x4c\\x46\\x02"},
		{name: "user namespaces refused: the exec wrapper, and why", line: "test ./...",
			facts: with(cross("GOOS=linux", "GOARCH=arm64"), func(f *Facts) {
				f.Runner.Namespace = &nsVerdict{Why: "user namespaces are refused: operation not permitted"}
			}),
			want: []string{"# runner: /usr/bin/qemu-aarch64 through go_linux_arm64_exec", "export PATH="}, verify: "-", cache: true, wrapper: true,
			warn: "gox's user-namespace route is unavailable here (user namespaces are refused: operation not permitted)"},
		{name: "the user's -exec wins over the namespace", line: "test -exec qemu-aarch64 ./...",
			facts: with(cross("GOOS=linux", "GOARCH=arm64"), func(f *Facts) { f.Runner.Namespace = &nsVerdict{OK: true} }),
			want:  []string{"# runner: your -exec"}, verify: "-", cache: true},
		{name: "windows in the namespace: PE files to gox's runner", line: "test ./...",
			facts: with(cross("GOOS=windows", "GOARCH=amd64"), func(f *Facts) {
				noCC(f)
				w := runners.WinePrefix{Dir: "/home/u/.cache/gox/wine/abc", MinGW: "/usr/bin/x86_64-w64-mingw32-gcc"}
				f.Runner = &RunnerFacts{Runner: runners.Runner{Kind: runners.RunWine, Cmd: []string{"/usr/bin/wine64"}, Detail: "wine (/usr/bin/wine64) in gox's own Wine prefix"},
					Wine: &w, WineReady: true, Namespace: &nsVerdict{OK: true}}
			}),
			want: []string{"registered with binfmt_misc in a private user namespace"}, not: []string{"export PATH"}, verify: "-", cache: true, wrapper: true,
			ns: ":gox-ns-pe:M:0:\\x4d\\x5a::/home/u/.cache/gox/exec/"},
		{name: "gox.toml, untrusted, names a compiler: refused", line: "build -o app .",
			facts: with(cross("GOOS=linux", "GOARCH=arm64"), func(f *Facts) { f.Project = projectFile(t, "cc = \"./tools/cc.sh\"", false) }),
			err:   "gox.toml: not trusted: it names programs to run (cc = ./tools/cc.sh)"},
		{name: "gox.toml, untrusted, passive settings apply", line: "build -o app .",
			facts: with(cross("GOOS=linux", "GOARCH=arm64"), func(f *Facts) { f.Project = projectFile(t, "cgo = false\nenv = { GOARM64 = \"v8.2\" }", false) }),
			want: []string{"# settings for this target from /src/app/gox.toml [target.\"linux/arm64\"]: CGO_ENABLED, GOARM64", "# cgo off (CGO_ENABLED=0 from gox.toml)",
				"export CGO_ENABLED=0", "export GOARM64=v8.2"}, verify: "/src/app/app", cache: true},
		{name: "gox.toml: the environment wins", line: "build -o app .",
			facts: with(cross("GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=1"), func(f *Facts) { f.Project = projectFile(t, "cgo = false", false) }),
			want:  []string{"# cgo on (CGO_ENABLED=1 from the environment)"}, not: []string{"export CGO_ENABLED=0"}, verify: "/src/app/app", cache: true},
		{name: "gox.toml, trusted: its runner, exported for the wrapper", line: "test ./...",
			facts: with(cross("GOOS=linux", "GOARCH=arm64"), func(f *Facts) {
				f.Project = projectFile(t, "runner = [\"qemu-aarch64\", \"-cpu\", \"max\"]", true)
				f.Runner = &RunnerFacts{Runner: runners.Runner{Kind: runners.RunUser, Cmd: []string{"qemu-aarch64", "-cpu", "max"}, Detail: "qemu-aarch64 -cpu max (gox.toml)"}}
			}),
			want:   []string{"export GOX_RUNNER_linux_arm64='qemu-aarch64 -cpu max'", "# runner: qemu-aarch64 -cpu max (gox.toml) through go_linux_arm64_exec", "you trust it"},
			verify: "-", cache: true, wrapper: true},
		{name: "verification off", line: "build -o app .", facts: cross("GOOS=linux", "GOARCH=arm64", "GOX_VERIFY=off"), not: []string{"verifies"}, verify: "-", cache: true},
		{name: "-o /dev/null writes nothing to verify", line: "build -o /dev/null .", facts: cross("GOOS=linux", "GOARCH=arm64"), verify: "-", cache: true},
		{name: "go install writes to bin/<goos>_<goarch>", line: "install ./cmd/app", facts: cross("GOOS=linux", "GOARCH=arm64"), verify: "/home/u/go/bin/linux_arm64", cache: true},
		{name: "go env -w sees the user's environment only", line: "env -w CC=clang", facts: cross("GOOS=linux", "GOARCH=arm64"),
			not: []string{"export"}, verify: "-"},
		{name: "an unknown -target", line: "build -target linux/arm65 .", gox: true, facts: cross(), err: "linux/arm65", usage: true},
		{name: "a port the toolchain lacks, from the environment: go's own error", line: "build .", facts: cross("GOOS=linux", "GOARCH=sparc64"),
			not: []string{"export"}, verify: "-"},
		{name: "android/arm links externally, nothing to link with", line: "build -o app .", facts: with(cross("GOOS=android", "GOARCH=arm"), noCC),
			err: "android/arm links externally even without cgo"},
		{name: "android/arm, a library only: no C compiler needed", line: "build ./lib", facts: with(cross("GOOS=android", "GOARCH=arm"), func(f *Facts) { noCC(f); f.C.Links = false }),
			want: []string{"# android/arm links externally, but this command links nothing"}, not: []string{"export CC"}, cache: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args, err := toolchain.SplitQuoted(tt.line)
			if err != nil {
				t.Fatal(err)
			}
			l, err := cmdline.Parse(args, cmdline.Options{Gox: tt.gox})
			if err != nil {
				t.Fatal(err)
			}
			p, err := Decide(l, tt.facts)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				var ue base.UsageError
				if errors.As(err, &ue) != tt.usage {
					t.Errorf("usage error %v, want %v", !tt.usage, tt.usage)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			script := p.Script()
			for _, w := range tt.want {
				if !strings.Contains(script, w) {
					t.Errorf("plan lacks %q:\n%s", w, script)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(script, n) {
					t.Errorf("plan has %q:\n%s", n, script)
				}
			}
			verify := "-"
			if p.Verify != nil {
				verify = strings.Join(append(p.Verify.Files, p.Verify.Dirs...), " ")
			}
			if tt.verify != "" && verify != tt.verify {
				t.Errorf("verify %q, want %q", verify, tt.verify)
			}
			if (p.Cache != nil) != tt.cache || (p.Wrapper != nil) != tt.wrapper {
				t.Errorf("makes cache %v wrapper %v, want %v %v", p.Cache != nil, p.Wrapper != nil, tt.cache, tt.wrapper)
			}
			switch {
			case tt.ns == "" && p.Namespace != nil:
				t.Errorf("namespace route %q, want none", p.Namespace.Registrations)
			case tt.ns != "" && (p.Namespace == nil || len(p.Namespace.Registrations) != 1 || !strings.HasPrefix(p.Namespace.Registrations[0], tt.ns) || !p.Follow):
				t.Errorf("namespace route %+v (follow %v), want a registration starting %q", p.Namespace, p.Follow, tt.ns)
			}
			if tt.warn != "" && !strings.Contains(strings.Join(p.Warnings, "\n"), tt.warn) {
				t.Errorf("warnings %q, want %q", p.Warnings, tt.warn)
			}
			if p.Cache != nil && !strings.Contains(script, "export GOCACHE="+p.Cache.Root+"/"+p.Cache.ID.DirName()+"\n") {
				t.Errorf("GOCACHE is not the directory the plan makes:\n%s", script)
			}
			// The environment go gets is the user's with the plan's changes.
			for _, c := range p.Changes {
				if !c.Unset && !c.Prepend && p.Env.Get(c.Name) != c.Value {
					t.Errorf("%s=%q in the plan, %q in go's environment", c.Name, c.Value, p.Env.Get(c.Name))
				}
			}
		})
	}

	// A glibc floor reaches verification: from the target, and from a CC
	// of the user's that is zig with a glibc version in its -target.
	zig := &compilers.CCompiler{CC: []string{"zig", "cc", "-target", "aarch64-linux-gnu.2.28"}, Origin: compilers.FromCC, Var: "CC", From: "env"}
	for _, c := range []struct {
		line       string
		facts      Facts
		floor, max string
	}{
		{"build -target linux/arm64/gnu2.28 .", cross(), "2.28", ""},
		{"build -target linux/arm64 .", with(cross("CC=zig cc -target aarch64-linux-gnu.2.28"), func(f *Facts) { f.C.Compiler = zig }), "", "2.28"},
		{"build -target linux/arm64 .", cross(), "", ""},
	} {
		l, err := cmdline.Parse(strings.Fields(c.line), cmdline.Options{Gox: true})
		if err != nil {
			t.Fatal(err)
		}
		p, err := Decide(l, c.facts)
		if err != nil {
			t.Fatalf("%s: %v", c.line, err)
		}
		if p.Verify == nil || p.Verify.Want.Target.Glibc != c.floor || p.Verify.Want.MaxGLIBC != c.max {
			t.Errorf("%s: verification %+v, want floor %q, max %q", c.line, p.Verify, c.floor, c.max)
		}
	}
}

// cacheKey is the identity key of a GOCACHEPROG layer.
func cacheKey(target, goVersion, cc, ccVersion, sysroot string) string {
	return cache.Identity{Target: target, Go: goVersion, CC: cc, CCVersion: ccVersion, Sysroot: sysroot}.Key()
}

// projectFile is a gox.toml at /src/app with one [target."linux/arm64"] table
// holding body, trusted or not.
func projectFile(t *testing.T, body string, trusted bool) *project.Facts {
	t.Helper()
	cfg, err := config.Parse("/src/app/gox.toml", []byte("[target.\"linux/arm64\"]\n"+body+"\n"))
	if err != nil {
		t.Fatal(err)
	}
	why := "never trusted"
	if trusted {
		why = "trusted 2026-11-23 06:00"
	}
	return &project.Facts{File: cfg, Trusted: trusted, Why: why, Dir: "/src/app"}
}

// The cache directory follows the sysroot's fingerprint: a changed sysroot
// is another directory, the same facts the same one.
func TestDecideCacheFollowsSysroot(t *testing.T) {
	dir := func(fp string) string {
		e := toolchain.Env{"GOOS=linux", "GOARCH=arm64"}
		gcc := &compilers.CCompiler{CC: []string{"aarch64-linux-gnu-gcc"}, Rule: "aarch64-linux-gnu-gcc", Triple: "aarch64-linux-gnu"}
		f := Facts{Go: toolchain.GoCommand{Path: "/go/bin/go"}, Env: e, Host: Host{"linux", "amd64"}, Settings: toolchain.GoSettings{Env: e}, Read: true,
			State:   toolchain.State{Dir: "/s"},
			GoFacts: &toolchain.GoFacts{GoVersion: "go1.26.8", Ports: []toolchain.Port{{GOOS: "linux", GOARCH: "arm64", CgoSupported: true}}},
			C:       cFacts{Compiler: gcc, Tried: []compilers.Tried{{Compiler: *gcc, Probe: compilers.Probe{OK: true, Version: "12.2.0"}}}},
			Sysroot: []string{"/usr/aarch64-linux-gnu/include"}, Fingerprint: fp}
		p, err := Decide(cmdline.Line{Sub: "build"}, f)
		if err != nil || p.Cache == nil {
			t.Fatalf("%v, cache %v", err, p.Cache)
		}
		return p.Env.Get("GOCACHE")
	}
	if dir("a") != dir("a") || dir("a") == dir("b") {
		t.Errorf("fingerprints a, a, b give %s %s %s", dir("a"), dir("a"), dir("b"))
	}
}

// TestDecideFacts pins how the plan carries the facts it was decided from:
// the C identity into the go command's own key (CGO_CPPFLAGS), and the
// loader-prefix verdict to gox's exec wrapper (an internal variable, not a
// change the user sees as one).
func TestDecideFacts(t *testing.T) {
	h := Host{"linux", "amd64"}
	goCmd := toolchain.GoCommand{Path: "/usr/local/go/bin/go", Root: "/usr/local/go", Verified: true}
	facts := &toolchain.GoFacts{GoVersion: "go1.26.8", Ports: []toolchain.Port{{GOOS: "linux", GOARCH: "arm64", CgoSupported: true}}}
	gcc := &compilers.CCompiler{CC: []string{"aarch64-linux-gnu-gcc"}, Triple: "aarch64-linux-gnu"}
	qemu := runners.Runner{Kind: runners.RunQemu, Cmd: []string{"/usr/bin/qemu-aarch64"}, Wrapper: true, Detail: "/usr/bin/qemu-aarch64"}
	base := func(env ...string) Facts {
		e := toolchain.Env(append([]string{"PATH=/usr/bin", "HOME=/home/u", "GOOS=linux", "GOARCH=arm64"}, env...))
		return Facts{Go: goCmd, Env: e, Host: h, Settings: toolchain.GoSettings{Env: e}, Read: true,
			State: toolchain.State{Dir: "/home/u/.cache/gox"}, GoFacts: facts,
			C:       cFacts{Compiler: gcc, Tried: []compilers.Tried{{Compiler: *gcc, Probe: compilers.Probe{OK: true, Version: "gcc 12"}}}, Links: true},
			Sysroot: []string{"/usr/aarch64-linux-gnu/include"}, Fingerprint: "fp1",
			Runner: &RunnerFacts{Runner: qemu}, Self: "/home/u/go/bin/gox"}
	}
	plan := func(line string, f Facts) Plan {
		t.Helper()
		l, err := cmdline.Parse(strings.Fields(line), cmdline.Options{})
		if err != nil {
			t.Fatal(err)
		}
		p, err := Decide(l, f)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	define := compilers.IdentityDefine + shortHash("fp1")

	if p := plan("build .", base()); p.Env.Get("CGO_CPPFLAGS") != define {
		t.Errorf("cgo build: CGO_CPPFLAGS=%q, want %q", p.Env.Get("CGO_CPPFLAGS"), define)
	}
	// the user's flags kept, a define of an outer gox replaced
	if p := plan("build .", base("CGO_CPPFLAGS=-I/x "+compilers.IdentityDefine+"old")); p.Env.Get("CGO_CPPFLAGS") != "-I/x "+define {
		t.Errorf("with the user's flags: CGO_CPPFLAGS=%q", p.Env.Get("CGO_CPPFLAGS"))
	}
	other := base()
	other.Fingerprint = "fp2"
	if p := plan("build .", other); p.Env.Get("CGO_CPPFLAGS") == define {
		t.Error("another sysroot, the same define")
	}
	if p := plan("build .", base("CGO_ENABLED=0")); p.Env.Get("CGO_CPPFLAGS") != "" {
		t.Errorf("cgo off: CGO_CPPFLAGS=%q", p.Env.Get("CGO_CPPFLAGS"))
	}
	unknown := base()
	unknown.SysrootErr = errors.New("gcc -E -v: signal: killed")
	if p := plan("build .", unknown); !strings.Contains(p.Script(), "could not be identified (gcc -E -v: signal: killed)") || p.Env.Get("CGO_CPPFLAGS") != compilers.IdentityDefine+shortHash("unidentified") {
		t.Errorf("unknown sysroot:\n%s", p.Script())
	}

	lv := LoaderVar(toolchain.Target{GOOS: "linux", GOARCH: "arm64"})
	for _, c := range []struct {
		name    string
		lp      *runners.LoaderPrefix
		env     []string
		want    string // the variable's value; "" for unset
		note    string
		changed bool
	}{
		{"a prefix", &runners.LoaderPrefix{OK: true, Prefix: "/usr/aarch64-linux-gnu", Why: "a dynamic cgo probe ran under /usr/aarch64-linux-gnu"}, nil,
			"ok:/usr/aarch64-linux-gnu", "# loader prefix for dynamic cgo binaries: -L /usr/aarch64-linux-gnu", false},
		{"none needed", &runners.LoaderPrefix{OK: true, Why: "ran under no prefix"}, nil, "ok:", "none needed", false},
		{"none works, this run", &runners.LoaderPrefix{Why: "no loader prefix runs a dynamic cgo program: x"}, nil,
			"no:no loader prefix runs a dynamic cgo program: x", "none works", false},
		{"not probed (gox -n)", &runners.LoaderPrefix{Unprobed: true, Why: "not probed yet"}, nil, "", "not probed yet", false},
		{"the user's QEMU_LD_PREFIX", &runners.LoaderPrefix{OK: true, Prefix: "/x"}, []string{"QEMU_LD_PREFIX=/mine"}, "", "", false},
	} {
		f := base(c.env...)
		f.Runner.LoaderPrefix = c.lp
		p := plan("test .", f)
		if got := p.Env.Get(lv); got != c.want {
			t.Errorf("%s: %s=%q, want %q", c.name, lv, got, c.want)
		}
		if c.note != "" && !strings.Contains(p.Script(), c.note) {
			t.Errorf("%s: no note %q in\n%s", c.name, c.note, p.Script())
		}
		if strings.Contains(p.Script(), lv) {
			t.Errorf("%s: the internal variable is shown as a change", c.name)
		}
	}
}

// TestDecideNamespaceLoader: on the namespace route a needed loader prefix
// is applied by the registered interpreter itself (gox as gox-qemu-ld),
// so that it reaches binaries run with an environment of their own.
func TestDecideNamespaceLoader(t *testing.T) {
	h := Host{"linux", "amd64"}
	goCmd := toolchain.GoCommand{Path: "/usr/local/go/bin/go", Root: "/usr/local/go", Verified: true}
	facts := &toolchain.GoFacts{GoVersion: "go1.26.8", Ports: []toolchain.Port{{GOOS: "linux", GOARCH: "riscv64", CgoSupported: true}}}
	gcc := &compilers.CCompiler{CC: []string{"riscv64-linux-gnu-gcc"}, Triple: "riscv64-linux-gnu"}
	e := toolchain.Env{"PATH=/usr/bin", "HOME=/home/u", "GOOS=linux", "GOARCH=riscv64"}
	f := Facts{Go: goCmd, Env: e, Host: h, Settings: toolchain.GoSettings{Env: e}, Read: true,
		State: toolchain.State{Dir: "/home/u/.cache/gox"}, GoFacts: facts,
		C:       cFacts{Compiler: gcc, Tried: []compilers.Tried{{Compiler: *gcc, Probe: compilers.Probe{OK: true}}}, Links: true},
		Sysroot: []string{"/usr/riscv64-linux-gnu/include"}, Fingerprint: "fp",
		Runner: &RunnerFacts{Runner: runners.Runner{Kind: runners.RunQemu, Cmd: []string{"/usr/bin/qemu-riscv64"}},
			Namespace: &nsVerdict{OK: true}, LoaderPrefix: &runners.LoaderPrefix{OK: true, Prefix: "/usr/riscv64-linux-gnu"}},
		Self: "/home/u/go/bin/gox"}
	l, _ := cmdline.Parse([]string{"test", "./..."}, cmdline.Options{})
	p, err := Decide(l, f)
	if err != nil {
		t.Fatal(err)
	}
	if p.QemuLD == nil || p.QemuLD.Qemu != "/usr/bin/qemu-riscv64" || p.QemuLD.Prefix != "/usr/riscv64-linux-gnu" {
		t.Fatalf("QemuLD = %+v", p.QemuLD)
	}
	if reg := p.Namespace.Registrations[0]; !strings.HasSuffix(reg, ":"+p.QemuLD.Path()+":F") || !strings.HasPrefix(p.QemuLD.Path(), "/home/u/.cache/gox/qemu-ld/") {
		t.Errorf("registration %q, interpreter %s", reg, p.QemuLD.Path())
	}
	// no prefix needed: qemu itself is registered
	f.Runner.LoaderPrefix = &runners.LoaderPrefix{OK: true}
	p, _ = Decide(l, f)
	if p.QemuLD != nil || !strings.HasSuffix(p.Namespace.Registrations[0], ":/usr/bin/qemu-riscv64:F") {
		t.Errorf("without a prefix: %+v, %q", p.QemuLD, p.Namespace.Registrations)
	}
}

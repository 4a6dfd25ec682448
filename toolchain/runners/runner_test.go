package runners

import (
	"github.com/gox-build/gox/toolchain"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestChooseRunner(t *testing.T) {
	look := func(have ...string) func(string) (string, bool) {
		return func(name string) (string, bool) {
			for _, h := range have {
				if h == name {
					return "/usr/bin/" + name, true
				}
			}
			return "", false
		}
	}
	arm64 := toolchain.Target{GOOS: "linux", GOARCH: "arm64"}
	tests := []struct {
		name    string
		in      RunnerInput
		kind    RunnerKind
		cmd     string
		wrapper bool
	}{
		{"native", RunnerInput{Target: toolchain.Target{GOOS: "linux", GOARCH: "amd64"}}, "native", "", false},
		{"386 on amd64 when the probe says so", RunnerInput{Target: toolchain.Target{GOOS: "linux", GOARCH: "386"}, NativeOK: true}, "native", "", false},
		{"qemu", RunnerInput{Target: arm64, LookPath: look("qemu-aarch64")}, "qemu", "/usr/bin/qemu-aarch64", true},
		{"qemu static", RunnerInput{Target: arm64, LookPath: look("qemu-aarch64-static")}, "qemu", "/usr/bin/qemu-aarch64-static", true},
		{"binfmt beats qemu", RunnerInput{Target: arm64, LookPath: look("qemu-aarch64"), Binfmt: &BinfmtEntry{Name: "qemu-aarch64", Interpreter: "/usr/bin/qemu-aarch64-static"}}, "binfmt", "", false},
		{"the user's runner beats everything", RunnerInput{Target: arm64, User: []string{"ssh", "pi"}, NativeOK: true}, "user", "ssh pi", true},
		{"no qemu", RunnerInput{Target: arm64, Distro: "debian"}, "none", "", false},
		{"node for js/wasm", RunnerInput{Target: toolchain.Target{GOOS: "js", GOARCH: "wasm"}, LookPath: look("node"), GOROOT: "/go"}, "node", "/go/lib/wasm/go_js_wasm_exec", true},
		{"js/wasm without node", RunnerInput{Target: toolchain.Target{GOOS: "js", GOARCH: "wasm"}}, "none", "", false},
		{"wasip1 with gox-wasi", RunnerInput{Target: toolchain.Target{GOOS: "wasip1", GOARCH: "wasm"}, WasiHelper: "/bin/gox-wasi"}, "wasi", "/bin/gox-wasi", true},
		{"wasip1 without gox-wasi", RunnerInput{Target: toolchain.Target{GOOS: "wasip1", GOARCH: "wasm"}}, "none", "", false},
		{"windows without wine", RunnerInput{Target: toolchain.Target{GOOS: "windows", GOARCH: "amd64"}, LookPath: look("qemu-x86_64")}, "none", "", false},
		{"windows/amd64 under wine64", RunnerInput{Target: toolchain.Target{GOOS: "windows", GOARCH: "amd64"}, LookPath: look("wine64", "wine")}, "wine", "/usr/bin/wine64", true},
		{"windows/386 needs the 32-bit loader", RunnerInput{Target: toolchain.Target{GOOS: "windows", GOARCH: "386"}, LookPath: look("wine64")}, "none", "", false},
		{"windows/arm64 has no wine here", RunnerInput{Target: toolchain.Target{GOOS: "windows", GOARCH: "arm64"}, LookPath: look("wine64")}, "none", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			in.HostGOOS, in.HostGOARCH = "linux", "amd64"
			r := ChooseRunner(in)
			if r.Kind != tt.kind || strings.Join(r.Cmd, " ") != tt.cmd || r.Wrapper != tt.wrapper {
				t.Errorf("got %+v, want kind %s cmd %q wrapper %v", r, tt.kind, tt.cmd, tt.wrapper)
			}
			if r.Kind == RunNone && r.Detail == "" {
				t.Error("no reason given")
			}
		})
	}
	// The kernel's registration is the runner, whatever program it names:
	// loader prefixes are probed through it, never through a qemu of the
	// PATH or by calling its program (a distribution's argv0-preserving
	// wrapper takes no -L).
	for _, interp := range []string{"/usr/bin/qemu-aarch64-static", "/usr/libexec/qemu-binfmt/aarch64-binfmt-P"} {
		reg := &BinfmtEntry{Name: "qemu-aarch64", Interpreter: interp, Flags: "PF"}
		r := ChooseRunner(RunnerInput{Target: arm64, HostGOOS: "linux", HostGOARCH: "amd64", Binfmt: reg})
		if r.Kind != RunBinfmt || r.Binfmt != reg || r.Emulator != "" || len(r.Cmd) != 0 || r.Wrapper {
			t.Errorf("binfmt through %s: %+v, want the registration and no emulator", interp, r)
		}
	}
	if r := ChooseRunner(RunnerInput{Target: arm64, HostGOOS: "linux", HostGOARCH: "amd64", Distro: "debian"}); r.Fix != "apt-get install qemu-user" {
		t.Errorf("fix = %q", r.Fix)
	}
}

func TestBinfmt(t *testing.T) {
	// Debian's qemu-user-static registration for aarch64.
	deb := "enabled\ninterpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\nflags: POCF\noffset 0\n" +
		"magic 7f454c460201010000000000000000000200b700\nmask ffffffffffffff00fffffffffffffffffeffffff\n"
	e, ok := ParseBinfmt("qemu-aarch64", []byte(deb))
	if !ok || !e.Enabled || e.Interpreter != "/usr/libexec/qemu-binfmt/aarch64-binfmt-P" || e.Flags != "POCF" {
		t.Fatalf("ParseBinfmt = %+v, %v", e, ok)
	}
	if !e.Matches(ELFHeaderFor("arm64", false)) || !e.Matches(ELFHeaderFor("arm64", true)) {
		t.Error("does not match arm64 executables")
	}
	if e.Matches(ELFHeaderFor("riscv64", false)) || e.Matches(ELFHeaderFor("amd64", false)) || e.Matches([]byte("#!/bin/sh")) {
		t.Error("matches what it should not")
	}
	if _, ok := ParseBinfmt("x", []byte("enabled\nmagic zz\n")); ok {
		t.Error("garbage accepted")
	}
	// gox's own registration matches what Debian's does, for every arch.
	for _, a := range []string{"arm64", "arm", "riscv64", "ppc64le", "ppc64", "s390x", "mips", "mipsle", "mips64le", "loong64", "386"} {
		line, err := BinfmtRegistration(a, "/usr/bin/qemu-x")
		if err != nil {
			t.Fatal(err)
		}
		f := strings.Split(line, ":")
		if len(f) != 8 || f[1] != BinfmtName(a) || f[2] != "M" || f[7] != "F" {
			t.Fatalf("%s: %q", a, line)
		}
		unesc := func(s string) []byte {
			var b []byte
			for i := 0; i+3 < len(s); i += 4 {
				var c byte
				for _, d := range s[i+2 : i+4] {
					c = c*16 + byte(strings.IndexRune("0123456789abcdef", d))
				}
				b = append(b, c)
			}
			return b
		}
		e := BinfmtEntry{Name: f[1], Enabled: true, Magic: unesc(f[4]), Mask: unesc(f[5]), Interpreter: f[6]}
		if !e.Matches(ELFHeaderFor(a, false)) || !e.Matches(ELFHeaderFor(a, true)) {
			t.Errorf("%s: registration does not match its own executables", a)
		}
		for _, other := range []string{"amd64", "arm64", "riscv64", "s390x"} {
			if other != a && e.Matches(ELFHeaderFor(other, false)) {
				t.Errorf("%s: registration matches %s", a, other)
			}
		}
	}
}

// A user's runner that is qemu and names no loader prefix carries its qemu
// as Emulator, so dynamic binaries get the probed prefix; one that names
// -L, or is no qemu, does not.
func TestUserRunnerEmulator(t *testing.T) {
	arm64 := toolchain.Target{GOOS: "linux", GOARCH: "arm64"}
	look := func(name string) (string, bool) {
		if strings.HasPrefix(name, "/") {
			return name, true
		}
		return "/usr/bin/" + name, true
	}
	for user, want := range map[string]string{
		"qemu-aarch64 -cpu max":            "/usr/bin/qemu-aarch64",
		"qemu-aarch64 -L /opt/sr -cpu max": "",
		"ssh pi":                           "",
		"/opt/qemu/bin/qemu-aarch64-static -cpu cortex-a72": "/opt/qemu/bin/qemu-aarch64-static",
	} {
		r := ChooseRunner(RunnerInput{Target: arm64, HostGOOS: "linux", HostGOARCH: "amd64", User: strings.Fields(user), LookPath: look})
		if r.Kind != RunUser || r.Emulator != want {
			t.Errorf("%q: kind %s emulator %q, want user %q", user, r.Kind, r.Emulator, want)
		}
	}
}

// TestLoaderPrefixKey: a loader-prefix verdict names what runs the probe:
// a qemu binary, or the kernel's registration with its flags and program
// (the route the tests take on a host with qemu-user-static); qemu's own
// variables count, the prefix variable a candidate sets does not.
func TestLoaderPrefixKey(t *testing.T) {
	dir := t.TempDir()
	qa, qb := filepath.Join(dir, "qemu-a"), filepath.Join(dir, "qemu-b")
	os.WriteFile(qa, []byte("a"), 0o755)
	os.WriteFile(qb, []byte("bb"), 0o755)
	arm64 := toolchain.Target{GOOS: "linux", GOARCH: "arm64"}
	reg := func(flags, interp string) *BinfmtEntry {
		return &BinfmtEntry{Name: "qemu-aarch64", Interpreter: interp, Flags: flags}
	}
	key := func(in PrefixProbe) string {
		t.Helper()
		in.Target = arm64
		k, err := in.key([]string{"", "/usr/aarch64-linux-gnu"})
		if err != nil {
			t.Fatal(err)
		}
		if k.Kind != "loader-prefix" || k.Scope != "linux/arm64" {
			t.Fatalf("key %+v", k)
		}
		return strings.Join(k.Inputs, "\n")
	}
	base := key(PrefixProbe{Qemu: qa})
	distinct := map[string]PrefixProbe{
		"another qemu":               {Qemu: qb},
		"the kernel's registration":  {Binfmt: reg("PF", qa)},
		"qemu's variables":           {Qemu: qa, Env: toolchain.Env{"QEMU_CPU=cortex-a53"}},
		"another project":            {Qemu: qa, Project: "gox.toml sha256:00"},
		"another sysroot":            {Qemu: qa, Sysroot: "/opt/sr"},
		"the registration's flags":   {Binfmt: reg("POCF", qa)},
		"the registration's program": {Binfmt: reg("PF", qb)},
	}
	seen := map[string]string{"plain qemu": base}
	for name, in := range distinct {
		k := key(in)
		for other, ok := range seen {
			if k == ok {
				t.Errorf("%s keys the verdict as %s does", name, other)
			}
		}
		seen[name] = k
	}
	if k := key(PrefixProbe{Qemu: qa, Env: toolchain.Env{"QEMU_LD_PREFIX=/x"}}); k != base {
		t.Errorf("QEMU_LD_PREFIX, which each candidate sets, changed the key")
	}
	if _, err := (PrefixProbe{Target: arm64, Binfmt: reg("F", filepath.Join(dir, "gone"))}).key(nil); err == nil {
		t.Error("a registration whose program is gone made a key")
	}
}

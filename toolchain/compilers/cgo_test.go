package compilers

import (
	"errors"
	"strings"
	"testing"

	"github.com/gox-build/gox/toolchain"
	"github.com/gox-build/gox/toolchain/objfile"
)

func TestDecideC(t *testing.T) {
	arm64 := toolchain.Target{GOOS: "linux", GOARCH: "arm64"}
	port := toolchain.Port{GOOS: "linux", GOARCH: "arm64", CgoSupported: true}
	gcc := &CCompiler{CC: []string{"aarch64-linux-gnu-gcc"}, CXX: []string{"aarch64-linux-gnu-g++"}, Rule: "aarch64-linux-gnu-gcc", Triple: "aarch64-linux-gnu"}
	okProbe := Probe{OK: true, Got: objfile.ObjectInfo{Format: "elf", GOARCH: "arm64", Machine: "aarch64"}}
	triedOK := []Tried{{Compiler: *gcc, Probe: okProbe}}
	notFound := []Tried{{Compiler: *gcc, Probe: Probe{Problem: "not found", NotFound: true}}}
	hostGCC := CCompiler{CC: []string{"gcc"}, Origin: FromCC, Var: "CC", From: "env"}
	wrongArch := []Tried{{Compiler: hostGCC, Probe: Probe{Problem: "builds for amd64 (x86-64), not arm64"}}}
	needs := func(pkgs ...string) func() ([]string, error) {
		return func() ([]string, error) { return pkgs, nil }
	}
	called := func(t *testing.T) func() ([]string, error) {
		return func() ([]string, error) { t.Error("NeedsCgo called although it is not needed"); return nil, nil }
	}
	look := func(name string) (string, bool) { return "/usr/bin/" + name, name == "aarch64-linux-gnu-ar" }

	tests := []struct {
		name    string
		in      CInput
		cgo     bool
		changes string // "NAME=value" joined by spaces; "-NAME" for unset
		err     string
		cerr    *CompilerError
	}{
		{
			name:    "compiler found: cgo on, as natively",
			in:      CInput{Compiler: gcc, Tried: triedOK, Strict: true},
			cgo:     true,
			changes: "CGO_ENABLED=1 CC=aarch64-linux-gnu-gcc CXX=aarch64-linux-gnu-g++ AR=aarch64-linux-gnu-ar PKG_CONFIG_LIBDIR=/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/aarch64-linux-gnu/lib/pkgconfig:/usr/share/pkgconfig",
		},
		{
			name:    "the user's CGO_ENABLED=0 is respected",
			in:      CInput{Compiler: gcc, Tried: triedOK, Strict: true, Settings: toolchain.GoSettings{Env: toolchain.Env{"CGO_ENABLED=0"}}},
			changes: "",
		},
		{
			name:    "CGO_ENABLED=1 from GOENV with a compiler",
			in:      CInput{Compiler: gcc, Tried: triedOK, Strict: true, Settings: toolchain.GoSettings{User: map[string]string{"CGO_ENABLED": "1"}}},
			cgo:     true,
			changes: "CC=aarch64-linux-gnu-gcc CXX=aarch64-linux-gnu-g++ AR=aarch64-linux-gnu-ar PKG_CONFIG_LIBDIR=/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/aarch64-linux-gnu/lib/pkgconfig:/usr/share/pkgconfig",
		},
		{
			name: "CGO_ENABLED=1 without a compiler fails",
			in:   CInput{Tried: notFound, Strict: true, Settings: toolchain.GoSettings{Env: toolchain.Env{"CGO_ENABLED=1"}}, Distro: "debian"},
			err:  "target linux/arm64: CGO_ENABLED=1, but no C cross compiler was found",
			cerr: &CompilerError{Install: "apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross", Tried: "aarch64-linux-gnu-gcc (not on PATH)"},
		},
		{
			name: "no compiler, packages need cgo: refused with the package to install",
			in:   CInput{Tried: notFound, Strict: true, NeedsCgo: needs("example.com/m/sqlite"), Distro: "debian"},
			err:  "target linux/arm64: package example.com/m/sqlite needs cgo but no C cross compiler was found",
			cerr: &CompilerError{Install: "apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross"},
		},
		{
			name: "several packages need cgo",
			in:   CInput{Tried: notFound, Strict: true, NeedsCgo: needs("a", "b", "c")},
			err:  "package a (and 2 more) needs cgo",
		},
		{
			name:    "no compiler, pure Go: builds as the go command would",
			in:      CInput{Tried: notFound, Strict: true, NeedsCgo: needs()},
			changes: "",
		},
		{
			name:    "no compiler, not strict (go list for gopls): never fails, never asks",
			in:      CInput{Tried: notFound, NeedsCgo: called(t)},
			changes: "",
		},
		{
			name: "the user's CC builds for the host: rejected before the build",
			in:   CInput{Tried: wrongArch, Strict: true, NeedsCgo: called(t)},
			err:  "target linux/arm64: CC=gcc from the environment builds for amd64 (x86-64), not arm64",
			cerr: &CompilerError{Setting: "CC"},
		},
		{
			name:    "the user's wrong CC does not break go list",
			in:      CInput{Tried: wrongArch, NeedsCgo: called(t)},
			changes: "",
		},
		{
			name:    "the user's CC works: left where it is, not copied",
			in:      CInput{Compiler: &CCompiler{CC: []string{"aarch64-linux-gnu-gcc"}, Origin: FromCC, Var: "CC", From: "env"}, Tried: triedOK, Strict: true},
			cgo:     true,
			changes: "CGO_ENABLED=1 PKG_CONFIG_LIBDIR=/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/aarch64-linux-gnu/lib/pkgconfig:/usr/share/pkgconfig",
		},
		{
			name:    "the user's pkg-config setting wins",
			in:      CInput{Compiler: gcc, Tried: triedOK, Strict: true, Settings: toolchain.GoSettings{Env: toolchain.Env{"PKG_CONFIG_PATH=/opt/pc", "CXX=my-g++"}}},
			cgo:     true,
			changes: "CGO_ENABLED=1 CC=aarch64-linux-gnu-gcc AR=aarch64-linux-gnu-ar",
		},
		{
			name:    "port without cgo: pure Go, nothing asked",
			in:      CInput{Target: toolchain.Target{GOOS: "js", GOARCH: "wasm"}, Port: toolchain.Port{GOOS: "js", GOARCH: "wasm"}, Strict: true, NeedsCgo: called(t)},
			changes: "",
		},
		{
			name: "android/arm links externally even without cgo",
			in: CInput{Target: toolchain.Target{GOOS: "android", GOARCH: "arm"}, Port: toolchain.Port{GOOS: "android", GOARCH: "arm", CgoSupported: true},
				Strict: true, Settings: toolchain.GoSettings{Env: toolchain.Env{"CGO_ENABLED=0"}}},
			err: "android/arm links externally even without cgo",
		},
		{
			name: "android/arm builds package archives without a C compiler",
			in: CInput{Target: toolchain.Target{GOOS: "android", GOARCH: "arm"}, Port: toolchain.Port{GOOS: "android", GOARCH: "arm", CgoSupported: true},
				Strict: true, Links: func() (bool, error) { return false, nil }, NeedsCgo: needs()},
			changes: "",
		},
		{
			name: "android/arm with a main package still needs one",
			in: CInput{Target: toolchain.Target{GOOS: "android", GOARCH: "arm"}, Port: toolchain.Port{GOOS: "android", GOARCH: "arm", CgoSupported: true},
				Strict: true, Links: func() (bool, error) { return true, nil }},
			err: "android/arm links externally even without cgo",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			if in.Target.GOOS == "" {
				in.Target, in.Port = arm64, port
			}
			in.LookPath = look
			dec, err := DecideC(in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				var e *CompilerError
				if !errors.As(err, &e) {
					t.Fatalf("err %T is not a *CompilerError", err)
				}
				if w := tt.cerr; w != nil && (e.Setting != w.Setting || e.Config != w.Config || e.Install != w.Install || (w.Tried != "" && e.Tried != w.Tried)) {
					t.Errorf("error facts: setting %q config %q install %q tried %q; want %q %q %q %q", e.Setting, e.Config, e.Install, e.Tried, w.Setting, w.Config, w.Install, w.Tried)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range dec.Changes {
				if c.Unset {
					got = append(got, "-"+c.Name)
				} else {
					got = append(got, c.Name+"="+c.Value)
				}
			}
			if strings.Join(got, " ") != tt.changes || dec.Cgo != tt.cgo {
				t.Errorf("changes = %q, cgo %v; want %q, cgo %v", strings.Join(got, " "), dec.Cgo, tt.changes, tt.cgo)
			}
			if dec.Why == "" {
				t.Error("no explanation for -n")
			}
		})
	}
}

func TestCompilerCandidates(t *testing.T) {
	arm64 := toolchain.Target{GOOS: "linux", GOARCH: "arm64"}
	names := func(cs []CCompiler) string {
		var s []string
		for _, c := range cs {
			s = append(s, c.CCString())
		}
		return strings.Join(s, " | ")
	}
	if got := names(CompilerCandidates(arm64, toolchain.GoSettings{}, "linux", "amd64")); got != "aarch64-linux-gnu-gcc | clang --target=aarch64-linux-gnu | zig cc -target aarch64-linux-gnu" {
		t.Errorf("arm64: %s", got)
	}
	v6 := toolchain.Target{GOOS: "linux", GOARCH: "arm", Variant: "6"}
	if got := names(CompilerCandidates(v6, toolchain.GoSettings{}, "linux", "amd64")); !strings.HasPrefix(got, "arm-linux-gnueabihf-gcc -march=armv6+fp -marm |") {
		t.Errorf("arm v6: %s", got)
	}
	// the arch row's CFlags: by the variant as written, so ,hardfloat
	// keeps them and ,softfloat (another compiler, armel's) gets none
	v6hf := toolchain.Target{GOOS: "linux", GOARCH: "arm", Variant: "6,hardfloat"}
	if got := names(CompilerCandidates(v6hf, toolchain.GoSettings{}, "linux", "amd64")); !strings.HasPrefix(got, "arm-linux-gnueabihf-gcc -march=armv6+fp -marm |") {
		t.Errorf("arm v6,hardfloat: %s", got)
	}
	v6sf := toolchain.Target{GOOS: "linux", GOARCH: "arm", Variant: "6,softfloat"}
	if got := names(CompilerCandidates(v6sf, toolchain.GoSettings{}, "linux", "amd64")); strings.Contains(got, "armv6") || !strings.HasPrefix(got, "arm-linux-gnueabi-gcc |") {
		t.Errorf("arm v6,softfloat: %s", got)
	}
	// the arch row's Multilib: the host's gcc -m32 for 386 on amd64 only
	x86 := toolchain.Target{GOOS: "linux", GOARCH: "386"}
	c32 := CompilerCandidates(x86, toolchain.GoSettings{}, "linux", "amd64")
	if got := names(c32); !strings.Contains(got, "| gcc -m32 |") {
		t.Errorf("386 on amd64: %s", got)
	}
	for _, c := range c32 {
		if c.Rule == "gcc -m32" && (c.Triple != "i686-linux-gnu" || strings.Join(c.CXX, " ") != "g++ -m32") {
			t.Errorf("gcc -m32 candidate: %+v", c)
		}
	}
	if got := names(CompilerCandidates(x86, toolchain.GoSettings{}, "linux", "arm64")); strings.Contains(got, "-m32") {
		t.Errorf("386 on arm64 offered the host gcc: %s", got)
	}
	// explicit settings are the only candidate, per-target first
	s := toolchain.GoSettings{Env: toolchain.Env{"CC=gcc", "GOX_CC_linux_arm64=clang --target=aarch64-linux-gnu"}}
	c := CompilerCandidates(arm64, s, "linux", "amd64")
	if len(c) != 1 || c[0].CCString() != "clang --target=aarch64-linux-gnu" || !c[0].Explicit() || c[0].Source() != "GOX_CC_linux_arm64" {
		t.Errorf("per-target: %+v", c)
	}
	s = toolchain.GoSettings{User: map[string]string{"CC": "my-cc"}}
	c = CompilerCandidates(arm64, s, "linux", "amd64")
	if len(c) != 1 || c[0].Source() != "CC from GOENV" {
		t.Errorf("GOENV CC: %+v", c)
	}
	// $GOROOT/go.env's CC is a default, not the user's choice
	s = toolchain.GoSettings{Root: map[string]string{"CC": "gcc"}}
	if c := CompilerCandidates(arm64, s, "linux", "amd64"); len(c) < 2 {
		t.Errorf("go.env CC taken as explicit: %+v", c)
	}
}

func TestMismatch(t *testing.T) {
	arm7 := toolchain.Target{GOOS: "linux", GOARCH: "arm", Variant: "7"}
	soft := toolchain.Target{GOOS: "linux", GOARCH: "arm", Variant: "6,softfloat"}
	tests := []struct {
		info objfile.ObjectInfo
		t    toolchain.Target
		want string
	}{
		{objfile.ObjectInfo{Format: "elf", GOARCH: "arm64", Machine: "aarch64"}, toolchain.Target{GOOS: "linux", GOARCH: "arm64"}, ""},
		{objfile.ObjectInfo{Format: "elf", GOARCH: "amd64", Machine: "x86-64"}, toolchain.Target{GOOS: "linux", GOARCH: "arm64"}, "builds for amd64 (x86-64), not arm64"},
		{objfile.ObjectInfo{Format: "elf", GOARCH: "amd64", Machine: "x86-64"}, toolchain.Target{GOOS: "windows", GOARCH: "amd64"}, "builds ELF files, windows needs PE"},
		{objfile.ObjectInfo{Format: "elf", GOARCH: "arm", Float: "hard"}, arm7, ""},
		{objfile.ObjectInfo{Format: "elf", GOARCH: "arm", Float: "soft"}, arm7, "soft-float ABI"},
		{objfile.ObjectInfo{Format: "elf", GOARCH: "arm", Float: "hard"}, soft, "hard-float ABI"},
		{objfile.ObjectInfo{Format: "pe", GOARCH: "amd64"}, toolchain.Target{GOOS: "windows", GOARCH: "amd64"}, ""},
	}
	for _, tt := range tests {
		if got := mismatch(tt.info, tt.t); !strings.Contains(got, tt.want) || (tt.want == "" && got != "") {
			t.Errorf("mismatch(%+v, %s) = %q, want %q", tt.info, tt.t, got, tt.want)
		}
	}
}

func TestInstallHints(t *testing.T) {
	for in, want := range map[string]string{
		"linux/arm64":            "apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross",
		"linux/arm/v6,softfloat": "apt-get install gcc-arm-linux-gnueabi libc6-dev-armel-cross",
		"windows/amd64":          "apt-get install gcc-mingw-w64-x86-64",
		"darwin/arm64":           "needs an Apple SDK",
		"plan9/amd64":            "no C cross compiler is known for plan9/amd64",
	} {
		tg, _ := toolchain.ParseTarget(in, "linux")
		if got, _ := toolchain.InstallCommand("debian", tg); !strings.Contains(got, want) || strings.Contains(got, "gox") {
			t.Errorf("%s: %q, want %q", in, got, want)
		}
	}
	tg, _ := toolchain.ParseTarget("linux/arm64", "linux")
	if got, ok := toolchain.InstallCommand("", tg); ok || !strings.Contains(got, "aarch64-linux-gnu-gcc") || strings.Contains(got, "apt-get") {
		t.Errorf("unknown distro: %q", got)
	}
	if toolchain.ParseOSRelease([]byte("ID=ubuntu\nID_LIKE=debian\n")) != "debian" || toolchain.ParseOSRelease([]byte(`ID="fedora"`)) != "" {
		t.Error("ParseOSRelease")
	}
}

func TestZigGlibcFloor(t *testing.T) {
	for in, want := range map[string]string{
		"zig cc -target aarch64-linux-gnu.2.28":                "2.28",
		"/opt/zig/zig cc -target=arm-linux-gnueabihf.2.17":     "2.17",
		"zig cc -target aarch64-linux-gnu":                     "",
		"zig cc -target aarch64-linux-musl":                    "",
		"aarch64-linux-gnu-gcc -target aarch64-linux-gnu.2.28": "",
		"zig cc -target aarch64-windows-gnu":                   "",
	} {
		if got := ZigGlibcFloor(strings.Fields(in)); got != want {
			t.Errorf("ZigGlibcFloor(%q) = %q, want %q", in, got, want)
		}
	}
}

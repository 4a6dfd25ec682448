package toolchain

import (
	"strings"
	"testing"

	"github.com/gox-build/gox/toolchain/arch"
)

func TestParseTarget(t *testing.T) {
	tests := []struct {
		in   string
		want Target
		err  string
	}{
		{in: "linux/arm64", want: Target{GOOS: "linux", GOARCH: "arm64"}},
		{in: "linux/arm/v6", want: Target{GOOS: "linux", GOARCH: "arm", Variant: "6"}},
		{in: "linux/arm/v7", want: Target{GOOS: "linux", GOARCH: "arm", Variant: "7"}},
		{in: "linux/arm/6", want: Target{GOOS: "linux", GOARCH: "arm", Variant: "6"}},
		{in: "linux/arm/v6,softfloat", want: Target{GOOS: "linux", GOARCH: "arm", Variant: "6,softfloat"}},
		{in: "linux/amd64/v3", want: Target{GOOS: "linux", GOARCH: "amd64", Variant: "v3"}},
		{in: "linux/arm64/v8.2", want: Target{GOOS: "linux", GOARCH: "arm64", Variant: "v8.2"}},
		{in: "linux/arm64/v9", want: Target{GOOS: "linux", GOARCH: "arm64", Variant: "v9.0"}},
		{in: "linux/arm64/v8.1,lse,crypto", want: Target{GOOS: "linux", GOARCH: "arm64", Variant: "v8.1,lse,crypto"}},
		{in: "linux/386/softfloat", want: Target{GOOS: "linux", GOARCH: "386", Variant: "softfloat"}},
		{in: "linux/mipsle/softfloat", want: Target{GOOS: "linux", GOARCH: "mipsle", Variant: "softfloat"}},
		{in: "linux/ppc64le/power9", want: Target{GOOS: "linux", GOARCH: "ppc64le", Variant: "power9"}},
		{in: "linux/riscv64/rva22u64", want: Target{GOOS: "linux", GOARCH: "riscv64", Variant: "rva22u64"}},
		{in: "linux/amd64/musl", want: Target{GOOS: "linux", GOARCH: "amd64", Libc: "musl"}},
		{in: "linux/arm64/v8.2/musl", want: Target{GOOS: "linux", GOARCH: "arm64", Variant: "v8.2", Libc: "musl"}},
		{in: "linux/amd64/gnu", want: Target{GOOS: "linux", GOARCH: "amd64"}},
		{in: "linux/arm64/gnu2.28", want: Target{GOOS: "linux", GOARCH: "arm64", Glibc: "2.28"}},
		{in: "linux/arm/v7/gnu2.17", want: Target{GOOS: "linux", GOARCH: "arm", Variant: "7", Glibc: "2.17"}},
		{in: "aarch64-linux-gnu.2.28", want: Target{GOOS: "linux", GOARCH: "arm64", Glibc: "2.28"}},
		{in: "linux/arm64/gnu2.28/musl", err: "C library given twice"},
		{in: "windows/amd64/gnu2.28", err: "only be chosen for linux"},
		{in: "linux/arm64/gnu2", err: "variant"},
		{in: "aarch64-linux-gnu.x", err: "unknown"},
		{in: " windows/amd64 ", want: Target{GOOS: "windows", GOARCH: "amd64"}},
		// GNU triples
		{in: "aarch64-linux-gnu", want: Target{GOOS: "linux", GOARCH: "arm64"}},
		{in: "arm-linux-gnueabihf", want: Target{GOOS: "linux", GOARCH: "arm", Variant: "7"}},
		{in: "arm-linux-gnueabi", want: Target{GOOS: "linux", GOARCH: "arm", Variant: "5"}},
		{in: "riscv64-linux-gnu", want: Target{GOOS: "linux", GOARCH: "riscv64"}},
		{in: "x86_64-linux-musl", want: Target{GOOS: "linux", GOARCH: "amd64", Libc: "musl"}},
		{in: "x86_64-w64-mingw32", want: Target{GOOS: "windows", GOARCH: "amd64"}},
		{in: "i686-linux-gnu", want: Target{GOOS: "linux", GOARCH: "386"}},
		{in: "AARCH64-LINUX-GNU", want: Target{GOOS: "linux", GOARCH: "arm64"}},
		{in: "aarch64-linux-gnu.2.17", want: Target{GOOS: "linux", GOARCH: "arm64", Glibc: "2.17"}},
		{in: "aarch64-unknown-linux-gnu", want: Target{GOOS: "linux", GOARCH: "arm64"}},
		{in: "x86_64-pc-linux-musl", want: Target{GOOS: "linux", GOARCH: "amd64", Libc: "musl"}},
		{in: "armv7-unknown-linux-gnueabihf", want: Target{GOOS: "linux", GOARCH: "arm", Variant: "7"}},
		{in: "armv6-unknown-linux-gnueabi", want: Target{GOOS: "linux", GOARCH: "arm", Variant: "6,softfloat"}},
		// aliases; a bare architecture is the host OS
		{in: "arm64", want: Target{GOOS: "linux", GOARCH: "arm64"}},
		{in: "aarch64", want: Target{GOOS: "linux", GOARCH: "arm64"}},
		{in: "armv7", want: Target{GOOS: "linux", GOARCH: "arm", Variant: "7"}},
		{in: "armv5", want: Target{GOOS: "linux", GOARCH: "arm", Variant: "5"}},
		{in: "armv6", want: Target{GOOS: "linux", GOARCH: "arm", Variant: "6"}},
		{in: "armv8", err: "unknown target"},
		{in: "mips64el", want: Target{GOOS: "linux", GOARCH: "mips64le"}},
		{in: "ppc64el", want: Target{GOOS: "linux", GOARCH: "ppc64le"}},
		{in: "armhf", want: Target{GOOS: "linux", GOARCH: "arm", Variant: "7"}},
		{in: "armel", want: Target{GOOS: "linux", GOARCH: "arm", Variant: "5"}},
		{in: "x86_64", want: Target{GOOS: "linux", GOARCH: "amd64"}},
		{in: "amd64", want: Target{GOOS: "linux", GOARCH: "amd64"}},
		{in: "riscv64", want: Target{GOOS: "linux", GOARCH: "riscv64"}},
		{in: "win64", want: Target{GOOS: "windows", GOARCH: "amd64"}},
		// garbage
		{in: "", err: "empty target"},
		{in: "   ", err: "empty target"},
		{in: "linux", err: "unknown target"},
		{in: "linux/", err: "unknown target"},
		{in: "/arm64", err: "unknown target"},
		{in: "linux/arm64/v8.2/musl/x", err: "unknown target"},
		{in: "Linux/ARM64", err: "unknown target"},
		{in: "linux/arm/v8", err: `"v8" is no variant of arm`},
		{in: "linux/amd64/v5", err: `"v5" is no variant of amd64; GOAMD64 takes v1, v2, v3 or v4`},
		{in: "linux/arm64/v9.6", err: "no variant of arm64"},
		{in: "linux/arm64/v8.2,sve", err: "no variant of arm64"},
		{in: "linux/s390x/z15", err: "s390x has no variants"},
		{in: "linux/arm/v6/v7", err: "variant given twice"},
		{in: "linux/amd64/musl/musl", err: "C library given twice"},
		{in: "windows/amd64/musl", err: "only be chosen for linux"},
		{in: "linux arm64", err: "unknown target"},
		{in: "aarch65", err: "unknown target"},
		{in: "sparc-sun-solaris", err: "unknown target"},
		{in: "linux/arm64\x00", err: "unknown target"},
	}
	for _, tt := range tests {
		got, err := ParseTarget(tt.in, "linux")
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseTarget(%q) = %v, %v; want error containing %q", tt.in, got, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseTarget(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
}

func TestTargetStringRoundTrip(t *testing.T) {
	for _, s := range []string{"linux/arm64", "linux/arm/v6", "linux/arm/v6,softfloat", "linux/amd64/v3", "linux/arm64/v8.2/musl", "linux/amd64/musl", "windows/amd64"} {
		tg, err := ParseTarget(s, "linux")
		if err != nil {
			t.Fatal(err)
		}
		if tg.String() != s {
			t.Errorf("ParseTarget(%q).String() = %q", s, tg.String())
		}
	}
}

func TestTriples(t *testing.T) {
	tests := map[string][]string{
		"linux/arm64":            {"aarch64-linux-gnu"},
		"linux/arm64/musl":       {"aarch64-linux-musl"},
		"linux/arm":              {"arm-linux-gnueabihf"},
		"linux/arm/v7":           {"arm-linux-gnueabihf"},
		"linux/arm/v6":           {"arm-linux-gnueabihf"},
		"linux/arm/v6,softfloat": {"arm-linux-gnueabi"},
		"linux/arm/v7,softfloat": {"arm-linux-gnueabi"},
		"linux/arm/v5":           {"arm-linux-gnueabi"},
		"linux/386":              {"i686-linux-gnu", "i386-linux-gnu"},
		"linux/amd64":            {"x86_64-linux-gnu"},
		"linux/riscv64":          {"riscv64-linux-gnu"},
		"linux/ppc64le":          {"powerpc64le-linux-gnu"},
		"linux/mips64le":         {"mips64el-linux-gnuabi64"},
		"windows/amd64":          {"x86_64-w64-mingw32"},
		"darwin/arm64":           {"aarch64-apple-darwin", "arm64-apple-darwin"},
		"plan9/amd64":            nil,
	}
	for in, want := range tests {
		tg, err := ParseTarget(in, "linux")
		if err != nil {
			t.Fatal(err)
		}
		if got := tg.Triples(); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s: Triples() = %q, want %q", in, got, want)
		}
	}
}

func TestSuggest(t *testing.T) {
	ports := []string{"linux/amd64", "linux/arm", "linux/arm64", "linux/riscv64", "windows/arm64", "darwin/arm64"}
	for asked, want := range map[string]string{
		"linux/arm65":   "linux/arm64",
		"linux/aarch64": "linux/arm64",
		"linux/x86_64":  "linux/amd64",
		"linx/arm64":    "linux/arm64",
		"windows/arm46": "windows/arm64",
	} {
		got := Suggest(asked, ports)
		if len(got) == 0 || got[0] != want {
			t.Errorf("Suggest(%q) = %q, want %s first", asked, got, want)
		}
	}
	if got := Suggest("zzzzzzzzzzzzzzzz", ports); len(got) != 0 {
		t.Errorf("Suggest(garbage) = %q, want nothing", got)
	}
}

func TestResolveTarget(t *testing.T) {
	s := GoSettings{
		Env:  Env{"GOARCH=arm", "GOARM=6"},
		User: map[string]string{"GOOS": "linux", "GOARCH": "riscv64"},
		Root: map[string]string{"GOOS": "plan9"},
	}
	got, fromFlag, err := ResolveTarget("", s, "darwin", "amd64")
	if err != nil || fromFlag || got != (Target{GOOS: "linux", GOARCH: "arm", Variant: "6"}) {
		t.Errorf("env and GOENV: got %+v %v %v", got, fromFlag, err)
	}
	// go env -w GOARCH=arm64 counts when the environment is silent
	s = GoSettings{User: map[string]string{"GOARCH": "arm64"}}
	if got, _, _ := ResolveTarget("", s, "linux", "amd64"); got != (Target{GOOS: "linux", GOARCH: "arm64"}) {
		t.Errorf("GOENV: got %+v", got)
	}
	// an empty environment variable is unset, as for the go command
	s = GoSettings{Env: Env{"GOARCH="}, User: map[string]string{"GOARCH": "arm64"}}
	if got, _, _ := ResolveTarget("", s, "linux", "amd64"); got.GOARCH != "arm64" {
		t.Errorf("empty env: got %+v", got)
	}
	// $GOROOT/go.env is the last word before the host
	s = GoSettings{Root: map[string]string{"GOARCH": "riscv64"}}
	if got, _, _ := ResolveTarget("", s, "linux", "amd64"); got.GOARCH != "riscv64" {
		t.Errorf("go.env: got %+v", got)
	}
	if got, _, _ := ResolveTarget("", GoSettings{}, "linux", "amd64"); got != (Target{GOOS: "linux", GOARCH: "amd64"}) {
		t.Errorf("host: got %+v", got)
	}
	// the flag wins over everything
	s = GoSettings{Env: Env{"GOOS=windows", "GOARCH=386"}}
	if got, fromFlag, _ := ResolveTarget("linux/arm64", s, "linux", "amd64"); !fromFlag || got != (Target{GOOS: "linux", GOARCH: "arm64"}) {
		t.Errorf("flag: got %+v %v", got, fromFlag)
	}
}

func TestTargetChanges(t *testing.T) {
	env := Env{"GOARM=6", "GOAMD64=v3", "PATH=/bin"}
	arm64 := Target{GOOS: "linux", GOARCH: "arm64"}
	got := TargetChanges(arm64, false, env)
	want := []EnvChange{{Name: "GOAMD64", Unset: true}, {Name: "GOARM", Unset: true}}
	if !equalChanges(got, want) {
		t.Errorf("stale variants: got %+v, want %+v", got, want)
	}
	got = TargetChanges(Target{GOOS: "linux", GOARCH: "arm", Variant: "7"}, true, env)
	want = []EnvChange{{Name: "GOOS", Value: "linux"}, {Name: "GOARCH", Value: "arm"}, {Name: "GOARM", Value: "7"}, {Name: "GOAMD64", Unset: true}}
	if !equalChanges(got, want) {
		t.Errorf("flag: got %+v, want %+v", got, want)
	}
	// -target linux/arm without a variant means the go command's default,
	// not a GOARM left in the environment
	got = TargetChanges(Target{GOOS: "linux", GOARCH: "arm"}, true, Env{"GOARM=5"})
	want = []EnvChange{{Name: "GOOS", Value: "linux"}, {Name: "GOARCH", Value: "arm"}, {Name: "GOARM", Unset: true}}
	if !equalChanges(got, want) {
		t.Errorf("flag without variant: got %+v, want %+v", got, want)
	}
	// the target's own variant from the environment is the user's choice
	if got := TargetChanges(Target{GOOS: "linux", GOARCH: "arm", Variant: "6"}, false, Env{"GOARM=6"}); len(got) != 0 {
		t.Errorf("own variant: got %+v", got)
	}
}

func equalChanges(a, b []EnvChange) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func FuzzParseTarget(f *testing.F) {
	for _, s := range []string{"linux/arm64", "linux/arm/v6,softfloat", "linux/arm64/v8.2/musl", "aarch64-linux-gnu",
		"armv7-unknown-linux-gnueabihf", "x86_64-w64-mingw32", "win64", "linux//", "a/b/c/d/e", "-", "v8.", "linux/arm64/v9.9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tg, err := ParseTarget(s, "linux")
		if err != nil {
			return
		}
		if tg.GOOS == "" || tg.GOARCH == "" {
			t.Fatalf("ParseTarget(%q) = %+v without an error", s, tg)
		}
		if tg.Variant != "" && !validVariant(tg) {
			t.Fatalf("ParseTarget(%q) accepted variant %q", s, tg.Variant)
		}
		// What String prints must parse back to the same target.
		back, err := ParseTarget(tg.String(), "linux")
		if err != nil || back != tg {
			t.Fatalf("ParseTarget(%q) = %+v, but its String %q parses as %+v, %v", s, tg, tg.String(), back, err)
		}
	})
}

func TestSplitTargets(t *testing.T) {
	for in, want := range map[string]string{
		"linux/arm64":                        "linux/arm64",
		"linux/arm64,windows/amd64":          "linux/arm64|windows/amd64",
		"linux/arm/v6,softfloat,linux/arm64": "linux/arm/v6,softfloat|linux/arm64",
		"linux/arm64/v8.2,lse,crypto,armhf":  "linux/arm64/v8.2,lse,crypto|armhf",
		"linux/arm64,linux/arm64":            "linux/arm64",
		"linux/arm64, linux/arm64,arm64":     "linux/arm64|arm64",
	} {
		if got := strings.Join(SplitTargets(in), "|"); got != want {
			t.Errorf("SplitTargets(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDebianArch(t *testing.T) {
	for tr, want := range map[string]string{"aarch64-linux-gnu": "arm64", "arm-linux-gnueabihf": "armhf", "arm-linux-gnueabi": "armel", "powerpc64le-linux-gnu": "ppc64el", "x86_64-w64-mingw32": ""} {
		if got := debianArch(tr); got != want {
			t.Errorf("debianArch(%s) = %q, want %q", tr, got, want)
		}
	}
}

func TestZigTriple(t *testing.T) {
	for in, want := range map[string]string{
		"linux/arm64/gnu2.28": "aarch64-linux-gnu.2.28", "linux/arm/v7/musl": "arm-linux-musleabihf",
		"windows/arm64": "aarch64-windows-gnu", "linux/riscv64/musl": "riscv64-linux-musl",
	} {
		tg, err := ParseTarget(in, "linux")
		if err != nil {
			t.Fatal(err)
		}
		if got := ZigTriple(tg); got != want {
			t.Errorf("ZigTriple(%s) = %q, want %q", in, got, want)
		}
	}
}

func validVariant(t Target) bool {
	a, _ := arch.Of(t.GOARCH)
	return a.ValidVariant(t.Variant)
}

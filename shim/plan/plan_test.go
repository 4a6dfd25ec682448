package plan

import (
	"slices"
	"testing"

	"github.com/gox-build/gox/toolchain"
)

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"":               "''",
		"./...":          "./...",
		"a b":            "'a b'",
		"it's":           `'it'\''s'`,
		"-ldflags=-s":    "-ldflags=-s",
		"$HOME":          "'$HOME'",
		"zig cc -target": "'zig cc -target'",
	} {
		if got := ShellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestPassthroughPlan(t *testing.T) {
	g := toolchain.GoCommand{Path: "/usr/local/go/bin/go", Verified: true}
	env := toolchain.Env{"PATH=/bin", "GOX_INTERNAL_X=1"}
	p := Passthrough(g, []string{"build", "-o", "my app", "./..."}, env)
	if p.Follow || len(p.Changes) != 0 {
		t.Errorf("passthrough must exec and change nothing: %+v", p)
	}
	if p.Env.Get("GOX_INTERNAL_X") != "" {
		t.Error("internal variable reaches the real go")
	}
	p.Changes = []EnvChange{{Name: "CC", Value: "aarch64-linux-gnu-gcc"}, {Name: "GOARM", Unset: true}}
	want := "export CC=aarch64-linux-gnu-gcc\nunset GOARM\n/usr/local/go/bin/go build -o 'my app' ./...\n"
	if got := p.Script(); got != want {
		t.Errorf("Script() =\n%s\nwant\n%s", got, want)
	}
}

// TestHostBuilds: a musl target or a glibc floor on the host's own port is
// planned as a cross build (its own C compiler, cache and verification),
// never handed to the host's go as it is.
func TestHostBuilds(t *testing.T) {
	h := Host{GOOS: "linux", GOARCH: "amd64"}
	for in, want := range map[string]bool{
		"linux/amd64": true, "linux/amd64/v3": true, "linux/amd64/musl": false,
		"linux/amd64/gnu2.17": false, "linux/arm64": false, "windows/amd64": false,
	} {
		tg, err := toolchain.ParseTarget(in, "linux")
		if err != nil {
			t.Fatal(err)
		}
		if got := h.Builds(tg); got != want {
			t.Errorf("Builds(%s) = %v, want %v", in, got, want)
		}
	}
}

// TestExplain: a failed command's stderr is explained only by what the
// plan knows. An undefined symbol is a glibc-floor matter only for a floor
// target (before, a host-problem plan with no floor printed "not in glibc ,
// the floor of").
func TestExplain(t *testing.T) {
	floor, err := toolchain.ParseTarget("linux/arm64/gnu2.28", "linux")
	if err != nil {
		t.Fatal(err)
	}
	lld := "ld.lld: error: undefined symbol: close_range\n>>> referenced by main.go:7\nld.lld: error: undefined symbol: close_range\n"
	gnuld := "main.c:(.text+0x8): undefined reference to `pidfd_open'\ncollect2: error: ld returned 1 exit status\n"
	for _, c := range []struct {
		name   string
		p      Plan
		output string
		want   []string
	}{
		{"floor, lld", Plan{Target: floor}, lld, []string{
			"gox: close_range is not in glibc 2.28, the floor of linux/arm64/gnu2.28: the C code calls a function newer than the oldest glibc the binary must run on",
			"gox: hint: raise the floor (-target linux/arm64/gnuX.Y) or keep close_range out of the build for this target"}},
		{"floor, GNU ld", Plan{Target: floor}, gnuld, []string{
			"gox: pidfd_open is not in glibc 2.28, the floor of linux/arm64/gnu2.28: the C code calls a function newer than the oldest glibc the binary must run on",
			"gox: hint: raise the floor (-target linux/arm64/gnuX.Y) or keep pidfd_open out of the build for this target"}},
		{"no floor", Plan{Target: toolchain.Target{GOOS: "linux", GOARCH: "arm64"}}, lld, nil},
		{"host problem, no floor", Plan{Host: &HostProblem{}}, lld, nil},
		{"floor, other failure", Plan{Target: floor}, "cgo.go:3:10: fatal error: foo.h: No such file or directory\n", nil},
	} {
		if got := c.p.Explain(c.output); !slices.Equal(got, c.want) {
			t.Errorf("%s: Explain =\n%q\nwant\n%q", c.name, got, c.want)
		}
		if len(c.want) > 0 && !c.p.Explains() {
			t.Errorf("%s: Explain has lines, but Explains is false: the stderr would not be kept", c.name)
		}
	}
}

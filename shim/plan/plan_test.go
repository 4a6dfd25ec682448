package plan

import (
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

package base

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/gox-build/gox/toolchain"
	"github.com/gox-build/gox/toolchain/compilers"
	"github.com/gox-build/gox/toolchain/runners"
)

// TestHints: the toolchain packages report failures as facts; gox words
// the fix, and a failure of gox's own carries its hints. The first *Error
// in a chain speaks for it, hints or none.
func TestHints(t *testing.T) {
	arm64 := toolchain.Target{GOOS: "linux", GOARCH: "arm64"}
	tests := []struct {
		name string
		err  error
		want []string
	}{
		{"GOX_GO relative", &toolchain.GoxGoError{Path: "bin/go", Reason: toolchain.GoxGoRelative, Err: errors.New("x"), Example: "/usr/local/go/bin/go"},
			[]string{"set GOX_GO to the absolute path of the real go, e.g. /usr/local/go/bin/go"}},
		{"GOX_GO missing", &toolchain.GoxGoError{Reason: toolchain.GoxGoMissing, Err: errors.New("x")},
			[]string{"unset GOX_GO to use the first go on PATH, or point it at an existing go binary"}},
		{"GOX_GO a directory", &toolchain.GoxGoError{Reason: toolchain.GoxGoDir, Err: errors.New("x"), Example: "/opt/go/bin/go"},
			[]string{"point GOX_GO at the go binary itself, e.g. /opt/go/bin/go"}},
		{"GOX_GO gox", &toolchain.GoxGoError{Reason: toolchain.GoxGoSelf, Err: errors.New("x")},
			[]string{"point GOX_GO at the real go (its GOROOT/bin/go), or unset it"}},
		{"no go, a wrapper", &toolchain.NoGoError{Why: "none", Unproven: "/home/u/.asdf/shims/go"},
			[]string{"install Go from https://go.dev/dl/ and put its bin directory on PATH after gox's", "or set GOX_GO to the absolute path of the real go",
				"a wrapper that runs the real go (a version manager's shim) is used only when named: GOX_GO=/home/u/.asdf/shims/go"}},
		{"unknown port", &toolchain.PortError{Target: arm64, Suggestions: []string{"linux/arm64", "linux/arm"}},
			[]string{"did you mean linux/arm64 or linux/arm?", "gox targets lists every port of this toolchain"}},
		{"broken port", &toolchain.PortError{Target: arm64, Broken: true},
			[]string{"broken ports are not expected to build; see go tool dist list -broken"}},
		{"no state dir", &toolchain.StateDirError{Dir: "/tmp/gox-0", Err: errors.New("x")},
			[]string{"set GOX_CACHE to a directory gox may write"}},
		{"no compiler", &compilers.CompilerError{Target: arm64, Err: errors.New("x"), Install: "apt-get install gcc-aarch64-linux-gnu", Tried: "aarch64-linux-gnu-gcc (not on PATH)"},
			[]string{"apt-get install gcc-aarch64-linux-gnu", "tried aarch64-linux-gnu-gcc (not on PATH)"}},
		{"CC broken", &compilers.CompilerError{Target: arm64, Err: errors.New("x"), Setting: "CC"},
			[]string{"unset CC to let gox find a cross compiler for linux/arm64, or set GOX_CC_linux_arm64 to one"}},
		{"gox.toml cc broken, headers missing", &compilers.CompilerError{Target: arm64, Err: errors.New("x"), Setting: "cc", Config: "/p/gox.toml", Install: "apt-get install libc6-dev-arm64-cross"},
			[]string{"fix cc in /p/gox.toml, or set GOX_CC_linux_arm64 to a compiler for linux/arm64", "apt-get install libc6-dev-arm64-cross"}},
		{"wine without mingw", &runners.WineError{Dir: "/w", Err: errors.New("x"), Install: "apt-get install gcc-mingw-w64-x86-64"},
			[]string{"apt-get install gcc-mingw-w64-x86-64"}},
		{"wine, nothing to install", &runners.WineError{Dir: "/w", Err: errors.New("x")}, nil},
		{"wrapped", fmt.Errorf("matrix: %w", &toolchain.StateDirError{Err: errors.New("x")}),
			[]string{"set GOX_CACHE to a directory gox may write"}},
		{"gox's own", &Error{What: "loop", Err: errors.New("x"), Hints: []string{"h"}}, []string{"h"}},
		{"gox's own speaks for what it wraps", &Error{What: "w", Err: &toolchain.StateDirError{Err: errors.New("x")}}, nil},
		{"plain", errors.New("x"), nil},
	}
	for _, tt := range tests {
		if got := Hints(tt.err); !slices.Equal(got, tt.want) {
			t.Errorf("%s: Hints = %q, want %q", tt.name, got, tt.want)
		}
	}
	// the messages stay what they were as *Error values
	for err, want := range map[error]string{
		&toolchain.GoxGoError{Path: "bin/go", Err: errors.New("not an absolute path")}:                               "GOX_GO=bin/go: not an absolute path",
		&toolchain.PortError{Target: arm64, GoVersion: "go1.26", Broken: true}:                                       "target linux/arm64: go1.26 marks linux/arm64 as broken",
		&compilers.CompilerError{Target: arm64, Err: errors.New("CGO_ENABLED=1, but no C cross compiler was found")}: "target linux/arm64: CGO_ENABLED=1, but no C cross compiler was found",
		&runners.WineError{Dir: "/w", Err: errors.New("boom")}:                                                       "wine prefix /w: boom",
		&toolchain.StateDirError{Err: errors.New("HOME is unset and /t cannot be made: denied")}:                     "cache: HOME is unset and /t cannot be made: denied",
	} {
		if got := err.Error(); got != want {
			t.Errorf("%T: %q, want %q", err, got, want)
		}
	}
}

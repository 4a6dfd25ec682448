package cmdline

import (
	"strings"
	"testing"
)

func TestCrossCommand(t *testing.T) {
	for in, want := range map[string]bool{
		"build .": true, "test ./...": true, "list -m": true, "env CC": true, "vet .": true,
		"env -w GOARCH=arm64": false, "env -u CC": false, "mod tidy": false, "version": false, "": false,
	} {
		if got := line(t, in).Cross(); got != want {
			t.Errorf("%q: crossCommand = %v, want %v", in, got, want)
		}
	}
}

func TestRunsBinaries(t *testing.T) {
	for args, want := range map[string]bool{
		"test ./...": true, "test -c ./x": false, "test -c=false ./x": true, "test -list . ./x": true,
		"test -o x.test ./x": true, "run .": true, "build .": false, "vet .": false, "test ./x -args -c": true,
	} {
		if got := line(t, args).RunsBinaries(); got != want {
			t.Errorf("runsBinaries(%q) = %v", args, got)
		}
	}
}

// line parses a go command line for a table test.
func line(t *testing.T, s string) Line {
	t.Helper()
	l, err := Parse(strings.Fields(s), Options{})
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return l
}

package plan

import (
	"testing"

	"github.com/gox-build/gox/shim/cmdline"
	"github.com/gox-build/gox/toolchain"
)

// line parses a go command line for a table test.
func line(t *testing.T, s string) cmdline.Line {
	t.Helper()
	args, err := toolchain.SplitQuoted(s)
	if err != nil {
		t.Fatal(err)
	}
	l, err := cmdline.Parse(args, cmdline.Options{})
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return l
}

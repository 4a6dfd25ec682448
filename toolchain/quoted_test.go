package toolchain

import (
	"strings"
	"testing"
)

func TestSplitQuoted(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
		err  string
	}{
		{"aarch64-linux-gnu-gcc", []string{"aarch64-linux-gnu-gcc"}, ""},
		{"zig cc -target aarch64-linux-gnu", []string{"zig", "cc", "-target", "aarch64-linux-gnu"}, ""},
		{"'/opt/My Tools/bin/gcc' --sysroot=/sr", []string{"/opt/My Tools/bin/gcc", "--sysroot=/sr"}, ""},
		{`gcc "-DNAME=a b"`, []string{"gcc", "-DNAME=a b"}, ""},
		{"  gcc\t-O2  ", []string{"gcc", "-O2"}, ""},
		{`gcc 'x`, nil, "unterminated ' string"},
		{"", nil, ""},
	} {
		got, err := SplitQuoted(c.in)
		if c.err != "" {
			if err == nil || err.Error() != c.err {
				t.Errorf("SplitQuoted(%q) err = %v, want %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("SplitQuoted(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
		// Join gives back what splits the same.
		again, err := SplitQuoted(JoinQuoted(got))
		if err != nil || strings.Join(again, "|") != strings.Join(got, "|") {
			t.Errorf("round trip of %q: %q via %q", got, again, JoinQuoted(got))
		}
	}
	if got := JoinQuoted([]string{"/opt/My Tools/gcc", "it's", "-O2"}); got != `'/opt/My Tools/gcc' "it's" -O2` {
		t.Errorf("JoinQuoted = %s", got)
	}
}

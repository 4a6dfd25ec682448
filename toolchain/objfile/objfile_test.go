package objfile

import "testing"

func TestVersionLess(t *testing.T) {
	for _, c := range []struct {
		a, b string
		less bool
	}{{"", "2.2", true}, {"2.9", "2.17", true}, {"2.17", "2.9", false}, {"2.34", "2.34", false}, {"2.3.4", "2.3.10", true}} {
		if got := VersionLess(c.a, c.b); got != c.less {
			t.Errorf("VersionLess(%q, %q) = %v", c.a, c.b, got)
		}
	}
}

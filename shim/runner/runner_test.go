package runner

import (
	"testing"
	"time"
)

func TestGraceFor(t *testing.T) {
	for _, c := range []struct {
		timeout    time.Duration
		setting    string
		term, kill time.Duration
	}{
		{time.Second, "", 5 * time.Second, 5 * time.Second},
		{10 * time.Minute, "", time.Minute, 5 * time.Second},
		{20 * time.Minute, "", time.Minute, 5 * time.Second},
		{2 * time.Minute, "", 12 * time.Second, 5 * time.Second},
		{time.Second, "200ms", 200 * time.Millisecond, 200 * time.Millisecond},
		{time.Second, "0s", 0, 0},
		{time.Second, "soon", 5 * time.Second, 5 * time.Second},
		{time.Second, "-1s", 5 * time.Second, 5 * time.Second},
	} {
		if g := graceFor(c.timeout, c.setting); g.term != c.term || g.kill != c.kill {
			t.Errorf("graceFor(%v, %q) = %+v, want term %v kill %v", c.timeout, c.setting, g, c.term, c.kill)
		}
	}
}

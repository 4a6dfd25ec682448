package shim

import (
	"testing"
	"time"
)

func TestExecNames(t *testing.T) {
	for in, want := range map[string][2]string{
		"go_linux_arm64_exec": {"linux", "arm64"},
		"go_js_wasm_exec":     {"js", "wasm"},
		"go_wasip1_wasm_exec": {"wasip1", "wasm"},
	} {
		goos, goarch, ok := parseExecName(in)
		if !ok || goos != want[0] || goarch != want[1] {
			t.Errorf("parseExecName(%q) = %s %s %v", in, goos, goarch, ok)
		}
		if execName(goos, goarch) != in {
			t.Errorf("execName round trip: %s", in)
		}
	}
	for _, bad := range []string{"go", "gox", "go_linux_exec", "go__arm64_exec", "go_linux_arm64", "go_linux_arm_64_exec"} {
		if _, _, ok := parseExecName(bad); ok {
			t.Errorf("parseExecName(%q) accepted", bad)
		}
	}
}

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

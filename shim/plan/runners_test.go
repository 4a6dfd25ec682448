package plan

import "testing"

func TestExecNames(t *testing.T) {
	for in, want := range map[string][2]string{
		"go_linux_arm64_exec": {"linux", "arm64"},
		"go_js_wasm_exec":     {"js", "wasm"},
		"go_wasip1_wasm_exec": {"wasip1", "wasm"},
	} {
		goos, goarch, ok := ParseExecName(in)
		if !ok || goos != want[0] || goarch != want[1] {
			t.Errorf("parseExecName(%q) = %s %s %v", in, goos, goarch, ok)
		}
		if ExecName(goos, goarch) != in {
			t.Errorf("execName round trip: %s", in)
		}
	}
	for _, bad := range []string{"go", "gox", "go_linux_exec", "go__arm64_exec", "go_linux_arm64", "go_linux_arm_64_exec"} {
		if _, _, ok := ParseExecName(bad); ok {
			t.Errorf("parseExecName(%q) accepted", bad)
		}
	}
}

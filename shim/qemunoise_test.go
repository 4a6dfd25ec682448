package shim

import (
	"bytes"
	"testing"
)

func TestNoiseFilter(t *testing.T) {
	for _, c := range []struct {
		name   string
		writes []string
		want   string
	}{
		{"plain", []string{"ok\n", "FAIL\n"}, "ok\nFAIL\n"},
		{"the line", []string{"--- FAIL: TestAbort\nqemu: uncaught target signal 6 (Aborted) - core dumped\n"}, "--- FAIL: TestAbort\n"},
		{"split across writes", []string{"qemu: unc", "aught target signal 11 (Segmentation fault) - core dumped", "\nafter\n"}, "after\n"},
		{"exiting", []string{"qemu: uncaught target signal 15 (Terminated) - exiting\n"}, ""},
		{"look-alike kept", []string{"qemu: uncaught target signal in my test name\n"}, "qemu: uncaught target signal in my test name\n"},
		{"mentioned mid-line", []string{"log: qemu: uncaught target signal 6 (Aborted) - core dumped\n"}, "log: qemu: uncaught target signal 6 (Aborted) - core dumped\n"},
		{"partial line passes at once", []string{"progress 10%"}, "progress 10%"},
		{"held start flushed at the end", []string{"qemu: "}, "qemu: "},
		{"after a partial line", []string{"abc", "def\nqemu: uncaught target signal 6 (Aborted) - core dumped\nz"}, "abcdef\nz"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out bytes.Buffer
			f := &noiseFilter{w: &out}
			for _, w := range c.writes {
				if n, err := f.Write([]byte(w)); n != len(w) || err != nil {
					t.Fatalf("Write = %d, %v", n, err)
				}
			}
			// what passes at once is there before Flush
			if c.name == "partial line passes at once" && out.String() != c.want {
				t.Errorf("before Flush: %q", out.String())
			}
			f.Flush()
			if out.String() != c.want {
				t.Errorf("got %q, want %q", out.String(), c.want)
			}
		})
	}
	for line, want := range map[string]bool{
		"qemu: uncaught target signal 6 (Aborted) - core dumped":               true,
		"qemu: uncaught target signal 11 (Segmentation fault) - core dumped\r": true,
		"qemu: uncaught target signal 15 (Terminated) - exiting":               true,
		"qemu: uncaught target signal (Aborted) - core dumped":                 false,
		"qemu: uncaught target signal 6 Aborted - core dumped":                 false,
		"qemu: uncaught target signal 6 (Aborted) - core dumped, twice":        false,
		"qemu: uncaught target signal 6 (Aborted":                              false,
		"qemu: uncaught target signal in my test name":                         false,
	} {
		if got := isQemuNoise(line); got != want {
			t.Errorf("isQemuNoise(%q) = %v", line, got)
		}
	}
}

func TestNoiseFilterJSON(t *testing.T) {
	in := `{"Action":"start","Package":"p"}
{"Action":"output","Package":"p","Test":"TestAbort","Output":"qemu: uncaught target signal 6 (Aborted) - core dumped\n"}
{"Action":"output","Package":"p","Output":"qemu: uncaught target signal is what this test prints\n"}
{"Action":"fail","Package":"p"}
`
	var out bytes.Buffer
	f := &noiseFilter{w: &out, json: true}
	for _, chunk := range []string{in[:30], in[30:100], in[100:]} {
		f.Write([]byte(chunk))
	}
	f.Flush()
	want := `{"Action":"start","Package":"p"}
{"Action":"output","Package":"p","Output":"qemu: uncaught target signal is what this test prints\n"}
{"Action":"fail","Package":"p"}
`
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
}

package runner

import (
	"bytes"
	"testing"
)

func TestNoiseFilter(t *testing.T) {
	const noise = "qemu: uncaught target signal 6 (Aborted) - core dumped\n"
	for _, c := range []struct {
		name     string
		writes   []string
		signaled bool // the program died of a signal (the runner's route)
		want     string
	}{
		{"plain", []string{"ok\n", "FAIL\n"}, false, "ok\nFAIL\n"},
		{"the line, then go test's report", []string{"--- FAIL: TestAbort\n" + noise + "signal: aborted\nFAIL\tp\t0.1s\n"}, false, "--- FAIL: TestAbort\nsignal: aborted\nFAIL\tp\t0.1s\n"},
		{"the line, and the guest died of the signal", []string{"--- FAIL: TestAbort\n" + noise}, true, "--- FAIL: TestAbort\n"},
		{"split across writes", []string{"qemu: unc", "aught target signal 11 (Segmentation fault) - core dumped", "\nsig", "nal: segmentation fault\n"}, false, "signal: segmentation fault\n"},
		{"exiting", []string{"qemu: uncaught target signal 15 (Terminated) - exiting\n"}, true, ""},
		// a test's own line of the same words stays, on every route
		{"the test's own line, more output after it", []string{noise, "--- PASS: TestPrints\n"}, false, noise + "--- PASS: TestPrints\n"},
		{"the test's own line, last, and the test passed", []string{"--- PASS: TestPrints\n" + noise}, false, "--- PASS: TestPrints\n" + noise},
		{"the test's own line, then a partial line", []string{noise, "PA", "SS\n"}, false, noise + "PASS\n"},
		{"look-alike kept", []string{"qemu: uncaught target signal in my test name\n"}, true, "qemu: uncaught target signal in my test name\n"},
		{"mentioned mid-line", []string{"log: " + noise}, true, "log: " + noise},
		{"partial line passes at once", []string{"progress 10%"}, false, "progress 10%"},
		{"held start flushed at the end", []string{"qemu: "}, false, "qemu: "},
		{"after a partial line", []string{"abc", "def\n" + noise + "z"}, false, "abcdef\n" + noise + "z"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out bytes.Buffer
			f := &NoiseFilter{W: &out}
			for _, w := range c.writes {
				if n, err := f.Write([]byte(w)); n != len(w) || err != nil {
					t.Fatalf("Write = %d, %v", n, err)
				}
			}
			// what passes at once is there before the end
			if c.name == "partial line passes at once" && out.String() != c.want {
				t.Errorf("before End: %q", out.String())
			}
			f.End(c.signaled)
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
{"Action":"output","Package":"p","Output":"signal: aborted\n"}
{"Action":"output","Package":"p","Test":"TestOwn","Output":"qemu: uncaught target signal 6 (Aborted) - core dumped\n"}
{"Action":"output","Package":"p","Output":"qemu: uncaught target signal is what this test prints\n"}
{"Action":"fail","Package":"p"}
`
	var out bytes.Buffer
	f := &NoiseFilter{W: &out, JSON: true}
	for _, chunk := range []string{in[:30], in[30:100], in[100:]} {
		f.Write([]byte(chunk))
	}
	f.Flush()
	want := `{"Action":"start","Package":"p"}
{"Action":"output","Package":"p","Output":"signal: aborted\n"}
{"Action":"output","Package":"p","Test":"TestOwn","Output":"qemu: uncaught target signal 6 (Aborted) - core dumped\n"}
{"Action":"output","Package":"p","Output":"qemu: uncaught target signal is what this test prints\n"}
{"Action":"fail","Package":"p"}
`
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
}

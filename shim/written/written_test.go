package written

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gox-build/gox/shim/plan"
	"github.com/gox-build/gox/toolchain"
	"github.com/gox-build/gox/toolchain/verify"
)

// TestCheck: what the command wrote is what counts. A named output must
// be a binary; in an output directory, only files modified since the
// command started are looked at, and those that are not binaries (a
// c-archive's header, notes) are skipped; a whole-second time stamp is
// compared at that precision.
func TestCheck(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	os.Mkdir(out, 0o755)
	since := time.Now().Truncate(time.Second).Add(500 * time.Millisecond)
	write := func(name, text string, mtime time.Time) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mtime, mtime); err != nil {
			t.Fatal(err)
		}
		return p
	}
	old := write("out/old", "not a binary", since.Add(-time.Hour))
	hdr := write("out/lib.h", "/* header */", since.Add(time.Second))
	// a file system that keeps whole seconds: the same second as the start
	sameSecond := write("out/coarse", "text", since.Truncate(time.Second))
	os.Mkdir(filepath.Join(out, "sub"), 0o755)

	vp := &plan.VerifyPlan{Dirs: []string{out}, Want: verify.Want{Target: toolchain.Target{GOOS: "linux", GOARCH: "arm64"}}}
	got := written(vp, since)
	// (in the directory's order, by name)
	if strings.Join(got, " ") != sameSecond+" "+hdr {
		t.Errorf("written = %v, want %s and %s (not %s, nor the directory)", got, hdr, sameSecond, old)
	}
	if lines, ok := Check(vp, since); !ok || len(lines) != 0 {
		t.Errorf("non-binaries in an output directory: %v %v, want them skipped", lines, ok)
	}

	// a named output that is not a binary fails, and one that is missing
	// was not written
	named := write("app", "#!/bin/sh\n", since.Add(time.Second))
	vp = &plan.VerifyPlan{Files: []string{named, filepath.Join(dir, "missing")}, Want: vp.Want}
	lines, ok := Check(vp, since)
	if ok || len(lines) != 1 || !strings.HasPrefix(lines[0], "gox: verify ") || !strings.Contains(lines[0], "app") {
		t.Errorf("a named non-binary: %q %v", lines, ok)
	}
	if got := FileError("./gone", os.ErrNotExist); got != "./gone: no such file" {
		t.Errorf("FileError = %q", got)
	}
}

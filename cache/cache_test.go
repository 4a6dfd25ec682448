package cache

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestEnsureAndList(t *testing.T) {
	root := t.TempDir()
	now := time.Now()
	id := Identity{Target: "linux/arm64", Go: "go1.26.8", CC: "aarch64-linux-gnu-gcc", CCVersion: "12.2.0", Sysroot: "abc"}
	// concurrent callers for the same identity all get the same, complete
	// directory
	var wg sync.WaitGroup
	dirs := make([]string, 16)
	for i := range dirs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			d, err := Ensure(root, id, []string{"/usr/aarch64-linux-gnu/include"}, now)
			if err != nil {
				t.Error(err)
			}
			dirs[i] = d
		}(i)
	}
	wg.Wait()
	for _, d := range dirs {
		if d != dirs[0] {
			t.Fatalf("different dirs %q, %q", d, dirs[0])
		}
	}
	other := id
	other.Sysroot = "def"
	if other.DirName() == id.DirName() {
		t.Fatal("a new sysroot fingerprint kept the directory")
	}
	if _, err := Ensure(root, other, nil, now.Add(-2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(root, "not-ours"), 0o755)
	entries, err := List(root, true)
	if err != nil || len(entries) != 2 {
		t.Fatalf("List = %v, %v", entries, err)
	}
	if entries[0].Target != "linux/arm64" || entries[0].Size <= 0 {
		t.Errorf("entry %+v", entries[0])
	}
	leftovers, _ := filepath.Glob(filepath.Join(dirs[0], MetaFile+".tmp-*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
	if err := Remove(Entry{Dir: filepath.Join(root, "not-ours")}); err == nil {
		t.Error("removed a directory gox did not make")
	}
}

func TestTrimPlan(t *testing.T) {
	now := time.Now()
	e := func(name string, age time.Duration, size int64) Entry {
		return Entry{Dir: name, LastUsed: now.Add(-age), Size: size}
	}
	entries := []Entry{e("a", time.Hour, 5), e("b", 48*time.Hour, 5), e("c", 40*24*time.Hour, 5)}
	names := func(es []Entry) string {
		s := ""
		for _, x := range es {
			s += x.Dir
		}
		return s
	}
	for _, c := range []struct {
		older time.Duration
		max   int64
		want  string
	}{
		{30 * 24 * time.Hour, 0, "c"},
		{24 * time.Hour, 0, "bc"},
		{0, 0, "abc"},
		{-1, 6, "cb"},
		{30 * 24 * time.Hour, 5, "cb"},
		{-1, 0, ""},
	} {
		if got := names(TrimPlan(entries, now, c.older, c.max)); got != c.want {
			t.Errorf("TrimPlan(%v, %d) = %q, want %q", c.older, c.max, got, c.want)
		}
	}
}

func TestFingerprint(t *testing.T) {
	dir := t.TempDir()
	inc := filepath.Join(dir, "include")
	os.MkdirAll(filepath.Join(inc, "bits"), 0o755)
	os.WriteFile(filepath.Join(inc, "a.h"), []byte("1"), 0o644)
	// The directories' times are set into the past, exactly, so that the
	// rename below changes them whatever the file system's clock
	// granularity, with no sleep.
	past := time.Now().Add(-time.Hour)
	for _, d := range []string{inc, filepath.Join(inc, "bits")} {
		if err := os.Chtimes(d, past, past); err != nil {
			t.Fatal(err)
		}
	}
	fp := Fingerprint([]string{inc})
	if Fingerprint([]string{inc}) != fp {
		t.Fatal("not stable")
	}
	// a file renamed into place (how package managers install)
	os.WriteFile(filepath.Join(inc, "bits", "x.h.new"), []byte("2"), 0o644)
	os.Rename(filepath.Join(inc, "bits", "x.h.new"), filepath.Join(inc, "bits", "x.h"))
	if Fingerprint([]string{inc}) == fp {
		t.Error("a new file in a subdirectory did not change the fingerprint")
	}
}

func BenchmarkFingerprintDebianSysroot(b *testing.B) {
	dirs := []string{"/usr/aarch64-linux-gnu/include", "/usr/aarch64-linux-gnu/lib"}
	if _, err := os.Stat(dirs[0]); err != nil {
		b.Skip("no Debian arm64 cross sysroot")
	}
	for b.Loop() {
		Fingerprint(dirs)
	}
}

func TestListDamaged(t *testing.T) {
	root := t.TempDir()
	now := time.Now()
	good, err := Ensure(root, Identity{Target: "linux/arm64", Go: "go1.26.8"}, nil, now)
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string][]byte{
		"linux_riscv64-0123456789abcdef": nil,
		"linux_arm-v7-0123456789abcdef":  []byte("not json"),
		"windows_amd64-0123456789abcdef": append([]byte(`{"target": "windows/amd64", "pad": "`), make([]byte, MaxMetaSize)...),
		"linux_s390x-0123456789abcdef":   []byte(`{"go": "go1.26.8"}`),
	} {
		os.MkdirAll(filepath.Join(root, name), 0o755)
		os.WriteFile(filepath.Join(root, name, MetaFile), content, 0o644)
	}
	entries, err := List(root, false)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, e := range entries {
		got[e.Target] = e.Damaged
	}
	want := map[string]string{
		"linux/arm64":   "",
		"linux_riscv64": "empty gox-cache.json",
		"linux_arm-v7":  "gox-cache.json is not gox's JSON",
		"windows_amd64": "gox-cache.json larger than 64 KB",
		"linux_s390x":   "gox-cache.json names no target",
	}
	if len(got) != len(want) {
		t.Fatalf("entries %v, want %v", got, want)
	}
	for target, why := range want {
		if d, ok := got[target]; !ok || !strings.HasPrefix(d, why) {
			t.Errorf("%s: damaged %q, want %q", target, d, why)
		}
	}
	if SlugOf(good) != Slug("linux/arm64") || Slug("linux/arm/v7") != "linux_arm_v7" {
		t.Errorf("SlugOf(%s) = %s", good, SlugOf(good))
	}
}

func TestEnsureNotWritable(t *testing.T) {
	root := t.TempDir()
	id := Identity{Target: "linux/arm64", Go: "go1.26.8"}
	dir, err := Ensure(root, id, nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 0 {
		// Root may write a mode 0555 directory; not an immutable one.
		if out, err := exec.Command("chattr", "+i", dir).CombinedOutput(); err != nil {
			t.Skipf("running as root, and chattr +i is refused here (%v: %s): nothing makes a directory unwritable", err, out)
		}
		defer exec.Command("chattr", "-i", dir).Run()
	} else {
		os.Chmod(dir, 0o555)
		defer os.Chmod(dir, 0o755)
	}
	if _, err := Ensure(root, id, nil, time.Now()); err == nil || !strings.Contains(err.Error(), "is not writable") {
		t.Errorf("Ensure of a read-only directory: %v", err)
	}
}

func TestContentFingerprint(t *testing.T) {
	mk := func() string {
		d := t.TempDir()
		os.MkdirAll(filepath.Join(d, "include", "sys"), 0o755)
		os.WriteFile(filepath.Join(d, "include", "a.h"), []byte("#define A 1\n"), 0o644)
		os.WriteFile(filepath.Join(d, "include", "sys", "b.h"), []byte("int b;\n"), 0o644)
		os.Symlink("a.h", filepath.Join(d, "include", "c.h"))
		when := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
		filepath.Walk(d, func(p string, fi os.FileInfo, err error) error {
			os.Chtimes(p, when, when)
			return nil
		})
		return d
	}
	fp := func(d string) string {
		s, err := ContentFingerprint([]string{filepath.Join(d, "include")})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	a, b := mk(), mk()
	// two machines with the same files (other inodes, other directory
	// times) agree, where Fingerprint does not
	os.Chtimes(filepath.Join(b, "include"), time.Now(), time.Now())
	if fp(a) != fp(b) {
		t.Error("the same files, another machine: fingerprints differ")
	}
	if Fingerprint([]string{filepath.Join(a, "include")}) == Fingerprint([]string{filepath.Join(b, "include")}) {
		t.Error("Fingerprint agrees across directories: the test shows nothing")
	}
	// a header's content (its size) and a new file change it
	os.WriteFile(filepath.Join(b, "include", "a.h"), []byte("#define A 22\n"), 0o644)
	if fp(a) == fp(b) {
		t.Error("a changed header keeps the fingerprint")
	}
	c := mk()
	os.WriteFile(filepath.Join(c, "include", "new.h"), nil, 0o644)
	if fp(a) == fp(c) {
		t.Error("a new header keeps the fingerprint")
	}
}

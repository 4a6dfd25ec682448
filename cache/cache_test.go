package cache

import (
	"fmt"
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

// pastTimes sets the times of dir and everything below it an hour back,
// exactly, so that a change afterwards shows whatever the file system's
// clock granularity, with no sleep.
func pastTimes(t *testing.T, dir string) {
	past := time.Now().Add(-time.Hour).Truncate(time.Second)
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil {
			os.Chtimes(p, past, past)
		}
		return nil
	})
}

func walk(t *testing.T, trees ...Tree) Print {
	t.Helper()
	p, err := Walk(trees)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestWalkSeesEveryDepth(t *testing.T) {
	dir := t.TempDir()
	inc := filepath.Join(dir, "include")
	deep := filepath.Join(inc, "a", "b")
	os.MkdirAll(deep, 0o755)
	os.WriteFile(filepath.Join(inc, "top.h"), []byte("1"), 0o644)
	os.WriteFile(filepath.Join(deep, "x.h"), []byte("old"), 0o644)
	tree := Tree{Dir: inc, Deep: true}
	for _, c := range []struct {
		name   string
		change func()
	}{
		{"a header renamed into place two directories deep (as dpkg installs)", func() {
			os.WriteFile(filepath.Join(deep, "x.h.dpkg-new"), []byte("new"), 0o644)
			os.Rename(filepath.Join(deep, "x.h.dpkg-new"), filepath.Join(deep, "x.h"))
		}},
		{"a header edited in place, same size, two directories deep", func() {
			os.WriteFile(filepath.Join(deep, "x.h"), []byte("NEW"), 0o644)
		}},
		{"a header added deep", func() { os.WriteFile(filepath.Join(deep, "y.h"), nil, 0o644) }},
		{"a header removed deep", func() { os.Remove(filepath.Join(deep, "y.h")) }},
		{"a symlink retargeted", func() {
			os.Remove(filepath.Join(inc, "l.h"))
			os.Symlink("a/b/x.h", filepath.Join(inc, "l.h"))
		}},
	} {
		pastTimes(t, dir)
		before := walk(t, tree)
		if walk(t, tree) != before {
			t.Fatal("not stable")
		}
		c.change()
		if walk(t, tree).Local == before.Local {
			t.Errorf("%s: the local print did not change", c.name)
		}
	}
}

func TestWalkShallowLibraryDir(t *testing.T) {
	lib := t.TempDir()
	os.MkdirAll(filepath.Join(lib, "sub"), 0o755)
	os.WriteFile(filepath.Join(lib, "libc.so.6"), []byte("elf"), 0o644)
	pastTimes(t, lib)
	before := walk(t, Tree{Dir: lib})
	// the linker does not look below a library directory
	os.WriteFile(filepath.Join(lib, "sub", "unrelated"), nil, 0o644)
	if walk(t, Tree{Dir: lib}) != before {
		t.Error("a file below a library directory changed its print")
	}
	os.WriteFile(filepath.Join(lib, "libc.so.6"), []byte("ELF"), 0o644)
	if walk(t, Tree{Dir: lib}).Local == before.Local {
		t.Error("a library rewritten in place kept the print")
	}
}

func TestWalkAbsentTreeAppears(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "include")
	before := walk(t, Tree{Dir: dir, Deep: true})
	os.MkdirAll(dir, 0o755)
	if walk(t, Tree{Dir: dir, Deep: true}).Local == before.Local {
		t.Error("a search directory that appeared kept the print")
	}
}

func BenchmarkWalkDebianSysroot(b *testing.B) {
	trees := []Tree{{Dir: "/usr/aarch64-linux-gnu/include", Deep: true}, {Dir: "/usr/include", Deep: true}, {Dir: "/usr/aarch64-linux-gnu/lib"}}
	if _, err := os.Stat(trees[0].Dir); err != nil {
		b.Skip("no Debian arm64 cross sysroot")
	}
	for b.Loop() {
		Walk(trees)
	}
}

func TestIdentifyManagedTreesByStamp(t *testing.T) {
	if PackageDatabase() == "" || !Managed("/usr/include") {
		t.Skip("no package database gox knows on this machine")
	}
	trees := []Tree{{Dir: "/usr/include", Deep: true}}
	var memo Memo
	walks := 0
	recorded := func() (Memo, bool) { return memo, walks > 0 }
	record := func(m Memo) { memo = m; walks++ }
	p1, err := Identify(trees, recorded, record)
	if err != nil {
		t.Fatal(err)
	}
	p2, _ := Identify(trees, recorded, record)
	if walks != 1 || p1 != p2 {
		t.Fatalf("a second identification walked again (%d walks) or differs", walks)
	}
	// a package operation (the database rewritten) walks again, and the
	// print stays while the trees are the same
	memo.Stamp = append([]string(nil), memo.Stamp...)
	memo.Stamp[0] += " (an older database)"
	p3, _ := Identify(trees, recorded, record)
	if walks != 2 || p3 != p1 {
		t.Errorf("after a package operation: %d walks, print %v (was %v)", walks, p3, p1)
	}
}

func TestIdentifyOwnTreesEveryTime(t *testing.T) {
	dir := t.TempDir()
	deep := filepath.Join(dir, "usr", "include", "sys")
	os.MkdirAll(deep, 0o755)
	os.WriteFile(filepath.Join(deep, "a.h"), []byte("1"), 0o644)
	pastTimes(t, dir)
	if Managed(dir) {
		t.Skip("the temporary directory is under /usr")
	}
	trees := []Tree{{Dir: filepath.Join(dir, "usr", "include"), Deep: true}}
	never := func() (Memo, bool) { t.Fatal("a project's tree was looked up, not walked"); return Memo{}, false }
	p1, _ := Identify(trees, never, func(Memo) {})
	os.WriteFile(filepath.Join(deep, "a.h"), []byte("2"), 0o644)
	if p2, _ := Identify(trees, never, func(Memo) {}); p2.Local == p1.Local {
		t.Error("an edit in place deep in a project's sysroot kept the print")
	}
}

func TestManaged(t *testing.T) {
	for dir, want := range map[string]bool{
		"/usr/include": true, "/usr/aarch64-linux-gnu/include": true, "/usr/lib/gcc-cross": true,
		"/usr/local/include": false, "/opt/sysroots/armhf/usr/include": false, "/home/u/src/app/sr": false, "/usrx": false,
	} {
		if got := Managed(dir); got != want {
			t.Errorf("Managed(%s) = %v, want %v", dir, got, want)
		}
	}
}

func TestSearchTrees(t *testing.T) {
	got := SearchTrees([]string{"/a/include", "/b/include", "/a/include"}, []string{"/a/lib", "/a/include"})
	want := []Tree{{"/a/include", true}, {"/b/include", true}, {"/a/lib", false}, {"/a/include", false}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("SearchTrees = %v, want %v", got, want)
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
	// a gox-cache.json that is no file at all: listed, never opened
	os.MkdirAll(filepath.Join(root, "linux_mips-0123456789abcdef", MetaFile), 0o755)
	ppc := filepath.Join(root, "linux_ppc64le-0123456789abcdef")
	os.MkdirAll(ppc, 0o755)
	fifo := exec.Command("mkfifo", filepath.Join(ppc, MetaFile)).Run() == nil
	if !fifo {
		os.Remove(ppc)
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
		"linux_mips":    "gox-cache.json is a directory",
	}
	if fifo {
		want["linux_ppc64le"] = "gox-cache.json is a named pipe"
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

func TestContentPrint(t *testing.T) {
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
	fp := func(d string) Print { return walk(t, Tree{Dir: filepath.Join(d, "include"), Deep: true}) }
	a, b := mk(), mk()
	// two machines with the same files (other inodes, other directory
	// times) agree on the content print, not on the local one
	os.Chtimes(filepath.Join(b, "include"), time.Now(), time.Now())
	if fp(a).Content != fp(b).Content {
		t.Error("the same files, another machine: content prints differ")
	}
	if fp(a).Local == fp(b).Local {
		t.Error("the local print agrees across directories: the test shows nothing")
	}
	// a header's content (its size) and a new file change it
	os.WriteFile(filepath.Join(b, "include", "a.h"), []byte("#define A 22\n"), 0o644)
	if fp(a).Content == fp(b).Content {
		t.Error("a changed header keeps the content print")
	}
	c := mk()
	os.WriteFile(filepath.Join(c, "include", "new.h"), nil, 0o644)
	if fp(a).Content == fp(c).Content {
		t.Error("a new header keeps the content print")
	}
}

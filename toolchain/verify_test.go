package toolchain

import (
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"testing"
)

func TestVerify(t *testing.T) {
	gob := func(kv ...string) *GoBuild {
		g := &GoBuild{Version: "go1.26.8", Settings: map[string]string{}}
		for i := 0; i+1 < len(kv); i += 2 {
			g.Settings[kv[i]] = kv[i+1]
		}
		return g
	}
	arm64 := &Binary{Format: "elf", Type: "executable", GOARCH: "arm64", Machine: "aarch64", Static: true, Go: gob("GOOS", "linux", "GOARCH", "arm64", "GOARM64", "v8.0", "CGO_ENABLED", "0")}
	amd64 := &Binary{Format: "elf", Type: "executable", GOARCH: "amd64", Machine: "x86-64", Static: true, Go: gob("GOOS", "linux", "GOARCH", "amd64", "GOAMD64", "v1")}
	amd64v3 := &Binary{Format: "elf", Type: "executable", GOARCH: "amd64", Machine: "x86-64", Static: true, Go: gob("GOOS", "linux", "GOARCH", "amd64", "GOAMD64", "v3")}
	arm6 := &Binary{Format: "elf", Type: "executable", GOARCH: "arm", Machine: "arm", Float: "hard", Static: true, Go: gob("GOOS", "linux", "GOARCH", "arm", "GOARM", "6")}
	arm5 := &Binary{Format: "elf", Type: "executable", GOARCH: "arm", Machine: "arm", Float: "soft", Static: true, Go: gob("GOOS", "linux", "GOARCH", "arm", "GOARM", "5")}
	lyingARM := &Binary{Format: "elf", Type: "executable", GOARCH: "arm", Machine: "arm", Float: "soft", Go: gob("GOOS", "linux", "GOARCH", "arm", "GOARM", "7")}
	dyn := &Binary{Format: "elf", Type: "executable", GOARCH: "arm64", Machine: "aarch64", Interp: "/lib/ld-linux-aarch64.so.1", Libc: "glibc",
		Needed: []string{"libc.so.6"}, GLIBC: "2.34", Go: gob("GOOS", "linux", "GOARCH", "arm64", "CGO_ENABLED", "1")}
	musl := &Binary{Format: "elf", Type: "executable", GOARCH: "amd64", Machine: "x86-64", Interp: "/lib/ld-musl-x86_64.so.1", Libc: "musl", Needed: []string{"libc.musl-x86_64.so.1"}}
	win := &Binary{Format: "pe", GOOS: "windows", Type: "executable", GOARCH: "amd64", Machine: "x86-64", Go: gob("GOOS", "windows", "GOARCH", "amd64")}
	plugin := &Binary{Format: "elf", Type: "shared library", GOARCH: "arm64", Machine: "aarch64", Interp: "/lib/ld-linux-aarch64.so.1", Libc: "glibc",
		Go: gob("GOOS", "linux", "GOARCH", "arm64", "CGO_ENABLED", "1", "-buildmode", "plugin")}
	fat := &Binary{Format: "macho-fat", GOOS: "darwin", Slices: []Binary{{Format: "macho", GOOS: "darwin", GOARCH: "amd64"}, {Format: "macho", GOOS: "darwin", GOARCH: "arm64"}}}
	tgt := func(s string) Target {
		x, err := ParseTarget(s, "linux")
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	tests := []struct {
		name string
		b    *Binary
		want Want
		prob string // "" for none; else a substring of the first problem
	}{
		{"arm64 ok", arm64, Want{Target: tgt("linux/arm64")}, ""},
		{"amd64 for arm64", amd64, Want{Target: tgt("linux/arm64")}, "built for linux/amd64, want linux/arm64"},
		{"elf for windows", amd64, Want{Target: tgt("windows/amd64")}, "built for linux/amd64, want windows/amd64"},
		{"pe ok", win, Want{Target: tgt("windows/amd64")}, ""},
		{"stale GOAMD64", amd64v3, Want{Target: tgt("linux/amd64")}, "built with GOAMD64=v3, want GOAMD64=v1"},
		{"GOAMD64 asked for", amd64v3, Want{Target: tgt("linux/amd64/v3")}, ""},
		{"GOARM=6 checked as v7", arm6, Want{Target: tgt("linux/arm/v7")}, "built with GOARM=6, want GOARM=7"},
		{"GOARM=5 is soft float", arm5, Want{Target: tgt("linux/arm/v5")}, ""},
		{"GOARM=5 checked as 5,softfloat", arm5, Want{Target: tgt("linux/arm/v5,softfloat")}, ""},
		{"float ABI disagrees with GOARM", lyingARM, Want{Target: tgt("linux/arm/v7")}, "soft-float ABI, GOARM=7 needs hard-float"},
		{"cgo expected", arm64, Want{Target: tgt("linux/arm64"), Cgo: "1"}, "built with CGO_ENABLED=0, want CGO_ENABLED=1"},
		{"static wanted", dyn, Want{Target: tgt("linux/arm64"), Static: true}, "dynamically linked (loader /lib/ld-linux-aarch64.so.1"},
		{"glibc within bound", dyn, Want{Target: tgt("linux/arm64"), MaxGLIBC: "2.34"}, ""},
		{"glibc too new", dyn, Want{Target: tgt("linux/arm64"), MaxGLIBC: "2.28"}, "needs GLIBC_2.34, newer than the allowed GLIBC_2.28"},
		{"musl for glibc target", musl, Want{Target: tgt("linux/amd64")}, "want glibc"},
		{"glibc for musl target", dyn, Want{Target: Target{GOOS: "linux", GOARCH: "arm64", Libc: "musl"}}, "want musl"},
		{"fat with the slice", fat, Want{Target: tgt("darwin/arm64")}, ""},
		{"plugin as plugin", plugin, Want{Target: tgt("linux/arm64"), BuildMode: "plugin"}, ""},
		{"c-shared for a plugin", plugin, Want{Target: tgt("linux/arm64"), BuildMode: "c-shared"}, "built with -buildmode=plugin, want c-shared"},
		{"fat without the slice", fat, Want{Target: tgt("ios/arm")}, "has no arm slice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := Verify(tt.b, tt.want)
			switch {
			case tt.prob == "" && len(ps) > 0:
				t.Errorf("problems %q, want none", ps)
			case tt.prob != "" && (len(ps) == 0 || !strings.Contains(string(ps[0]), tt.prob)):
				t.Errorf("problems %q, want %q first", ps, tt.prob)
			}
		})
	}
}

func TestVersionLess(t *testing.T) {
	for _, c := range []struct {
		a, b string
		less bool
	}{{"", "2.2", true}, {"2.9", "2.17", true}, {"2.17", "2.9", false}, {"2.34", "2.34", false}, {"2.3.4", "2.3.10", true}} {
		if got := versionLess(c.a, c.b); got != c.less {
			t.Errorf("versionLess(%q, %q) = %v", c.a, c.b, got)
		}
	}
}

func TestInspectReal(t *testing.T) {
	bins := fixtureBinaries(t)
	if len(bins) != len(fixtureTargets) {
		t.Fatalf("%d fixtures, want %d", len(bins), len(fixtureTargets))
	}
	version := fixtureVersion(t)
	for tg, data := range bins {
		b, err := InspectReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatalf("%s: %v", tg, err)
		}
		x, _ := ParseTarget(tg, "linux")
		if ps := Verify(b, Want{Target: x, Cgo: "0"}); len(ps) > 0 {
			t.Errorf("%s: %s: %q", tg, b.Summary(), ps)
		}
		if b.Go == nil || b.Go.Version != version {
			t.Errorf("%s: build info %+v, want %s", tg, b.Go, version)
		}
		other := Target{GOOS: "linux", GOARCH: "s390x"}
		if ps := Verify(b, Want{Target: other}); len(ps) == 0 || !strings.HasPrefix(string(ps[0]), "built for "+strings.Join(strings.Split(tg, "/")[:2], "/")) {
			t.Errorf("%s as %s: %q", tg, other, ps)
		}
	}
	// cut short, empty, text: clear errors, never a panic
	data := bins["linux/arm64"]
	for _, c := range []struct {
		data []byte
		want string
	}{
		{nil, "empty file"},
		{data[:3], "not an ELF"},
		{data[:200], "truncated or malformed ELF"},
		{[]byte("#!/bin/sh\necho hi\n"), "text file"},
		{[]byte("\xca\xfe\xba\xbe\x00\x00\x00\x34rest of a class file"), "it is a Java class file"},
		{[]byte("\xca\xfe\xba\xbe\x00\x00\x00\x02"), "truncated or malformed Mach-O"},
	} {
		_, err := InspectReader(bytes.NewReader(c.data), int64(len(c.data)))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%d bytes: %v, want %q", len(c.data), err, c.want)
		}
	}
}

// FuzzInspect feeds the inspector malformed headers: real binaries cut
// short and mutated. It must return an error or a result, never panic,
// and allocate no more than a bound over the input's size, whatever sizes
// the headers claim.
func FuzzInspect(f *testing.F) {
	for _, data := range fixtureBinaries(f) {
		for _, n := range []int{4, 16, 52, 64, 100, 512, 4096, 1 << 16} {
			if n < len(data) {
				f.Add(data[:n])
			}
		}
	}
	f.Add([]byte("!<arch>\n"))
	f.Add(goArchive("go object linux arm64 go1.26.8 GOARM64=v8.0 X:none"))
	f.Add([]byte("\x00\x00\x8a\x97\x00\x01\x00\x00\x00\x00\x10\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x20\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"))
	f.Add([]byte("\x01\xf7\x00\x03\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x78\x00\x02\x00\x00\x00\x10"))
	f.Add([]byte("!<arch>\ngo.o/          0           0     0     644     99999999  `\n\x7fELF"))
	f.Add([]byte("\x00asm\x01\x00\x00\x00\x0b\xff\xff\xff\xff\x0f"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		b, err := InspectReader(bytes.NewReader(data), int64(len(data)))
		runtime.ReadMemStats(&after)
		if err == nil && b == nil {
			t.Fatal("no result and no error")
		}
		if err == nil {
			_ = b.Summary()
			Verify(b, Want{Target: Target{GOOS: "linux", GOARCH: "arm64"}, Static: true, MaxGLIBC: "2.17"})
		}
		// debug/elf reads a section whose header claims more than the file
		// holds in chunks of at most 10 MB (internal/saferio) before it
		// meets the end of the file: a bound, not proportional to the claim.
		if got, limit := after.TotalAlloc-before.TotalAlloc, uint64(64*len(data)+48<<20); got > limit {
			t.Fatalf("%d bytes of input allocated %d bytes", len(data), got)
		}
	})
}

// goArchive makes a Go package archive as cmd/pack writes one: an ar file
// whose first member, __.PKGDEF, starts with the compiler's object header.
func goArchive(header string) []byte {
	body := header + "\nbuild id \"x\"\n\n$$B\n"
	return []byte(fmt.Sprintf("!<arch>\n%-16s%-12s%-6s%-6s%-8s%-10d`\n%s", "__.PKGDEF", "0", "0", "0", "644", len(body), body))
}

func TestInspectGoArchive(t *testing.T) {
	tgt := func(s string) Target {
		x, err := ParseTarget(s, "linux")
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	for _, c := range []struct {
		header  string
		target  string
		summary string
		prob    string
	}{
		{"go object linux arm64 go1.26.8 GOARM64=v8.0 X:regabiwrappers,regabiargs", "linux/arm64", "Go package archive arm64 linux, go1.26.8, GOARM64=v8.0", ""},
		{"go object linux arm64 go1.26.8 GOARM64=v8.0 X:regabiwrappers", "linux/amd64", "", "built for linux/arm64, want linux/amd64"},
		{"go object windows amd64 go1.26.8 GOAMD64=v1 X:none", "windows/amd64", "Go package archive amd64 windows, go1.26.8, GOAMD64=v1", ""},
		{"go object linux arm go1.26.8 GOARM=6,hardfloat X:dwarf5", "linux/arm/v7", "", "built with GOARM=6,hardfloat, want GOARM=7"},
		{"go object linux arm go1.26.8 GOARM=7 X:dwarf5", "linux/arm/v7", "Go package archive arm linux, go1.26.8, GOARM=7", ""},
		{"go object js wasm go1.26.8 X:none", "js/wasm", "Go package archive wasm js, go1.26.8", ""},
	} {
		data := goArchive(c.header)
		b, err := InspectReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Errorf("%s: %v", c.header, err)
			continue
		}
		ps := Verify(b, Want{Target: tgt(c.target), Cgo: "1", BuildMode: "archive"})
		switch {
		case c.prob == "" && len(ps) > 0:
			t.Errorf("%s as %s: %q", c.header, c.target, ps)
		case c.prob != "" && (len(ps) == 0 || string(ps[0]) != c.prob):
			t.Errorf("%s as %s: %q, want %q", c.header, c.target, ps, c.prob)
		}
		if c.summary != "" && b.Summary() != c.summary {
			t.Errorf("summary %q, want %q", b.Summary(), c.summary)
		}
	}
	data := goArchive("not a go object")
	if _, err := InspectReader(bytes.NewReader(data), int64(len(data))); err == nil || !strings.Contains(err.Error(), "malformed Go package archive") {
		t.Errorf("bad header: %v", err)
	}
}

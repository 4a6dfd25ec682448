package toolchain

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
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

// realBinaries builds a small program with the real go for a few targets
// (pure Go, so no C toolchain is needed) and returns the files.
func realBinaries(t testing.TB) map[string]string {
	realOnce.Do(func() {
		dir, err := os.MkdirTemp("", "gox-verify-")
		if err != nil {
			realErr = err
			return
		}
		src := filepath.Join(dir, "src")
		os.MkdirAll(src, 0o755)
		os.WriteFile(filepath.Join(src, "go.mod"), []byte("module example.com/v\n\ngo 1.26\n"), 0o644)
		os.WriteFile(filepath.Join(src, "main.go"), []byte("package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"v\") }\n"), 0o644)
		realBins = map[string]string{}
		for _, tg := range []string{"linux/arm64", "linux/arm/v6", "linux/riscv64", "linux/386", "windows/amd64", "darwin/arm64", "js/wasm", "wasip1/wasm"} {
			x, _ := ParseTarget(tg, "linux")
			out := filepath.Join(dir, strings.NewReplacer("/", "_").Replace(tg))
			cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-o", out, ".")
			cmd.Dir = src
			cmd.Env = append(os.Environ(), "GOOS="+x.GOOS, "GOARCH="+x.GOARCH, "CGO_ENABLED=0", "GOFLAGS=", "GOARM=6")
			if msg, err := cmd.CombinedOutput(); err != nil {
				realErr = err
				t.Logf("%s", msg)
				return
			}
			realBins[tg] = out
		}
	})
	if realErr != nil {
		t.Fatal(realErr)
	}
	return realBins
}

var (
	realOnce sync.Once
	realBins map[string]string
	realErr  error
)

func TestInspectReal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds binaries")
	}
	bins := realBinaries(t)
	for tg, file := range bins {
		b, err := Inspect(file)
		if err != nil {
			t.Fatalf("%s: %v", tg, err)
		}
		x, _ := ParseTarget(tg, "linux")
		if ps := Verify(b, Want{Target: x, Cgo: "0"}); len(ps) > 0 {
			t.Errorf("%s: %s: %q", tg, b.Summary(), ps)
		}
		if b.Go == nil || b.Go.Version != runtime.Version() {
			t.Errorf("%s: build info %+v", tg, b.Go)
		}
		other := Target{GOOS: "linux", GOARCH: "s390x"}
		if ps := Verify(b, Want{Target: other}); len(ps) == 0 || !strings.HasPrefix(string(ps[0]), "built for "+strings.Join(strings.Split(tg, "/")[:2], "/")) {
			t.Errorf("%s as %s: %q", tg, other, ps)
		}
	}
	// cut short, empty, text: clear errors, never a panic
	data, _ := os.ReadFile(bins["linux/arm64"])
	for _, c := range []struct {
		data []byte
		want string
	}{
		{nil, "empty file"},
		{data[:3], "not an ELF"},
		{data[:200], "truncated or malformed ELF"},
		{[]byte("#!/bin/sh\necho hi\n"), "text file"},
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
	for _, file := range realBinaries(f) {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		for _, n := range []int{4, 16, 52, 64, 100, 512, 4096, 1 << 16} {
			if n < len(data) {
				f.Add(data[:n])
			}
		}
	}
	f.Add([]byte("!<arch>\n"))
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

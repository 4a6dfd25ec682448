package verify

import (
	"strings"
	"testing"

	"github.com/gox-build/gox/toolchain"
	"github.com/gox-build/gox/toolchain/objfile"
)

func TestVerify(t *testing.T) {
	gob := func(kv ...string) *objfile.GoBuild {
		g := &objfile.GoBuild{Version: "go1.26.8", Settings: map[string]string{}}
		for i := 0; i+1 < len(kv); i += 2 {
			g.Settings[kv[i]] = kv[i+1]
		}
		return g
	}
	staticGlibc := &objfile.Binary{Format: "elf", Type: "executable", GOARCH: "arm64", Machine: "aarch64", Static: true, Libc: "glibc", Go: gob("GOOS", "linux", "GOARCH", "arm64", "CGO_ENABLED", "1")}
	arm64 := &objfile.Binary{Format: "elf", Type: "executable", GOARCH: "arm64", Machine: "aarch64", Static: true, Go: gob("GOOS", "linux", "GOARCH", "arm64", "GOARM64", "v8.0", "CGO_ENABLED", "0")}
	amd64 := &objfile.Binary{Format: "elf", Type: "executable", GOARCH: "amd64", Machine: "x86-64", Static: true, Go: gob("GOOS", "linux", "GOARCH", "amd64", "GOAMD64", "v1")}
	amd64v3 := &objfile.Binary{Format: "elf", Type: "executable", GOARCH: "amd64", Machine: "x86-64", Static: true, Go: gob("GOOS", "linux", "GOARCH", "amd64", "GOAMD64", "v3")}
	arm6 := &objfile.Binary{Format: "elf", Type: "executable", GOARCH: "arm", Machine: "arm", Float: "hard", Static: true, Go: gob("GOOS", "linux", "GOARCH", "arm", "GOARM", "6")}
	arm5 := &objfile.Binary{Format: "elf", Type: "executable", GOARCH: "arm", Machine: "arm", Float: "soft", Static: true, Go: gob("GOOS", "linux", "GOARCH", "arm", "GOARM", "5")}
	lyingARM := &objfile.Binary{Format: "elf", Type: "executable", GOARCH: "arm", Machine: "arm", Float: "soft", Go: gob("GOOS", "linux", "GOARCH", "arm", "GOARM", "7")}
	dyn := &objfile.Binary{Format: "elf", Type: "executable", GOARCH: "arm64", Machine: "aarch64", Interp: "/lib/ld-linux-aarch64.so.1", Libc: "glibc",
		Needed: []string{"libc.so.6"}, GLIBC: "2.34", Go: gob("GOOS", "linux", "GOARCH", "arm64", "CGO_ENABLED", "1")}
	musl := &objfile.Binary{Format: "elf", Type: "executable", GOARCH: "amd64", Machine: "x86-64", Interp: "/lib/ld-musl-x86_64.so.1", Libc: "musl", Needed: []string{"libc.musl-x86_64.so.1"}}
	win := &objfile.Binary{Format: "pe", GOOS: "windows", Type: "executable", GOARCH: "amd64", Machine: "x86-64", Go: gob("GOOS", "windows", "GOARCH", "amd64")}
	plugin := &objfile.Binary{Format: "elf", Type: "shared library", GOARCH: "arm64", Machine: "aarch64", Interp: "/lib/ld-linux-aarch64.so.1", Libc: "glibc",
		Go: gob("GOOS", "linux", "GOARCH", "arm64", "CGO_ENABLED", "1", "-buildmode", "plugin")}
	fat := &objfile.Binary{Format: "macho-fat", GOOS: "darwin", Slices: []objfile.Binary{{Format: "macho", GOOS: "darwin", GOARCH: "amd64"}, {Format: "macho", GOOS: "darwin", GOARCH: "arm64"}}}
	tgt := func(s string) toolchain.Target {
		x, err := toolchain.ParseTarget(s, "linux")
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	tests := []struct {
		name string
		b    *objfile.Binary
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
		{"static glibc for a musl target", staticGlibc, Want{Target: tgt("linux/arm64/musl")}, "statically linked against glibc (its ABI tag note is in the file), want musl"},
		{"static without glibc's note for a musl target", arm64, Want{Target: tgt("linux/arm64/musl")}, ""},
		{"static glibc for a glibc target", staticGlibc, Want{Target: tgt("linux/arm64"), Static: true}, ""},
		{"glibc floor in the target", dyn, Want{Target: tgt("linux/arm64/gnu2.28")}, "needs GLIBC_2.34, newer than the allowed GLIBC_2.28 (the target's floor, linux/arm64/gnu2.28)"},
		{"glibc floor met", dyn, Want{Target: tgt("linux/arm64/gnu2.34")}, ""},
		{"the lower of floor and -max-glibc", dyn, Want{Target: tgt("linux/arm64/gnu2.35"), MaxGLIBC: "2.30"}, "newer than the allowed GLIBC_2.30"},
		{"musl for glibc target", musl, Want{Target: tgt("linux/amd64")}, "want glibc"},
		{"glibc for musl target", dyn, Want{Target: toolchain.Target{GOOS: "linux", GOARCH: "arm64", Libc: "musl"}}, "want musl"},
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

package objfile_test

import (
	"bytes"
	"compress/gzip"
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"debug/plan9obj"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/gox-build/gox/toolchain"
	"github.com/gox-build/gox/toolchain/objfile"
	"github.com/gox-build/gox/toolchain/verify"
)

// The object-file tests read real Go binaries, one per object format and
// machine gox reads. Building them takes a cold compile of the runtime for
// eight targets, so they are committed, gzipped, under testdata/bin, and
// rebuilt only on request:
//
//	go test ./toolchain/objfile -run TestInspectReal -update-fixtures
//
// They are built by the real go from a program that imports nothing
// (println only), stripped, and then their machine code and read-only data
// are blanked with zeros (blank): every header, the build info, the
// loader, notes and dynamic sections stay as the linker wrote them, and
// Inspect must read the same from the blanked file as from the original
// (buildFixtures checks), but each compresses to a few kilobytes. The Go
// version they were built with is in testdata/bin/VERSION.
var updateFixtures = flag.Bool("update-fixtures", false, "rebuild testdata/bin with the go command running the tests")

// fixtureTargets are the targets of the committed binaries; linux/arm/v6
// is built with GOARM=6, the others with the toolchain's defaults.
var fixtureTargets = []string{"linux/arm64", "linux/arm/v6", "linux/riscv64", "linux/386", "windows/amd64", "darwin/arm64", "js/wasm", "wasip1/wasm", "plan9/amd64", "aix/ppc64"}

const fixtureDir = "testdata/bin"

func fixtureFile(target string) string {
	return filepath.Join(fixtureDir, strings.ReplaceAll(target, "/", "_")+".gz")
}

var (
	fixturesOnce sync.Once
	fixtures     map[string][]byte
	fixturesErr  error
)

// fixtureBinaries returns the committed binaries by target, read once per
// test binary.
func fixtureBinaries(t testing.TB) map[string][]byte {
	t.Helper()
	fixturesOnce.Do(func() {
		if *updateFixtures {
			fixturesErr = buildFixtures()
			if fixturesErr != nil {
				return
			}
		}
		fixtures = map[string][]byte{}
		for _, tg := range fixtureTargets {
			data, err := readGzip(fixtureFile(tg))
			if err != nil {
				fixturesErr = err
				return
			}
			fixtures[tg] = data
		}
	})
	if fixturesErr != nil {
		t.Fatal(fixturesErr)
	}
	return fixtures
}

func fixtureVersion(t testing.TB) string {
	t.Helper()
	v, err := os.ReadFile(filepath.Join(fixtureDir, "VERSION"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(v))
}

func readGzip(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

// buildFixtures rebuilds testdata/bin with the real go.
func buildFixtures() error {
	src, err := os.MkdirTemp("", "gox-fixtures-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(src)
	os.WriteFile(filepath.Join(src, "go.mod"), []byte("module example.com/v\n\ngo 1.26\n"), 0o644)
	os.WriteFile(filepath.Join(src, "main.go"), []byte("package main\n\nfunc main() { println(\"v\") }\n"), 0o644)
	if err := os.MkdirAll(fixtureDir, 0o755); err != nil {
		return err
	}
	for _, tg := range fixtureTargets {
		x, err := toolchain.ParseTarget(tg, "linux")
		if err != nil {
			return err
		}
		out := filepath.Join(src, "out")
		// Stripped, but for XCOFF, whose build info debug/buildinfo finds
		// through the symbol table.
		ldflags := "-ldflags=-s -w"
		if x.GOOS == "aix" {
			ldflags = "-ldflags="
		}
		cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-trimpath", ldflags, "-o", out, ".")
		cmd.Dir = src
		cmd.Env = append(os.Environ(), "GOOS="+x.GOOS, "GOARCH="+x.GOARCH, "CGO_ENABLED=0", "GOFLAGS=", "GOARM=6")
		if msg, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("building the %s fixture: %v\n%s", tg, err, msg)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			return err
		}
		before, err := objfile.InspectReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return err
		}
		blanked, err := blank(data)
		if err != nil {
			return fmt.Errorf("blanking the %s fixture: %v", tg, err)
		}
		after, err := objfile.InspectReader(bytes.NewReader(blanked), int64(len(blanked)))
		if err != nil || !reflect.DeepEqual(before, after) {
			return fmt.Errorf("blanking the %s fixture: Inspect reads %+v from the blanked file (%v), %+v from the original", tg, after, err, before)
		}
		data = blanked
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		zw.Write(data)
		zw.Close()
		if err := os.WriteFile(fixtureFile(tg), b.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(fixtureDir, "VERSION"), []byte(runtime.Version()+"\n"), 0o644)
}

// The markers around the module information the Go linker writes (the
// same as objfile's and debug/buildinfo's).
var (
	modInfoStart = []byte("0w\xaf\x0c\x92t\x08\x02A\xe1\xc1\x07\xe6\xd6\x18\xe6")
	modInfoEnd   = []byte("\xf92C1\x86\x18 r\x00\x82B\x10A\x16\xd8\xf2")
)

// blank returns a copy of the binary data with the contents of the
// sections Inspect never reads (code, read-only data, pclntab, symbols)
// set to zero, keeping the file's size and layout.
func blank(data []byte) ([]byte, error) {
	out := bytes.Clone(data)
	zero := func(off, size uint64) {
		if off < uint64(len(out)) && size <= uint64(len(out))-off {
			clear(out[off : off+size])
		}
	}
	r := bytes.NewReader(data)
	switch {
	case bytes.HasPrefix(data, []byte("\x7fELF")):
		f, err := elf.NewFile(r)
		if err != nil {
			return nil, err
		}
		for _, s := range f.Sections {
			keep := strings.Contains(s.Name, "buildinfo") || strings.HasPrefix(s.Name, ".note") || s.Name == ".interp" ||
				strings.HasPrefix(s.Name, ".dyn") || strings.HasPrefix(s.Name, ".gnu") || s.Name == ".shstrtab"
			if !keep && s.Type != elf.SHT_NOBITS {
				zero(s.Offset, s.FileSize)
			}
		}
	case bytes.HasPrefix(data, []byte("MZ")):
		f, err := pe.NewFile(r)
		if err != nil {
			return nil, err
		}
		// debug/buildinfo finds the build info at the start of the first
		// writable data section, .data; .idata names the DLLs.
		for _, s := range f.Sections {
			if s.Name != ".data" && s.Name != ".idata" {
				zero(uint64(s.Offset), uint64(s.Size))
			}
		}
	case bytes.HasPrefix(data, []byte("\x00asm")):
		// The code section (id 10) goes whole; of the data section (11),
		// Inspect searches for the module info between its sentinels and
		// for a "go1." version string, so those stay.
		off := uint64(8)
		for off < uint64(len(data)) {
			id := data[off]
			n, k := binary.Uvarint(data[off+1:])
			if k <= 0 || off+1+uint64(k)+n > uint64(len(data)) {
				return nil, errors.New("bad wasm section header")
			}
			start := off + 1 + uint64(k)
			switch id {
			case 10:
				zero(start, n)
			case 11:
				body := data[start : start+n]
				keep := make([]bool, len(body))
				mark := func(from, to int) {
					for i := max(from, 0); i < min(to, len(body)); i++ {
						keep[i] = true
					}
				}
				for i := 0; ; {
					j := bytes.Index(body[i:], []byte("go1."))
					if j < 0 {
						break
					}
					mark(i+j-8, i+j+32)
					i += j + 1
				}
				if i := bytes.Index(body, modInfoStart); i >= 0 {
					if e := bytes.Index(body[i:], modInfoEnd); e >= 0 {
						mark(i-8, i+e+len(modInfoEnd)+8)
					}
				}
				for i, k := range keep {
					if !k {
						out[start+uint64(i)] = 0
					}
				}
			}
			off = start + n
		}
	case len(data) >= 4 && (binary.BigEndian.Uint32(data) == plan9obj.Magic386 || binary.BigEndian.Uint32(data) == plan9obj.MagicAMD64 || binary.BigEndian.Uint32(data) == plan9obj.MagicARM):
		f, err := plan9obj.NewFile(r)
		if err != nil {
			return nil, err
		}
		// The build info is in the data segment; text and symbols go.
		for _, s := range f.Sections {
			if s.Name != "data" {
				zero(uint64(s.Offset), uint64(s.Size))
			}
		}
	case bytes.HasPrefix(data, []byte{0x01, 0xF7}):
		// 64-bit XCOFF: section headers of 72 bytes follow the 24-byte
		// file header and the optional header; .data (the build info)
		// and .loader (the imported libraries) stay.
		be := binary.BigEndian
		nscns := int(be.Uint16(data[2:4]))
		off := 24 + int(be.Uint16(data[16:18]))
		for i := 0; i < nscns && off+72 <= len(data); i, off = i+1, off+72 {
			name := string(bytes.TrimRight(data[off:off+8], "\x00"))
			size, ptr := be.Uint64(data[off+24:off+32]), be.Uint64(data[off+32:off+40])
			if name != ".data" && name != ".loader" && ptr != 0 {
				zero(ptr, size)
			}
		}
	default:
		f, err := macho.NewFile(r)
		if err != nil {
			return nil, err
		}
		for _, s := range f.Sections {
			if s.Name != "__go_buildinfo" && s.Offset != 0 {
				zero(uint64(s.Offset), s.Size)
			}
		}
	}
	return out, nil
}

func TestInspectReal(t *testing.T) {
	bins := fixtureBinaries(t)
	if len(bins) != len(fixtureTargets) {
		t.Fatalf("%d fixtures, want %d", len(bins), len(fixtureTargets))
	}
	version := fixtureVersion(t)
	for tg, data := range bins {
		b, err := objfile.InspectReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatalf("%s: %v", tg, err)
		}
		x, _ := toolchain.ParseTarget(tg, "linux")
		if ps := verify.Verify(b, verify.Want{Target: x, Cgo: "0"}); len(ps) > 0 {
			t.Errorf("%s: %s: %q", tg, b.Summary(), ps)
		}
		if b.Go == nil || b.Go.Version != version {
			t.Errorf("%s: build info %+v, want %s", tg, b.Go, version)
		}
		other := toolchain.Target{GOOS: "linux", GOARCH: "s390x"}
		if ps := verify.Verify(b, verify.Want{Target: other}); len(ps) == 0 || !strings.HasPrefix(string(ps[0]), "built for "+strings.Join(strings.Split(tg, "/")[:2], "/")) {
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
		_, err := objfile.InspectReader(bytes.NewReader(c.data), int64(len(c.data)))
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
		b, err := objfile.InspectReader(bytes.NewReader(data), int64(len(data)))
		runtime.ReadMemStats(&after)
		if err == nil && b == nil {
			t.Fatal("no result and no error")
		}
		if err == nil {
			_ = b.Summary()
			verify.Verify(b, verify.Want{Target: toolchain.Target{GOOS: "linux", GOARCH: "arm64"}, Static: true, MaxGLIBC: "2.17"})
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
	tgt := func(s string) toolchain.Target {
		x, err := toolchain.ParseTarget(s, "linux")
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
		b, err := objfile.InspectReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Errorf("%s: %v", c.header, err)
			continue
		}
		ps := verify.Verify(b, verify.Want{Target: tgt(c.target), Cgo: "1", BuildMode: "archive"})
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
	if _, err := objfile.InspectReader(bytes.NewReader(data), int64(len(data))); err == nil || !strings.Contains(err.Error(), "malformed Go package archive") {
		t.Errorf("bad header: %v", err)
	}
}

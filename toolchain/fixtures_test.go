package toolchain

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
)

// The object-file tests read real Go binaries, one per object format and
// machine gox reads. Building them takes a cold compile of the runtime for
// eight targets, so they are committed, gzipped, under testdata/bin, and
// rebuilt only on request:
//
//	go test ./toolchain -run TestInspectReal -update-fixtures
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
		x, err := ParseTarget(tg, "linux")
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
			return &Error{What: "building the " + tg + " fixture", Err: err, Hints: []string{string(msg)}}
		}
		data, err := os.ReadFile(out)
		if err != nil {
			return err
		}
		before, err := InspectReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return err
		}
		blanked, err := blank(data)
		if err != nil {
			return &Error{What: "blanking the " + tg + " fixture", Err: err}
		}
		after, err := InspectReader(bytes.NewReader(blanked), int64(len(blanked)))
		if err != nil || !reflect.DeepEqual(before, after) {
			return &Error{What: "blanking the " + tg + " fixture", Err: fmt.Errorf("Inspect reads %+v from the blanked file (%v), %+v from the original", after, err, before)}
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
	case isPlan9(data):
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

package objfile

import (
	"bufio"
	"bytes"
	"debug/buildinfo"
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"debug/plan9obj"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"

	"github.com/gox-build/gox/toolchain/arch"
)

// Binary is what gox reads from a built file without running it or any
// outside tool (file, readelf): enough to say which OS, machine, ABI and
// C library it is for, and how Go built it.
type Binary struct {
	// Format is "elf", "pe", "macho", "macho-fat" or "wasm"; for an
	// archive, the format of the objects in it.
	Format string `json:"format"`
	// Type is "executable", "pie", "shared library", "object", "archive"
	// (a c-archive: an ar file of objects) or "universal".
	Type string `json:"type"`
	// GOOS is the operating system the header names ("" when the header
	// does not tell, as for a static Linux ELF: the build info does).
	GOOS string `json:"goos,omitempty"`
	// GOARCH is the Go architecture of the machine code ("" when Go has
	// none for it).
	GOARCH    string `json:"goarch,omitempty"`
	Machine   string `json:"machine"`
	Bits      int    `json:"bits,omitempty"`
	ByteOrder string `json:"byteOrder,omitempty"`
	// Float is the ARM EABI float ABI from the ELF flags: "hard", "soft"
	// or "".
	Float string `json:"float,omitempty"`
	// Static is true for an executable with no program interpreter and no
	// shared libraries.
	Static bool `json:"static"`
	// Interp is the ELF program interpreter (the dynamic loader).
	Interp string `json:"interp,omitempty"`
	// Libc is the C library the loader belongs to: "glibc", "musl",
	// "bionic", or the BSDs' own; "" when static or unknown.
	Libc   string   `json:"libc,omitempty"`
	Needed []string `json:"needed,omitempty"`
	// GLIBC is the highest GLIBC_x.y symbol version the file requires.
	GLIBC string `json:"glibc,omitempty"`
	// Go is the Go build information, nil for a non-Go file or one built
	// without it.
	Go *GoBuild `json:"go,omitempty"`
	// Slices are the architectures of a universal (fat) Mach-O file.
	Slices []Binary `json:"slices,omitempty"`
}

// GoBuild is the part of a Go binary's build info that verification uses.
type GoBuild struct {
	Version string `json:"version"`
	Path    string `json:"path,omitempty"`
	// Settings are the build settings: GOOS, GOARCH, GOARM, GOAMD64, …,
	// CGO_ENABLED, -buildmode, -ldflags.
	Settings map[string]string `json:"settings,omitempty"`
}

// Setting returns a build setting, or "".
func (g *GoBuild) Setting(key string) string {
	if g == nil {
		return ""
	}
	return g.Settings[key]
}

// InspectError is a file gox cannot read as a binary: empty, truncated,
// text, or a format it does not know.
type InspectError struct {
	File string
	Err  error
}

func (e *InspectError) Error() string { return e.File + ": " + e.Err.Error() }
func (e *InspectError) Unwrap() error { return e.Err }

// Inspect reads the binary at path.
func Inspect(path string) (*Binary, error) {
	// Stat before opening: opening a named pipe waits for a writer, and a
	// device may never end.
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := regularFile(fi); err != nil {
		return nil, &InspectError{path, err}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err = f.Stat(); err != nil {
		return nil, err
	}
	if err := regularFile(fi); err != nil {
		return nil, &InspectError{path, err}
	}
	b, err := InspectReader(f, fi.Size())
	if err != nil {
		return nil, &InspectError{path, err}
	}
	return b, nil
}

// InspectReader reads a binary of the given size from r. It never panics
// and allocates in proportion to what the file really holds, whatever its
// headers claim (the fuzz test holds it to that).
func InspectReader(r io.ReaderAt, size int64) (b *Binary, err error) {
	defer func() {
		// debug/* are hardened, but a malformed file must never take gox
		// down with it.
		if p := recover(); p != nil {
			b, err = nil, fmt.Errorf("malformed file (%v)", p)
		}
	}()
	var magic [8]byte
	n, _ := r.ReadAt(magic[:], 0)
	head := magic[:n]
	switch {
	case n == 0:
		return nil, errors.New("empty file")
	case bytes.HasPrefix(head, []byte("\x7fELF")):
		return malformed("ELF")(inspectELF(r))
	case bytes.HasPrefix(head, []byte("MZ")):
		return malformed("PE")(inspectPE(r))
	case bytes.HasPrefix(head, []byte("\x00asm")):
		return inspectWasm(r, size)
	case bytes.HasPrefix(head, []byte("!<arch>\n")):
		return inspectArchive(r, size)
	case len(head) >= 4 && isPlan9(head):
		return malformed("Plan 9 a.out")(inspectPlan9(r))
	case len(head) >= 2 && (head[0] == 0x01 && (head[1] == 0xF7 || head[1] == 0xDF)):
		return malformed("XCOFF")(inspectXCOFF(r, size))
	case len(head) >= 8 && isJavaClass(head):
		return nil, fmt.Errorf("%w: it is a Java class file", ErrNotObject)
	case len(head) >= 4 && isMachO(head):
		return malformed("Mach-O")(inspectMachO(r, head))
	case len(head) >= 4 && isCOFFObject([4]byte(head[:4])):
		return malformed("COFF")(inspectPE(r))
	}
	if n < 4 {
		return nil, fmt.Errorf("%w (%d bytes)", ErrNotObject, size)
	}
	if isText(head) {
		return nil, fmt.Errorf("%w: it is a text file", ErrNotObject)
	}
	return nil, ErrNotObject
}

// regularFile refuses what is not a regular file, saying what it is.
func regularFile(fi os.FileInfo) error {
	m := fi.Mode()
	switch {
	case m.IsRegular():
		return nil
	case m.IsDir():
		return errors.New("is a directory")
	case m&os.ModeNamedPipe != 0:
		return errors.New("is a named pipe, not a file")
	case m&os.ModeSocket != 0:
		return errors.New("is a socket, not a file")
	case m&os.ModeDevice != 0:
		return errors.New("is a device, not a file")
	}
	return fmt.Errorf("is not a regular file (%v)", m.Type())
}

// malformed words a parser's failure for a file that starts like a
// binary: it is truncated or corrupt.
func malformed(format string) func(*Binary, error) (*Binary, error) {
	return func(b *Binary, err error) (*Binary, error) {
		if err != nil {
			return nil, fmt.Errorf("truncated or malformed %s file (%v)", format, err)
		}
		return b, nil
	}
}

func isText(b []byte) bool {
	for _, c := range b {
		if c < 0x09 || c > 0x0d && c < 0x20 && c != 0x1b || c == 0x7f {
			return false
		}
	}
	return true
}

// isJavaClass tells a Java class file from a universal Mach-O binary,
// which share the magic 0xCAFEBABE: the next four bytes are a class file's
// minor and major version (major 45 or more), a universal binary's
// count of architectures (a handful), as file(1) tells them apart.
func isJavaClass(h []byte) bool {
	return binary.BigEndian.Uint32(h) == macho.MagicFat && binary.BigEndian.Uint32(h[4:8]) >= 20
}

func isMachO(h []byte) bool {
	be, le := binary.BigEndian.Uint32(h), binary.LittleEndian.Uint32(h)
	return le == macho.Magic32 || le == macho.Magic64 || be == macho.MagicFat
}

func goBuild(r io.ReaderAt) *GoBuild {
	bi, err := buildinfo.Read(r)
	if err != nil {
		return nil
	}
	g := &GoBuild{Version: bi.GoVersion, Path: bi.Path, Settings: map[string]string{}}
	for _, s := range bi.Settings {
		g.Settings[s.Key] = s.Value
	}
	return g
}

// inspectWasm walks a WebAssembly module's sections: the import section
// tells js (module "gojs") from wasip1 ("wasi_snapshot_preview1"), and the
// data section holds the Go build info, which debug/buildinfo does not read
// from wasm files.
func inspectWasm(r io.ReaderAt, size int64) (*Binary, error) {
	b := &Binary{Format: "wasm", Type: "executable", GOARCH: "wasm", Machine: "wasm", Bits: 32, ByteOrder: "little"}
	sr := io.NewSectionReader(r, 8, size-8)
	br := bufio.NewReader(sr)
	off := int64(8)
	for {
		id, err := br.ReadByte()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		n, err := binary.ReadUvarint(br)
		if err != nil {
			return nil, fmt.Errorf("truncated wasm section header: %v", err)
		}
		hdr := 1 + int64(uvarintLen(n))
		if n > uint64(size-off-hdr) {
			return nil, errors.New("truncated wasm section")
		}
		start := off + hdr
		switch id {
		case 2: // imports
			data := make([]byte, n)
			if _, err := r.ReadAt(data, start); err != nil {
				return nil, err
			}
			switch {
			case bytes.Contains(data, []byte("wasi_snapshot_preview1")):
				b.GOOS = "wasip1"
			case bytes.Contains(data, []byte("gojs")):
				b.GOOS = "js"
			}
		case 11: // data
			b.Go = wasmGoBuild(io.NewSectionReader(r, start, int64(n)), int64(n))
		}
		if _, err := br.Discard(int(n)); err != nil {
			return nil, fmt.Errorf("truncated wasm section: %v", err)
		}
		off = start + int64(n)
	}
	if b.Go != nil && b.Go.Setting("GOOS") != "" {
		b.GOOS = b.Go.Setting("GOOS")
	}
	return b, nil
}

func uvarintLen(x uint64) int {
	n := 1
	for x >= 0x80 {
		x >>= 7
		n++
	}
	return n
}

// The go command wraps the module info in these sentinels
// (cmd/go/internal/modload.ModInfoProg); in wasm files, where the linker
// writes no build info header, the wrapped string is found in the data
// section as runtime.modinfo's bytes.
var (
	modInfoStart = []byte("0w\xaf\x0c\x92t\x08\x02A\xe1\xc1\x07\xe6\xd6\x18\xe6")
	modInfoEnd   = []byte("\xf92C1\x86\x18 r\x00\x82B\x10A\x16\xd8\xf2")
)

// wasmGoBuild finds the module info and the Go version string in a wasm
// data section, reading it in pieces.
func wasmGoBuild(r io.ReaderAt, size int64) *GoBuild {
	const chunk = 1 << 20
	buf := make([]byte, chunk+64)
	var g *GoBuild
	version := ""
	for off := int64(0); off < size && (g == nil || version == ""); off += chunk {
		n, _ := r.ReadAt(buf, off)
		data := buf[:n]
		if version == "" {
			version = findGoVersion(data)
		}
		if g != nil {
			continue
		}
		i := bytes.Index(data, modInfoStart)
		if i < 0 {
			continue
		}
		info := make([]byte, 64<<10)
		m, _ := r.ReadAt(info, off+int64(i)+int64(len(modInfoStart)))
		info = info[:m]
		end := bytes.Index(info, modInfoEnd)
		if end < 0 {
			return nil
		}
		bi, err := debug.ParseBuildInfo(string(info[:end]))
		if err != nil {
			return nil
		}
		g = &GoBuild{Path: bi.Path, Settings: map[string]string{}}
		for _, s := range bi.Settings {
			g.Settings[s.Key] = s.Value
		}
	}
	if g != nil {
		g.Version = version
	}
	return g
}

// findGoVersion finds runtime.buildVersion's bytes: "go1.N[.M]" starting
// a string.
func findGoVersion(data []byte) string {
	for i := 0; ; {
		j := bytes.Index(data[i:], []byte("go1."))
		if j < 0 {
			return ""
		}
		at := i + j
		k := at + 4
		for k < len(data) && (data[k] >= '0' && data[k] <= '9' || data[k] == '.' || data[k] >= 'a' && data[k] <= 'z') {
			k++
		}
		if (at == 0 || data[at-1] == 0) && k < len(data) && data[k] == 0 && k > at+4 {
			return string(data[at:k])
		}
		i = at + 4
	}
}

func byteOrderName(o binary.ByteOrder) string {
	if o == binary.BigEndian {
		return "big"
	}
	return "little"
}

func inspectELF(r io.ReaderAt) (*Binary, error) {
	ef, err := elf.NewFile(r)
	if err != nil {
		return nil, err
	}
	b := &Binary{Format: "elf", GOARCH: GOARCHOf(ef.Machine, ef.Class, ef.ByteOrder), Machine: arch.MachineName(ef.Machine, ef.Class),
		ByteOrder: byteOrderName(ef.ByteOrder), Bits: 32}
	if ef.Class == elf.ELFCLASS64 {
		b.Bits = 64
	}
	if ef.Machine == elf.EM_ARM {
		if flags, err := elfFlags(r, ef); err == nil {
			switch {
			case flags&efARMABIFloatHard != 0:
				b.Float = "hard"
			case flags&efARMABIFloatSoft != 0:
				b.Float = "soft"
			}
		}
	}
	for _, p := range ef.Progs {
		if p.Type == elf.PT_INTERP {
			buf := make([]byte, min(p.Filesz, 4096))
			if n, _ := p.ReadAt(buf, 0); n > 0 {
				b.Interp = string(bytes.TrimRight(buf[:n], "\x00"))
			}
		}
	}
	switch ef.Type {
	case elf.ET_EXEC:
		b.Type = "executable"
	case elf.ET_DYN:
		b.Type = "shared library"
		if b.Interp != "" {
			b.Type = "pie"
		}
	case elf.ET_REL:
		b.Type = "object"
	default:
		b.Type = ef.Type.String()
	}
	if ef.Section(".dynamic") != nil {
		b.Needed, _ = ef.ImportedLibraries()
		if needs, err := ef.DynamicVersionNeeds(); err == nil {
			for _, n := range needs {
				for _, d := range n.Needs {
					if v, ok := strings.CutPrefix(d.Dep, "GLIBC_"); ok && VersionLess(b.GLIBC, v) {
						b.GLIBC = v
					}
				}
			}
		}
	}
	b.Static = b.Interp == "" && len(b.Needed) == 0 && b.Type != "shared library" && b.Type != "object"
	b.GOOS = elfGOOS(ef, b.Interp)
	b.Go = goBuild(r)
	goos := b.GOOS
	if goos == "" {
		// Go writes no OS into solaris and illumos ELF files; their
		// build info says it
		goos = b.Go.Setting("GOOS")
	}
	b.Libc = libcOfInterp(b.Interp, goos)
	if b.GLIBC != "" && b.Libc == "" {
		b.Libc = "glibc"
	}
	if b.Static && b.Libc == "" && ef.Section(".note.ABI-tag") != nil {
		// glibc's start files carry the GNU ABI tag note; musl's, and Go's
		// own linker, write none: a static executable with it is glibc's
		b.Libc = "glibc"
	}
	return b, nil
}

// elfGOOS reads the OS from what the ELF file says about it: OSABI,
// identification notes, or a loader only one OS uses. Linux binaries
// usually say nothing (OSABI is "System V"); then it is "".
func elfGOOS(ef *elf.File, interp string) string {
	switch ef.OSABI {
	case elf.ELFOSABI_FREEBSD:
		return "freebsd"
	case elf.ELFOSABI_NETBSD:
		return "netbsd"
	case elf.ELFOSABI_OPENBSD:
		return "openbsd"
	case elf.ELFOSABI_SOLARIS:
		return "solaris"
	case elf.ELFOSABI_LINUX:
		return "linux"
	}
	switch {
	case ef.Section(".note.netbsd.ident") != nil:
		return "netbsd"
	case ef.Section(".note.openbsd.ident") != nil:
		return "openbsd"
	case ef.Section(".note.android.ident") != nil, strings.HasPrefix(interp, "/system/bin/linker"):
		return "android"
	case ef.Section(".note.tag") != nil && ef.Section(".note.dragonfly.ident") != nil:
		return "dragonfly"
	case strings.HasPrefix(interp, "/lib/ld-linux"), strings.HasPrefix(interp, "/lib64/ld-linux"),
		strings.HasPrefix(interp, "/lib/ld-musl"), strings.HasPrefix(interp, "/lib/ld64.so"), strings.HasPrefix(interp, "/lib64/ld64.so"):
		return "linux"
	}
	return ""
}

func libcOfInterp(interp, goos string) string {
	switch {
	case interp == "":
		return ""
	case goos == "solaris" || goos == "illumos" || strings.HasSuffix(interp, "/amd64/ld.so.1"):
		// /lib/amd64/ld.so.1 is the system's own loader there, as
		// /lib/ld.so.1 is glibc's on some Linux ports
		return "solaris libc"
	case strings.Contains(interp, "ld-musl"):
		return "musl"
	case strings.HasPrefix(interp, "/system/bin/linker"):
		return "bionic"
	case strings.Contains(interp, "ld-linux"), strings.Contains(interp, "/ld64.so"), strings.HasSuffix(interp, "/ld.so.1"):
		return "glibc"
	case strings.Contains(interp, "ld-elf.so"):
		return "freebsd libc"
	}
	return ""
}

// VersionLess compares dotted versions numerically ("2.9" < "2.17");
// "" is less than everything.
func VersionLess(a, b string) bool {
	if a == "" {
		return b != ""
	}
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) || i < len(bs); i++ {
		var x, y int
		if i < len(as) {
			x, _ = strconv.Atoi(as[i])
		}
		if i < len(bs) {
			y, _ = strconv.Atoi(bs[i])
		}
		if x != y {
			return x < y
		}
	}
	return false
}

func inspectPE(r io.ReaderAt) (*Binary, error) {
	pf, err := pe.NewFile(r)
	if err != nil {
		return nil, err
	}
	b := &Binary{Format: "pe", GOOS: "windows", Machine: fmt.Sprintf("PE machine %#x", pf.Machine), ByteOrder: "little", Bits: 32}
	for _, a := range []string{"amd64", "386", "arm64", "arm", "riscv64", "loong64"} {
		if x, _ := ArchOf(a); x.PE == pf.Machine {
			b.GOARCH = a
			b.Machine = arch.MachineName(x.ELF, x.Class)
			if x.Class == elf.ELFCLASS64 {
				b.Bits = 64
			}
		}
	}
	switch {
	case pf.OptionalHeader == nil:
		b.Type = "object"
	case pf.Characteristics&pe.IMAGE_FILE_DLL != 0:
		b.Type = "shared library"
	default:
		b.Type = "executable"
	}
	b.Needed, _ = pf.ImportedLibraries()
	sort.Strings(b.Needed)
	b.Static = len(b.Needed) == 0
	b.Go = goBuild(r)
	return b, nil
}

// Mach-O platforms in LC_BUILD_VERSION.
const (
	lcBuildVersion     = 0x32
	platformMacOS      = 1
	platformIOS        = 2
	platformIOSSim     = 7
	platformMacCatalst = 6
)

func inspectMachO(r io.ReaderAt, head []byte) (*Binary, error) {
	if binary.BigEndian.Uint32(head) == macho.MagicFat {
		ff, err := macho.NewFatFile(r)
		if err != nil {
			return nil, err
		}
		b := &Binary{Format: "macho-fat", Type: "universal", GOOS: "darwin", Machine: "universal"}
		var names []string
		for _, a := range ff.Arches {
			s := machOBinary(a.File)
			s.Go = goBuild(io.NewSectionReader(r, int64(a.Offset), int64(a.Size)))
			b.Slices = append(b.Slices, *s)
			names = append(names, s.Machine)
			if s.GOOS != "" {
				b.GOOS = s.GOOS
			}
		}
		b.Machine = "universal (" + strings.Join(names, ", ") + ")"
		return b, nil
	}
	mf, err := macho.NewFile(r)
	if err != nil {
		return nil, err
	}
	b := machOBinary(mf)
	b.Go = goBuild(r)
	return b, nil
}

func machOBinary(mf *macho.File) *Binary {
	b := &Binary{Format: "macho", GOOS: "darwin", Machine: arch.MachOName(mf.Cpu), ByteOrder: byteOrderName(mf.ByteOrder), Bits: 32}
	if mf.Magic == macho.Magic64 {
		b.Bits = 64
	}
	for _, a := range []string{"amd64", "arm64", "386", "arm"} {
		if x, _ := ArchOf(a); x.MachO == mf.Cpu {
			b.GOARCH = a
		}
	}
	switch mf.Type {
	case macho.TypeExec:
		b.Type = "executable"
	case macho.TypeDylib, macho.TypeBundle:
		b.Type = "shared library"
	case macho.TypeObj:
		b.Type = "object"
	default:
		b.Type = mf.Type.String()
	}
	for _, l := range mf.Loads {
		raw := l.Raw()
		if len(raw) >= 12 && mf.ByteOrder.Uint32(raw) == lcBuildVersion {
			switch mf.ByteOrder.Uint32(raw[8:]) {
			case platformIOS, platformIOSSim, platformMacCatalst:
				b.GOOS = "ios"
			case platformMacOS:
				b.GOOS = "darwin"
			}
		}
	}
	b.Needed, _ = mf.ImportedLibraries()
	b.Static = len(b.Needed) == 0 && b.Type == "executable"
	return b
}

// inspectArchive reads an ar archive: a Go package archive (what go build
// -o writes for a package that is not main, and -buildmode=archive) by its
// __.PKGDEF header; a c-archive by its first object file, whose machine
// stands for the archive (the go command writes one go.o, plus the C
// objects of cgo packages, all for the target).
func inspectArchive(r io.ReaderAt, size int64) (*Binary, error) {
	// Every member header first, to the end of the file: an archive cut
	// short (a copy interrupted, a disk full) is no archive, whichever
	// member the answer would come from.
	type member struct {
		name   string
		off, n int64
	}
	var members []member
	off := int64(8)
	for off < size {
		if len(members) == 100000 {
			return nil, errors.New("archive of more than 100000 members")
		}
		if off+60 > size {
			return nil, fmt.Errorf("truncated archive: %d bytes after the last member, not a member header", size-off)
		}
		var hdr [60]byte
		if _, err := r.ReadAt(hdr[:], off); err != nil {
			return nil, fmt.Errorf("truncated archive: %v", err)
		}
		if hdr[58] != '`' || hdr[59] != '\n' {
			return nil, errors.New("malformed archive member header")
		}
		n, err := strconv.ParseInt(strings.TrimSpace(string(hdr[48:58])), 10, 64)
		if err != nil || n < 0 {
			return nil, errors.New("malformed archive member size")
		}
		name := strings.TrimSpace(string(hdr[:16]))
		if off+60+n > size {
			return nil, fmt.Errorf("truncated archive: member %q needs %d bytes, the file ends after %d", name, n, size-off-60)
		}
		members = append(members, member{name, off + 60, n})
		off += 60 + n + n%2
	}
	for _, m := range members {
		body := io.NewSectionReader(r, m.off, m.n)
		if m.name == "__.PKGDEF" {
			return inspectGoArchive(body)
		}
		if m.name != "/" && m.name != "//" && !strings.HasPrefix(m.name, "__.SYMDEF") {
			if b, err := InspectReader(body, m.n); err == nil && b.Type != "archive" && b.Machine != "" {
				b.Type, b.Static = "archive", false
				return b, nil
			}
		}
	}
	return nil, errors.New("archive holds no object file gox can read")
}

// inspectGoArchive reads the first line of a Go package archive's
// __.PKGDEF member, which cmd/compile writes as
//
//	go object GOOS GOARCH VERSION [VARIANTVAR=VALUE] [X:EXPERIMENTS]
//
// The archive holds Go object code for that port only: there is no
// machine header to read, and no build info (no CGO_ENABLED).
func inspectGoArchive(r io.Reader) (*Binary, error) {
	var buf [512]byte
	n, _ := io.ReadFull(r, buf[:])
	line, _, _ := strings.Cut(string(buf[:n]), "\n")
	f := strings.Fields(line)
	if len(f) < 5 || f[0] != "go" || f[1] != "object" {
		return nil, errors.New("malformed Go package archive: no \"go object\" header")
	}
	goos, goarch, version := f[2], f[3], f[4]
	b := &Binary{Format: "goarchive", Type: "go archive", GOOS: goos, GOARCH: goarch,
		Go: &GoBuild{Version: version, Settings: map[string]string{"GOOS": goos, "GOARCH": goarch}}}
	if a, _ := arch.Of(goarch); a.VariantVar != "" {
		vv := a.VariantVar
		for _, w := range f[5:] {
			if v, ok := strings.CutPrefix(w, vv+"="); ok {
				b.Go.Settings[vv] = v
			}
		}
	}
	return b, nil
}

func isPlan9(h []byte) bool {
	switch binary.BigEndian.Uint32(h) {
	case plan9obj.Magic386, plan9obj.MagicAMD64, plan9obj.MagicARM:
		return true
	}
	return false
}

// inspectPlan9 reads a Plan 9 a.out, what the go command writes for
// GOOS=plan9: its magic names the machine.
func inspectPlan9(r io.ReaderAt) (*Binary, error) {
	f, err := plan9obj.NewFile(r)
	if err != nil {
		return nil, err
	}
	b := &Binary{Format: "plan9", Type: "executable", GOOS: "plan9", Static: true, ByteOrder: "big", Go: goBuild(r)}
	switch uint32(f.Magic) {
	case plan9obj.Magic386:
		b.GOARCH, b.Machine, b.Bits = "386", "386", 32
	case plan9obj.MagicAMD64:
		b.GOARCH, b.Machine, b.Bits = "amd64", "amd64", 64
	case plan9obj.MagicARM:
		b.GOARCH, b.Machine, b.Bits = "arm", "arm", 32
	}
	return b, nil
}

// inspectXCOFF reads the file header of an XCOFF file, what the go command
// writes for GOOS=aix: magic 0x01F7 is 64-bit PowerPC (the only aix port),
// 0x01DF 32-bit; the flags tell an executable from a shared object.
func inspectXCOFF(r io.ReaderAt, size int64) (*Binary, error) {
	var h [24]byte
	if size < int64(len(h)) {
		return nil, errors.New("file header cut short")
	}
	if _, err := r.ReadAt(h[:], 0); err != nil {
		return nil, err
	}
	b := &Binary{Format: "xcoff", GOOS: "aix", ByteOrder: "big", Go: goBuild(r)}
	if h[1] == 0xF7 {
		b.GOARCH, b.Machine, b.Bits = "ppc64", "ppc64", 64
	} else {
		b.Machine, b.Bits = "ppc", 32
	}
	// f_flags is at offset 18 in both headers (the 64-bit one moves
	// f_nsyms after it to make room for an 8-byte f_symptr).
	flags := binary.BigEndian.Uint16(h[18:20])
	const fExec, fShrObj = 0x0002, 0x2000
	switch {
	case flags&fShrObj != 0:
		b.Type = "shared library"
	case flags&fExec != 0:
		b.Type = "executable"
	default:
		b.Type = "object"
	}
	return b, nil
}

package toolchain

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/gox-build/gox/toolchain/arch"
)

// Target is what a build is for: the port (GOOS/GOARCH), the value of the
// architecture's variant variable (GOARM, GOAMD64, …; "" for the go
// command's default) and, on linux, the C library. It is the key for the
// C toolchain, the runner and the build cache.
type Target struct {
	GOOS, GOARCH string
	// Variant is the value of VariantVar(GOARCH), exactly as the go command
	// takes it: "7", "6,softfloat", "v3", "v8.2,lse", "softfloat", "power9".
	Variant string
	// Libc is "musl" for musl-based linux targets and "" otherwise (glibc
	// on linux, the system's C library elsewhere).
	Libc string
	// Glibc is a glibc floor ("2.28"): the oldest glibc the binary must
	// run on, so it may need no GLIBC_ symbol newer than that. Only zig
	// builds against an older glibc than the machine's, so a floor makes
	// zig the C compiler; verification enforces it. "" for no floor.
	Glibc string
}

// Port is the GOOS/GOARCH pair, as "go tool dist list" prints it.
func (t Target) Port() string { return t.GOOS + "/" + t.GOARCH }

// String is the target in the -target syntax gox accepts back:
// os/arch[/variant][/musl]. An arm variant is written v6, v7, with the
// float suffix kept: linux/arm/v6,softfloat.
func (t Target) String() string {
	s := t.Port()
	if t.Variant != "" {
		v := t.Variant
		if t.GOARCH == "arm" {
			v = "v" + v
		}
		s += "/" + v
	}
	if t.Libc != "" {
		s += "/" + t.Libc
	}
	if t.Glibc != "" {
		s += "/gnu" + t.Glibc
	}
	return s
}

// IsGlibcVersion reports a glibc version as a floor takes it: major.minor,
// both numbers (2.17, 2.28).
func IsGlibcVersion(v string) bool {
	major, minor, ok := strings.Cut(v, ".")
	return ok && major != "" && minor != "" && strings.Trim(major, "0123456789") == "" && strings.Trim(minor, "0123456789") == "" && len(v) <= 8
}

// triple is one GNU target triple and what it means for Go.
type triple struct {
	name         string
	goos, goarch string
	variant      string // the variant it implies, if any
	libc         string
	// debian is Debian's architecture for the C library of the triple
	// (libc6-dev-<debian>-cross), "" when Debian has no cross package.
	debian string
}

// triples maps GNU (and mingw) triples to targets. For each port the first
// entry is the triple gox prefers for its C compiler: Debian and Ubuntu's
// cross compilers are named after these.
var triples = []triple{
	{name: "x86_64-linux-gnu", goos: "linux", goarch: "amd64", debian: "amd64"},
	{name: "x86_64-linux-musl", goos: "linux", goarch: "amd64", libc: "musl"},
	{name: "i686-linux-gnu", goos: "linux", goarch: "386", debian: "i386"},
	{name: "i386-linux-gnu", goos: "linux", goarch: "386"},
	{name: "i686-linux-musl", goos: "linux", goarch: "386", libc: "musl"},
	{name: "aarch64-linux-gnu", goos: "linux", goarch: "arm64", debian: "arm64"},
	{name: "aarch64-linux-musl", goos: "linux", goarch: "arm64", libc: "musl"},
	{name: "arm-linux-gnueabihf", goos: "linux", goarch: "arm", variant: "7", debian: "armhf"},
	{name: "armv7-linux-gnueabihf", goos: "linux", goarch: "arm", variant: "7"},
	{name: "armv6-linux-gnueabihf", goos: "linux", goarch: "arm", variant: "6"},
	{name: "arm-linux-gnueabi", goos: "linux", goarch: "arm", variant: "5", debian: "armel"},
	{name: "armv5-linux-gnueabi", goos: "linux", goarch: "arm", variant: "5"},
	{name: "arm-linux-musleabihf", goos: "linux", goarch: "arm", variant: "7", libc: "musl"},
	{name: "riscv64-linux-gnu", goos: "linux", goarch: "riscv64", debian: "riscv64"},
	{name: "riscv64-linux-musl", goos: "linux", goarch: "riscv64", libc: "musl"},
	{name: "powerpc64le-linux-gnu", goos: "linux", goarch: "ppc64le", debian: "ppc64el"},
	{name: "powerpc64-linux-gnu", goos: "linux", goarch: "ppc64", debian: "ppc64"},
	{name: "s390x-linux-gnu", goos: "linux", goarch: "s390x", debian: "s390x"},
	{name: "mips-linux-gnu", goos: "linux", goarch: "mips", debian: "mips"},
	{name: "mipsel-linux-gnu", goos: "linux", goarch: "mipsle", debian: "mipsel"},
	{name: "mips64-linux-gnuabi64", goos: "linux", goarch: "mips64", debian: "mips64"},
	{name: "mips64el-linux-gnuabi64", goos: "linux", goarch: "mips64le", debian: "mips64el"},
	{name: "loongarch64-linux-gnu", goos: "linux", goarch: "loong64"},
	{name: "x86_64-w64-mingw32", goos: "windows", goarch: "amd64"},
	{name: "i686-w64-mingw32", goos: "windows", goarch: "386"},
	{name: "aarch64-w64-mingw32", goos: "windows", goarch: "arm64"},
	{name: "x86_64-apple-darwin", goos: "darwin", goarch: "amd64"},
	{name: "aarch64-apple-darwin", goos: "darwin", goarch: "arm64"},
	{name: "arm64-apple-darwin", goos: "darwin", goarch: "arm64"},
	{name: "x86_64-unknown-freebsd", goos: "freebsd", goarch: "amd64"},
	{name: "aarch64-unknown-freebsd", goos: "freebsd", goarch: "arm64"},
	{name: "aarch64-linux-android", goos: "android", goarch: "arm64"},
	{name: "x86_64-linux-android", goos: "android", goarch: "amd64"},
	{name: "armv7a-linux-androideabi", goos: "android", goarch: "arm", variant: "7"},
	{name: "i686-linux-android", goos: "android", goarch: "386"},
	{name: "wasm32-wasi", goos: "wasip1", goarch: "wasm"},
	{name: "wasm32-wasip1", goos: "wasip1", goarch: "wasm"},
}

// Triples returns the GNU triples whose C compilers build for t, best
// first. Debian's armhf compiler serves arm v6 and v7 (gox passes -march
// for v6); arm v5 and soft-float arm use the armel (gnueabi) compiler,
// because a hard-float ABI needs an FPU that such boards lack.
func (t Target) Triples() []string {
	if t.GOOS == "linux" && t.GOARCH == "arm" {
		base, suffix, _ := strings.Cut(t.Variant, ",")
		soft := suffix == "softfloat" || base == "5"
		switch {
		case t.Libc == "musl" && soft:
			return []string{"arm-linux-musleabi"}
		case t.Libc == "musl":
			return []string{"arm-linux-musleabihf"}
		case soft:
			return []string{"arm-linux-gnueabi"}
		default:
			return []string{"arm-linux-gnueabihf"}
		}
	}
	var out []string
	for _, tr := range triples {
		if tr.goos == t.GOOS && tr.goarch == t.GOARCH && tr.libc == t.Libc {
			out = append(out, tr.name)
		}
	}
	return out
}

// Triple is the first of Triples, the one gox names packages and
// directories by; "" when the target has none.
func (t Target) Triple() string {
	if tr := t.Triples(); len(tr) > 0 {
		return tr[0]
	}
	return ""
}

// alias reads the short names people use for targets. A bare
// architecture means that architecture on the host's OS; ParseTarget fills
// the OS in. (A switch, not a map: maps are built at start-up, on the path
// of every go command.)
func alias(name string) (Target, bool) {
	// names of operating systems and platforms
	switch name {
	case "win64", "windows":
		return Target{GOOS: "windows", GOARCH: "amd64"}, true
	case "win32":
		return Target{GOOS: "windows", GOARCH: "386"}, true
	case "wasm":
		return Target{GOOS: "js", GOARCH: "wasm"}, true
	case "wasi", "wasip1":
		return Target{GOOS: "wasip1", GOARCH: "wasm"}, true
	case "macos", "darwin":
		return Target{GOOS: "darwin", GOARCH: "arm64"}, true
	}
	// an architecture alone, by its name or an alias in its row
	if a, ok := arch.Named(name); ok {
		return Target{GOARCH: a.GOARCH}, true
	}
	// an architecture and a variant, written as the row's target syntax
	// writes them (armv6: GOARM=6)
	if a, v, ok := arch.NamedVariant(name); ok {
		return Target{GOARCH: a.GOARCH, Variant: v}, true
	}
	// a Debian architecture (armhf, armel): Linux, with the variant its
	// triple implies
	for _, tr := range triples {
		if tr.debian == name {
			return Target{GOOS: tr.goos, GOARCH: tr.goarch, Variant: tr.variant}, true
		}
	}
	return Target{}, false
}

// ErrUnknownTarget is wrapped by ParseTarget's errors for names that are
// not targets at all (as opposed to targets with a bad variant).
var ErrUnknownTarget = errors.New("unknown target")

// ParseTarget reads a target in any form gox accepts: os/arch[/variant]
// [/musl] (linux/arm64, linux/arm/v6, linux/amd64/v3, linux/arm64/v8.2,
// linux/amd64/musl), a GNU triple (aarch64-linux-gnu, x86_64-w64-mingw32),
// or an alias (arm64, armhf, win64; a bare architecture means hostOS).
//
// It checks the form and the variant, not whether the port exists: Ports
// knows that, from the real toolchain.
func ParseTarget(s, hostOS string) (Target, error) {
	in := clip(s)
	s = strings.TrimSpace(s)
	if s == "" {
		return Target{}, fmt.Errorf("empty target")
	}
	if strings.ContainsAny(s, " \t\n\x00") {
		return Target{}, fmt.Errorf("target %q: %w", in, ErrUnknownTarget)
	}
	if strings.Contains(s, "/") {
		parts := strings.Split(s, "/")
		if len(parts) < 2 || len(parts) > 4 || parts[0] == "" || parts[1] == "" {
			return Target{}, fmt.Errorf("target %q: want os/arch[/variant][/musl|/gnuX.Y]: %w", in, ErrUnknownTarget)
		}
		t := Target{GOOS: parts[0], GOARCH: parts[1]}
		if !isIdent(t.GOOS) || !isIdent(t.GOARCH) {
			return Target{}, fmt.Errorf("target %q: %w", in, ErrUnknownTarget)
		}
		libcSeen := false
		for _, p := range parts[2:] {
			switch {
			case p == "musl" || p == "gnu" || strings.HasPrefix(p, "gnu") && IsGlibcVersion(p[3:]):
				if t.GOOS != "linux" {
					return Target{}, fmt.Errorf("target %q: a C library can only be chosen for linux", in)
				}
				if libcSeen {
					return Target{}, fmt.Errorf("target %q: C library given twice", in)
				}
				libcSeen = true
				if p == "musl" {
					t.Libc = "musl"
				}
				if v, ok := strings.CutPrefix(p, "gnu"); ok && v != "" {
					t.Glibc = v
				}
			case t.Variant == "":
				v, err := parseVariant(t.GOARCH, p)
				if err != nil {
					return Target{}, fmt.Errorf("target %q: %w", in, err)
				}
				t.Variant = v
			default:
				return Target{}, fmt.Errorf("target %q: variant given twice", in)
			}
		}
		return t, nil
	}
	lower := strings.ToLower(s)
	for _, tr := range triples {
		if lower == tr.name {
			return Target{GOOS: tr.goos, GOARCH: tr.goarch, Variant: tr.variant, Libc: tr.libc}, nil
		}
		// zig's spelling of a glibc floor: aarch64-linux-gnu.2.28
		if v, ok := strings.CutPrefix(lower, tr.name+"."); ok && strings.HasSuffix(tr.name, "-gnu") && tr.goos == "linux" && IsGlibcVersion(v) {
			return Target{GOOS: tr.goos, GOARCH: tr.goarch, Variant: tr.variant, Glibc: v}, nil
		}
	}
	if t, ok := parseLooseTriple(lower); ok {
		return t, nil
	}
	if t, ok := alias(lower); ok {
		if t.GOOS == "" {
			t.GOOS = hostOS
		}
		return t, nil
	}
	return Target{}, fmt.Errorf("target %q: %w", in, ErrUnknownTarget)
}

// parseLooseTriple reads triples with a vendor field or version suffix
// that the table does not list: aarch64-unknown-linux-gnu,
// x86_64-pc-linux-musl, armv7-unknown-linux-gnueabihf (Rust and LLVM
// spellings), by dropping the vendor.
func parseLooseTriple(s string) (Target, bool) {
	f := strings.Split(s, "-")
	if len(f) != 4 {
		return Target{}, false
	}
	short := f[0] + "-" + f[2] + "-" + f[3]
	for _, tr := range triples {
		if short == tr.name {
			return Target{GOOS: tr.goos, GOARCH: tr.goarch, Variant: tr.variant, Libc: tr.libc}, true
		}
	}
	if f[0] == "armv7" || f[0] == "armv6" || f[0] == "armv5te" {
		v := map[string]string{"armv7": "7", "armv6": "6", "armv5te": "5"}[f[0]]
		t := Target{GOOS: "linux", GOARCH: "arm", Variant: v}
		switch f[3] {
		case "gnueabihf":
		case "gnueabi":
			if v != "5" {
				t.Variant += ",softfloat"
			}
		case "musleabihf":
			t.Libc = "musl"
		default:
			return Target{}, false
		}
		return t, f[2] == "linux"
	}
	return Target{}, false
}

// parseVariant turns the variant element of os/arch/variant into the value
// of the variant variable: v6 → 6 for arm, v3 → v3 for amd64.
func parseVariant(goarch, p string) (string, error) {
	v := p
	a, _ := arch.Of(goarch)
	v = strings.TrimPrefix(v, a.VariantPrefix)
	if !a.ValidVariant(v) && a.ValidVariant(v+".0") {
		v += ".0" // v8 is GOARM64=v8.0
	}
	if a.VariantVar == "" {
		return "", fmt.Errorf("%s has no variants (got %q)", goarch, p)
	}
	if !a.ValidVariant(v) {
		return "", fmt.Errorf("%q is no variant of %s; %s takes %s", p, goarch, a.VariantVar, a.VariantHelp())
	}
	return v, nil
}

func isIdent(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return s != ""
}

// SplitTargets splits a comma-separated list of targets. Commas inside a
// variant (linux/arm/v6,softfloat, linux/arm64/v8.2,lse) stay with it.
func SplitTargets(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		switch strings.TrimSpace(part) {
		case "softfloat", "hardfloat", "lse", "crypto":
			if len(out) > 0 {
				out[len(out)-1] += "," + part
				continue
			}
		}
		out = append(out, part)
	}
	// The same name twice is one target (linux/arm64,linux/arm64 is not a
	// matrix).
	var uniq []string
	seen := map[string]bool{}
	for _, t := range out {
		if k := strings.TrimSpace(t); !seen[k] {
			seen[k] = true
			uniq = append(uniq, t)
		}
	}
	return uniq
}

// Suggest returns up to three ports from valid closest to the port of a
// target the user asked for, for "did you mean" hints.
func Suggest(asked string, valid []string) []string {
	type scored struct {
		port string
		d    int
	}
	var s []scored
	for _, v := range valid {
		d := EditDistance(strings.ToLower(asked), v)
		// Also match on the architecture alone: "linux/aarch64" is closest
		// to linux/arm64 in meaning, not in spelling.
		if i := strings.IndexByte(asked, '/'); i > 0 {
			if t, err := ParseTarget(asked[i+1:], asked[:i]); err == nil && t.Port() == v {
				d = 0
			}
		}
		s = append(s, scored{v, d})
	}
	sort.SliceStable(s, func(i, j int) bool { return s[i].d < s[j].d })
	var out []string
	for _, x := range s {
		if len(out) == 3 || x.d > len(asked)/2+2 {
			break
		}
		out = append(out, x.port)
	}
	return out
}

// EditDistance is the Levenshtein distance of a and b, for "did you mean"
// suggestions.
func EditDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// clip shortens what gox echoes of a user's input in a message: a
// 10 KB -target value is a mistake, not something to print back whole.
func clip(s string) string {
	const max = 64
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf("… (%d bytes)", len(s))
}

// ZigTriple is zig's name for t (aarch64-linux-gnu.2.28,
// aarch64-windows-gnu), or "" when zig cannot target it.
func ZigTriple(t Target) string {
	arch := zigArch(t.GOARCH)
	if arch == "" {
		return ""
	}
	switch t.GOOS {
	case "linux":
		abi := "gnu"
		if t.Libc == "musl" {
			abi = "musl"
		}
		if t.GOARCH == "arm" {
			if t.Triples()[0] == "arm-linux-gnueabi" || t.Triples()[0] == "arm-linux-musleabi" {
				abi += "eabi"
			} else {
				abi += "eabihf"
			}
		}
		if t.Glibc != "" {
			abi += "." + t.Glibc
		}
		return arch + "-linux-" + abi
	case "windows":
		return arch + "-windows-gnu"
	case "darwin":
		return arch + "-macos"
	}
	return ""
}

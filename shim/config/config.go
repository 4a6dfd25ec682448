// Package config reads gox.toml, a project's cross-compilation settings,
// and keeps the user's trust in it.
//
// A gox.toml lives next to the main module's go.mod (or the go.work above
// it) and is found from the working directory, or -C's, as the go command
// finds go.mod:
//
//	targets = ["linux/amd64", "linux/arm64", "linux/arm/v7", "windows/amd64"]
//	output  = "dist/{{.Name}}_{{.OS}}_{{.Arch}}{{.Variant}}{{.Ext}}"
//
//	[target."linux/arm64"]
//	cc                = "./tools/aarch64-cc.sh"
//	cxx               = "./tools/aarch64-cxx.sh"
//	sysroot           = "/opt/sysroots/arm64"
//	pkg_config_libdir = "/opt/sysroots/arm64/usr/lib/pkgconfig"
//	cgo               = true
//	env               = { GOARM64 = "v8.2" }
//	runner            = ["qemu-aarch64", "-cpu", "cortex-a72"]
//	packages          = ["libsqlite3-dev:arm64"]
//
// Unknown keys and values of the wrong type are errors that name the file,
// line and column (and the key meant, where one is close). A file in a
// cloned repository that names programs to run is code from a stranger, so
// the keys that do (cc, cxx, runner, packages, and env values other than
// the passive ones, see Passive) take effect only once the user trusts the
// file's exact content (Trust); targets, output, sysroot, pkg_config_libdir,
// cgo and passive env values apply at once.
//
// The file is parsed with github.com/pelletier/go-toml/v2: its strict mode
// reports unknown keys and type errors with their positions, which the
// errors above need, and it keeps no state between uses.
package config

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/gox-build/gox/toolchain"
	"github.com/pelletier/go-toml/v2"
)

// FileName is the configuration file's name.
const FileName = "gox.toml"

// MaxSize bounds the file gox reads: a configuration is a few hundred
// bytes; a larger file is a mistake, not a configuration.
const MaxSize = 1 << 20

// File is a parsed gox.toml.
type File struct {
	// Path is the file's absolute path, Sum the SHA-256 of its content.
	Path string `toml:"-"`
	Sum  string `toml:"-"`
	// Targets is the configured target list (gox build -target config).
	Targets []string `toml:"targets"`
	// Output is the matrix's -o template for those builds.
	Output string `toml:"output"`
	// Target holds the settings per target, by the target as written.
	Target map[string]Target `toml:"target"`
	// lines is the file's text, for positions of semantic errors.
	lines []string
}

// Target is one [target."os/arch"] table.
type Target struct {
	CC              string            `toml:"cc"`
	CXX             string            `toml:"cxx"`
	Sysroot         string            `toml:"sysroot"`
	PkgConfigLibdir string            `toml:"pkg_config_libdir"`
	Cgo             *bool             `toml:"cgo"`
	Env             map[string]string `toml:"env"`
	Runner          []string          `toml:"runner"`
	Packages        []string          `toml:"packages"`
}

// Find returns the gox.toml for a go command run in dir, with the go
// command's GOWORK setting gowork ("" to look for a go.work above dir,
// "off", or a go.work file): the one next to the nearest go.mod, else the
// one next to the workspace's go.work when the go command uses that
// workspace and it holds the module; "" when there is none. A go.work the
// go command does not use (GOWORK=off, another file, a workspace that
// does not list the module) contributes nothing.
func Find(dir, gowork string) string {
	dir = filepath.Clean(dir)
	mod := findUp(dir, "go.mod")
	if mod != "" {
		if p := filepath.Join(mod, FileName); exists(p) {
			return p
		}
	}
	var work string
	switch gowork {
	case "off":
		return ""
	case "", "auto":
		if d := findUp(dir, "go.work"); d != "" {
			work = filepath.Join(d, "go.work")
		}
	default:
		work = gowork
		if !filepath.IsAbs(work) {
			work = filepath.Join(dir, work)
		}
	}
	if work == "" || !exists(work) {
		return ""
	}
	if mod != "" && !workUses(work, mod) {
		return ""
	}
	if p := filepath.Join(filepath.Dir(work), FileName); exists(p) {
		return p
	}
	return ""
}

// findUp is the nearest directory at or above dir holding the file name.
func findUp(dir, name string) string {
	for d := dir; ; {
		if exists(filepath.Join(d, name)) {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		d = parent
	}
}

// workUses reports whether the go.work file lists the module directory
// mod in a use directive (use ./a, or a use ( … ) block).
func workUses(work, mod string) bool {
	data, err := os.ReadFile(work)
	if err != nil {
		return false
	}
	base := filepath.Dir(work)
	inBlock := false
	for _, line := range strings.Split(string(data), "\n") {
		if i := strings.Index(line, "//"); i >= 0 {
			line = line[:i]
		}
		f := strings.Fields(line)
		var paths []string
		switch {
		case len(f) == 0:
			continue
		case inBlock && f[0] == ")":
			inBlock = false
			continue
		case inBlock:
			paths = f[:1]
		case f[0] == "use" && len(f) >= 2 && f[1] == "(":
			inBlock = true
			continue
		case f[0] == "use" && len(f) >= 2:
			paths = f[1:2]
		}
		for _, p := range paths {
			if u, err := strconv.Unquote(p); err == nil {
				p = u
			}
			if !filepath.IsAbs(p) {
				p = filepath.Join(base, p)
			}
			if filepath.Clean(p) == mod {
				return true
			}
		}
	}
	return false
}

func exists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

// Load reads and checks the gox.toml at path.
func Load(path string) (*File, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(abs)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", abs, err)
	}
	if len(data) > MaxSize {
		return nil, fmt.Errorf("%s: larger than %d bytes: not a configuration", abs, MaxSize)
	}
	return Parse(abs, data)
}

// Parse checks data as the gox.toml at path.
func Parse(path string, data []byte) (*File, error) {
	cfg := &File{Path: path}
	sum := sha256.Sum256(data)
	cfg.Sum = hex.EncodeToString(sum[:])
	cfg.lines = strings.Split(string(data), "\n")
	dec := toml.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(cfg); err != nil {
		return nil, positioned(path, err)
	}
	if err := cfg.check(); err != nil {
		return nil, err
	}
	return cfg, nil
}

// Error is a mistake in a gox.toml, at a line (0 when unknown).
type Error struct {
	Path      string
	Line, Col int
	Msg       string
}

func (e *Error) Error() string {
	switch {
	case e.Line == 0:
		return e.Path + ": " + e.Msg
	case e.Col == 0:
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.Path, e.Line, e.Col, e.Msg)
}

// positioned turns go-toml's errors into Errors.
func positioned(path string, err error) error {
	var strict *toml.StrictMissingError
	if errors.As(err, &strict) && len(strict.Errors) > 0 {
		var msgs []string
		first := &Error{Path: path}
		for i, e := range strict.Errors {
			r, c := e.Position()
			key := e.Key()
			msg := "unknown key " + strings.Join(key, ".")
			if s := suggest(key); s != "" {
				msg += " (did you mean " + s + "?)"
			}
			if i == 0 {
				first.Line, first.Col, first.Msg = r, c, msg
			} else {
				msgs = append(msgs, fmt.Sprintf("%d:%d: %s", r, c, msg))
			}
		}
		if len(msgs) > 0 {
			first.Msg += "; also " + strings.Join(msgs, "; ")
		}
		return first
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		r, c := de.Position()
		msg := friendlyType(de.Error())
		if k := de.Key(); len(k) > 0 {
			msg = strings.Join(k, ".") + ": " + msg
		}
		return &Error{Path: path, Line: r, Col: c, Msg: msg}
	}
	return &Error{Path: path, Msg: err.Error()}
}

// friendlyType rewords go-toml's type errors ("cannot decode TOML string
// into struct field config.File.Targets of type []string") for people.
func friendlyType(msg string) string {
	msg = strings.TrimPrefix(msg, "toml: ")
	if i := strings.Index(msg, " into struct field "); i >= 0 {
		if j := strings.LastIndex(msg, " of type "); j > i {
			msg = msg[:i] + " into " + typeWords(msg[j+len(" of type "):])
		}
	}
	return msg
}

func typeWords(goType string) string {
	switch goType {
	case "string":
		return "a string"
	case "[]string":
		return "a list of strings"
	case "bool", "*bool":
		return "true or false"
	case "map[string]string":
		return "a table of strings"
	}
	return goType
}

// Known keys, for unknown ones' suggestions.
func knownKeys(depth int) []string {
	if depth <= 1 {
		return []string{"targets", "output", "target"}
	}
	return []string{"cc", "cxx", "sysroot", "pkg_config_libdir", "cgo", "env", "runner", "packages"}
}

// suggest is the known key closest to the last element of key, or "".
func suggest(key []string) string {
	if len(key) == 0 {
		return ""
	}
	depth := len(key)
	if depth >= 3 && key[0] == "target" {
		depth = 2
	}
	bad := key[len(key)-1]
	best, bestD := "", 3
	for _, k := range knownKeys(depth) {
		if d := toolchain.EditDistance(bad, k); d < bestD || d == bestD && best == "" && d <= len(k)/2 {
			best, bestD = k, d
		}
	}
	return best
}

// TargetParser reads a target name; the caller's (toolchain.ParseTarget
// via the shim), so that this package does not decide target syntax.
type TargetParser func(name string) (canonical string, err error)

// check finds what the decoder cannot: empty values, and (Validate) names
// that are no targets.
func (c *File) check() error {
	for name, t := range c.Target {
		if t.CC == "" && t.CXX != "" {
			return c.errorAtKey(name, "cxx", `target."`+name+`": cxx without cc (the C++ compiler goes with a C compiler of the project's)`)
		}
		if len(t.Runner) > 0 && t.Runner[0] == "" {
			return c.errorAt("runner", `target."`+name+`": runner: the first word is the program; it is empty`)
		}
		for k := range t.Env {
			if k == "" || strings.ContainsAny(k, "= \t\r\n\x00") {
				return c.errorAt(k, fmt.Sprintf("target.%q.env: %q is no variable name", name, k))
			}
		}
		for _, p := range t.Packages {
			if !debianPackage(p) {
				return c.errorAt(p, fmt.Sprintf("target.%q.packages: %q is no Debian package name (name[:arch][=version])", name, p))
			}
		}
	}
	return nil
}

// debianPackage reports whether p is a package as apt-get takes one on
// its command line, name[:arch][=version], and nothing else: a word that
// starts with "-" is an option to apt-get (-oDPkg::Pre-Invoke=… runs a
// command as root).
func debianPackage(p string) bool {
	p, version, hasVersion := strings.Cut(p, "=")
	name, arch, hasArch := strings.Cut(p, ":")
	ok := func(s string, first func(byte) bool, rest string) bool {
		if s == "" || !first(s[0]) {
			return false
		}
		for i := 0; i < len(s); i++ {
			b := s[i]
			if !(b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || strings.IndexByte(rest, b) >= 0) {
				return false
			}
		}
		return true
	}
	lowerOrDigit := func(b byte) bool { return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' }
	if !ok(name, lowerOrDigit, "+-.") || len(name) < 2 {
		return false
	}
	if hasArch && !ok(arch, lowerOrDigit, "-") {
		return false
	}
	if hasVersion {
		upper := strings.ToLower(version)
		if !ok(upper, func(b byte) bool { return b >= '0' && b <= '9' }, ".+~:-") {
			return false
		}
	}
	return true
}

// Validate checks that every target named is one parse reads.
func (c *File) Validate(parse TargetParser) error {
	for _, name := range c.Targets {
		if _, err := parse(name); err != nil {
			return c.errorAt(`"`+name+`"`, "targets: "+err.Error())
		}
	}
	for name := range c.Target {
		if _, err := parse(name); err != nil {
			return c.errorAt(`"`+name+`"`, `target."`+name+`": `+err.Error())
		}
	}
	return nil
}

// errorAtKey is an Error at the line that sets key in the table of
// target name (as [target."name"] key = …, or dotted), else at the table.
func (c *File) errorAtKey(name, key, msg string) error {
	table := -1
	for i, l := range c.lines {
		t := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(t, "[") && strings.Contains(t, `"`+name+`"`):
			table = i
		case strings.HasPrefix(t, "["):
			if table >= 0 {
				table = -2 // past the table
			}
		case table >= 0 && keyLine(t, key):
			return &Error{Path: c.Path, Line: i + 1, Msg: msg}
		case strings.Contains(t, `"`+name+`"`) && strings.Contains(t, key):
			return &Error{Path: c.Path, Line: i + 1, Msg: msg}
		}
	}
	return c.errorAt(`target."`+name+`"`, msg)
}

// keyLine reports a TOML line setting key.
func keyLine(line, key string) bool {
	rest, ok := strings.CutPrefix(line, key)
	return ok && strings.HasPrefix(strings.TrimSpace(rest), "=")
}

// errorAt is an Error at the first line holding needle.
func (c *File) errorAt(needle, msg string) error {
	for i, l := range c.lines {
		if strings.Contains(l, needle) {
			return &Error{Path: c.Path, Line: i + 1, Msg: msg}
		}
	}
	return &Error{Path: c.Path, Msg: msg}
}

// For returns the settings for the target whose canonical name is target
// and whose os/arch is port: a table for exactly that target, else one
// named by its os/arch alone, else nil. Names are read with parse.
func (c *File) For(target, port string, parse TargetParser) (name string, t *Target) {
	var byPort string
	names := make([]string, 0, len(c.Target))
	for n := range c.Target {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		canon, err := parse(n)
		if err != nil {
			continue
		}
		if canon == target {
			t := c.Target[n]
			return n, &t
		}
		if canon == port && byPort == "" {
			byPort = n
		}
	}
	if byPort != "" {
		t := c.Target[byPort]
		return byPort, &t
	}
	return "", nil
}

// Passive reports environment variables a gox.toml may set without the
// user's trust: the variant variables, CGO_ENABLED and pkg-config's
// search paths. Any other (CC, CGO_CFLAGS with its -fplugin, GOFLAGS with
// its -toolexec, PKG_CONFIG, GOX_*) can make a build run a program.
func Passive(name string) bool {
	switch name {
	case "GOARM", "GOAMD64", "GOARM64", "GO386", "GOMIPS", "GOMIPS64", "GOPPC64", "GORISCV64", "GOWASM",
		"CGO_ENABLED", "PKG_CONFIG_LIBDIR", "PKG_CONFIG_PATH", "PKG_CONFIG_SYSROOT_DIR":
		return true
	}
	return false
}

// Gated lists the settings of t that need the user's trust, each as
// `key = value`, in a stable order.
func (t *Target) Gated() []string {
	var out []string
	if t.CC != "" {
		out = append(out, "cc = "+t.CC)
	}
	if t.CXX != "" {
		out = append(out, "cxx = "+t.CXX)
	}
	if len(t.Runner) > 0 {
		out = append(out, "runner = "+strings.Join(t.Runner, " "))
	}
	if len(t.Packages) > 0 {
		out = append(out, "packages = "+strings.Join(t.Packages, " "))
	}
	var env []string
	for k, v := range t.Env {
		if !Passive(k) {
			env = append(env, "env."+k+" = "+v)
		}
	}
	slices.Sort(env)
	return append(out, env...)
}

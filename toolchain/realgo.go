package toolchain

import (
	"debug/buildinfo"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
)

// MainPackage is the import path of gox's main package. A Go binary whose
// build info names it is a copy of gox, whatever file it is.
const MainPackage = "github.com/gox-build/gox/cmd/gox"

// InternalPrefix starts the name of every variable gox passes to itself.
// None of them may reach a program the user runs, so every environment gox
// hands to something that is not gox drops them.
const InternalPrefix = "GOX_INTERNAL_"

// DepthVar counts how often gox has started something that might lead back
// to gox. It is raised only when gox execs a go it could not prove is the
// real go (a version manager's wrapper named go, say), because only then can
// the chain come back to gox.
//
// It is the go command's own switch counter on purpose: the go command
// clears that variable before it starts any user program (go run, test
// binaries, go generate; cmd/go/internal/toolchain.FilterEnv), so the count
// can pass through a wrapper and the real go without ever reaching the
// user's programs, which a GOX_ variable could not. gox's limit is far below
// the go command's own (100), so the two never get in each other's way.
const DepthVar = "GOTOOLCHAIN_INTERNAL_SWITCH_COUNT"

// MaxDepth is where the loop guard stops. A sane chain has at most a couple
// of wrappers; ten hops cost about 30 ms, far below a second.
const MaxDepth = 10

// GoCommand is the go command gox delegates to.
type GoCommand struct {
	// Path is the file to exec, absolute, as found (it may be a symlink).
	Path string
	// Root is the GOROOT the binary lives in, when it sits in one.
	Root string
	// Verified says Path is known to be the real go and not another gox
	// or a wrapper that may lead back to gox.
	Verified bool
	// Via says where it was found: "GOX_GO", "PATH" or "fallback".
	Via string
}

// GoLookup is what FindGo needs to know of the world. Self is gox's own
// executable; Fallbacks are tried, in order, when PATH has no real go.
type GoLookup struct {
	Env       Env
	Self      string
	Fallbacks []string
}

// ErrNoGo is wrapped by FindGo's error when no real go exists.
var ErrNoGo = errors.New("cannot find the real go command")

// GoxGoError says GOX_GO names no usable go command. The library says
// what is wrong (Reason); gox words the fix.
type GoxGoError struct {
	Path   string
	Reason GoxGoReason
	Err    error
	// Example is a go binary GOX_GO might name instead, where one can be
	// guessed (for GoxGoRelative and GoxGoDir).
	Example string
}

// GoxGoReason is what is wrong with GOX_GO.
type GoxGoReason int

const (
	GoxGoRelative GoxGoReason = iota // not an absolute path
	GoxGoMissing                     // cannot be stat'ed
	GoxGoDir                         // a directory
	GoxGoNotExec                     // not an executable file
	GoxGoSelf                        // gox itself
	GoxGoCopy                        // a copy of gox
)

func (e *GoxGoError) Error() string { return "GOX_GO=" + e.Path + ": " + e.Err.Error() }
func (e *GoxGoError) Unwrap() error { return e.Err }

// NoGoError says no real go command was found (it wraps ErrNoGo).
type NoGoError struct {
	Why string
	// Unproven is a go on PATH that may be a wrapper of the real go (a
	// version manager's shim), which gox uses only when GOX_GO names it.
	Unproven string
}

func (e *NoGoError) Error() string { return ErrNoGo.Error() + ": " + e.Why }
func (e *NoGoError) Unwrap() error { return ErrNoGo }

// DefaultFallbacks lists where a go command lives when it is not on PATH:
// the GOROOT the user names, the one gox was built with, and the standard
// install locations of the Go tarball and of distribution packages.
func DefaultFallbacks(env Env) []string {
	var out []string
	add := func(root string) {
		if root == "" {
			return
		}
		p := filepath.Join(root, "bin", ExeName("go"))
		for _, q := range out {
			if q == p {
				return
			}
		}
		out = append(out, p)
	}
	add(env.Get("GOROOT"))
	add(runtime.GOROOT()) //nolint:staticcheck // the build-time GOROOT is a reasonable last guess
	if runtime.GOOS == "windows" {
		add(`C:\Program Files\Go`)
	} else {
		add("/usr/local/go")
		add("/usr/lib/go")
	}
	return out
}

// FindGo finds the real go command: GOX_GO when set, else the first go on
// PATH that is not gox, else the first fallback that exists. It stats files
// but runs nothing: it is on the hot path of every go command.
func FindGo(l GoLookup) (GoCommand, error) {
	selfInfo, selfErr := os.Stat(l.Self)
	isSelf := func(fi fs.FileInfo) bool { return selfErr == nil && os.SameFile(fi, selfInfo) }

	if p, ok := l.Env.Lookup("GOX_GO"); ok && p != "" {
		if !filepath.IsAbs(p) {
			return GoCommand{}, &GoxGoError{Path: p, Reason: GoxGoRelative, Err: errors.New("not an absolute path"),
				Example: filepath.Join(goRootGuess(l), "bin", ExeName("go"))}
		}
		fi, err := os.Stat(p)
		if err != nil {
			return GoCommand{}, &GoxGoError{Path: p, Reason: GoxGoMissing, Err: unwrapPathErr(err)}
		}
		if fi.IsDir() {
			return GoCommand{}, &GoxGoError{Path: p, Reason: GoxGoDir, Err: errors.New("is a directory, not the go command"),
				Example: filepath.Join(p, "bin", ExeName("go"))}
		}
		if !fi.Mode().IsRegular() || !IsExecutable(fi) {
			return GoCommand{}, &GoxGoError{Path: p, Reason: GoxGoNotExec, Err: errors.New("is not an executable file")}
		}
		if isSelf(fi) {
			return GoCommand{}, &GoxGoError{Path: p, Reason: GoxGoSelf, Err: errors.New("names gox itself, not the real go")}
		}
		c := classify(p)
		if c.gox {
			return GoCommand{}, &GoxGoError{Path: p, Reason: GoxGoCopy, Err: errors.New("is a copy of gox, not the real go")}
		}
		return GoCommand{Path: p, Root: c.root, Verified: c.verified, Via: "GOX_GO"}, nil
	}

	// Only a go that is proven to be a Go toolchain's go command is used
	// from PATH or the fallbacks: a wrapper script (a version manager's
	// shim, or one that runs gox again with a wiped environment, which no
	// counter in the environment survives) is used only when GOX_GO names
	// it.
	var skipped, unproven []string
	for _, dir := range filepath.SplitList(l.Env.Get("PATH")) {
		if dir == "" || !filepath.IsAbs(dir) {
			// Like exec.LookPath since Go 1.19: a relative PATH entry
			// would make the answer depend on the current directory.
			continue
		}
		p := filepath.Join(dir, ExeName("go"))
		fi, err := os.Stat(p)
		if err != nil || !fi.Mode().IsRegular() || !IsExecutable(fi) || isSelf(fi) {
			continue
		}
		c := classify(p)
		if c.gox {
			skipped = append(skipped, p)
			continue
		}
		if !c.verified {
			unproven = append(unproven, p)
			continue
		}
		return GoCommand{Path: p, Root: c.root, Verified: true, Via: "PATH"}, nil
	}
	for _, p := range l.Fallbacks {
		fi, err := os.Stat(p)
		if err != nil || !fi.Mode().IsRegular() || isSelf(fi) {
			continue
		}
		c := classify(p)
		if c.gox {
			continue
		}
		if !c.verified {
			unproven = append(unproven, p)
			continue
		}
		return GoCommand{Path: p, Root: c.root, Verified: true, Via: "fallback"}, nil
	}
	why := "no go on PATH other than gox"
	var notes []string
	if len(skipped) > 0 {
		notes = append(notes, "skipped gox copies: "+strings.Join(skipped, ", "))
	}
	if len(unproven) > 0 {
		notes = append(notes, "skipped, not a Go toolchain's go command: "+strings.Join(unproven, ", "))
	}
	if len(notes) > 0 {
		why += " (" + strings.Join(notes, "; ") + ")"
	}
	if len(l.Fallbacks) > 0 {
		why += ", and none in " + strings.Join(l.Fallbacks, ", ")
	}
	e := &NoGoError{Why: why}
	if len(unproven) > 0 {
		e.Unproven = unproven[0]
	}
	return GoCommand{}, e
}

type goClass struct {
	root     string // GOROOT, when the binary sits in one
	verified bool   // surely the real go
	gox      bool   // surely a gox
}

// classify tells the real go from gox without hashing anything. A go binary
// in a GOROOT (bin/go next to pkg/tool) is the real go: that costs a readlink
// and a stat. Anything else is asked for its Go build info, which reads a few
// kilobytes of the file: a gox copy names MainPackage, the go command names
// cmd/go; a script or another program is a wrapper gox cannot see through.
func classify(p string) goClass {
	if resolved, err := filepath.EvalSymlinks(p); err == nil {
		bin := filepath.Dir(resolved)
		root := filepath.Dir(bin)
		if filepath.Base(bin) == "bin" {
			if fi, err := os.Stat(filepath.Join(root, "pkg", "tool")); err == nil && fi.IsDir() {
				return goClass{root: root, verified: true}
			}
		}
	}
	info, err := buildinfo.ReadFile(p)
	if err != nil {
		return goClass{}
	}
	switch info.Path {
	case MainPackage:
		return goClass{gox: true}
	case "cmd/go":
		return goClass{verified: true}
	}
	return goClass{}
}

// Depth reads the loop counter from env; garbage counts as zero.
func Depth(env Env) int {
	n, err := strconv.Atoi(env.Get(DepthVar))
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// ExecEnv is the environment for running c: without gox's internal
// variables when c is surely the real go, so they never reach user programs;
// with the loop counter raised when c might lead back to gox.
func ExecEnv(env Env, c GoCommand) Env {
	if c.Verified {
		return env.WithoutPrefix(InternalPrefix)
	}
	return env.With(DepthVar, strconv.Itoa(Depth(env)+1))
}

func goRootGuess(l GoLookup) string {
	for _, p := range l.Fallbacks {
		if _, err := os.Stat(p); err == nil {
			return filepath.Dir(filepath.Dir(p))
		}
	}
	return "/usr/local/go"
}

func IsExecutable(fi fs.FileInfo) bool {
	return runtime.GOOS == "windows" || fi.Mode().Perm()&0o111 != 0
}

func ExeName(name string) string {
	if runtime.GOOS == "windows" {
		return name + ".exe"
	}
	return name
}

func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

package compilers

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/gox-build/gox/internal/facts"
	"github.com/gox-build/gox/toolchain"
)

// CSearch is where a C compiler command, with the flags a cgo build
// gives it, looks for headers and libraries, as the compiler itself says:
// what a cgo object really depends on beyond its own source.
type CSearch struct {
	// Sysroot is the compiler's -print-sysroot ("" when it names none).
	Sysroot string `json:"sysroot,omitempty"`
	// Include lists the header directories of "-E -v" in search order,
	// the ones it ignores as nonexistent included (they count once they
	// appear). Include and Lib are resolved (no symbolic links).
	Include []string `json:"include"`
	// Lib lists the library directories: -L of the flags, then
	// -print-search-dirs's.
	Lib []string `json:"lib"`
}

// CFlags are the flags the go command passes to the C compiler for cgo:
// CGO_CPPFLAGS and CGO_CFLAGS when compiling, CGO_LDFLAGS when linking.
type CFlags struct {
	CPP, C, LD []string
}

// IdentityDefine starts the preprocessor flag through which gox puts the
// identity of what the C compiler reads into the go command's own action
// IDs (see WithIdentity).
const IdentityDefine = "-D__GOX_C_IDENTITY="

// WithIdentity returns CGO_CPPFLAGS's value flags with id as the
// IdentityDefine word (one gox set before is replaced). The go command
// hashes CGO_CPPFLAGS into the action ID of every cgo package, and a
// binary whose main package's action ID is unchanged is "up to date"
// whatever the cache holds (golang/go#24355): a header that changed must
// change that ID, or go build -o app and go install keep the stale
// binary even with a fresh GOCACHE. The define names nothing a program
// uses.
func WithIdentity(flags, id string) string {
	words := strings.Fields(flags)
	out := words[:0]
	for _, w := range words {
		if !strings.HasPrefix(w, IdentityDefine) {
			out = append(out, w)
		}
	}
	if id != "" {
		out = append(out, IdentityDefine+id)
	}
	return strings.Join(out, " ")
}

// CFlagsOf reads the cgo flag variables from settings (environment, GOENV
// file, gox.toml) as the go command splits them, without gox's
// IdentityDefine.
func CFlagsOf(s toolchain.GoSettings) CFlags {
	split := func(name string) []string {
		v, err := toolchain.SplitQuoted(s.Get(name))
		if err != nil {
			return nil
		}
		return slices.DeleteFunc(v, func(w string) bool { return strings.HasPrefix(w, IdentityDefine) })
	}
	return CFlags{CPP: split("CGO_CPPFLAGS"), C: split("CGO_CFLAGS"), LD: split("CGO_LDFLAGS")}
}

// SearchDirs asks compiler c (with the cgo flags) where it looks, recorded
// per compiler, flags and compiler variables.
func SearchDirs(c *CCompiler, flags CFlags, env toolchain.Env, st toolchain.State, t toolchain.Target) (CSearch, error) {
	inputs, path, err := CompilerKey(c, env)
	if err != nil {
		return CSearch{}, fmt.Errorf("%s: %v", c.CC[0], err)
	}
	wd, _ := os.Getwd()
	inputs = append(inputs, "cppflags="+toolchain.JoinQuoted(flags.CPP), "cflags="+toolchain.JoinQuoted(flags.C), "ldflags="+toolchain.JoinQuoted(flags.LD), "dir="+wd)
	var perr error
	s, out := facts.Find(st.Facts(), facts.Key{Kind: "cc-search", Scope: t.Port(), Inputs: inputs}, func() (CSearch, facts.Outcome) {
		s, out, err := askSearchDirs(path, c.CC[1:], flags, env)
		perr = err
		return s, out
	})
	if out != facts.Settled && perr != nil {
		return s, perr
	}
	return s, nil
}

// askSearchDirs runs the compiler three times: -E -v of an empty C file
// (its header search list), -print-search-dirs (its library list) and
// -print-sysroot.
func askSearchDirs(path string, args []string, flags CFlags, env toolchain.Env) (CSearch, facts.Outcome, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	run := func(extra ...string) (string, string, error) {
		cmd := exec.CommandContext(ctx, path, append(append([]string(nil), args...), extra...)...)
		cmd.Env = env.WithoutPrefix(toolchain.InternalPrefix)
		cmd.Stdin = strings.NewReader("")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		return stdout.String(), stderr.String(), err
	}
	var s CSearch
	compile := append(append(append([]string(nil), flags.CPP...), flags.C...), "-E", "-v", "-x", "c", "-o", os.DevNull, "-")
	_, stderr, err := run(compile...)
	if err != nil {
		out := facts.OutcomeOf(ctx, err)
		if facts.PassingText(stderr) {
			out = facts.Passing
		}
		return s, out, fmt.Errorf("%s -E -v: %v: %s", filepath.Base(path), err, toolchain.FirstLines(strings.TrimSpace(stderr), 3))
	}
	s.Include = parseIncludeSearch(stderr)
	s.Lib = libFlags(append(append([]string(nil), args...), flags.LD...))
	stdout, stderr, err := run(append(append([]string(nil), flags.LD...), "-print-search-dirs")...)
	if err != nil {
		return s, facts.OutcomeOf(ctx, err), fmt.Errorf("%s -print-search-dirs: %v: %s", filepath.Base(path), err, toolchain.FirstLines(strings.TrimSpace(stderr), 3))
	}
	s.Lib = resolveDirs(append(s.Lib, parseLibrarySearch(stdout)...))
	s.Include = resolveDirs(s.Include)
	if out, _, err := run("-print-sysroot"); err == nil {
		if sr := strings.TrimSpace(out); sr != "" && sr != "/" {
			s.Sysroot = filepath.Clean(sr)
		}
	}
	return s, facts.Settled, nil
}

// parseIncludeSearch reads the directory lists of gcc's and clang's
// "-E -v" output: both quote and angle lists, and the directories they
// ignore as nonexistent.
func parseIncludeSearch(out string) []string {
	var dirs []string
	in := false
	for _, line := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(line, "#include ") && strings.HasSuffix(line, "search starts here:"):
			in = true
		case strings.HasPrefix(line, "End of search list."):
			in = false
		case in && strings.HasPrefix(line, " "):
			d := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(line), "(framework directory)"))
			dirs = append(dirs, filepath.Clean(d))
		case strings.HasPrefix(line, "ignoring nonexistent directory "):
			d := strings.Trim(strings.TrimPrefix(line, "ignoring nonexistent directory "), "\"")
			dirs = append(dirs, filepath.Clean(d))
		}
	}
	return dedupe(dirs)
}

// parseLibrarySearch reads the "libraries: =a:b" line of
// -print-search-dirs.
func parseLibrarySearch(out string) []string {
	var dirs []string
	for _, line := range strings.Split(out, "\n") {
		if v, ok := strings.CutPrefix(line, "libraries: "); ok {
			v = strings.TrimPrefix(v, "=")
			for _, d := range filepath.SplitList(v) {
				if d != "" {
					dirs = append(dirs, filepath.Clean(d))
				}
			}
		}
	}
	return dedupe(dirs)
}

// libFlags are the -L directories among args.
func libFlags(args []string) []string {
	var dirs []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-L" && i+1 < len(args):
			dirs = append(dirs, args[i+1])
			i++
		case strings.HasPrefix(a, "-L") && len(a) > 2:
			dirs = append(dirs, a[2:])
		}
	}
	for i, d := range dirs {
		if abs, err := filepath.Abs(d); err == nil {
			dirs[i] = abs
		}
	}
	return dirs
}

// resolveDirs resolves symbolic links in dirs (/lib to /usr/lib on a
// merged-/usr system), once, when the compiler is asked: each build then
// identifies the directories themselves without resolving them again. A
// directory that does not exist (yet) stays as it is.
func resolveDirs(dirs []string) []string {
	for i, d := range dirs {
		if r, err := filepath.EvalSymlinks(d); err == nil {
			dirs[i] = r
		}
	}
	return dedupe(dirs)
}

func dedupe(dirs []string) []string {
	seen := map[string]bool{}
	out := dirs[:0]
	for _, d := range dirs {
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	return out
}

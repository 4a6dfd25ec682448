package toolchain

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/gox-build/gox/internal/facts"
)

// Port is one GOOS/GOARCH pair the real toolchain supports, as
// "go tool dist list -json" describes it.
type Port struct {
	GOOS         string
	GOARCH       string
	CgoSupported bool
	FirstClass   bool
	// Broken ports are listed only by "go tool dist list -broken".
	Broken bool `json:",omitempty"`
}

// Name is "goos/goarch".
func (p Port) Name() string { return p.GOOS + "/" + p.GOARCH }

// GoFacts is what gox learns from the real go by running it: its version,
// host and ports. It is cached per go binary, so that after the first run
// no go subprocess is needed to know them.
type GoFacts struct {
	// Key identifies the go binary the facts are about.
	Key        string
	GoVersion  string
	GOHOSTOS   string
	GOHOSTARCH string
	GOROOT     string
	Ports      []Port
}

// Port looks up goos/goarch.
func (f *GoFacts) Port(goos, goarch string) (Port, bool) {
	for _, p := range f.Ports {
		if p.GOOS == goos && p.GOARCH == goarch {
			return p, true
		}
	}
	return Port{}, false
}

// PortNames lists the ports that are not broken, sorted.
func (f *GoFacts) PortNames() []string {
	var out []string
	for _, p := range f.Ports {
		if !p.Broken {
			out = append(out, p.Name())
		}
	}
	sort.Strings(out)
	return out
}

// CheckTarget says whether the toolchain can build for t: an unknown port
// gets the closest valid ones as hints, a broken port says so.
func (f *GoFacts) CheckTarget(t Target) error {
	p, ok := f.Port(t.GOOS, t.GOARCH)
	if !ok {
		return &PortError{Target: t, GoVersion: f.GoVersion, Suggestions: Suggest(t.Port(), f.PortNames())}
	}
	if p.Broken {
		return &PortError{Target: t, GoVersion: f.GoVersion, Broken: true}
	}
	return nil
}

// PortError says the go command cannot build for a target: it has no such
// port (Suggestions are the closest it has), or marks it broken.
type PortError struct {
	Target      Target
	GoVersion   string
	Broken      bool
	Suggestions []string
}

func (e *PortError) Error() string {
	if e.Broken {
		return fmt.Sprintf("target %s: %s marks %s as broken", e.Target, e.GoVersion, e.Target.Port())
	}
	return fmt.Sprintf("target %s: %s does not support %s", e.Target, e.GoVersion, e.Target.Port())
}

// State is where gox keeps what it learns (probe verdicts, the go
// command's facts, caches), and whether it may write there. gox -n opens it
// read-only: facts already learned are used, new ones are found and not
// kept, so that printing a plan changes nothing on the machine.
type State struct {
	Dir      string
	ReadOnly bool
	// Refresh probes every fact again instead of using what is recorded
	// (gox doctor -refresh).
	Refresh bool
}

// Facts is the state's fact store (internal/facts): every probed
// verdict is found and kept through it.
func (s State) Facts() facts.Store {
	dir := ""
	if s.Dir != "" {
		dir = filepath.Join(s.Dir, "facts")
	}
	return facts.Store{Dir: dir, ReadOnly: s.ReadOnly, Refresh: s.Refresh}
}

// OpenState finds the state directory for env (StateDir). Read-only, it
// creates nothing, not even the fallback under the temporary directory.
func OpenState(env Env, readOnly bool) (State, error) {
	dir, err := stateDir(env, !readOnly)
	return State{Dir: dir, ReadOnly: readOnly}, err
}

// StateDir is where gox keeps what it learns: GOX_CACHE if set, else gox
// under the user's cache directory.
func StateDir(env Env) (string, error) { return stateDir(env, true) }

// stateDir is StateDir; with create false it makes no directory.
func stateDir(env Env, create bool) (string, error) {
	if d := env.Get("GOX_CACHE"); d != "" {
		if !filepath.IsAbs(d) {
			return "", fmt.Errorf("GOX_CACHE=%s: not an absolute path", d)
		}
		return d, nil
	}
	base := userCacheBase(env)
	if base == "" {
		// No HOME (a service, a minimal container, env -i): gox must not
		// fail a build the real go would do over its own bookkeeping, so
		// it keeps its probes in a directory of this user's under the
		// temporary directory.
		return tempStateDir(create)
	}
	return filepath.Join(base, "gox"), nil
}

// userCacheBase is the user's cache directory as os.UserCacheDir finds
// it, but read from env; "" when env names none.
func userCacheBase(env Env) string {
	switch runtime.GOOS {
	case "windows":
		return env.Get("LocalAppData")
	case "darwin", "ios":
		if h := env.Get("HOME"); h != "" {
			return filepath.Join(h, "Library", "Caches")
		}
		return ""
	}
	if d := env.Get("XDG_CACHE_HOME"); d != "" && filepath.IsAbs(d) {
		return d
	}
	if h := env.Get("HOME"); h != "" {
		return filepath.Join(h, ".cache")
	}
	return ""
}

// TempState reports whether StateDir falls back to the temporary
// directory for env.
func TempState(env Env) bool {
	return env.Get("GOX_CACHE") == "" && userCacheBase(env) == ""
}

// tempStateDir is gox-<uid> in the temporary directory, made private to
// this user; one that another user made, or anyone may write, is refused.
func tempStateDir(create bool) (string, error) {
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("gox-%d", os.Getuid()))
	if !create {
		if _, err := os.Stat(dir); err != nil {
			return dir, nil // nothing there to check, and nothing is made
		}
	} else if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return "", &StateDirError{Dir: dir, Err: fmt.Errorf("HOME is unset and %s cannot be made: %v", dir, unwrapPathErr(err))}
	}
	if err := privateDir(dir); err != nil {
		return "", &StateDirError{Dir: dir, Err: fmt.Errorf("HOME is unset and %s is not safe to use: %v", dir, err)}
	}
	return dir, nil
}

// StateDirError says gox has nowhere to keep its state: HOME is unset and
// the fallback under TMPDIR cannot be used.
type StateDirError struct {
	Dir string
	Err error
}

func (e *StateDirError) Error() string { return "cache: " + e.Err.Error() }
func (e *StateDirError) Unwrap() error { return e.Err }

// FileKey identifies a file's contents cheaply: its resolved path, size
// and modification time. Package managers replace binaries with new
// files, so a changed compiler or go gets a new key without hashing.
func FileKey(p string) (string, error) {
	resolved, err := filepath.EvalSymlinks(p)
	if err != nil {
		return "", err
	}
	fi, err := os.Stat(resolved)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s|%d|%d", resolved, fi.Size(), fi.ModTime().UnixNano()), nil
}

// HashKey names a directory of gox's after parts (16 hex digits of their
// FNV-1a hash): the Wine prefix, the exec wrapper's and the namespace
// interpreter's directories. Nothing is decided from the name alone.
func HashKey(parts ...string) string {
	h := fnv.New64a()
	h.Write([]byte(strings.Join(parts, "\x00")))
	return fmt.Sprintf("%016x", h.Sum64())
}

// LoadGoFacts returns the facts about the go command g, recorded per go
// binary (path, size, time), else by running it in env.
func LoadGoFacts(g GoCommand, env Env, st State) (*GoFacts, error) {
	key, err := FileKey(g.Path)
	if err != nil {
		return nil, err
	}
	var perr error
	f, _ := facts.Find(st.Facts(), facts.Key{Kind: "go", Scope: facts.Host, Inputs: []string{"go=" + key}},
		func() (*GoFacts, facts.Outcome) {
			f, err := probeGo(g, env)
			if err != nil {
				perr = err
				return nil, facts.Unkept
			}
			f.Key = key
			return f, facts.Settled
		})
	if f == nil || len(f.Ports) == 0 {
		if perr == nil {
			perr = errors.New("go tool dist list: the go command lists no ports")
		}
		return nil, perr
	}
	return f, nil
}

func probeGo(g GoCommand, env Env) (*GoFacts, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// The host's defaults, not the user's target: GOOS and GOARCH set for
	// a cross build must not change what "go env GOHOSTOS" answers, and a
	// go.mod toolchain line must not switch toolchains under us.
	runEnv := ExecEnv(env, g).Without("GOFLAGS").With("GOTOOLCHAIN", "local")
	if runtime.GOOS != "windows" && runtime.GOOS != "darwin" && runtime.GOOS != "ios" && runtime.GOOS != "plan9" {
		// The go command counts its own use in the user's configuration
		// directory (telemetry). These are gox's questions, not the
		// user's commands: with a configuration directory that cannot
		// exist, go counts nothing and writes nothing. Its answers here
		// (version, host, GOROOT, ports) do not depend on that directory.
		runEnv = runEnv.With("XDG_CONFIG_HOME", os.DevNull)
	}
	run := func(args ...string) ([]byte, error) {
		cmd := exec.CommandContext(ctx, g.Path, args...)
		cmd.Env = runEnv
		cmd.Dir = os.TempDir()
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("go %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
		}
		return out, nil
	}
	out, err := run("env", "-json", "GOVERSION", "GOHOSTOS", "GOHOSTARCH", "GOROOT")
	if err != nil {
		return nil, err
	}
	var ev map[string]string
	if err := json.Unmarshal(out, &ev); err != nil {
		return nil, fmt.Errorf("go env -json: %v", err)
	}
	f := &GoFacts{GoVersion: ev["GOVERSION"], GOHOSTOS: ev["GOHOSTOS"], GOHOSTARCH: ev["GOHOSTARCH"], GOROOT: ev["GOROOT"]}
	all, err := run("tool", "dist", "list", "-json", "-broken")
	if err != nil {
		return nil, err
	}
	good, err := run("tool", "dist", "list")
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(all, &f.Ports); err != nil {
		return nil, fmt.Errorf("go tool dist list -json: %v", err)
	}
	ok := map[string]bool{}
	for _, l := range strings.Fields(string(good)) {
		ok[l] = true
	}
	for i := range f.Ports {
		f.Ports[i].Broken = !ok[f.Ports[i].Name()]
	}
	return f, nil
}

// WriteFileAtomic writes data to file through a temporary file and a
// rename (facts.WriteFileAtomic).
func WriteFileAtomic(file string, data []byte) error { return facts.WriteFileAtomic(file, data) }

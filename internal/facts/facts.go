// Package facts is where gox keeps what it learns by probing the machine:
// the go command's ports, whether a C compiler works and where it looks
// for headers and libraries, which loader prefix runs a dynamic cgo
// binary under qemu, whether the namespace route works, what identifies a
// sysroot. Every such fact is found and kept through Find, and only there.
//
// A fact is only as good as its key: a verdict applies under exactly the
// inputs it was learned under, so its Key names every one of them (the
// binaries by path, size and time, the flags, the environment variables
// the probed program reads, the project file that contributed). A lookup
// with any input changed misses and probes again.
//
// A probe that failed for a reason of the moment (a deadline on a loaded
// machine, a signal, a resource running out) says so with Passing; Find
// then probes once more, and if that fails the same way the answer serves
// the caller this once and is never recorded. Facts are kept per scope
// (a target's port, or the host), so that gox cache clean -target T
// forgets a target's verdicts.
//
// Records are JSON files under the store's directory, written by rename:
// two gox processes never see half a record, and a record that does not
// parse, or was written for other inputs, is a miss.
package facts

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
)

// Store is gox's fact directory as one command may use it.
type Store struct {
	// Dir holds one directory per scope.
	Dir string
	// ReadOnly stores find facts but record none (gox -n).
	ReadOnly bool
	// Refresh ignores what is recorded: every fact asked for is probed
	// again, and recorded anew (gox doctor -refresh).
	Refresh bool
}

// Host is the scope of facts about the machine rather than a target.
const Host = "host"

// Key is what a fact depends on.
type Key struct {
	// Kind names the fact ("cc", "loader-prefix", …).
	Kind string
	// Scope is a target's port as "goos/goarch", or Host.
	Scope string
	// Inputs are "name=value" strings, every input the verdict depends
	// on; their order is part of the key.
	Inputs []string
}

// Outcome says whether a probe's answer may be kept.
type Outcome uint8

const (
	// Settled answers are recorded.
	Settled Outcome = iota
	// Passing answers came from a condition of the moment (timeout,
	// signal, resource error): probed again once, never recorded.
	Passing
	// Unkept answers are true now but cheap to mend without any input of
	// the key changing (a compiler that fails until its headers are
	// installed): never recorded, not probed again.
	Unkept
)

type record struct {
	Kind   string          `json:"kind"`
	Inputs []string        `json:"inputs"`
	Value  json.RawMessage `json:"value"`
}

// ScopeDir names a scope's directory: goos_goarch, or host.
func ScopeDir(scope string) string {
	return strings.NewReplacer("/", "_", "\\", "_", "..", "_").Replace(scope)
}

func (s Store) file(k Key) string {
	h := sha256.New()
	h.Write([]byte(k.Kind))
	for _, in := range k.Inputs {
		h.Write([]byte{0})
		h.Write([]byte(in))
	}
	return filepath.Join(s.Dir, ScopeDir(k.Scope), k.Kind+"-"+hex.EncodeToString(h.Sum(nil)[:12])+".json")
}

// Lookup returns the recorded value of k, if any (and the store is not
// refreshing).
func Lookup[T any](s Store, k Key) (T, bool) {
	var v T
	if s.Refresh || s.Dir == "" {
		return v, false
	}
	data, err := os.ReadFile(s.file(k))
	if err != nil {
		return v, false
	}
	var r record
	if json.Unmarshal(data, &r) != nil || r.Kind != k.Kind || !slices.Equal(r.Inputs, k.Inputs) {
		return v, false
	}
	if json.Unmarshal(r.Value, &v) != nil {
		return v, false
	}
	return v, true
}

// Record keeps v as the fact for k; a read-only store keeps nothing.
func Record[T any](s Store, k Key, v T) error {
	if s.ReadOnly || s.Dir == "" {
		return nil
	}
	value, err := json.Marshal(v)
	if err != nil {
		return err
	}
	data, err := json.MarshalIndent(record{Kind: k.Kind, Inputs: k.Inputs, Value: value}, "", "\t")
	if err != nil {
		return err
	}
	return WriteFileAtomic(s.file(k), data)
}

// Find returns the fact for k: recorded, else probed. A Passing answer
// is probed once more; an answer that is not Settled is returned and not
// recorded. The outcome returned is the answer's (Settled for a recorded
// one).
func Find[T any](s Store, k Key, probe func() (T, Outcome)) (T, Outcome) {
	if v, ok := Lookup[T](s, k); ok {
		return v, Settled
	}
	v, out := probe()
	if out == Passing {
		v, out = probe()
	}
	if out == Settled {
		_ = Record(s, k, v)
	}
	return v, out
}

// Clean forgets the facts of one scope; "" forgets every fact.
func (s Store) Clean(scope string) error {
	if s.Dir == "" {
		return nil
	}
	dir := s.Dir
	if scope != "" {
		dir = filepath.Join(s.Dir, ScopeDir(scope))
	}
	return os.RemoveAll(dir)
}

// Count is how many facts a scope holds ("": all).
func (s Store) Count(scope string) int {
	dir := s.Dir
	if scope != "" {
		dir = filepath.Join(s.Dir, ScopeDir(scope))
	}
	n := 0
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() && strings.HasSuffix(p, ".json") {
			n++
		}
		return nil
	})
	return n
}

// OutcomeOf classifies a probe command's failure: Passing when it ran out
// of time (ctx ended), died of a signal, or could not get a resource
// (processes, memory, files, disk); Settled otherwise (it ran and said
// no). A nil err is Settled.
func OutcomeOf(ctx context.Context, err error) Outcome {
	if err == nil {
		return Settled
	}
	if ctx != nil && ctx.Err() != nil {
		return Passing
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return Passing
		}
		return Settled
	}
	for _, e := range []error{syscall.EAGAIN, syscall.ENOMEM, syscall.ENOSPC, syscall.EMFILE, syscall.ENFILE, syscall.EINTR, syscall.ETXTBSY} {
		if errors.Is(err, e) {
			return Passing
		}
	}
	return Settled
}

// PassingText reports whether a failed probe's output blames a resource of
// the moment, as compilers and the go command word it.
func PassingText(out string) bool {
	for _, s := range []string{"No space left on device", "Cannot allocate memory", "Resource temporarily unavailable",
		"Too many open files", "out of memory", "signal: killed", "signal: terminated"} {
		if strings.Contains(out, s) {
			return true
		}
	}
	return false
}

// WriteFileAtomic writes data to file through a temporary file and a
// rename, so that a reader (another gox) sees the old content or the new,
// never half of it, and an interrupted gox leaves no partial file.
func WriteFileAtomic(file string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), ".tmp-"+filepath.Base(file)+"-*")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if werr != nil || cerr != nil {
		os.Remove(tmp.Name())
		return errors.Join(werr, cerr)
	}
	if err := os.Rename(tmp.Name(), file); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}

package toolchain

import (
	"os"
	"path/filepath"
	"strings"
)

// Env is a process environment in the form os.Environ returns. Lookups take
// the last entry for a name, as os/exec does when it dedups an environment,
// so that what gox decides matches what the child will see.
type Env []string

// Lookup returns the value of name and whether it is set.
func (e Env) Lookup(name string) (string, bool) {
	for i := len(e) - 1; i >= 0; i-- {
		kv := e[i]
		if len(kv) > len(name) && kv[len(name)] == '=' && kv[:len(name)] == name {
			return kv[len(name)+1:], true
		}
	}
	return "", false
}

// Get returns the value of name, or "" when it is unset.
func (e Env) Get(name string) string {
	v, _ := e.Lookup(name)
	return v
}

// With returns a copy of e in which name is set to value (and only once).
func (e Env) With(name, value string) Env {
	out := e.Without(name)
	return append(out, name+"="+value)
}

// Without returns a copy of e with every entry for name removed.
func (e Env) Without(name string) Env {
	return e.filter(func(kv string) bool {
		return len(kv) > len(name) && kv[len(name)] == '=' && kv[:len(name)] == name
	})
}

// WithoutPrefix returns a copy of e with every variable whose name starts
// with prefix removed.
func (e Env) WithoutPrefix(prefix string) Env {
	return e.filter(func(kv string) bool { return strings.HasPrefix(kv, prefix) })
}

func (e Env) filter(drop func(string) bool) Env {
	out := make(Env, 0, len(e)+2)
	for _, kv := range e {
		if !drop(kv) {
			out = append(out, kv)
		}
	}
	return out
}

// LookPath finds an executable named name on env's PATH, like
// exec.LookPath but for an environment that is not the process's own.
func LookPath(env Env, name string) (string, bool) {
	if filepath.IsAbs(name) {
		if fi, err := os.Stat(name); err == nil && fi.Mode().IsRegular() && IsExecutable(fi) {
			return name, true
		}
		return "", false
	}
	if strings.ContainsRune(name, filepath.Separator) {
		return "", false
	}
	for _, dir := range filepath.SplitList(env.Get("PATH")) {
		if dir == "" || !filepath.IsAbs(dir) {
			continue
		}
		p := filepath.Join(dir, ExeName(name))
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && IsExecutable(fi) {
			return p, true
		}
	}
	return "", false
}

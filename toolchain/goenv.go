package toolchain

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"

	"github.com/gox-build/gox/toolchain/arch"
)

// GoSettings is the go command's view of its configuration variables:
// the process environment, then the user's GOENV file (written by
// go env -w), then $GOROOT/go.env, exactly in the go command's order
// (cmd/go/internal/cfg.Getenv). An empty environment variable counts as
// unset there, and so here.
type GoSettings struct {
	Env Env
	// Project is what a project's gox.toml sets for the target: below
	// the environment, above the GOENV file (gox exports it to the go
	// command, so the go command sees it as environment).
	Project map[string]string
	User    map[string]string // the GOENV file
	Root    map[string]string // $GOROOT/go.env
	// UserFile is the GOENV file's path ("" when GOENV=off).
	UserFile string
}

// Setting is one variable's value and where it came from.
type Setting struct {
	Value  string
	Source Source
}

// Source is where a go setting came from, in the go command's order of
// precedence; its value is the word gox shows for it.
type Source string

const (
	SourceUnset   Source = ""
	SourceEnv     Source = "env"      // the process environment
	SourceProject Source = "gox.toml" // the project's gox.toml
	SourceGOENV   Source = "GOENV"    // the user's GOENV file (go env -w)
	SourceGoEnv   Source = "go.env"   // $GOROOT/go.env, the toolchain's defaults
)

// Lookup finds name the way the go command does.
func (s GoSettings) Lookup(name string) Setting {
	if v := s.Env.Get(name); v != "" {
		return Setting{v, SourceEnv}
	}
	if v, ok := s.Project[name]; ok && v != "" {
		return Setting{v, SourceProject}
	}
	if v, ok := s.User[name]; ok && v != "" {
		return Setting{v, SourceGOENV}
	}
	if v, ok := s.Root[name]; ok && v != "" {
		return Setting{v, SourceGoEnv}
	}
	return Setting{}
}

// Get is Lookup's value.
func (s GoSettings) Get(name string) string { return s.Lookup(name).Value }

// LoadGoSettings reads the GOENV file and $GOROOT/go.env for env, with
// goroot the real go's GOROOT when env does not name one. It reads two
// small files and runs nothing.
func LoadGoSettings(env Env, goroot string) GoSettings {
	s := GoSettings{Env: env}
	s.UserFile = GoEnvFile(env)
	if s.UserFile != "" {
		s.User = readGoEnvFile(s.UserFile)
	}
	root := s.User["GOROOT"]
	if root == "" {
		root = env.Get("GOROOT")
	}
	if root == "" {
		root = goroot
	}
	if root != "" {
		s.Root = readGoEnvFile(filepath.Join(root, "go.env"))
	}
	return s
}

// GoEnvFile is the path of the user's go env file, as cmd/go's
// cfg.EnvFile computes it, or "" when GOENV=off or there is no config dir.
func GoEnvFile(env Env) string {
	if f := env.Get("GOENV"); f != "" {
		if f == "off" {
			return ""
		}
		return f
	}
	dir := userConfigDir(env)
	if dir == "" {
		return ""
	}
	return filepath.Join(dir, "go", "env")
}

// userConfigDir is os.UserConfigDir computed from env rather than the
// process environment.
func userConfigDir(env Env) string {
	switch runtime.GOOS {
	case "windows":
		return env.Get("AppData")
	case "darwin", "ios":
		if h := env.Get("HOME"); h != "" {
			return filepath.Join(h, "Library", "Application Support")
		}
		return ""
	case "plan9":
		if h := env.Get("home"); h != "" {
			return filepath.Join(h, "lib")
		}
		return ""
	}
	if d := env.Get("XDG_CONFIG_HOME"); d != "" && filepath.IsAbs(d) {
		return d
	}
	if h := env.Get("HOME"); h != "" {
		return filepath.Join(h, ".config")
	}
	return ""
}

// readGoEnvFile parses a go env file the way cmd/go does: KEY=VALUE lines,
// anything else (comments, blank lines) ignored, no quoting.
func readGoEnvFile(file string) map[string]string {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil
	}
	m := map[string]string{}
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		i := bytes.IndexByte(line, '=')
		if i < 0 || line[0] < 'A' || 'Z' < line[0] {
			continue
		}
		m[string(line[:i])] = string(line[i+1:])
	}
	return m
}

// EnvChange is one variable gox sets for the real go (or, with Unset,
// removes from its environment; with Prepend, puts Value in front of the
// list the variable holds, as for PATH).
type EnvChange struct {
	Name, Value string
	Unset       bool
	Prepend     bool
}

// ResolveTarget finds what a command builds for, with the go command's
// precedence: gox's -target flag, then GOOS/GOARCH (and the variant
// variable) from the environment, the GOENV file and $GOROOT/go.env, then
// the host. fromFlag says the flag chose it.
func ResolveTarget(flag string, s GoSettings, hostGOOS, hostGOARCH string) (t Target, fromFlag bool, err error) {
	if flag != "" {
		t, err := ParseTarget(flag, hostGOOS)
		return t, true, err
	}
	t.GOOS, t.GOARCH = s.Get("GOOS"), s.Get("GOARCH")
	if t.GOOS == "" {
		t.GOOS = hostGOOS
	}
	if t.GOARCH == "" {
		t.GOARCH = hostGOARCH
	}
	if v := VariantVar(t.GOARCH); v != "" {
		t.Variant = s.Get(v)
	}
	return t, false, nil
}

// TargetChanges are the variables that select t for the real go: all of
// them when the user chose t with -target (that must win over anything in
// the environment or GOENV), and in any case the removal of variant
// variables of other architectures, so a stale GOARM does not travel with
// an arm64 build into go generate, test binaries and nested go commands.
func TargetChanges(t Target, fromFlag bool, env Env) []EnvChange {
	var out []EnvChange
	own := VariantVar(t.GOARCH)
	if fromFlag {
		out = append(out, EnvChange{Name: "GOOS", Value: t.GOOS}, EnvChange{Name: "GOARCH", Value: t.GOARCH})
		if own != "" {
			if t.Variant != "" {
				out = append(out, EnvChange{Name: own, Value: t.Variant})
			} else if _, ok := env.Lookup(own); ok {
				out = append(out, EnvChange{Name: own, Unset: true})
			}
		}
	}
	for _, v := range arch.VariantVars() {
		if v == own {
			continue
		}
		if _, ok := env.Lookup(v); ok {
			out = append(out, EnvChange{Name: v, Unset: true})
		}
	}
	return out
}

// Package project is a project's gox.toml as one go command for one target
// sees it: the file and the user's trust in it (Facts), and the settings it
// makes for the target, resolved against the user's environment, which
// wins variable by variable (Settings). Nothing a file names to run
// applies unless it is trusted.
package project

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gox-build/gox/shim/internal/base"

	"github.com/gox-build/gox/shim/config"
	"github.com/gox-build/gox/toolchain"
)

// Facts are a project's gox.toml and the user's trust in it, as
// gather finds them for a cross command.
type Facts struct {
	File    *config.File
	Trusted bool
	// Why says how the trust was decided ("never trusted", "changed since
	// you trusted it", "GOX_TRUST names its SHA-256", …).
	Why string
	// Dir is the directory the go command runs in, for naming the file.
	Dir string
}

// Settings are what a gox.toml says for one target, resolved
// against the user's environment, which wins variable by variable.
type Settings struct {
	// Path is the file, Name the [target."…"] table used.
	Path, Name string
	// Changes are the variables it sets that the environment does not.
	Changes []toolchain.EnvChange
	// CC and CXX are its C compiler, with sysroot applied; nil unless
	// set (and trusted).
	CC, CXX []string
	// Sysroot is its sysroot, for discovered compilers too.
	Sysroot string
	// Runner is set when the runner comes from the file.
	Runner bool
	// Gated lists its settings that need trust; Trusted says they apply.
	Gated   []string
	Trusted bool
}

// ParseTargetName reads a target name as gox does, for the config package.
func ParseTargetName(hostGOOS string) config.TargetParser {
	return func(name string) (string, error) {
		t, err := toolchain.ParseTarget(name, hostGOOS)
		if err != nil {
			return "", err
		}
		return t.String(), nil
	}
}

// DisplayPath names the configuration file for messages: relative to the
// directory the command runs in when it is at or below it.
func (pf *Facts) DisplayPath() string {
	if rel, err := filepath.Rel(pf.Dir, pf.File.Path); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return pf.File.Path
}

// For resolves what pf says for target t against env. A file that
// names programs for t and is not trusted is an error: the command would
// run them.
func For(pf *Facts, t toolchain.Target, env toolchain.Env, hostGOOS string) (*Settings, error) {
	if pf == nil {
		return nil, nil
	}
	name, tc := pf.File.For(t.String(), t.Port(), ParseTargetName(hostGOOS))
	if tc == nil {
		return nil, nil
	}
	ps := &Settings{Path: pf.File.Path, Name: name, Gated: tc.Gated(), Trusted: pf.Trusted}
	if len(ps.Gated) > 0 && !pf.Trusted {
		hint := "gox trust"
		if p := pf.DisplayPath(); p != config.FileName {
			hint += " " + p
		}
		return nil, &base.Error{What: pf.DisplayPath(),
			Err:   fmt.Errorf("not trusted: it names programs to run (%s)", ps.Gated[0]),
			Hints: []string{hint, "read it first: trusting it lets it run what it names, as your user (" + pf.Why + ")"}}
	}
	dir := filepath.Dir(pf.File.Path)
	set := func(name, value string) {
		if _, ok := env.Lookup(name); !ok {
			ps.Changes = append(ps.Changes, toolchain.EnvChange{Name: name, Value: value})
		}
	}
	if tc.Cgo != nil {
		v := "0"
		if *tc.Cgo {
			v = "1"
		}
		set("CGO_ENABLED", v)
	}
	for _, k := range sortedKeys(tc.Env) {
		set(k, tc.Env[k])
	}
	if tc.Sysroot != "" {
		ps.Sysroot = ResolveIn(dir, tc.Sysroot)
		set("PKG_CONFIG_SYSROOT_DIR", ps.Sysroot)
		if tc.PkgConfigLibdir == "" {
			var dirs []string
			for _, tr := range t.Triples() {
				dirs = append(dirs, filepath.Join(ps.Sysroot, "usr", "lib", tr, "pkgconfig"))
			}
			dirs = append(dirs, filepath.Join(ps.Sysroot, "usr", "lib", "pkgconfig"), filepath.Join(ps.Sysroot, "usr", "share", "pkgconfig"))
			set("PKG_CONFIG_LIBDIR", strings.Join(dirs, string(filepath.ListSeparator)))
		}
	}
	if tc.PkgConfigLibdir != "" {
		set("PKG_CONFIG_LIBDIR", resolveList(dir, tc.PkgConfigLibdir))
	}
	if tc.CC != "" {
		cc, err := toolchain.SplitQuoted(tc.CC)
		if err != nil {
			return nil, &base.Error{What: pf.DisplayPath(), Err: fmt.Errorf("target.%q.cc: %v", name, err)}
		}
		ps.CC = WithSysroot(resolveCommand(dir, cc), ps.Sysroot)
		if tc.CXX != "" {
			cxx, err := toolchain.SplitQuoted(tc.CXX)
			if err != nil {
				return nil, &base.Error{What: pf.DisplayPath(), Err: fmt.Errorf("target.%q.cxx: %v", name, err)}
			}
			ps.CXX = WithSysroot(resolveCommand(dir, cxx), ps.Sysroot)
		}
	}
	if len(tc.Runner) > 0 {
		v := "GOX_RUNNER_" + t.GOOS + "_" + t.GOARCH
		if _, ok := env.Lookup(v); !ok {
			// The exec wrapper runs in the go command's environment: the
			// runner travels there as the variable that names one.
			ps.Runner = true
			ps.Changes = append(ps.Changes, toolchain.EnvChange{Name: v, Value: toolchain.JoinQuoted(resolveCommand(dir, tc.Runner))})
		}
	}
	return ps, nil
}

// Value is the variable name's Value among ps's changes.
func (ps *Settings) Value(name string) (string, bool) {
	for _, c := range ps.Changes {
		if c.Name == name && !c.Unset {
			return c.Value, true
		}
	}
	return "", false
}

// Apply puts ps's variables in settings as the gox.toml layer.
func Apply(settings toolchain.GoSettings, ps *Settings) toolchain.GoSettings {
	if ps == nil || len(ps.Changes) == 0 {
		return settings
	}
	settings.Project = make(map[string]string, len(ps.Changes))
	for _, c := range ps.Changes {
		settings.Project[c.Name] = c.Value
	}
	return settings
}

func WithSysroot(cmd []string, sysroot string) []string {
	if sysroot == "" || len(cmd) == 0 {
		return cmd
	}
	for _, w := range cmd {
		if w == "--sysroot" || strings.HasPrefix(w, "--sysroot=") {
			return cmd
		}
	}
	return append(append([]string(nil), cmd...), "--sysroot="+sysroot)
}

// WithoutSysroot takes out the --sysroot=sysroot withSysroot added.
func WithoutSysroot(cmd []string, sysroot string) []string {
	var out []string
	for _, w := range cmd {
		if w != "--sysroot="+sysroot {
			out = append(out, w)
		}
	}
	return out
}

// resolveCommand makes a program named by a relative path ("./tools/cc.sh")
// relative to the gox.toml's directory, so it works from any package.
func resolveCommand(dir string, cmd []string) []string {
	if len(cmd) == 0 || filepath.IsAbs(cmd[0]) || !strings.ContainsRune(cmd[0], '/') {
		return cmd
	}
	out := append([]string(nil), cmd...)
	out[0] = filepath.Join(dir, cmd[0])
	return out
}

func ResolveIn(dir, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}

func resolveList(dir, list string) string {
	parts := filepath.SplitList(list)
	for i, p := range parts {
		parts[i] = ResolveIn(dir, p)
	}
	return strings.Join(parts, string(filepath.ListSeparator))
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

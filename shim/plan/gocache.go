package plan

import (
	"fmt"
	"time"

	"github.com/gox-build/gox/shim/internal/base"

	"github.com/gox-build/gox/cache"
	"github.com/gox-build/gox/internal/facts"
	"github.com/gox-build/gox/toolchain"
	"github.com/gox-build/gox/toolchain/compilers"
)

// cacheInput is what choosing a target's GOCACHE depends on.
type cacheInput struct {
	Target    toolchain.Target
	GoVersion string
	// Cgo and Compiler/CCVersion are the C decision for the build.
	Cgo       bool
	Compiler  *compilers.CCompiler
	CCVersion string
	Settings  toolchain.GoSettings
	// Sysroot are the compiler's header and library directories
	// (sysrootIdentity), Fingerprint their state on this machine and
	// SysrootContent across machines (cache.Print), for a shared cache.
	Sysroot        []string
	Fingerprint    string
	SysrootContent string
}

// cacheRoute is how a cross build's objects are cached.
type cacheRoute uint8

const (
	// cacheOwnDir: GOCACHE is a directory of gox's for the identity.
	cacheOwnDir cacheRoute = iota
	// cacheUsers: the user chose a GOCACHE (in the environment or with
	// go env -w); it is used as it is, and a sysroot change is not
	// noticed.
	cacheUsers
	// cacheProgLayer: the user's GOCACHEPROG does the caching, with gox
	// in front of it deriving every action ID from the identity.
	cacheProgLayer
)

// cacheIdentity decides how a cross build is cached, and the identity
// that keys it: everything the go command's own key misses.
func cacheIdentity(in cacheInput) (id cache.Identity, route cacheRoute, why string) {
	id = cache.Identity{Target: in.Target.String(), Go: in.GoVersion}
	if in.Cgo && in.Compiler != nil {
		id.CC = in.Compiler.CCString()
		id.CCVersion = in.CCVersion
		id.Sysroot = in.Fingerprint
	}
	if p := in.Settings.Lookup("GOCACHEPROG"); p.Value != "" {
		if id.Sysroot != "" && in.SysrootContent != "" {
			// a shared cache spans machines: the sysroot by its content
			id.Sysroot = in.SysrootContent
		}
		return id, cacheProgLayer, "GOCACHEPROG (from " + compilers.SourceName(string(p.Source)) + ") does the caching, with gox in front of it keying every action by the target, the Go and C toolchains and the sysroot"
	}
	if src := in.Settings.Lookup("GOCACHE").Source; src != toolchain.SourceUnset && src != toolchain.SourceGoEnv {
		return id, cacheUsers, "GOCACHE is yours (from " + compilers.SourceName(string(src)) + "): gox leaves it as it is"
	}
	return id, cacheOwnDir, ""
}

// sysrootIdentity finds what identifies the headers and libraries comp
// reads for t, with the cgo flags of settings: the directories of the
// compiler's own search lists (toolchain.SearchDirs) and their Print. It
// is the one way gox identifies a sysroot: the plan (and with it doctor)
// and the loader-prefix probe's build ask it.
func sysrootIdentity(comp *compilers.CCompiler, t toolchain.Target, settings toolchain.GoSettings, env toolchain.Env, st toolchain.State) (dirs []string, pr cache.Print, err error) {
	search, err := compilers.SearchDirs(comp, compilers.CFlagsOf(settings), env, st, t)
	if err != nil {
		return nil, cache.Print{}, err
	}
	trees := cache.SearchTrees(search.Include, search.Lib)
	for _, tr := range trees {
		dirs = append(dirs, tr.Dir)
	}
	pr, err = sysrootPrint(st.Facts(), t.Port(), trees)
	return dirs, pr, err
}

// sysrootPrint is cache.Identify of trees, with the walk of the managed
// trees kept in the fact store under the target's scope.
func sysrootPrint(store facts.Store, scope string, trees []cache.Tree) (cache.Print, error) {
	inputs := make([]string, 0, len(trees))
	for _, t := range trees {
		inputs = append(inputs, fmt.Sprintf("tree=%s %t", t.Dir, t.Deep))
	}
	key := facts.Key{Kind: "sysroot", Scope: scope, Inputs: inputs}
	return cache.Identify(trees,
		func() (cache.Memo, bool) { return facts.Lookup[cache.Memo](store, key) },
		func(m cache.Memo) { _ = facts.Record(store, key, m) })
}

// CacheSetup is a target's cache directory that gox makes, or marks used,
// before the command runs.
type CacheSetup struct {
	Root        string
	ID          cache.Identity
	SysrootDirs []string
}

// Ensure makes the directory (cache.Ensure) and returns it.
func (c CacheSetup) Ensure(now time.Time) (string, error) {
	dir, err := cache.Ensure(c.Root, c.ID, c.SysrootDirs, now)
	if err != nil {
		t := c.ID.Target
		return "", &base.Error{What: "build cache for " + t, Err: err,
			Hints: []string{"gox cache clean -target " + t + " removes it (gox makes it anew), or make it writable again",
				"or set GOX_CACHE to a directory gox may write, or GOCACHE to use one cache for every target"}}
	}
	return dir, nil
}

// ChosenVersion is the --version line of the compiler FindCompiler chose:
// its probe is the last one tried.
func ChosenVersion(comp *compilers.CCompiler, tried []compilers.Tried) string {
	if comp == nil || len(tried) == 0 {
		return ""
	}
	return tried[len(tried)-1].Probe.Version
}

// targetCache returns the GOCACHE directory for a cross build, creating
// it, or "" with the reason gox leaves GOCACHE alone. (A plan does this in
// two steps: decide names the directory, carrying the plan out makes it.)
func targetCache(in cacheInput, st toolchain.State) (dir, why string, err error) {
	id, route, why := cacheIdentity(in)
	if route != cacheOwnDir {
		return "", why, nil
	}
	cs := CacheSetup{Root: cache.Root(st.Dir), ID: id, SysrootDirs: in.Sysroot}
	dir, err = cs.Ensure(time.Now())
	return dir, "", err
}

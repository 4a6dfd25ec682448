package shim

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gox-build/gox/cache"
	"github.com/gox-build/gox/toolchain"
)

// cacheInput is what choosing a target's GOCACHE depends on.
type cacheInput struct {
	Target    toolchain.Target
	GoVersion string
	// Cgo and Compiler/CCVersion are the C decision for the build.
	Cgo       bool
	Compiler  *toolchain.CCompiler
	CCVersion string
	Settings  toolchain.GoSettings
	// Sysroot are the compiler's header and library directories
	// (sysrootDirs), Fingerprint their state (cache.Fingerprint).
	Sysroot     []string
	Fingerprint string
	// SysrootContent identifies the sysroot across machines
	// (cache.ContentFingerprint), for a shared cache; "" when not needed.
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
		return id, cacheProgLayer, "GOCACHEPROG (from " + sourceName(p.Source) + ") does the caching, with gox in front of it keying every action by the target, the Go and C toolchains and the sysroot"
	}
	if src := in.Settings.Lookup("GOCACHE").Source; src != "" && src != "go.env" {
		return id, cacheUsers, "GOCACHE is yours (from " + sourceName(src) + "): gox leaves it as it is"
	}
	return id, cacheOwnDir, ""
}

// sysrootContent is cache.ContentFingerprint of dirs, kept in gox's state
// per local fingerprint: reading every entry of a sysroot takes about
// 16 ms, looking its answer up a file read.
func sysrootContent(st toolchain.State, dirs []string, local string) string {
	key := "sysroot-content-v1|" + strings.Join(dirs, "\x00") + "|" + local
	file := filepath.Join(st.Dir, "sysroot", fmt.Sprintf("%x.json", fnv64(key)))
	var rec struct{ Key, Content string }
	if data, err := os.ReadFile(file); err == nil && json.Unmarshal(data, &rec) == nil && rec.Key == key {
		return rec.Content
	}
	content, err := cache.ContentFingerprint(dirs)
	if err != nil {
		return local
	}
	rec.Key, rec.Content = key, content
	if data, err := json.Marshal(rec); err == nil {
		_ = st.Save(file, data)
	}
	return content
}

// cacheSetup is a target's cache directory that gox makes, or marks used,
// before the command runs.
type cacheSetup struct {
	Root        string
	ID          cache.Identity
	SysrootDirs []string
}

// ensure makes the directory (cache.Ensure) and returns it.
func (c cacheSetup) ensure(now time.Time) (string, error) {
	dir, err := cache.Ensure(c.Root, c.ID, c.SysrootDirs, now)
	if err != nil {
		t := c.ID.Target
		return "", &toolchain.Error{What: "build cache for " + t, Err: err,
			Hints: []string{"gox cache clean -target " + t + " removes it (gox makes it anew), or make it writable again",
				"or set GOX_CACHE to a directory gox may write, or GOCACHE to use one cache for every target"}}
	}
	return dir, nil
}

// targetCacheInput completes in with the sysroot of its compiler, read
// from the disk, for a cgo build.
func targetCacheInput(in cacheInput) cacheInput {
	if in.Cgo && in.Compiler != nil {
		in.Sysroot = sysrootDirs(in.Compiler, in.Target)
		if len(in.Sysroot) > 0 {
			in.Fingerprint = cache.Fingerprint(in.Sysroot)
		}
	}
	return in
}

// chosenVersion is the --version line of the compiler FindCompiler chose:
// its probe is the last one tried.
func chosenVersion(comp *toolchain.CCompiler, tried []toolchain.Tried) string {
	if comp == nil || len(tried) == 0 {
		return ""
	}
	return tried[len(tried)-1].Probe.Version
}

func sourceName(src string) string {
	if src == "env" {
		return "the environment"
	}
	return src
}

// sysrootDirs are the directories whose headers and libraries a cross
// compiler uses: those of an explicit --sysroot, else Debian's cross
// layout (/usr/<triple>) and the multiarch one (/usr/include/<triple>,
// /usr/lib/<triple>).
func sysrootDirs(c *toolchain.CCompiler, t toolchain.Target) []string {
	var root string
	for i, w := range c.CC {
		if v, ok := strings.CutPrefix(w, "--sysroot="); ok {
			root = v
		} else if (w == "--sysroot" || w == "-isysroot") && i+1 < len(c.CC) {
			root = c.CC[i+1]
		}
	}
	var cands []string
	if root != "" {
		cands = []string{filepath.Join(root, "usr", "include"), filepath.Join(root, "usr", "lib"), filepath.Join(root, "include"), filepath.Join(root, "lib")}
	} else {
		tr := c.Triple
		if tr == "" {
			if trs := t.Triples(); len(trs) > 0 {
				tr = trs[0]
			}
		}
		if tr == "" {
			return nil
		}
		cands = []string{filepath.Join("/usr", tr, "include"), filepath.Join("/usr", tr, "lib"),
			filepath.Join("/usr/include", tr), filepath.Join("/usr/lib", tr)}
	}
	var out []string
	for _, d := range cands {
		if fi, err := os.Stat(d); err == nil && fi.IsDir() {
			out = append(out, d)
		}
	}
	return out
}

// targetCache returns the GOCACHE directory for a cross build, creating
// it, or "" with the reason gox leaves GOCACHE alone. (A plan does this in
// two steps: decide names the directory, carrying the plan out makes it.)
func targetCache(in cacheInput, st toolchain.State) (dir, why string, err error) {
	in = targetCacheInput(in)
	id, route, why := cacheIdentity(in)
	if route != cacheOwnDir {
		return "", why, nil
	}
	cs := cacheSetup{Root: cache.Root(st.Dir), ID: id, SysrootDirs: in.Sysroot}
	dir, err = cs.ensure(time.Now())
	return dir, "", err
}

package shim

import (
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
}

// cacheIdentity decides whether gox picks GOCACHE for a cross build, and
// with which identity. It does not when the user chose a GOCACHE (in the
// environment or with go env -w: theirs is used as it is, and then a
// sysroot change is not noticed) or a GOCACHEPROG (the program does the
// caching).
func cacheIdentity(in cacheInput) (id cache.Identity, ok bool, why string) {
	if src := in.Settings.Lookup("GOCACHE").Source; src != "" && src != "go.env" {
		return id, false, "GOCACHE is yours (from " + sourceName(src) + "): gox leaves it as it is"
	}
	if in.Settings.Get("GOCACHEPROG") != "" {
		return id, false, "GOCACHEPROG is set: it does the caching, gox leaves GOCACHE alone"
	}
	id = cache.Identity{Target: in.Target.String(), Go: in.GoVersion}
	if in.Cgo && in.Compiler != nil {
		id.CC = in.Compiler.CCString()
		id.CCVersion = in.CCVersion
		id.Sysroot = in.Fingerprint
	}
	return id, true, ""
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
	id, ok, why := cacheIdentity(in)
	if !ok {
		return "", why, nil
	}
	cs := cacheSetup{Root: cache.Root(st.Dir), ID: id, SysrootDirs: in.Sysroot}
	if st.ReadOnly {
		return filepath.Join(cs.Root, id.DirName()), "", nil
	}
	dir, err = cs.ensure(time.Now())
	return dir, "", err
}

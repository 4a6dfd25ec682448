// Package cache keeps one Go build cache (GOCACHE) per cross target and C
// toolchain. The go command's cache key covers GOOS, GOARCH, the variant
// and the C compiler's version, but not the C headers and libraries of a
// sysroot (go help cache, golang/go#24355): after a cross libc or library
// upgrade it reuses stale cgo objects. A cache directory whose name
// includes a fingerprint of the sysroot cannot.
//
// The sysroot is what the compiler reads beyond the package's own files:
// every header directory it searches (at any depth) and every library
// directory it links from, as the compiler lists them (Walk, Tree).
//
// The layout under the root (GOX_CACHE, else the user's cache directory
// plus "gox") is root/gocache/<goos>_<goarch>[_<variant>][_<libc>]-<id>/,
// each holding the go command's own cache files and gox's gox-cache.json,
// which says what the directory is for. gox only ever removes directories
// that hold that file.
package cache

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"
)

// MetaFile names gox's description of a cache directory.
const MetaFile = "gox-cache.json"

// Identity is everything a target's cache directory is keyed by.
type Identity struct {
	// Target is the target as gox spells it: linux/arm64, linux/arm/7,
	// linux/amd64/musl.
	Target string `json:"target"`
	// Go is the go command's version (go1.26.8).
	Go string `json:"go"`
	// CC is the C compiler command, CCVersion the first line of its
	// --version; both "" for a build without cgo.
	CC        string `json:"cc,omitempty"`
	CCVersion string `json:"ccVersion,omitempty"`
	// Sysroot is the fingerprint of the C headers and libraries (see
	// Fingerprint), "" when there are none to watch.
	Sysroot string `json:"sysroot,omitempty"`
}

// Meta is the gox-cache.json file of a cache directory.
type Meta struct {
	Identity
	// SysrootDirs are the directories the fingerprint was taken of.
	SysrootDirs []string  `json:"sysrootDirs,omitempty"`
	Created     time.Time `json:"created"`
}

// Slug is the readable part of a cache directory's name.
func Slug(target string) string {
	return strings.NewReplacer("/", "_", ",", "-", " ", "_").Replace(target)
}

// DirName is the directory name for id: the target, readable, then a hash
// of the whole identity.
func (id Identity) DirName() string {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%s", id.Target, id.Go, id.CC, id.CCVersion, id.Sysroot)
	return fmt.Sprintf("%s-%016x", Slug(id.Target), h.Sum64())
}

// Key is a SHA-256 of the whole identity, in hex: the namespace gox's
// GOCACHEPROG layer derives every action ID in, so that a shared cache
// never hands one identity's objects to another.
func (id Identity) Key() string {
	h := sha256.New()
	fmt.Fprintf(h, "gox-cache-identity-v1\x00%s\x00%s\x00%s\x00%s\x00%s", id.Target, id.Go, id.CC, id.CCVersion, id.Sysroot)
	return hex.EncodeToString(h.Sum(nil))
}

// Root is where the target caches live under gox's state directory.
func Root(stateDir string) string { return filepath.Join(stateDir, "gocache") }

// touchEvery is how stale "last used" may get: the hot path writes
// nothing more often than this.
const touchEvery = time.Hour

// Ensure returns the cache directory for id under root, creating it and
// its gox-cache.json if needed, and marking it used. It costs one stat
// when the directory exists and was used within the hour. The metadata is
// written to a temporary file and renamed, so concurrent gox processes and
// an interrupted one never leave a half-written file.
func Ensure(root string, id Identity, sysrootDirs []string, now time.Time) (string, error) {
	dir := filepath.Join(root, id.DirName())
	meta := filepath.Join(dir, MetaFile)
	fi, err := os.Stat(meta)
	if err == nil {
		// A directory the go command cannot write fails its build with
		// "failed to initialize build cache" and no word of why; asking
		// the kernel costs a microsecond.
		if err := writable(dir); err != nil {
			return "", fmt.Errorf("%s is not writable: %v", dir, err)
		}
		if now.Sub(fi.ModTime()) > touchEvery {
			_ = os.Chtimes(meta, now, now)
		}
		return dir, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	data, err := json.MarshalIndent(Meta{Identity: id, SysrootDirs: sysrootDirs, Created: now.UTC()}, "", "\t")
	if err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(dir, MetaFile+".tmp-*")
	if err != nil {
		return "", err
	}
	_, werr := tmp.Write(append(data, '\n'))
	cerr := tmp.Close()
	if werr == nil && cerr == nil {
		werr = os.Rename(tmp.Name(), meta)
	}
	if werr != nil || cerr != nil {
		os.Remove(tmp.Name())
		return "", errors.Join(werr, cerr)
	}
	return dir, nil
}

// Tree is a directory a C compiler reads from: a header directory, whose
// files it finds by relative path at any depth (Deep), or a library
// directory, of which the linker reads the entries only.
type Tree struct {
	Dir  string `json:"dir"`
	Deep bool   `json:"deep,omitempty"`
}

// Print identifies the state of a list of trees.
type Print struct {
	// Local changes with any file or directory added, removed, renamed or
	// written at any depth: each entry's path, type, inode, size and time
	// to the nanosecond. Meant for this machine's cache directories.
	Local string `json:"local"`
	// Content is the same over what two machines with the same packages
	// agree on: each file's path below its tree, size and time to the
	// second (package managers keep the times recorded in the package),
	// each symlink's target. Meant for a cache shared between machines.
	Content string `json:"content"`
	// Entries is how many entries were read.
	Entries int `json:"entries"`
}

// maxEntries bounds a walk: a header tree of more is not a sysroot.
const maxEntries = 1000000

// Walk reads every entry of the trees (the whole of a deep one, the
// entries of a shallow one) and returns their Print. A tree that does not
// exist counts as absent; it changes the print when it appears. A Debian
// cross sysroot with /usr/include (10,000 files) takes about 60 ms here.
func Walk(trees []Tree) (Print, error) {
	local, content := sha256.New(), sha256.New()
	n := 0
	for i, tr := range trees {
		fmt.Fprintf(local, "tree %d %s %t\n", i, tr.Dir, tr.Deep)
		fmt.Fprintf(content, "tree %d %t\n", i, tr.Deep)
		root, err := os.Lstat(tr.Dir)
		if err != nil {
			fmt.Fprintf(local, "absent\n")
			fmt.Fprintf(content, "absent\n")
			continue
		}
		fmt.Fprintf(local, "d . %d %d\n", inode(root), root.ModTime().UnixNano())
		err = filepath.WalkDir(tr.Dir, func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				fmt.Fprintf(local, "unreadable %s\n", p)
				return nil // unreadable parts count as absent
			}
			if p == tr.Dir {
				return nil
			}
			if n++; n > maxEntries {
				return fmt.Errorf("more than %d entries", maxEntries)
			}
			rel, _ := filepath.Rel(tr.Dir, p)
			fi, err := e.Info()
			if err != nil {
				return nil
			}
			switch {
			case e.Type()&fs.ModeSymlink != 0:
				target, _ := os.Readlink(p)
				fmt.Fprintf(local, "l %s %s %d\n", rel, target, fi.ModTime().UnixNano())
				fmt.Fprintf(content, "l %s %s\n", rel, target)
			case e.IsDir() && !tr.Deep:
				// the linker does not look inside: only the name counts
				fmt.Fprintf(local, "d %s\n", rel)
				return filepath.SkipDir
			case e.IsDir():
				fmt.Fprintf(local, "d %s %d %d\n", rel, inode(fi), fi.ModTime().UnixNano())
			case e.Type().IsRegular():
				fmt.Fprintf(local, "f %s %d %d %d\n", rel, inode(fi), fi.Size(), fi.ModTime().UnixNano())
				fmt.Fprintf(content, "f %s %d %d\n", rel, fi.Size(), fi.ModTime().Unix())
			}
			return nil
		})
		if err != nil {
			return Print{}, fmt.Errorf("%s: %v", tr.Dir, err)
		}
	}
	return Print{Local: hex.EncodeToString(local.Sum(nil)[:16]), Content: hex.EncodeToString(content.Sum(nil)[:16]), Entries: n}, nil
}

// packageDatabases are the files a package manager rewrites on every
// install, upgrade and removal (dpkg, rpm, apk, pacman's directory).
var packageDatabases = []string{"/var/lib/dpkg/status", "/var/lib/rpm/rpmdb.sqlite", "/var/lib/rpm/Packages", "/lib/apk/db/installed", "/var/lib/pacman/local"}

// PackageDatabase is this system's package database, or "" when it has
// none gox knows.
func PackageDatabase() string {
	for _, p := range packageDatabases {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// Managed reports whether the system's package manager keeps dir (a
// resolved path): it is below /usr (not /usr/local) or a /lib directory. Such a tree changes
// through the package database, whose rewrite Stamp notices, so it need
// not be walked on every build; a tree of anyone else's (a sysroot in a
// project, /opt, /usr/local) is walked every time.
func Managed(dir string) bool {
	if dir == "/usr/local" || strings.HasPrefix(dir, "/usr/local/") {
		return false
	}
	for _, p := range []string{"/usr", "/lib", "/lib64", "/lib32", "/libx32"} {
		if dir == p || strings.HasPrefix(dir, p+"/") {
			return true
		}
	}
	return false
}

// Stamp is the identity (inode, size, time) of each path, cheaply: with
// the package database among them, a stamp of managed trees changes on
// every package operation and on any entry added to a tree's own
// directory by hand.
func Stamp(paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			out[i] = p + " -"
			continue
		}
		out[i] = fmt.Sprintf("%s %d %d %d", p, inode(fi), fi.Size(), fi.ModTime().UnixNano())
	}
	return out
}

// SearchTrees are the trees of a compiler's search lists: each header
// directory whole, each library directory's own entries; a directory met
// twice once. The lists are resolved (toolchain.SearchDirs resolves
// them): a directory reached through a symlink is met by its own path.
func SearchTrees(include, lib []string) []Tree {
	var out []Tree
	seen := map[Tree]bool{}
	add := func(dir string, deep bool) {
		t := Tree{Dir: dir, Deep: deep}
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	for _, d := range include {
		add(d, true)
	}
	for _, d := range lib {
		add(d, false)
	}
	return out
}

// Memo is a walk of managed trees and the Stamp it is valid for.
type Memo struct {
	Stamp []string `json:"stamp"`
	Print Print    `json:"print"`
}

// Identify is Walk of trees, paid for once per package change: the trees
// the package manager keeps (Managed) are walked again only when Stamp
// of the package database and of their directories changes (recorded
// finds the last walk, record keeps a new one); the others (a project's
// sysroot, /opt, /usr/local) are walked every time, since nothing else
// would show a header edited or renamed deep inside them.
func Identify(trees []Tree, recorded func() (Memo, bool), record func(Memo)) (Print, error) {
	var managed, own []Tree
	db := PackageDatabase()
	for _, t := range trees {
		if db != "" && Managed(t.Dir) {
			managed = append(managed, t)
		} else {
			own = append(own, t)
		}
	}
	var parts []Print
	if len(managed) > 0 {
		paths := []string{db}
		for _, t := range managed {
			paths = append(paths, t.Dir)
		}
		stamp := Stamp(paths)
		m, ok := recorded()
		if !ok || !slices.Equal(m.Stamp, stamp) {
			pr, err := Walk(managed)
			if err != nil {
				return Print{}, err
			}
			m = Memo{Stamp: stamp, Print: pr}
			record(m)
		}
		parts = append(parts, m.Print)
	}
	if len(own) > 0 {
		pr, err := Walk(own)
		if err != nil {
			return Print{}, err
		}
		parts = append(parts, pr)
	}
	if len(parts) == 1 {
		return parts[0], nil
	}
	var all Print
	for i, p := range parts {
		if i > 0 {
			all.Local += "+"
			all.Content += "+"
		}
		all.Local += p.Local
		all.Content += p.Content
		all.Entries += p.Entries
	}
	return all, nil
}

// Entry is one cache directory as gox cache lists it.
type Entry struct {
	Meta
	Dir      string    `json:"dir"`
	Size     int64     `json:"size"`
	LastUsed time.Time `json:"lastUsed"`
	// Damaged says why the metadata could not be read (empty, not JSON,
	// too large); Target is then only the directory name's readable part.
	// Builds may still use such a directory, so it is listed, and cleaned
	// with its target, never hidden.
	Damaged string `json:"damaged,omitempty"`
}

// MaxMetaSize bounds how much of a gox-cache.json gox reads: real ones are
// a few hundred bytes.
const MaxMetaSize = 64 << 10

// readMeta reads a metadata file, at most MaxMetaSize bytes of it.
func readMeta(file string) (Meta, error) {
	var m Meta
	f, err := os.Open(file)
	if err != nil {
		return m, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxMetaSize+1))
	switch {
	case err != nil:
		return m, err
	case len(data) == 0:
		return m, errors.New("empty " + MetaFile)
	case len(data) > MaxMetaSize:
		return m, fmt.Errorf("%s larger than %d KB", MetaFile, MaxMetaSize>>10)
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return m, fmt.Errorf("%s is not gox's JSON: %v", MetaFile, err)
	}
	if m.Target == "" {
		return m, fmt.Errorf("%s names no target", MetaFile)
	}
	return m, nil
}

// SlugOf is the readable part of a cache directory's name, the Slug of
// its target: what a damaged directory is known by.
func SlugOf(dir string) string {
	name := filepath.Base(dir)
	if i := strings.LastIndexByte(name, '-'); i > 0 && len(name)-i-1 == 16 {
		return name[:i]
	}
	return name
}

// List returns root's cache directories, most recently used first. With
// sizes false it skips walking them (Size is -1).
func List(root string, sizes bool) ([]Entry, error) {
	des, err := os.ReadDir(root)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Entry
	for _, de := range des {
		if !de.IsDir() {
			continue
		}
		dir := filepath.Join(root, de.Name())
		metaFile := filepath.Join(dir, MetaFile)
		fi, err := os.Lstat(metaFile)
		if err != nil {
			continue // not gox's: never listed, never removed
		}
		var m Meta
		if fi.Mode().IsRegular() {
			m, err = readMeta(metaFile)
		} else {
			// never opened: a FIFO would block, a device could be
			// anything; the directory still holds a build's cache, so it
			// is listed, and cleaned with its target
			err = fmt.Errorf("%s is %s", MetaFile, fileKind(fi.Mode()))
		}
		e := Entry{Meta: m, Dir: dir, Size: -1}
		if err != nil {
			e.Meta = Meta{Identity: Identity{Target: SlugOf(dir)}}
			e.Damaged = err.Error()
		}
		if fi, err := os.Stat(metaFile); err == nil {
			e.LastUsed = fi.ModTime()
		}
		if sizes {
			e.Size = DirSize(dir)
		}
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].LastUsed.After(out[j].LastUsed) })
	return out, nil
}

// fileKind names a file mode's type for people.
func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "not a regular file"
}

// DirSize is the bytes of the regular files under dir.
func DirSize(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

// Remove deletes a cache directory gox made: renamed out of the way first,
// so a build starting meanwhile gets a fresh directory, never a half-deleted
// one.
func Remove(e Entry) error {
	if _, err := os.Lstat(filepath.Join(e.Dir, MetaFile)); err != nil {
		return fmt.Errorf("%s is not a gox cache directory", e.Dir)
	}
	trash := fmt.Sprintf("%s.removing-%d", e.Dir, os.Getpid())
	if err := os.Rename(e.Dir, trash); err != nil {
		return err
	}
	return os.RemoveAll(trash)
}

// TrimPlan picks the entries to remove: those not used for longer than
// olderThan (negative: no age limit), then the least recently used until the rest
// fit in maxSize bytes (0: no size limit). entries must be most recently
// used first, as List returns them.
func TrimPlan(entries []Entry, now time.Time, olderThan time.Duration, maxSize int64) []Entry {
	var drop []Entry
	var keep []Entry
	for _, e := range entries {
		if olderThan >= 0 && now.Sub(e.LastUsed) > olderThan {
			drop = append(drop, e)
		} else {
			keep = append(keep, e)
		}
	}
	if maxSize > 0 {
		var total int64
		for _, e := range keep {
			total += e.Size
		}
		for i := len(keep) - 1; i >= 0 && total > maxSize; i-- {
			drop = append(drop, keep[i])
			total -= keep[i].Size
		}
	}
	return drop
}

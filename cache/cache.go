// Package cache keeps one Go build cache (GOCACHE) per cross target and C
// toolchain. The go command's cache key covers GOOS, GOARCH, the variant
// and the C compiler's version, but not the C headers and libraries of a
// sysroot (go help cache, golang/go#24355): after a cross libc or library
// upgrade it reuses stale cgo objects. A cache directory whose name
// includes a fingerprint of the sysroot cannot.
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

// Fingerprint identifies the state of a sysroot's headers and libraries
// cheaply enough for every cross build (well under a millisecond): the
// identity (inode, modification time) of each directory and of its
// immediate subdirectories. Package managers replace files by renaming new
// ones into place, which changes the directory's modification time, as
// adding or removing a file does; so a libc or library upgrade changes the
// fingerprint without gox reading a file. An edit in place of an existing
// header does not (gox cache clean -target T is the remedy).
func Fingerprint(dirs []string) string {
	h := fnv.New64a()
	for _, d := range dirs {
		fmt.Fprintf(h, "%s\x00%s\n", d, dirStamp(d))
		f, err := os.Open(d)
		if err != nil {
			continue
		}
		entries, _ := f.ReadDir(-1)
		f.Close()
		for _, e := range entries {
			if e.IsDir() {
				fmt.Fprintf(h, "%s\x00%s\n", e.Name(), dirStamp(filepath.Join(d, e.Name())))
			}
		}
	}
	return fmt.Sprintf("%016x", h.Sum64())
}

// ContentFingerprint identifies a sysroot's headers and libraries across
// machines, for a shared cache: every file under dirs by its path below
// the directory, size and modification time (to the second: package
// managers keep the times recorded in the package, so two machines with
// the same packages agree), and every symlink by its target. Inodes and
// directory times, which Fingerprint uses, differ between machines. It
// reads every directory entry (a few milliseconds for a Debian cross
// libc), so gox keeps it per Fingerprint.
func ContentFingerprint(dirs []string) (string, error) {
	h := sha256.New()
	n := 0
	for i, d := range dirs {
		// (the directories' paths are in the identity already, through the
		// compiler and its --sysroot)
		fmt.Fprintf(h, "dir %d\n", i)
		err := filepath.WalkDir(d, func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				return nil // unreadable parts count as absent
			}
			if n++; n > 500000 {
				return errors.New("more than 500000 files")
			}
			rel, _ := filepath.Rel(d, p)
			switch {
			case e.Type()&fs.ModeSymlink != 0:
				target, _ := os.Readlink(p)
				fmt.Fprintf(h, "l %s %s\n", rel, target)
			case e.Type().IsRegular():
				fi, err := e.Info()
				if err != nil {
					return nil
				}
				fmt.Fprintf(h, "f %s %d %d\n", rel, fi.Size(), fi.ModTime().Unix())
			}
			return nil
		})
		if err != nil {
			return "", fmt.Errorf("%s: %v", d, err)
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:16]), nil
}

func dirStamp(p string) string {
	fi, err := os.Stat(p)
	if err != nil {
		return "-"
	}
	return fmt.Sprintf("%d/%d", inode(fi), fi.ModTime().UnixNano())
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
		if fi, err := os.Lstat(metaFile); err != nil || !fi.Mode().IsRegular() {
			continue // not gox's: never listed, never removed
		}
		m, err := readMeta(metaFile)
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
	if _, err := os.Stat(filepath.Join(e.Dir, MetaFile)); err != nil {
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

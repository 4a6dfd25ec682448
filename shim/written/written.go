// Package written checks what a go command wrote against the plan's
// verification (plan.VerifyPlan): after the command, each file it wrote
// (named outputs, and files modified since it started in the output
// directories) must be a binary for the target. The plan decides what to
// check; this is carrying that out, after the fact.
package written

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gox-build/gox/shim/plan"
	"github.com/gox-build/gox/toolchain/objfile"
	"github.com/gox-build/gox/toolchain/verify"
)

// written lists the files of vp the command wrote: the named ones that
// exist, and in each directory the regular files modified since the
// command started. (go build and go test -c always write their output,
// even when it is up to date; go install does not rewrite an up-to-date
// binary, which then needs no new check.)
func written(vp *plan.VerifyPlan, since time.Time) []string {
	var files []string
	for _, f := range vp.Files {
		if fi, err := os.Stat(f); err == nil && fi.Mode().IsRegular() && !modifiedBefore(fi.ModTime(), since) {
			files = append(files, f)
		}
	}
	for _, d := range vp.Dirs {
		entries, err := os.ReadDir(d)
		if err != nil {
			continue
		}
		for _, e := range entries {
			if !e.Type().IsRegular() {
				continue
			}
			fi, err := e.Info()
			if err != nil || modifiedBefore(fi.ModTime(), since) {
				continue
			}
			files = append(files, filepath.Join(d, e.Name()))
		}
	}
	return files
}

// modifiedBefore compares a modification time with the command's start.
// A time of whole seconds comes from a file system that keeps no more, and
// is compared at that precision.
func modifiedBefore(mtime, since time.Time) bool {
	if mtime.Nanosecond() == 0 {
		return mtime.Before(since.Truncate(time.Second))
	}
	return mtime.Before(since)
}

// Report checks what the command wrote, prints what is wrong with which
// file to w, and returns the exit code: 0, or 1.
func Report(w io.Writer, vp *plan.VerifyPlan, since time.Time) int {
	lines, ok := Check(vp, since)
	for _, l := range lines {
		fmt.Fprintln(w, l)
	}
	if !ok {
		return 1
	}
	return 0
}

// Check verifies the files of vp the command wrote and returns the
// error lines ("gox: verify ./app: built for …") and whether all passed.
// Files in an output directory that are not binaries (c-archive's header,
// a user's notes written meanwhile) are skipped; a named output must be a
// binary.
func Check(vp *plan.VerifyPlan, since time.Time) (lines []string, ok bool) {
	ok = true
	named := map[string]bool{}
	for _, f := range vp.Files {
		named[f] = true
	}
	cwd, _ := os.Getwd()
	for _, f := range written(vp, since) {
		show := f
		if rel, err := filepath.Rel(cwd, f); err == nil && !strings.HasPrefix(rel, "..") {
			show = "." + string(filepath.Separator) + rel
		}
		b, err := objfile.Inspect(f)
		if err != nil {
			if named[f] {
				lines = append(lines, "gox: verify "+FileError(show, err))
				ok = false
			}
			continue
		}
		ps := verify.Verify(b, vp.Want)
		if len(ps) == 0 {
			continue
		}
		ok = false
		for _, p := range ps {
			lines = append(lines, fmt.Sprintf("gox: verify %s: %s", show, p))
		}
		lines = append(lines, fmt.Sprintf("gox: verify %s: the file is %s", show, b.Summary()))
	}
	return lines, ok
}

// FileError words a file that could not be read as a binary.
func FileError(file string, err error) string {
	var ie *objfile.InspectError
	if errors.As(err, &ie) {
		return ie.Error()
	}
	if errors.Is(err, os.ErrNotExist) {
		return file + ": no such file"
	}
	return err.Error()
}

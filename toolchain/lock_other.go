//go:build !unix

package toolchain

import (
	"errors"
	"os"
)

// LockFile is a no-op where gox has no file locks; the work it guards is
// written atomically and is only repeated, never corrupted, without it.
func LockFile(file string) (unlock func(), err error) {
	return func() {}, nil
}

// privateDir checks that dir is a directory.
func privateDir(dir string) error {
	fi, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return errors.New("not a directory")
	}
	return nil
}

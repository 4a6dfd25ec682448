//go:build !unix

package toolchain

import (
	"errors"
	"os"
)

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

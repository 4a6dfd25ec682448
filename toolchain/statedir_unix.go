//go:build unix

package toolchain

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// privateDir checks that dir is a directory (not a link) of this user's
// that no one else may write.
func privateDir(dir string) error {
	fi, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	switch {
	case !fi.IsDir():
		return errors.New("not a directory")
	case ok && int(st.Uid) != os.Getuid():
		return fmt.Errorf("owned by uid %d", st.Uid)
	case fi.Mode().Perm()&0o022 != 0:
		return fmt.Errorf("writable by others (%v)", fi.Mode().Perm())
	}
	return nil
}

//go:build unix

package toolchain

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// LockFile takes an exclusive lock on file (creating it), waiting for
// other processes that hold it. The lock dies with the process, so a
// killed gox never leaves one behind.
func LockFile(file string) (unlock func(), err error) {
	f, err := os.OpenFile(file, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return func() { f.Close() }, nil
}

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

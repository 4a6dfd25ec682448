//go:build unix

package toolchain

import (
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

//go:build unix

package cache

import "syscall"

// writable asks the kernel whether this process may create files in dir.
func writable(dir string) error {
	const wOK = 0x2
	return syscall.Access(dir, wOK)
}

package runners

import (
	"os"
	"path/filepath"
	"syscall"
)

// MountBinfmt mounts binfmt_misc at dir unless it is mounted already.
func MountBinfmt(dir string) error {
	if _, err := os.Stat(filepath.Join(dir, "register")); err == nil {
		return nil
	}
	return syscall.Mount("binfmt_misc", dir, "binfmt_misc", 0, "")
}

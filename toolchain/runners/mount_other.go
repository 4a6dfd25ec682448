//go:build !linux

package runners

import "errors"

// MountBinfmt is only possible on Linux.
func MountBinfmt(dir string) error { return errors.New("binfmt_misc exists only on Linux") }

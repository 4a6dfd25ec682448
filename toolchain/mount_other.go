//go:build !linux

package toolchain

import "errors"

// MountBinfmt is only possible on Linux.
func MountBinfmt(dir string) error { return errors.New("binfmt_misc exists only on Linux") }

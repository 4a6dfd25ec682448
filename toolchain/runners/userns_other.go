//go:build !linux

package runners

import (
	"errors"
	"syscall"
)

// NamespaceSupported reports whether this platform has namespaced
// binfmt_misc: only Linux does.
const NamespaceSupported = false

// OuterNamespace is nil off Linux.
func OuterNamespace(uid, gid int) *syscall.SysProcAttr { return nil }

// InnerNamespace is nil off Linux.
func InnerNamespace(uid, gid int) *syscall.SysProcAttr { return nil }

// SetUpNamespace fails off Linux.
func SetUpNamespace(registrations []string) error {
	return errors.New("binfmt_misc is Linux's")
}

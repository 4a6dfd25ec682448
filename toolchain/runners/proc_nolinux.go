//go:build unix && !linux

package runners

import "syscall"

// setParentDeathSignal has no equivalent here: gox's signal handling and
// the context's deadline end the group instead.
func setParentDeathSignal(*syscall.SysProcAttr) {}

//go:build !linux && !darwin

package toolchain

import "runtime"

// HostMachine assumes gox runs natively where it cannot ask.
func HostMachine() (goarch string, translated bool) { return runtime.GOARCH, false }

package toolchain

import (
	"syscall"

	"github.com/gox-build/gox/toolchain/arch"
)

// HostMachine is the machine's native GOARCH (the kernel's uname -m) and
// whether this process runs translated (never, on linux: an emulated
// process sees the emulated machine, which is why gox compares the go
// binary's own architecture with the kernel's).
func HostMachine() (goarch string, translated bool) {
	var u syscall.Utsname
	if err := syscall.Uname(&u); err != nil {
		return "", false
	}
	var b []byte
	for _, c := range u.Machine {
		if c == 0 {
			break
		}
		b = append(b, byte(c))
	}
	return arch.ByKernel(string(b)), false
}

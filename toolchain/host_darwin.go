package toolchain

import "golang.org/x/sys/unix"

// HostMachine is the machine's native GOARCH and whether this process
// runs under Rosetta 2. hw.optional.arm64 is 1 on Apple silicon even for
// a translated process, whose uname says x86_64.
func HostMachine() (goarch string, translated bool) {
	goarch = "amd64"
	if v, err := unix.SysctlUint32("hw.optional.arm64"); err == nil && v == 1 {
		goarch = "arm64"
	}
	if v, err := unix.SysctlUint32("sysctl.proc_translated"); err == nil && v == 1 {
		translated = true
	}
	return goarch, translated
}

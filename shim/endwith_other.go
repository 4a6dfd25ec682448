//go:build !linux

package shim

import "os/exec"

// endWithGox is Linux's: elsewhere a child gox started outlives a gox
// killed with SIGKILL (other signals gox forwards, and waits).
func endWithGox(cmd *exec.Cmd) {}

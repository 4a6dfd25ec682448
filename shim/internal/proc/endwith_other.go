//go:build !linux

package proc

import "os/exec"

// EndWithGox is Linux's: elsewhere a child gox started outlives a gox
// killed with SIGKILL (other signals gox forwards, and waits).
func EndWithGox(cmd *exec.Cmd) {}

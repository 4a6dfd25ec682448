//go:build !unix

package runner

import (
	"time"

	"github.com/gox-build/gox/shim/internal/proc"
)

// runWithDeadline has no process groups to end here: it runs the binary
// as proc.Exec does.
func (s *session) runWithDeadline(name, bin, path string, argv, env []string, timeout time.Duration, _ deadlineGrace) int {
	if err := proc.Exec(path, argv, env); err != nil {
		return s.Fail(err)
	}
	return 0
}

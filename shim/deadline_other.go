//go:build !unix

package shim

import "time"

// runWithDeadline has no process groups to end here: it runs the binary
// as execArgv does.
func (s *session) runWithDeadline(name, bin, path string, argv, env []string, timeout time.Duration, _ deadlineGrace) int {
	if err := execArgv(path, argv, env); err != nil {
		return s.Fail(err)
	}
	return 0
}

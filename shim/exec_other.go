//go:build !unix

package shim

import "os"

// execGo runs the real go as a child and exits with its status: Windows has
// no exec, so this is the best that can be done (cmd/go does the same).
func execGo(p Plan) error {
	code, err := runChild(p, os.Stdin, os.Stdout, os.Stderr)
	if err != nil {
		return err
	}
	os.Exit(code)
	return nil
}

func exitLikeChild(st *os.ProcessState) int { return st.ExitCode() }

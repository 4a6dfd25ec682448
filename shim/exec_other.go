//go:build !unix

package shim

import (
	"os"

	"github.com/gox-build/gox/toolchain"
)

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

// execArgv runs path as a child and exits with its status.
func execArgv(path string, argv []string, env []string) error {
	code, err := runChild(Plan{Go: toolchain.GoCommand{Path: path}, Args: argv, Env: env}, os.Stdin, os.Stdout, os.Stderr)
	if err != nil {
		return err
	}
	os.Exit(code)
	return nil
}

func noCoreDumps() {}

package plan

import (
	"github.com/gox-build/gox/shim/cmdline"
	"github.com/gox-build/gox/shim/internal/base"
)

// crossCommands are the go commands whose behaviour depends on the C
// toolchain of the target, so gox sets it up for them: the builders, and
// list, env and vet so that editors (gopls runs go list -compiled) see
// the same C compiler the build will use.
//
// These tables are switches, not maps: a package-level map is built at
// start-up, on the path of every go command.
func isCrossCommand(sub string) bool {
	switch sub {
	case "build", "install", "run", "test", "vet", "list", "env":
		return true
	}
	return false
}

// isStrictCommand reports commands that build binaries: for them a C
// toolchain that cannot be made right is an error. For the others gox
// does its best silently.
func isStrictCommand(sub string) bool {
	switch sub {
	case "build", "install", "run", "test":
		return true
	}
	return false
}

// crossCommand reports whether gox sets up the target's C toolchain for
// this command line. go env -w and -u write the GOENV file and must see
// the user's environment only.
func crossCommand(l cmdline.Line) bool {
	if !isCrossCommand(l.Sub) {
		return false
	}
	return l.Sub != "env" || !(l.Bool("w") || l.Bool("u"))
}

// runsBinaries reports go commands that run what they build: go run, and
// go test unless -c (go test -list runs the test binary to list).
func runsBinaries(l cmdline.Line) bool {
	switch l.Sub {
	case "run":
		return true
	case "test":
		return !l.Bool("c")
	}
	return false
}

// ParseGoxLine reads a command line given to gox under its own name: -target
// is gox's; a mistake in it is a usage error.
func ParseGoxLine(args []string, matrix bool) (cmdline.Line, error) {
	l, err := cmdline.Parse(args, cmdline.Options{Gox: true, Matrix: matrix})
	if err != nil {
		return cmdline.Line{}, base.UsageError{Err: err}
	}
	return l, nil
}

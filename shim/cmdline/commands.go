package cmdline

// isCrossCommand reports the go commands whose behaviour depends on the C
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

// Strict reports commands that build binaries: for them a C
// toolchain that cannot be made right is an error. For the others gox
// does its best silently.
func (l Line) Strict() bool {
	sub := l.Sub
	switch sub {
	case "build", "install", "run", "test":
		return true
	}
	return false
}

// Cross reports whether gox sets up the target's C toolchain for
// this command line. go env -w and -u write the GOENV file and must see
// the user's environment only.
func (l Line) Cross() bool {
	if !isCrossCommand(l.Sub) {
		return false
	}
	return l.Sub != "env" || !(l.Bool("w") || l.Bool("u"))
}

// RunsBinaries reports go commands that run what they build: go run, and
// go test unless -c (go test -list runs the test binary to list).
func (l Line) RunsBinaries() bool {
	switch l.Sub {
	case "run":
		return true
	case "test":
		return !l.Bool("c")
	}
	return false
}

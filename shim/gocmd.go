package shim

import (
	"strings"
)

// goInvocation is a go command line as gox sees it.
type goInvocation struct {
	// args is the argv for the real go after "go": the subcommand first,
	// with gox's own flags (-target) removed.
	args []string
	// target is gox's -target value, "" when not given.
	target string
}

func (g goInvocation) sub() string {
	if len(g.args) == 0 {
		return ""
	}
	return g.args[0]
}

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
func (g goInvocation) crossCommand() bool {
	if !isCrossCommand(g.sub()) {
		return false
	}
	if g.sub() == "env" {
		for _, a := range g.args[1:] {
			if a == "-w" || a == "-u" || a == "--w" || a == "--u" {
				return false
			}
		}
	}
	return true
}

// extractTarget removes gox's -target flag from a go command line. It
// looks only where the go command takes flags: before "--", "-args", and
// for go run before the package, so a program's own -target argument is
// left alone. -target given twice is a mistake, and so is one after the
// packages of a command that reads no flags there (all but go test).
func extractTarget(args []string) (goInvocation, error) {
	if len(args) == 0 {
		return goInvocation{}, nil
	}
	inv := goInvocation{args: []string{args[0]}}
	rest := args[1:]
	sawPackage := ""
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		if endsFlags(a) || (args[0] == "run" && !strings.HasPrefix(a, "-")) {
			inv.args = append(inv.args, rest[i:]...)
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-"), "=")
		if strings.HasPrefix(a, "-") && name == "target" {
			if !hasValue {
				if i+1 >= len(rest) {
					return goInvocation{}, usagef("flag needs an argument: -target")
				}
				i++
				value = rest[i]
			}
			if value == "" {
				return goInvocation{}, usagef("-target needs a target such as linux/arm64")
			}
			if inv.target != "" {
				return goInvocation{}, usagef("-target given twice (%s, then %s): name several targets as one list, -target %s,%s", inv.target, value, inv.target, value)
			}
			if sawPackage != "" && args[0] != "test" {
				return goInvocation{}, usagef("-target %s comes after the package %s: go %s reads no flags after its packages; put it before", value, sawPackage, args[0])
			}
			inv.target = value
			continue
		}
		if !strings.HasPrefix(a, "-") && sawPackage == "" {
			sawPackage = a
		}
		inv.args = append(inv.args, a)
		// Skip the value of a go flag that takes one, so that it is never
		// taken for -target or a package.
		if strings.HasPrefix(a, "-") && !hasValue && isValueFlag(name) && i+1 < len(rest) {
			i++
			inv.args = append(inv.args, rest[i])
		}
	}
	return inv, nil
}

// endsFlags reports the arguments after which the go command reads no
// more flags of its own: "--", and go test's -args (which the flag package
// also accepts as --args).
func endsFlags(a string) bool { return a == "--" || a == "-args" || a == "--args" }

// isValueFlag reports the flags of go build, test, run, list and vet that
// take a separate value (go help build, go help testflag).
func isValueFlag(name string) bool {
	switch strings.TrimPrefix(name, "test.") {
	case "C", "o", "p", "asmflags", "buildmode", "compiler", "gccgoflags", "gcflags", "installsuffix",
		"ldflags", "mod", "modfile", "overlay", "pgo", "pkgdir", "tags", "toolexec", "covermode",
		"coverpkg", "exec", "vettool", "f", "reuse", "vet",
		"debug-actiongraph", "debug-runtime-trace", "debug-trace",
		// go test flags
		"bench", "benchtime", "blockprofile", "blockprofilerate", "count", "coverprofile", "cpu",
		"cpuprofile", "fuzz", "fuzzminimizetime", "fuzztime", "list", "memprofile", "memprofilerate",
		"mutexprofile", "mutexprofilefraction", "outputdir", "parallel", "run", "skip", "shuffle",
		"timeout", "trace":
		return true
	}
	return false
}

// packagesOf lists the package arguments of a go command line (after the
// subcommand), for asking go list about them. It defaults to ".".
func packagesOf(sub string, args []string) []string {
	var pkgs []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if endsFlags(a) {
			break
		}
		if strings.HasPrefix(a, "-") {
			name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
			if !hasValue && isValueFlag(name) {
				i++
			}
			continue
		}
		pkgs = append(pkgs, a)
		if sub == "run" {
			// go run takes one package, or .go files, then the program's
			// arguments.
			if !strings.HasSuffix(a, ".go") {
				break
			}
			for i+1 < len(args) && strings.HasSuffix(args[i+1], ".go") {
				i++
				pkgs = append(pkgs, args[i])
			}
			break
		}
	}
	if len(pkgs) == 0 {
		return []string{"."}
	}
	return pkgs
}

// listFlags are the build flags that change which packages go list sees.
func listFlags(args []string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if endsFlags(a) {
			break
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") {
			continue
		}
		switch name {
		case "C":
			// -C must come first, and names the directory go list works in.
			c := []string{a}
			if !hasValue && i+1 < len(args) {
				i++
				c = append(c, args[i])
			}
			out = append(c, out...)
		case "tags", "mod", "modfile", "overlay":
			out = append(out, a)
			if !hasValue && i+1 < len(args) {
				i++
				out = append(out, args[i])
			}
		default:
			if !hasValue && isValueFlag(name) {
				i++
			}
		}
	}
	return out
}

// hasFlag reports a boolean go flag set on the command line (-name,
// --name, -name=true), before the flags end.
func hasFlag(args []string, name string) bool {
	on := false
	for _, a := range args {
		if endsFlags(a) {
			break
		}
		n, v, hasValue := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-"), "=")
		if strings.HasPrefix(a, "-") && n == name {
			on = !hasValue || v == "true" || v == "1"
		}
	}
	return on
}

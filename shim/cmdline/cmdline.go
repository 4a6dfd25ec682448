// Package cmdline reads a go command line the way the go command does, once,
// into one model that every part of gox asks: which subcommand, which flags
// with which values (GOFLAGS included), which packages, and which arguments
// belong to the program or test binary rather than to the go command.
//
// The rules are cmd/go's own (cmd/go/internal/cmdflag.ParseOne, the flag sets
// of build, install, run, test, list and vet, and go test's testFlags):
//
//   - -name, --name, -name=value, and -name value for flags that take one;
//     a boolean flag never takes the next word. "--" ends the flags.
//   - go build, install, list and vet stop reading flags at the first
//     non-flag: everything after it is a package, even "-o".
//   - go run stops at its package (or its .go files): the rest is the
//     program's, so "go run . -target x" passes -target to the program.
//   - go test reads flags before and after its packages; -args and --args
//     end them, flags it does not know are the test binary's, and a word
//     after the package list that cannot be a flag's value starts the test
//     binary's arguments.
//
// gox's own -target flag is recognised only when Options.Gox says the command
// line is gox's (run as "gox"), and only where the go command reads flags.
//
// Which flags take a value is a table of switches (flagKind), not a map, so
// that nothing is built at start-up on the path of every go command.
package cmdline

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Line is one parsed go command line.
type Line struct {
	// Sub is the subcommand ("build", "test", …), "" when there is none.
	Sub string
	// Words are the arguments after the subcommand exactly as given, gox's
	// own flags included. Flags index into it.
	Words []string
	// Flags are the flags the go command (or gox) reads, in order.
	Flags []Flag
	// Packages are the package arguments (or go run's .go files) as given;
	// empty means the go command's default, the current directory.
	Packages []string
	// Program are the arguments the go command passes on: to the program
	// (go run) or the test binary (go test: unknown flags, what follows
	// -args, and "--" with what follows it).
	Program []string
	// Target is gox's -target, "" when not given.
	Target string
	// GOFLAGS are the flags of the GOFLAGS setting that this subcommand
	// defines; the go command applies them before the command line's.
	GOFLAGS []Flag
}

// Flag is one flag of a command line.
type Flag struct {
	// Name is the flag's name without dashes, and without go test's
	// "test." prefix for the flags go test passes to the test binary.
	Name string
	// Value is the flag's value; "true" for a boolean flag given bare.
	Value string
	// Known says the subcommand defines the flag (or it is gox's own).
	Known bool
	// Gox says the flag is gox's own: it is not passed to the real go.
	Gox bool
	// At and N locate the flag in Line.Words: Words[At : At+N] (N is 2
	// when the value is the next word). For a GOFLAGS flag both are 0.
	At, N int
}

// Options say how to read a command line.
type Options struct {
	// Gox says the command line was given to gox under its own name, so
	// -target is gox's flag. Run as "go", gox takes no flags.
	Gox bool
	// Matrix says the line builds for several targets: -parallel, -skip,
	// -failfast and -json of go build, install and test -c are then gox's
	// (go build's -json describes one build; go test -c runs no tests).
	Matrix bool
}

// Error is a command line gox cannot accept; the caller reports it as a
// usage error.
type Error struct{ Msg string }

func (e *Error) Error() string { return e.Msg }

func errorf(format string, a ...any) error { return &Error{fmt.Sprintf(format, a...)} }

// kind is what a flag takes.
type kind uint8

const (
	unknown kind = iota
	boolean
	valued
)

// Parse reads args, the command line after "go" (subcommand first).
func Parse(args []string, opt Options) (Line, error) {
	if len(args) == 0 {
		return Line{}, nil
	}
	l := Line{Sub: args[0], Words: args[1:]}
	switch l.Sub {
	case "build", "install", "run", "test", "list", "vet", "env", "clean", "get", "generate", "doc", "fix":
	default:
		// Commands gox never plans for (go mod, go tool, go version, …):
		// their arguments are theirs.
		return l, nil
	}
	words := l.Words
	inPkgs := false    // go test: in the package list
	sawPkgs := false   // go test: the package list is over
	afterBare := false // go test: the previous word was a flag without a value
	for i := 0; i < len(words); {
		w := words[i]
		if w == "--" {
			if l.Sub == "test" {
				l.Program = append(l.Program, words[i:]...)
			} else {
				l.Packages = append(l.Packages, words[i+1:]...)
			}
			break
		}
		if !isFlagWord(w) {
			switch l.Sub {
			case "test":
				if !inPkgs && sawPkgs {
					if afterBare {
						// maybe the value of an unknown flag: go test
						// passes it on and keeps reading flags
						l.Program = append(l.Program, w)
						afterBare = false
						i++
						continue
					}
					l.Program = append(l.Program, words[i:]...)
					i = len(words)
					continue
				}
				inPkgs, sawPkgs = true, true
				l.Packages = append(l.Packages, w)
				i++
				continue
			case "run":
				l.runPackages(i)
			default:
				l.Packages = append(l.Packages, words[i:]...)
			}
			break
		}
		inPkgs, afterBare = false, false
		name, value, hasValue := strings.Cut(strings.TrimPrefix(w[1:], "-"), "=")
		if l.Sub == "test" && (w == "-args" || w == "--args") {
			l.Program = append(l.Program, words[i+1:]...)
			break
		}
		f := Flag{Name: name, At: i, N: 1}
		k := flagKind(l.Sub, name)
		if l.Sub == "test" && k == unknown {
			if short, ok := strings.CutPrefix(name, "test."); ok && passedToTest(short) {
				f.Name, k = short, flagKind("test", short)
			}
		}
		if opt.Gox && name == "target" {
			k, f.Gox = valued, true
		}
		if opt.Gox && opt.Matrix {
			switch name {
			case "parallel", "skip":
				k, f.Gox = valued, true
			case "failfast", "json":
				k, f.Gox = boolean, true
			}
		}
		f.Known = k != unknown
		switch {
		case hasValue:
			f.Value = value
		case k == valued:
			if i+1 >= len(words) {
				return Line{}, errorf("flag needs an argument: -%s", name)
			}
			f.Value, f.N = words[i+1], 2
		default:
			f.Value = "true"
		}
		if f.Gox && f.Name == "target" {
			if err := l.setTarget(f); err != nil {
				return Line{}, err
			}
		}
		if l.Sub == "test" && !f.Known && !f.Gox {
			// go test passes flags it does not know to the test binary,
			// and from then on reads no more package names.
			l.Program = append(l.Program, w)
			sawPkgs = true
			afterBare = !hasValue
		} else if l.Sub == "test" && len(l.Packages) > 0 {
			sawPkgs = true
		}
		l.Flags = append(l.Flags, f)
		i += f.N
	}
	if opt.Gox && l.Sub != "run" && l.Sub != "test" && !slices.ContainsFunc(l.Flags, func(f Flag) bool { return !f.Known }) {
		// (After a flag it does not define, the go command refuses the
		// line with its own words before it reaches the packages.)
		// go build and the others read no flags after their packages: a
		// -target there would reach the go command as a package.
		for i, p := range l.Packages {
			if !isFlagWord(p) {
				continue
			}
			name, value, hasValue := strings.Cut(strings.TrimPrefix(p[1:], "-"), "=")
			if name != "target" {
				continue
			}
			if !hasValue && i+1 < len(l.Packages) {
				value = l.Packages[i+1]
			}
			return Line{}, errorf("-target %s comes after the package %s: go %s reads no flags after its packages; put it before", value, l.Packages[0], l.Sub)
		}
	}
	return l, nil
}

// runPackages reads go run's package, or its .go files, from Words[i:] and
// the program's arguments after them.
func (l *Line) runPackages(i int) {
	words := l.Words
	if !strings.HasSuffix(words[i], ".go") {
		l.Packages = append(l.Packages, words[i])
		i++
	} else {
		for i < len(words) && strings.HasSuffix(words[i], ".go") {
			l.Packages = append(l.Packages, words[i])
			i++
		}
	}
	l.Program = append(l.Program, words[i:]...)
}

// setTarget records gox's -target, refusing it twice or where the go command
// would not read it.
func (l *Line) setTarget(f Flag) error {
	if f.Value == "" {
		return errorf("-target needs a target such as linux/arm64")
	}
	if l.Target != "" {
		return errorf("-target given twice (%s, then %s): name several targets as one list, -target %s,%s", l.Target, f.Value, l.Target, f.Value)
	}
	l.Target = f.Value
	return nil
}

// isFlagWord reports a word the flag package reads as a flag: "-x", "--x",
// not "-", "--" or "-=x".
func isFlagWord(w string) bool {
	if strings.HasPrefix(w, "--") {
		w = w[1:]
	}
	return len(w) >= 2 && w[0] == '-' && w[1] != '-' && w[1] != '='
}

// WithGOFLAGS returns the line with the GOFLAGS setting's flags that the
// subcommand defines (the go command ignores the others for it). GOFLAGS is
// a space-separated list of -flag or -flag=value.
func (l Line) WithGOFLAGS(goflags string) Line {
	l.GOFLAGS = nil
	for _, w := range strings.Fields(goflags) {
		if !isFlagWord(w) {
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimPrefix(w[1:], "-"), "=")
		k := flagKind(l.Sub, name)
		if k == unknown {
			continue
		}
		if !hasValue {
			if k == valued {
				continue // the go command refuses it; nothing to read
			}
			value = "true"
		}
		l.GOFLAGS = append(l.GOFLAGS, Flag{Name: name, Value: value, Known: true})
	}
	return l
}

// Lookup returns the value of the named go flag: its last setting on the
// command line, else in GOFLAGS. Flags the subcommand does not define are
// not go flags (the go command refuses them, or go test passes them on).
func (l Line) Lookup(name string) (string, bool) {
	for i := len(l.Flags) - 1; i >= 0; i-- {
		if f := l.Flags[i]; f.Name == name && f.Known && !f.Gox {
			return f.Value, true
		}
	}
	for i := len(l.GOFLAGS) - 1; i >= 0; i-- {
		if l.GOFLAGS[i].Name == name {
			return l.GOFLAGS[i].Value, true
		}
	}
	return "", false
}

// GoxValue is the value of gox's own named flag, "" when not set; the last
// one counts.
func (l Line) GoxValue(name string) (string, bool) {
	for i := len(l.Flags) - 1; i >= 0; i-- {
		if f := l.Flags[i]; f.Name == name && f.Gox {
			return f.Value, true
		}
	}
	return "", false
}

// Value is the named flag's value, "" when not set.
func (l Line) Value(name string) string {
	v, _ := l.Lookup(name)
	return v
}

// Bool reports whether the named boolean flag is on, as the flag package
// reads its value.
func (l Line) Bool(name string) bool {
	v, ok := l.Lookup(name)
	if !ok {
		return false
	}
	on, err := strconv.ParseBool(v)
	return err == nil && on
}

// Has reports whether the named flag is set at all.
func (l Line) Has(name string) bool {
	_, ok := l.Lookup(name)
	return ok
}

// PackagesOrDot is Packages, or "." when there are none: what the go
// command builds.
func (l Line) PackagesOrDot() []string {
	if len(l.Packages) == 0 {
		return []string{"."}
	}
	return l.Packages
}

// GoArgs is the argv for the real go after "go": the subcommand and the
// words as given, less gox's own flags.
func (l Line) GoArgs() []string {
	if l.Sub == "" && l.Words == nil {
		// no words at all (Parse of an empty command line); an empty
		// first word is the go command's to refuse ("go : unknown
		// command"), so it is kept
		return nil
	}
	out := make([]string, 0, len(l.Words)+1)
	out = append(out, l.Sub)
	skip := 0
	for _, f := range l.Flags {
		if !f.Gox {
			continue
		}
		out = append(out, l.Words[skip:f.At]...)
		skip = f.At + f.N
	}
	return append(out, l.Words[skip:]...)
}

// FlagWords are the words of the go flags (not gox's) for which keep
// returns true, in order, each with its value.
func (l Line) FlagWords(keep func(Flag) bool) []string {
	var out []string
	for _, f := range l.Flags {
		if f.Gox || (keep != nil && !keep(f)) {
			continue
		}
		out = append(out, l.Words[f.At:f.At+f.N]...)
	}
	return out
}

// ListFlags are the flags that change which packages go list finds and
// what it says about them: -C first (the go command wants it first), then
// -tags, -mod, -modfile, -overlay and -pgo.
func (l Line) ListFlags() []string {
	var out []string
	if f, ok := l.flag("C"); ok {
		out = append(out, l.Words[f.At:f.At+f.N]...)
	}
	return append(out, l.FlagWords(func(f Flag) bool {
		switch f.Name {
		case "tags", "mod", "modfile", "overlay", "pgo":
			return true
		}
		return false
	})...)
}

func (l Line) flag(name string) (Flag, bool) {
	for i := len(l.Flags) - 1; i >= 0; i-- {
		if l.Flags[i].Name == name && !l.Flags[i].Gox {
			return l.Flags[i], true
		}
	}
	return Flag{}, false
}

// flagKind is the go command's flag table: what the named flag of the
// subcommand takes (go help build, go help testflag, cmd/go's flag sets).
func flagKind(sub, name string) kind {
	switch sub {
	case "build", "install", "run", "test", "list", "vet", "clean", "get":
	case "env":
		switch name {
		case "json", "u", "w", "changed":
			return boolean
		}
		return unknown
	default:
		return unknown
	}
	// flags only some of the build commands define
	switch sub {
	case "build":
		if name == "o" {
			return valued
		}
	case "run":
		if name == "exec" {
			return valued
		}
	case "test":
		switch name {
		case "o", "exec", "vet":
			return valued
		case "c", "json":
			return boolean
		}
		if k := testBinaryFlag(name); k != unknown {
			return k
		}
	case "list":
		switch name {
		case "json", "compiled", "deps", "e", "export", "find", "m", "retracted", "test", "u", "versions":
			return boolean
		case "f", "reuse":
			return valued
		}
	case "vet":
		switch name {
		case "fix", "diff", "json":
			return boolean
		case "c", "vettool":
			return valued
		}
	}
	// the build flags every one of them defines (cmd/go/internal/work.AddBuildFlags, AddCoverFlags)
	switch name {
	case "a", "n", "x", "v", "asan", "json", "linkshared", "msan", "race", "trimpath", "work", "modcacherw",
		"buildvcs", "cover":
		return boolean
	case "C", "p", "asmflags", "compiler", "buildmode", "gcflags", "gccgoflags", "mod", "modfile", "overlay",
		"installsuffix", "ldflags", "pgo", "pkgdir", "tags", "toolexec", "covermode", "coverpkg",
		"debug-actiongraph", "debug-runtime-trace", "debug-trace":
		return valued
	}
	return unknown
}

// testBinaryFlag is what the flags go test reads and passes on to the test
// binary take (cmd/go/internal/test/testflag.go).
func testBinaryFlag(name string) kind {
	switch name {
	case "artifacts", "benchmem", "failfast", "fullpath", "short", "v":
		return boolean
	case "bench", "benchtime", "blockprofile", "blockprofilerate", "count", "coverprofile", "cpu", "cpuprofile",
		"fuzz", "fuzzminimizetime", "fuzztime", "list", "memprofile", "memprofilerate", "mutexprofile",
		"mutexprofilefraction", "outputdir", "parallel", "run", "shuffle", "skip", "timeout", "trace":
		return valued
	}
	return unknown
}

// passedToTest reports the flags go test also accepts as -test.<name>: the
// ones it passes to the test binary (cmd/go/internal/test.passFlagToTest).
func passedToTest(name string) bool { return testBinaryFlag(name) != unknown }

// Package bench measures gox against the real go command in one run, with
// the commands alternating, so that the machine's drift hits every variant
// alike. It prints medians and the ratios the project's goals are stated in:
//
//   - gox/minimal: gox against a Go program that does nothing but exec the
//     real go, the floor for any shim written in Go (its runtime start-up);
//   - gox/real: gox against the real go itself.
//
// Timings are wall-clock, of whole processes, as a user or an editor sees
// them. Performance goals live here, never in timed unit tests.
package bench

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Main runs the benchmark with command-line args and returns an exit code:
// 0 when it ran (whether or not a goal was met: the figures are the
// result), 1 when it could not run, 2 for usage errors.
func Main(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("goxbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	runs := fs.Int("runs", 25, "timed runs of each variant of each command (alternating)")
	keep := fs.Bool("keep", false, "keep the work directory")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *runs < 5 {
		fmt.Fprintln(stderr, "goxbench: -runs must be at least 5")
		return 2
	}
	w, err := setup()
	if err != nil {
		fmt.Fprintf(stderr, "goxbench: %v\n", err)
		return 1
	}
	if !*keep {
		defer os.RemoveAll(w.dir)
	} else {
		fmt.Fprintf(stderr, "goxbench: work directory %s\n", w.dir)
	}
	fmt.Fprintf(stdout, "goxbench: %d alternating runs per variant; real go %s\n\n", *runs, w.realGo)
	fmt.Fprintf(stdout, "%-32s %9s %9s %9s %9s %11s  %s\n", "command", "real", "minimal", "gox", "gox/real", "gox/minimal", "goal")
	for _, c := range passthroughCases(w) {
		res, err := measure(w, c, *runs)
		if err != nil {
			fmt.Fprintf(stderr, "goxbench: %s: %v\n", c.name, err)
			return 1
		}
		report(stdout, c, res)
	}
	return 0
}

// work is the directory with the binaries and module the benchmark uses.
type work struct {
	dir     string
	realGo  string
	gox     string // gox installed as go (a symlink named go)
	minimal string // the exec-only program, named go
	module  string // a module of a few dozen packages
	env     []string
}

// variant is one way of running "go": by its path.
type variant struct {
	name string
	path string
}

// benchCase is one command line measured through each variant.
type benchCase struct {
	name     string
	args     []string
	dir      string
	variants []variant
	goal     goal
}

// goal is a ratio the project promises: the ratio named by of must be at
// most max.
type goal struct {
	of  string // "gox/real" or "gox/minimal"
	max float64
}

func passthroughCases(w *work) []benchCase {
	all := []variant{{"real", w.realGo}, {"minimal", w.minimal}, {"gox", w.gox}}
	return []benchCase{
		{name: "go version", args: []string{"version"}, dir: w.dir, variants: all, goal: goal{"gox/minimal", 1.05}},
		{name: "go env GOOS", args: []string{"env", "GOOS"}, dir: w.dir, variants: all, goal: goal{"gox/minimal", 1.05}},
		{name: "go list -deps -json ./... (40 pkgs)", args: []string{"list", "-deps", "-json", "./..."}, dir: w.module, variants: all, goal: goal{"gox/real", 1.02}},
	}
}

func setup() (*work, error) {
	realGo, err := exec.LookPath("go")
	if err != nil {
		return nil, err
	}
	if realGo, err = filepath.Abs(realGo); err != nil {
		return nil, err
	}
	// goxbench may itself run under gox: measure against what it execs.
	if out, err := exec.Command(realGo, "env", "GOROOT").Output(); err == nil {
		realGo = filepath.Join(strings.TrimSpace(string(out)), "bin", "go")
	}
	dir, err := os.MkdirTemp("", "goxbench")
	if err != nil {
		return nil, err
	}
	w := &work{dir: dir, realGo: realGo}
	goxBin := filepath.Join(dir, "bin", "gox")
	if out, err := exec.Command(realGo, "build", "-o", goxBin, "github.com/gox-build/gox/cmd/gox").CombinedOutput(); err != nil {
		return nil, fmt.Errorf("building gox: %v\n%s", err, out)
	}
	w.gox = filepath.Join(dir, "shim", "go")
	os.MkdirAll(filepath.Dir(w.gox), 0o755)
	if err := os.Symlink(goxBin, w.gox); err != nil {
		return nil, err
	}
	if w.minimal, err = buildMinimal(dir, realGo); err != nil {
		return nil, err
	}
	if w.module, err = writeModule(filepath.Join(dir, "mod"), 40); err != nil {
		return nil, err
	}
	w.env = append(os.Environ(), "PATH="+filepath.Dir(realGo)+string(filepath.ListSeparator)+os.Getenv("PATH"))
	return w, nil
}

// buildMinimal builds the floor: a Go program that execs the real go.
func buildMinimal(dir, realGo string) (string, error) {
	src := filepath.Join(dir, "minimal")
	os.MkdirAll(src, 0o755)
	prog := fmt.Sprintf(`package main

import (
	"os"
	"syscall"
)

func main() {
	err := syscall.Exec(%q, append([]string{"go"}, os.Args[1:]...), os.Environ())
	println(err.Error())
	os.Exit(1)
}
`, realGo)
	if err := os.WriteFile(filepath.Join(src, "main.go"), []byte(prog), 0o644); err != nil {
		return "", err
	}
	os.WriteFile(filepath.Join(src, "go.mod"), []byte("module minimal\n\ngo 1.26\n"), 0o644)
	out := filepath.Join(dir, "minimal", "bin", "go")
	cmd := exec.Command(realGo, "build", "-o", out, ".")
	cmd.Dir = src
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building the minimal exec program: %v\n%s", err, b)
	}
	return out, nil
}

// writeModule writes a module of n packages, each importing the previous
// one and a few standard packages: the shape gopls asks go list about.
func writeModule(dir string, n int) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/benchmod\n\ngo 1.26\n"), 0o644)
	std := []string{"fmt", "strings", "sort", "bytes", "errors", "io", "os", "strconv"}
	for i := 0; i < n; i++ {
		pkg := fmt.Sprintf("p%02d", i)
		var b strings.Builder
		fmt.Fprintf(&b, "package %s\n\nimport (\n", pkg)
		s1, s2 := std[i%len(std)], std[(i+3)%len(std)]
		fmt.Fprintf(&b, "\t_ %q\n\t_ %q\n", s1, s2)
		if i > 0 {
			fmt.Fprintf(&b, "\t_ \"example.com/benchmod/p%02d\"\n", i-1)
		}
		fmt.Fprintf(&b, ")\n\nfunc F%d() int { return %d }\n", i, i)
		os.MkdirAll(filepath.Join(dir, pkg), 0o755)
		if err := os.WriteFile(filepath.Join(dir, pkg, pkg+".go"), []byte(b.String()), 0o644); err != nil {
			return "", err
		}
	}
	return dir, nil
}

// measure runs each variant of c runs times, alternating, after one
// warm-up run each, and returns the durations by variant name.
func measure(w *work, c benchCase, runs int) (map[string][]time.Duration, error) {
	res := map[string][]time.Duration{}
	for i := -1; i < runs; i++ {
		for _, v := range c.variants {
			cmd := exec.Command(v.path, c.args...)
			cmd.Dir = c.dir
			cmd.Env = w.env
			start := time.Now()
			out, err := cmd.CombinedOutput()
			d := time.Since(start)
			if err != nil {
				return nil, fmt.Errorf("%s (%s): %v\n%s", v.name, v.path, err, out)
			}
			if i >= 0 {
				res[v.name] = append(res[v.name], d)
			}
		}
	}
	return res, nil
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func report(w io.Writer, c benchCase, res map[string][]time.Duration) {
	m := map[string]time.Duration{}
	for name, ds := range res {
		m[name] = median(ds)
	}
	ratio := map[string]float64{
		"gox/real":    float64(m["gox"]) / float64(m["real"]),
		"gox/minimal": float64(m["gox"]) / float64(m["minimal"]),
	}
	verdict := "-"
	if c.goal.of != "" {
		r := ratio[c.goal.of]
		verdict = fmt.Sprintf("%s <= %.2f: ", c.goal.of, c.goal.max)
		if r <= c.goal.max {
			verdict += "met"
		} else {
			verdict += "MISSED"
		}
	}
	ms := func(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d)/1e6) }
	fmt.Fprintf(w, "%-32s %9s %9s %9s %9.3f %11.3f  %s\n", c.name, ms(m["real"]), ms(m["minimal"]), ms(m["gox"]), ratio["gox/real"], ratio["gox/minimal"], verdict)
}

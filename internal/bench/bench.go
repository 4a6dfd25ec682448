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
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gox-build/gox/cache"
	"github.com/gox-build/gox/shim/config"
	"github.com/gox-build/gox/toolchain"
	"github.com/gox-build/gox/toolchain/compilers"
	"github.com/gox-build/gox/toolchain/objfile"
	"github.com/gox-build/gox/toolchain/verify"
)

// Main runs the benchmark with command-line args and returns an exit code:
// 0 when it ran (whether or not a goal was met: the figures are the
// result), 1 when it could not run, 2 for usage errors.
func Main(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("goxbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	runs := fs.Int("runs", 25, "timed runs of each variant of each command (alternating)")
	keep := fs.Bool("keep", false, "keep the work directory")
	matrix := fs.String("matrix", "", "run only the matrix build benchmark, with these -parallel values (e.g. 1,2,3); takes minutes")
	baseline := fs.String("baseline", "", "a gox binary of another revision: its cross planning (gox -n) is the 'real' column of the planning case")
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
	if *matrix != "" {
		var pars []int
		for _, f := range strings.Split(*matrix, ",") {
			n, err := strconv.Atoi(f)
			if err != nil || n < 1 {
				fmt.Fprintf(stderr, "goxbench: -matrix %s: want numbers such as 1,2,3\n", *matrix)
				return 2
			}
			pars = append(pars, n)
		}
		if err := runMatrixBench(w, stdout, pars); err != nil {
			fmt.Fprintf(stderr, "goxbench: matrix: %v\n", err)
			return 1
		}
		return 0
	}
	fmt.Fprintf(stdout, "goxbench: %d alternating runs per variant; real go %s\n\n", *runs, w.realGo)
	fmt.Fprintf(stdout, "%-44s %9s %9s %9s %9s %11s  %s\n", "command", "real", "minimal", "gox", "gox/real", "gox/minimal", "goal")
	cases := passthroughCases(w)
	cross, err := crossCases(w, *baseline)
	if err != nil {
		fmt.Fprintf(stderr, "goxbench: cross cases skipped: %v\n", err)
	}
	cases = append(cases, cross...)
	for _, c := range cases {
		res, err := measure(w, c, *runs)
		if err != nil {
			fmt.Fprintf(stderr, "goxbench: %s: %v\n", c.name, err)
			return 1
		}
		report(stdout, c, res)
	}
	if err := verifyInProcess(stdout, w.realGo, *runs); err != nil {
		fmt.Fprintf(stderr, "goxbench: verify: %v\n", err)
		return 1
	}
	cacheDirInProcess(stdout, w.dir, *runs)
	configInProcess(stdout, w.dir, *runs)
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

// variant is one way of running "go": by its path, with extra
// environment variables.
type variant struct {
	name string
	path string
	env  []string
}

// benchCase is one command line measured through each variant.
type benchCase struct {
	name     string
	args     []string
	argsFor  map[string][]string // per-variant arguments, where they differ
	dir      string
	variants []variant
	goal     goal
}

// goal is a ratio the project promises: the ratio named by of must be at
// most max. With of "gox ms", max is an absolute time in milliseconds.
type goal struct {
	of  string // "gox/real", "gox/minimal" or "gox ms"
	max float64
}

func passthroughCases(w *work) []benchCase {
	all := []variant{{"real", w.realGo, nil}, {"minimal", w.minimal, nil}, {"gox", w.gox, nil}}
	return []benchCase{
		{name: "go version", args: []string{"version"}, dir: w.dir, variants: all, goal: goal{"gox/minimal", 1.05}},
		{name: "go env GOOS", args: []string{"env", "GOOS"}, dir: w.dir, variants: all, goal: goal{"gox/minimal", 1.05}},
		{name: "go list -deps -json ./... (40 pkgs)", args: []string{"list", "-deps", "-json", "./..."}, dir: w.module, variants: all, goal: goal{"gox/real", 1.02}},
	}
}

// crossCases measure what gox adds to a cross build: a warm cgo build for
// linux/arm64 through gox with only GOOS/GOARCH set, against the real go
// given by hand exactly the variables gox sets (read from gox -n), and gox
// doctor with a warm probe cache.
func crossCases(w *work, baseline string) ([]benchCase, error) {
	target := []string{"GOOS=linux", "GOARCH=arm64"}
	goxBin := filepath.Join(filepath.Dir(filepath.Dir(w.gox)), "bin", "gox")
	plan := exec.Command(goxBin, "-n", "build", "-o", os.DevNull, "./cgoprog")
	plan.Dir = w.module
	plan.Env = append(append([]string(nil), w.env...), target...)
	out, err := plan.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("gox -n build for linux/arm64: %v\n%s", err, out)
	}
	byHand := append([]string(nil), target...)
	for _, line := range strings.Split(string(out), "\n") {
		if kv, ok := strings.CutPrefix(line, "export "); ok {
			name, value, _ := strings.Cut(kv, "=")
			byHand = append(byHand, name+"="+unquote(value))
		}
	}
	if len(byHand) == len(target) {
		return nil, fmt.Errorf("gox set nothing for linux/arm64 (no cross compiler?):\n%s", out)
	}
	build := []string{"build", "-o", os.DevNull, "./cgoprog"}
	// With a real output file gox verifies what the build wrote.
	buildOut := []string{"build", "-o", filepath.Join(w.dir, "cgoprog.out"), "./cgoprog"}
	noVerify := append(append([]string(nil), target...), "GOX_VERIFY=off")
	// go test under qemu: gox's runner against -exec given by hand.
	var testByHand []string
	for _, kv := range byHand {
		if !strings.HasPrefix(kv, "PATH=") {
			testByHand = append(testByHand, kv)
		}
	}
	qemu, err := exec.LookPath("qemu-aarch64")
	if err != nil {
		return nil, err
	}
	test := []string{"test", "-count=1", "./cgoprog"}
	testHand := []string{"test", "-count=1", "-exec", qemu + " -L /usr/aarch64-linux-gnu", "./cgoprog"}
	// Planning alone: gather (warm probe caches) and decide, printed by
	// gox -n; against another revision's gox when -baseline names one.
	planArgs := []string{"-n", "test", "-target", "linux/arm64", "./cgoprog"}
	// gox -n keeps no probe verdict: one real run first, as on a machine
	// in use, so the planning case reads them as gox does every day.
	// (The baseline too: another revision may keep its verdicts elsewhere.)
	for _, bin := range []string{goxBin, baseline} {
		if bin == "" {
			continue
		}
		warm := exec.Command(bin, "test", "-count=1", "-run", "^$", "-target", "linux/arm64", "./cgoprog")
		warm.Dir, warm.Env = w.module, w.env
		_ = warm.Run()
	}
	planCase := benchCase{name: "gox -n test -target linux/arm64 (planning)", args: planArgs, dir: w.module,
		variants: []variant{{"gox", goxBin, nil}}, goal: goal{"gox ms", 10}}
	if baseline != "" {
		planCase.name = "  planning, real = -baseline gox"
		planCase.variants = []variant{{"real", baseline, nil}, {"gox", goxBin, nil}}
		planCase.goal = goal{"gox/real", 1.05}
	}
	// The namespace route: gox's private binfmt_misc against its exec
	// wrapper (first runs), and a cached cross go test against a cached
	// native one.
	wrapperRoute := append(append([]string(nil), target...), "GOX_NAMESPACE=off")
	cached := []string{"test", "./cgoprog"}
	cases := []benchCase{planCase}
	// gox's GOCACHEPROG layer against the same cache program used directly
	// (with gox's other variables), warm.
	if cacher, err := goCacher(w); err == nil {
		prog := "GOCACHEPROG=" + cacher + " -cache-dir " + filepath.Join(w.dir, "cacher")
		direct := append(append([]string(nil), byHand...), prog)
		for i, kv := range direct {
			if strings.HasPrefix(kv, "GOCACHE=") {
				direct[i] = "GOCACHE=" + filepath.Join(w.dir, "gocache-direct")
			}
		}
		cases = append(cases, benchCase{name: "cgo build arm64 via GOCACHEPROG: layer/direct", args: build, dir: w.module,
			variants: []variant{{"real", w.realGo, direct}, {"gox", w.gox, append(append([]string(nil), target...), prog)}}, goal: goal{"gox/real", 1.03}})
	} else {
		fmt.Fprintf(os.Stderr, "goxbench: GOCACHEPROG case skipped: %v\n", err)
	}
	return append(cases, []benchCase{
		{name: "go test -count=1 arm64: namespace vs wrapper", args: test, dir: w.module,
			variants: []variant{{"real", w.gox, wrapperRoute}, {"gox", w.gox, target}}, goal: goal{"gox/real", 1.05}},
		{name: "go test arm64 cached (namespace) vs native", args: cached, dir: w.module,
			variants: []variant{{"real", w.realGo, nil}, {"gox", w.gox, target}}, goal: goal{"gox/real", 1.3}},
		{name: "go test linux/arm64 under qemu (cgo)", args: test, dir: w.module,
			variants: []variant{{"real", w.realGo, testByHand}, {"gox", w.gox, target}}, goal: goal{"gox/real", 1.03},
			argsFor: map[string][]string{"real": testHand}},
		{name: "cgo build linux/arm64 (warm, by hand)", args: build, dir: w.module,
			variants: []variant{{"real", w.realGo, byHand}, {"gox", w.gox, target}}, goal: goal{"gox/real", 1.05}},
		{name: "cgo build -o file linux/arm64 (by hand)", args: buildOut, dir: w.module,
			variants: []variant{{"real", w.realGo, byHand}, {"gox", w.gox, target}}, goal: goal{"gox/real", 1.05}},
		{name: "  same, real = gox with GOX_VERIFY=off", args: buildOut, dir: w.module,
			variants: []variant{{"real", w.gox, noVerify}, {"gox", w.gox, target}}, goal: goal{"gox/real", 1.03}},
		{name: "gox verify of the real go (" + fileMB(w.realGo) + ")", args: []string{"verify", w.realGo}, dir: w.module,
			variants: []variant{{"gox", goxBin, nil}}, goal: goal{"gox ms", 10}},
		{name: "gox doctor -target linux/arm64 (warm)", args: []string{"doctor", "-target", "linux/arm64"}, dir: w.module,
			variants: []variant{{"gox", goxBin, nil}}, goal: goal{"gox ms", 150}},
	}...), nil
}

// goCacher builds bradfitz/go-tool-cache's go-cacher, a real GOCACHEPROG
// program, from the module proxy into the work directory.
func goCacher(w *work) (string, error) {
	bin := filepath.Join(w.dir, "cacherbin")
	cmd := exec.Command(w.realGo, "install", "github.com/bradfitz/go-tool-cache/cmd/go-cacher@v0.0.0-20260722201841-0bb331e19f64")
	cmd.Env = append(os.Environ(), "GOBIN="+bin, "GOFLAGS=")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("%v: %s", err, out)
	}
	return filepath.Join(bin, "go-cacher"), nil
}

func fileMB(p string) string {
	fi, err := os.Stat(p)
	if err != nil {
		return "?"
	}
	return fmt.Sprintf("%.0f MB", float64(fi.Size())/1e6)
}

// inProcess times f (runs*4 times after one warm-up) and prints its median
// against limit, in the table's layout.
func inProcess(stdout io.Writer, name string, runs int, limit time.Duration, f func() error) error {
	var ds []time.Duration
	for i := -1; i < runs*4; i++ {
		start := time.Now()
		if err := f(); err != nil {
			return err
		}
		if i >= 0 {
			ds = append(ds, time.Since(start))
		}
	}
	m := median(ds)
	verdict := "met"
	if m > limit {
		verdict = "MISSED"
	}
	fmt.Fprintf(stdout, "%-44s %9s %9s %9.2fms %9s %11s  %s\n", name, "-", "-", float64(m)/1e6, "-", "-",
		fmt.Sprintf("< %gms: %s", float64(limit)/1e6, verdict))
	return nil
}

// verifyInProcess times objfile.Inspect and Verify of file, without a
// process start: the part the automatic check adds to a build.
func verifyInProcess(stdout io.Writer, file string, runs int) error {
	return inProcess(stdout, "verify in-process ("+fileMB(file)+")", runs, 5*time.Millisecond, func() error {
		b, err := objfile.Inspect(file)
		if err != nil {
			return err
		}
		verify.Verify(b, verify.Want{Target: toolchain.Target{GOOS: runtime.GOOS, GOARCH: runtime.GOARCH}})
		return nil
	})
}

// cacheDirInProcess times what identifying a cross target's C headers
// and libraries costs: the first walk of everything Debian's
// aarch64-linux-gnu-gcc searches (its cross sysroot, its own headers and
// /usr/include), and what a warm build pays (the package database's and
// the trees' stamps, and the one stat of an existing cache directory).
func cacheDirInProcess(stdout io.Writer, dir string, runs int) {
	st := toolchain.State{Dir: filepath.Join(dir, "state")}
	cc := &compilers.CCompiler{CC: []string{"aarch64-linux-gnu-gcc"}}
	search, err := compilers.SearchDirs(cc, compilers.CFlags{}, toolchain.Env(os.Environ()), st, toolchain.Target{GOOS: "linux", GOARCH: "arm64"})
	if err != nil {
		fmt.Fprintf(stdout, "cache dir: %v\n", err)
		return
	}
	trees := cache.SearchTrees(search.Include, search.Lib)
	var entries int
	err = inProcess(stdout, "sysroot walk, cold (arm64 gcc + /usr/include)", runs, 150*time.Millisecond, func() error {
		pr, err := cache.Walk(trees)
		entries = pr.Entries
		return err
	})
	if err != nil {
		fmt.Fprintf(stdout, "cache dir: %v\n", err)
	}
	fmt.Fprintf(stdout, "  (%d trees, %d entries)\n", len(trees), entries)
	var memo cache.Memo
	var have bool
	root := filepath.Join(dir, "gocache")
	err = inProcess(stdout, "choose GOCACHE in-process, warm (arm64)", runs, time.Millisecond, func() error {
		pr, err := cache.Identify(trees, func() (cache.Memo, bool) { return memo, have }, func(m cache.Memo) { memo, have = m, true })
		if err != nil {
			return err
		}
		id := cache.Identity{Target: "linux/arm64", Go: runtime.Version(), CC: "aarch64-linux-gnu-gcc", Sysroot: pr.Local}
		_, err = cache.Ensure(root, id, nil, time.Now())
		return err
	})
	if err != nil {
		fmt.Fprintf(stdout, "cache dir: %v\n", err)
	}
}

// configInProcess times what a cross plan adds for a project's gox.toml:
// finding it from a package directory, reading and checking it, and
// looking up the user's trust in it.
func configInProcess(stdout io.Writer, dir string, runs int) {
	mod := filepath.Join(dir, "cfgmod")
	pkg := filepath.Join(mod, "a", "b")
	os.MkdirAll(pkg, 0o755)
	os.WriteFile(filepath.Join(mod, "go.mod"), []byte("module example.com/cfg\n\ngo 1.26\n"), 0o644)
	os.WriteFile(filepath.Join(mod, config.FileName), []byte(`targets = ["linux/amd64", "linux/arm64", "linux/arm/v7", "windows/amd64"]
output = "dist/{{.Name}}_{{.OS}}_{{.Arch}}{{.Variant}}{{.Ext}}"

[target."linux/arm64"]
cc = "./tools/cc.sh"
env = { GOARM64 = "v8.0", CGO_CFLAGS = "-O2" }
runner = ["qemu-aarch64", "-cpu", "cortex-a72"]

[target."linux/arm/v7"]
sysroot = "/opt/sysroots/armhf"
cgo = true
`), 0o644)
	parse := func(name string) (string, error) {
		t, err := toolchain.ParseTarget(name, runtime.GOOS)
		return t.String(), err
	}
	state := filepath.Join(dir, "state")
	err := inProcess(stdout, "read gox.toml in-process (cross plan)", runs, 500*time.Microsecond, func() error {
		f, err := config.Load(config.Find(pkg, ""))
		if err == nil {
			err = f.Validate(parse)
		}
		if err == nil {
			config.Trusted(state, f, "")
		}
		return err
	})
	if err != nil {
		fmt.Fprintf(stdout, "gox.toml: %v\n", err)
	}
}

// unquote undoes shellQuote's single quotes.
func unquote(s string) string {
	if len(s) >= 2 && s[0] == '\'' && s[len(s)-1] == '\'' {
		return strings.ReplaceAll(s[1:len(s)-1], `'\''`, "'")
	}
	return s
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
// one and a few standard packages (the shape gopls asks go list about),
// and a small cgo program.
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
	cgo := filepath.Join(dir, "cgoprog")
	os.MkdirAll(cgo, 0o755)
	prog := "package main\n\n// #include <stdio.h>\n// static int twice(int x) { return 2 * x; }\nimport \"C\"\n\nimport \"fmt\"\n\nfunc twice(x int) int { return int(C.twice(C.int(x))) }\n\nfunc main() { fmt.Println(twice(21)) }\n"
	if err := os.WriteFile(filepath.Join(cgo, "main.go"), []byte(prog), 0o644); err != nil {
		return "", err
	}
	test := "package main\n\nimport \"testing\"\n\nfunc TestTwice(t *testing.T) {\n\tif twice(2) != 4 {\n\t\tt.Fatal(\"twice\")\n\t}\n}\n"
	if err := os.WriteFile(filepath.Join(cgo, "main_test.go"), []byte(test), 0o644); err != nil {
		return "", err
	}
	return dir, nil
}

// measure runs each variant of c runs times, alternating, after one
// warm-up run each, and returns the durations by variant name.
func measure(w *work, c benchCase, runs int) (map[string][]time.Duration, error) {
	res := map[string][]time.Duration{}
	for i := -1; i < runs; i++ {
		for _, v := range c.variants {
			args := c.args
			if a, ok := c.argsFor[v.name]; ok {
				args = a
			}
			cmd := exec.Command(v.path, args...)
			cmd.Dir = c.dir
			cmd.Env = append(append([]string(nil), w.env...), v.env...)
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
		"gox ms":      float64(m["gox"]) / 1e6,
	}
	verdict := "-"
	if c.goal.of != "" {
		r := ratio[c.goal.of]
		verdict = fmt.Sprintf("%s <= %.2f: ", c.goal.of, c.goal.max)
		if c.goal.of == "gox ms" {
			verdict = fmt.Sprintf("gox < %.0fms: ", c.goal.max)
		}
		if r <= c.goal.max {
			verdict += "met"
		} else {
			verdict += "MISSED"
		}
	}
	ms := func(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d)/1e6) }
	cell := func(name string) string {
		if _, ok := m[name]; !ok {
			return "-"
		}
		return ms(m[name])
	}
	rcell := func(num, den string) string {
		if _, ok := m[den]; !ok {
			return "-"
		}
		return fmt.Sprintf("%.3f", float64(m[num])/float64(m[den]))
	}
	fmt.Fprintf(w, "%-44s %9s %9s %9s %9s %11s  %s\n", c.name, cell("real"), cell("minimal"), cell("gox"), rcell("gox", "real"), rcell("gox", "minimal"), verdict)
}

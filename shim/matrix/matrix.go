package matrix

import (
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gox-build/gox/shim/cmdline"
	"github.com/gox-build/gox/shim/internal/base"
	"github.com/gox-build/gox/shim/plan"
	"github.com/gox-build/gox/toolchain"
)

// DefaultOutput is where a matrix build writes when -o is not given: one
// file per package and target, never two in the same place.
const DefaultOutput = "dist/{{.Name}}_{{.OS}}_{{.Arch}}{{.Variant}}{{.Ext}}"

// matrixFlags are gox's own flags of a build for several targets.
type matrixFlags struct {
	parallel int
	skip     []string
	failfast bool
	json     bool
}

// readMatrixFlags reads -parallel N, -skip P, -failfast and -json, which a
// command line read for a matrix (cmdline.Options.Matrix) holds as gox's.
func readMatrixFlags(line cmdline.Line) (matrixFlags, error) {
	var mf matrixFlags
	for _, f := range line.Flags {
		if !f.Gox {
			continue
		}
		switch f.Name {
		case "parallel":
			n, err := strconv.Atoi(f.Value)
			if err != nil || n < 1 {
				return mf, base.Usagef("-parallel %s: want a number of builds, 1 or more", f.Value)
			}
			mf.parallel = n
		case "skip":
			for _, p := range strings.Split(f.Value, ",") {
				if p = strings.TrimSpace(p); p != "" {
					if _, err := path.Match(p, ""); err != nil {
						return mf, base.Usagef("-skip %s: %v", p, err)
					}
					mf.skip = append(mf.skip, p)
				}
			}
		case "failfast":
			mf.failfast, _ = strconv.ParseBool(f.Value)
		case "json":
			mf.json, _ = strconv.ParseBool(f.Value)
		}
	}
	return mf, nil
}

// matrixInput is everything planMatrix decides from: the command line
// (read with cmdline.Options.Matrix), the toolchain's ports, the host, the
// packages go list found, and the machine's cores.
type matrixInput struct {
	Line     cmdline.Line
	Ports    []toolchain.Port
	HostGOOS string
	// Packages are the command's packages that write a binary (main
	// packages for build, packages with tests for test -c); unused for
	// go install.
	Packages []matrixPkg
	CPUs     int
	// Output is the -o template when the line has none (gox.toml's
	// output); "" for DefaultOutput.
	Output string
}

// matrixPlan is a decided matrix build: the jobs in the order they start,
// each with its output, the go flags every job passes, and how many run
// at once.
type matrixPlan struct {
	Jobs     []*job
	Flags    []string // the go flags of every job, -o excluded
	Parallel int
	matrixFlags
}

type matrixPkg struct{ path, name string }

// checkMatrixLine refuses what a matrix build cannot do, before anything is
// asked of the go command.
func checkMatrixLine(line cmdline.Line) error {
	switch {
	case line.Sub == "build", line.Sub == "install", line.Sub == "test" && line.Bool("c"):
	default:
		return base.Usagef("-target %s: several targets work with gox build, gox install and gox test -c, not go %s", line.Target, strings.Join(line.GoArgs(), " "))
	}
	if line.Sub == "install" && slices.ContainsFunc(line.Flags, func(f cmdline.Flag) bool { return f.Name == "o" }) {
		return base.Usagef("go install takes no -o; cross installs go to $GOPATH/bin/<goos>_<goarch>")
	}
	return nil
}

// planMatrix decides a matrix build: the targets, one job per package and
// target, every output, and the parallelism.
func planMatrix(in matrixInput) (matrixPlan, error) {
	line := in.Line
	if err := checkMatrixLine(line); err != nil {
		return matrixPlan{}, err
	}
	mf, err := readMatrixFlags(line)
	if err != nil {
		return matrixPlan{}, err
	}
	targets, err := expandTargets(line.Target, in.Ports, in.HostGOOS, mf.skip)
	if err != nil {
		return matrixPlan{}, err
	}
	mp := matrixPlan{matrixFlags: mf, Flags: line.FlagWords(func(f cmdline.Flag) bool { return f.Name != "o" })}
	// Package-major order: builds running at once are for different
	// targets, so two go commands never compile one target's standard
	// library side by side; a target's later packages find it cached.
	if line.Sub == "install" {
		for _, t := range targets {
			mp.Jobs = append(mp.Jobs, &job{Target: t, Packages: line.PackagesOrDot()})
		}
	} else {
		if len(in.Packages) == 0 {
			if line.Sub == "test" {
				return matrixPlan{}, base.Usagef("no package with tests in %s", strings.Join(line.PackagesOrDot(), " "))
			}
			return matrixPlan{}, base.Usagef("no main package in %s: a matrix build writes binaries", strings.Join(line.PackagesOrDot(), " "))
		}
		for _, p := range in.Packages {
			for _, t := range targets {
				mp.Jobs = append(mp.Jobs, &job{Target: t, Pkg: p.path, Packages: []string{p.path}, Name: p.name})
			}
		}
		tmpl := line.Value("o")
		if tmpl == "" {
			tmpl = in.Output
		}
		switch {
		case tmpl == "":
			tmpl = DefaultOutput
		case !strings.Contains(tmpl, "{{"):
			// A plain -o names a directory for every output.
			tmpl = filepath.Join(tmpl, path.Base(DefaultOutput))
		}
		if err := planOutputs(tmpl, mp.Jobs, line.Value("buildmode")); err != nil {
			return matrixPlan{}, err
		}
	}
	mp.Parallel = mf.parallel
	if mp.Parallel == 0 {
		mp.Parallel = defaultParallel(len(mp.Jobs), in.CPUs)
	}
	return mp, nil
}

// jobArgs is the go command line of one job: the subcommand, its -o, the
// user's go flags, and its one package (go install: the user's packages).
func (mp matrixPlan) jobArgs(sub string, j *job) []string {
	args := []string{sub}
	if j.Output != "" {
		args = append(args, "-o", j.Output)
	}
	args = append(args, mp.Flags...)
	return append(args, j.Packages...)
}

// matrixPackages picks, from go list's lines ("importpath name ntest
// nxtest"), the packages a matrix build writes binaries for: main packages
// for build, every package with tests for test -c.
func matrixPackages(sub, listed string) []matrixPkg {
	var pkgs []matrixPkg
	for _, line := range strings.Split(strings.TrimSpace(listed), "\n") {
		f := strings.Fields(line)
		if len(f) != 4 {
			continue
		}
		ip, name := f[0], f[1]
		elem := path.Base(ip)
		if elem != ip && plan.IsVersionElement(elem) {
			elem = path.Base(path.Dir(ip))
		}
		switch {
		case sub == "build" && name == "main":
			pkgs = append(pkgs, matrixPkg{ip, elem})
		case sub == "test" && (f[2] != "0" || f[3] != "0"):
			pkgs = append(pkgs, matrixPkg{ip, elem + ".test"})
		}
	}
	return pkgs
}

// expandTargets turns a -target list into targets: names gox parses
// (linux/arm64, armhf, linux/arm/v7) and sets the real toolchain defines:
// all (every port that is not broken), firstclass, cgo (the ports that
// support cgo). Targets matching a -skip pattern (a glob over os/arch or
// the full target) are dropped; duplicates are kept once.
func expandTargets(spec string, ports []toolchain.Port, hostGOOS string, skip []string) ([]toolchain.Target, error) {
	var out []toolchain.Target
	seen := map[string]bool{}
	add := func(t toolchain.Target) {
		for _, p := range skip {
			if ok, _ := path.Match(p, t.Port()); ok {
				return
			}
			if ok, _ := path.Match(p, t.String()); ok {
				return
			}
		}
		if !seen[t.String()] {
			seen[t.String()] = true
			out = append(out, t)
		}
	}
	for _, name := range toolchain.SplitTargets(spec) {
		name = strings.TrimSpace(name)
		var set func(toolchain.Port) bool
		switch name {
		case "all":
			set = func(p toolchain.Port) bool { return !p.Broken }
		case "firstclass":
			set = func(p toolchain.Port) bool { return p.FirstClass && !p.Broken }
		case "cgo":
			set = func(p toolchain.Port) bool { return p.CgoSupported && !p.Broken }
		}
		if set != nil {
			for _, p := range ports {
				if set(p) {
					add(toolchain.Target{GOOS: p.GOOS, GOARCH: p.GOARCH})
				}
			}
			continue
		}
		t, err := toolchain.ParseTarget(name, hostGOOS)
		if err != nil {
			return nil, err
		}
		known := false
		for _, p := range ports {
			known = known || p.GOOS == t.GOOS && p.GOARCH == t.GOARCH
		}
		if !known {
			return nil, base.Usagef("-target %s: the go command has no port %s (gox targets lists them)", name, t.Port())
		}
		add(t)
	}
	if len(out) == 0 {
		return nil, base.Usagef("-target %s: no target left after -skip", spec)
	}
	return out, nil
}

// outputVars are what an -o template can use.
type outputVars struct {
	OS, Arch string
	// Variant is the target's variant and C library as in its name:
	// "v7", "v3", "musl", "v6softfloat"; "" for the default.
	Variant string
	// Target is the whole target with "_" for "/": linux_arm_v7.
	Target string
	// Name is the package's binary name (the go command's rule), with
	// ".test" for go test -c.
	Name string
	// Ext is ".exe" for windows (".a" or "" for c-archive and c-shared).
	Ext string
}

func varsFor(t toolchain.Target, name, buildmode string) outputVars {
	variant := strings.ReplaceAll(t.Variant, ",", "")
	if variant != "" && t.GOARCH == "arm" {
		variant = "v" + variant
	}
	if t.Libc != "" {
		variant += "_" + t.Libc
	}
	return outputVars{OS: t.GOOS, Arch: t.GOARCH, Variant: variant, Target: strings.ReplaceAll(t.String(), "/", "_"),
		Name: name, Ext: plan.ExeSuffix(t.GOOS, buildmode)}
}

// jobState is where a job of a matrix build is.
type jobState uint8

const (
	queued jobState = iota
	building
	verifying
	done
	failed
	skipped
)

func (s jobState) String() string {
	switch s {
	case building:
		return "building"
	case verifying:
		return "verifying"
	case done:
		return "done"
	case failed:
		return "failed"
	case skipped:
		return "skipped"
	}
	return "queued"
}

// job is one go command of a matrix build: one target and one package.
type job struct {
	Target   toolchain.Target
	Pkg      string   // the one package built, "" for go install
	Packages []string // the job's package arguments
	Name     string
	Output   string // "" for go install
	Dest     string // where go install writes, for the summary
	State    jobState
	Start    time.Time
	Elapsed  time.Duration
	Size     int64
	Verify   verdict
	Err      string
	Hints    []string
	Log      string
}

// verdict is what verification said of a job's output; its value is the
// word the summary and the -json events show.
type verdict string

const (
	notVerified verdict = ""
	verifiedOK  verdict = "ok"
	verifyFail  verdict = "FAILED"
)

// planOutputs renders the -o template for every job and refuses two jobs
// that would write the same file, before anything is built.
func planOutputs(tmpl string, jobs []*job, buildmode string) error {
	owner := map[string]*job{}
	for _, j := range jobs {
		v := varsFor(j.Target, j.Name, buildmode)
		rendered, err := renderOutput(tmpl, v)
		if err != nil {
			return base.Usagef("-o %s: %v", tmpl, err)
		}
		out := filepath.Clean(rendered)
		if strings.HasSuffix(rendered, "/") || strings.HasSuffix(rendered, string(filepath.Separator)) {
			// a directory, as go build -o dir/ takes it: the file is
			// named after the package, with the target's extension
			out = filepath.Join(out, j.Name+v.Ext)
		}
		if o, ok := owner[out]; ok {
			return base.Usagef("-o %s: %s and %s would both write %s; add {{.OS}}, {{.Arch}}, {{.Variant}} or {{.Name}} to the template", tmpl, o.label(), j.label(), out)
		}
		owner[out] = j
		j.Output = out
	}
	return nil
}

// renderOutput fills an -o template. Its fields are fixed, so they are
// replaced as text: text/template would add 2 MB and its package
// initialisation to every go command gox runs.
func renderOutput(tmpl string, v outputVars) (string, error) {
	out := strings.NewReplacer(
		"{{.OS}}", v.OS, "{{.Arch}}", v.Arch, "{{.Variant}}", v.Variant, "{{.Target}}", v.Target,
		"{{.Name}}", v.Name, "{{.Ext}}", v.Ext,
	).Replace(tmpl)
	if i := strings.Index(out, "{{"); i >= 0 {
		field, _, closed := strings.Cut(out[i:], "}}")
		if !closed {
			return "", fmt.Errorf("%s is not closed with }}: the template knows {{.OS}} {{.Arch}} {{.Variant}} {{.Target}} {{.Name}} {{.Ext}}", field)
		}
		return "", fmt.Errorf("unknown field %s}}: the template knows {{.OS}} {{.Arch}} {{.Variant}} {{.Target}} {{.Name}} {{.Ext}}", field)
	}
	return out, nil
}

func (j *job) label() string {
	if j.Name == "" {
		return j.Target.String()
	}
	return j.Target.String() + " " + j.Name
}

// defaultParallel is how many target builds run at once when -parallel is
// not given. Measured on this project's 2-core machine (goxbench -matrix,
// 5 targets of a net/http server, against a sequential loop of go build):
// cold 1: 0.909, 2: 0.849, 3: 0.846; warm 1: 0.953, 2: 0.684, 3: 0.852.
// One go build already keeps both cores busy while it compiles (the
// compiler's backend is concurrent); what a second build fills is the
// link, cgo and start-up time of the first. A third only competes, so
// the default is half the cores, at least 2 (larger machines were not
// measured).
func defaultParallel(jobs, cpus int) int {
	n := max(2, (cpus+1)/2)
	return min(n, jobs)
}

// OutputTemplate reports a build for one -target whose output is a
// template: an -o with {{…}} fields, or gox.toml's output under -target
// config. The matrix renders it, as it would for several targets.
func OutputTemplate(line cmdline.Line, defaultOutput string) bool {
	if line.Target == "" || line.Sub != "build" && line.Sub != "install" && !(line.Sub == "test" && line.Bool("c")) {
		return false
	}
	if line.Has("o") {
		return strings.Contains(line.Value("o"), "{{")
	}
	return defaultOutput != ""
}

// IsMatrix reports a -target that names several targets, or a set.
func IsMatrix(target string) bool {
	switch target {
	case "all", "firstclass", "cgo":
		return true
	}
	return len(toolchain.SplitTargets(target)) > 1
}

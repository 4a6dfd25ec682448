package shim

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

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

// extractMatrixFlags removes -parallel N, -skip P, -failfast and -json
// from a go build/install/test -c command line. In a matrix build they are
// gox's: go build's own -json describes one build's actions, and go test
// -c runs no tests, so its -parallel and -failfast would mean nothing.
func extractMatrixFlags(args []string) ([]string, matrixFlags, error) {
	var mf matrixFlags
	out := []string{args[0]}
	for i := 1; i < len(args); i++ {
		a := args[i]
		if endsFlags(a) {
			out = append(out, args[i:]...)
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") {
			out = append(out, a)
			continue
		}
		needValue := func() (string, error) {
			if hasValue {
				return value, nil
			}
			if i+1 >= len(args) {
				return "", usagef("flag needs an argument: -%s", name)
			}
			i++
			return args[i], nil
		}
		switch name {
		case "parallel":
			v, err := needValue()
			if err != nil {
				return nil, mf, err
			}
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				return nil, mf, usagef("-parallel %s: want a number of builds, 1 or more", v)
			}
			mf.parallel = n
		case "skip":
			v, err := needValue()
			if err != nil {
				return nil, mf, err
			}
			for _, p := range strings.Split(v, ",") {
				if p = strings.TrimSpace(p); p != "" {
					if _, err := path.Match(p, ""); err != nil {
						return nil, mf, usagef("-skip %s: %v", p, err)
					}
					mf.skip = append(mf.skip, p)
				}
			}
		case "failfast":
			mf.failfast = !hasValue || value == "true"
		case "json":
			mf.json = !hasValue || value == "true"
		default:
			out = append(out, a)
			if !hasValue && isValueFlag(name) && i+1 < len(args) {
				i++
				out = append(out, args[i])
			}
		}
	}
	return out, mf, nil
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
			return nil, usagef("-target %s: the go command has no port %s (gox targets lists them)", name, t.Port())
		}
		add(t)
	}
	if len(out) == 0 {
		return nil, usagef("-target %s: no target left after -skip", spec)
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
		Name: name, Ext: exeSuffix(t.GOOS, buildmode)}
}

// job is one go command of a matrix build: one target and one package.
type job struct {
	Target  toolchain.Target
	Pkg     string
	Name    string
	Output  string // "" for go install
	Dest    string // where go install writes, for the summary
	State   string // queued, building, verifying, done, failed, skipped
	Start   time.Time
	Elapsed time.Duration
	Size    int64
	Verify  string
	Err     string
	Hints   []string
	Log     string
}

// planOutputs renders the -o template for every job and refuses two jobs
// that would write the same file, before anything is built.
func planOutputs(tmpl string, jobs []*job, buildmode string) error {
	owner := map[string]*job{}
	for _, j := range jobs {
		rendered, err := renderOutput(tmpl, varsFor(j.Target, j.Name, buildmode))
		if err != nil {
			return usagef("-o %s: %v", tmpl, err)
		}
		out := filepath.Clean(rendered)
		if o, ok := owner[out]; ok {
			return usagef("-o %s: %s and %s would both write %s; add {{.OS}}, {{.Arch}}, {{.Variant}} or {{.Name}} to the template", tmpl, o.label(), j.label(), out)
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
		field, _, _ := strings.Cut(out[i:], "}}")
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

// matrixEvent is one line of -json output.
type matrixEvent struct {
	Action   string   `json:"action"` // start, done, fail
	Target   string   `json:"target"`
	Package  string   `json:"package,omitempty"`
	Output   string   `json:"output,omitempty"`
	Size     int64    `json:"size,omitempty"`
	Duration float64  `json:"durationSeconds,omitempty"`
	Verify   string   `json:"verify,omitempty"`
	Error    string   `json:"error,omitempty"`
	Hints    []string `json:"hints,omitempty"`
	Time     string   `json:"time"`
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
func defaultParallel(jobs int) int {
	n := max(2, (runtime.NumCPU()+1)/2)
	return min(n, jobs)
}

// runMatrix builds for several targets. Each target gets exactly what a
// single-target build through gox gets (its own plan: environment, C
// toolchain, cache, verification); the builds run in parallel; one that
// fails does not stop the others unless -failfast.
func (s *session) runMatrix(g toolchain.GoCommand, inv goInvocation) int {
	args, mf, err := extractMatrixFlags(inv.args)
	if err != nil {
		return s.fail(err)
	}
	sub := args[0]
	testC := false
	var out, buildmode string
	var rest []string // args without -o
	for i := 1; i < len(args); i++ {
		a := args[i]
		if endsFlags(a) {
			rest = append(rest, args[i:]...)
			break
		}
		if !strings.HasPrefix(a, "-") {
			rest = append(rest, a)
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		switch {
		case !hasValue && isValueFlag(name) && i+1 < len(args):
			i++
			value = args[i]
			if name != "o" {
				rest = append(rest, a, value)
			}
		case name != "o":
			rest = append(rest, a)
		}
		switch name {
		case "o":
			out = value
		case "c":
			testC = value == "" || value == "true"
		case "buildmode":
			buildmode = value
		}
	}
	switch {
	case sub == "build", sub == "install", sub == "test" && testC:
	default:
		return s.fail(usagef("-target %s: several targets work with gox build, gox install and gox test -c, not %s", inv.target, strings.Join(args, " ")))
	}
	if sub == "install" && out != "" {
		return s.fail(usagef("go install takes no -o; cross installs go to $GOPATH/bin/<goos>_<goarch>"))
	}
	stateDir, err := toolchain.StateDir(s.env)
	if err != nil {
		return s.fail(err)
	}
	facts, err := toolchain.LoadGoFacts(g, s.env, stateDir)
	if err != nil {
		return s.fail(err)
	}
	var ports []toolchain.Port
	for _, name := range facts.PortNames() {
		goos, goarch, _ := strings.Cut(name, "/")
		if p, ok := facts.Port(goos, goarch); ok {
			ports = append(ports, p)
		}
	}
	targets, err := expandTargets(inv.target, ports, thisHost().goos, mf.skip)
	if err != nil {
		var ue usageError
		if !errors.As(err, &ue) {
			err = usageError{err}
		}
		return s.fail(err)
	}
	pkgs, err := s.matrixPackages(g, sub, rest)
	if err != nil {
		return s.fail(err)
	}
	// Package-major order: builds running at once are for different
	// targets, so two go commands never compile one target's standard
	// library side by side; a target's later packages find it cached.
	var jobs []*job
	if sub == "install" {
		for _, t := range targets {
			jobs = append(jobs, &job{Target: t, State: "queued"})
		}
	}
	for _, p := range pkgs {
		for _, t := range targets {
			jobs = append(jobs, &job{Target: t, Pkg: p.path, Name: p.name, State: "queued"})
		}
	}
	if sub != "install" {
		tmpl := out
		switch {
		case tmpl == "":
			tmpl = DefaultOutput
		case !strings.Contains(tmpl, "{{"):
			// A plain -o names a directory for every output.
			tmpl = filepath.Join(tmpl, path.Base(DefaultOutput))
		}
		if err := planOutputs(tmpl, jobs, buildmode); err != nil {
			return s.fail(err)
		}
	}
	par := mf.parallel
	if par == 0 {
		par = defaultParallel(len(jobs))
	}
	return s.runJobs(g, sub, rest, jobs, par, mf)
}

type matrixPkg struct{ path, name string }

// matrixPackages lists the packages a matrix build writes binaries for:
// main packages for build, every package with tests for test -c. It asks
// the go command once, for the host.
func (s *session) matrixPackages(g toolchain.GoCommand, sub string, rest []string) ([]matrixPkg, error) {
	if sub == "install" {
		return nil, nil
	}
	args := append([]string{"list"}, listFlags(rest)...)
	args = append(args, "-e", "-f", "{{.ImportPath}} {{.Name}} {{len .TestGoFiles}} {{len .XTestGoFiles}}")
	args = append(args, packagesOf(sub, rest)...)
	cmd := exec.Command(g.Path, args...)
	cmd.Env = toolchain.ExecEnv(s.env, g)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	if err != nil {
		return nil, &toolchain.Error{What: "go list", Err: fmt.Errorf("%v\n%s", err, strings.TrimSpace(stderr.String()))}
	}
	var pkgs []matrixPkg
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f := strings.Fields(line)
		if len(f) != 4 {
			continue
		}
		ip, name := f[0], f[1]
		elem := path.Base(ip)
		if elem != ip && isVersionElement(elem) {
			elem = path.Base(path.Dir(ip))
		}
		switch {
		case sub == "build" && name == "main":
			pkgs = append(pkgs, matrixPkg{ip, elem})
		case sub == "test" && (f[2] != "0" || f[3] != "0"):
			pkgs = append(pkgs, matrixPkg{ip, elem + ".test"})
		}
	}
	if len(pkgs) == 0 {
		if sub == "test" {
			return nil, usagef("no package with tests in %s", strings.Join(packagesOf(sub, rest), " "))
		}
		return nil, usagef("no main package in %s: a matrix build writes binaries", strings.Join(packagesOf(sub, rest), " "))
	}
	return pkgs, nil
}

// runJobs runs the jobs par at a time, reporting progress, and prints the
// summary; the exit code is 1 when any failed.
func (s *session) runJobs(g toolchain.GoCommand, sub string, rest []string, jobs []*job, par int, mf matrixFlags) int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	prog := newProgress(s.stderr, s.stdout, jobs, mf.json)
	defer prog.stop()
	queue := make(chan *job)
	var wg sync.WaitGroup
	for i := 0; i < par; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range queue {
				if ctx.Err() != nil {
					// -failfast stopped the matrix while j waited its turn
					prog.update(j, func() { j.State = "skipped" })
					continue
				}
				s.runJob(ctx, g, sub, rest, j, prog)
				if j.State == "failed" && mf.failfast {
					cancel()
				}
			}
		}()
	}
	for _, j := range jobs {
		if ctx.Err() != nil {
			prog.update(j, func() { j.State = "skipped" })
			continue
		}
		queue <- j
	}
	close(queue)
	wg.Wait()
	prog.stop()
	failed, skipped := 0, 0
	for _, j := range jobs {
		switch j.State {
		case "failed":
			failed++
		case "skipped":
			skipped++
		}
	}
	if !mf.json {
		s.printSummary(jobs)
	}
	if failed+skipped == 0 {
		return 0
	}
	msg := fmt.Sprintf("gox: %d of %d builds failed", failed, len(jobs))
	if skipped > 0 {
		msg += fmt.Sprintf(", %d skipped (-failfast)", skipped)
	}
	fmt.Fprintln(s.stderr, msg)
	return 1
}

func (s *session) runJob(ctx context.Context, g toolchain.GoCommand, sub string, rest []string, j *job, prog *progress) {
	prog.update(j, func() {
		j.Start = time.Now()
		j.State = "building"
	})
	finish := func(state string) {
		prog.update(j, func() {
			j.State = state
			j.Elapsed = time.Since(j.Start)
		})
	}
	args := []string{sub}
	if j.Output != "" {
		args = append(args, "-o", j.Output)
	}
	// the package list replaces the user's patterns: one package per job
	var flags []string
	for _, a := range rest {
		if endsFlags(a) {
			break
		}
		flags = append(flags, a)
	}
	args = append(args, flagsOnly(flags)...)
	if j.Pkg != "" {
		args = append(args, j.Pkg)
	} else {
		args = append(args, packagesOf(sub, rest)...)
	}
	p, err := s.plan(g, goInvocation{args: args, target: j.Target.String()})
	if err != nil {
		j.Err = err.Error()
		var te *toolchain.Error
		if errors.As(err, &te) {
			j.Hints = te.Hints
		}
		finish("failed")
		return
	}
	if j.Output != "" {
		if err := os.MkdirAll(filepath.Dir(j.Output), 0o755); err != nil {
			j.Err = err.Error()
			finish("failed")
			return
		}
	}
	cmd := exec.CommandContext(ctx, p.Go.Path, p.Args[1:]...)
	cmd.Env = p.Env
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	cmd.WaitDelay = 5 * time.Second
	start := time.Now()
	err = cmd.Run()
	j.Log = strings.TrimSpace(log.String())
	if err != nil {
		if ctx.Err() != nil {
			j.Err = "stopped (-failfast)"
		} else {
			j.Err = firstLines(j.Log, 12)
			if j.Err == "" {
				j.Err = err.Error()
			}
		}
		finish("failed")
		return
	}
	if p.Verify == nil {
		// A native target: a matrix build verifies every output.
		s.verifyNative(g, &p, args, j.Target)
	}
	if p.Verify != nil {
		if j.Output == "" && len(p.Verify.Dirs) > 0 {
			j.Dest = p.Verify.Dirs[0] + string(filepath.Separator)
		}
		prog.update(j, func() { j.State = "verifying" })
		lines, ok := checkWritten(p.Verify, start)
		if !ok {
			j.Verify = "FAILED"
			j.Err = strings.Join(lines, "\n")
			finish("failed")
			return
		}
		j.Verify = "ok"
	}
	if j.Output != "" {
		if fi, err := os.Stat(j.Output); err == nil {
			j.Size = fi.Size()
		}
	}
	finish("done")
}

// flagsOnly drops package arguments, keeping flags and their values.
func flagsOnly(args []string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") {
			continue
		}
		out = append(out, a)
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !hasValue && isValueFlag(name) && i+1 < len(args) {
			i++
			out = append(out, args[i])
		}
	}
	return out
}

func firstLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = append(lines[:n], fmt.Sprintf("… (%d more lines)", len(lines)-n))
	}
	return strings.Join(lines, "\n")
}

func (s *session) printSummary(jobs []*job) {
	sorted := append([]*job(nil), jobs...)
	sort.SliceStable(sorted, func(a, b int) bool { return sorted[a].Target.String() < sorted[b].Target.String() })
	tw := tabwriter.NewWriter(s.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TARGET\tOUTPUT\tSIZE\tTIME\tVERIFY")
	for _, j := range sorted {
		size, verify := "-", orDefault(j.Verify, "-")
		if j.Size > 0 {
			size = humanSize(j.Size)
		}
		if j.State == "failed" && j.Verify == "" {
			verify = "FAILED"
		}
		if j.State == "skipped" {
			verify = "skipped"
		}
		out := j.Output
		if out == "" {
			out = j.Dest
		}
		if out == "" {
			out = j.Pkg
		}
		if out == "" {
			out = "(go install)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", j.Target, out, size, fmt.Sprintf("%.1fs", j.Elapsed.Seconds()), verify)
	}
	tw.Flush()
	for _, j := range sorted {
		if j.State != "failed" {
			continue
		}
		fmt.Fprintf(s.stderr, "gox: %s: %s\n", j.label(), strings.ReplaceAll(j.Err, "\n", "\n\t"))
		for _, h := range j.Hints {
			fmt.Fprintf(s.stderr, "gox: hint: %s\n", h)
		}
	}
}

// progress shows the state of every job: on a terminal one live line per
// job, redrawn in place; otherwise one plain line per change; with -json
// one event per start and finish on stdout.
type progress struct {
	mu     sync.Mutex
	w      io.Writer
	events *json.Encoder
	jobs   []*job
	tty    bool
	drawn  int
	done   chan struct{}
	once   sync.Once
}

func newProgress(stderr, stdout io.Writer, jobs []*job, jsonEvents bool) *progress {
	p := &progress{w: stderr, jobs: jobs, done: make(chan struct{})}
	if jsonEvents {
		p.events = json.NewEncoder(stdout)
		return p
	}
	if f, ok := stderr.(*os.File); ok && os.Getenv("TERM") != "dumb" {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
			p.tick(200 * time.Millisecond)
		}
	}
	return p
}

// tick redraws the terminal lines every interval until stop, so that the
// seconds count up while nothing changes.
func (p *progress) tick(interval time.Duration) {
	go func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				p.mu.Lock()
				p.redraw()
				p.mu.Unlock()
			case <-p.done:
				return
			}
		}
	}()
}

// update changes j's state under the lock the terminal ticker reads it
// with, then reports it.
func (p *progress) update(j *job, change func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	change()
	switch {
	case p.events != nil:
		ev := matrixEvent{Target: j.Target.String(), Package: j.Pkg, Output: j.Output, Time: time.Now().UTC().Format(time.RFC3339Nano)}
		switch j.State {
		case "building":
			ev.Action = "start"
		case "done":
			ev.Action, ev.Size, ev.Duration, ev.Verify = "done", j.Size, j.Elapsed.Seconds(), j.Verify
		case "failed", "skipped":
			ev.Action, ev.Duration, ev.Verify, ev.Error, ev.Hints = "fail", j.Elapsed.Seconds(), j.Verify, orDefault(j.Err, j.State), j.Hints
		default:
			return
		}
		_ = p.events.Encode(ev)
	case p.tty:
		p.redraw()
	case j.State != "verifying":
		line := stateLine(j)
		if j.State == "building" {
			line = "building"
		}
		fmt.Fprintf(p.w, "gox: %s: %s\n", j.label(), line)
	}
}

func stateLine(j *job) string {
	switch j.State {
	case "done":
		return fmt.Sprintf("done in %.1fs", j.Elapsed.Seconds())
	case "failed":
		return fmt.Sprintf("failed after %.1fs", j.Elapsed.Seconds())
	case "building", "verifying":
		return fmt.Sprintf("%s %.1fs", j.State, time.Since(j.Start).Seconds())
	}
	return j.State
}

// redraw rewrites the job lines in place (the cursor moves up over the
// lines drawn last time). Called with p.mu held.
func (p *progress) redraw() {
	var b strings.Builder
	if p.drawn > 0 {
		fmt.Fprintf(&b, "\x1b[%dA", p.drawn)
	}
	for _, j := range p.jobs {
		mark := " "
		switch j.State {
		case "done":
			mark = "✓"
		case "failed":
			mark = "✗"
		case "building", "verifying":
			mark = "…"
		}
		fmt.Fprintf(&b, "\x1b[2K%s %-22s %s\n", mark, j.label(), stateLine(j))
	}
	p.drawn = len(p.jobs)
	io.WriteString(p.w, b.String())
}

func (p *progress) stop() {
	p.once.Do(func() {
		close(p.done)
		if p.tty {
			p.mu.Lock()
			p.redraw()
			p.mu.Unlock()
		}
	})
}

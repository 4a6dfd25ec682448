package matrix

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/gox-build/gox/shim/cmdline"
	"github.com/gox-build/gox/shim/internal/base"
	"github.com/gox-build/gox/shim/internal/proc"
	"github.com/gox-build/gox/shim/plan"
	"github.com/gox-build/gox/shim/written"
	"github.com/gox-build/gox/toolchain"
)

// run builds for several targets. Each target gets exactly what a
// single-target build through gox gets (its own plan: environment, C
// toolchain, cache, verification); the builds run in parallel; one that
// fails does not stop the others unless -failfast. Facts first (the
// toolchain's ports, go list), then planMatrix decides, then the jobs run.
func (s *session) run(g toolchain.GoCommand, line cmdline.Line, defaultOutput string) int {
	// A mistake on the line fails before go list and the toolchain's
	// facts are asked for; planMatrix checks the same again, being whole.
	if err := checkMatrixLine(line); err != nil {
		return s.Fail(err)
	}
	if _, err := readMatrixFlags(line); err != nil {
		return s.Fail(err)
	}
	st, err := toolchain.OpenState(s.Env, false)
	if err != nil {
		return s.Fail(err)
	}
	facts, err := toolchain.LoadGoFacts(g, s.Env, st)
	if err != nil {
		return s.Fail(err)
	}
	in := matrixInput{Line: line, HostGOOS: plan.ThisHost().GOOS, CPUs: runtime.NumCPU(), Output: defaultOutput}
	for _, name := range facts.PortNames() {
		goos, goarch, _ := strings.Cut(name, "/")
		if p, ok := facts.Port(goos, goarch); ok {
			in.Ports = append(in.Ports, p)
		}
	}
	if line.Sub != "install" {
		if in.Packages, err = s.listMatrixPackages(g, line); err != nil {
			return s.Fail(err)
		}
	}
	mp, err := planMatrix(in)
	if err != nil {
		var ue base.UsageError
		if !errors.As(err, &ue) {
			err = base.UsageError{Err: err}
		}
		return s.Fail(err)
	}
	return s.runJobs(g, line.Sub, mp)
}

// listMatrixPackages asks the go command, once and for the host, about the
// command's packages.
func (s *session) listMatrixPackages(g toolchain.GoCommand, line cmdline.Line) ([]matrixPkg, error) {
	lines, err := s.ListPackages(g, toolchain.ExecEnv(s.Env, g), line, "-e", "-f", "{{.ImportPath}} {{.Name}} {{len .TestGoFiles}} {{len .XTestGoFiles}}")
	if err != nil {
		return nil, err
	}
	return matrixPackages(line.Sub, strings.Join(lines, "\n")), nil
}

// runJobs runs the jobs par at a time, reporting progress, and prints the
// summary; the exit code is 1 when any failed.
func (s *session) runJobs(g toolchain.GoCommand, sub string, mp matrixPlan) int {
	jobs, par, mf := mp.Jobs, mp.Parallel, mp.matrixFlags
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	prog := newProgress(s.Stderr, s.Stdout, jobs, mf.json)
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
					prog.update(j, func() { j.State = skipped })
					continue
				}
				s.runJob(ctx, g, sub, mp.jobArgs(sub, j), j, prog)
				if j.State == failed && mf.failfast {
					cancel()
				}
			}
		}()
	}
	for _, j := range jobs {
		if ctx.Err() != nil {
			prog.update(j, func() { j.State = skipped })
			continue
		}
		queue <- j
	}
	close(queue)
	wg.Wait()
	prog.stop()
	nfailed, nskipped := 0, 0
	for _, j := range jobs {
		switch j.State {
		case failed:
			nfailed++
		case skipped:
			nskipped++
		}
	}
	if !mf.json {
		s.printSummary(jobs)
	}
	if nfailed+nskipped == 0 {
		return 0
	}
	msg := fmt.Sprintf("gox: %d of %d builds failed", nfailed, len(jobs))
	if nskipped > 0 {
		msg += fmt.Sprintf(", %d skipped (-failfast)", nskipped)
	}
	fmt.Fprintln(s.Stderr, msg)
	return 1
}

func (s *session) runJob(ctx context.Context, g toolchain.GoCommand, sub string, args []string, j *job, prog *progress) {
	prog.update(j, func() {
		j.Start = time.Now()
		j.State = building
	})
	finish := func(state jobState) {
		prog.update(j, func() {
			j.State = state
			j.Elapsed = time.Since(j.Start)
		})
	}
	line, err := cmdline.Parse(args, cmdline.Options{})
	if err != nil {
		j.Err = err.Error()
		finish(failed)
		return
	}
	line.Target = j.Target.String()
	p, err := s.Plan(g, line)
	if err != nil {
		j.Err = err.Error()
		j.Hints = base.Hints(err)
		finish(failed)
		return
	}
	if err := s.Prepare(p); err != nil {
		j.Err = err.Error()
		finish(failed)
		return
	}
	if j.Output != "" {
		if err := os.MkdirAll(filepath.Dir(j.Output), 0o755); err != nil {
			j.Err = err.Error()
			finish(failed)
			return
		}
	}
	cmd := exec.CommandContext(ctx, p.Go.Path, p.Args[1:]...)
	cmd.Env = p.Env
	proc.EndWithGox(cmd)
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
			if why := p.Explain(j.Log); len(why) > 0 {
				j.Err += "\n" + strings.Join(why, "\n")
			}
		}
		finish(failed)
		return
	}
	if p.Verify == nil {
		// A native target: a matrix build verifies every output.
		s.VerifyNative(g, &p, line, j.Target)
	}
	if p.Verify != nil {
		if j.Output == "" && len(p.Verify.Dirs) > 0 {
			j.Dest = p.Verify.Dirs[0] + string(filepath.Separator)
		}
		prog.update(j, func() { j.State = verifying })
		lines, ok := written.Check(p.Verify, start)
		if !ok {
			j.Verify = verifyFail
			j.Err = strings.Join(lines, "\n")
			finish(failed)
			return
		}
		j.Verify = verifiedOK
	}
	if j.Output != "" {
		if fi, err := os.Stat(j.Output); err == nil {
			j.Size = fi.Size()
		}
	}
	finish(done)
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
	tw := tabwriter.NewWriter(s.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TARGET\tOUTPUT\tSIZE\tTIME\tVERIFY")
	for _, j := range sorted {
		size, verify := "-", base.OrDefault(string(j.Verify), "-")
		if j.Size > 0 {
			size = base.HumanSize(j.Size)
		}
		if j.State == failed && j.Verify == notVerified {
			verify = "FAILED"
		}
		if j.State == skipped {
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
		if j.State != failed {
			continue
		}
		fmt.Fprintf(s.Stderr, "gox: %s: %s\n", j.label(), strings.ReplaceAll(j.Err, "\n", "\n\t"))
		for _, h := range j.Hints {
			fmt.Fprintf(s.Stderr, "gox: hint: %s\n", h)
		}
	}
}

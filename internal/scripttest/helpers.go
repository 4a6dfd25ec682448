package scripttest

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/gox-build/gox/toolchain/objfile"
)

// Commands are the helper commands a script may exec, for use with
// testscript.Main. Each runs as its own process, with the script's whole
// environment, and exits non-zero when its check fails.
func Commands() map[string]func() {
	return map[string]func(){
		"parity":   func() { os.Exit(parity(os.Args[1:], os.Stdout, os.Stderr)) },
		"status":   func() { os.Exit(status(os.Args[1:], os.Stdout, os.Stderr)) },
		"pgint":    func() { os.Exit(pgint(os.Args[1:], os.Stdout, os.Stderr)) },
		"objinfo":  func() { os.Exit(objinfo(os.Args[1:], os.Stdout, os.Stderr)) },
		"jsonl":    func() { os.Exit(jsonl(os.Args[1:], os.Stdout, os.Stderr)) },
		"limit":    func() { os.Exit(limit(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
		"asuser":   func() { os.Exit(asuser(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
		"waitport": func() { os.Exit(waitport(os.Args[1:], os.Stderr)) },
	}
}

// waitport HOST:PORT waits, for up to 30 s, until something accepts TCP
// connections there (a server a script started in the background).
func waitport(args []string, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintln(stderr, "usage: waitport HOST:PORT")
		return 2
	}
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if c, err := net.DialTimeout("tcp", args[0], time.Second); err == nil {
			c.Close()
			return 0
		}
	}
	fmt.Fprintf(stderr, "waitport: nothing listens on %s after 30s\n", args[0])
	return 1
}

// jsonl FILE N checks that FILE holds exactly N lines, each one JSON
// object.
func jsonl(args []string, stdout, stderr io.Writer) int {
	if len(args) != 2 {
		fmt.Fprintln(stderr, "usage: jsonl FILE N")
		return 2
	}
	data, err := os.ReadFile(args[0])
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	for i, l := range lines {
		var v map[string]any
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			fmt.Fprintf(stderr, "line %d: %v: %s\n", i+1, err, l)
			return 1
		}
	}
	if fmt.Sprint(len(lines)) != args[1] {
		fmt.Fprintf(stderr, "%d lines, want %s\n", len(lines), args[1])
		return 1
	}
	return 0
}

// result is what one run of a command produced.
type result struct {
	code           int
	stdout, stderr []byte
}

func run(name string, args []string, stdinFile string) (result, error) {
	cmd := exec.Command(name, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	switch stdinFile {
	case "":
	case "-":
		cmd.Stdin = os.Stdin
	default:
		f, err := os.Open(stdinFile)
		if err != nil {
			return result{}, err
		}
		defer f.Close()
		cmd.Stdin = f
	}
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		return result{}, err
	}
	return result{code: cmd.ProcessState.ExitCode(), stdout: out.Bytes(), stderr: errb.Bytes()}, nil
}

var (
	durations = regexp.MustCompile(`\b[0-9]+\.[0-9]+s\b`)
	// tempBuildDirs are the go command's random work directories (in
	// GOGCCFLAGS, say); they differ between any two runs.
	tempBuildDirs = regexp.MustCompile(`go-build[0-9]+`)
)

// parity runs "go ARGS" through the shim ($SHIMGO) and through the real go
// ($REALGO) and fails unless both wrote the same bytes to stdout and stderr
// and exited alike. On success it replays the shim's output, so the script
// can check it further.
//
//	parity [-stdin FILE] [-norm] ARGS...
//
// The go command's random work directory names (go-build123) are blanked
// out; -norm also blanks out durations such as "0.012s".
func parity(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("parity", flag.ContinueOnError)
	stdinFile := fs.String("stdin", "", "file to feed both commands on standard input")
	norm := fs.Bool("norm", false, "blank out durations")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	shim, real := os.Getenv("SHIMGO"), os.Getenv("REALGO")
	if shim == "" || real == "" {
		fmt.Fprintln(stderr, "parity: SHIMGO and REALGO must be set")
		return 2
	}
	a, err := run(shim, fs.Args(), *stdinFile)
	if err != nil {
		fmt.Fprintf(stderr, "parity: running the shim: %v\n", err)
		return 1
	}
	b, err := run(real, fs.Args(), *stdinFile)
	if err != nil {
		fmt.Fprintf(stderr, "parity: running the real go: %v\n", err)
		return 1
	}
	for _, r := range []*result{&a, &b} {
		r.stdout = tempBuildDirs.ReplaceAll(r.stdout, []byte("go-buildN"))
		r.stderr = tempBuildDirs.ReplaceAll(r.stderr, []byte("go-buildN"))
	}
	if *norm {
		for _, r := range []*result{&a, &b} {
			r.stdout = durations.ReplaceAll(r.stdout, []byte("N.NNs"))
			r.stderr = durations.ReplaceAll(r.stderr, []byte("N.NNs"))
		}
	}
	ok := true
	if a.code != b.code {
		fmt.Fprintf(stderr, "parity: exit code: shim %d, real go %d\n", a.code, b.code)
		ok = false
	}
	if !bytes.Equal(a.stdout, b.stdout) {
		fmt.Fprintf(stderr, "parity: stdout differs\n--- shim\n%s\n--- real go\n%s\n", a.stdout, b.stdout)
		ok = false
	}
	if !bytes.Equal(a.stderr, b.stderr) {
		fmt.Fprintf(stderr, "parity: stderr differs\n--- shim\n%s\n--- real go\n%s\n", a.stderr, b.stderr)
		ok = false
	}
	if !ok {
		return 1
	}
	stdout.Write(a.stdout)
	stderr.Write(a.stderr)
	fmt.Fprintf(stdout, "[parity: exit %d]\n", a.code)
	return 0
}

// status runs CMD ARGS and fails unless it exits with code N. The
// command's output is passed on, and it reads status's standard input.
//
//	status N CMD ARGS...
func status(args []string, stdout, stderr io.Writer) int {
	if len(args) < 2 {
		fmt.Fprintln(stderr, "usage: status N CMD ARGS...")
		return 2
	}
	var want int
	if _, err := fmt.Sscan(args[0], &want); err != nil {
		fmt.Fprintf(stderr, "status: bad exit code %q\n", args[0])
		return 2
	}
	r, err := run(args[1], args[2:], "-")
	if err != nil {
		fmt.Fprintf(stderr, "status: %v\n", err)
		return 1
	}
	stdout.Write(r.stdout)
	stderr.Write(r.stderr)
	if r.code != want {
		fmt.Fprintf(stderr, "status: %s exited %d, want %d\n", args[1], r.code, want)
		return 1
	}
	return 0
}

// pgint plays a user pressing Ctrl-C: it starts CMD in a process group of
// its own (as a shell does for a foreground job), waits until MARK exists,
// sends SIGINT to the whole group, and fails if any process of the group is
// still alive a few seconds after the leader exited.
//
//	pgint MARK CMD ARGS...
func pgint(args []string, stdout, stderr io.Writer) int {
	if len(args) < 2 {
		fmt.Fprintln(stderr, "usage: pgint MARK CMD ARGS...")
		return 2
	}
	mark := args[0]
	cmd := exec.Command(args[1], args[2:]...)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(stderr, "pgint: %v\n", err)
		return 1
	}
	pgid := cmd.Process.Pid
	defer syscall.Kill(-pgid, syscall.SIGKILL)
	deadline := time.Now().Add(2 * time.Minute)
	for {
		if _, err := os.Stat(mark); err == nil {
			break
		}
		if time.Now().After(deadline) {
			fmt.Fprintf(stderr, "pgint: %s did not appear\n", mark)
			return 1
		}
		time.Sleep(20 * time.Millisecond)
	}
	syscall.Kill(-pgid, syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		fmt.Fprintln(stderr, "pgint: the command did not stop within 30s of SIGINT")
		return 1
	}
	fmt.Fprintf(stdout, "pgint: %s\n", cmd.ProcessState)
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if err := syscall.Kill(-pgid, 0); errors.Is(err, syscall.ESRCH) {
			return 0
		}
	}
	fmt.Fprintf(stderr, "pgint: processes left behind in group %d:\n%s", pgid, groupMembers(pgid))
	return 1
}

// limit runs CMD ARGS with a time limit, for anything a script runs under
// an emulator that could wedge (qemu with the wrong loader spins forever).
// CMD runs in a process group of its own with limit's standard streams;
// at the limit the whole group gets SIGKILL and limit exits 124, as
// timeout(1) does, saying so. Otherwise it exits as CMD did.
//
//	limit DURATION CMD ARGS...
func limit(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) < 2 {
		fmt.Fprintln(stderr, "usage: limit DURATION CMD ARGS...")
		return 2
	}
	d, err := time.ParseDuration(args[0])
	if err != nil || d <= 0 {
		fmt.Fprintf(stderr, "limit: bad duration %q\n", args[0])
		return 2
	}
	cmd := exec.Command(args[1], args[2:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(stderr, "limit: %v\n", err)
		return 1
	}
	pgid := cmd.Process.Pid
	timer := time.AfterFunc(d, func() { syscall.Kill(-pgid, syscall.SIGKILL) })
	err = cmd.Wait()
	// Whatever CMD left in its group goes too.
	syscall.Kill(-pgid, syscall.SIGKILL)
	if !timer.Stop() {
		fmt.Fprintf(stderr, "limit: %s was still running after %v; killed its process group\n", args[1], d)
		return 124
	}
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		fmt.Fprintf(stderr, "limit: %v\n", err)
		return 1
	}
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		fmt.Fprintf(stderr, "limit: %s: %v\n", args[1], ws.Signal())
		return 128 + int(ws.Signal())
	}
	return cmd.ProcessState.ExitCode()
}

// groupMembers lists the command lines of the processes in group pgid.
func groupMembers(pgid int) string {
	var b strings.Builder
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// Fields after the parenthesised command: state ppid pgrp ...
		s := string(stat)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(s[i+1:])
		if len(f) > 2 && f[2] == fmt.Sprint(pgid) {
			cmdline, _ := os.ReadFile("/proc/" + e.Name() + "/cmdline")
			fmt.Fprintf(&b, "\t%s: %s\n", e.Name(), bytes.ReplaceAll(cmdline, []byte{0}, []byte{' '}))
		}
	}
	return b.String()
}

// objinfo prints what each file's header says, one line per file:
//
//	FILE: FORMAT GOARCH MACHINE float=FLOAT interp=INTERP
//
// so scripts can check the machine a binary is for without file(1).
func objinfo(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: objinfo FILE...")
		return 2
	}
	for _, f := range args {
		info, err := objfile.ReadObjectInfo(f)
		if err != nil {
			fmt.Fprintf(stderr, "objinfo: %s: %v\n", f, err)
			return 1
		}
		fmt.Fprintf(stdout, "%s: %s %s %s float=%s interp=%s\n", f, info.Format, info.GOARCH, info.Machine, info.Float, info.Interp)
	}
	return 0
}

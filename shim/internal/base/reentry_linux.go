package base

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/gox-build/gox/toolchain"
)

// reentries counts how often gox has come back to itself through a go
// command it could not prove is the real one (GOX_GO naming a wrapper)
// when the loop counter did not travel: a wrapper that clears the
// environment (env -i GOX_GO=… go …) takes GOTOOLCHAIN_INTERNAL_SWITCH_COUNT
// with it, and gox would go round forever. Two traces survive it: the
// wrappers gox started are still there as ancestors, their environment as
// gox gave it, counter included; and a wrapper that execs (the same
// process, start time and all) is counted in a file of this process's.
func reentries(stateDir string) int {
	n := 0
	// ancestors that gox started as an unproven go: their environment,
	// as it was when they started, holds the counter
	pid := os.Getppid()
	for i := 0; i < 64 && pid > 1; i++ {
		if env, err := os.ReadFile(fmt.Sprintf("/proc/%d/environ", pid)); err == nil && strings.Contains("\x00"+string(env), "\x00"+toolchain.DepthVar+"=") {
			n++
		}
		pid = parentOf(pid)
	}
	// this process, exec'd into gox again
	start := startTime(os.Getpid())
	if start == "" || stateDir == "" {
		return n
	}
	dir := filepath.Join(stateDir, "reentry")
	file := filepath.Join(dir, strconv.Itoa(os.Getpid())+"."+start)
	count := 0
	if data, err := os.ReadFile(file); err == nil {
		count, _ = strconv.Atoi(strings.TrimSpace(string(data)))
	} else {
		// a new process: the records of ended ones go
		if entries, err := os.ReadDir(dir); err == nil {
			for _, e := range entries {
				if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > time.Hour {
					os.Remove(filepath.Join(dir, e.Name()))
				}
			}
		}
	}
	_ = toolchain.WriteFileAtomic(file, []byte(strconv.Itoa(count+1)))
	return n + count
}

// parentOf is pid's parent, 0 when unknown.
func parentOf(pid int) int {
	f := statFields(pid)
	if len(f) < 2 {
		return 0
	}
	ppid, _ := strconv.Atoi(f[1])
	return ppid
}

// startTime is pid's start time in clock ticks since boot: the same
// through every exec of the process.
func startTime(pid int) string {
	f := statFields(pid)
	if len(f) < 20 {
		return ""
	}
	return f[19]
}

// statFields are /proc/PID/stat's fields after the command name (which
// may hold spaces): state, ppid, … (field 3 onwards).
func statFields(pid int) []string {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return nil
	}
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return nil
	}
	return strings.Fields(s[i+1:])
}

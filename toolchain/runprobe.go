package toolchain

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// NativeRuns reports whether this host runs goarch's Linux executables
// itself: 386 on amd64 works only when the kernel has 32-bit support, so
// gox runs a 100-byte i386 program that exits 0, once per boot.
func NativeRuns(hostGOARCH, goarch string, st State) bool {
	if goarch == hostGOARCH {
		return true
	}
	if hostGOARCH != "amd64" || goarch != "386" {
		return false
	}
	boot, _ := os.ReadFile("/proc/sys/kernel/random/boot_id")
	key := "native-386|" + strings.TrimSpace(string(boot))
	file := filepath.Join(st.Dir, "native", hashKey(key))
	if data, err := os.ReadFile(file); err == nil && strings.HasPrefix(string(data), key+"\n") {
		return strings.HasSuffix(string(data), "\nyes\n")
	}
	ok := runsI386()
	answer := "no"
	if ok {
		answer = "yes"
	}
	_ = st.Save(file, []byte(key+"\n"+answer+"\n"))
	return ok
}

// runsI386 writes and runs a minimal static i386 ELF executable whose only
// instructions are exit(0).
func runsI386() bool {
	const base = 0x08048000
	code := []byte{0xb8, 1, 0, 0, 0, 0x31, 0xdb, 0xcd, 0x80} // mov eax,1; xor ebx,ebx; int 0x80
	var b bytes.Buffer
	le := binary.LittleEndian
	b.Write([]byte{0x7f, 'E', 'L', 'F', 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	for _, v := range []any{uint16(2), uint16(3), uint32(1), uint32(base + 84), uint32(52), uint32(0), uint32(0),
		uint16(52), uint16(32), uint16(1), uint16(0), uint16(0), uint16(0)} {
		binary.Write(&b, le, v)
	}
	size := uint32(84 + len(code))
	for _, v := range []uint32{1, 0, base, base, size, size, 5, 0x1000} {
		binary.Write(&b, le, v)
	}
	b.Write(code)
	f, err := os.CreateTemp("", "gox-i386-")
	if err != nil {
		return false
	}
	defer os.Remove(f.Name())
	f.Write(b.Bytes())
	f.Chmod(0o755)
	f.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return exec.CommandContext(ctx, f.Name()).Run() == nil
}

// LoaderPrefix is the answer to "where are the dynamic loader and C
// library for a target's dynamically linked binaries under qemu".
type LoaderPrefix struct {
	Key string
	// Prefix is what qemu gets as -L; "" means none (the host's own
	// multiarch loader and libraries are the target's).
	Prefix string
	// OK says a dynamic cgo probe ran under it.
	OK bool
	// Why says how it was chosen, or why nothing works.
	Why string
	// Unprobed says the verdict is not known yet: read-only state had none
	// and may not build the probe.
	Unprobed bool `json:"-"`
}

// prefixCandidates lists where a target's loader may live: Debian's cross
// libc under /usr/<triple>, the host root (multiarch libc6:<arch>), and
// the compiler's sysroot.
func prefixCandidates(t Target, sysroot string) []string {
	var out []string
	for _, tr := range t.Triples() {
		if fi, err := os.Stat(filepath.Join("/usr", tr, "lib")); err == nil && fi.IsDir() {
			out = append(out, filepath.Join("/usr", tr))
		}
	}
	if sysroot != "" && sysroot != "/" {
		out = append(out, sysroot)
	}
	return append(out, "")
}

// libcKey identifies the C libraries a prefix provides, so the answer is
// probed again when any of them changes.
func libcKey(prefix string, t Target) string {
	var parts []string
	root := prefix
	if root == "" {
		root = "/"
	}
	for _, tr := range t.Triples() {
		for _, p := range []string{"lib/libc.so.6", "lib/" + tr + "/libc.so.6", "lib64/libc.so.6"} {
			if k, err := FileKey(filepath.Join(root, p)); err == nil {
				parts = append(parts, k)
			}
		}
	}
	return strings.Join(parts, ",")
}

// ProbeLoaderPrefix finds the -L prefix under which qemu runs a dynamically
// linked Go cgo program for t. A loader and a C library of different
// revisions hang a Go program at start-up (Debian's cross libc next to the
// multiarch one, say), so the prefix is never assumed: each candidate runs
// a probe program with a deadline, and the first that prints its answer
// wins. The answer is cached by the emulator's and the C libraries'
// identity.
func ProbeLoaderPrefix(g GoCommand, qemu string, t Target, comp *CCompiler, env Env, st State) LoaderPrefix {
	// The key covers the emulator, the compiler and the C libraries of the
	// standard candidates; the compiler's own sysroot is asked for only when
	// probing, so the runner pays a stat and a file read per test binary.
	cands := prefixCandidates(t, "")
	qk, _ := FileKey(qemu)
	var kparts []string
	for _, c := range cands {
		kparts = append(kparts, c+"="+libcKey(c, t))
	}
	ck := ""
	if comp != nil {
		if path, ok := LookPath(env, comp.CC[0]); ok {
			ck, _ = FileKey(path)
		}
	}
	key := strings.Join([]string{"prefix-v2", t.String(), qk, ck, strings.Join(kparts, ";")}, "|")
	file := filepath.Join(st.Dir, "prefix", hashKey(key)+".json")
	if data, err := os.ReadFile(file); err == nil {
		var lp LoaderPrefix
		if json.Unmarshal(data, &lp) == nil && lp.Key == key {
			return lp
		}
	}
	lp := LoaderPrefix{Key: key}
	if st.ReadOnly {
		// Probing builds a program into a build cache: read-only state
		// (gox -n) changes nothing, so the verdict waits for a real run.
		lp.Unprobed = true
		lp.Why = "not probed yet: the first command that runs a " + t.String() + " cgo binary probes it"
		return lp
	}
	if comp == nil {
		lp.Why = "no C compiler to build the probe program with"
		return lp
	}
	if path, ok := LookPath(env, comp.CC[0]); ok {
		out, err := exec.Command(path, append(comp.CC[1:], "-print-sysroot")...).Output()
		if sr := strings.TrimSpace(string(out)); err == nil && sr != "" && sr != "/" {
			cands = prefixCandidates(t, sr)
		}
	}
	// An interrupt while probing ends the probe's process group and removes
	// its files before gox goes the way the signal says.
	var (
		mu      sync.Mutex
		running *exec.Cmd
		dir     string
	)
	stop := onInterrupt(func() {
		mu.Lock()
		defer mu.Unlock()
		if running != nil {
			killGroup(running)
		}
		if dir != "" {
			os.RemoveAll(dir)
		}
	})
	defer stop()
	start := func(cmd *exec.Cmd) {
		mu.Lock()
		running = cmd
		mu.Unlock()
	}
	probe, pdir, err := buildCgoProbe(g, t, comp, env, start, func(d string) { mu.Lock(); dir = d; mu.Unlock() })
	if err != nil {
		lp.Why = "building the probe program: " + err.Error()
		return lp
	}
	defer os.RemoveAll(pdir)
	var tried []string
	for _, c := range cands {
		args := []string{probe}
		if c != "" {
			args = []string{"-L", c, probe}
		}
		ctx, cancel := context.WithTimeout(context.Background(), probeDeadline)
		cmd := exec.CommandContext(ctx, qemu, args...)
		cmd.Env = env.WithoutPrefix(InternalPrefix).Without("QEMU_LD_PREFIX")
		out, err := runGrouped(cmd, start)
		timedOut := ctx.Err() != nil
		cancel()
		name := c
		if name == "" {
			name = "no prefix (host multiarch libraries)"
		}
		if err == nil && strings.TrimSpace(out) == "gox-probe-ok" {
			lp.Prefix, lp.OK = c, true
			lp.Why = "a dynamic cgo probe ran under " + name
			if len(tried) > 0 {
				lp.Why += "; failed: " + strings.Join(tried, "; ")
			}
			break
		}
		if timedOut {
			tried = append(tried, name+" hung (loader and libc of different revisions?)")
		} else {
			tried = append(tried, fmt.Sprintf("%s: %v: %s", name, err, firstLines(strings.TrimSpace(out), 2)))
		}
	}
	if !lp.OK {
		lp.Why = "no loader prefix runs a dynamic cgo program: " + strings.Join(tried, "; ")
	}
	// A failure is kept too, so a wedging candidate costs its deadline
	// once, not on every test binary; the key changes when a C library or
	// the emulator does, which is what would change the answer.
	if data, err := json.MarshalIndent(lp, "", "\t"); err == nil {
		_ = st.Save(file, data)
	}
	return lp
}

// probeDeadline is how long one loader-prefix candidate may take: a good
// one answers in about 0.2 s (1 s on a loaded machine); one whose loader
// and C library disagree spins forever.
const probeDeadline = 5 * time.Second

// buildCgoProbe builds a tiny dynamically linked Go cgo program for t in
// a temporary directory, which it names through made before anything is
// written, so an interrupt can remove it; started is told of the build's
// process. The program prints with os.Stdout, not fmt: it builds in
// seconds with a cold cache.
func buildCgoProbe(g GoCommand, t Target, comp *CCompiler, env Env, started func(*exec.Cmd), made func(string)) (string, string, error) {
	dir, err := os.MkdirTemp("", "gox-prefix-probe-")
	if err != nil {
		return "", "", err
	}
	made(dir)
	files := map[string]string{
		"go.mod":  "module goxprobe\n\ngo 1.21\n",
		"main.go": "package main\n\n// #include <stdlib.h>\n// static int twice(int x) { return 2 * atoi(\"1\") * x; }\nimport \"C\"\n\nimport \"os\"\n\nfunc main() {\n\tif C.twice(21) == 42 {\n\t\tos.Stdout.WriteString(\"gox-probe-ok\\n\")\n\t}\n}\n",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			os.RemoveAll(dir)
			return "", "", err
		}
	}
	out := filepath.Join(dir, "probe")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, g.Path, "build", "-o", out, ".")
	cmd.Dir = dir
	cmd.Env = ExecEnv(env, g).Without("GOFLAGS").With("GOTOOLCHAIN", "local").
		With("GOOS", t.GOOS).With("GOARCH", t.GOARCH).With("CGO_ENABLED", "1").With("CC", comp.CCString())
	if v := VariantVar(t.GOARCH); v != "" {
		cmd.Env = Env(cmd.Env).Without(v)
		if t.Variant != "" {
			cmd.Env = Env(cmd.Env).With(v, t.Variant)
		}
	}
	if b, err := runGrouped(cmd, started); err != nil {
		os.RemoveAll(dir)
		return "", "", fmt.Errorf("%v: %s", err, firstLines(strings.TrimSpace(b), 3))
	}
	return out, dir, nil
}

// runGrouped runs cmd (made with a context) in a process group of its own,
// tells started of it once it runs, and returns its combined output; the
// group is killed when cmd ends, so nothing it started outlives it.
func runGrouped(cmd *exec.Cmd, started func(*exec.Cmd)) (string, error) {
	ownGroup(cmd)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return "", err
	}
	started(cmd)
	err := cmd.Wait()
	killGroup(cmd)
	return out.String(), err
}

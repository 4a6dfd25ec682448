package shim

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
)

const qemuNoisePrefix = "qemu: uncaught target signal "

// isQemuNoise reports the line qemu-user writes to the guest's stderr when
// the guest dies of a signal that dumps core (linux-user/signal.c),
// whatever RLIMIT_CORE is: "qemu: uncaught target signal 6 (Aborted) -
// core dumped" (or "- exiting"). go test reports the signal itself
// ("signal: aborted"), and the line would otherwise land in the test's
// output and go test -json. Matched by hand: a package-level regexp would
// be compiled at the start of every go command gox runs.
func isQemuNoise(line string) bool {
	rest, ok := strings.CutPrefix(strings.TrimSuffix(line, "\r"), qemuNoisePrefix)
	if !ok {
		return false
	}
	digits := 0
	for digits < len(rest) && rest[digits] >= '0' && rest[digits] <= '9' {
		digits++
	}
	if rest, ok = strings.CutPrefix(rest[digits:], " ("); !ok || digits == 0 {
		return false
	}
	i := strings.IndexByte(rest, ')')
	if i < 0 {
		return false
	}
	switch rest[i+1:] {
	case " - core dumped", " - exiting":
		return true
	}
	return false
}

// noiseFilter copies everything written to it to w except qemuNoise
// lines. It holds back only the start of a line that could still become
// one; anything else goes through at once, so output is not delayed.
type noiseFilter struct {
	w io.Writer
	// json: the lines are go test -json events; an output event whose
	// Output is the noise line goes.
	json bool
	// line is the start of the current line, held back; passing says the
	// current line was already let through.
	line    []byte
	passing bool
}

func (f *noiseFilter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		chunk := p
		if i >= 0 {
			chunk = p[:i+1]
		}
		p = p[len(chunk):]
		if f.passing {
			if _, err := f.w.Write(chunk); err != nil {
				return n, err
			}
			f.passing = i < 0
			continue
		}
		f.line = append(f.line, chunk...)
		if i >= 0 {
			// A whole line: drop it if it is the noise.
			line := f.line
			f.line = f.line[:0]
			if isQemuNoise(string(bytes.TrimSuffix(line, []byte("\n")))) || f.json && isNoiseEvent(line) {
				continue
			}
			if _, err := f.w.Write(line); err != nil {
				return n, err
			}
			continue
		}
		if !couldBeNoise(f.line) && !(f.json && bytes.HasPrefix(f.line, []byte("{"))) {
			if _, err := f.w.Write(f.line); err != nil {
				return n, err
			}
			f.line = f.line[:0]
			f.passing = true
		}
	}
	return n, nil
}

// Flush lets through what is held back (the program ended mid-line).
func (f *noiseFilter) Flush() error {
	if len(f.line) == 0 {
		return nil
	}
	_, err := f.w.Write(f.line)
	f.line = f.line[:0]
	return err
}

// isNoiseEvent reports a go test -json output event carrying the noise.
func isNoiseEvent(line []byte) bool {
	if !bytes.Contains(line, []byte(qemuNoisePrefix)) {
		return false
	}
	var ev struct{ Action, Output string }
	if json.Unmarshal(line, &ev) != nil || ev.Action != "output" {
		return false
	}
	return isQemuNoise(strings.TrimSuffix(ev.Output, "\n"))
}

func couldBeNoise(start []byte) bool {
	if len(start) <= len(qemuNoisePrefix) {
		return bytes.HasPrefix([]byte(qemuNoisePrefix), start)
	}
	return bytes.HasPrefix(start, []byte(qemuNoisePrefix)) && len(start) < 200
}

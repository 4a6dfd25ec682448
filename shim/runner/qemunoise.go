package runner

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

// NoiseFilter copies everything written to it to w except qemu's noise
// lines. A test may print the same words, so a line is taken for qemu's
// only when it is shown to be: it is held until the next line, and goes
// if that is go test's report of the signal ("signal: aborted"), or, at
// the end of a test binary's own output, if the binary died of a signal
// (End). Otherwise it passes, before what follows. It holds back only the
// start of a line that could still become one; anything else goes through
// at once, so output is not delayed.
type NoiseFilter struct {
	W io.Writer
	// JSON: the lines are go test -JSON events; an output event whose
	// Output is the noise line goes.
	JSON bool
	// line is the start of the current line, held back; passing says the
	// current line was already let through; held is a whole noise line
	// waiting for what follows it.
	line    []byte
	passing bool
	held    []byte
}

func (f *NoiseFilter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		chunk := p
		if i >= 0 {
			chunk = p[:i+1]
		}
		p = p[len(chunk):]
		if f.passing {
			if _, err := f.W.Write(chunk); err != nil {
				return n, err
			}
			f.passing = i < 0
			continue
		}
		f.line = append(f.line, chunk...)
		if i >= 0 {
			line := f.line
			f.line = f.line[:0]
			if err := f.wholeLine(line); err != nil {
				return n, err
			}
			continue
		}
		if !couldBeNoise(f.line) && !(f.JSON && bytes.HasPrefix(f.line, []byte("{"))) && !(f.held != nil && couldBeReport(f.line, f.JSON)) {
			if err := f.release(); err != nil {
				return n, err
			}
			if _, err := f.W.Write(f.line); err != nil {
				return n, err
			}
			f.line = f.line[:0]
			f.passing = true
		}
	}
	return n, nil
}

// wholeLine decides a complete line.
func (f *NoiseFilter) wholeLine(line []byte) error {
	text := string(bytes.TrimSuffix(line, []byte("\n")))
	if f.held != nil && isSignalReport(text, f.JSON) {
		f.held = nil // it was qemu's: go test reports the signal itself
	}
	if err := f.release(); err != nil {
		return err
	}
	if isQemuNoise(text) || f.JSON && isNoiseEvent(line) {
		f.held = append([]byte(nil), line...)
		return nil
	}
	_, err := f.W.Write(line)
	return err
}

// release lets a held line through: what followed showed it was not
// qemu's.
func (f *NoiseFilter) release() error {
	if f.held == nil {
		return nil
	}
	held := f.held
	f.held = nil
	_, err := f.W.Write(held)
	return err
}

// Flush lets through what is held back: the output ended, and nothing
// showed a held line was qemu's.
func (f *NoiseFilter) Flush() error { return f.End(false) }

// End ends the output: a held noise line goes when the program it came
// from died of a signal (signaled), as qemu's does; what is held of an
// unfinished line passes.
func (f *NoiseFilter) End(signaled bool) error {
	if signaled {
		f.held = nil
	}
	if err := f.release(); err != nil {
		return err
	}
	if len(f.line) == 0 {
		return nil
	}
	_, err := f.W.Write(f.line)
	f.line = f.line[:0]
	return err
}

// isSignalReport reports go test's line for a test binary that died of a
// signal ("signal: aborted"), plain or as a -json output event.
func isSignalReport(line string, json bool) bool {
	if !json {
		return strings.HasPrefix(line, "signal: ")
	}
	var ev struct{ Action, Output string }
	return strings.Contains(line, `signal: `) && jsonUnmarshal(line, &ev) == nil && ev.Action == "output" && strings.HasPrefix(ev.Output, "signal: ")
}

// couldBeReport: a line start that may still become go test's signal
// report, which decides a held line (held back only while one is held).
func couldBeReport(start []byte, json bool) bool {
	if json {
		return false // events are held whole anyway
	}
	const p = "signal: "
	if len(start) < len(p) {
		return bytes.HasPrefix([]byte(p), start)
	}
	return false
}

// isNoiseEvent reports a go test -json output event carrying the noise.
func jsonUnmarshal(line string, v any) error { return json.Unmarshal([]byte(line), v) }

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

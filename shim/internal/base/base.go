// Package base holds what every part of gox's front door shares: one run's
// Session (its environment and stdio, passed explicitly, nothing global),
// gox's one error format, the real go as gox finds it, and the shape of a
// gox command. It is cmd/go's internal/base in miniature, and it imports
// nothing of the shim's own packages, so all of them can use it.
package base

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/gox-build/gox/toolchain"
)

// Session is one run of gox: its inputs and outputs, nothing global.
// Packages hold it by pointer; only the front door sets ReadOnly and
// Refresh, before any work starts.
type Session struct {
	// ReadOnly is gox -n: gox may read its state, never write it.
	ReadOnly bool
	// Refresh is gox doctor -refresh: every fact is probed again.
	Refresh bool
	Env     toolchain.Env
	Stdin   io.Reader
	Stdout  io.Writer
	Stderr  io.Writer
}

// UsageError is a command-line mistake: it exits 2. The error it wraps
// may carry hints (an *Error).
type UsageError struct{ Err error }

func (e UsageError) Error() string { return e.Err.Error() }
func (e UsageError) Unwrap() error { return e.Err }

// Usagef is a UsageError with a formatted message.
func Usagef(format string, a ...any) UsageError { return UsageError{fmt.Errorf(format, a...)} }

// OpenState opens gox's state as this session may use it.
func (s *Session) OpenState() (toolchain.State, error) {
	st, err := toolchain.OpenState(s.Env, s.ReadOnly)
	st.Refresh = s.Refresh
	return st, err
}

// Fail prints err in gox's one error format and returns the exit code:
// 2 for usage errors, 1 otherwise.
func (s *Session) Fail(err error) int {
	fmt.Fprintf(s.Stderr, "gox: %v\n", err)
	for _, h := range Hints(err) {
		fmt.Fprintf(s.Stderr, "gox: hint: %s\n", h)
	}
	var ue UsageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}

// SelfBinary is this gox binary, links resolved: what exec wrappers link
// to and what runs as the namespace helper and the GOCACHEPROG layer.
func SelfBinary() (string, error) {
	self, err := os.Executable()
	if err == nil {
		self, err = filepath.EvalSymlinks(self)
	}
	return self, err
}

// RealGo finds the real go and applies the loop guard.
func (s *Session) RealGo() (toolchain.GoCommand, error) {
	if d := toolchain.Depth(s.Env); d >= toolchain.MaxDepth {
		return toolchain.GoCommand{}, &Error{
			What: "loop",
			Err:  fmt.Errorf("gox started itself %d times without reaching the real go", d),
			Hints: []string{
				"a program named go on PATH leads back to gox; see gox shim status",
				"set GOX_GO to the absolute path of the real go to break the loop",
			},
		}
	}
	self, err := os.Executable()
	if err != nil {
		self = ""
	}
	g, err := toolchain.FindGo(toolchain.GoLookup{Env: s.Env, Self: self, Fallbacks: toolchain.DefaultFallbacks(s.Env)})
	if err == nil && !g.Verified && toolchain.Depth(s.Env) == 0 {
		// The counter did not come with us: a first start, or a wrapper
		// that cleared the environment. Count the other way.
		dir := ""
		if !s.ReadOnly {
			dir, _ = toolchain.StateDir(s.Env)
		}
		if n := reentries(dir); n >= toolchain.MaxDepth {
			return toolchain.GoCommand{}, &Error{
				What:  "loop",
				Err:   fmt.Errorf("gox came back to itself %d times through %s without reaching the real go (it clears the environment, so gox's loop counter does not travel)", n, g.Path),
				Hints: []string{"point GOX_GO at the real go (its GOROOT/bin/go), or make the wrapper keep " + toolchain.DepthVar},
			}
		}
	}
	return g, err
}

// OrDefault is s, or def when s is empty.
func OrDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// HumanSize is n bytes as a short human figure (1.5MB); "-" when unknown.
func HumanSize(n int64) string {
	switch {
	case n < 0:
		return "-"
	case n >= 1e9:
		return fmt.Sprintf("%.1fGB", float64(n)/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.1fMB", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.1fkB", float64(n)/1e3)
	}
	return fmt.Sprintf("%dB", n)
}

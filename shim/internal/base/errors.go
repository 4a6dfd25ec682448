package base

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gox-build/gox/toolchain"
	"github.com/gox-build/gox/toolchain/compilers"
	"github.com/gox-build/gox/toolchain/runners"
)

// Error is a failure as gox shows it: "gox: <what>: <why>", then a
// "gox: hint: …" line for each hint.
type Error struct {
	What  string
	Err   error
	Hints []string
}

func (e *Error) Error() string {
	if e.What == "" {
		return e.Err.Error()
	}
	return e.What + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// Hints are the fixes gox shows for err: those of the first *Error in its
// chain (none, if it has none), else the ones gox words for the failures
// the toolchain packages report as facts (what GOX_GO names, a port the go
// command lacks, a compiler that is missing or broken, …).
func Hints(err error) []string {
	var e *Error
	if errors.As(err, &e) {
		return e.Hints
	}
	var goxGo *toolchain.GoxGoError
	if errors.As(err, &goxGo) {
		switch goxGo.Reason {
		case toolchain.GoxGoRelative:
			return []string{"set GOX_GO to the absolute path of the real go, e.g. " + goxGo.Example}
		case toolchain.GoxGoMissing:
			return []string{"unset GOX_GO to use the first go on PATH, or point it at an existing go binary"}
		case toolchain.GoxGoDir:
			return []string{"point GOX_GO at the go binary itself, e.g. " + goxGo.Example}
		default:
			return []string{"point GOX_GO at the real go (its GOROOT/bin/go), or unset it"}
		}
	}
	var noGo *toolchain.NoGoError
	if errors.As(err, &noGo) {
		h := []string{
			"install Go from https://go.dev/dl/ and put its bin directory on PATH after gox's",
			"or set GOX_GO to the absolute path of the real go",
		}
		if noGo.Unproven != "" {
			h = append(h, "a wrapper that runs the real go (a version manager's shim) is used only when named: GOX_GO="+noGo.Unproven)
		}
		return h
	}
	var port *toolchain.PortError
	if errors.As(err, &port) {
		if port.Broken {
			return []string{"broken ports are not expected to build; see go tool dist list -broken"}
		}
		var h []string
		if len(port.Suggestions) > 0 {
			h = append(h, "did you mean "+strings.Join(port.Suggestions, " or ")+"?")
		}
		return append(h, "gox targets lists every port of this toolchain")
	}
	var state *toolchain.StateDirError
	if errors.As(err, &state) {
		return []string{"set GOX_CACHE to a directory gox may write"}
	}
	var cc *compilers.CompilerError
	if errors.As(err, &cc) {
		t := cc.Target
		var h []string
		switch {
		case cc.Config != "":
			h = append(h, fmt.Sprintf("fix cc in %s, or set GOX_CC_%s_%s to a compiler for %s", cc.Config, t.GOOS, t.GOARCH, t.Port()))
		case cc.Setting != "":
			h = append(h, fmt.Sprintf("unset %s to let gox find a cross compiler for %s, or set GOX_CC_%s_%s to one", cc.Setting, t.Port(), t.GOOS, t.GOARCH))
		}
		if cc.Install != "" {
			h = append(h, cc.Install)
		}
		if cc.Tried != "" {
			h = append(h, "tried "+cc.Tried)
		}
		return h
	}
	var wine *runners.WineError
	if errors.As(err, &wine) && wine.Install != "" {
		return []string{wine.Install}
	}
	return nil
}

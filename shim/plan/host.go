package plan

import (
	"runtime"

	"github.com/gox-build/gox/shim/cmdline"
	"github.com/gox-build/gox/toolchain"
	"github.com/gox-build/gox/toolchain/objfile"
)

// HostFacts reads what judging the host needs: the kernel's (or sysctl's)
// machine, and the real go binary's architecture from its header (a few
// KB read, no process started).
func HostFacts(g toolchain.GoCommand) toolchain.HostFacts {
	m, translated := toolchain.HostMachine()
	archs, _ := objfile.BinaryArchs(g.Path)
	return toolchain.HostFacts{OS: runtime.GOOS, Machine: m, Translated: translated, Gox: runtime.GOARCH, GoPath: g.Path, GoArchs: archs}
}

// hostWarning is the one line a native-looking build prints when the real
// go is not native, or "" on a sane host (or with GOX_NO_HOST_WARNING=1).
// It also returns what explaining a link failure afterwards needs (nil on
// a sane host).
func (s *Planner) hostWarning(g toolchain.GoCommand, line cmdline.Line, settings toolchain.GoSettings) (string, *HostProblem) {
	switch line.Sub {
	case "build", "install", "run", "test":
	default:
		return "", nil
	}
	if s.Env.Get("GOX_NO_HOST_WARNING") == "1" || settings.Get("GOOS") != "" || settings.Get("GOARCH") != "" {
		return "", nil
	}
	h := HostFacts(g)
	v := toolchain.JudgeHost(h)
	if !v.Problem {
		return "", nil
	}
	return "gox: warning: this builds for GOARCH=" + v.DefaultGOARCH + ": " + v.Message + "; " + v.Fix + " (GOX_NO_HOST_WARNING=1 silences this)",
		&HostProblem{facts: h, verdict: v}
}

// HostProblem is a host whose go is not native: gox watches the build's
// output for the link failure that causes, to explain it.
type HostProblem struct {
	facts   toolchain.HostFacts
	verdict toolchain.HostVerdict
}

// Builds reports a target the host's own go and C compiler build as they
// are: its port, with the host's C library. A musl target or a glibc
// floor on the host's port is not: it needs a C compiler of its own
// (musl-gcc, zig), so it is planned as a cross build.
func (h Host) Builds(t toolchain.Target) bool {
	return t.Port() == h.Port() && t.Libc == "" && t.Glibc == ""
}

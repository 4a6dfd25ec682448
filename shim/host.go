package shim

import (
	"io"
	"runtime"

	"github.com/gox-build/gox/shim/cmdline"
	"github.com/gox-build/gox/toolchain"
	"github.com/gox-build/gox/toolchain/objfile"
)

// hostFacts reads what judging the host needs: the kernel's (or sysctl's)
// machine, and the real go binary's architecture from its header (a few
// KB read, no process started).
func hostFacts(g toolchain.GoCommand) toolchain.HostFacts {
	m, translated := toolchain.HostMachine()
	archs, _ := objfile.BinaryArchs(g.Path)
	return toolchain.HostFacts{OS: runtime.GOOS, Machine: m, Translated: translated, Gox: runtime.GOARCH, GoPath: g.Path, GoArchs: archs}
}

// hostWarning is the one line a native-looking build prints when the real
// go is not native, or "" on a sane host (or with GOX_NO_HOST_WARNING=1).
// It also returns what explaining a link failure afterwards needs (nil on
// a sane host).
func (s *session) hostWarning(g toolchain.GoCommand, line cmdline.Line, settings toolchain.GoSettings) (string, *hostProblem) {
	switch line.Sub {
	case "build", "install", "run", "test":
	default:
		return "", nil
	}
	if s.Env.Get("GOX_NO_HOST_WARNING") == "1" || settings.Get("GOOS") != "" || settings.Get("GOARCH") != "" {
		return "", nil
	}
	h := hostFacts(g)
	v := toolchain.JudgeHost(h)
	if !v.Problem {
		return "", nil
	}
	return "gox: warning: this builds for GOARCH=" + v.DefaultGOARCH + ": " + v.Message + "; " + v.Fix + " (GOX_NO_HOST_WARNING=1 silences this)",
		&hostProblem{facts: h, verdict: v}
}

// hostProblem is a host whose go is not native: gox watches the build's
// output for the link failure that causes, to explain it.
type hostProblem struct {
	facts   toolchain.HostFacts
	verdict toolchain.HostVerdict
}

// tailWriter passes writes through and keeps the last max bytes.
type tailWriter struct {
	w   io.Writer
	buf []byte
	max int
}

func (t *tailWriter) Write(p []byte) (int, error) {
	t.buf = append(t.buf, p...)
	if len(t.buf) > t.max {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-t.max:]...)
	}
	return t.w.Write(p)
}

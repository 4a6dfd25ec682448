package toolchain

import (
	"fmt"
	"strings"

	"github.com/gox-build/gox/toolchain/arch"
)

// HostFacts is what gox learns about the machine and the toolchain that
// runs on it: enough to tell a translated or emulated Go toolchain from a
// native one.
type HostFacts struct {
	OS string
	// Machine is the machine's native architecture as a GOARCH: on darwin
	// arm64 when hw.optional.arm64 says so (even for a process under
	// Rosetta 2), on linux the kernel's (uname -m).
	Machine string
	// Translated is set when gox itself runs under Rosetta 2
	// (sysctl.proc_translated).
	Translated bool
	// Gox is gox's own GOARCH.
	Gox string
	// GoPath is the real go command; GoArchs the architectures its binary
	// holds (several for a universal Mach-O file).
	GoPath  string
	GoArchs []string
}

// HostVerdict is what gox says about a host: nothing on a sane one.
type HostVerdict struct {
	// Problem is set when the real go (or gox) does not run natively, or
	// builds for another architecture than the machine's by default.
	Problem bool
	// DefaultGOARCH is the architecture a build without GOARCH targets:
	// the go binary's own (cmd/go defaults GOARCH to runtime.GOARCH).
	DefaultGOARCH string
	// Message explains it in a sentence; Fix says what to do.
	Message, Fix string
}

// JudgeHost decides whether the host's Go toolchain is native. A go
// binary for another architecture than the machine's runs translated
// (Rosetta 2) or emulated (binfmt_misc + qemu): slowly, and building for
// its own architecture by default, so cgo links fail against the
// machine's libraries and binaries come out for the wrong machine.
func JudgeHost(h HostFacts) HostVerdict {
	v := HostVerdict{DefaultGOARCH: goDefault(h)}
	if h.Machine == "" {
		return v
	}
	native := false
	for _, a := range h.GoArchs {
		native = native || a == h.Machine
	}
	switch {
	case len(h.GoArchs) == 0:
		return v
	case len(h.GoArchs) > 1 && native && !h.Translated:
		// A universal go runs its native slice.
		v.DefaultGOARCH = h.Machine
		return v
	case native && !h.Translated:
		return v
	}
	v.Problem = true
	how := "emulated (binfmt_misc)"
	if h.OS == "darwin" {
		how = "translated by Rosetta 2"
	}
	switch {
	case native && h.Translated:
		// gox (and so the terminal or IDE that started it) runs
		// translated; a universal go then runs its x86_64 slice.
		v.DefaultGOARCH = h.Gox
		v.Message = fmt.Sprintf("gox runs %s (a %s process on a %s machine), so %s runs as %s and builds for GOARCH=%s by default although the machine is %s",
			how, h.Gox, h.Machine, h.GoPath, h.Gox, h.Gox, h.Machine)
		v.Fix = "start the terminal or IDE natively (not \"Open using Rosetta\"), and install gox for " + h.Machine
	default:
		v.Message = fmt.Sprintf("%s is a %s/%s toolchain running %s on this %s machine: it is slow, and builds for GOARCH=%s by default although the machine is %s",
			h.GoPath, h.OS, strings.Join(h.GoArchs, "+"), how, h.Machine, v.DefaultGOARCH, h.Machine)
		v.Fix = "install the " + h.OS + "/" + h.Machine + " Go toolchain" + whereFrom(h)
	}
	return v
}

func goDefault(h HostFacts) string {
	if len(h.GoArchs) == 1 {
		return h.GoArchs[0]
	}
	if h.Translated {
		return h.Gox
	}
	for _, a := range h.GoArchs {
		if a == h.Machine {
			return a
		}
	}
	if len(h.GoArchs) > 0 {
		return h.GoArchs[0]
	}
	return h.Gox
}

// whereFrom says where the wrong toolchain probably came from.
func whereFrom(h HostFacts) string {
	p := h.GoPath
	switch {
	case h.OS == "darwin" && strings.HasPrefix(p, "/usr/local/Cellar/"), h.OS == "darwin" && strings.HasPrefix(p, "/usr/local/opt/"),
		h.OS == "darwin" && strings.HasPrefix(p, "/usr/local/bin/"):
		return " (this one is from the x86_64 Homebrew under /usr/local; the arm64 one lives under /opt/homebrew: /opt/homebrew/bin/brew install go)"
	case strings.HasPrefix(p, "/usr/local/go/"):
		return " (this one is a " + h.OS + "-" + strings.Join(h.GoArchs, "+") + " tarball in /usr/local/go: replace it with go<version>." + h.OS + "-" + h.Machine + ".tar.gz from go.dev/dl)"
	case strings.Contains(p, "golang.org/toolchain@"):
		return " (this one was downloaded by GOTOOLCHAIN into the module cache)"
	}
	return ""
}

// LinkHint explains a link failure that comes from a toolchain building
// for another architecture than the machine's libraries: Apple's linker
// says "undefined symbols for architecture x86_64" or "building for
// macOS-x86_64 but attempting to link with file built for macOS-arm64"
// when an amd64 go under Rosetta links Homebrew's arm64 libraries; GNU ld
// says "skipping incompatible" or "file in wrong format", and the host's
// assembler, given runtime/cgo's assembly for the toolchain's
// architecture, "no such instruction". It returns ""
// when output shows no such failure or the host is sane.
func LinkHint(output string, v HostVerdict, h HostFacts) string {
	if !v.Problem {
		return ""
	}
	found := false
	for _, s := range []string{"for architecture " + arch.AppleName(v.DefaultGOARCH), "building for macOS-" + arch.AppleName(v.DefaultGOARCH),
		"skipping incompatible", "file in wrong format", "wrong ELF class", "Error: no such instruction"} {
		found = found || strings.Contains(output, s)
	}
	if !found {
		return ""
	}
	return fmt.Sprintf("the build failed because it is for GOARCH=%s while the machine (its C compiler and libraries, such as Homebrew's under /opt/homebrew) is %s: %s; or set GOARCH=%s",
		v.DefaultGOARCH, h.Machine, v.Fix, h.Machine)
}

package runners

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gox-build/gox/toolchain"
	"github.com/gox-build/gox/toolchain/objfile"
)

// Runner is how gox runs a target's binaries on this host: test binaries
// for go test, programs for go run.
type Runner struct {
	// Kind says which way.
	Kind RunnerKind
	// Cmd is the command the binary and its arguments are appended to;
	// empty for native and binfmt.
	Cmd []string
	// Emulator is the qemu of a user's runner that names no loader
	// prefix: the one to probe loader prefixes with, and dynamic binaries
	// get the prefix found.
	Emulator string
	// Wrapper says the go command needs an exec wrapper
	// (go_<goos>_<goarch>_exec); native and binfmt need none, so go test
	// keeps caching results.
	Wrapper bool
	// Detail describes the runner for doctor and targets.
	Detail string
	// Fix says what to install when Kind is "none".
	Fix string
	// Binfmt is the kernel's registration that runs the binaries (Kind
	// binfmt): loader prefixes are probed through it, the way the tests
	// will run, whatever program it names.
	Binfmt *BinfmtEntry
}

// RunnerKind is a way of running a target's binaries. Its value is the
// word doctor and targets show.
type RunnerKind string

const (
	// RunUser: GOX_RUNNER_<goos>_<goarch>, the user's own command.
	RunUser RunnerKind = "user"
	// RunNative: the host runs them itself.
	RunNative RunnerKind = "native"
	// RunBinfmt: the kernel runs them through a registered emulator.
	RunBinfmt RunnerKind = "binfmt"
	// RunQemu: qemu-user, through gox's exec wrapper.
	RunQemu RunnerKind = "qemu"
	// RunNode: Node.js with Go's go_js_wasm_exec (js/wasm).
	RunNode RunnerKind = "node"
	// RunWasi: gox-wasi, gox's embedded WebAssembly runtime (wasip1/wasm).
	RunWasi RunnerKind = "wasi"
	// RunWine: Wine in gox's own prefix (windows/amd64, windows/386).
	RunWine RunnerKind = "wine"
	// RunNone: nothing here runs them.
	RunNone RunnerKind = "none"
)

// RunnerInput is what choosing a runner depends on; probing fills it.
type RunnerInput struct {
	Target               toolchain.Target
	HostGOOS, HostGOARCH string
	// User is GOX_RUNNER_<goos>_<goarch>, split into words; UserFrom says
	// where it came from when not from that variable ("gox.toml").
	User     []string
	UserFrom string
	// NativeOK says a probe showed the host runs the target's binaries
	// itself (386 on amd64 needs the kernel's 32-bit support).
	NativeOK bool
	// Binfmt is the enabled binfmt_misc registration that handles the
	// target's ELF files, if any.
	Binfmt *BinfmtEntry
	// LookPath finds emulators.
	LookPath func(string) (string, bool)
	// GOROOT is the real go's, for the wasm wrappers Go ships.
	GOROOT string
	// WasiHelper is gox's wasip1 runner (gox-wasi), or "" when it is not
	// installed.
	WasiHelper string
	Distro     toolchain.Distro
}

// ChooseRunner picks the runner for in.Target, best first: the user's,
// native, binfmt_misc, qemu-user, node for js/wasm.
func ChooseRunner(in RunnerInput) Runner {
	t := in.Target
	look := in.LookPath
	if look == nil {
		look = func(string) (string, bool) { return "", false }
	}
	if len(in.User) > 0 {
		from := in.UserFrom
		if from == "" {
			from = "GOX_RUNNER_" + t.GOOS + "_" + t.GOARCH
		}
		r := Runner{Kind: RunUser, Cmd: in.User, Wrapper: true, Detail: strings.Join(in.User, " ") + " (" + from + ")"}
		if strings.HasPrefix(filepath.Base(in.User[0]), "qemu-") && !slices.Contains(in.User, "-L") {
			r.Emulator, _ = look(in.User[0])
		}
		return r
	}
	if t.GOOS == in.HostGOOS && (t.GOARCH == in.HostGOARCH || in.NativeOK) {
		return Runner{Kind: RunNative, Detail: "the host runs " + t.Port() + " binaries"}
	}
	if t.GOOS == "js" && t.GOARCH == "wasm" {
		node, ok := look("node")
		if !ok {
			return Runner{Kind: RunNone, Detail: "js/wasm needs Node.js", Fix: installOr(in.Distro, "nodejs", "install Node.js")}
		}
		return Runner{Kind: RunNode, Cmd: []string{filepath.Join(in.GOROOT, "lib", "wasm", "go_js_wasm_exec")}, Wrapper: true,
			Detail: "node (" + node + ") with $GOROOT/lib/wasm/go_js_wasm_exec"}
	}
	if t.GOOS == "wasip1" && t.GOARCH == "wasm" {
		if in.WasiHelper == "" {
			return Runner{Kind: RunNone, Detail: "gox-wasi, gox's embedded WebAssembly runtime, is not installed",
				Fix: "go install github.com/gox-build/gox/cmd/gox-wasi@latest (next to gox, or on PATH)"}
		}
		return Runner{Kind: RunWasi, Cmd: []string{in.WasiHelper}, Wrapper: true, Detail: "embedded wazero runtime (" + in.WasiHelper + ")"}
	}
	if t.GOOS == "windows" && in.HostGOOS == "linux" && (t.GOARCH == "amd64" || t.GOARCH == "386") && (in.HostGOARCH == "amd64" || in.HostGOARCH == "386") {
		for _, name := range wineLoaders(t.GOARCH) {
			if p, ok := look(name); ok {
				return Runner{Kind: RunWine, Cmd: []string{p}, Wrapper: true, Detail: "wine (" + p + ") in gox's own Wine prefix"}
			}
		}
		return Runner{Kind: RunNone, Detail: "no Wine for " + t.Port() + " is installed", Fix: wineFix(in.Distro, t.GOARCH)}
	}
	if t.GOOS != "linux" || in.HostGOOS != "linux" {
		return Runner{Kind: RunNone, Detail: "gox cannot run " + t.Port() + " binaries on " + in.HostGOOS,
			Fix: "run the tests on a " + t.GOOS + " machine, or set GOX_RUNNER_" + t.GOOS + "_" + t.GOARCH + " to a command that runs them"}
	}
	if in.Binfmt != nil {
		return Runner{Kind: RunBinfmt, Binfmt: in.Binfmt, Detail: "binfmt_misc " + in.Binfmt.Name + " (" + in.Binfmt.Interpreter + "): no wrapper, go test caches results"}
	}
	qa := toolchain.QemuArch(t.GOARCH)
	if qa == "" {
		return Runner{Kind: RunNone, Detail: "no emulator is known for " + t.GOARCH}
	}
	for _, name := range []string{"qemu-" + qa, "qemu-" + qa + "-static"} {
		if p, ok := look(name); ok {
			return Runner{Kind: RunQemu, Cmd: []string{p}, Wrapper: true, Detail: p}
		}
	}
	return Runner{Kind: RunNone, Detail: "qemu-" + qa + " is not on PATH", Fix: installOr(in.Distro, "qemu-user", "install qemu-user (qemu-"+qa+")")}
}

func installOr(d toolchain.Distro, pkg, otherwise string) string {
	if d == toolchain.Debian {
		return "apt-get install " + pkg
	}
	return otherwise
}

// BinfmtEntry is one binfmt_misc registration.
type BinfmtEntry struct {
	Name        string
	Enabled     bool
	Interpreter string
	// Flags are the registration's flag letters ("PF", "POCF").
	Flags       string
	Offset      int
	Magic, Mask []byte
}

// ParseBinfmt reads a /proc/sys/fs/binfmt_misc/<name> file.
func ParseBinfmt(name string, data []byte) (BinfmtEntry, bool) {
	e := BinfmtEntry{Name: name}
	for _, line := range strings.Split(string(data), "\n") {
		k, v, _ := strings.Cut(strings.TrimSpace(line), " ")
		switch k {
		case "enabled":
			e.Enabled = true
		case "interpreter":
			e.Interpreter = v
		case "flags:":
			e.Flags = v
		case "offset":
			for _, c := range v {
				if c < '0' || c > '9' {
					return e, false
				}
				e.Offset = e.Offset*10 + int(c-'0')
			}
		case "magic":
			b, err := hex.DecodeString(v)
			if err != nil {
				return e, false
			}
			e.Magic = b
		case "mask":
			b, err := hex.DecodeString(v)
			if err != nil {
				return e, false
			}
			e.Mask = b
		}
	}
	return e, len(e.Magic) > 0 && e.Interpreter != ""
}

// Matches reports whether the entry handles a file that starts with head.
func (e BinfmtEntry) Matches(head []byte) bool {
	if e.Offset+len(e.Magic) > len(head) {
		return false
	}
	for i, m := range e.Magic {
		b := head[e.Offset+i]
		if i < len(e.Mask) {
			b &= e.Mask[i]
			m &= e.Mask[i]
		}
		if b != m {
			return false
		}
	}
	return true
}

// ELFHeaderFor is the start of an executable ELF header for goarch (the
// 20 bytes binfmt_misc registrations match on), or nil.
func ELFHeaderFor(goarch string, dyn bool) []byte {
	a, ok := objfile.ArchOf(goarch)
	if !ok {
		return nil
	}
	h := make([]byte, 20)
	copy(h, "\x7fELF")
	h[4] = byte(a.Class)
	if a.Order == binary.BigEndian {
		h[5] = 2
	} else {
		h[5] = 1
	}
	h[6] = 1
	typ := uint16(2)
	if dyn {
		typ = 3
	}
	a.Order.PutUint16(h[16:], typ)
	a.Order.PutUint16(h[18:], uint16(a.ELF))
	return h
}

// FindBinfmt returns the enabled registration under dir (normally
// /proc/sys/fs/binfmt_misc) that runs goarch's ELF executables, static and
// dynamic, and whose interpreter exists.
func FindBinfmt(dir, goarch string) *BinfmtEntry {
	if st, err := os.ReadFile(filepath.Join(dir, "status")); err != nil || !bytes.HasPrefix(st, []byte("enabled")) {
		return nil
	}
	exec, dyn := ELFHeaderFor(goarch, false), ELFHeaderFor(goarch, true)
	if exec == nil {
		return nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	for _, d := range entries {
		if d.Name() == "status" || d.Name() == "register" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, d.Name()))
		if err != nil {
			continue
		}
		e, ok := ParseBinfmt(d.Name(), data)
		if !ok || !e.Enabled || !e.Matches(exec) || !e.Matches(dyn) {
			continue
		}
		if _, err := os.Stat(e.Interpreter); err != nil {
			continue
		}
		return &e
	}
	return nil
}

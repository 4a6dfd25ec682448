package runners

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/gox-build/gox/toolchain"
	"github.com/gox-build/gox/toolchain/arch"
)

// wineLoaders are the Wine loaders that run goarch's windows binaries,
// best first: a column of the architecture's row.
func wineLoaders(goarch string) []string {
	a, _ := arch.Of(goarch)
	return a.Wine
}

// wineFix says what to install when no Wine runs goarch's binaries.
func wineFix(d toolchain.Distro, goarch string) string {
	if goarch == "386" {
		if d == toolchain.Debian {
			return "dpkg --add-architecture i386 && apt-get update && apt-get install wine32:i386"
		}
		return "install Wine with 32-bit support (wine32)"
	}
	return installOr(d, "wine wine64", "install Wine (wine64)")
}

// WinePrefix is the Wine prefix (a private C: drive and registry) gox runs
// windows binaries in. It is gox's own, under its state directory, so the
// user's ~/.wine is never touched, and one prefix belongs to one Wine
// installation: a Wine upgrade gets a fresh prefix instead of Wine's slow,
// chatty in-place update.
type WinePrefix struct {
	Dir    string
	Loader string
	// GOARCH is the architecture of the binaries it runs: amd64 or 386.
	GOARCH string
	// MinGW is the mingw C compiler that builds gox's bcryptprimitives.dll
	// for GOARCH, or "" when none is installed (fine for Wine 9 and later).
	MinGW string
}

// readyFile marks a prefix that was completely prepared; a prefix without
// it (an interrupted preparation) is thrown away and made again.
const wineReadyFile = ".gox-ready"

// NewWinePrefix names the prefix for the Wine loader under stateDir.
func NewWinePrefix(stateDir, loader, goarch, mingw string) (WinePrefix, error) {
	key, err := toolchain.FileKey(loader)
	if err != nil {
		return WinePrefix{}, err
	}
	return WinePrefix{Dir: filepath.Join(stateDir, "wine", toolchain.HashKey(key)), Loader: loader, GOARCH: goarch, MinGW: mingw}, nil
}

// MinGWFor is the mingw compiler name for goarch's Windows DLLs.
func MinGWFor(goarch string) string {
	if goarch == "386" {
		return "i686-w64-mingw32-gcc"
	}
	return "x86_64-w64-mingw32-gcc"
}

// Ready reports whether the prefix was prepared completely.
func (w WinePrefix) Ready() bool {
	_, err := os.Stat(filepath.Join(w.Dir, wineReadyFile))
	return err == nil
}

// Env is what the loader needs to run in this prefix quietly: Wine's debug
// channels and the Mono and Gecko installers (which Go programs never
// need) are off unless the user chose otherwise.
func (w WinePrefix) Env(env toolchain.Env) toolchain.Env {
	env = env.With("WINEPREFIX", w.Dir)
	if _, ok := env.Lookup("WINEDEBUG"); !ok {
		env = env.With("WINEDEBUG", "-all")
	}
	if _, ok := env.Lookup("WINEDLLOVERRIDES"); !ok {
		// no Mono or Gecko installer, and no menu builder: it writes
		// desktop menus and entries into the user's real home
		env = env.With("WINEDLLOVERRIDES", "mscoree,mshtml=;winemenubuilder.exe=d")
	}
	// What Wine keeps outside its prefix (desktop files, menus, icons)
	// stays in gox's prefix too: the user's ~/.config and ~/.local are
	// theirs.
	return env.With("XDG_CONFIG_HOME", filepath.Join(w.Dir, "xdg", "config")).With("XDG_DATA_HOME", filepath.Join(w.Dir, "xdg", "data"))
}

// prngSource is a bcryptprimitives.dll with the one export Go's runtime
// needs since Go 1.24 (ProcessPrng), on top of RtlGenRandom. Wine before 9
// has no such DLL, so every Go program dies at start-up with
// "bcryptprimitives.dll not found".
const prngSource = `#include <windows.h>
#define SystemFunction036 NTAPI SystemFunction036
#include <ntsecapi.h>
#undef SystemFunction036

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T n) {
	while (n > 0) {
		ULONG chunk = n > 0x40000000 ? 0x40000000 : (ULONG)n;
		if (!RtlGenRandom(data, chunk))
			return FALSE;
		data += chunk;
		n -= chunk;
	}
	return TRUE;
}
`

const prngDef = "LIBRARY bcryptprimitives\nEXPORTS\nProcessPrng\n"

// Prepare makes the prefix if it is not ready: wineboot, then gox's
// bcryptprimitives.dll where Wine has none. Concurrent callers wait for
// one another (a file lock), and an interrupted preparation is redone from
// scratch. started, if not nil, is told when the slow work starts.
func (w WinePrefix) Prepare(env toolchain.Env, started func()) error {
	if w.Ready() {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(w.Dir), 0o755); err != nil {
		return err
	}
	unlock, err := toolchain.LockFile(w.Dir + ".lock")
	if err != nil {
		return err
	}
	defer unlock()
	if w.Ready() {
		return nil
	}
	if err := os.RemoveAll(w.Dir); err != nil {
		return err
	}
	if started != nil {
		started()
	}
	env = w.Env(env)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// The wineserver that wineboot starts outlives it and inherits its
	// output, so the output goes to a file, not a pipe gox would wait on.
	log, err := os.CreateTemp("", "gox-wineboot-")
	if err != nil {
		return err
	}
	defer os.Remove(log.Name())
	defer log.Close()
	boot := exec.CommandContext(ctx, w.Loader, "wineboot", "--init")
	boot.Env = env
	boot.Stdout, boot.Stderr = log, log
	if err := boot.Run(); err != nil {
		out, _ := os.ReadFile(log.Name())
		return &WineError{Dir: w.Dir, Err: fmt.Errorf("wineboot --init: %v\n%s", err, tail(out, 2000))}
	}
	// wineboot returns before wineserver has written the registry; wait for
	// it so the prefix is complete before it is marked ready.
	if ws := wineserverFor(w.Loader, env); ws != "" {
		wait := exec.CommandContext(ctx, ws, "-w")
		wait.Env = env
		_ = wait.Run()
	}
	// 64-bit DLLs live in system32; in a 64-bit prefix 32-bit ones live in
	// syswow64.
	sys := filepath.Join(w.Dir, "drive_c", "windows", "system32")
	if wow := filepath.Join(w.Dir, "drive_c", "windows", "syswow64"); w.GOARCH == "386" && IsDir(wow) {
		sys = wow
	}
	dll := filepath.Join(sys, "bcryptprimitives.dll")
	if _, err := os.Stat(dll); err != nil { // Wine 9 and later ship it
		if w.MinGW == "" {
			return &WineError{Dir: w.Dir, Err: errors.New("this Wine lacks bcryptprimitives.dll, which Go programs need, and no mingw compiler is installed to build gox's replacement"),
				Install: installOr(toolchain.HostDistro(), mingwPackage(w.GOARCH), "install "+MinGWFor(w.GOARCH))}
		}
		if err := buildPrngDLL(ctx, w.MinGW, dll, env); err != nil {
			return &WineError{Dir: w.Dir, Err: err}
		}
	}
	return toolchain.WriteFileAtomic(filepath.Join(w.Dir, wineReadyFile), []byte(w.Loader+"\n"))
}

func buildPrngDLL(ctx context.Context, cc, dll string, env toolchain.Env) error {
	tmp, err := os.MkdirTemp("", "gox-prng-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	src, def := filepath.Join(tmp, "prng.c"), filepath.Join(tmp, "prng.def")
	if err := os.WriteFile(src, []byte(prngSource), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(def, []byte(prngDef), 0o644); err != nil {
		return err
	}
	out := filepath.Join(tmp, "bcryptprimitives.dll")
	cmd := exec.CommandContext(ctx, cc, "-shared", "-O2", "-s", "-o", out, src, def, "-ladvapi32")
	cmd.Env = env
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("building bcryptprimitives.dll with %s: %v\n%s", cc, err, tail(msg, 2000))
	}
	data, err := os.ReadFile(out)
	if err != nil {
		return err
	}
	return toolchain.WriteFileAtomic(dll, data)
}

// wineserverFor finds the wineserver that belongs to loader.
func wineserverFor(loader string, env toolchain.Env) string {
	for _, p := range []string{filepath.Join(filepath.Dir(loader), "wineserver"), filepath.Join(filepath.Dir(loader), "wineserver64")} {
		if p, ok := toolchain.LookPath(env, p); ok {
			return p
		}
	}
	p, _ := toolchain.LookPath(env, "wineserver")
	return p
}

func tail(b []byte, n int) string {
	b = bytes.TrimSpace(b)
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

func mingwPackage(goarch string) string {
	if goarch == "386" {
		return "gcc-mingw-w64-i686"
	}
	return "gcc-mingw-w64-x86-64"
}

// IsDir reports whether p is a directory (links followed).
func IsDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// StartServer starts the prefix's Wine session, with its output
// discarded, if none is running. Otherwise the first program starts it:
// wineboot, services, winedevice, plugplay and rpcss then inherit the
// program's stdout and hold it open until the session ends, and go test,
// waiting for that pipe to close, takes seconds longer per test binary.
// With a session running this costs one wineserver start (4 ms); starting
// one costs about 0.8 s, once per burst of runs (the server stays up 5 s
// after its last program).
func (w WinePrefix) StartServer(env toolchain.Env) {
	ws := wineserverFor(w.Loader, env)
	if ws == "" {
		return
	}
	env = w.Env(env)
	unlock, err := toolchain.LockFile(w.Dir + ".lock")
	if err != nil {
		return
	}
	defer unlock()
	cmd := exec.Command(ws, "-p5")
	cmd.Env = env
	if cmd.Run() != nil {
		return // exit status 2: a server is running
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	warm := exec.CommandContext(ctx, w.Loader, "cmd.exe", "/c", "exit")
	warm.Env = env
	_ = warm.Run()
}

// WineError says gox's Wine prefix in Dir could not be made ready;
// Install, when set, is what would fix it.
type WineError struct {
	Dir     string
	Err     error
	Install string
}

func (e *WineError) Error() string { return "wine prefix " + e.Dir + ": " + e.Err.Error() }
func (e *WineError) Unwrap() error { return e.Err }

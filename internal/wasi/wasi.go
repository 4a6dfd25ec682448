// Package wasi runs wasip1 programs built by the go command in wazero,
// the way Go's own go_wasip1_wasm_exec runs them in an external runtime:
// the host file system mounted at /, the environment inherited (the Go
// wasip1 runtime takes its working directory from PWD), standard streams
// and the exit code passed through. Compiled modules are cached on disk.
package wasi

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
	"github.com/tetratelabs/wazero/sys"

	"github.com/gox-build/gox/toolchain"
)

// Main runs args[0] with args[1:] and returns its exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: gox-wasi PROGRAM.wasm [ARGS...]")
		return 2
	}
	ctx := context.Background()
	rc := wazero.NewRuntimeConfig()
	// Compiled modules are kept with gox's other state.
	if dir, err := toolchain.StateDir(toolchain.Env(os.Environ())); err == nil {
		if cache, err := wazero.NewCompilationCacheWithDir(filepath.Join(dir, "wazero")); err == nil {
			rc = rc.WithCompilationCache(cache)
		}
	}
	r := wazero.NewRuntimeWithConfig(ctx, rc)
	defer r.Close(ctx)
	wasi_snapshot_preview1.MustInstantiate(ctx, r)
	bin, err := os.ReadFile(args[0])
	if err != nil {
		fmt.Fprintf(stderr, "gox-wasi: %v\n", err)
		return 1
	}
	cfg := wazero.NewModuleConfig().
		WithArgs(args...).
		WithStdin(stdin).WithStdout(stdout).WithStderr(stderr).
		WithSysWalltime().WithSysNanotime().WithSysNanosleep().
		WithRandSource(rand.Reader).
		WithFSConfig(wazero.NewFSConfig().WithDirMount("/", "/"))
	for _, kv := range os.Environ() {
		if k, v, ok := strings.Cut(kv, "="); ok && k != "" {
			cfg = cfg.WithEnv(k, v)
		}
	}
	if _, ok := os.LookupEnv("PWD"); !ok {
		if wd, err := os.Getwd(); err == nil {
			cfg = cfg.WithEnv("PWD", wd)
		}
	}
	_, err = r.InstantiateWithConfig(ctx, bin, cfg)
	var exit *sys.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		return int(exit.ExitCode())
	}
	fmt.Fprintf(stderr, "gox-wasi: %s: %v\n", filepath.Base(args[0]), err)
	return 1
}

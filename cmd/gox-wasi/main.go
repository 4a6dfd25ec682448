// Command gox-wasi runs a wasip1/wasm program (a go test binary, a go run
// program) in an embedded WebAssembly runtime, so no external wasm tool is
// needed. gox's runner hands wasip1/wasm binaries to it.
//
// It is a separate binary on purpose: linking the runtime into gox would
// add about 1.7 ms to the start of every go command gox passes through.
package main

import (
	"os"

	"github.com/gox-build/gox/internal/wasi"
)

func main() {
	os.Exit(wasi.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

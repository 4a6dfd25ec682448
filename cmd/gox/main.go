// Command gox makes cross-compiling with the go command correct by default.
//
// Installed as "go" ahead of the real go on PATH it is a transparent shim;
// run as "gox" it adds its own commands. See package shim for the details.
package main

import (
	"os"

	"github.com/gox-build/gox/shim"
)

func main() {
	os.Exit(shim.Main(os.Args, os.Environ(), os.Stdin, os.Stdout, os.Stderr))
}

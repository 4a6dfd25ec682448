// Command goxbench measures gox against the real go command on this
// machine and prints the ratios the project's performance goals are stated
// in. It is a development tool; see package internal/bench.
package main

import (
	"os"

	"github.com/gox-build/gox/internal/bench"
)

func main() {
	os.Exit(bench.Main(os.Args[1:], os.Stdout, os.Stderr))
}

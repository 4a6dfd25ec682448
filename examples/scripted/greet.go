// Command greet is the example of a project whose command-line behaviour
// is pinned by a testscript suite that gox runs for any target: natively
// with go test, for linux/arm64 with gox test -target linux/arm64.
package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintln(stderr, "usage: greet NAME")
		return 2
	}
	fmt.Fprintf(stdout, "hello, %s, from %s/%s\n", args[0], runtime.GOOS, runtime.GOARCH)
	return 0
}

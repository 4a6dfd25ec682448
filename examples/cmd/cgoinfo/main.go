// Command cgoinfo prints what its C code was compiled for.
package main

import (
	"fmt"
	"runtime"

	"github.com/gox-build/gox/examples/cgo"
)

func main() {
	fmt.Printf("go %s/%s, C %s, sizeof(long)=%d, %s\n", runtime.GOOS, runtime.GOARCH, cgo.Machine(), cgo.LongSize(), cgo.Format(7))
}

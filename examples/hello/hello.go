// Package hello is the example the README's main job builds and tests.
package hello

import "runtime"

// Platform says what the code was compiled for.
func Platform() string { return runtime.GOOS + "/" + runtime.GOARCH }

// Package cache will keep one Go build cache per cross target and C
// toolchain, because the go command's own cache key does not cover the C
// headers and libraries of a sysroot (go help cache, golang/go#24355).
//
// Until that lands, gox leaves GOCACHE exactly as the user set it.
package cache

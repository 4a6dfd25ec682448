// Package toolchain is what gox knows about a cross build before any C
// compiler or emulator is involved: target syntax (linux/arm/v6,
// linux/arm64/gnu2.28, zig's and GNU's spellings), the go command's
// settings and where each came from (environment, GOENV file, go.env),
// the real go and its facts, the host, and gox's state directory with its
// recorded facts. The C compilers (toolchain/compilers) and the ways of
// running a target's binaries (toolchain/runners) build on it; it imports
// neither.
package toolchain

// Package compilers finds and probes the C compilers cgo needs for a
// target (distribution cross compilers, gcc -m32, musl-gcc, clang, zig),
// reads the directories a compiler searches (the sysroot identity that
// keys build caches) and decides cgo's settings for a build (DecideC, a
// pure function over the probed facts). A probe's verdict is kept only
// under a key that names every input it depends on.
package compilers

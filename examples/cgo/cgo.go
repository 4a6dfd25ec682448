// Package cgo is an example whose C code depends on the target: the size of
// a C long and the machine the C compiler built for. A cross build that
// silently drops cgo, or hands the C code to the host compiler, shows here.
package cgo

/*
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int long_size(void) { return (int)sizeof(long); }

static const char *c_machine(void) {
#if defined(__aarch64__)
	return "aarch64";
#elif defined(__arm__)
	return "arm";
#elif defined(__riscv) && __riscv_xlen == 64
	return "riscv64";
#elif defined(__x86_64__)
	return "x86_64";
#elif defined(__i386__)
	return "i386";
#elif defined(__powerpc64__) && defined(__LITTLE_ENDIAN__)
	return "ppc64le";
#elif defined(__powerpc64__)
	return "ppc64";
#elif defined(__s390x__)
	return "s390x";
#elif defined(__mips__) && defined(__mips64) && defined(__MIPSEL__)
	return "mips64el";
#elif defined(__mips__) && defined(__mips64)
	return "mips64";
#elif defined(__mips__) && defined(__MIPSEL__)
	return "mipsel";
#elif defined(__mips__)
	return "mips";
#elif defined(__loongarch64)
	return "loongarch64";
#else
	return "other";
#endif
}

// c_format goes through the C library, so the binary really links libc.
static char *c_format(int n) {
	char *buf = malloc(64);
	snprintf(buf, 64, "C says %d", n);
	return buf;
}
*/
import "C"

import "unsafe"

// LongSize is sizeof(long) as the C compiler sees it.
func LongSize() int { return int(C.long_size()) }

// Machine is the architecture the C code was compiled for.
func Machine() string { return C.GoString(C.c_machine()) }

// Format formats n with the C library's snprintf.
func Format(n int) string {
	p := C.c_format(C.int(n))
	defer C.free(unsafe.Pointer(p))
	return C.GoString(p)
}

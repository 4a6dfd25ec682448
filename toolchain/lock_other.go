//go:build !unix

package toolchain

// LockFile is a no-op where gox has no file locks; the work it guards is
// written atomically and is only repeated, never corrupted, without it.
func LockFile(file string) (unlock func(), err error) {
	return func() {}, nil
}

//go:build !unix

package cache

import "io/fs"

// inode is 0 where gox cannot read it; modification times still tell.
func inode(fi fs.FileInfo) uint64 { return 0 }

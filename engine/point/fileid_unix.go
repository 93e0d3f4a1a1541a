//go:build linux || darwin

package point

import (
	"os"
	"syscall"
)

// fileID identifies one version of a file: a replaced file has another
// inode, and a reused inode another change time.
type fileID struct {
	dev, ino     uint64
	size         int64
	mtime, ctime int64
}

func fileIdentity(fi os.FileInfo) fileID {
	id := fileID{size: fi.Size(), mtime: fi.ModTime().UnixNano()}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		id.dev, id.ino = uint64(st.Dev), st.Ino
		id.ctime = statCtime(st)
	}
	return id
}

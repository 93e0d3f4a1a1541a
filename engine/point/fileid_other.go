//go:build !linux && !darwin

package point

import "os"

// fileID identifies one version of a file by size and modification time.
type fileID struct {
	size, mtime int64
}

func fileIdentity(fi os.FileInfo) fileID {
	return fileID{size: fi.Size(), mtime: fi.ModTime().UnixNano()}
}

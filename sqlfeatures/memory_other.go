//go:build !linux

package sqlfeatures

// releaseMemory is a no-op outside Linux.
func releaseMemory() {}

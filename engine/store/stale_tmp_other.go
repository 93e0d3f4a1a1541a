//go:build !unix

package store

// processAlive cannot ask here: every temp file is kept.
func processAlive(int) bool { return true }

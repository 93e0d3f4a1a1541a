//go:build !linux

package engine

import "errors"

// exchange is not atomic outside Linux: ExchangeDirs falls back to two
// renames.
func exchange(a, b string) error { return errors.ErrUnsupported }

// ReleaseMemory is a no-op outside Linux.
func ReleaseMemory() {}

//go:build !linux

package store

import "errors"

// exchange is not atomic outside Linux: ExchangeDirs falls back to two
// renames.
func exchange(a, b string) error { return errors.ErrUnsupported }

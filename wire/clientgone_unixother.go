//go:build unix && !linux

package wire

import "syscall"

// peerHalfClosed: only Linux reports the TCP state; the peek decides.
func peerHalfClosed(syscall.RawConn) bool { return false }

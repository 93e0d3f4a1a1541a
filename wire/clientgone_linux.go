//go:build linux

package wire

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// peerHalfClosed reports whether the kernel has seen the peer's FIN
// (TCP state CLOSE_WAIT), even with unread bytes still queued ahead of
// it, which a peek cannot see past.
func peerHalfClosed(rc syscall.RawConn) bool {
	closed := false
	rc.Control(func(fd uintptr) {
		info, err := unix.GetsockoptTCPInfo(int(fd), unix.IPPROTO_TCP, unix.TCP_INFO)
		closed = err == nil && info.State == 8 // TCP_CLOSE_WAIT
	})
	return closed
}

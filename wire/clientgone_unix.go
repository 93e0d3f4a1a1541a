//go:build unix

package wire

import (
	"errors"
	"net"
	"syscall"
)

// peerClosed reports whether the peer of nc has closed or reset the
// connection, without consuming anything: a non-blocking MSG_PEEK that
// reads 0 bytes (FIN) or fails with anything but "would block". Bytes
// waiting (a pipelined message) mean the client is still there.
func peerClosed(nc net.Conn) bool {
	sc, ok := nc.(syscall.Conn)
	if !ok {
		return false
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return false
	}
	if peerHalfClosed(rc) {
		return true
	}
	closed := false
	var buf [1]byte
	rc.Read(func(fd uintptr) bool {
		n, _, err := syscall.Recvfrom(int(fd), buf[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		switch {
		case err == nil:
			closed = n == 0
		case errors.Is(err, syscall.EAGAIN), errors.Is(err, syscall.EWOULDBLOCK), errors.Is(err, syscall.EINTR):
		default:
			closed = true
		}
		return true
	})
	return closed
}

//go:build linux

package watch

import (
	"errors"
	"path/filepath"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// inotifyWatcher watches directories' entries with a non-blocking
// inotify descriptor.
type inotifyWatcher struct {
	fd   int
	root string
	wds  map[int]string // watch descriptor -> directory
	buf  []byte
}

// watchMask: the events that change a directory's modification time,
// and the directory itself going away.
const watchMask = unix.IN_CREATE | unix.IN_DELETE | unix.IN_MOVED_FROM | unix.IN_MOVED_TO |
	unix.IN_DELETE_SELF | unix.IN_MOVE_SELF | unix.IN_ONLYDIR

func newDirWatcher(root string) (dirWatcher, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	fd, err := unix.InotifyInit1(unix.IN_NONBLOCK | unix.IN_CLOEXEC)
	if err != nil {
		return nil, err
	}
	return &inotifyWatcher{fd: fd, root: abs, wds: map[int]string{}, buf: make([]byte, 16<<10)}, nil
}

func (iw *inotifyWatcher) changed() (bool, error) {
	changed := false
	for {
		n, err := unix.Read(iw.fd, iw.buf)
		switch {
		case errors.Is(err, unix.EAGAIN):
			return changed, nil
		case errors.Is(err, unix.EINTR):
			continue
		case err != nil:
			return false, err
		case n < unix.SizeofInotifyEvent:
			return changed, nil
		}
		for off := 0; off+unix.SizeofInotifyEvent <= n; {
			ev := (*unix.InotifyEvent)(unsafe.Pointer(&iw.buf[off]))
			off += unix.SizeofInotifyEvent + int(ev.Len)
			if ev.Mask&unix.IN_Q_OVERFLOW != 0 {
				changed = true
				continue
			}
			if _, ok := iw.wds[int(ev.Wd)]; !ok {
				continue // IN_IGNORED of a watch removed by watch
			}
			if ev.Mask&unix.IN_IGNORED != 0 {
				delete(iw.wds, int(ev.Wd)) // the kernel dropped it
			}
			changed = true
		}
	}
}

func (iw *inotifyWatcher) watch(dirs []string) error {
	want := make(map[int]string, len(dirs))
	for _, d := range dirs {
		abs, err := filepath.Abs(d)
		if err != nil {
			return err
		}
		watched := false
		for p := abs; ; {
			wd, err := unix.InotifyAddWatch(iw.fd, p, watchMask)
			if err == nil {
				want[wd] = p
				watched = true
				break
			}
			if !errors.Is(err, unix.ENOENT) && !errors.Is(err, unix.ENOTDIR) {
				return err
			}
			parent := filepath.Dir(p)
			if p == iw.root || parent == p || !strings.HasPrefix(parent, iw.root) {
				break
			}
			p = parent
		}
		if !watched {
			return errors.New("watch lake: no existing directory under " + iw.root + " for " + d)
		}
	}
	for wd := range iw.wds {
		if _, ok := want[wd]; !ok {
			unix.InotifyRmWatch(iw.fd, uint32(wd))
		}
	}
	iw.wds = want
	return nil
}

func (iw *inotifyWatcher) close() { unix.Close(iw.fd) }

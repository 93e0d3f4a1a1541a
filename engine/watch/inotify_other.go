//go:build !linux

package watch

import "errors"

// newDirWatcher: no inotify here; Watcher polls.
func newDirWatcher(string) (dirWatcher, error) {
	return nil, errors.New("directory watching needs inotify (Linux)")
}

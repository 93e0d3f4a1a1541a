//go:build !linux

package engine

import "errors"

// newDirWatcher: no inotify here; LakeWatcher polls.
func newDirWatcher(string) (dirWatcher, error) {
	return nil, errors.New("directory watching needs inotify (Linux)")
}

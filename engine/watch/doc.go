// Package watch keeps a database's lake views current while a server
// runs. Watcher.Check refreshes the views when the directories that
// publishing renames into changed since the last refresh: on Linux with
// inotify, drained by one non-blocking read per statement (the kernel
// queues the event before the publishing rename returns, so a statement
// checked after a publication sees it); elsewhere, or when inotify fails,
// by comparing directory modification times.
package watch

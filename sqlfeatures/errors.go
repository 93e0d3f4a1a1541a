package sqlfeatures

import (
	"errors"
	"fmt"
	"strings"
)

// ManifestError is a problem in a manifest or one of its SQL files, at a
// line and key. Its message is "FILE:LINE: KEY: MSG" so editors can jump
// to it.
type ManifestError struct {
	File string // the manifest or SQL file, as given
	Line int    // 1-based; 0 when unknown
	Key  string // dotted manifest key ("source.lookback_days"), or the SQL object
	Msg  string
}

func (e *ManifestError) Error() string {
	loc := e.File
	if e.Line > 0 {
		loc = fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	if e.Key == "" {
		return loc + ": " + e.Msg
	}
	return loc + ": " + e.Key + ": " + e.Msg
}

// FingerprintError refuses to build into a version that was built from a
// different manifest or SQL.
type FingerprintError struct {
	VersionID string
	Existing  string // fingerprint recorded in the lake
	New       string // fingerprint of the manifest being built
}

func (e *FingerprintError) Error() string {
	return fmt.Sprintf("version %s already exists with fingerprint %s, but this manifest has fingerprint %s: "+
		"bump the version in the manifest (a new version id) or pass --force to replace the whole version",
		e.VersionID, e.Existing, e.New)
}

// DateError is one trading date that failed to build.
type DateError struct {
	Date string
	Err  error
}

func (e *DateError) Error() string { return "date " + e.Date + ": " + e.Err.Error() }

func (e *DateError) Unwrap() error { return e.Err }

// BuildError lists every date of a build that failed; the others were
// built or skipped as usual.
type BuildError struct {
	VersionID string
	Failed    []*DateError
}

func (e *BuildError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "build %s: %d date(s) failed:", e.VersionID, len(e.Failed))
	for _, d := range e.Failed {
		b.WriteString("\n  " + d.Error())
	}
	return b.String()
}

// Unwrap exposes the per-date errors to errors.Is and errors.As.
func (e *BuildError) Unwrap() []error {
	out := make([]error, len(e.Failed))
	for i, d := range e.Failed {
		out[i] = d
	}
	return out
}

// AuditError says why a staged date was not published.
type AuditError struct {
	Reasons []string
}

func (e *AuditError) Error() string { return "audit failed: " + strings.Join(e.Reasons, "; ") }

// ErrVersionNotFound reports a version id with no directory in the lake.
var ErrVersionNotFound = errors.New("version not found")

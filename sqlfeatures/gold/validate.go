package gold

import (
	"context"
	"fmt"
	"os"
	"slices"

	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/store"
)

// Report is what Validate found about a dataset.
type Report struct {
	Dataset   string    `json:"dataset"`
	Promotion int       `json:"promotion"`
	Metadata  *Metadata `json:"metadata"`
	OK        bool      `json:"ok"`
	Failures  []string  `json:"failures"`
}

// Validate re-checks a dataset's current file against its metadata (the
// sha256 and size, the row count and schema, the key's uniqueness, regular
// hours and the null-rate limits) and against the Silver version it was
// promoted from: each date's recorded fingerprint, rows and columns
// (source.go). Every failure is listed; err is for a dataset that cannot
// be checked at all (unknown, corrupted metadata).
func Validate(ctx context.Context, lake store.Lake, name string, cfg duck.Config) (*Report, error) {
	m, path, err := Current(lake, name)
	if err != nil {
		return nil, err
	}
	r := &Report{Dataset: name, Promotion: m.Promotion, Metadata: m, Failures: []string{}}
	fail := func(format string, args ...any) { r.Failures = append(r.Failures, fmt.Sprintf(format, args...)) }
	sum, size, err := hashFile(path)
	switch {
	case err != nil:
		fail("data file: %v", err)
	case sum != m.SHA256:
		fail("sha256 of %s is %s, the metadata says %s", path, sum, m.SHA256)
	case size != m.Bytes:
		fail("%s has %d bytes, the metadata says %d", path, size, m.Bytes)
	}
	for _, l := range []struct{ link, want string }{
		{lake.GoldDatasetFile(name), path},
		{lake.GoldMetadataFile(name), metadataPath(lake, name, m.Promotion)},
	} {
		got, err := resolve(l.link)
		want, werr := resolve(l.want)
		if err != nil || werr != nil || got != want {
			fail("%s does not lead to the current promotion", l.link)
		}
	}
	if err == nil {
		conn, closeConn, err := openConn(ctx, lake, cfg)
		if err != nil {
			return nil, err
		}
		defer closeConn()
		c, err := checkFile(ctx, conn, path, m.Key, m.NullLimits)
		if err != nil {
			fail("read %s: %v", path, err)
		} else {
			r.Failures = append(r.Failures, c.Failures...)
			if c.Rows != m.Rows {
				fail("the file has %d rows, the metadata says %d", c.Rows, m.Rows)
			}
			if !slices.Equal(c.Columns, m.Columns) {
				fail("the file's columns %v differ from the metadata's %v", c.Columns, m.Columns)
			}
			r.Failures = append(r.Failures, sourceFailures(lake, m, c.Columns, c.Rows)...)
		}
	}
	r.OK = len(r.Failures) == 0
	return r, nil
}

func resolve(p string) (string, error) {
	if _, err := os.Stat(p); err != nil {
		return "", err
	}
	return evalSymlinks(p)
}

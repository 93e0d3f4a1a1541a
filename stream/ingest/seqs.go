package ingest

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/parquet-go/parquet-go"
)

// seqsKey is the Parquet footer key holding the JetStream sequences of the
// messages whose rows a file holds: "<stream>:<base64 of uvarint deltas>".
// The file itself is the commit record: once it is published, those
// messages are written, whatever happens to their acks.
const seqsKey = "spysql.nats.seqs"

// fileName is the published name of a batch: the stream and the first and
// last sequence of its messages (zero-padded, so names sort by sequence).
func fileName(stream string, seqs []uint64) string {
	return fmt.Sprintf("nats-%s-%012d-%012d.parquet", stream, seqs[0], seqs[len(seqs)-1])
}

// encodeSeqs encodes sorted, distinct sequences.
func encodeSeqs(stream string, seqs []uint64) string {
	buf := make([]byte, 0, len(seqs)*2)
	var prev uint64
	for _, s := range seqs {
		buf = binary.AppendUvarint(buf, s-prev)
		prev = s
	}
	return stream + ":" + base64.RawStdEncoding.EncodeToString(buf)
}

func decodeSeqs(v string) (string, []uint64, error) {
	stream, b64, ok := strings.Cut(v, ":")
	if !ok {
		return "", nil, errors.New("no stream name")
	}
	buf, err := base64.RawStdEncoding.DecodeString(b64)
	if err != nil {
		return "", nil, err
	}
	var seqs []uint64
	var prev uint64
	for len(buf) > 0 {
		d, n := binary.Uvarint(buf)
		if n <= 0 || (len(seqs) > 0 && d == 0) || prev+d < prev {
			return "", nil, errors.New("bad sequence list")
		}
		prev += d
		seqs = append(seqs, prev)
		buf = buf[n:]
	}
	return stream, seqs, nil
}

// readSeqs reads the sequences recorded in a published file's footer.
func readSeqs(path string) (string, []uint64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", nil, err
	}
	pf, err := parquet.OpenFile(f, st.Size(), parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		return "", nil, fmt.Errorf("read %s: %w", path, err)
	}
	v, ok := pf.Lookup(seqsKey)
	if !ok {
		return "", nil, fmt.Errorf("read %s: no %s in footer", path, seqsKey)
	}
	stream, seqs, err := decodeSeqs(v)
	if err != nil {
		return "", nil, fmt.Errorf("read %s: %s: %w", path, seqsKey, err)
	}
	return stream, seqs, nil
}

// written knows which sequences of one stream the published files of a
// partition directory hold. It is consulted only for redelivered messages
// (a first delivery cannot have been written), loads a directory the first
// time it is asked and rereads it when its modification time changes.
type written struct {
	stream string
	dirs   map[string]*dirSeqs
}

type dirSeqs struct {
	mtime int64
	files map[string][]uint64 // base name -> sorted sequences
}

func newWritten(stream string) *written {
	return &written{stream: stream, dirs: map[string]*dirSeqs{}}
}

// has reports whether a published file in dir holds seq.
func (w *written) has(dir string, seq uint64) (bool, error) {
	d := w.dirs[dir]
	st, err := os.Stat(dir)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if d == nil || d.mtime != st.ModTime().UnixNano() {
		if d == nil {
			d = &dirSeqs{files: map[string][]uint64{}}
			w.dirs[dir] = d
		}
		d.mtime = st.ModTime().UnixNano()
		names, err := filepath.Glob(filepath.Join(dir, "nats-"+w.stream+"-*.parquet"))
		if err != nil {
			return false, err
		}
		for _, p := range names {
			base := filepath.Base(p)
			if _, ok := d.files[base]; ok {
				continue
			}
			stream, seqs, err := readSeqs(p)
			if err != nil {
				return false, err
			}
			if stream != w.stream {
				continue
			}
			d.files[base] = seqs
		}
	}
	for _, seqs := range d.files {
		if len(seqs) == 0 || seq < seqs[0] || seq > seqs[len(seqs)-1] {
			continue
		}
		if _, ok := slices.BinarySearch(seqs, seq); ok {
			return true, nil
		}
	}
	return false, nil
}

// overlapping returns the sequences of the published files in dir whose
// names' ranges overlap [lo, hi]; only those footers are read, once each.
func (w *written) overlapping(dir string, lo, hi uint64) ([][]uint64, error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	d := w.dirs[dir]
	var out [][]uint64
	for _, e := range ents {
		first, last, ok := parseFileName(w.stream, e.Name())
		if !ok || last < lo || first > hi {
			continue
		}
		if d == nil {
			// mtime 0: has rereads the directory before trusting it.
			d = &dirSeqs{files: map[string][]uint64{}}
			w.dirs[dir] = d
		}
		seqs, ok := d.files[e.Name()]
		if !ok {
			stream, s, err := readSeqs(filepath.Join(dir, e.Name()))
			if err != nil {
				return nil, err
			}
			if stream != w.stream {
				continue
			}
			seqs = s
			d.files[e.Name()] = seqs
		}
		out = append(out, seqs)
	}
	return out, nil
}

// parseFileName is the sequence range of a fileName of stream.
func parseFileName(stream, name string) (first, last uint64, ok bool) {
	rest, ok := strings.CutPrefix(name, "nats-"+stream+"-")
	if !ok {
		return 0, 0, false
	}
	rest, ok = strings.CutSuffix(rest, ".parquet")
	if !ok {
		return 0, 0, false
	}
	a, b, ok := strings.Cut(rest, "-")
	if !ok {
		return 0, 0, false
	}
	first, err1 := strconv.ParseUint(a, 10, 64)
	last, err2 := strconv.ParseUint(b, 10, 64)
	return first, last, err1 == nil && err2 == nil && first <= last
}

// add records a file this process published, when dir is loaded.
func (w *written) add(dir, base string, seqs []uint64) {
	if d := w.dirs[dir]; d != nil {
		d.files[base] = seqs
	}
}

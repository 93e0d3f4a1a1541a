package polygon

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/klauspost/compress/gzip"
)

// ErrFormat is wrapped by every error about malformed input.
var ErrFormat = errors.New("invalid Polygon flat file")

// StockTrade is one row of a stocks trades flat file.
type StockTrade struct {
	Ticker               string
	Conditions           []int32 // carved from an arena that is never overwritten
	Correction           int32
	Exchange             int32
	ID                   string
	ParticipantTimestamp int64 // 0 when the column is missing or empty
	Price                float64
	SequenceNumber       int64
	SIPTimestamp         int64
	Size                 int64
	Tape                 int32
	TRFID                int32
	TRFTimestamp         int64
}

// OptionTrade is one row of an options trades flat file.
type OptionTrade struct {
	Ticker               string // OCC symbol with the "O:" prefix
	Conditions           []int32
	Correction           int32
	Exchange             int32
	ParticipantTimestamp int64
	Price                float64
	SIPTimestamp         int64
	Size                 int64
}

// EventNS is the event time: participant_timestamp when present and nonzero,
// else sip_timestamp.
func (t *StockTrade) EventNS() int64 { return eventNS(t.ParticipantTimestamp, t.SIPTimestamp) }

// EventNS is the event time: participant_timestamp when present and nonzero,
// else sip_timestamp.
func (t *OptionTrade) EventNS() int64 { return eventNS(t.ParticipantTimestamp, t.SIPTimestamp) }

func eventNS(participant, sip int64) int64 {
	if participant != 0 {
		return participant
	}
	return sip
}

// table reads the rows of one CSV flat file.
type table struct {
	gz    *gzip.Reader
	csv   *csv.Reader
	cols  map[string]int
	rec   []string
	line  int
	arena []int32
	err   error
}

const arenaSize = 4096

func newTable(r io.Reader, required []string) (*table, error) {
	br := bufio.NewReaderSize(r, 256<<10)
	t := &table{}
	if head, _ := br.Peek(2); len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("%w: gzip: %v", ErrFormat, err)
		}
		t.gz = gz
		t.csv = csv.NewReader(bufio.NewReaderSize(gz, 256<<10))
	} else {
		t.csv = csv.NewReader(br)
	}
	t.csv.ReuseRecord = true
	header, err := t.csv.Read()
	if err == io.EOF {
		t.Close()
		return nil, fmt.Errorf("%w: empty file, no header", ErrFormat)
	}
	if err != nil {
		t.Close()
		return nil, fmt.Errorf("%w: header: %v", ErrFormat, err)
	}
	t.line = 1
	t.cols = make(map[string]int, len(header))
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, dup := t.cols[h]; dup {
			t.Close()
			return nil, fmt.Errorf("%w: column %q appears twice", ErrFormat, h)
		}
		t.cols[h] = i
	}
	for _, c := range required {
		if _, ok := t.cols[c]; !ok {
			t.Close()
			return nil, fmt.Errorf("%w: no %q column (header %q)", ErrFormat, c, strings.Join(header, ","))
		}
	}
	return t, nil
}

// col is the index of a column, or -1 when the file lacks it.
func (t *table) col(name string) int {
	if i, ok := t.cols[name]; ok {
		return i
	}
	return -1
}

// next reads the next row into t.rec; io.EOF at the end.
func (t *table) next() error {
	if t.err != nil {
		return t.err
	}
	rec, err := t.csv.Read()
	if err == io.EOF {
		t.err = io.EOF
		return err
	}
	t.line++
	if err != nil {
		t.err = fmt.Errorf("%w: line %d: %v", ErrFormat, t.line, err)
		return t.err
	}
	t.rec = rec
	return nil
}

// fail records a field error of the current row.
func (t *table) fail(name string, err error) error {
	v := ""
	if i := t.col(name); i >= 0 {
		v = t.rec[i]
	}
	t.err = fmt.Errorf("%w: line %d: column %s %q: %v", ErrFormat, t.line, name, v, err)
	return t.err
}

func (t *table) field(i int) string {
	if i < 0 {
		return ""
	}
	return t.rec[i]
}

func (t *table) int64At(i int, name string, required bool) (int64, error) {
	s := t.field(i)
	if s == "" {
		if required {
			return 0, t.fail(name, errors.New("missing value"))
		}
		return 0, nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		// Some exports write integers as decimals ("100.0").
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || f != math.Trunc(f) || math.Abs(f) >= 1<<63 {
			return 0, t.fail(name, errors.New("not an integer"))
		}
		v = int64(f)
	}
	return v, nil
}

func (t *table) int32At(i int, name string) (int32, error) {
	v, err := t.int64At(i, name, false)
	if err != nil {
		return 0, err
	}
	if v < math.MinInt32 || v > math.MaxInt32 {
		return 0, t.fail(name, errors.New("out of range"))
	}
	return int32(v), nil
}

func (t *table) priceAt(i int) (float64, error) {
	s := t.field(i)
	if s == "" {
		return 0, t.fail("price", errors.New("missing value"))
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, t.fail("price", errors.New("not a number"))
	}
	return v, nil
}

// conditionsAt parses "12,37" into a slice carved from a shared arena.
func (t *table) conditionsAt(i int) ([]int32, error) {
	s := strings.TrimSpace(t.field(i))
	if s == "" {
		return nil, nil
	}
	n := strings.Count(s, ",") + 1
	if n > arenaSize {
		return nil, t.fail("conditions", errors.New("too many conditions"))
	}
	if len(t.arena)+n > cap(t.arena) {
		t.arena = make([]int32, 0, arenaSize)
	}
	start := len(t.arena)
	for part := range strings.SplitSeq(s, ",") {
		v, err := strconv.ParseInt(strings.TrimSpace(part), 10, 32)
		if err != nil {
			return nil, t.fail("conditions", errors.New("not a list of integers"))
		}
		t.arena = append(t.arena, int32(v))
	}
	return t.arena[start:len(t.arena):len(t.arena)], nil
}

// Close releases the gzip reader. It does not close the underlying reader.
func (t *table) Close() error {
	if t.gz != nil {
		return t.gz.Close()
	}
	return nil
}

// Line is the line number of the last row read (the header is line 1).
func (t *table) Line() int { return t.line }

// StocksReader reads a stocks trades flat file.
type StocksReader struct {
	*table
	ticker, conditions, correction, exchange, id, participant,
	price, seq, sip, size, tape, trfID, trfTS int
}

// NewStocksReader reads the header of a stocks trades file.
func NewStocksReader(r io.Reader) (*StocksReader, error) {
	t, err := newTable(r, []string{"ticker", "price", "size", "sip_timestamp"})
	if err != nil {
		return nil, err
	}
	return &StocksReader{
		table: t, ticker: t.col("ticker"), conditions: t.col("conditions"), correction: t.col("correction"),
		exchange: t.col("exchange"), id: t.col("id"), participant: t.col("participant_timestamp"),
		price: t.col("price"), seq: t.col("sequence_number"), sip: t.col("sip_timestamp"),
		size: t.col("size"), tape: t.col("tape"), trfID: t.col("trf_id"), trfTS: t.col("trf_timestamp"),
	}, nil
}

// Read reads the next row into tr; io.EOF at the end. Errors are sticky.
func (s *StocksReader) Read(tr *StockTrade) error {
	if err := s.next(); err != nil {
		return err
	}
	var err error
	if tr.Ticker = s.field(s.ticker); tr.Ticker == "" {
		return s.fail("ticker", errors.New("missing value"))
	}
	if tr.Conditions, err = s.conditionsAt(s.conditions); err != nil {
		return err
	}
	if tr.Correction, err = s.int32At(s.correction, "correction"); err != nil {
		return err
	}
	if tr.Exchange, err = s.int32At(s.exchange, "exchange"); err != nil {
		return err
	}
	tr.ID = s.field(s.id)
	if tr.ParticipantTimestamp, err = s.int64At(s.participant, "participant_timestamp", false); err != nil {
		return err
	}
	if tr.Price, err = s.priceAt(s.price); err != nil {
		return err
	}
	if tr.SequenceNumber, err = s.int64At(s.seq, "sequence_number", false); err != nil {
		return err
	}
	if tr.SIPTimestamp, err = s.int64At(s.sip, "sip_timestamp", true); err != nil {
		return err
	}
	if tr.Size, err = s.int64At(s.size, "size", true); err != nil {
		return err
	}
	if tr.Tape, err = s.int32At(s.tape, "tape"); err != nil {
		return err
	}
	if tr.TRFID, err = s.int32At(s.trfID, "trf_id"); err != nil {
		return err
	}
	if tr.TRFTimestamp, err = s.int64At(s.trfTS, "trf_timestamp", false); err != nil {
		return err
	}
	return nil
}

// OptionsReader reads an options trades flat file.
type OptionsReader struct {
	*table
	ticker, conditions, correction, exchange, participant, price, sip, size int
}

// NewOptionsReader reads the header of an options trades file.
func NewOptionsReader(r io.Reader) (*OptionsReader, error) {
	t, err := newTable(r, []string{"ticker", "price", "size", "sip_timestamp"})
	if err != nil {
		return nil, err
	}
	return &OptionsReader{
		table: t, ticker: t.col("ticker"), conditions: t.col("conditions"), correction: t.col("correction"),
		exchange: t.col("exchange"), participant: t.col("participant_timestamp"), price: t.col("price"),
		sip: t.col("sip_timestamp"), size: t.col("size"),
	}, nil
}

// Read reads the next row into tr; io.EOF at the end. Errors are sticky.
func (o *OptionsReader) Read(tr *OptionTrade) error {
	if err := o.next(); err != nil {
		return err
	}
	var err error
	if tr.Ticker = o.field(o.ticker); tr.Ticker == "" {
		return o.fail("ticker", errors.New("missing value"))
	}
	if tr.Conditions, err = o.conditionsAt(o.conditions); err != nil {
		return err
	}
	if tr.Correction, err = o.int32At(o.correction, "correction"); err != nil {
		return err
	}
	if tr.Exchange, err = o.int32At(o.exchange, "exchange"); err != nil {
		return err
	}
	if tr.ParticipantTimestamp, err = o.int64At(o.participant, "participant_timestamp", false); err != nil {
		return err
	}
	if tr.Price, err = o.priceAt(o.price); err != nil {
		return err
	}
	if tr.SIPTimestamp, err = o.int64At(o.sip, "sip_timestamp", true); err != nil {
		return err
	}
	if tr.Size, err = o.int64At(o.size, "size", true); err != nil {
		return err
	}
	return nil
}

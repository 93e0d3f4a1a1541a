package replay_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spysql/spysql/engine/calendar"
	"github.com/spysql/spysql/engine/store"
	"github.com/spysql/spysql/internal/testkit"
	"github.com/spysql/spysql/stream/replay"
)

// orderLake holds rows of every table, in several files, partitions,
// hours and dates, with ties in event time across tables and files. Each
// row is tagged; wantOrder lists the tags in the order replay must
// publish them (by hand, from the documented rule: event time, then
// table, then file path, then row within the file).
func orderLake(t *testing.T) store.Lake {
	t.Helper()
	lake := testkit.NewLake(t)
	T := at(2025, 12, 16, 15, 0, 0, 0) // 10:00 ET
	const s = int64(1e9)
	write(t, lake, "a", futures("f1", "ES", T+3*s, 1), futures("f2", "ES", T+s, 2))
	write(t, lake, "b", futures("f3", "ES", T+s, 0), futures("f6", "ES", T+5*s/2, 0))
	write(t, lake, "a", futures("f4", "NQ", T+s, 0))
	write(t, lake, "a", book("m2", "ES", T+2*s, 2), book("m1", "ES", T+s, 1))
	write(t, lake, "a", stock("s3", "SPY", T+2*s, 2), stock("s1", "SPY", T+s/2, 5), stock("s2", "SPY", T+2*s, 1))
	write(t, lake, "a", option("o1", "SPY", T+s), option("o2", "SPY", T+4*s))
	// The next hour, then the next trading date.
	write(t, lake, "a", futures("f5", "ES", at(2025, 12, 16, 16, 0, 0, 500), 0))
	write(t, lake, "a", stock("s4", "SPY", at(2025, 12, 16, 16, 0, 0, 250), 0))
	write(t, lake, "a", futures("f7", "ES", at(2025, 12, 17, 14, 0, 0, 0), 0))
	return lake
}

var wantOrder = []string{
	"s1",                         // T+0.5s
	"f2", "f3", "f4", "m1", "o1", // T+1s: futures ES/a, ES/b, NQ/a; then mbp10; then options
	"m2", "s2", "s3", // T+2s: mbp10 before stocks; s2, s3 by seq within the file
	"f6", "f1", // file b's row before file a's later one
	"o2",       // T+4s
	"s4", "f5", // the next hour
	"f7", // the next date
}

// Replay publishes in event-time order across tables, files, partitions,
// hours and dates, with the documented tie order, on the subjects of
// DESIGN.md section 9, each with a Nats-Msg-Id naming its file and row.
func TestReplayOrder(t *testing.T) {
	_, js := withStreams(t)
	lake := orderLake(t)
	cfg := replay.Config{Lake: lake, Calendar: newCalendar(t), From: date(t, "2025-12-16"), To: date(t, "2025-12-17")}
	st, err := replay.Run(context.Background(), js, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if st.Messages != int64(len(wantOrder)) {
		t.Errorf("stats %+v, want %d messages", st, len(wantOrder))
	}
	got := streamMsgs(t, js)
	if !slices.Equal(tags(got), wantOrder) {
		t.Fatalf("published order\n got %v\nwant %v", tags(got), wantOrder)
	}
	ids := map[string]bool{}
	for i, m := range got {
		if i > 0 && m.ts < got[i-1].ts {
			t.Errorf("%s (ts %d) published after %s (ts %d)", m.tag, m.ts, got[i-1].tag, got[i-1].ts)
		}
		if m.id == "" || ids[m.id] {
			t.Errorf("%s: Nats-Msg-Id %q empty or repeated", m.tag, m.id)
		}
		ids[m.id] = true
	}
	bySubject := map[string]string{
		"f4": "market.futures.trades.NQ", "f1": "market.futures.trades.ES", "m1": "market.futures.mbp10.ES",
		"s1": "market.stocks.trades.SPY", "o1": "market.options.trades.SPY",
	}
	for _, m := range got {
		if want, ok := bySubject[m.tag]; ok && m.subject != want {
			t.Errorf("%s on subject %q, want %q", m.tag, m.subject, want)
		}
	}
	// f1 is the second row (by time) of ES's file a of 15:00 UTC.
	i := slices.Index(wantOrder, "f1")
	if want := "bronze/futures/trades/symbol=ES/date=2025-12-16/hour=15/a.parquet#1"; got[i].id != want {
		t.Errorf("f1: Nats-Msg-Id %q, want %q", got[i].id, want)
	}
}

// A second replay of the same dates, and one from a copy of the lake at
// another root, add nothing to the stream: the Nats-Msg-Id is stable
// and JetStream drops the repeats.
func TestReplayTwiceStoresOnce(t *testing.T) {
	_, js := withStreams(t)
	lake := orderLake(t)
	copyDir := filepath.Join(t.TempDir(), "copy")
	if err := testkit.CopyTree(lake.Root(), copyDir); err != nil {
		t.Fatal(err)
	}
	lakeCopy, err := store.OpenLake(copyDir, false)
	if err != nil {
		t.Fatal(err)
	}
	cal := newCalendar(t)
	n := uint64(len(wantOrder))
	for i, l := range []store.Lake{lake, lake, lakeCopy} {
		cfg := replay.Config{Lake: l, Calendar: cal, From: date(t, "2025-12-16"), To: date(t, "2025-12-17")}
		st, err := replay.Run(context.Background(), js, cfg, nil)
		if err != nil {
			t.Fatalf("replay %d: %v", i+1, err)
		}
		if st.Messages != int64(n) {
			t.Errorf("replay %d published %d messages, want %d", i+1, st.Messages, n)
		}
		if got := streamCount(t, js); got != n {
			t.Fatalf("after replay %d MARKET holds %d messages, want %d", i+1, got, n)
		}
	}
	if got := tags(streamMsgs(t, js)); !slices.Equal(got, wantOrder) {
		t.Errorf("stream after three replays: %v, want %v", got, wantOrder)
	}
}

// datesLake has rows on the trading dates 2025-12-15..18 at the first
// and last UTC hours of each session (04:00 and 19:59 New York time, the
// second on the next UTC date) and one overnight (00:00 New York), which
// belongs to no session. 2025-12-19 and 2025-12-22 are trading dates
// without rows.
func datesLake(t *testing.T) store.Lake {
	t.Helper()
	lake := testkit.NewLake(t)
	for day := 15; day <= 18; day++ {
		tag := "12-" + itoa2(day)
		write(t, lake, "a", stock(tag+" first", "SPY", at(2025, 12, day, 9, 0, 0, 500), 0))
		write(t, lake, "a", futures(tag+" last", "ES", at(2025, 12, day+1, 0, 59, 0, 0), 0))
		write(t, lake, "n", futures(tag+" night", "ES", at(2025, 12, day+1, 5, 0, 0, 0), 0))
	}
	return lake
}

func itoa2(n int) string { return string([]byte{byte('0' + n/10), byte('0' + n%10)}) }

// --dates A..B replays the sessions of the trading dates A to B, both
// included, and nothing else. The contract for dates without rows: a
// range with no trading date publishes nothing and says so (Dates 0, no
// error); trading dates without a Bronze row are listed in Missing; when
// no trading date of the range has one, Run fails with ErrNoBronze.
func TestReplayDates(t *testing.T) {
	lake := datesLake(t)
	cal := newCalendar(t)
	day := func(d int) []string { return []string{"12-" + itoa2(d) + " first", "12-" + itoa2(d) + " last"} }
	for _, c := range []struct {
		name, from, to string
		want           []string
		dates          int
		missing        []string
		err            func(error) bool
	}{
		{name: "one date", from: "2025-12-16", to: "2025-12-16", want: day(16), dates: 1},
		{name: "two dates", from: "2025-12-16", to: "2025-12-17", want: slices.Concat(day(16), day(17)), dates: 2},
		{name: "first date of the lake", from: "2025-12-15", to: "2025-12-15", want: day(15), dates: 1},
		{name: "some dates missing", from: "2025-12-17", to: "2025-12-22", want: slices.Concat(day(17), day(18)),
			dates: 4, missing: []string{"2025-12-19", "2025-12-22"}},
		{name: "weekend", from: "2025-12-20", to: "2025-12-21", dates: 0},
		{name: "no rows", from: "2025-12-19", to: "2025-12-22", dates: 2, missing: []string{"2025-12-19", "2025-12-22"},
			err: func(err error) bool { return errors.Is(err, replay.ErrNoBronze) }},
		{name: "reversed", from: "2025-12-17", to: "2025-12-16",
			err: func(err error) bool { return err != nil && strings.Contains(err.Error(), "after") }},
		{name: "outside the calendar", from: "1990-01-02", to: "1990-01-02",
			err: func(err error) bool { return errors.Is(err, calendar.ErrOutOfRange) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, js := withStreams(t)
			cfg := replay.Config{Lake: lake, Calendar: cal, From: date(t, c.from), To: date(t, c.to)}
			st, err := replay.Run(context.Background(), js, cfg, nil)
			if c.err != nil {
				if !c.err(err) {
					t.Fatalf("err %v", err)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			got := tags(streamMsgs(t, js))
			if !slices.Equal(got, c.want) {
				t.Errorf("published %v, want %v", got, c.want)
			}
			if st.Messages != int64(len(c.want)) || st.Dates != c.dates {
				t.Errorf("stats %+v, want %d messages of %d trading dates", st, len(c.want), c.dates)
			}
			var missing []string
			for _, d := range st.Missing {
				missing = append(missing, d.String())
			}
			if !slices.Equal(missing, c.missing) {
				t.Errorf("missing %v, want %v", missing, c.missing)
			}
		})
	}
}

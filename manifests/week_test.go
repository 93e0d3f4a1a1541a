package manifests_test

import (
	"context"
	"testing"

	"github.com/spysql/spysql/engine/calendar"
	"github.com/spysql/spysql/engine/duck"
	"github.com/spysql/spysql/engine/store"
	"github.com/spysql/spysql/sqlfeatures"
)

// TestGeneratedWeek builds v1.0 and v2.0 with the real builder on a week
// generated at scale 0.05: Thanksgiving week of 2025 (the 27th is a
// holiday, the 28th closes at 13:00) and 2025-11-03, the first session
// after the switch from EDT to EST (its lookback day is still EDT). Every
// date must pass the builder's audit (declared columns, unique keys, rows
// inside regular hours, null rates within the manifest's validation
// limits); across the week at least five level kinds fire and all three
// outcomes occur.
func TestGeneratedWeek(t *testing.T) {
	root := t.TempDir()
	for _, r := range [][2]string{{"2025-10-31", "2025-11-03"}, {"2025-11-21", "2025-11-28"}} {
		if err := generate(root, r[0], r[1], 0.05); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	lake, err := store.OpenLake(root, false)
	if err != nil {
		t.Fatal(err)
	}
	dates := []calendar.Date{mustDate(t, "2025-11-03"), mustDate(t, "2025-11-24"), mustDate(t, "2025-11-25"),
		mustDate(t, "2025-11-26"), mustDate(t, "2025-11-28")}
	for _, m := range []string{"v1.0_mechanics_only.yaml", "v2.0_full_ensemble.yaml"} {
		db, err := duck.Open(ctx, lake, duck.Config{})
		if err != nil {
			t.Fatal(err)
		}
		b, err := sqlfeatures.LoadBundle(ctx, db.SQL(), m, sibling)
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
		res, err := sqlfeatures.Build(ctx, lake, b, sqlfeatures.BuildOptions{Dates: dates, Engine: duck.Config{Threads: 2}})
		if err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		if len(res.Built) != len(dates) {
			t.Fatalf("%s: built %d of %d dates: %+v", m, len(res.Built), len(dates), res)
		}
	}
	db, err := duck.Open(ctx, lake, duck.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, v := range []string{"v1.0_mechanics_only", "v2.0_full_ensemble"} {
		var kinds, outcomes, dirs, early, dst int
		q := `SELECT count(DISTINCT level_kind), count(DISTINCT outcome), count(DISTINCT direction),
		             count(*) FILTER (WHERE date = '2025-11-28'), count(*) FILTER (WHERE date = '2025-11-03')
		      FROM silver."` + v + `" WHERE outcome IN ('BREAK', 'BOUNCE', 'CHOP')`
		if err := db.SQL().QueryRowContext(ctx, q).Scan(&kinds, &outcomes, &dirs, &early, &dst); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d level kinds, %d outcomes, %d directions, %d rows on the early close, %d on the DST day", v, kinds, outcomes, dirs, early, dst)
		if kinds < 5 || outcomes != 3 || dirs != 2 || early == 0 || dst == 0 {
			t.Errorf("%s: want >= 5 level kinds, 3 outcomes, 2 directions and rows on both special days", v)
		}
		// The early close ends at 13:00 New York (18:00 UTC in November).
		var late int
		if err := db.SQL().QueryRowContext(ctx, `SELECT count(*) FROM silver."`+v+`"
			WHERE date = '2025-11-28' AND ts_event_ns >= epoch_ns(TIMESTAMP '2025-11-28 18:00:00')`).Scan(&late); err != nil {
			t.Fatal(err)
		}
		if late != 0 {
			t.Errorf("%s: %d signals after the early close", v, late)
		}
	}
}

package db_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"briefbot/briefings"
	"briefbot/db"
)

// TestFindNames_WildcardsAreText: autocomplete matches the text typed
// anywhere in a name, and a %, _ or \ in it is that character, not a
// pattern, on both backends.
func TestFindNames_WildcardsAreText(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {
		b := simple("Odd names", briefings.DayOf(2025, 3, 1))
		for _, n := range []string{"A_B Group", "AxB Group", "50% Club", "500 Club", `Back\slash Ltd`, "Backslash Ltd"} {
			b.Actors = append(b.Actors, briefings.Actor{Name: n, Kind: briefings.KindOrganization})
		}
		mustSave(t, d, "", b)
		for text, want := range map[string][]string{
			"a_b":      {"A_B Group"},
			"0%":       {"50% Club"},
			`k\s`:      {`Back\slash Ltd`},
			"group":    {"A_B Group", "AxB Group"},
			"b group":  {"A_B Group", "AxB Group"},
			"no match": nil,
		} {
			got, err := d.CompleteNames(ctx, "", briefings.NameActor, text, 10)
			if err != nil {
				t.Fatal(err)
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("CompleteNames(%q) = %q, want %q", text, got, want)
			}
		}
	})
}

// TestFindNames_PostgresUsesTrigrams: on PostgreSQL, looking up a name in a
// library of 20,000 actors reads the trigram index on their folded names
// and aliases rather than every row.
func TestFindNames_PostgresUsesTrigrams(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := mustOpenPostgres(t)
	mustSave(t, d, "", kimPutin())
	for _, q := range []string{
		`INSERT INTO actors (id, guild_id, name, name_folded) SELECT g, '', 'Person ' || g, 'person ' || g FROM generate_series(1000, 21000) g`,
		`INSERT INTO actor_names (actor_id, guild_id, name, folded, position) SELECT g, '', 'Person ' || g, 'person ' || g, 0 FROM generate_series(1000, 21000) g`,
		`ANALYZE actors`, `ANALYZE actor_names`,
	} {
		if err := d.ExecForTest(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	scans := func() int64 {
		var n int64
		if err := d.CountForTest(ctx, `SELECT coalesce(sum(idx_scan), 0) FROM pg_stat_user_indexes WHERE indexrelname = 'actor_names_trgm'`, &n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := scans()
	got, err := d.FindActorsToCurate(ctx, "", "jong", 5)
	if err != nil || len(got) != 1 || got[0].Name != "Kim Jong Un" {
		t.Fatalf("FindActorsToCurate(jong) = %+v, %v", got, err)
	}
	// Each connection reports its statistics within a second of going idle.
	for deadline := time.Now().Add(5 * time.Second); scans() == before; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("looking up a name did not read actor_names_trgm")
		}
	}
}

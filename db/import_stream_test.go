package db_test

import (
	"context"
	"testing"

	"briefbot/briefings"
	"briefbot/db"
	"briefbot/internal/gen"
)

// TestDB_Import_Streamed adds briefings one at a time, as `briefbot import`
// does while it reads: they are staged out of sight as they come and
// appear together at Commit.
func TestDB_Import_Streamed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {
		n := 2300 // staged in several transactions
		g := gen.New(n)
		im := d.NewImport("g1", "cli")
		for _, b := range g.Next(n) {
			if err := im.Add(ctx, b); err != nil {
				t.Fatal(err)
			}
		}
		rows := countRowsIn(t, d, "briefings", "import_stagings")
		if rows["briefings"] <= n-1000 || rows["import_stagings"] != 1 { // at most 1,000 wait in memory
			t.Fatalf("before Commit rows = %v, want more than %d briefings staged", rows, n-1000)
		}
		if _, total, err := d.Briefings(ctx, briefings.BriefingQuery{GuildID: "g1", Limit: 1}); err != nil || total != 0 {
			t.Fatalf("before Commit the guild sees %d briefings (%v), want none", total, err)
		}
		out, err := im.Commit(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(out) != n || out[n-1].Action != "created" {
			t.Fatalf("%d outcomes, the last %+v", len(out), out[len(out)-1])
		}
		if _, total, err := d.Briefings(ctx, briefings.BriefingQuery{GuildID: "g1", Limit: 1}); err != nil || total != n {
			t.Fatalf("after Commit the guild sees %d briefings (%v), want %d", total, err, n)
		}
		if rows := countRowsIn(t, d, "import_stagings", "import_staged"); rows["import_stagings"]+rows["import_staged"] != 0 {
			t.Fatalf("staging left behind: %v", rows)
		}
	})
}

// TestDB_Import_Abort: a streamed import given up after staging leaves
// the library as it was.
func TestDB_Import_Abort(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {
		mustSave(t, d, "g1", kimPutin())
		before := countRowsIn(t, d, libraryTables...)
		im := d.NewImport("g1", "cli")
		if err := im.Add(ctx, gen.New(1500).Next(1500)...); err != nil {
			t.Fatal(err)
		}
		if rows := countRowsIn(t, d, "briefings"); rows["briefings"] <= before["briefings"] {
			t.Fatal("nothing was staged before Abort; the test proves nothing")
		}
		if err := im.Abort(ctx); err != nil {
			t.Fatal(err)
		}
		after := countRowsIn(t, d, libraryTables...)
		for _, table := range libraryTables {
			if before[table] != after[table] {
				t.Errorf("%s: %d rows before, %d after Abort", table, before[table], after[table])
			}
		}
		if _, err := im.Commit(ctx); err == nil {
			t.Error("Commit after Abort succeeded")
		}
	})
}

package db_test

import (
	"context"
	"testing"

	"briefbot/db"
	"briefbot/internal/testlib"
)

// TestCopy_AnalyzesPostgres checks that a library copied into PostgreSQL
// has its tables' statistics as soon as the copy returns, rather than once
// autovacuum has gathered them: until then PostgreSQL's plans are far off.
func TestCopy_AnalyzesPostgres(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src, _ := mustOpen(t)
	mustSave(t, src, "", testlib.SampleBriefings(t)...)
	pg := mustOpenPostgres(t)
	if _, err := db.Copy(ctx, src, pg, db.CopyOptions{}); err != nil {
		t.Fatalf("copy to PostgreSQL: %v", err)
	}
	for _, table := range []string{"briefings", "briefing_actors", "briefing_events", "briefing_topics", "facts", "fact_actors", "actor_names"} {
		var columns int
		if err := pg.CountForTest(ctx, `SELECT count(*) FROM pg_stats WHERE schemaname = current_schema() AND tablename = '`+table+`'`, &columns); err != nil {
			t.Fatal(err)
		}
		if columns == 0 {
			t.Errorf("%s has no statistics after the copy", table)
		}
	}
}

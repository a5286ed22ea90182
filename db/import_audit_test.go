package db_test

import (
	"context"
	"testing"

	"briefbot/briefings"
	"briefbot/db"
)

// An import from the command line (`briefbot import`, no --guild) writes
// the global library and an audit entry per briefing, by "cli".
func TestDB_ImportBriefingsAuditsCLI(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {
		if _, err := d.ImportBriefings(ctx, "", []*briefings.Briefing{kimPutin(), missileTest()}, "cli"); err != nil {
			t.Fatal(err)
		}
		es, err := d.AuditLog(ctx, "", 10)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(es), 2; got != want {
			t.Fatalf("audit entries=%d, want %d: %+v", got, want, es)
		}
		for _, e := range es {
			if e.Action != briefings.AuditImport || e.UserID != "cli" || e.GuildID != "" || e.After == "" || e.Before != "" {
				t.Errorf("entry=%+v, want an import by cli into the global library with an after snapshot", e)
			}
		}
	})
}

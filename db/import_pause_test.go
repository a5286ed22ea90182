package db

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"briefbot/briefings"
)

// A staged import sees another connection's write between two of its
// transactions (SQLite's data_version), and then pauses after every
// transaction; while no other connection writes it pauses after every
// other one.
func TestImport_PausesForOtherWriters(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "lib.db")
	d, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	bot, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer bot.Close()
	k := 0
	next := func(n int) []*briefings.Briefing {
		var out []*briefings.Briefing
		for range n {
			k++
			out = append(out, &briefings.Briefing{Title: fmt.Sprintf("Harbour report %d", k), Summary: "Traffic.",
				Published: briefings.DayOf(2025, 7, 1), Topics: []string{"harbour"}})
		}
		return out
	}
	im := d.NewImport("g1", "cli")
	defer im.Abort(ctx)
	if err := im.Add(ctx, next(stageChunk+1)...); err != nil || im.st == nil {
		t.Fatalf("the import is not staged (%v)", err)
	}
	stage := func() {
		t.Helper()
		for len(im.pending) > 0 {
			if err := im.stage(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	stage()
	im.pending = append(im.pending, added{b: next(1)[0]})
	stage()
	if !im.othersWrote.IsZero() {
		t.Fatalf("another writer seen at %v, but none wrote", im.othersWrote)
	}
	if paused := []bool{im.pause(), func() bool { im.chunks++; return im.pause() }()}; paused[0] == paused[1] {
		t.Fatalf("with no other writer, pauses %v after two transactions, want one of them", paused)
	}
	if _, err := bot.SaveCurated(ctx, briefings.Write{GuildID: "g2", Briefing: next(1)[0], By: "mod", Action: briefings.AuditEdit}); err != nil {
		t.Fatal(err)
	}
	im.pending = append(im.pending, added{b: next(1)[0]})
	stage()
	if im.othersWrote.IsZero() {
		t.Fatal("another connection wrote between two transactions, and the import did not see it")
	}
	for range 3 {
		if im.chunks++; !im.pause() {
			t.Fatal("after another connection wrote, the import goes on without pausing")
		}
	}
	if _, err := im.Commit(ctx); err != nil {
		t.Fatal(err)
	}
}

package db_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"briefbot/briefings"
	"briefbot/db"
	"briefbot/internal/gen"
)

// libraryTables are the tables an import writes, counted to prove that a
// failed one leaves nothing behind.
var libraryTables = []string{"briefings", "facts", "fact_actors", "briefing_topics", "briefing_actors", "briefing_events",
	"briefing_versions", "actors", "actor_names", "actors_fts", "events", "event_participants", "topics",
	"audit_log", "import_stagings", "import_staged"}

func TestDB_StagedImport_Publishes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {
		mustSave(t, d, "g1", kimPutin())
		bs := gen.New(1200).Next(1200)
		changed := kimPutin()
		changed.Summary = "A changed summary, saved when the import is published."
		bs = append(bs, changed)

		out, err := d.ImportBriefings(ctx, "g1", bs, "cli")
		if err != nil {
			t.Fatal(err)
		}
		counts := map[string]int{}
		for _, o := range out {
			counts[o.Action]++
		}
		if counts["created"] != 1200 || counts["updated"] != 1 || out[len(out)-1].Action != "updated" {
			t.Fatalf("outcomes = %v, want 1200 created and the last updated", counts)
		}
		rows := countRowsIn(t, d, "briefings", "import_stagings", "import_staged", "audit_log")
		if rows["briefings"] != 1201 || rows["import_stagings"] != 0 || rows["import_staged"] != 0 || rows["audit_log"] != 1201 {
			t.Fatalf("rows = %v, want 1201 briefings and audit entries and no staging left", rows)
		}
		_, total, err := d.Briefings(ctx, briefings.BriefingQuery{GuildID: "g1", Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		if total != 1201 {
			t.Fatalf("guild g1 shows %d briefings, want 1201", total)
		}
		b, err := d.Briefing(ctx, "g1", out[len(out)-1].Slug)
		if err != nil || b.Summary != changed.Summary {
			t.Fatalf("updated briefing = %+v, %v", b, err)
		}
	})
}

func TestDB_StagedImport_FailureLeavesNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {
		mustSave(t, d, "g1", kimPutin())
		before := countRowsIn(t, d, libraryTables...)
		actor, err := d.Actor(ctx, "g1", "Kim Jong Un")
		if err != nil {
			t.Fatal(err)
		}

		bs := gen.New(1200).Next(1200)
		// The import redescribes an actor of the library and gives it an
		// alias (in the first chunk), and its last briefing is invalid.
		redescribed := kimPutin()
		redescribed.Slug = "kim-redescribed"
		redescribed.Actors[0].Description = "Changed by an import that fails."
		redescribed.Actors[0].Aliases = append(redescribed.Actors[0].Aliases, "Comrade Staged")
		bs = append([]*briefings.Briefing{redescribed}, bs...)
		bs[len(bs)-1].Title = ""

		_, err = d.ImportBriefings(ctx, "g1", bs, "cli")
		var batch *briefings.BatchError
		if !errors.As(err, &batch) || len(batch.Items) != 1 || batch.Items[0].Index != len(bs)-1 {
			t.Fatalf("err = %v, want a batch error for the last briefing", err)
		}
		after := countRowsIn(t, d, libraryTables...)
		for _, table := range libraryTables {
			if before[table] != after[table] {
				t.Errorf("%s: %d rows before the failed import, %d after", table, before[table], after[table])
			}
		}
		again, err := d.Actor(ctx, "g1", "Kim Jong Un")
		if err != nil {
			t.Fatal(err)
		}
		if again.Description != actor.Description || len(again.Aliases) != len(actor.Aliases) {
			t.Fatalf("actor after the failed import = %q %v, want %q %v", again.Description, again.Aliases, actor.Description, actor.Aliases)
		}
		if _, err := d.Actor(ctx, "g1", "Comrade Staged"); codeOf(err) != briefings.ENOTFOUND {
			t.Fatalf("the failed import's alias still finds an actor: %v", err)
		}
	})
}

// A moderator's write made through another connection (as the bot does
// while `briefbot import` runs in another process) waits at most about one
// chunk of a large import, not for the whole of it.
func TestDB_StagedImport_OtherWritersWaitBriefly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d, path := mustOpen(t)
	slug := mustSave(t, d, "g1", kimPutin())[0].Slug
	bot, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer bot.Close()
	// Six transactions at least (stageMax each): a correction that starts
	// waiting right after one may wait for quietPauses of them.
	bs := gen.New(6000).Next(6000)

	start := time.Now()
	done := make(chan error, 1)
	go func() {
		_, err := d.ImportBriefings(ctx, "g1", bs, "cli")
		done <- err
	}()
	var (
		mu      sync.Mutex
		longest time.Duration
		writes  int
	)
	for running := true; running; {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			running = false
			continue
		default:
		}
		b, err := bot.EditableBriefing(ctx, mustID(t, bot, "g1", slug))
		if err != nil {
			t.Fatal(err)
		}
		b.Corrections = append(b.Corrections, briefings.Correction{Date: b.Published, Text: "Corrected during an import."})
		t0 := time.Now()
		if _, err := bot.SaveCurated(ctx, briefings.Write{GuildID: "g1", Briefing: b, By: "mod", BaseVersion: b.Version,
			Action: briefings.AuditCorrect}); err != nil {
			t.Fatalf("a moderator's correction during the import failed: %v", err)
		}
		mu.Lock()
		longest = max(longest, time.Since(t0))
		writes++
		mu.Unlock()
		time.Sleep(20 * time.Millisecond)
	}
	took := time.Since(start)
	t.Logf("import of %d took %v; %d corrections during it, the longest waited %v", len(bs), took, writes, longest)
	// An import that held the write lock throughout would make one
	// correction wait for nearly all of it and let few through. While no
	// other writer has been seen, the import pauses after every
	// quietPauses-th transaction, so a correction may wait for two of the
	// six or more (a third), and a loaded machine stretches one of them or
	// the publishing at the end: the bound is half.
	if longest > took/2 || writes < 3 {
		t.Fatalf("%d corrections during an import taking %v, the longest waited %v: the import held the write lock", writes, took, longest)
	}
}

// mustID returns the id of the briefing with the slug.
func mustID(tb testing.TB, d *db.DB, guildID, slug string) int64 {
	tb.Helper()
	b, err := d.BriefingWithStatus(context.Background(), guildID, slug)
	if err != nil {
		tb.Fatal(err)
	}
	return b.ID
}

// A second import while one is staged is refused, saying so.
func TestDB_StagedImport_SecondImportIsRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d, path := mustOpen(t)
	other, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	other.Now = d.Now
	bs := gen.New(3000).Next(3000)
	done := make(chan error, 1)
	go func() {
		_, err := d.ImportBriefings(ctx, "", bs, "cli")
		done <- err
	}()
	var refusal error
	for refusal == nil {
		select {
		case err := <-done:
			t.Fatalf("the first import ended (%v) before a second was refused", err)
		default:
		}
		_, err := other.ImportBriefings(ctx, "", []*briefings.Briefing{kimPutin()}, "mod")
		if err != nil {
			refusal = err
		} else {
			time.Sleep(5 * time.Millisecond)
		}
	}
	if codeOf(refusal) != briefings.EBUSY || !strings.Contains(briefings.ErrorMessage(refusal), "Another import is being saved") {
		t.Fatalf("second import: %v, want EBUSY saying another import is being saved", refusal)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

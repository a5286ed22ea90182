package db_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"briefbot/briefings"
	"briefbot/db"
	"briefbot/internal/testlib"
)

// fillForCopy gives d a row in every table Copy carries: the sample
// library, a guild's own briefings with a correction and a draft, a topic
// alias, a form draft, a subscription with a delivery and its digest,
// settings, a feed with an item, feedback, a reading room and vectors.
func fillForCopy(t *testing.T, d *db.DB) {
	t.Helper()
	ctx := context.Background()
	mustSave(t, d, "", testlib.SampleBriefings(t)...)
	saved := mustSave(t, d, "g1", kimPutin(), missileTest())
	if err := d.SaveTopic(ctx, "g1", briefings.Topic{Slug: "korea", Name: "Korean peninsula", Aliases: []string{"DPRK"}}); err != nil {
		t.Fatal(err)
	}
	b, err := d.BriefingWithStatus(ctx, "g1", saved[0].Slug)
	if err != nil {
		t.Fatal(err)
	}
	b.Corrections = append(b.Corrections, briefings.Correction{Date: briefings.DayOf(2025, 8, 14), Text: "The meeting was in Vladivostok, not Khabarovsk."})
	if _, err := d.SaveCurated(ctx, briefings.Write{GuildID: "g1", Briefing: b, By: "mod1", BaseVersion: b.Version, Action: briefings.AuditCorrect}); err != nil {
		t.Fatalf("correct: %v", err)
	}
	f, err := d.AddFeed(ctx, briefings.Feed{GuildID: "g1", URL: "https://courier.example/rss", Topic: "Summits", ReviewChannelID: "700"}, 20)
	if err != nil {
		t.Fatal(err)
	}
	draft := simple("Summit draft from the feed", briefings.DayOf(2025, 8, 12), "Summits")
	draft.Status = briefings.StatusDraft
	item := briefings.FeedItem{FeedID: f.ID, Key: "summit-1", Hash: "h1", Link: "https://courier.example/summit", Title: "Summit",
		State: briefings.FeedItemDrafted, Card: briefings.FeedCardWaiting, CardNote: "From the feed."}
	if _, err := d.SaveCurated(ctx, briefings.Write{GuildID: "g1", Briefing: draft, By: briefings.FeedAuthor(f.ID), Action: briefings.AuditDraft, FeedItem: &item}); err != nil {
		t.Fatalf("draft: %v", err)
	}
	if due, err := d.DueFeeds(ctx, now.Add(time.Hour), 10); err != nil || len(due) != 1 {
		t.Fatalf("lease the due feed: %d, %v", len(due), err)
	}
	if _, err := d.SaveFormDraft(ctx, briefings.FormDraft{GuildID: "g1", UserID: "u1", Kind: "add", Fields: map[string]string{"title": "Typed half-way"}}); err != nil {
		t.Fatal(err)
	}
	if err := d.SaveSettings(ctx, briefings.GuildSettings{GuildID: "g1", ModeratorRoleID: "200000000000000002", TimeZone: "Europe/Berlin"}, "admin"); err != nil {
		t.Fatal(err)
	}
	sub := &briefings.Subscription{GuildID: "g1", ChannelID: "c1", UserID: "u1", Topic: "korea",
		Times: []briefings.Clock{{Hour: 8}}, Zone: "Europe/Berlin", Days: briefings.DaysDaily}
	if _, _, err := d.SaveSubscription(ctx, sub, now); err != nil {
		t.Fatal(err)
	}
	if rep, err := d.ClaimDue(ctx, now.Add(24*time.Hour), briefings.DefaultGrace, briefings.Shard{}); err != nil || rep.Claimed == 0 {
		t.Fatalf("claim: %+v %v", rep, err)
	}
	if _, err := d.SaveDigest(ctx, briefings.DigestKey{GuildID: "g1", Topic: "korea", Since: now.Add(-24 * time.Hour), Until: now}, []string{"part one", "part two"}); err != nil {
		t.Fatal(err)
	}
	if err := d.RecordFeedback(ctx, briefings.AnswerFeedback{GuildID: "g1", ChannelID: "c1", MessageID: "m1", UserID: "u2",
		Question: "Who met?", Answer: "Kim and Putin [1].", Model: "m", Helpful: true}); err != nil {
		t.Fatal(err)
	}
	key, err := briefings.NewRoomKey()
	if err != nil {
		t.Fatal(err)
	}
	if err := d.SaveReadingRoom(ctx, briefings.ReadingRoom{GuildID: "g1", Key: key, On: true}, "admin"); err != nil {
		t.Fatal(err)
	}
	items, err := d.Unembedded(ctx, "m", 1000)
	if err != nil || len(items) == 0 {
		t.Fatalf("unembedded: %d, %v", len(items), err)
	}
	vecs := make([][]float32, len(items))
	for i := range vecs {
		vecs[i] = []float32{float32(i), 0.5, -1}
	}
	if err := d.SaveVectors(ctx, "m", items, vecs); err != nil {
		t.Fatal(err)
	}
	for table, n := range countRowsIn(t, d, db.CopyTables()...) {
		if n == 0 {
			t.Fatalf("the library to copy has no row in %s", table)
		}
	}
}

// dumps returns every row of every table Copy carries.
func dumps(t *testing.T, d *db.DB) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, table := range db.CopyTables() {
		rows, err := d.DumpForTest(context.Background(), table)
		if err != nil {
			t.Fatalf("dump %s: %v", table, err)
		}
		out[table] = rows
	}
	return out
}

// sameRows fails the test where two stores' dumps differ.
func sameRows(t *testing.T, what string, want, got map[string][]string) {
	t.Helper()
	for _, table := range db.CopyTables() {
		w, g := want[table], got[table]
		if slices.Equal(w, g) {
			continue
		}
		for _, r := range w {
			if !slices.Contains(g, r) {
				t.Errorf("%s: %s lost the row %s", what, table, r)
				break
			}
		}
		for _, r := range g {
			if !slices.Contains(w, r) {
				t.Errorf("%s: %s gained the row %s", what, table, r)
				break
			}
		}
		t.Errorf("%s: %s has %d rows, want %d", what, table, len(g), len(w))
	}
}

// TestCopy_SQLiteToPostgresAndBack copies a library with a row in every
// table from SQLite to PostgreSQL and from there to a new SQLite file:
// every row of every table arrives, ids and rowids included, and both
// copies answer as the original does. The PostgreSQL copy then takes new
// writes with ids and rowids past the copied ones.
func TestCopy_SQLiteToPostgresAndBack(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src, _ := mustOpen(t)
	fillForCopy(t, src)
	pg := mustOpenPostgres(t)
	back := mustOpenAt(t, filepath.Join(t.TempDir(), "back.db"))

	var progress []string
	tables, err := db.Copy(ctx, src, pg, db.CopyOptions{Progress: func(table string, rows int64, done bool) {
		if done {
			progress = append(progress, table)
		}
	}})
	if err != nil {
		t.Fatalf("copy to PostgreSQL: %v", err)
	}
	if !slices.Equal(progress, db.CopyTables()) || len(tables) != len(db.CopyTables()) {
		t.Errorf("progress named %v and the copy returned %d tables, want every table in order %v", progress, len(tables), db.CopyTables())
	}
	if _, err := db.Copy(ctx, pg, back, db.CopyOptions{}); err != nil {
		t.Fatalf("copy back to SQLite: %v", err)
	}
	want := dumps(t, src)
	sameRows(t, "SQLite → PostgreSQL", want, dumps(t, pg))
	sameRows(t, "SQLite → PostgreSQL → SQLite", want, dumps(t, back))

	for _, d := range []*db.DB{src, pg, back} {
		hits, err := d.Search(ctx, briefings.SearchQuery{GuildID: "g1", Text: "Vladivostok"})
		if err != nil || len(hits) == 0 {
			t.Errorf("search on the copy: %d hits, %v", len(hits), err)
		}
		names, err := d.CompleteNames(ctx, "g1", briefings.NameActor, "kim", 5)
		if err != nil || len(names) == 0 {
			t.Errorf("autocomplete on the copy: %v, %v", names, err)
		}
		s, err := d.Settings(ctx, "g1")
		if err != nil || s.TimeZone != "Europe/Berlin" || s.ModeratorRoleID != "200000000000000002" {
			t.Errorf("settings on the copy: %+v, %v", s, err)
		}
		room, err := d.ReadingRoom(ctx, "g1")
		if err == nil {
			room, err = d.OpenReadingRoom(ctx, room.Key)
		}
		if err != nil || room.GuildID != "g1" || !room.On {
			t.Errorf("reading room on the copy: %+v, %v", room, err)
		}
	}

	// The source's processes' leases stay behind.
	for _, d := range []*db.DB{src, pg, back} {
		var leased int
		if err := d.CountForTest(ctx, `SELECT count(*) FROM feeds WHERE leased_by <> ''`, &leased); err != nil {
			t.Fatal(err)
		}
		if want := map[bool]int{true: 1, false: 0}[d == src]; leased != want {
			t.Errorf("%d leased feeds, want %d", leased, want)
		}
	}

	// New rows on the PostgreSQL copy get ids and rowids of their own.
	before := countRowsIn(t, pg, "briefings", "actor_names", "briefing_actors")
	extra := simple("Ferry strike ends", briefings.DayOf(2025, 9, 1), "Ports")
	extra.Actors = []briefings.Actor{{Name: "Ferry Union", Kind: briefings.KindOrganization, Aliases: []string{"the union"}}}
	mustSave(t, pg, "g1", extra)
	after := countRowsIn(t, pg, "briefings", "actor_names", "briefing_actors")
	for table, n := range before {
		if after[table] <= n {
			t.Errorf("%s: %d rows after a new save, want more than %d", table, after[table], n)
		}
	}
	for _, table := range []string{"actor_names", "briefing_actors"} {
		var dup int
		if err := pg.CountForTest(ctx, `SELECT count(*) FROM (SELECT rowid FROM `+table+` GROUP BY rowid HAVING count(*) > 1) d`, &dup); err != nil || dup != 0 {
			t.Errorf("%s: %d rowids given out twice after the copy (%v)", table, dup, err)
		}
	}
}

// TestCopy_Refuses: a destination that holds a library is left alone
// unless Replace says to empty it; a source with a table this briefbot
// does not know is not copied; and a copy that fails half-way leaves the
// destination as it was.
func TestCopy_Refuses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src, _ := mustOpen(t)
	fillForCopy(t, src)

	t.Run("NotEmpty", func(t *testing.T) {
		dst, _ := mustOpen(t)
		mustSave(t, dst, "", simple("Already here", briefings.DayOf(2025, 1, 1), "Other"))
		if _, err := db.Copy(ctx, src, dst, db.CopyOptions{}); !errors.Is(err, db.ErrNotEmpty) {
			t.Fatalf("copy into a library: %v, want ErrNotEmpty", err)
		}
		if n := countRowsIn(t, dst, "briefings")["briefings"]; n != 1 {
			t.Fatalf("the refused destination has %d briefings, want its 1", n)
		}
		if _, err := db.Copy(ctx, src, dst, db.CopyOptions{Replace: true}); err != nil {
			t.Fatalf("copy with Replace: %v", err)
		}
		sameRows(t, "replaced", dumps(t, src), dumps(t, dst))
		if _, err := dst.Briefing(ctx, "", "already-here"); briefings.ErrorCode(err) != briefings.ENOTFOUND {
			t.Errorf("the replaced library's briefing is still there: %v", err)
		}
	})

	t.Run("FailsHalfWay", func(t *testing.T) {
		dst, _ := mustOpen(t)
		if err := dst.ExecForTest(ctx, `CREATE TRIGGER full_disk BEFORE INSERT ON reading_rooms BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Copy(ctx, src, dst, db.CopyOptions{}); err == nil || !strings.Contains(err.Error(), "reading_rooms") {
			t.Fatalf("copy onto a failing disk: %v, want an error naming reading_rooms", err)
		}
		for table, n := range countRowsIn(t, dst, db.CopyTables()...) {
			if n != 0 {
				t.Errorf("after the failed copy the destination's %s has %d rows, want none", table, n)
			}
		}
	})

	t.Run("UnknownTable", func(t *testing.T) {
		newer, _ := mustOpen(t)
		if err := newer.ExecForTest(ctx, `CREATE TABLE polls (id INTEGER PRIMARY KEY, question TEXT)`); err != nil {
			t.Fatal(err)
		}
		dst, _ := mustOpen(t)
		if _, err := db.Copy(ctx, newer, dst, db.CopyOptions{}); err == nil || !strings.Contains(err.Error(), "polls") {
			t.Fatalf("copy of a library with an unknown table: %v, want a refusal naming it", err)
		}
	})
}

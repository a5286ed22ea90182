package db_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"briefbot/briefings"
	"briefbot/db"
)

func TestDB_SaveBriefings(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {

		t.Run("Create", func(t *testing.T) {
			out := mustSave(t, d, "", kimPutin())
			if got, want := out, []briefings.SaveOutcome{{Slug: "kim-meets-putin-in-vladivostok", Action: "created", Version: 1}}; !reflect.DeepEqual(got, want) {
				t.Fatalf("outcome=%+v, want %+v", got, want)
			}
			b, err := d.Briefing(ctx, "", "kim-meets-putin-in-vladivostok")
			if err != nil {
				t.Fatal(err)
			}
			if got, want := b.Status, briefings.StatusPublished; got != want {
				t.Errorf("status=%q, want %q", got, want)
			}
			if b.Version != 1 || b.CreatedBy != "moderator" || !b.CreatedAt.Equal(now) || !b.UpdatedAt.Equal(now) {
				t.Errorf("version=%d by=%q at=%v, want 1 moderator %v", b.Version, b.CreatedBy, b.CreatedAt, now)
			}
			if got, want := b.Topics, []string{"Korea", "Russia"}; !reflect.DeepEqual(got, want) { // display names
				t.Errorf("topics=%q, want %q", got, want)
			}
			if got, want := b.Published.String(), "2025-08-12"; got != want {
				t.Errorf("published=%q, want %q", got, want)
			}
			if len(b.Actors) != 2 || b.Actors[0].Name != "Kim Jong Un" || !reflect.DeepEqual(b.Actors[0].Aliases, []string{"Kim", "Kim Jong-un"}) || b.Actors[1].Name != "Vladimir Putin" {
				t.Errorf("actors=%+v", b.Actors)
			}
			if len(b.Events) != 1 || !reflect.DeepEqual(b.Events[0].Participants, []string{"Kim Jong Un", "Vladimir Putin"}) || b.Events[0].Location != "Vladivostok" {
				t.Errorf("events=%+v", b.Events)
			}
			if len(b.Facts) != 2 {
				t.Fatalf("facts=%+v", b.Facts)
			}
			f := b.Facts[0]
			if f.Event != "Vladivostok summit" || !reflect.DeepEqual(f.Actors, []string{"Kim Jong Un", "Vladimir Putin"}) || f.AsOf.String() != "2025-08-11" || f.Attribution != "Kremlin" {
				t.Errorf("fact 1=%+v", f)
			}
			if got, want := b.Facts[1].Actors, []string{"Kim Jong Un"}; !reflect.DeepEqual(got, want) {
				t.Errorf("fact 2 actors=%q, want %q", got, want)
			}
			if len(b.Corrections) != 1 || b.Corrections[0].Date.String() != "2025-08-13" {
				t.Errorf("corrections=%+v", b.Corrections)
			}
		})

		t.Run("Unchanged", func(t *testing.T) {
			out := mustSave(t, d, "", kimPutin())
			if got, want := out[0].Action, "unchanged"; got != want {
				t.Fatalf("action=%q, want %q", got, want)
			}
			if got, want := out[0].Version, 1; got != want {
				t.Fatalf("version=%d, want %d", got, want)
			}
		})

		t.Run("Update", func(t *testing.T) {
			b := kimPutin()
			b.Summary = "The leaders met to discuss arms."
			b.Facts[1].Text = "North Korea supplies artillery shells."
			out := mustSave(t, d, "", b)
			if got, want := out[0], (briefings.SaveOutcome{Slug: "kim-meets-putin-in-vladivostok", Action: "updated", Version: 2}); got != want {
				t.Fatalf("outcome=%+v, want %+v", got, want)
			}
			got, err := d.Briefing(ctx, "", out[0].Slug)
			if err != nil {
				t.Fatal(err)
			}
			if got.Summary != b.Summary || got.Version != 2 || got.Facts[1].Text != b.Facts[1].Text || len(got.Facts) != 2 {
				t.Errorf("briefing after update: summary=%q version=%d facts=%+v", got.Summary, got.Version, got.Facts)
			}
			history, err := d.History(ctx, "", out[0].Slug)
			if err != nil {
				t.Fatal(err)
			}
			if len(history) != 2 || history[0].Changes != "summary, facts[2]" || history[1].Changes != "created" || history[0].By != "moderator" {
				t.Errorf("history=%+v", history)
			}
			if history[0].Snapshot.Summary != b.Summary {
				t.Errorf("snapshot summary=%q, want %q", history[0].Snapshot.Summary, b.Summary)
			}
		})

		t.Run("Retract", func(t *testing.T) {
			b := kimPutin()
			b.Summary = "The leaders met to discuss arms."
			b.Facts[1].Text = "North Korea supplies artillery shells."
			b.Status, b.RetractionReason = briefings.StatusRetracted, "The meeting was misreported."
			if out := mustSave(t, d, "", b); out[0].Action != "updated" || out[0].Version != 3 {
				t.Fatalf("outcome=%+v", out[0])
			}
			if _, err := d.Briefing(ctx, "", "kim-meets-putin-in-vladivostok"); codeOf(err) != briefings.ENOTFOUND {
				t.Fatalf("Briefing of a retracted briefing: err=%v, want not found", err)
			}
			list, total, err := d.Briefings(ctx, briefings.BriefingQuery{})
			if err != nil || total != 0 || len(list) != 0 {
				t.Fatalf("published briefings=%d total=%d err=%v, want none", len(list), total, err)
			}
			list, total, err = d.Briefings(ctx, briefings.BriefingQuery{Statuses: []briefings.Status{briefings.StatusRetracted}})
			if err != nil || total != 1 || list[0].RetractionReason != b.RetractionReason {
				t.Fatalf("retracted briefings=%+v total=%d err=%v", list, total, err)
			}
			hits, err := d.Search(ctx, briefings.SearchQuery{Text: "Vladivostok"})
			if err != nil || len(hits) != 0 {
				t.Fatalf("search finds a retracted briefing: %+v %v", hits, err)
			}
			if got, err := d.BriefingWithStatus(ctx, "", "kim-meets-putin-in-vladivostok"); err != nil || got.Status != briefings.StatusRetracted {
				t.Fatalf("BriefingWithStatus=%v, %v", got, err)
			}
		})
	})
}

func TestDB_SaveBriefings_Aliases(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {
		mustSave(t, d, "", kimPutin())
		mustSave(t, d, "", missileTest())

		kim, err := d.Actor(ctx, "", "kim")
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"Kim Jong Un", "KIM JONG-ÜN", "  kim   jong un ", "Kím"} {
			a, err := d.Actor(ctx, "", name)
			if err != nil {
				t.Fatalf("Actor(%q): %v", name, err)
			}
			if a.ID != kim.ID {
				t.Errorf("Actor(%q)=%d %q, want %d", name, a.ID, a.Name, kim.ID)
			}
		}
		if _, err := d.Actor(ctx, "", "Xi Jinping"); codeOf(err) != briefings.ENOTFOUND || !strings.Contains(briefings.ErrorMessage(err), `No actor named "Xi Jinping"`) {
			t.Errorf("Actor(unknown) err=%v", err)
		}

		b, err := d.Briefing(ctx, "", "north-korea-tests-a-cruise-missile")
		if err != nil {
			t.Fatal(err)
		}
		// The second briefing names Kim by an undeclared alias, yet exports him.
		if len(b.Actors) != 1 || b.Actors[0].ID != kim.ID || b.Facts[0].Actors[0] != "Kim Jong Un" {
			t.Errorf("actors=%+v facts=%+v, want Kim Jong Un", b.Actors, b.Facts)
		}
		refs, _, err := d.BriefingsMentioning(ctx, "", kim.ID, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := slugsOf(refs), []string{"north-korea-tests-a-cruise-missile", "kim-meets-putin-in-vladivostok"}; !reflect.DeepEqual(got, want) {
			t.Errorf("briefings mentioning Kim=%q, want %q", got, want)
		}
		facts, err := d.Facts(ctx, briefings.FactQuery{ActorID: kim.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(facts) != 3 || facts[0].Briefing.Slug != "north-korea-tests-a-cruise-missile" || facts[1].Fact.Attribution != "Kremlin" {
			t.Errorf("facts about Kim=%+v", facts)
		}

		t.Run("Merge", func(t *testing.T) {
			mustSave(t, d, "", &briefings.Briefing{
				Title: "Kim visits a factory", Summary: "A visit.", Published: briefings.DayOf(2025, 9, 2), Topics: []string{"korea"},
				Actors: []briefings.Actor{{Name: "kim", Description: "Supreme Leader of North Korea", Aliases: []string{"Marshal Kim"}}},
			})
			a, err := d.Actor(ctx, "", "Marshal Kim")
			if err != nil {
				t.Fatal(err)
			}
			if a.ID != kim.ID || a.Name != "Kim Jong Un" || a.Kind != briefings.KindPerson || a.Description != "Supreme Leader of North Korea" {
				t.Errorf("merged actor=%+v", a)
			}
			if got, want := a.Aliases, []string{"Kim", "Kim Jong-un", "Marshal Kim"}; !reflect.DeepEqual(got, want) {
				t.Errorf("aliases=%q, want %q", got, want)
			}
		})

		t.Run("Find", func(t *testing.T) {
			mustSave(t, d, "", &briefings.Briefing{
				Title: "Kimchi exports grow", Summary: "Exports.", Published: briefings.DayOf(2025, 9, 3), Topics: []string{"korea"},
				Actors: []briefings.Actor{{Name: "Kimchi Association"}, {Name: "Hakim Ziyech"}},
			})
			tests := []struct {
				text string
				want []string
			}{
				{"kim", []string{"Kim Jong Un", "Kimchi Association", "Hakim Ziyech"}},
				{"KÍM", []string{"Kim Jong Un", "Kimchi Association", "Hakim Ziyech"}},
				{"jong", []string{"Kim Jong Un"}},
				{"put", []string{"Vladimir Putin"}},
				{"nobody", nil},
			}
			for _, tt := range tests {
				actors, err := d.FindActors(ctx, "", tt.text, 10)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, a := range actors {
					got = append(got, a.Name)
				}
				if !reflect.DeepEqual(got, tt.want) {
					t.Errorf("FindActors(%q)=%q, want %q", tt.text, got, tt.want)
				}
			}
			names, err := d.CompleteNames(ctx, "", briefings.NameActor, "ki", 2)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := names, []string{"Kim Jong Un", "Kimchi Association"}; !reflect.DeepEqual(got, want) {
				t.Errorf("CompleteNames=%q, want %q", got, want)
			}
		})
	})
}

func slugsOf(refs []briefings.BriefingRef) []string {
	var out []string
	for _, r := range refs {
		out = append(out, r.Slug)
	}
	return out
}

func TestDB_SaveBriefings_Invalid(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {
		mustSave(t, d, "", kimPutin())
		before := countRowsIn(t, d, "briefings", "facts", "actors", "events")

		tests := []struct {
			name  string
			batch []*briefings.Briefing
			index int
			field string
		}{
			{"UnknownFactActor", []*briefings.Briefing{func() *briefings.Briefing {
				b := simple("Xi speaks", briefings.DayOf(2025, 1, 1))
				b.Facts = []briefings.Fact{{Text: "He spoke.", Attribution: "Xinhua", Actors: []string{"Xi Jinping"}}}
				return b
			}()}, 0, "facts[1].actors[1]"},
			{"UnknownParticipant", []*briefings.Briefing{simple("Fine", briefings.DayOf(2025, 1, 1)), func() *briefings.Briefing {
				b := simple("Talks", briefings.DayOf(2025, 1, 2))
				b.Events = []briefings.Event{{Name: "Talks", Date: briefings.DayOf(2025, 1, 2), Participants: []string{"Putin", "Zelensky"}}}
				return b
			}()}, 1, "events[1].participants[2]"},
			{"UnknownFactEvent", []*briefings.Briefing{func() *briefings.Briefing {
				b := simple("Summit news", briefings.DayOf(2025, 1, 1))
				b.Facts = []briefings.Fact{{Text: "It happened.", Attribution: "AP", Event: "Geneva summit"}}
				return b
			}()}, 0, "facts[1].event"},
			{"DuplicateSlug", []*briefings.Briefing{simple("Same title", briefings.DayOf(2025, 1, 1)), simple("Same  Title!", briefings.DayOf(2025, 1, 2))}, 1, "slug"},
			{"AliasOfAnotherActor", []*briefings.Briefing{func() *briefings.Briefing {
				b := simple("Putin again", briefings.DayOf(2025, 1, 1))
				b.Actors = []briefings.Actor{{Name: "Putin", Aliases: []string{"Kim"}}}
				return b
			}()}, 0, "actors[1].aliases[1]"},
			{"StaticRule", []*briefings.Briefing{{Title: "No summary", Published: briefings.DayOf(2025, 1, 1), Topics: []string{"x"}}}, 0, "summary"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := d.SaveBriefings(ctx, "", tt.batch, "moderator")
				var be *briefings.BatchError
				if !errors.As(err, &be) {
					t.Fatalf("err=%v, want a BatchError", err)
				}
				if codeOf(err) != briefings.EINVALID {
					t.Errorf("code=%q, want %q", codeOf(err), briefings.EINVALID)
				}
				if len(be.Items) != 1 || be.Items[0].Index != tt.index {
					t.Fatalf("items=%+v, want one at index %d", be.Items, tt.index)
				}
				var fields []string
				for _, f := range be.Items[0].Fields {
					fields = append(fields, f.Field)
				}
				if len(fields) != 1 || fields[0] != tt.field {
					t.Errorf("fields=%q, want %q", fields, tt.field)
				}
				if msg := err.Error(); !strings.Contains(msg, tt.field) || !strings.HasPrefix(msg, "briefing ") {
					t.Errorf("message %q does not name the briefing and field", msg)
				}
				if got := countRowsIn(t, d, "briefings", "facts", "actors", "events"); !reflect.DeepEqual(got, before) {
					t.Errorf("rows=%v after a failed save, want %v", got, before)
				}
			})
		}

		t.Run("Atomic", func(t *testing.T) {
			d, _ := mustOpen(t)
			bad := simple("Third", briefings.DayOf(2025, 1, 3))
			bad.Facts = []briefings.Fact{{Text: "x", Attribution: "y", Actors: []string{"Nobody"}}}
			first := kimPutin()
			batch := []*briefings.Briefing{first, missileTest(), bad, simple("Fourth", briefings.DayOf(2025, 1, 4))}
			_, err := d.SaveBriefings(ctx, "", batch, "moderator")
			var be *briefings.BatchError
			if !errors.As(err, &be) || len(be.Items) != 1 || be.Items[0].Index != 2 {
				t.Fatalf("err=%v, want the third briefing reported", err)
			}
			tables := []string{"briefings", "facts", "actors", "actor_names", "events", "topics", "briefing_versions", "facts_fts", "actors_fts"}
			for table, n := range countRowsIn(t, d, tables...) {
				if n != 0 {
					t.Errorf("%s has %d rows after a failed batch, want 0", table, n)
				}
			}
		})

		t.Run("EveryFailure", func(t *testing.T) {
			bad1 := simple("", briefings.DayOf(2025, 1, 1))
			bad2 := simple("Fine title", briefings.DayOf(2025, 1, 1))
			bad2.Facts = []briefings.Fact{{Text: "x", Attribution: "y", Event: "Nothing"}}
			_, err := d.SaveBriefings(ctx, "", []*briefings.Briefing{bad1, simple("Good", briefings.DayOf(2025, 1, 1)), bad2}, "m")
			var be *briefings.BatchError
			if !errors.As(err, &be) || len(be.Items) != 2 || be.Items[0].Index != 0 || be.Items[1].Index != 2 {
				t.Fatalf("err=%v, want briefings 1 and 3 reported", err)
			}
		})
	})
}

func TestDB_GuildScoping(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {
		mustSave(t, d, "", simple("Global news", briefings.DayOf(2025, 1, 1), "world"))
		mustSave(t, d, "guild-a", simple("Guild A secret plans", briefings.DayOf(2025, 1, 2), "world"))
		mustSave(t, d, "guild-b", simple("Guild B secret plans", briefings.DayOf(2025, 1, 3), "world"))

		tests := []struct {
			guild string
			want  []string
		}{
			{"", []string{"global-news"}},
			{"guild-a", []string{"guild-a-secret-plans", "global-news"}},
			{"guild-b", []string{"guild-b-secret-plans", "global-news"}},
		}
		for _, tt := range tests {
			list, total, err := d.Briefings(ctx, briefings.BriefingQuery{GuildID: tt.guild})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, b := range list {
				got = append(got, b.Slug)
			}
			if !reflect.DeepEqual(got, tt.want) || total != len(tt.want) {
				t.Errorf("guild %q sees %q (total %d), want %q", tt.guild, got, total, tt.want)
			}
			hits, err := d.Search(ctx, briefings.SearchQuery{GuildID: tt.guild, Text: "secret plans"})
			if err != nil {
				t.Fatal(err)
			}
			if len(hits) != len(tt.want)-1 {
				t.Errorf("guild %q search hits=%+v, want %d", tt.guild, hits, len(tt.want)-1)
			}
			topics, err := d.Topics(ctx, tt.guild)
			if err != nil {
				t.Fatal(err)
			}
			if len(topics) != 1 || topics[0].Count != len(tt.want) || topics[0].Latest.String() != list[0].Published.String() {
				t.Errorf("guild %q topics=%+v", tt.guild, topics)
			}
		}
		if _, err := d.Briefing(ctx, "guild-a", "guild-b-secret-plans"); codeOf(err) != briefings.ENOTFOUND {
			t.Errorf("guild A reads guild B's briefing: err=%v", err)
		}
		if _, err := d.Briefing(ctx, "guild-b", "global-news"); err != nil {
			t.Errorf("guild B cannot read the global briefing: %v", err)
		}

		// A guild's own actor wins over a global one of the same name.
		global := simple("Global actor", briefings.DayOf(2025, 1, 1))
		global.Actors = []briefings.Actor{{Name: "Ada", Description: "global"}}
		local := simple("Local actor", briefings.DayOf(2025, 1, 1))
		local.Actors = []briefings.Actor{{Name: "Ada", Description: "guild"}}
		mustSave(t, d, "", global)
		mustSave(t, d, "guild-a", local)
		for guild, want := range map[string]string{"": "global", "guild-a": "guild", "guild-b": "global"} {
			a, err := d.Actor(ctx, guild, "ada")
			if err != nil || a.Description != want {
				t.Errorf("guild %q Actor(ada)=%+v %v, want %q", guild, a, err, want)
			}
			found, err := d.FindActors(ctx, guild, "ad", 5)
			if err != nil || len(found) != 1 || found[0].Description != want {
				t.Errorf("guild %q FindActors(ad)=%+v %v, want one %q", guild, found, err, want)
			}
		}
	})
}

func TestDB_GuildScoping_TopicNames(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {
		mustSave(t, d, "", simple("Global news", briefings.DayOf(2025, 1, 1), "World"))
		mustSave(t, d, "guild-b", simple("Guild B plans", briefings.DayOf(2025, 1, 3), "Secret Projects"))
		for _, tt := range []struct {
			guild string
			want  []string
		}{
			{"guild-a", []string{"World"}},
			{"guild-b", []string{"Secret Projects", "World"}},
		} {
			names, err := d.Names(ctx, tt.guild, briefings.NameTopic)
			if err != nil {
				t.Fatal(err)
			}
			sort.Strings(names)
			if !reflect.DeepEqual(names, tt.want) {
				t.Errorf("guild %q topic names=%q, want %q", tt.guild, names, tt.want)
			}
			completed, err := d.CompleteNames(ctx, tt.guild, briefings.NameTopic, "", 25)
			if err != nil {
				t.Fatal(err)
			}
			sort.Strings(completed)
			if !reflect.DeepEqual(completed, tt.want) {
				t.Errorf("guild %q completes topics %q, want %q", tt.guild, completed, tt.want)
			}
		}
	})
}

// TestSaveBriefings_PutsWriterSettingsBack checks that a batch's larger page
// cache, in-memory journals and checkpoint interval do not outlive it, batch
// after batch, failed batches included.
func TestSaveBriefings_PutsWriterSettingsBack(t *testing.T) {
	t.Parallel()
	d, _ := mustOpen(t) // SQLite's connection settings
	before := fmt.Sprint(d.WriterSettings())
	mustSave(t, d, "", simple("First batch", briefings.DayOf(2025, 1, 1)))
	mustSave(t, d, "", simple("Second batch", briefings.DayOf(2025, 1, 2)))
	if _, err := d.SaveBriefings(context.Background(), "", []*briefings.Briefing{{Title: ""}}, "m"); err == nil {
		t.Fatal("saving a briefing without a title succeeded")
	}
	if after := fmt.Sprint(d.WriterSettings()); after != before || !strings.HasSuffix(before, "1000 <nil>") {
		t.Errorf("writer settings (cache, temp_store, wal_autocheckpoint, err) = %s after batches, want %s with SQLite's 1000", after, before)
	}
}

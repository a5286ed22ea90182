package db_test

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"testing"

	"briefbot/briefings"
	"briefbot/db"
)

// TestDB_CappedMentions checks that capping the briefings returned with an
// event or for an actor keeps the newest ones and still counts them all,
// leaving out drafts.
func TestDB_CappedMentions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {
		var bs []*briefings.Briefing
		for day := 1; day <= 5; day++ {
			b := simple(fmt.Sprintf("Harbour talks day %d", day), briefings.DayOf(2025, 6, day), "ports")
			b.Actors = []briefings.Actor{{Name: "Ana Ferro", Kind: briefings.KindPerson}}
			b.Events = []briefings.Event{{Name: "Harbour talks", Date: briefings.DayOf(2025, 7, 1), Participants: []string{"Ana Ferro"}}}
			bs = append(bs, b)
		}
		other := simple("Dock strike", briefings.DayOf(2025, 6, 9), "ports")
		other.Events = []briefings.Event{{Name: "Dock strike", Date: briefings.DayOf(2025, 8, 1)}}
		draft := simple("Harbour talks draft", briefings.DayOf(2025, 6, 30), "ports")
		draft.Status = briefings.StatusDraft
		draft.Events = bs[0].Events
		mustSave(t, d, "", append(bs, other, draft)...)

		newest := []string{"harbour-talks-day-5", "harbour-talks-day-4", "harbour-talks-day-3", "harbour-talks-day-2", "harbour-talks-day-1"}
		t.Run("Events", func(t *testing.T) {
			tests := []struct {
				name        string
				per         int
				count       bool
				want        []string
				talksN      int
				strikeNs    int
				strikeCount int
			}{
				{"All", 0, true, newest, 5, 1, 1},
				{"Capped", 2, true, newest[:2], 5, 1, 1},
				{"CapAboveCount", 9, true, newest, 5, 1, 1},
				{"CountOnly", -1, true, nil, 5, 0, 1},
				{"NotCounted", 2, false, newest[:2], 0, 1, 0},
				{"Neither", -1, false, nil, 0, 0, 0},
			}
			for _, tt := range tests {
				refs, err := d.Events(ctx, briefings.EventQuery{Topic: "ports", BriefingsPerEvent: tt.per, CountBriefings: tt.count})
				if err != nil {
					t.Fatal(err)
				}
				if len(refs) != 2 || refs[0].Name != "Harbour talks" || refs[1].Name != "Dock strike" {
					t.Fatalf("%s: events=%+v, want Harbour talks and Dock strike", tt.name, refs)
				}
				if got := slugsOf(refs[0].Briefings); !reflect.DeepEqual(got, tt.want) || refs[0].BriefingCount != tt.talksN {
					t.Errorf("%s: harbour talks briefings=%q count=%d, want %q count %d", tt.name, got, refs[0].BriefingCount, tt.want, tt.talksN)
				}
				if len(refs[1].Briefings) != tt.strikeNs || refs[1].BriefingCount != tt.strikeCount {
					t.Errorf("%s: dock strike briefings=%d count=%d, want %d count %d", tt.name, len(refs[1].Briefings), refs[1].BriefingCount, tt.strikeNs, tt.strikeCount)
				}
			}
		})

		t.Run("BriefingsMentioning", func(t *testing.T) {
			ana, err := d.Actor(ctx, "", "Ana Ferro")
			if err != nil {
				t.Fatal(err)
			}
			talks, err := d.Event(ctx, "", "Harbour talks")
			if err != nil {
				t.Fatal(err)
			}
			tests := []struct {
				name             string
				actorID, eventID int64
				limit            int
				want             []string
				total            int
			}{
				{"ActorAll", ana.ID, 0, 0, newest, 5},
				{"ActorCapped", ana.ID, 0, 3, newest[:3], 5},
				{"ActorCapAboveTotal", ana.ID, 0, 10, newest, 5},
				{"EventCapped", 0, talks.ID, 1, newest[:1], 5},
				{"EventCapEqualsTotal", 0, talks.ID, 5, newest, 5},
			}
			for _, tt := range tests {
				refs, total, err := d.BriefingsMentioning(ctx, "", tt.actorID, tt.eventID, tt.limit)
				if err != nil {
					t.Fatal(err)
				}
				if got := slugsOf(refs); !reflect.DeepEqual(got, tt.want) || total != tt.total {
					t.Errorf("%s: briefings=%q total=%d, want %q total %d", tt.name, got, total, tt.want, tt.total)
				}
			}
			if _, _, err := d.BriefingsMentioning(ctx, "", ana.ID, 0, -1); codeOf(err) != briefings.EINVALID {
				t.Errorf("negative limit: err=%v, want EINVALID", err)
			}
		})
	})
}

// TestDB_MentionsFollowTheirBriefing checks that the mentions an actor's or
// event's page lists stay right when an event gains a participant after
// briefings mention it, when a fact refers to an event its briefing does
// not declare, and when a briefing's status or date changes underneath
// them.
func TestDB_MentionsFollowTheirBriefing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d, path := mustOpen(t)
	talks := briefings.Event{Name: "Harbour talks", Date: briefings.DayOf(2025, 7, 1), Participants: []string{"Ana Ferro"}}
	a := simple("Talks announced", briefings.DayOf(2025, 6, 1), "ports")
	a.Actors = []briefings.Actor{{Name: "Ana Ferro", Kind: briefings.KindPerson}}
	a.Events = []briefings.Event{talks}
	b := simple("Ben Osei joins the talks", briefings.DayOf(2025, 6, 2), "ports")
	b.Actors = []briefings.Actor{{Name: "Ben Osei", Kind: briefings.KindPerson}}
	b.Events = []briefings.Event{talks}
	b.Events[0].Participants = []string{"Ana Ferro", "Ben Osei"}
	c := simple("Talks stall", briefings.DayOf(2025, 6, 3), "ports")
	c.Facts = []briefings.Fact{{Text: "The talks stalled over fees.", Attribution: "Port authority", Event: "Harbour talks"}}
	mustSave(t, d, "", a)
	mustSave(t, d, "", b, c)

	mentioning := func(actor string) string {
		t.Helper()
		var actorID, eventID int64
		if actor == "" {
			e, err := d.Event(ctx, "", "Harbour talks")
			if err != nil {
				t.Fatal(err)
			}
			eventID = e.ID
		} else {
			found, err := d.Actor(ctx, "", actor)
			if err != nil {
				t.Fatal(err)
			}
			actorID = found.ID
		}
		refs, total, err := d.BriefingsMentioning(ctx, "", actorID, eventID, 10)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("%d %v", total, slugsOf(refs))
	}
	raw, err := sql.Open("sqlite3", "file:"+path+"?_foreign_keys=on&_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()

	steps := []struct {
		name, sql string
		want      map[string]string // actor name ("" for the event) → mentions
	}{
		{"Saved", "", map[string]string{
			"Ana Ferro": "3 [talks-stall ben-osei-joins-the-talks talks-announced]",
			"Ben Osei":  "3 [talks-stall ben-osei-joins-the-talks talks-announced]",
			"":          "3 [talks-stall ben-osei-joins-the-talks talks-announced]",
		}},
		{"Retracted", `UPDATE briefings SET status = 'retracted' WHERE slug = 'ben-osei-joins-the-talks'`, map[string]string{
			"Ben Osei": "2 [talks-stall talks-announced]",
			"":         "2 [talks-stall talks-announced]",
		}},
		{"Redated", `UPDATE briefings SET published = '2025-07-09T00:00:00Z' WHERE slug = 'talks-announced'`, map[string]string{
			"Ana Ferro": "2 [talks-announced talks-stall]",
			"":          "2 [talks-announced talks-stall]",
		}},
		{"Republished", `UPDATE briefings SET status = 'published' WHERE slug = 'ben-osei-joins-the-talks'`, map[string]string{
			"Ben Osei": "3 [talks-announced talks-stall ben-osei-joins-the-talks]",
		}},
	}
	for _, st := range steps {
		if st.sql != "" {
			if _, err := raw.ExecContext(ctx, st.sql); err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
		}
		for actor, want := range st.want {
			if got := mentioning(actor); got != want {
				t.Errorf("%s: mentions of %q = %s, want %s", st.name, actor, got, want)
			}
		}
	}
}

// TestDB_AutocompleteRanksDeclaredActors checks that actor autocomplete with
// no text ranks by the actors briefings declare: an actor who joins a
// popular event later is mentioned by every briefing on the event at once,
// and must not jump ahead of the actors those briefings are about.
func TestDB_AutocompleteRanksDeclaredActors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {
		talks := briefings.Event{Name: "Harbour talks", Date: briefings.DayOf(2025, 7, 1), Participants: []string{"Ana Ferro"}}
		for day := 1; day <= 5; day++ {
			b := simple(fmt.Sprintf("Harbour talks day %d", day), briefings.DayOf(2025, 6, day), "ports")
			b.Actors = []briefings.Actor{{Name: "Ana Ferro", Kind: briefings.KindPerson}}
			b.Events = []briefings.Event{talks}
			mustSave(t, d, "", b)
		}
		ben := simple("Ben Osei speaks", briefings.DayOf(2025, 6, 6), "ports")
		ben.Actors = []briefings.Actor{{Name: "Ben Osei", Kind: briefings.KindPerson}}
		cy := simple("Cy Marr joins the talks", briefings.DayOf(2025, 6, 7), "ports")
		cy.Actors = []briefings.Actor{{Name: "Cy Marr", Kind: briefings.KindPerson}}
		cy.Events = []briefings.Event{talks}
		cy.Events[0].Participants = []string{"Ana Ferro", "Cy Marr"}
		mustSave(t, d, "", ben, cy)

		cyRefs, cyTotal, err := d.BriefingsMentioning(ctx, "", mustActorID(t, d, "Cy Marr"), 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		if cyTotal != 6 || len(cyRefs) != 6 {
			t.Fatalf("Cy Marr is mentioned by %d briefings (%d listed), want 6 through the event", cyTotal, len(cyRefs))
		}
		found, err := d.FindActors(ctx, "", "", 3)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, a := range found {
			names = append(names, a.Name)
		}
		if want := []string{"Ana Ferro", "Ben Osei", "Cy Marr"}; !reflect.DeepEqual(names, want) {
			t.Errorf("autocomplete with no text = %q, want %q", names, want)
		}
	})
}

func mustActorID(t *testing.T, d interface {
	Actor(context.Context, string, string) (*briefings.Actor, error)
}, name string) int64 {
	t.Helper()
	a, err := d.Actor(context.Background(), "", name)
	if err != nil {
		t.Fatal(err)
	}
	return a.ID
}

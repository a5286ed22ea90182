package db_test

import (
	"context"
	"slices"
	"testing"

	"briefbot/briefings"
	"briefbot/db"
)

// TestDB_MembersSeeWhatPublishedBriefingsMention checks every read of
// actors and events members reach: what only a draft, a replaced version
// or a retracted briefing mentions is not found, while moderators'
// reads find it.
func TestDB_MembersSeeWhatPublishedBriefingsMention(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {
		draft := simple("Draft plans", briefings.DayOf(2025, 8, 1), "ports")
		draft.Status = briefings.StatusDraft
		draft.Actors = []briefings.Actor{{Name: "Dora Draft", Kind: briefings.KindPerson}}
		draft.Events = []briefings.Event{{Name: "Draft summit", Date: briefings.DayOf(2025, 9, 1), Participants: []string{"Dora Draft"}}}
		pact := simple("Harbour pact", briefings.DayOf(2025, 8, 2), "ports")
		pact.Events = []briefings.Event{{Name: "Replaced talks", Date: briefings.DayOf(2025, 8, 5)}}
		rally := simple("Rally", briefings.DayOf(2025, 8, 3), "ports")
		rally.Actors = []briefings.Actor{{Name: "Rex Retracted", Kind: briefings.KindPerson}}
		rally.Events = []briefings.Event{{Name: "Retracted rally", Date: briefings.DayOf(2025, 8, 6), Participants: []string{"Rex Retracted"}}}
		mustSave(t, d, "g1", draft, pact, rally)
		pact.Events = []briefings.Event{{Name: "Current talks", Date: briefings.DayOf(2025, 8, 5)}}
		rally.Status = briefings.StatusRetracted
		mustSave(t, d, "g1", pact, rally)

		hidden := map[string]bool{"Dora Draft": true, "Draft summit": true, "Replaced talks": true, "Rex Retracted": true, "Retracted rally": true}
		check := func(what string, names []string, err error) {
			t.Helper()
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			for _, n := range names {
				if hidden[n] {
					t.Errorf("%s gives %q", what, n)
				}
			}
		}
		for name := range hidden {
			if a, err := d.Actor(ctx, "g1", name); err == nil {
				t.Errorf("Actor(%q)=%q", name, a.Name)
			}
			if e, err := d.Event(ctx, "g1", name); err == nil {
				t.Errorf("Event(%q)=%q", name, e.Name)
			}
		}
		for _, text := range []string{"", "d", "r", "draft", "retracted", "talks", "summit", "rally"} {
			actors, err := d.FindActors(ctx, "g1", text, 25)
			check("FindActors("+text+")", actorNames(actors), err)
			events, err := d.FindEvents(ctx, "g1", text, 25)
			check("FindEvents("+text+")", eventNames(events), err)
			for _, kind := range []briefings.NameKind{briefings.NameActor, briefings.NameEvent} {
				names, err := d.CompleteNames(ctx, "g1", kind, text, 25)
				check("CompleteNames("+string(kind)+", "+text+")", names, err)
			}
			if text == "" {
				continue
			}
			hits, err := d.Search(ctx, briefings.SearchQuery{GuildID: "g1", Text: text, Kinds: []briefings.HitKind{briefings.HitActor, briefings.HitEvent}})
			var titles []string
			for _, h := range hits {
				titles = append(titles, h.Title)
			}
			check("Search("+text+")", titles, err)
		}
		for _, kind := range []briefings.NameKind{briefings.NameActor, briefings.NameEvent} {
			names, err := d.Names(ctx, "g1", kind)
			check("Names("+string(kind)+")", names, err)
			known, err := d.KnownNames(ctx, "g1", kind)
			var of []string
			for _, k := range known {
				of = append(of, k.Name)
			}
			check("KnownNames("+string(kind)+")", of, err)
		}
		if e, err := d.Event(ctx, "g1", "Current talks"); err != nil || e.Name != "Current talks" {
			t.Errorf("the published version's event: %v %v", e, err)
		}

		// Moderators curating the library reach all of it.
		for name := range hidden {
			_, aerr := d.ActorToCurate(ctx, "g1", name)
			_, eerr := d.EventToCurate(ctx, "g1", name)
			if aerr != nil && eerr != nil {
				t.Errorf("moderators cannot find %q: %v, %v", name, aerr, eerr)
			}
		}
		if names, err := d.NamesToCurate(ctx, "g1", briefings.NameActor); err != nil || !slices.Contains(names, "Dora Draft") {
			t.Errorf("NamesToCurate=%q %v", names, err)
		}
		// Another guild sees none of g1's actors, even to curate.
		if _, err := d.ActorToCurate(ctx, "g2", "Dora Draft"); codeOf(err) != briefings.ENOTFOUND {
			t.Errorf("g2 curates g1's actor: %v", err)
		}
	})
}

func actorNames(as []briefings.Actor) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Name)
	}
	return out
}

func eventNames(es []briefings.Event) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Name)
	}
	return out
}

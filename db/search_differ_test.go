package db_test

import (
	"context"
	"strings"
	"testing"

	"briefbot/briefings"
	"briefbot/db"
)

// TestSearch_BackendsDiffer lists where Search answers differently on
// PostgreSQL, each with the reason, so that a change to either side shows
// here rather than surprising someone.
//
//   - Stop words in a search that needs every word: FTS5 matches every word
//     typed, so "the Vladivostok summit" finds nothing that lacks "the";
//     PostgreSQL's english configuration drops "the" from the query (and
//     from the index), so the event is found.
//   - Ranking: ts_rank_cd is not bm25. Both put a title or name match above
//     a body match (TestDB_Search checks that order on both), but scores
//     differ, and so may the order of matches of about the same weight.
//   - Snippets: ts_headline cuts around the matches at other words than
//     FTS5's snippet; both mark the same matched words.
func TestSearch_BackendsDiffer(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {
		mustSave(t, d, "", kimPutin())
		hits, err := d.Search(ctx, briefings.SearchQuery{Text: "the Vladivostok summit", Kinds: []briefings.HitKind{briefings.HitEvent}})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range hits {
			got = append(got, h.Title)
		}
		want := ""
		if d.IsPostgres() {
			want = "Vladivostok summit"
		}
		if strings.Join(got, "|") != want {
			t.Errorf("events for %q = %q, want %q", "the Vladivostok summit", got, want)
		}
	})
}

package db_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"briefbot/briefings"
	"briefbot/internal/gen"
)

// BenchmarkSearchShapes measures the searches the bot makes on the cached
// library of benchSize briefings: /search for a rare word, one in 2% of the
// briefings, the commonest word and the two commonest; /ask's question of
// two words in about 1% of them, with and without the commonest word.
func BenchmarkSearchShapes(b *testing.B) {
	lib, _ := openBenchLibrary(b)
	ctx := context.Background()
	n := benchSize(b)
	path, _, err := gen.Cached(ctx, n)
	if err != nil {
		b.Fatal(err)
	}
	common := wordsByFrequency(b, path, n, 2)
	mid := wordsByFrequency(b, path, n/50, 1)
	rare := wordsByFrequency(b, path, max(3, n/10_000), 1)
	ask := wordsByFrequency(b, path, n/100, 2)
	kinds := []briefings.HitKind{briefings.HitFact, briefings.HitBriefing}
	for _, c := range []struct {
		name string
		q    briefings.SearchQuery
	}{
		{"rare", briefings.SearchQuery{Text: rare[0]}},
		{"mid", briefings.SearchQuery{Text: mid[0]}},
		{"common", briefings.SearchQuery{Text: common[0]}},
		{"two_common", briefings.SearchQuery{Text: common[0] + " " + common[1]}},
		{"ask", briefings.SearchQuery{Text: "How many " + ask[0] + " " + ask[1] + "?", MatchAny: true, Limit: 30, Kinds: kinds}},
		{"ask_common", briefings.SearchQuery{Text: "What about " + common[0] + " " + ask[0] + " " + ask[1] + "?",
			MatchAny: true, Limit: 30, Kinds: kinds}},
	} {
		b.Run(c.name, func(b *testing.B) {
			c.q.GuildID = "g"
			for b.Loop() {
				if _, err := lib.Search(ctx, c.q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// wordsByFrequency returns k words of more than four letters whose number
// of briefings is closest to df (n or more: the commonest).
func wordsByFrequency(b *testing.B, path string, df, k int) []string {
	b.Helper()
	conn, err := sql.Open("sqlite3", "file:"+filepath.ToSlash(path)+"?mode=ro")
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	conn.SetMaxOpenConns(1)
	ctx := context.Background()
	if _, err := conn.ExecContext(ctx, `CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab USING fts5vocab(main, briefings_fts, row)`); err != nil {
		b.Fatal(err)
	}
	rows, err := conn.QueryContext(ctx, `SELECT term FROM temp.vocab WHERE length(term) > 4 ORDER BY abs(doc - ?), term LIMIT ?`, df, k)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			b.Fatal(err)
		}
		out = append(out, t)
	}
	if len(out) < k {
		b.Fatalf("found %d words near %d briefings, want %d", len(out), df, k)
	}
	return out
}

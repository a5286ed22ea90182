package db_test

import (
	"database/sql"
	"path/filepath"
	"testing"

	"briefbot/db"
)

// FuzzMatchQuery checks that no text a user can type makes FTS5 fail once
// sanitized.
func FuzzMatchQuery(f *testing.F) {
	for _, s := range []string{`kim putin`, `"`, `NEAR(a b`, `a OR b`, `title:x`, `-x ^y *`, `(((`, "\x00é\u0301"} {
		f.Add(s, false)
	}
	conn, err := sql.Open("sqlite3", filepath.Join(f.TempDir(), "fuzz.db"))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { conn.Close() })
	conn.SetMaxOpenConns(1)
	if _, err := conn.Exec(`CREATE VIRTUAL TABLE t USING fts5(a, b, tokenize = 'unicode61 remove_diacritics 2');
		INSERT INTO t VALUES ('Kim meets Putin', 'NEAR OR AND title'), ('Zelenskỳ speaks', 'x y z')`); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string, any bool) {
		q := db.MatchQuery(text, any)
		if q == "" {
			return
		}
		rows, err := conn.Query(`SELECT snippet(t, -1, '[', ']', '…', 8), bm25(t) FROM t WHERE t MATCH ? ORDER BY rank`, q)
		if err != nil {
			t.Fatalf("MatchQuery(%q, %v)=%q: %v", text, any, q, err)
		}
		defer rows.Close()
		for rows.Next() {
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("MatchQuery(%q, %v)=%q: %v", text, any, q, err)
		}
	})
}

package gen_test

import (
	"context"
	"path/filepath"
	"testing"

	"briefbot/briefings"
	"briefbot/db"
	"briefbot/internal/gen"
)

// TestImport_Small generates a small library through the store and checks
// that what a user would look up is there: the briefings, the shared actors
// and events, and a common word found by search.
func TestImport_Small(t *testing.T) {
	ctx := context.Background()
	lib, err := db.Open(ctx, filepath.Join(t.TempDir(), "lib.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	const n = 200
	stats, err := gen.Import(ctx, lib, n)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := stats.Briefings, n; got != want {
		t.Fatalf("imported %d, want %d", got, want)
	}
	_, total, err := lib.Briefings(ctx, briefings.BriefingQuery{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := total, n; got != want {
		t.Fatalf("library holds %d briefings, want %d", got, want)
	}
	g := gen.New(n)
	a := g.Actors()[0]
	if _, err := lib.Actor(ctx, "", a.Name); err != nil {
		t.Fatalf("actor %q: %v", a.Name, err)
	}
	hits, err := lib.Search(ctx, briefings.SearchQuery{Text: g.Word(0)})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(hits), 10; got != want {
		t.Fatalf("search %q gave %d hits, want %d", g.Word(0), got, want)
	}
}

// TestNew_Deterministic checks that the same size gives the same library.
func TestNew_Deterministic(t *testing.T) {
	a, b := gen.New(50).Next(50), gen.New(50).Next(50)
	for i := range a {
		if a[i].Body != b[i].Body || a[i].Slug != b[i].Slug {
			t.Fatalf("briefing %d differs between two runs", i)
		}
	}
	if n := len(a[0].Body); n < 2800 || n > 3600 {
		t.Fatalf("body is %d bytes, want about 3 KB", n)
	}
}

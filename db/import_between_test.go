package db_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"briefbot/briefings"
	"briefbot/db"
	"briefbot/internal/gen"
)

// A staged import remembers the library's names from one transaction to
// the next only while nothing else writes. A moderator's write that lands
// between two of its transactions, through the import's own handle (the
// bot importing an attachment) or another connection (the bot while
// `briefbot import` runs), counts for every briefing staged after it.
func TestDB_StagedImport_SeesWritesBetweenTransactions(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		other bool // the moderator writes through another connection
	}{
		{"same handle", false},
		{"another connection", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			d, path := mustOpen(t)
			mod := d
			if tc.other {
				var err error
				if mod, err = db.Open(ctx, path); err != nil {
					t.Fatal(err)
				}
				defer mod.Close()
			}

			// An actor the import declares in its first transaction and
			// again after a moderator has described it otherwise: the
			// import's description is the one kept.
			ann := func(slug string) *briefings.Briefing {
				return &briefings.Briefing{Slug: slug, Title: "Ann Example speaks " + slug, Summary: "She spoke.",
					Published: briefings.DayOf(2025, 3, 1), Topics: []string{"general"},
					Actors: []briefings.Actor{{Name: "Ann Example", Kind: briefings.KindPerson, Description: "Described by the import."}},
					Facts:  []briefings.Fact{{Text: "Ann Example spoke.", Attribution: "Reuters", Actors: []string{"Ann Example"}}}}
			}
			out := importAround(t, d, ann("ann-first"), func() {
				moderatorSaves(t, mod, &briefings.Briefing{Title: "A moderator describes Ann Example", Summary: "A note.",
					Published: briefings.DayOf(2025, 3, 2), Topics: []string{"general"},
					Actors: []briefings.Actor{{Name: "Ann Example", Kind: briefings.KindPerson, Description: "Described by a moderator."}}})
			}, ann("ann-again"))
			if err := out.err; err != nil {
				t.Fatalf("import around a moderator's description: %v", err)
			}
			got, err := d.Actor(ctx, "g1", "Ann Example")
			if err != nil || got.Description != "Described by the import." {
				t.Fatalf("Ann Example after the import = %+v, %v; want the import's later description", got, err)
			}

			// A name the moderator adds between two transactions that
			// looks like one the import declares after it: the import is
			// refused, naming it.
			lookalike := "Iv\u0430n P\u0435trov" // Cyrillic а and е
			out = importAround(t, d, simple("Before the moderator", briefings.DayOf(2025, 4, 1)), func() {
				moderatorSaves(t, mod, &briefings.Briefing{Title: "A moderator adds " + lookalike, Summary: "A note.",
					Published: briefings.DayOf(2025, 4, 2), Topics: []string{"general"},
					Actors: []briefings.Actor{{Name: lookalike, Kind: briefings.KindPerson}}})
			}, &briefings.Briefing{Title: "Ivan Petrov arrives", Summary: "He arrived.",
				Published: briefings.DayOf(2025, 4, 3), Topics: []string{"general"},
				Actors: []briefings.Actor{{Name: "Ivan Petrov", Kind: briefings.KindPerson}}})
			var batch *briefings.BatchError
			if !errors.As(out.err, &batch) || len(batch.Items) != 1 || batch.Items[0].Index != out.last ||
				!strings.Contains(batch.Items[0].Fields[0].Message, "looks like") {
				t.Fatalf("import after a moderator added %q: %v; want the last briefing refused as a look-alike", lookalike, out.err)
			}
		})
	}
}

// imported is what importAround returns: the error of Commit and the
// index of the last briefing.
type imported struct {
	err  error
	last int
}

// importAround imports first, a thousand generated briefings, then, once
// at least one transaction has been staged, runs between and adds after.
func importAround(t *testing.T, d *db.DB, first *briefings.Briefing, between func(), after *briefings.Briefing) imported {
	t.Helper()
	ctx := context.Background()
	im := d.NewImport("g1", "cli")
	bs := append([]*briefings.Briefing{first}, gen.New(999).Next(999)...)
	if err := im.Add(ctx, bs...); err != nil {
		t.Fatal(err)
	}
	if rows := countRowsIn(t, d, "import_stagings", "briefings"); rows["import_stagings"] != 1 || rows["briefings"] == 0 {
		t.Fatalf("nothing staged after %d briefings (%v); the test proves nothing", len(bs), rows)
	}
	between()
	if err := im.Add(ctx, after); err != nil {
		t.Fatal(err)
	}
	_, err := im.Commit(ctx)
	return imported{err: err, last: len(bs)}
}

// moderatorSaves saves a new briefing as a moderator does, which an import
// being staged does not hold up.
func moderatorSaves(t *testing.T, d *db.DB, b *briefings.Briefing) {
	t.Helper()
	if _, err := d.SaveCurated(context.Background(), briefings.Write{GuildID: "g1", Briefing: b, By: "mod", Action: briefings.AuditPublish}); err != nil {
		t.Fatalf("a moderator's briefing during the import: %v", err)
	}
}

package db_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"briefbot/briefings"
	"briefbot/db"
	"briefbot/internal/gen"
)

// checked seals briefings that briefings.Validate passes.
func checked(tb testing.TB, bs ...*briefings.Briefing) []briefings.Checked {
	tb.Helper()
	out := make([]briefings.Checked, len(bs))
	for i, b := range bs {
		c, verr := briefings.Check(b)
		if verr != nil {
			tb.Fatalf("briefing %d: %v", i, verr)
		}
		out[i] = c
	}
	return out
}

// Briefings added as briefings.Checked skip briefings.Validate in the
// store but not the rules that need the library: a name that looks like
// one the library has, or an actor neither declared nor in the library,
// is refused as from Add, in one transaction or staged, and nothing is
// imported.
func TestDB_Import_CheckedKeepsTheLibrarysRules(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name string
		n    int // good briefings around the two bad ones
	}{
		{"OneTransaction", 20},
		{"Staged", 300},
	} {
		t.Run(tt.name, func(t *testing.T) {
			eachBackend(t, func(t *testing.T, d *db.DB) {
				mustSave(t, d, "g1", kimPutin())
				before := countRowsIn(t, d, libraryTables...)
				bs := gen.New(tt.n).Next(tt.n)
				lookalike := withActor("Leader visits a factory", "Kim J\u043eng Un") // Cyrillic o
				undeclared := simple("Leader inspects a farm", briefings.DayOf(2025, 9, 2))
				undeclared.Facts = []briefings.Fact{{Text: "He inspected it.", Attribution: "KCNA", Actors: []string{"Ri Pyong Chol"}}}
				all := append(append(append([]*briefings.Briefing{}, bs[:5]...), lookalike), bs[5:]...)
				all = append(all, undeclared)

				im := d.NewImport("g1", "cli")
				if err := im.AddChecked(ctx, checked(t, all...)...); err != nil {
					t.Fatal(err)
				}
				_, err := im.Commit(ctx)
				var berr *briefings.BatchError
				if !errors.As(err, &berr) {
					t.Fatalf("Commit: %v, want a *briefings.BatchError", err)
				}
				got := map[int]string{}
				for _, it := range berr.Items {
					for _, f := range it.Fields {
						got[it.Index] += f.String() + "\n"
					}
				}
				if len(got) != 2 || !strings.Contains(got[5], `actors[1].name: "Kim J`+"\u043e"+`ng Un" looks like "Kim Jong Un"`) ||
					!strings.Contains(got[len(all)-1], `facts[1].actors[1]: "Ri Pyong Chol" is not an actor of this briefing or the library`) {
					t.Fatalf("problems by briefing: %v, want the look-alike at 5 and the undeclared actor at %d", got, len(all)-1)
				}
				after := countRowsIn(t, d, libraryTables...)
				for _, table := range libraryTables {
					if before[table] != after[table] {
						t.Errorf("%s: %d rows before, %d after the refused import", table, before[table], after[table])
					}
				}
			})
		})
	}
}

// An import of briefings.Checked saves what Add saves: the same outcomes
// and the same versions, read back the same.
func TestDB_Import_CheckedSavesWhatAddSaves(t *testing.T) {
	ctx := context.Background()
	const n = 600 // staged
	d, _ := mustOpen(t)
	mustSave(t, d, "g1", kimPutin())
	mustSave(t, d, "g2", kimPutin())
	var outs [2][]briefings.SaveOutcome
	for k, guild := range []string{"g1", "g2"} {
		bs := gen.New(n).Next(n)
		bs = append(bs, missileTest(), kimPutin()) // names the library's Kim; updates a briefing
		bs[len(bs)-1].Summary = "Updated."
		im := d.NewImport(guild, "cli")
		var err error
		if k == 0 {
			err = im.Add(ctx, bs...)
		} else {
			err = im.AddChecked(ctx, checked(t, bs...)...)
		}
		if err != nil {
			t.Fatal(err)
		}
		if outs[k], err = im.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if len(outs[0]) != n+2 || len(outs[1]) != len(outs[0]) {
		t.Fatalf("%d and %d outcomes, want %d", len(outs[0]), len(outs[1]), n+2)
	}
	for i := range outs[0] {
		if outs[0][i] != outs[1][i] {
			t.Fatalf("outcome %d: %+v from Add, %+v from AddChecked", i, outs[0][i], outs[1][i])
		}
	}
	if last := outs[1][n+1]; last.Action != "updated" || last.Version != 2 {
		t.Fatalf("the updated briefing: %+v", last)
	}
	for _, slug := range []string{outs[0][0].Slug, outs[0][n-1].Slug, outs[0][n].Slug, outs[0][n+1].Slug} {
		var got [2]*briefings.Briefing
		for k, guild := range []string{"g1", "g2"} {
			b, err := d.BriefingWithStatus(ctx, guild, slug)
			if err != nil {
				t.Fatal(err)
			}
			if got[k], err = d.EditableBriefing(ctx, b.ID); err != nil {
				t.Fatal(err)
			}
			got[k].ID, got[k].GuildID, got[k].CreatedAt, got[k].UpdatedAt = 0, "", got[0].CreatedAt, got[0].UpdatedAt
		}
		if !equalJSON(t, got[0], got[1]) {
			t.Errorf("%s: saved from Add as %+v, from AddChecked as %+v", slug, got[0], got[1])
		}
	}
}

// A zero briefings.Checked is an empty briefing, refused as a nil one is.
func TestDB_Import_ZeroChecked(t *testing.T) {
	d, _ := mustOpen(t)
	im := d.NewImport("g1", "cli")
	if err := im.AddChecked(context.Background(), checked(t, kimPutin())[0], briefings.Checked{}); err != nil {
		t.Fatal(err)
	}
	_, err := im.Commit(context.Background())
	var berr *briefings.BatchError
	if !errors.As(err, &berr) || len(berr.Items) != 1 || berr.Items[0].Index != 1 || !strings.Contains(err.Error(), "briefing: is empty") {
		t.Fatalf("Commit: %v, want briefing 2 refused as empty", err)
	}
}

// equalJSON reports whether a and b marshal to the same JSON.
func equalJSON(tb testing.TB, a, b any) bool {
	tb.Helper()
	ja, err := json.Marshal(a)
	if err != nil {
		tb.Fatal(err)
	}
	jb, err := json.Marshal(b)
	if err != nil {
		tb.Fatal(err)
	}
	return string(ja) == string(jb)
}

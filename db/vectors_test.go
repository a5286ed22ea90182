package db_test

import (
	"context"
	"testing"

	"briefbot/briefings"
	"briefbot/db"
)

func TestDB_Vectors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {
		pub := simple("Harbour strike", briefings.DayOf(2026, 3, 2), "shipping")
		pub.Facts = []briefings.Fact{{Text: "Dockworkers walked out.", Attribution: "the union"}}
		draft := simple("Harbour draft", briefings.DayOf(2026, 3, 3), "shipping")
		draft.Status = briefings.StatusDraft
		draft.Facts = []briefings.Fact{{Text: "Dockworkers may return.", Attribution: "the union"}}
		mine := simple("Guild harbour", briefings.DayOf(2026, 3, 4), "shipping")
		mine.Facts = []briefings.Fact{{Text: "Dockworkers of g1.", Attribution: "g1"}}
		mustSave(t, d, "", pub, draft)
		mustSave(t, d, "g1", mine)

		items, err := d.Unembedded(ctx, "m", 100)
		if err != nil {
			t.Fatal(err)
		}
		facts := 0
		vecs := make([][]float32, len(items))
		for i, it := range items {
			vecs[i] = []float32{0, 1}
			if it.Kind == briefings.HitFact {
				facts++
				// the draft is nearest the query, the guild's fact furthest
				vecs[i] = map[string][]float32{"Dockworkers walked out. — the union": {1, 0.1},
					"Dockworkers may return. — the union": {1, 0}, "Dockworkers of g1. — g1": {1, 0.5}}[it.Text]
			}
		}
		if facts != 3 {
			t.Fatalf("unembedded %+v, want the three facts among them", items)
		}
		if err := d.SaveVectors(ctx, "m", items, vecs[:1]); briefings.ErrorCode(err) != briefings.EINVALID {
			t.Errorf("mismatched counts: %v, want EINVALID", err)
		}
		if err := d.SaveVectors(ctx, "m", items, vecs); err != nil {
			t.Fatal(err)
		}
		if left, err := d.Unembedded(ctx, "m", 100); err != nil || len(left) != 0 {
			t.Errorf("after saving, unembedded %+v %v", left, err)
		}
		if other, err := d.Unembedded(ctx, "other-model", 100); err != nil || len(other) != len(items) {
			t.Errorf("another model sees %d unembedded, %v; want all %d", len(other), err, len(items))
		}

		// drafts and other guilds' facts stay out; nearest first
		for _, tc := range []struct {
			guild string
			want  []string
		}{{"", []string{"Dockworkers walked out."}}, {"g1", []string{"Dockworkers walked out.", "Dockworkers of g1."}}} {
			rec, sims, err := d.RecallNearest(ctx, briefings.VectorQuery{GuildID: tc.guild, Model: "m", Vector: []float32{1, 0}})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range rec.Facts {
				got = append(got, f.Text)
				if s := sims[briefings.HitFact][f.ID]; s <= 0 || s > 1.0001 {
					t.Errorf("similarity of %q = %v", f.Text, s)
				}
			}
			if len(got) != len(tc.want) {
				t.Errorf("guild %q: nearest facts %q, want %q", tc.guild, got, tc.want)
				continue
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("guild %q: nearest facts %q, want %q", tc.guild, got, tc.want)
				}
			}
		}

		// an edited fact is embedded again
		pub.Facts[0].Text = "Dockworkers walked out on Monday."
		mustSave(t, d, "", pub)
		left, err := d.Unembedded(ctx, "m", 100)
		if err != nil || len(left) != 1 || left[0].Text != "Dockworkers walked out on Monday. — the union" {
			t.Errorf("after an edit, unembedded %+v %v", left, err)
		}
	})
}

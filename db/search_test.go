package db_test

import (
	"context"
	"strings"
	"testing"

	"briefbot/briefings"
	"briefbot/db"
)

func TestDB_Search(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {
		mustSave(t, d, "", kimPutin(), missileTest())
		draft := simple("Draft about Vladivostok", briefings.DayOf(2025, 9, 5))
		draft.Status = briefings.StatusDraft
		mustSave(t, d, "", draft)

		tests := []struct {
			name  string
			query briefings.SearchQuery
			want  []string // kind:title of each hit, best first
		}{
			{"TitleFirst", briefings.SearchQuery{Text: "vladivostok"}, []string{"briefing:Kim meets Putin in Vladivostok"}},
			{"Facts", briefings.SearchQuery{Text: "artillery shells"}, []string{"fact:Kim meets Putin in Vladivostok"}},
			{"AllWordsRequired", briefings.SearchQuery{Text: "cruise artillery"}, nil},
			{"AnyWord", briefings.SearchQuery{Text: "how many cruise artillery?", MatchAny: true},
				[]string{"briefing:North Korea tests a cruise missile", "fact:Kim meets Putin in Vladivostok"}},
			{"OnlyStopwords", briefings.SearchQuery{Text: "what is the", MatchAny: true}, nil},
			{"Accents", briefings.SearchQuery{Text: "VLÁDIVOSTÖK", Kinds: []briefings.HitKind{briefings.HitEvent}}, []string{"event:Vladivostok summit"}},
			{"Actors", briefings.SearchQuery{Text: "putin", Kinds: []briefings.HitKind{briefings.HitActor}}, []string{"actor:Vladimir Putin"}},
			{"ActorAlias", briefings.SearchQuery{Text: "jong", Kinds: []briefings.HitKind{briefings.HitActor}}, []string{"actor:Kim Jong Un"}},
			{"Limit", briefings.SearchQuery{Text: "korea north", Limit: 1}, []string{"briefing:North Korea tests a cruise missile"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				hits, err := d.Search(ctx, tt.query)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, h := range hits {
					got = append(got, string(h.Kind)+":"+h.Title)
				}
				if strings.Join(got, "|") != strings.Join(tt.want, "|") {
					t.Errorf("hits=%q, want %q", got, tt.want)
				}
			})
		}

		t.Run("Snippet", func(t *testing.T) {
			hits, err := d.Search(ctx, briefings.SearchQuery{Text: "artillery"})
			if err != nil || len(hits) != 1 {
				t.Fatalf("hits=%+v err=%v", hits, err)
			}
			h := hits[0]
			want := "North Korea is said to supply " + briefings.HighlightOpen + "artillery" + briefings.HighlightClose + " shells."
			if h.Snippet != want || h.Attribution != "South Korean intelligence" || h.FactID == 0 || h.Briefing.Slug != "kim-meets-putin-in-vladivostok" {
				t.Errorf("hit=%+v, want snippet %q", h, want)
			}
			if h.Score <= 0 {
				t.Errorf("score=%v, want positive", h.Score)
			}
		})

		t.Run("Hostile", func(t *testing.T) {
			before := storeCounts(t, d)
			hostile := []string{
				`"`, `*`, `NEAR(a b`, `-x`, `a OR b`, `title:x`, `(((`, `)))`, `'; DROP TABLE briefings;--`,
				``, `   `, `^kim`, `kim*`, `"kim`, `AND`, `OR OR`, `NOT kim`, `{title summary}: kim`,
				strings.Repeat("walrus ", 15000), "\x00\x01\x02\x1b[31mkim\x7f", "\xff\xfe invalid utf8",
				"é\u0301", "\u0301", "kim + putin", `"" ""`, `kim:putin`,
			}
			kinds := []briefings.HitKind{briefings.HitBriefing, briefings.HitFact, briefings.HitActor, briefings.HitEvent}
			for _, text := range hostile {
				for _, any := range []bool{false, true} {
					if _, err := d.Search(ctx, briefings.SearchQuery{Text: text, MatchAny: any, Kinds: kinds}); err != nil {
						t.Errorf("Search(%.40q, any=%v): %v", text, any, err)
					}
				}
			}
			after := storeCounts(t, d)
			for table, n := range before {
				if after[table] != n {
					t.Errorf("%s: %d rows after hostile searches, want %d", table, after[table], n)
				}
			}
			if _, err := d.Briefing(ctx, "", "kim-meets-putin-in-vladivostok"); err != nil {
				t.Errorf("briefing gone after hostile searches: %v", err)
			}
			// Operators are plain words: "OR" between words does not widen.
			hits, err := d.Search(ctx, briefings.SearchQuery{Text: "cruise OR artillery"})
			if err != nil || len(hits) != 0 {
				t.Errorf("OR was read as an operator: %+v %v", hits, err)
			}
		})
	})
}

func TestMatchQuery(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text string
		any  bool
		want string
	}{
		{"kim putin", false, `"kim" "putin"`},
		{"kim putin", true, `"kim" OR "putin"`},
		{`"kim" AND putin*`, false, `"kim" "AND" "putin"`},
		{"NEAR(a b", false, `"NEAR" "a" "b"`},
		{"title:x -y ^z", false, `"title" "x" "y" "z"`},
		{"How many facts are there about Kim?", true, `"facts" OR "Kim"`},
		{"Kim kim KIM", false, `"Kim"`},
		{"Zelenskỳ's visit", false, `"Zelenskỳ" "s" "visit"`},
		{"(((", false, ``},
		{"", true, ``},
		{"the of", true, ``},
	}
	for _, tt := range tests {
		if got := db.MatchQuery(tt.text, tt.any); got != tt.want {
			t.Errorf("MatchQuery(%q, %v)=%q, want %q", tt.text, tt.any, got, tt.want)
		}
	}
	if got := strings.Count(db.MatchQuery(strings.Repeat("word ", 1000)+strings.Repeat("x", 10), false), `"`); got > 2*64 {
		t.Errorf("a long text gives %d quoted words", got/2)
	}
}

// storeCounts counts the rows of the library's tables, and of SQLite's
// briefing index, through d.
func storeCounts(t *testing.T, d *db.DB) map[string]int {
	t.Helper()
	tables := []string{"briefings", "facts", "actors", "events"}
	if !d.IsPostgres() {
		tables = append(tables, "briefings_fts")
	}
	out := map[string]int{}
	for _, table := range tables {
		var n int
		if err := d.CountForTest(context.Background(), `SELECT count(*) FROM `+table, &n); err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
		out[table] = n
	}
	return out
}

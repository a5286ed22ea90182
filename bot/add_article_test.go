package bot_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"briefbot/briefings/article"
	"briefbot/commands"
	"briefbot/db"
)

// seedArticle is the seed article, kept beside the repository.
const seedArticle = "../../shared/seed/putin-kim-call-2025-08-12.txt"

// articleSite serves the article pages of briefings/article's tests on
// loopback: the seed article and the wire story of the evaluation set,
// with navigation, a cookie banner, related links, comments and JSON-LD.
func articleSite(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	for path, file := range map[string]string{"/world/putin-kim-call": "seed.html", "/health/sahel-cholera": "wire.html"} {
		data, err := os.ReadFile(filepath.Join("..", "briefings", "article", "testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(data)
		})
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// addRouter is the real router with moderation on over an empty library,
// fetching articles from loopback as BRIEFBOT_FETCH_ALLOW_LOOPBACK=1 does.
func addRouter(t *testing.T) (*commands.Router, *db.DB) {
	t.Helper()
	lib, err := db.Open(context.Background(), filepath.Join(t.TempDir(), "briefbot.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lib.Close() })
	lib.Now = func() time.Time { return addNow }
	return commands.New(lib, commands.Options{Now: func() time.Time { return addNow }, Curator: lib,
		Articles: article.New(article.Config{AllowLoopback: true, Timeout: 5 * time.Second})}), lib
}

// addNow is when the moderator adds the articles: well after both.
var addNow = time.Date(2026, time.December, 2, 15, 0, 0, 0, time.UTC)

// formLine is a console form line: newlines written as \n.
func formLine(field, value string) string {
	return field + ": " + strings.ReplaceAll(strings.TrimSpace(value), "\n", `\n`)
}

func readSeed(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(seedArticle)
	if err != nil {
		t.Skipf("the seed article is not beside the repository: %v", err)
	}
	return string(data)
}

// evalExpect is what the extraction evaluation set expects of an
// article's draft (briefings/testdata/extract-eval): the publication date,
// the actors, the dated events and who says what.
type evalExpect struct {
	Published string   `json:"published"`
	Actors    []string `json:"actors"`
	Events    []struct {
		Date  string   `json:"date"`
		Words []string `json:"words"`
	} `json:"events"`
	Attributions []struct {
		Fact string   `json:"fact"`
		By   []string `json:"by"`
	} `json:"attributions"`
}

// checkPublished checks the published briefing with the slug against the
// evaluation set's expectations, as a member of the guild finds it.
func checkPublished(t *testing.T, lib *db.DB, slug, evalFile string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "briefings", "testdata", "extract-eval", evalFile))
	if err != nil {
		t.Fatal(err)
	}
	var want evalExpect
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	b, err := lib.Briefing(ctx, guildA, slug)
	if err != nil {
		t.Fatalf("members do not see %s: %v", slug, err)
	}
	if got := b.Published.String(); got != want.Published {
		t.Errorf("%s: published %s, want %s", slug, got, want.Published)
	}
	for _, name := range want.Actors {
		if _, err := lib.Actor(ctx, guildA, name); err != nil {
			t.Errorf("%s: members do not find the actor %q: %v", slug, name, err)
		}
	}
	for _, we := range want.Events {
		found := false
		for _, e := range b.Events {
			name := strings.ToLower(e.Name)
			for _, w := range we.Words {
				found = found || e.Date.String() == we.Date && strings.Contains(" "+name, " "+w)
			}
		}
		if !found {
			t.Errorf("%s: no event on %s named for one of %v; events: %+v", slug, we.Date, we.Words, b.Events)
		}
	}
	for _, wa := range want.Attributions {
		var by []string
		for _, f := range b.Facts {
			if strings.Contains(f.Text, wa.Fact) {
				by = append(by, f.Attribution)
			}
		}
		ok := false
		for _, got := range by {
			for _, w := range wa.By {
				ok = ok || strings.EqualFold(got, w)
			}
		}
		if !ok {
			t.Errorf("%s: the fact %q is attributed to %q, want one of %q", slug, wa.Fact, by, wa.By)
		}
	}
}

// publishedSlug reads the slug from "Published <slug> (version N)".
var publishedSlug = regexp.MustCompile(`Published \**([a-z0-9-]+)\** \(version \d+\)`)

// A moderator at the console turns the seed article (pasted into the
// form) and a wire story of the evaluation set (given as a link) into
// published briefings whose dates, actors and attributions are right, in
// at most five interactions after the paste; here, one each: Publish.
func TestConsole_AddArticleSteps(t *testing.T) {
	seed := readSeed(t)
	site := articleSite(t)
	for _, tt := range []struct {
		name        string
		before      []string // opening the form
		paste       []string // the article, or its link
		after       []string // every interaction until it is published
		eval, topic string
		timeline    []string // what a member reads in /timeline
	}{
		{name: "SeedPasted", before: []string{"/briefing add"},
			paste: []string{formLine("body", seed), "title: Putin thanks Kim for North Korea's war help before the Alaska summit",
				"topics: Russia–North Korea", "submit"},
			after: []string{"press 1"}, eval: "00-seed.json", topic: "russia-north-korea",
			timeline: []string{"12 August 2025 — Call", "15 August 2025 — Critical Alaska summit"}},
		{name: "WireFromLink",
			paste: []string{"/briefing add url:" + site.URL + "/health/sahel-cholera topics:Cholera, Sahel"},
			after: []string{"press 1"}, eval: "01-wire.json", topic: "cholera",
			timeline: []string{"27 February 2026 — Appeal", "4 March 2026 — Pledges", "9 March 2026 — Vaccine shipments", "18 March 2026 — Three countries meeting"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			router, lib := addRouter(t)
			mod := newConsoleUser(router, guildA, modA, true)
			mod.run(tt.before...)
			if got := mod.run(tt.paste...); !strings.Contains(got, "Here is your draft") {
				t.Fatalf("the paste did not draft:\n%s", got)
			}
			var out string
			for _, step := range tt.after {
				out = mod.run(step)
			}
			if n := len(tt.after); n > 5 {
				t.Errorf("%d interactions after the paste, want at most 5", n)
			}
			m := publishedSlug.FindStringSubmatch(out)
			if m == nil {
				t.Fatalf("not published after %d steps:\n%s", len(tt.after), out)
			}
			checkPublished(t, lib, m[1], tt.eval)
			member := newConsoleUser(router, guildA, readerA, false)
			got := member.run("/timeline topic:" + tt.topic)
			for _, w := range tt.timeline {
				if !strings.Contains(got, w) {
					t.Errorf("/timeline lacks %q:\n%s", w, got)
				}
			}
		})
	}
}

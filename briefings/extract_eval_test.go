package briefings_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"briefbot/briefings"
)

// evalCase is one article of the extraction evaluation set and what a
// moderator would expect the draft to hold. The set lives in
// testdata/extract-eval: NN-kind.txt is the article, NN-kind.json this.
type evalCase struct {
	// Kind says what shape of article it is.
	Kind string `json:"kind"`
	// Article, when set, is the path of the article relative to the JSON
	// file (for articles kept elsewhere, such as the seed).
	Article string `json:"article"`
	// Published is the expected publication date.
	Published string `json:"published"`
	// Title is the expected title; empty when any title will do.
	Title string `json:"title"`
	// Actors are names the draft must propose or link.
	Actors []string `json:"actors"`
	// NotActors are capitalised words of the article that are no actor
	// ("Health" in "Health ministers"): the draft must not propose them.
	NotActors []string `json:"not_actors"`
	// OneActor are groups of names of one actor (an organization and its
	// acronym): the draft must propose one actor holding them all, and no
	// other actor with any of them.
	OneActor [][]string `json:"one_actor"`
	// Events must each be found with their date and a name holding one
	// of the words (by prefix).
	Events []struct {
		Date  string   `json:"date"`
		Words []string `json:"words"`
	} `json:"events"`
	// NotEventWords are words no event's name may hold, such as the "s"
	// of a possessive ("Friday's summit").
	NotEventWords []string `json:"not_event_words"`
	// AllowedDates are other dates the article names that an event may
	// carry without being wrong; any event date neither here nor among
	// Events counts as a wrong date.
	AllowedDates []string `json:"allowed_dates"`
	// Attributions are facts (by a fragment of their text) and who the
	// draft must attribute them to (any of By).
	Attributions []struct {
		Fact string   `json:"fact"`
		By   []string `json:"by"`
	} `json:"attributions"`
}

// evalNow is the day the evaluation runs as, so that dates without a year
// resolve the same way every time.
var evalNow = time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)

// evalScore counts what one article's draft got right.
type evalScore struct {
	name            string
	found, expected int
	wrongDates      []string
	misses          []string
}

// TestExtractEval scores the deterministic extractor on the evaluation set
// (make eval-extract prints the table): the share of expected items found
// (publication date, actors, dated events, attributions, and words that
// must not become actors or event names) must be at least
// 85%, and no event may carry a wrong date.
func TestExtractEval(t *testing.T) {
	files, err := filepath.Glob("testdata/extract-eval/*.json")
	if err != nil || len(files) < 8 {
		t.Fatalf("evaluation set: %d files, %v", len(files), err)
	}
	var total evalScore
	var lines []string
	for _, f := range files {
		s, ok := scoreArticle(t, f)
		if !ok {
			continue
		}
		total.found += s.found
		total.expected += s.expected
		total.wrongDates = append(total.wrongDates, s.wrongDates...)
		lines = append(lines, fmt.Sprintf("%-28s %3d/%-3d %5.1f%%  wrong dates: %d", s.name, s.found, s.expected,
			100*float64(s.found)/float64(s.expected), len(s.wrongDates)))
		for _, m := range s.misses {
			lines = append(lines, "    miss: "+m)
		}
		for _, w := range s.wrongDates {
			lines = append(lines, "    wrong date: "+w)
		}
	}
	share := 100 * float64(total.found) / float64(total.expected)
	lines = append(lines, fmt.Sprintf("%-28s %3d/%-3d %5.1f%%  wrong dates: %d", "TOTAL", total.found, total.expected, share, len(total.wrongDates)))
	t.Log("extraction evaluation\n" + strings.Join(lines, "\n"))
	if share < 85 {
		t.Errorf("extraction found %.1f%% of the expected items; the target is 85%%", share)
	}
	if len(total.wrongDates) > 0 {
		t.Errorf("extraction gave %d wrong dates: %v", len(total.wrongDates), total.wrongDates)
	}
}

// scoreArticle extracts one article of the set with no publication date
// given, as a moderator pasting it would, and scores the draft.
func scoreArticle(t *testing.T, jsonPath string) (evalScore, bool) {
	t.Helper()
	raw, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	var c evalCase
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatalf("%s: %v", jsonPath, err)
	}
	articlePath := strings.TrimSuffix(jsonPath, ".json") + ".txt"
	if c.Article != "" {
		articlePath = filepath.Join(filepath.Dir(jsonPath), c.Article)
	}
	text, err := os.ReadFile(articlePath)
	if os.IsNotExist(err) && c.Article != "" {
		t.Logf("%s: %s is not here; left out", jsonPath, c.Article)
		return evalScore{}, false
	} else if err != nil {
		t.Fatal(err)
	}
	d := briefings.DraftArticle(briefings.ExtractInput{Text: string(text), Now: evalNow})
	b := d.Briefing
	s := evalScore{name: strings.TrimSuffix(filepath.Base(jsonPath), ".json")}
	item := func(ok bool, what string) {
		s.expected++
		if ok {
			s.found++
		} else {
			s.misses = append(s.misses, what)
		}
	}
	if c.Published != "" {
		item(b.Published.String() == c.Published, fmt.Sprintf("published %s, got %q", c.Published, b.Published.String()))
	}
	if c.Title != "" {
		item(b.Title == c.Title, fmt.Sprintf("title %q, got %q", c.Title, b.Title))
	}
	names := map[string]bool{}
	for _, a := range b.Actors {
		names[briefings.Fold(a.Name)] = true
	}
	for _, f := range b.Facts {
		for _, a := range f.Actors {
			names[briefings.Fold(a)] = true
		}
	}
	for _, a := range c.Actors {
		item(names[briefings.Fold(a)], fmt.Sprintf("actor %q", a))
	}
	for _, n := range c.NotActors {
		item(!names[briefings.Fold(n)], fmt.Sprintf("no actor %q", n))
	}
	for _, group := range c.OneActor {
		holders := 0
		whole := false
		for _, a := range b.Actors {
			has := 0
			for _, n := range group {
				for _, an := range append([]string{a.Name}, a.Aliases...) {
					if briefings.Fold(an) == briefings.Fold(n) {
						has++
						break
					}
				}
			}
			if has > 0 {
				holders++
			}
			whole = whole || has == len(group)
		}
		item(whole && holders == 1, fmt.Sprintf("one actor named %q", group))
	}
	for _, e := range c.Events {
		ok := false
		for _, got := range b.Events {
			if got.Date.String() == e.Date && nameHasWord(got.Name, e.Words) {
				ok = true
			}
		}
		item(ok, fmt.Sprintf("event on %s named with one of %v", e.Date, e.Words))
	}
	for _, w := range c.NotEventWords {
		var bad []string
		for _, got := range b.Events {
			for _, gw := range strings.Fields(briefings.Fold(got.Name)) {
				if gw == briefings.Fold(w) {
					bad = append(bad, got.Name)
				}
			}
		}
		item(len(bad) == 0, fmt.Sprintf("no event named with %q, got %q", w, bad))
	}
	allowed := slices.Clone(c.AllowedDates)
	for _, e := range c.Events {
		allowed = append(allowed, e.Date)
	}
	for _, got := range b.Events {
		if !slices.Contains(allowed, got.Date.String()) {
			s.wrongDates = append(s.wrongDates, fmt.Sprintf("%s: %q on %s", s.name, got.Name, got.Date))
		}
	}
	for _, a := range c.Attributions {
		var gotBy []string
		ok := false
		for _, f := range b.Facts {
			if !strings.Contains(f.Text, a.Fact) {
				continue
			}
			gotBy = append(gotBy, f.Attribution)
			for _, by := range a.By {
				if briefings.Fold(f.Attribution) == briefings.Fold(by) {
					ok = true
				}
			}
		}
		item(ok, fmt.Sprintf("%q attributed to %v, got %q", a.Fact, a.By, gotBy))
	}
	return s, true
}

// nameHasWord reports whether an event name holds a word starting with one
// of words.
func nameHasWord(name string, words []string) bool {
	for _, w := range strings.Fields(briefings.Fold(name)) {
		w = strings.Trim(w, `'’"“”,.`)
		for _, want := range words {
			if strings.HasPrefix(w, briefings.Fold(want)) {
				return true
			}
		}
	}
	return false
}

package db_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"briefbot/briefings"
	"briefbot/briefings/answer"
	"briefbot/db"
)

// TestDB_RecallFormsAreNotRequiredOfTheRowHoldingEveryWord asks, in a library
// that ranks few candidates, about two words that each fill more than the
// ranked window, with one old fact holding both. The question's words have
// other forms ("harbour" is also looked up as "harbor"), which no record
// holds: the fact must still be found as the one holding every word, not
// lost because no row holds the forms too. (At 1M briefings /ask answered
// "not covered" for such a pair that /search found.)
func TestDB_RecallFormsAreNotRequiredOfTheRowHoldingEveryWord(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, lib *db.DB) {
		lib.SetRankedCandidates(3)
		savePortLibrary(t, lib, "Dredging of the harbour stopped for the winter.", []string{"harbour", "dredging"}, 12,
			"The %s report for week %d.", "The %s was busy in week %d.")
		q := answer.Analyze("What about harbour dredging?")
		if _, forms := q.Words(32); len(forms) == 0 {
			t.Fatalf("the question's words have no other forms (%+v): the test asks nothing", q.Terms)
		}
		res, err := answer.Answer(ctx, lib, "", "What about harbour dredging?", answer.Options{Lines: 3})
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, l := range res.Lines {
			lines = append(lines, l.Text)
		}
		if len(lines) == 0 || !strings.Contains(lines[0], "stopped for the winter") {
			t.Errorf("answer = %q, want the old fact holding both words first", lines)
		}
	})
}

// TestDB_RecallRowsHoldingEveryWordNeedNotHoldOneInMostOfTheLibrary asks
// for three words in a library that ranks few candidates: one in every
// briefing, and two that each fill more than the ranked window. The one
// old fact holding the two rarer words, but not the word in every
// briefing, must come first: that word tells nothing, and requiring it
// made FTS5 read its whole list (160 ms a question at 1M) and lost the fact.
func TestDB_RecallRowsHoldingEveryWordNeedNotHoldOneInMostOfTheLibrary(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {
		d.SetRankedCandidates(3)
		// ferry and dredging are each in every fourth briefing, more than
		// are ranked but not most of the newest; report is in all of them
		savePortLibrary(t, d, "Dredging for the ferry stopped for the winter.", []string{"ferry", "quay", "dredging", "quay"}, 24,
			"The weekly report on the %s for week %d.", "The report says the %s was busy in week %d.")
		rec, err := d.Recall(ctx, briefings.RecallQuery{Words: []string{"report", "ferry", "dredging"}, Limit: 3})
		if err != nil {
			t.Fatal(err)
		}
		var texts []string
		for _, f := range rec.Facts {
			texts = append(texts, f.Text)
		}
		if len(texts) == 0 || !strings.Contains(texts[0], "stopped for the winter") {
			t.Errorf("facts = %q, want the old fact holding ferry and dredging first", texts)
		}
	})
}

// savePortLibrary saves an old briefing whose one fact is oldFact, then n
// weekly briefings after it, the i-th about words[i%len(words)]: its
// summary and its one fact are the layouts filled with that word and the
// week.
func savePortLibrary(t *testing.T, d *db.DB, oldFact string, words []string, n int, summary, fact string) {
	t.Helper()
	bs := []*briefings.Briefing{{Title: "Works at the old quay", Summary: "Works went on at the old quay.",
		Published: briefings.DayOf(2024, time.March, 1), Topics: []string{"ports"},
		Facts: []briefings.Fact{{Text: oldFact, Attribution: "the port authority"}}}}
	for i := range n {
		word := words[i%len(words)]
		bs = append(bs, &briefings.Briefing{Title: fmt.Sprintf("Port bulletin %d", i+1),
			Summary:   fmt.Sprintf(summary, word, i+1),
			Published: briefings.DayOf(2025, time.May, 1+i), Topics: []string{"ports"},
			Facts: []briefings.Fact{{Text: fmt.Sprintf(fact, word, i+1), Attribution: "the port authority"}}})
	}
	mustSave(t, d, "", bs...)
}

package briefings

import (
	"sort"
	"strings"
	"testing"
)

// TestEventWords_EachEntry checks every entry of the tables that name an
// event after what happened (eventVerbs, eventPhrases): said of workers
// on a day, the word or phrase gives an event named after it, and an
// entry with no name gives none.
func TestEventWords_EachEntry(t *testing.T) {
	tuesday := DayOf(2025, 8, 12)
	entries := map[string]string{}
	for w, n := range eventVerbs {
		entries[w] = n
	}
	for p, n := range eventPhrases {
		entries[p] = n
	}
	words := make([]string, 0, len(entries))
	for w := range entries {
		words = append(words, w)
	}
	sort.Strings(words)
	for _, w := range words {
		want := entries[w]
		t.Run(strings.ReplaceAll(w, " ", "_"), func(t *testing.T) {
			s := "The workers " + w + " on Tuesday."
			dates := FindDates(s, tuesday, tuesday)
			if len(dates) != 1 {
				t.Fatalf("FindDates(%q)=%v, want one date", s, dates)
			}
			got := eventFor(s, dates[0], newNameFinder([]string{s}))
			if want == "" {
				if got != "" {
					t.Errorf("eventFor(%q)=%q, want no event", s, got)
				}
				return
			}
			if !strings.Contains(Fold(got), Fold(want)) {
				t.Errorf("eventFor(%q)=%q, want a name holding %q", s, got, want)
			}
		})
	}
}

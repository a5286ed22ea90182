package answer

import (
	"sort"
	"strings"
	"testing"
)

// TestCountedWord: what a "how many" question counts is the plural after
// "how many", names and verbs aside; a question that names nothing after
// it counts nothing in particular.
func TestCountedWord(t *testing.T) {
	for _, tt := range []struct{ question, want string }{
		{"How many ships are waiting at the port of Sarn?", "ships"},
		{"How many people voted in the Estrava election?", "people"},
		{"How many North Korean troops fought in Kursk?", "troops"},
		{"How many measles cases have been confirmed?", "measles"},
		{"How many children were hospitalised?", "children"},
		{"How many dead in Oddmere?", "dead"},
		{"How many were hurt in the floods?", ""},
		{"How much copper does Tessaline export?", ""},
		{"When did the strike start?", ""},
	} {
		q := Analyze(tt.question)
		got := ""
		if q.Count >= 0 {
			got = q.Terms[q.Count].Word
		}
		if got != tt.want {
			t.Errorf("%q counts %q, want %q", tt.question, got, tt.want)
		}
	}
}

// TestFigures: each number of a record with the words it counts; a date's
// day and year are no figures, a word in -ing before the counted noun
// only qualifies it, a percentage is a share, a bare figure after a verb
// counts those the verb was done to, one after "to" what the figure
// before it counts, and one after "the" refers back and counts nothing.
func TestFigures(t *testing.T) {
	for _, tt := range []struct{ text, want string }{
		{"Sixty-three ships were anchored offshore by 8 March.", "ship"},
		{"Two shipping lines have diverted their vessels to the port of Sarn.", "line"},
		{"The Folkting passed a motion by 88 votes to 71.", "vote | vote"},
		{"He set a snap general election for 5 July 2026.", ""},
		{"Seven people were killed in the floods, five of them in Oddmere.", "peopl | -"},
		{"At least 10,000 North Korean troops are fighting alongside Russian forces.", "korean north troop"},
		{"Cargo worth 40 million euros could spoil; one ship left.", "euro"},
		{"The treaty was signed in 2024.", ""},
		{"Polls put the Civic Party at 24% and the Greens at 17 per cent.", "share | share"},
		{"The roof fell on a train on 14 August 2026, killing four people and injuring 27.", "peopl | verb"},
		{"The council voted five to two for the rise.", "verb | verb"},
		{"Faber was one of the two who wanted to hold the rate.", ""},
		{"Firefighter Tomas Roe, 34, was killed.", ""},
		{"Two of his crewmates were treated for burns.", "crewmat"},
	} {
		var got []string
		for _, f := range figures(tt.text) {
			var ws []string
			for w := range f.counts {
				ws = append(ws, w)
			}
			sort.Strings(ws)
			if f.share {
				ws = []string{"share"}
			}
			if f.verb {
				ws = []string{"verb"}
			}
			if len(ws) == 0 {
				ws = []string{"-"}
			}
			got = append(got, strings.Join(ws, " "))
		}
		if g := strings.Join(got, " | "); g != tt.want {
			t.Errorf("figures(%q) = %q, want %q", tt.text, g, tt.want)
		}
	}
}

// TestCountsAsked: a figure answers a "how many" question only when it
// counts what the question counts.
func TestCountsAsked(t *testing.T) {
	for _, tt := range []struct {
		question, record string
		want             bool
	}{
		{"How many people were injured?", "The roof fell on a train, killing four people and injuring 27.", true},
		{"How many trains use the tunnel each day?", "The roof fell on a passenger train, killing four people and injuring 27.", false},
		{"How many ships are waiting?", "Ships wait offshore: 63 of them.", true},
		{"How many banks are there in Veshna?", "The council voted five to two for the rise.", false},
	} {
		q := Analyze(tt.question)
		m := newMatcher(q, nil)
		c := &candidate{line: Line{Source: FromFact, Text: tt.record, Attribution: "National Bank"},
			primary: stems(tt.record, "National Bank"), figures: figures(tt.record)}
		if got := m.countsAsked(c); got != tt.want {
			t.Errorf("%q answered by %q: %v, want %v", tt.question, tt.record, got, tt.want)
		}
	}
}

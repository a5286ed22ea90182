package answer

import (
	"strings"
	"testing"
)

// TestPhrasal checks every entry of phrasal.txt: a question that uses any
// form of the verb with its particle is read as the entry's word.
func TestPhrasal(t *testing.T) {
	n := 0
	for line := range strings.SplitSeq(phrasalText, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, "|")
		if len(parts) != 3 {
			t.Fatalf("phrasal.txt: want forms | particle | word, got %q", line)
		}
		particle, word := strings.Join(strings.Fields(parts[1]), " "), strings.TrimSpace(parts[2])
		for _, f := range strings.Fields(parts[0]) {
			n++
			q := Analyze("Why did the council " + f + " " + particle + " the plan?")
			found := false
			for _, term := range q.Terms {
				found = found || term.Word == word
			}
			if !found {
				t.Errorf("%q %q: terms %+v, want %q among them", f, particle, q.Terms, word)
			}
		}
	}
	if n == 0 {
		t.Fatal("phrasal.txt holds no entries")
	}
}

// TestAgain checks that "X again" also matches a record's "reX", and that
// names and the words around it are left alone.
func TestAgain(t *testing.T) {
	q := Analyze("When does the Corrow tunnel open again?")
	var open *Term
	for i := range q.Terms {
		if strings.HasSuffix(q.Terms[i].Word, "open") {
			open = &q.Terms[i]
		}
	}
	if open == nil || open.Word != "reopen" {
		t.Fatalf("terms %+v, want reopen among them", q.Terms)
	}
	m := newMatcher(q, nil)
	for i, term := range q.Terms {
		if term.Word != "reopen" {
			continue
		}
		reopens := m.strength(i, stems("The tunnel is due to reopen on 30 June 2027."))
		opens := m.strength(i, stems("The inquiry opens on 7 September."))
		if !(reopens > opens && opens > 0) {
			t.Errorf("reopen %v, open %v: want a record's reopen to match more than its open, and both to match", reopens, opens)
		}
	}
	if q := Analyze("Will Putin meet Kim again?"); len(q.Terms) == 0 || q.Terms[len(q.Terms)-1].Word != "kim" {
		t.Errorf("a name before again was changed: %+v", q.Terms)
	}
}

// TestTimeClause checks that the words of a time clause are weak, names
// aside, and that a clause opening the question weakens nothing.
func TestTimeClause(t *testing.T) {
	for _, tc := range []struct{ question, weak string }{
		{"What happened to the dalan after the rate decision?", "rate decision"},
		{"What did Putin say after the Alaska summit?", "summit"},
		{"After the floods, how many people left Oddmere?", ""},
	} {
		var weak []string
		for _, term := range Analyze(tc.question).Terms {
			if term.Weak && term.Word != "people" {
				weak = append(weak, term.Word)
			}
		}
		if got := strings.Join(weak, " "); got != tc.weak {
			t.Errorf("%q: weak %q, want %q", tc.question, got, tc.weak)
		}
	}
}

// TestFewLetterChanges checks the letter count that rules names out
// before the edit distance: never a word two edits away, often others.
func TestFewLetterChanges(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"putn", "putin", true},
		{"vaktrkvio", "vaktrakvio", true},
		{"kessler", "keszler", true},
		{"governer", "governor", true},
		{"abcd", "dcba", true}, // anagrams pass; the edit distance decides
		{"president", "residents", true},
		{"putin", "kursk", false},
		{"vaktrakvio", "titpiorim", false},
		{"héllo", "world", true}, // not ASCII: left to the edit distance
	} {
		if got := fewLetterChanges(tc.a, tc.b); got != tc.want {
			t.Errorf("fewLetterChanges(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

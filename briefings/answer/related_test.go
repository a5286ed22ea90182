package answer

import (
	"strings"
	"testing"

	"briefbot/briefings"
)

// TestRelated checks every entry of related.txt: a question that uses one
// word of a line matches a record that says any other word of the line,
// and no word of the table is lost to the stop words.
func TestRelated(t *testing.T) {
	for n, line := range strings.Split(relatedText, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		t.Run(strings.Fields(line)[0], func(t *testing.T) {
			ws := strings.Fields(line)
			if len(ws) < 2 {
				t.Fatalf("related.txt:%d: a group needs two words at least: %q", n+1, line)
			}
			for _, a := range ws {
				q := Analyze("Tell me about " + a + " please")
				if len(q.Terms) != 1 {
					t.Errorf("related.txt:%d: %q is not a content word of a question (terms %+v)", n+1, a, q.Terms)
					continue
				}
				m := newMatcher(q, nil)
				for _, b := range ws {
					if got := m.strength(0, stems("The record says "+b+".")); got == 0 {
						t.Errorf("related.txt:%d: a question about %q does not match a record saying %q", n+1, a, b)
					}
				}
			}
		})
	}
}

// TestRelated_Unrelated checks that words of different lines stay apart.
func TestRelated_Unrelated(t *testing.T) {
	for _, tc := range [][2]string{{"wounded", "killed"}, {"resign", "elected"}, {"ballot", "talks"}, {"port", "ship"}, {"rise", "fall"}} {
		q := Analyze("Tell me about " + tc[0] + " please")
		if got := newMatcher(q, nil).strength(0, stems(tc[1])); got != 0 {
			t.Errorf("%q matches %q with strength %v, want 0", tc[0], tc[1], got)
		}
	}
}

func TestAnalyze(t *testing.T) {
	for _, tc := range []struct {
		question string
		kind     Kind
		terms    string
		names    string
	}{
		{"When did Putin call Kim?", When, "putin call kim", "putin kim"},
		{"In what year was the treaty signed?", When, "treati sign", ""},
		{"Where was the Alaska summit held?", Where, "alaska summit held", "alaska"},
		{"Who heads the commission?", Who, "head commiss", ""},
		{"Which company was sanctioned?", Who, "sanction", ""},
		{"How many North Korean troops are fighting for Russia?", HowMany, "north korean troop fight russia", "north korean russia"},
		{"How much cargo could spoil?", HowMany, "cargo spoil", ""},
		{"Why did the talks collapse?", Why, "talk collaps", ""},
		{"What did the NIS say?", What, "ni", "ni"},
		{"what is the population of anchorage", What, "popul anchorag", ""},
		{"Were five people killed?", What, "five peopl kill", ""},
	} {
		q := Analyze(tc.question)
		var terms, names []string
		for _, term := range q.Terms {
			terms = append(terms, term.Stem)
			if term.Name {
				names = append(names, term.Stem)
			}
		}
		if q.Kind != tc.kind || strings.Join(terms, " ") != tc.terms || strings.Join(names, " ") != tc.names {
			t.Errorf("Analyze(%q) = %v %q names %q, want %v %q names %q", tc.question, q.Kind, strings.Join(terms, " "),
				strings.Join(names, " "), tc.kind, tc.terms, tc.names)
		}
	}
}

func TestNumberWords(t *testing.T) {
	q := Analyze("Were five people killed?")
	if !contains(q.Terms[0].Alts, "5") || !contains(q.Terms[0].Forms, "5") {
		t.Errorf("five: alts %v forms %v, want 5", q.Terms[0].Alts, q.Terms[0].Forms)
	}
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"Seven people were killed.", true}, {"Forty-one were injured.", true}, {"Hundreds fled.", true},
		{"A dozen ships.", true}, {"10,000 troops.", true}, {"One of the leaders spoke.", false}, {"Nobody was hurt.", false},
	} {
		if got := hasFigure(tc.text); got != tc.want {
			t.Errorf("hasFigure(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
	if got := words(briefings.Fold("About 12,000 residents; 2.5 metres.")); strings.Join(got, " ") != "about 12,000 residents 2.5 metres" {
		t.Errorf("words = %q", got)
	}
}

// TestOtherSpelling checks the British and American spellings a question
// word also matches, and words left alone.
func TestOtherSpelling(t *testing.T) {
	for _, tc := range []struct{ word, want string }{
		{"hospitalised", "hospitalized"},
		{"organization", "organisation"},
		{"labour", "labor"},
		{"favourite", "favorite"},
		{"honoured", "honored"},
		{"colors", "colours"},
		{"kilometres", "kilometers"},
		{"meter", "metre"},
		{"centre", "center"},
		{"theaters", "theatres"},
		{"floor", ""},
		{"doors", ""},
		{"hour", ""},
		{"rise", ""},
		{"water", ""},
	} {
		if got := otherSpelling(tc.word); got != tc.want {
			t.Errorf("otherSpelling(%q) = %q, want %q", tc.word, got, tc.want)
		}
	}
}

// TestOtherSpelling_Matches checks that a question in one spelling matches
// a record in the other.
func TestOtherSpelling_Matches(t *testing.T) {
	for _, tc := range [][2]string{
		{"How many kilometres of track were closed?", "The line lost 40 kilometers of track."},
		{"Who criticized the plan?", "The mayor criticised the plan."},
		{"What did the labor minister say?", "The labour minister spoke."},
	} {
		q := Analyze(tc[0])
		m := newMatcher(q, nil)
		got := stems(tc[1])
		matched := 0
		for i := range q.Terms {
			if m.strength(i, got) > 0 {
				matched++
			}
		}
		if matched < 2 {
			t.Errorf("%q matches %d words of %q, want 2 at least (terms %+v)", tc[0], matched, tc[1], q.Terms)
		}
	}
}

// TestAgentNouns checks that a question's verb matches the noun a record
// names its doer by, and that names and figures get none.
func TestAgentNouns(t *testing.T) {
	for _, tc := range []struct{ question, record string }{
		{"Who was driving the train?", "The driver, Tobias Renn, stopped the train."},
		{"Who governs the central bank?", "Matthias Orlen is governor of the central bank."},
		{"Who owns the club?", "The club's owner is a fund."},
		{"Who won the race?", "The winner of the race was Ada."},
	} {
		q := Analyze(tc.question)
		m := newMatcher(q, nil)
		if got := m.strength(0, stems(tc.record)); got == 0 {
			t.Errorf("%q: %q (alts %v) does not match %q", tc.question, q.Terms[0].Word, q.Terms[0].Alts, tc.record)
		}
	}
	if got := agentNouns("2026", "2026"); got != nil {
		t.Errorf("agentNouns(2026) = %v, want none", got)
	}
	for _, term := range Analyze("When did Putin call?").Terms {
		if term.Name && len(term.Alts) > 0 {
			t.Errorf("the name %q has alternatives %v, want none", term.Word, term.Alts)
		}
	}
	if got := agentNouns("driver", stem("driver")); got != nil {
		t.Errorf("agentNouns(driver) = %v, want none: it is a noun already", got)
	}
}

// TestDescribedActors checks that words naming an actor by what it is
// ("the finance minister") match a record that names the actor, and that
// names and who-questions are left alone.
func TestDescribedActors(t *testing.T) {
	abara := briefings.RecalledActor{Actor: briefings.Actor{Name: "Cyril Abara", Description: "Finance minister of Veshna."}}
	said := stems("The rise is the wrong medicine. Cyril Abara")
	for _, tc := range []struct {
		question string
		want     bool
	}{
		{"What did the finance minister say about the rise?", true},
		{"What did the minister say about the rise?", true},
		{"What did the minister do about the rise?", false},
		{"Who is the finance minister?", false},
	} {
		q := Analyze(tc.question)
		m := newMatcher(q, []briefings.RecalledActor{abara})
		got := false
		for i, term := range q.Terms {
			if term.Word == "finance" || term.Word == "minister" {
				got = got || m.strength(i, said) > 0
			}
		}
		if got != tc.want {
			t.Errorf("%q: a record naming Cyril Abara matches %v, want %v", tc.question, got, tc.want)
		}
	}
}

package answer

import (
	"regexp"
	"strings"

	"briefbot/briefings"
)

// A "how many" question counts something: "how many ships are waiting",
// "how many people voted". A figure answers it only when it counts that
// thing: "Sixty-three ships were anchored" does, "Two shipping lines have
// diverted …" does not (it counts lines), nor does "88 votes to 71" for
// "how many people voted" (it counts votes), nor a date.

// countedWord returns the index in terms of the word a "how many"
// question counts, or -1: the first plural word of the phrase after "how
// many" that is not a name ("How many North Korean troops are …" →
// troops, "How many measles cases …" → measles), else its last word not
// ending in -ed ("How many dead in …" → dead). A phrase that opens with a
// word of no content ("How many were hurt") counts nothing named.
func countedWord(toks, folds []string, terms []Term) int {
	at := -1
	for i := 0; i+1 < len(folds); i++ {
		if folds[i] == "how" && folds[i+1] == "many" {
			at = i + 2
			break
		}
	}
	if at < 0 {
		return -1
	}
	var phrase []int
	for j := at; j < len(folds) && !stopWords[folds[j]]; j++ {
		phrase = append(phrase, j)
	}
	pick := -1
	for _, j := range phrase {
		if !isName(toks[j], j) && plural(folds[j]) {
			pick = j
			break
		}
	}
	if pick < 0 {
		for _, j := range phrase {
			if !isName(toks[j], j) && (j == phrase[0] || !strings.HasSuffix(folds[j], "ed")) {
				pick = j
			}
		}
	}
	if pick < 0 {
		return -1
	}
	st := stem(folds[pick])
	for i, t := range terms {
		if t.Stem == st {
			return i
		}
	}
	return -1
}

// irregularPlurals are plurals without an -s.
var irregularPlurals = map[string]bool{"people": true, "children": true, "men": true, "women": true,
	"police": true, "staff": true, "personnel": true, "cattle": true, "livestock": true, "feet": true,
	"teeth": true, "mice": true, "geese": true, "data": true, "crew": true}

// plural reports whether a folded word looks like a plural noun.
func plural(w string) bool {
	if irregularPlurals[w] {
		return true
	}
	return len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") &&
		!strings.HasSuffix(w, "is")
}

// personWords are the nouns a count of "people" may be given in.
var personWords = stems(`people persons residents inhabitants civilians citizens children adults men women workers
	employees staff voters patients victims migrants refugees students pupils soldiers troops passengers tourists
	visitors members protesters demonstrators prisoners detainees hostages casualties survivors fans spectators
	laborers labourers miners dockworkers doctors nurses teachers officers police families households individuals`)

// figure is a number in a record and what it counts: the stems of the
// words after it ("Sixty-three ships" → {ship}), empty when none follow
// ("five of them", "by 88 votes to 71").
type figure struct {
	counts map[string]bool
	// share is set for a percentage ("24%"): a share, not a count.
	share bool
	// verb is set for a bare figure after a verb ("injuring 27"): it
	// counts those the verb was done to, people most often.
	verb bool
}

// clauseBreak ends the phrase after a number.
var clauseBreak = regexp.MustCompile(`[;:()"“”‘’\[\]]|[,.!?](\s|$)|\s[–—-]\s`)

// monthWords are month names, to tell a date's day and year from a
// figure.
var monthWords = map[string]bool{}

func init() {
	for _, m := range strings.Split("january february march april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec", " ") {
		monthWords[m] = true
	}
}

// figures returns the numbers of the texts, a date's day and year aside,
// each with what it counts. A run of number words and digits ("40
// million", "sixty-three") is one figure; "one" is not a figure.
func figures(texts ...string) []figure {
	var out []figure
	for _, text := range texts {
		folded := strings.NewReplacer("%", " percent ", "per cent", "percent").Replace(briefings.Fold(text))
		for _, clause := range clauseBreak.Split(folded, -1) {
			ws := splitWords(clause, false)
			var last *figure // the clause's figure before, with what it counts
			for i := 0; i < len(ws); i++ {
				if !isFigure(ws[i]) {
					continue
				}
				start := i
				for i+1 < len(ws) && isFigure(ws[i+1]) {
					i++
				}
				if isDate(ws, start, i) {
					continue
				}
				// the words after it, to the next word of no content;
				// a word in -ing before another ("shipping lines")
				// qualifies what is counted and is not it
				var phrase []string
				for j := i + 1; j < len(ws) && j <= i+4 && !stopWords[ws[j]]; j++ {
					phrase = append(phrase, ws[j])
				}
				// "two of his crewmates" counts crewmates; "five of
				// them" nothing named
				if len(phrase) == 0 && i+1 < len(ws) && ws[i+1] == "of" {
					j := i + 2
					for j < len(ws) && determiners[ws[j]] {
						j++
					}
					if j < len(ws) && !stopWords[ws[j]] {
						phrase = append(phrase, ws[j])
					}
				}
				f := figure{counts: map[string]bool{}, share: len(phrase) > 0 && phrase[0] == "percent"}
				// "killing four people and injuring 27", "voted five to
				// two": a bare figure after a verb counts whom or what
				// the verb was done to
				var before string
				if start > 0 {
					before = ws[start-1]
				}
				switch {
				case len(phrase) > 0:
				case start == 0 && i == len(ws)-1:
					// "Tomas Roe, 34, was killed": an age or an
					// aside, alone between commas
					continue
				case before == "the":
					// "one of the two who wanted": a reference, no count
					continue
				case strings.HasSuffix(before, "ing") || strings.HasSuffix(before, "ed"):
					f.verb = true
				case before == "to" && last != nil && !last.share:
					// "five votes to two", "from 140 to 95": the
					// second counts what the first does
					f.counts, f.verb = last.counts, last.verb
				}
				for k, w := range phrase {
					if k+1 < len(phrase) && strings.HasSuffix(w, "ing") {
						continue
					}
					f.counts[stem(w)] = true
				}
				out = append(out, f)
				last = &out[len(out)-1]
			}
		}
	}
	return out
}

// determiners may stand between "of" and what a figure counts.
var determiners = map[string]bool{"the": true, "his": true, "her": true, "their": true, "its": true, "our": true,
	"my": true, "your": true, "these": true, "those": true}

// isFigure reports whether a folded word is a number, "one" aside.
func isFigure(w string) bool {
	return w != "one" && (isNumber(w) || strings.IndexFunc(w, func(r rune) bool { return (r < '0' || r > '9') && r != ',' && r != '.' }) < 0)
}

// isDate reports whether the figure ws[from..to] is part of a date: a day
// or year beside a month's name, or a year on its own.
func isDate(ws []string, from, to int) bool {
	if from > 0 && monthWords[ws[from-1]] || to+1 < len(ws) && monthWords[ws[to+1]] {
		return true
	}
	return from == to && len(ws[from]) == 4 && (strings.HasPrefix(ws[from], "19") || strings.HasPrefix(ws[from], "20"))
}

// countsAsked reports whether c gives a figure for what a "how many"
// question counts: a figure of that thing (or of people of some kind,
// for "how many people"), or a bare figure in a record that names it. A
// percentage is a share, not a count.
func (m *matcher) countsAsked(c *candidate) bool {
	i := m.q.Count
	if i < 0 {
		return true
	}
	people := personWords[m.q.Terms[i].Stem] && (m.q.Terms[i].Word == "people" || m.q.Terms[i].Word == "persons")
	for _, f := range c.figures {
		switch {
		case f.share:
		case f.verb:
			if people {
				return true
			}
		case len(f.counts) == 0:
			// the record itself names what is counted, not only
			// whoever it is attributed to
			if m.strength(i, stems(c.line.Text)) > 0 {
				return true
			}
		case m.strength(i, f.counts) > 0:
			return true
		case people:
			for w := range f.counts {
				if personWords[w] {
					return true
				}
			}
		}
	}
	return false
}

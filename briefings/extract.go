package briefings

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// Limits on what Extract proposes, so that a long article gives a preview a
// moderator can read.
const (
	maxCandidateFacts  = 25
	maxCandidateEvents = 10
	maxEventName       = 80
)

// Extraction is what Extract found in an article: candidate facts, the
// known actors it names, and dated candidate events.
type Extraction struct {
	// Facts are sentences with figures, dates or attributions, each with
	// its attribution and the known actors it names.
	Facts []Fact
	// Actors are the known actor names (or aliases) the text mentions, in
	// order of first mention.
	Actors []string
	// Events are the dated sentences as candidate events.
	Events []Event
}

// ExtractInput is what Extract reads.
type ExtractInput struct {
	// Text is the article (summary and body).
	Text string
	// Published anchors relative dates such as "Friday" or "last year".
	Published Date
	// KnownActors are the names and aliases of the library's actors.
	KnownActors []string
	// DefaultAttribution attributes facts whose sentence names no source,
	// usually the source's name.
	DefaultAttribution string
}

// Extract draws candidate facts, actors and events from an article without
// any model: sentences carrying figures, dates or attributions ("according
// to …", "… said") become facts; known actor names and aliases are linked;
// dates, absolute or relative to the publication date, become events. The
// same input always gives the same output.
func Extract(in ExtractInput) Extraction {
	var out Extraction
	known := knownNames(in.KnownActors)
	seenActor := map[string]bool{}
	seenEvent := map[string]bool{}
	anchor := in.Published
	defaultAttr := strings.TrimSpace(in.DefaultAttribution)
	if defaultAttr == "" {
		defaultAttr = "the article"
	}
	for _, s := range Sentences(in.Text) {
		dates := FindDates(s, in.Published, anchor)
		if len(dates) > 0 {
			anchor = dates[len(dates)-1].Date
		}
		attr := Attribution(s)
		actors := mentions(s, known)
		for _, a := range actors {
			if !seenActor[Fold(a)] {
				seenActor[Fold(a)] = true
				out.Actors = append(out.Actors, a)
			}
		}
		if attr == "" && len(dates) == 0 && !hasFigure(s) {
			continue
		}
		f := Fact{Text: Truncate(s, MaxFactText), Attribution: attr, Actors: actors}
		if f.Attribution == "" {
			f.Attribution = defaultAttr
		}
		f.Attribution = Truncate(f.Attribution, MaxAttribution)
		if len(dates) > 0 && len(out.Events) < maxCandidateEvents {
			name := eventName(s)
			if !seenEvent[Fold(name)] {
				seenEvent[Fold(name)] = true
				out.Events = append(out.Events, Event{Name: name, Date: dates[0].Date, Description: Truncate(s, MaxDescription)})
				f.Event = name
			}
		}
		if len(out.Facts) < maxCandidateFacts {
			out.Facts = append(out.Facts, f)
		}
	}
	return out
}

// Sentences splits text into sentences at ".", "!" or "?" followed by
// space and a capital letter, a digit or a quote, leaving initials ("U.S.")
// and common abbreviations ("Mr.") inside their sentence.
func Sentences(text string) []string {
	text = strings.Join(strings.Fields(text), " ")
	var out []string
	r := []rune(text)
	start := 0
	for i := 0; i < len(r); i++ {
		if r[i] != '.' && r[i] != '!' && r[i] != '?' {
			continue
		}
		end := i + 1
		for end < len(r) && strings.ContainsRune(`"'”’)`, r[end]) {
			end++
		}
		if end < len(r) && (r[end] != ' ' || end+1 >= len(r) || !startsSentence(r[end+1])) {
			continue
		}
		if r[i] == '.' && abbreviation(r[start:i]) {
			continue
		}
		if s := strings.TrimSpace(string(r[start:end])); s != "" {
			out = append(out, s)
		}
		start = end
	}
	if s := strings.TrimSpace(string(r[start:])); s != "" {
		out = append(out, s)
	}
	return out
}

func startsSentence(c rune) bool {
	return unicode.IsUpper(c) || unicode.IsDigit(c) || strings.ContainsRune(`"'“‘(`, c)
}

// abbreviation reports whether the text before a full stop ends in an
// initial ("U.S") or a title that does not end a sentence.
func abbreviation(before []rune) bool {
	words := strings.Fields(string(before))
	if len(words) == 0 {
		return false
	}
	w := words[len(words)-1]
	if n := len([]rune(w)); n == 1 || (n > 2 && []rune(w)[n-2] == '.') {
		return true
	}
	switch strings.ToLower(strings.Trim(w, `"'(“‘`)) {
	case "mr", "mrs", "ms", "dr", "gen", "col", "lt", "sgt", "prof", "st", "no", "vs", "jan", "feb", "aug", "sept", "oct", "nov", "dec":
		return true
	}
	return false
}

var (
	accordingTo = regexp.MustCompile(`(?i)\baccording to ([^,;:.!?()"“”]+)`)
	saidVerb    = regexp.MustCompile(`(?i)\b(said|says|stated|states|told|announced|reported|reports|claimed|claims|estimates|estimated)\b`)
	figureWords = regexp.MustCompile(`(?i)\b(hundreds?|thousands?|millions?|billions?|trillions?|dozens?|percent|per cent)\b`)
)

// pronouns that cannot stand as an attribution on their own.
var pronouns = map[string]bool{"he": true, "she": true, "they": true, "it": true, "we": true, "i": true, "you": true, "this": true, "that": true}

// connectives open a clause without being part of its subject.
var connectives = map[string]bool{"while": true, "and": true, "but": true, "as": true, "although": true, "though": true,
	"because": true, "since": true, "when": true, "after": true, "before": true, "meanwhile": true, "so": true, "yet": true}

// Attribution returns who a sentence says said it: the phrase after
// "according to", or the subject before a verb of saying ("the Kremlin
// said", "Putin told reporters"); "" when there is none.
func Attribution(s string) string {
	if m := accordingTo.FindStringSubmatch(s); m != nil {
		return cleanAttribution(m[1])
	}
	loc := saidVerb.FindStringIndex(s)
	if loc == nil {
		return ""
	}
	before := s[:loc[0]]
	if i := strings.LastIndexAny(before, `,;:"“”‘’–—`); i >= 0 {
		before = before[i:]
		before = strings.TrimLeft(before, `,;:"“”‘’–—`)
	}
	words := strings.Fields(before)
	for len(words) > 0 && connectives[strings.ToLower(words[0])] {
		words = words[1:]
	}
	if len(words) == 0 || len(words) > 6 || pronouns[strings.ToLower(words[0])] && len(words) == 1 {
		return ""
	}
	return cleanAttribution(strings.Join(words, " "))
}

// cleanAttribution trims a phrase to at most eight words without
// surrounding punctuation.
func cleanAttribution(s string) string {
	words := strings.Fields(s)
	if len(words) > 8 {
		words = words[:8]
	}
	return strings.Trim(strings.Join(words, " "), ` "'“”‘’-–—`)
}

// hasFigure reports whether a sentence carries a number.
func hasFigure(s string) bool {
	return strings.IndexFunc(s, unicode.IsDigit) >= 0 || figureWords.MatchString(s)
}

// knownNames lists the names worth linking: at least three characters (or
// two capitals), longest first so that "Kim Jong Un" wins over "Kim".
func knownNames(names []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, n := range names {
		n = strings.TrimSpace(n)
		f := Fold(n)
		if seen[f] || len([]rune(f)) < 2 || (len([]rune(f)) < 3 && strings.ToUpper(n) != n) {
			continue
		}
		seen[f] = true
		out = append(out, n)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && len([]rune(out[j])) > len([]rune(out[j-1])); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// mentions returns the known names that appear in s as whole words, a part
// already matched by a longer name counting once.
func mentions(s string, known []string) []string {
	text := " " + wordsOnly(Fold(s)) + " "
	var out []string
	for _, n := range known {
		w := " " + wordsOnly(Fold(n)) + " "
		if strings.TrimSpace(w) == "" {
			continue
		}
		if i := strings.Index(text, w); i >= 0 {
			out = append(out, n)
			text = text[:i] + strings.Repeat(" ", len(w)) + text[i+len(w):]
		}
	}
	return out
}

// wordsOnly replaces everything but letters and digits with single spaces,
// and drops possessive endings.
func wordsOnly(s string) string {
	s = strings.NewReplacer("'s ", " ", "’s ", " ").Replace(s + " ")
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		} else {
			b.WriteByte(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// eventName names a candidate event after its sentence, shortened.
func eventName(s string) string {
	s = strings.TrimRight(s, ".!? ")
	name := Truncate(s, maxEventName)
	if name == "" {
		name = fmt.Sprintf("Event in %q", Truncate(s, 40))
	}
	return name
}

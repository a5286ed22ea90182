package briefings

import (
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
)

// Limits on what Extract proposes, so that a long article gives a preview a
// moderator can read.
const (
	maxCandidateFacts  = 25
	maxCandidateEvents = 12
	maxCandidateActors = 25
	maxEventName       = 60
)

// Extraction is what Extract found in an article: its parts, candidate
// facts, the actors it names and dated candidate events.
type Extraction struct {
	// Article is the article with its headline, byline, dateline and body
	// told apart.
	Article Article
	// Published is the date relative dates were read against: the one
	// given, else the article's own; PublishedFrom says which ("given",
	// "dateline", "byline", "text", or "" when none was found and today's
	// date stood in).
	Published     Date
	PublishedFrom string
	// Facts are whole sentences with figures, dates, quotations or
	// attributions, each attributed to its speaker, with the actors it
	// names.
	Facts []Fact
	// Actors are the library's actor names (or aliases) the text mentions,
	// in order of first mention.
	Actors []string
	// NewActors are the people, organizations, countries and places the
	// article names that the library does not know, proposed for the
	// draft.
	NewActors []Actor
	// Events are the dated events the article mentions, each named after
	// what happened.
	Events []Event
}

// ExtractInput is what Extract reads.
type ExtractInput struct {
	// Text is the article, as pasted or fetched: headline, byline and
	// dateline may lead it.
	Text string
	// Published, when set, is the publication date; it wins over the one
	// the article states. Relative dates ("Friday", "last year") resolve
	// against it.
	Published Date
	// KnownActors are the names and aliases of the library's actors.
	KnownActors []string
	// DefaultAttribution attributes facts whose sentence names no source,
	// usually the source's name.
	DefaultAttribution string
	// Now is the time of extraction, for dates written without a year;
	// zero means the current time.
	Now time.Time
}

// yearWritten matches a date phrase that states its year.
var yearWritten = regexp.MustCompile(`\b\d{4}\b`)

// sentenceIn is one sentence of an article's body with its paragraph.
type sentenceIn struct {
	text     string
	para     int
	speaker  string
	question bool
}

// Extract drafts candidates from an article without any model. It tells
// apart headline, byline, dateline and body; takes the publication date
// from the input, else the dateline or byline, else the first full date of
// the text; proposes the people, organizations, countries and places it
// names; attributes quotations and reported speech to their speakers
// (following a later "Adler said" or "she said" back to the named person);
// and names the dated events after what happened, resolving weekdays and
// dates without a year by the sentence's tense. The same input always gives
// the same output.
func Extract(in ExtractInput) Extraction {
	now := in.Now
	if now.IsZero() {
		now = time.Now()
	}
	now = now.UTC()
	art := ParseArticle(in.Text, now)
	out := Extraction{Article: art, Published: in.Published, PublishedFrom: "given"}
	var sents []sentenceIn
	for i, p := range art.Paragraphs {
		for _, s := range Sentences(p.Text) {
			sents = append(sents, sentenceIn{text: s, para: i, speaker: p.Speaker, question: p.Question})
		}
	}
	if out.Published.IsZero() {
		out.Published, out.PublishedFrom = art.Published, art.PublishedFrom
	}
	if out.Published.IsZero() {
		out.Published, out.PublishedFrom = firstFullDate(sents)
	}
	anchorDay := out.Published
	if anchorDay.IsZero() {
		anchorDay = DayOf(now.Year(), now.Month(), now.Day())
	}

	texts := make([]string, len(sents))
	for i, s := range sents {
		texts[i] = s.text
	}
	finder := newNameFinder(texts)
	if art.Place != "" {
		place := titleCase(art.Place)
		kind := KindPlace
		if countries[Fold(place)] {
			kind = KindCountry
		}
		finder.add(place, kind, nil)
	}
	for _, r := range art.Regions {
		kind := KindPlace
		if countries[Fold(r)] {
			kind = KindCountry
		}
		finder.add(r, kind, nil)
	}
	for _, s := range sents {
		finder.sentence(s.text)
	}
	for _, s := range sents {
		if s.speaker != "" {
			if _, ok := finder.resolve(s.speaker); !ok && len(strings.Fields(s.speaker)) >= 2 {
				finder.add(s.speaker, KindPerson, nil)
			}
		}
	}

	finder.settle()
	finder.mergeAcronyms()

	known := knownNames(in.KnownActors)
	knownFold := map[string]bool{}
	for _, n := range known {
		knownFold[Fold(n)] = true
	}
	var proposed []string // names and short forms of proposed actors, and the actor each names
	canonical := map[string]string{}
	for _, c := range finder.list {
		if knownFold[Fold(c.Name)] {
			continue
		}
		for _, n := range append([]string{c.Name, c.short}, c.Aliases...) {
			if n != "" && !knownFold[Fold(n)] {
				proposed = append(proposed, n)
				canonical[Fold(n)] = c.Name
			}
		}
	}
	proposed = knownNames(proposed)

	defaultAttr := strings.TrimSpace(in.DefaultAttribution)
	if defaultAttr == "" {
		defaultAttr = art.Agency
	}
	if defaultAttr == "" {
		defaultAttr = "the article"
	}
	seenActor := map[string]bool{}
	seenEvent := map[string]Date{}
	usedProposed := map[string]bool{}
	anchor := anchorDay
	var lastPerson, lastOrg, lastQuoteSpeaker string
	lastPara := -1
	for _, s := range sents {
		if s.para != lastPara {
			lastQuoteSpeaker, lastPara = "", s.para
		}
		dates := FindDates(s.text, anchorDay, anchor)
		if len(dates) > 0 {
			anchor = dates[len(dates)-1].Date
		}
		var names []string
		var people, orgs []string
		for _, a := range mentions(s.text, known) {
			if !seenActor[Fold(a)] {
				seenActor[Fold(a)] = true
				out.Actors = append(out.Actors, a)
			}
			names = append(names, a)
			// a name the library knows is still the person or organization
			// the article reads it as: "the company" after it is this one,
			// whether the library knew it or not
			if cand := finder.byFold[Fold(a)]; cand != nil && cand.Kind == KindPerson {
				people = append(people, a)
			} else if cand != nil && cand.Kind == KindOrganization {
				orgs = append(orgs, a)
			}
		}
		for _, n := range mentions(s.text, proposed) {
			c := canonical[Fold(n)]
			if !slices.Contains(names, c) {
				names = append(names, c)
				usedProposed[c] = true
			}
			if cand := finder.byFold[Fold(c)]; cand != nil && cand.Kind == KindPerson {
				people = append(people, c)
			} else if cand != nil && cand.Kind == KindOrganization {
				orgs = append(orgs, c)
			}
		}
		if len(orgs) > 0 {
			lastOrg = orgs[len(orgs)-1]
		}
		if s.question {
			continue
		}
		attr := ""
		counter := false // a speaker's clause set against the writer's: the writer's sentence
		switch {
		case s.speaker != "":
			attr = s.speaker
			if n, ok := finder.resolve(s.speaker); ok {
				attr = n
			}
		default:
			p := speakerPhrase(s.text)
			counter = p != "" && writersCounterpoint(s.text)
			if p != "" && !counter {
				attr = resolveSpeaker(p, finder, known, lastPerson, lastOrg)
			} else if p == "" && quoted(s.text) && lastQuoteSpeaker != "" {
				attr = lastQuoteSpeaker
			}
		}
		if len(quoteSpans(s.text)) > 0 && attr != "" {
			lastQuoteSpeaker = attr
		}
		if len(people) > 0 {
			lastPerson = people[len(people)-1]
		}
		if attr != "" {
			if c := finder.byFold[Fold(attr)]; c != nil && c.Kind == KindPerson {
				lastPerson = c.Name
			}
		}
		if attr == "" && !counter && len(dates) == 0 && !hasFigure(s.text) && !quoted(s.text) {
			continue
		}
		if attr == "" {
			attr = defaultAttr
		}
		f := Fact{Text: Truncate(s.text, MaxFactText), Attribution: Truncate(attr, MaxAttribution), Actors: names}
		for _, d := range dates {
			if out.PublishedFrom == "" && !yearWritten.MatchString(d.Text) {
				// with no publication date, "on Friday" or "July 28" could be
				// any year's: no event is dated by guessing
				continue
			}
			name := eventFor(s.text, d, finder)
			if name == "" || len(out.Events) >= maxCandidateEvents {
				continue
			}
			name = Truncate(name, maxEventName)
			if prev, ok := seenEvent[Fold(name)]; ok {
				if prev == d.Date {
					if f.Event == "" {
						f.Event = name
					}
					continue
				}
				name = Truncate(name+" ("+d.Date.Human()+")", maxEventName)
			}
			seenEvent[Fold(name)] = d.Date
			out.Events = append(out.Events, Event{Name: name, Date: d.Date, Description: Truncate(s.text, MaxDescription)})
			if f.Event == "" {
				f.Event = name
			}
		}
		if len(out.Facts) < maxCandidateFacts {
			out.Facts = append(out.Facts, f)
		}
	}
	for _, a := range finder.actors() {
		if knownFold[Fold(a.Name)] || len(out.NewActors) >= maxCandidateActors {
			continue
		}
		out.NewActors = append(out.NewActors, a)
	}
	return out
}

// resolveSpeaker turns a speaker phrase into an actor's name where it can:
// a pronoun is the person last named, a short name or a description ("the
// port authority") the actor it stands for, a library name its own.
func resolveSpeaker(p string, finder *nameFinder, known []string, lastPerson, lastOrg string) string {
	switch Fold(p) {
	case "he", "she":
		return lastPerson
	case "the company", "the firm", "the group", "the agency", "the ministry", "the organization", "the organisation",
		"the operator", "the bank", "the union", "the party", "the government", "the utility", "the carrier", "the airline":
		if n, ok := finder.resolve(p); ok {
			return n
		}
		if lastOrg != "" {
			return lastOrg
		}
	case "it", "they", "we", "i", "you", "this", "that":
		return ""
	}
	if n, ok := finder.resolve(p); ok {
		return n
	}
	if m := mentions(p, known); len(m) == 1 && len(strings.Fields(p)) <= len(strings.Fields(m[0]))+1 {
		return m[0]
	}
	return p
}

// firstFullDate is the first date in the text written in full, with its
// year ("On Tuesday, August 12, 2025"), taken as the publication date of an
// article that states none.
func firstFullDate(sents []sentenceIn) (Date, string) {
	for _, s := range sents {
		for _, re := range []*regexp.Regexp{monthDay, dayMonth} {
			for _, m := range re.FindAllStringSubmatch(s.text, -1) {
				if m[3] == "" {
					continue
				}
				monthWord, dayWord := m[1], m[2]
				if re == dayMonth {
					monthWord, dayWord = m[2], m[1]
				}
				if d, ok := calendarDay(m[3], monthWord, dayWord, time.Time{}); ok {
					return d, "text"
				}
			}
		}
		if m := isoDate.FindString(s.text); m != "" {
			if d, err := ParseDate(m); err == nil {
				return d, "text"
			}
		}
	}
	return Date{}, ""
}

// titleCase writes an upper-case dateline place as a name: "RIVERTON" →
// "Riverton".
func titleCase(s string) string {
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		words[i] = capitalize(w)
	}
	return strings.Join(words, " ")
}

// Sentences splits text into sentences at ".", "!" or "?" followed by
// space and a capital letter, a digit or a quote, leaving initials ("U.S.")
// and common abbreviations ("Mr.") inside their sentence.
func Sentences(text string) []string {
	text = strings.Join(strings.Fields(text), " ")
	var out []string
	r := []rune(text)
	start := 0
	open := -1 // where an open quotation started, or -1
	for i := 0; i < len(r); i++ {
		switch {
		case r[i] == '“' || r[i] == '"' && open < 0 || r[i] == '‘' && (i == 0 || !unicode.IsLetter(r[i-1])):
			open = i
			continue
		case r[i] == '”' || r[i] == '"' || r[i] == '’' && (i+1 == len(r) || !unicode.IsLetter(r[i+1])):
			open = -1
			continue
		}
		if r[i] != '.' && r[i] != '!' && r[i] != '?' {
			continue
		}
		// inside a quotation, a sentence ends only with the quotation,
		// unless the quotation runs on too long to be one
		if open >= 0 && i-open < 600 && (i+1 >= len(r) || !strings.ContainsRune(`"'”’`, r[i+1])) {
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
	if n := len([]rune(w)); n == 1 && unicode.IsLetter([]rune(w)[0]) || (n > 2 && []rune(w)[n-2] == '.') {
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
	figureWords = regexp.MustCompile(`(?i)\b(hundreds?|thousands?|millions?|billions?|trillions?|dozens?|percent|per cent)\b`)
)

// connectives open a clause without being part of its subject.
var connectives = map[string]bool{"while": true, "and": true, "but": true, "as": true, "although": true, "though": true,
	"because": true, "since": true, "when": true, "after": true, "before": true, "meanwhile": true, "so": true, "yet": true}

// Attribution returns who a sentence says said it: the phrase after
// "according to", the publisher of a poll or report, or the speaker of a
// verb of saying outside any quotation ("the Kremlin said", "said Dr.
// Ibrahim Sow, the partnership's coordinator"); "" when there is none.
// Pronouns are returned as they are; Extract resolves them.
func Attribution(s string) string {
	return speakerPhrase(s)
}

// cleanAttribution trims a phrase to at most eight words (twelve for a
// name such as "the UN Office for the Coordination of Humanitarian
// Affairs") without surrounding punctuation.
func cleanAttribution(s string) string {
	words := strings.Fields(s)
	if limit := maxSpeakerWords(words); len(words) > limit {
		words = words[:limit]
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

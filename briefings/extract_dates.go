package briefings

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// FoundDate is a date mentioned in a sentence, resolved to the calendar.
type FoundDate struct {
	// Text is the words that name it, e.g. "last year".
	Text string
	// Date is the resolved date, as precise as the words allow.
	Date Date
}

const monthNames = `january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec`

var (
	isoDate      = regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})\b`)
	dayMonth     = regexp.MustCompile(`(?i)\b(\d{1,2})(?:st|nd|rd|th)? (` + monthNames + `)\b\.?(?:,? (\d{4})\b)?`)
	monthDay     = regexp.MustCompile(`(?i)\b(` + monthNames + `)\.? (\d{1,2})(?:st|nd|rd|th)?\b(?:,? (\d{4})\b)?`)
	monthAlone   = regexp.MustCompile(`(?i)\b(in|by|until|from|since|during|before|after|through|early|late|mid|mid-|until at least|by the end of|the end of) (` + monthNames + `)\b`)
	monthYear    = regexp.MustCompile(`(?i)\b(` + monthNames + `)\.? (\d{4})\b`)
	bareYear     = regexp.MustCompile(`\b(19\d{2}|20\d{2})\b`)
	weekday      = regexp.MustCompile(`(?i)\b(?:(last|next|this|on|coming) )?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b`)
	nearDay      = regexp.MustCompile(`(?i)\b(today|yesterday|tomorrow)\b`)
	thisPeriod   = regexp.MustCompile(`(?i)\b(last|this|next|previous|past) (year|month)\b`)
	periodOffset = regexp.MustCompile(`(?i)\b(a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,3}) (day|week|month|year)s? (later|earlier|ago|after|before)\b`)
)

var numberWords = map[string]int{"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
	"seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}

// FindDates returns the dates a sentence mentions, in order. Relative words
// resolve against published ("Friday", "last year", "two days ago") or,
// for "later" and "earlier", against anchor, the date mentioned just
// before. A weekday on its own means the nearest one: "Friday" written on a
// Tuesday is three days on, "Monday" the day before.
func FindDates(s string, published, anchor Date) []FoundDate {
	if published.IsZero() {
		return nil
	}
	pub := published.T.UTC()
	day := func(t time.Time) Date { return DayOf(t.Year(), t.Month(), t.Day()) }
	type span struct {
		start, end int
		resolve    func(anchor Date) (Date, bool)
	}
	var spans []span
	add := func(re *regexp.Regexp, f func(m []string) func(Date) (Date, bool)) {
		for _, loc := range re.FindAllStringSubmatchIndex(s, -1) {
			m := make([]string, len(loc)/2)
			for i := range m {
				if loc[2*i] >= 0 {
					m[i] = s[loc[2*i]:loc[2*i+1]]
				}
			}
			if r := f(m); r != nil {
				spans = append(spans, span{loc[0], loc[1], r})
			}
		}
	}
	fixed := func(d Date, ok bool) func(Date) (Date, bool) {
		if !ok {
			return nil
		}
		return func(Date) (Date, bool) { return d, true }
	}
	add(isoDate, func(m []string) func(Date) (Date, bool) {
		d, err := ParseDate(m[0])
		return fixed(d, err == nil)
	})
	add(numericDate, func(m []string) func(Date) (Date, bool) {
		return fixed(numericDay(m))
	})
	add(dayMonth, func(m []string) func(Date) (Date, bool) {
		return fixed(dayByTense(m[3], m[2], m[1], pub, tenseNear(s, m[0])))
	})
	add(monthDay, func(m []string) func(Date) (Date, bool) {
		return fixed(dayByTense(m[3], m[1], m[2], pub, tenseNear(s, m[0])))
	})
	add(monthAlone, func(m []string) func(Date) (Date, bool) {
		if followedByDay(s, m[0]) {
			return nil // "from January 1" is a day
		}
		return fixed(monthByTense(m[2], pub, tenseNear(s, m[0])))
	})
	add(monthYear, func(m []string) func(Date) (Date, bool) {
		mo, ok := month(m[1])
		y, _ := strconv.Atoi(m[2])
		return fixed(Date{T: time.Date(y, mo, 1, 0, 0, 0, 0, time.UTC), P: PrecisionMonth}, ok)
	})
	add(bareYear, func(m []string) func(Date) (Date, bool) {
		if i := strings.Index(s, m[0]); i > 0 && strings.ContainsRune("/.-", rune(s[i-1])) {
			return nil // part of a numeric date that could not be read
		}
		y, _ := strconv.Atoi(m[1])
		return fixed(Date{T: time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), P: PrecisionYear}, true)
	})
	add(weekday, func(m []string) func(Date) (Date, bool) {
		if beforeExplicitDate(s, m[0]) {
			return nil // "Tuesday, August 12, 2025": the date says it
		}
		tense := tenseNear(s, m[0])
		want := weekdayOf(m[2])
		f := (int(want) - int(pub.Weekday()) + 7) % 7 // days forward to it
		var offset int
		switch strings.ToLower(m[1]) {
		case "last":
			offset = f - 7
		case "next", "coming":
			offset = f
			if f == 0 {
				offset = 7
			}
		case "this":
			offset = f
		default:
			switch {
			case f == 0:
				offset = 0
			case tense > 0:
				offset = f
			case tense < 0:
				offset = f - 7
			case f > 3:
				offset = f - 7
			default:
				offset = f
			}
		}
		return fixed(day(pub.AddDate(0, 0, offset)), true)
	})
	add(nearDay, func(m []string) func(Date) (Date, bool) {
		n := map[string]int{"today": 0, "yesterday": -1, "tomorrow": 1}[strings.ToLower(m[1])]
		return fixed(day(pub.AddDate(0, 0, n)), true)
	})
	add(thisPeriod, func(m []string) func(Date) (Date, bool) {
		n := map[string]int{"last": -1, "previous": -1, "past": -1, "this": 0, "next": 1}[strings.ToLower(m[1])]
		if strings.EqualFold(m[2], "year") {
			return fixed(Date{T: time.Date(pub.Year()+n, 1, 1, 0, 0, 0, 0, time.UTC), P: PrecisionYear}, true)
		}
		t := time.Date(pub.Year(), pub.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, n, 0)
		return fixed(Date{T: t, P: PrecisionMonth}, true)
	})
	add(periodOffset, func(m []string) func(Date) (Date, bool) {
		n, ok := numberWords[strings.ToLower(m[1])]
		if !ok {
			n, _ = strconv.Atoi(m[1])
		}
		unit := strings.ToLower(m[2])
		dir := strings.ToLower(m[3])
		return func(anchor Date) (Date, bool) {
			base := anchor
			sign := 1
			switch dir {
			case "ago":
				base, sign = published, -1
			case "earlier", "before":
				sign = -1
			}
			if base.IsZero() {
				base = published
			}
			t := base.T.UTC()
			switch unit {
			case "day":
				return day(t.AddDate(0, 0, sign*n)), true
			case "week":
				return day(t.AddDate(0, 0, sign*7*n)), true
			case "month":
				t = time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, sign*n, 0)
				return Date{T: t, P: min(base.P, PrecisionMonth)}, true
			}
			return Date{T: time.Date(t.Year()+sign*n, 1, 1, 0, 0, 0, 0, time.UTC), P: PrecisionYear}, true
		}
	})

	// The longest match wins where matches overlap.
	sort.SliceStable(spans, func(i, j int) bool {
		if spans[i].start != spans[j].start {
			return spans[i].start < spans[j].start
		}
		return spans[i].end > spans[j].end
	})
	var out []FoundDate
	end := -1
	for i, sp := range spans {
		if sp.start < end {
			continue
		}
		longest := sp
		for _, other := range spans[i+1:] {
			if other.start < sp.end && other.end-other.start > longest.end-longest.start {
				longest = other
			}
		}
		if longest.start != sp.start {
			continue
		}
		d, ok := sp.resolve(anchor)
		if !ok {
			continue
		}
		out = append(out, FoundDate{Text: s[sp.start:sp.end], Date: d})
		anchor = d
		end = sp.end
	}
	return out
}

// calendarDay builds a day from year, month and day words, the year of the
// publication when none is given.
func calendarDay(year, monthWord, dayWord string, pub time.Time) (Date, bool) {
	mo, ok := month(monthWord)
	if !ok {
		return Date{}, false
	}
	d, _ := strconv.Atoi(dayWord)
	y := pub.Year()
	if year != "" {
		y, _ = strconv.Atoi(year)
	}
	t := time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
	if d < 1 || t.Day() != d {
		return Date{}, false
	}
	return Date{T: t, P: PrecisionDay}, true
}

func month(s string) (time.Month, bool) {
	s = strings.ToLower(s)
	for m := time.January; m <= time.December; m++ {
		name := strings.ToLower(m.String())
		if s == name || (len(s) >= 3 && strings.HasPrefix(name, s)) {
			return m, true
		}
	}
	return 0, false
}

func weekdayOf(s string) time.Weekday {
	s = strings.ToLower(s)
	for d := time.Sunday; d <= time.Saturday; d++ {
		if strings.ToLower(d.String()) == s {
			return d
		}
	}
	return time.Sunday
}

// beforeExplicitDate reports whether a weekday is followed by the full date
// it names ("Tuesday, August 12, 2025"; "Monday 21 September"), which
// decides the day.
func beforeExplicitDate(s, weekdayText string) bool {
	i := strings.Index(s, weekdayText)
	if i < 0 {
		return false
	}
	rest := strings.TrimLeft(s[i+len(weekdayText):], ", ")
	rest = strings.TrimPrefix(rest, "the ")
	for _, re := range []*regexp.Regexp{monthDay, dayMonth, isoDate, numericDate} {
		if loc := re.FindStringIndex(rest); loc != nil && loc[0] == 0 {
			return true
		}
	}
	return false
}

// Words that say a clause speaks of the future or the past.
var (
	futureWords = map[string]bool{"will": true, "would": true, "shall": true, "won't": true, "wouldn't": true, "'ll": true,
		"scheduled": true, "due": true, "expected": true, "expects": true, "expect": true, "plans": true, "plan": true,
		"upcoming": true, "coming": true, "next": true, "could": true, "might": true, "intends": true,
		"aims": true, "going": true, "until": true, "for": true, "ahead": true, "await": true, "awaits": true}
	pastWords = map[string]bool{"was": true, "were": true, "had": true, "did": true, "ago": true, "last": true,
		"earlier": true, "since": true, "yesterday": true, "made": true, "said": true, "told": true, "took": true,
		"gave": true, "went": true, "came": true, "began": true, "fell": true, "left": true, "met": true, "held": true,
		"won": true, "lost": true, "sent": true, "saw": true, "struck": true, "led": true, "ran": true, "cut": true,
		"paid": true, "brought": true, "bought": true, "built": true, "caught": true, "fought": true, "found": true,
		"got": true, "heard": true, "kept": true, "knew": true, "rose": true, "shot": true, "sold": true, "spent": true,
		"spoke": true, "stood": true, "thought": true, "threw": true, "wrote": true, "broke": true, "chose": true,
		"drove": true, "flew": true, "grew": true, "sank": true, "swore": true, "woke": true}
	clauseBreak = regexp.MustCompile(`[,;:()—–]|\b(?:after|before|while|when|whereas|because|although|but|that|which|who|since|as|if|unless)\b`)
)

// intentVerbs are decisions and plans: "to" after one of them leads to
// something that comes later ("agreed to meet", "voted to strike").
var intentVerbs = map[string]bool{"vote": true, "votes": true, "voted": true, "agree": true, "agrees": true, "agreed": true,
	"decide": true, "decides": true, "decided": true, "plan": true, "plans": true, "planned": true, "promise": true,
	"promises": true, "promised": true, "pledge": true, "pledges": true, "pledged": true, "threaten": true,
	"threatens": true, "threatened": true, "vow": true, "vows": true, "vowed": true, "prepare": true,
	"prepares": true, "prepared": true, "resolve": true, "resolved": true, "opted": true, "chose": true,
	"hope": true, "hopes": true, "hoped": true, "want": true, "wants": true, "wanted": true, "offered": true,
	"urged": true, "asked": true, "called": true, "moved": true, "set": true, "poised": true, "is": true, "are": true}

// intendsTo says whether the words before a "to" end with an intent verb,
// perhaps followed by a short time phrase ("voted on Tuesday").
func intendsTo(before []string) bool {
	for j := len(before) - 1; j >= 0 && j >= len(before)-4; j-- {
		w := strings.Trim(before[j], `"'“”‘’.,!?`)
		if intentVerbs[w] {
			return true
		}
		if w != "on" && w != "last" && w != "this" && w != "early" && w != "late" && !strings.HasSuffix(w, "day") {
			return false
		}
	}
	return false
}

// tenseNear says whether the clause around a date phrase speaks of the
// future (1), the past (-1) or neither (0): the marker word nearest to the
// phrase decides ("will vote on Thursday", "packed a hearing on Tuesday",
// "set a new hearing for April 24").
//
// News writes what is scheduled in the present ("Crossings resume on
// Monday", "The council votes on Friday", "Talks are on Friday") and what
// happened in the past, so a clause with no marker whose main verb is in
// the present points forward. A clause with no verb of its own ("On
// Monday, workers walked out") takes the tense of the sentence around it,
// its clauses joined by punctuation.
func tenseNear(s, phrase string) int {
	i := strings.Index(s, phrase)
	if i < 0 {
		return 0
	}
	if t, verb := tenseIn(s, i, phrase, clauseBreak); t != 0 || verb {
		return t
	}
	t, _ := tenseIn(s, i, phrase, wordBreak)
	return t
}

// wordBreak are the words that open a clause of their own, whatever the
// punctuation: a sentence cut only by them keeps a fronted date ("On
// Monday, …") with its verb.
var wordBreak = regexp.MustCompile(`\b(?:after|before|while|when|whereas|because|although|but|that|which|who|since|as|if|unless)\b`)

// presentVerbs are verbs news writes in the present tense for what is to
// come, in their bare and -s forms, with "is" and "are".
var presentVerbs = func() map[string]bool {
	m := map[string]bool{"is": true, "are": true}
	for _, v := range strings.Fields(`resume open reopen begin start restart close end meet vote sit rule hear decide
return arrive leave depart launch sign take hold go come play face visit host travel fly sail expire lapse
apply kick head release publish announce present strike walk march gather convene debate`) {
		m[v] = true
		m[thirdPerson(v)] = true
	}
	return m
}()

// thirdPerson is a verb's -s form ("go" → "goes", "apply" → "applies").
func thirdPerson(v string) string {
	switch {
	case strings.HasSuffix(v, "y") && !strings.ContainsRune("aeiou", rune(v[len(v)-2])):
		return v[:len(v)-1] + "ies"
	case strings.HasSuffix(v, "s") || strings.HasSuffix(v, "sh") || strings.HasSuffix(v, "ch") || strings.HasSuffix(v, "x") || strings.HasSuffix(v, "o"):
		return v + "es"
	}
	return v + "s"
}

// determiners before a word make it a noun: "the vote on Friday" names
// the vote, it does not say when it is.
var determiners = wordSet(`a|an|the|its|their|his|her|our|my|your|this|that|these|those|each|every|no|any|some`)

// presentReach is how many words from the date a present-tense verb may
// stand and still govern it.
const presentReach = 4

// tenseIn is tenseNear within the clause that breaks cuts around the
// phrase at i; verb says whether that clause has a verb the tense could
// come from.
func tenseIn(s string, i int, phrase string, breaks *regexp.Regexp) (tense int, verb bool) {
	start, end := 0, len(s)
	for _, loc := range breaks.FindAllStringIndex(s, -1) {
		if loc[1] <= i && loc[1] > start {
			start = loc[1]
		}
		if loc[0] >= i+len(phrase) && loc[0] < end {
			end = loc[0]
		}
	}
	before := strings.Fields(strings.ToLower(s[start:i]))
	after := strings.Fields(strings.ToLower(s[i+len(phrase) : end]))
	mark := func(w string) int {
		w = strings.Trim(w, `"'“”‘’.,!?`)
		switch {
		case futureWords[w]:
			return 1
		case pastWords[w]:
			return -1
		case len(w) > 4 && strings.HasSuffix(w, "ed") && !strings.HasSuffix(w, "eed"):
			return -1
		}
		return 0
	}
	for _, w := range strings.Fields(strings.ToLower(phrase)) {
		if t := mark(w); t != 0 && (w == "since" || w == "last" || w == "next" || w == "until") {
			return t, true
		}
	}
	// a verb in the present near the date points forward ("said crossings
	// resume on Monday"), unless the date qualifies a noun ("survivors of
	// Monday's quake")
	rest := s[i+len(phrase):]
	possessive := strings.HasPrefix(rest, "'s") || strings.HasPrefix(rest, "’s")
	present := func(words []string, k int) bool {
		if possessive {
			return false
		}
		w := strings.Trim(words[k], `"'“”‘’.,!?;:`)
		if !presentVerbs[w] || k == 0 {
			return false
		}
		prev := strings.Trim(words[k-1], `"“”‘’.,!?;:`)
		switch {
		case determiners[prev]:
			return false // "the votes on Friday"
		case w == "is" || w == "are" || strings.HasSuffix(w, "s"):
			return true
		}
		// a bare form is a verb after a plural subject ("Crossings resume",
		// "they meet"), a noun after anything else ("a 24-hour strike")
		return prev == "they" || prev == "we" || prev == "you" || prev == "i" ||
			strings.HasSuffix(prev, "s") && !strings.ContainsAny(prev, "'’")
	}
	for d := 0; d < max(len(before), len(after)); d++ {
		if d < len(before) {
			k := len(before) - 1 - d
			t := mark(before[k])
			// "will be held": a participle after "be" is no past
			if t < 0 && k > 0 && (before[k-1] == "be" || before[k-1] == "been" || before[k-1] == "being") {
				t = 0
			}
			// "voted on Tuesday to strike from Monday", "is to vote on
			// Saturday": what someone means to do comes after the decision
			if before[k] == "to" && k+1 < len(before) && intendsTo(before[:k]) {
				return 1, true
			}
			if t != 0 {
				return t, true
			}
			if d < presentReach && present(before, k) {
				return 1, true
			}
		}
		if d < len(after) {
			if t := mark(after[d]); t != 0 {
				return t, true
			}
			if d < presentReach && present(after, d) {
				return 1, true
			}
		}
	}
	for _, w := range append(before, after...) {
		w = strings.Trim(w, `"'“”‘’.,!?;:`)
		if presentVerbs[w] || clauseVerbs[w] || strings.HasSuffix(w, "ing") && len(w) > 5 {
			return 0, true
		}
	}
	return 0, false
}

// tenseReach bounds how far tense may move a date without a year from the
// nearest one.
const tenseReach = 365 * 24 * time.Hour

// dayByTense resolves a day without a year ("on January 14") to the year
// that puts it nearest the publication, or, within a year, on the side the
// clause's tense points to.
func dayByTense(year, monthWord, dayWord string, pub time.Time, tense int) (Date, bool) {
	if year != "" {
		return calendarDay(year, monthWord, dayWord, pub)
	}
	var cands []Date
	for y := pub.Year() - 1; y <= pub.Year()+1; y++ {
		if d, ok := calendarDay(itoa(y), monthWord, dayWord, pub); ok {
			cands = append(cands, d)
		}
	}
	return pickByTense(cands, pub, tense)
}

// monthByTense resolves a month without a year ("in March") the same way.
func monthByTense(monthWord string, pub time.Time, tense int) (Date, bool) {
	mo, ok := month(monthWord)
	if !ok {
		return Date{}, false
	}
	var cands []Date
	for y := pub.Year() - 1; y <= pub.Year()+1; y++ {
		cands = append(cands, Date{T: time.Date(y, mo, 1, 0, 0, 0, 0, time.UTC), P: PrecisionMonth})
	}
	return pickByTense(cands, pub, tense)
}

// pickByTense chooses among candidate dates: the nearest to pub, unless the
// tense points the other way and a candidate on that side is within a year
// ("will meet in March", written in August, is next March). A month counts
// as near when pub falls inside it.
func pickByTense(cands []Date, pub time.Time, tense int) (Date, bool) {
	if len(cands) == 0 {
		return Date{}, false
	}
	dist := func(d Date) time.Duration {
		switch {
		case !pub.Before(d.T) && pub.Before(d.End()):
			return 0
		case d.T.After(pub):
			return d.T.Sub(pub)
		}
		return pub.Sub(d.End())
	}
	best := cands[0]
	for _, d := range cands[1:] {
		if dist(d) < dist(best) {
			best = d
		}
	}
	for _, d := range cands {
		if dist(d) == 0 || dist(d) > tenseReach {
			continue
		}
		if tense > 0 && d.T.After(pub) && !best.T.After(pub) && dist(best) > 0 {
			return d, true
		}
		if tense < 0 && d.T.Before(pub) && best.T.After(pub) {
			return d, true
		}
	}
	return best, true
}

func itoa(n int) string { return strconv.Itoa(n) }

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

var dayAfterMonth = regexp.MustCompile(`^\.?\s+\d{1,2}(?:st|nd|rd|th)?\b`)

// followedByDay reports whether a month phrase goes on with a day number.
func followedByDay(s, phrase string) bool {
	i := strings.Index(s, phrase)
	return i >= 0 && dayAfterMonth.MatchString(s[i+len(phrase):])
}

package briefings

import (
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Article is a pasted or fetched article with its parts told apart: the
// headline, byline and dateline are not part of the body, and boilerplate
// (release notices, "About the company", media contacts) is left out.
type Article struct {
	// Title is the headline; empty when the article has none.
	Title string
	// Byline names the author(s), without "By".
	Byline string
	// Place is the dateline's place, e.g. "GENEVA".
	Place string
	// Regions are the dateline's wider places, e.g. "Norway" in "OSLO,
	// Norway, 9 September 2026".
	Regions []string
	// Agency is the wire service or outlet the dateline names, e.g.
	// "Meridian Wire".
	Agency string
	// Dateline is the dateline as written ("GENEVA, March 4 (Meridian
	// Wire) —"); Body keeps it before the first paragraph, as the article
	// printed it, so that its text read again gives the same place and
	// agency.
	Dateline string
	// Published is the publication date the article states (dateline,
	// byline or a "Published" line), or one assumed from its text;
	// PublishedFrom says which.
	Published Date
	// PublishedFrom is "dateline", "byline", "text" (assumed from the first
	// dated sentence) or "" when nothing gives a date.
	PublishedFrom string
	// Paragraphs are the body's paragraphs, in order.
	Paragraphs []Paragraph
}

// Paragraph is one paragraph of an article's body.
type Paragraph struct {
	// Text is the paragraph without a speaker's label.
	Text string
	// Speaker is who speaks it in an interview ("Osei: …"); empty otherwise.
	Speaker string
	// Question marks an interviewer's question ("Q: …").
	Question bool
}

// Body is the body's text, paragraphs separated by blank lines.
func (a Article) Body() string {
	parts := make([]string, 0, len(a.Paragraphs))
	for _, p := range a.Paragraphs {
		t := p.Text
		if p.Question {
			t = "Q: " + t
		} else if p.Speaker != "" {
			t = p.Speaker + ": " + t
		}
		parts = append(parts, t)
	}
	if a.Dateline != "" && len(parts) > 0 && !a.Paragraphs[0].Question && a.Paragraphs[0].Speaker == "" {
		parts[0] = a.Dateline + " " + parts[0]
	}
	return strings.Join(parts, "\n\n")
}

var (
	releaseNotice = regexp.MustCompile(`(?i)^(for immediate release|immediate release|embargoed.*|press release|news release|media release|breaking news|exclusive|analysis|opinion)$`)
	bylineLine    = regexp.MustCompile(`(?i)^(?:by|written by|reporting by|words by|interview by|interviewed by|story by|author:|authors:|byline:)\s*(.+)$`)
	publishedLine = regexp.MustCompile(`(?i)^(?:published|updated|posted|last updated|first published|date|dated)\b[:\s]*(.*)$`)
	trailerLine   = regexp.MustCompile(`(?i)^(about [A-Z].{0,80}|media contacts?:?.*|press contacts?:?.*|contacts?:.*|for more information.*|###|-30-|-?\s*ends\s*-?|copyright .*|©.*|follow us .*|source: .*)$`)
	qaQuestion    = regexp.MustCompile(`^(?:Q|Question)\s*[:.]\s*(.+)$`)
	qaAnswer      = regexp.MustCompile(`^((?:[A-Z][\p{L}'’.-]+ ){0,2}[A-Z][\p{L}'’.-]+|A)\s*:\s+(.+)$`)
	placeDateLine = regexp.MustCompile(`^([A-Z][\p{Lu} .'’-]*\p{Lu})\s*[|·•]\s*(.+)$`)
	datelineHead  = regexp.MustCompile(`^(\p{Lu}[\p{Lu}.'’-]*(?: \p{Lu}[\p{Lu}.'’-]*){0,3})((?:,\s*[^,()/–—]{1,40}?){0,3})\s*(\([^)]{1,60}\)|/[^/]{1,60}/)?\s*(?:--|–|—|-|:)\s+`)
)

// ParseArticle tells apart an article's headline, byline, dateline, body
// and boilerplate. Dates without a year (a dateline's "March 4") take the
// latest year that puts them no later than now.
func ParseArticle(text string, now time.Time) Article {
	var a Article
	units := articleUnits(text)
	// the header: everything before the first paragraph of prose
	i := 0
	for ; i < len(units) && i < 8; i++ {
		u := units[i]
		if releaseNotice.MatchString(u) {
			continue
		}
		if m := bylineLine.FindStringSubmatch(u); m != nil && len(u) < 160 {
			a.byline(m[1], now)
			continue
		}
		if m := publishedLine.FindStringSubmatch(u); m != nil && len(u) < 120 {
			if d, ok := headerDate(m[1], now); ok {
				a.setPublished(d, "byline")
				continue
			}
		}
		if rest, ok := a.headerDateline(u, now); ok {
			if rest != "" {
				body := append([]string{rest}, units[i+1:]...)
				units = append(units[:i:i], body...)
				break // the dateline opens the first paragraph
			}
			continue
		}
		if d, ok := headerDate(u, now); ok && len(u) < 60 {
			a.setPublished(d, "byline")
			continue
		}
		if m := placeDateLine.FindStringSubmatch(u); m != nil && len(u) < 80 {
			if d, ok := headerDate(m[2], now); ok {
				a.Place = m[1]
				a.setPublished(d, "dateline")
				continue
			}
		}
		if prose(u) {
			break
		}
		if a.Title == "" {
			a.Title = strings.TrimSpace(u)
			continue
		}
		// a second short line: a standfirst or a byline without "By"
		if strings.Contains(u, "|") || len(strings.Fields(u)) <= 5 {
			continue
		}
		break
	}
	body := units[i:]
	// the first paragraph may open with a dateline: "GENEVA, March 4 (Wire) –"
	if len(body) > 0 && a.Dateline == "" {
		if rest, ok := a.dateline(body[0], now); ok {
			body[0] = rest
		}
	}
	for _, u := range body {
		if trailerLine.MatchString(u) {
			if strings.HasPrefix(strings.ToLower(u), "about ") || u == "###" || u == "-30-" {
				break // the boilerplate runs to the end
			}
			continue
		}
		if m := publishedLine.FindStringSubmatch(u); m != nil && len(u) < 120 {
			if d, ok := headerDate(m[1], now); ok {
				a.setPublished(d, "byline")
				continue
			}
		}
		if m := qaQuestion.FindStringSubmatch(u); m != nil {
			a.Paragraphs = append(a.Paragraphs, Paragraph{Text: m[1], Question: true})
			continue
		}
		if m := qaAnswer.FindStringSubmatch(u); m != nil && m[1] != "A" && !isMonth(m[1]) {
			a.Paragraphs = append(a.Paragraphs, Paragraph{Text: m[2], Speaker: m[1]})
			continue
		}
		a.Paragraphs = append(a.Paragraphs, Paragraph{Text: u})
	}
	return a
}

// articleUnits splits text into paragraphs: blank lines separate them, and
// so does a line break after a sentence's end or a short line (a headline,
// a byline). A line broken mid-sentence joins the next.
func articleUnits(text string) []string {
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	var units []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			units = append(units, strings.Join(strings.Fields(strings.Join(cur, " ")), " "))
			cur = nil
		}
	}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			flush()
			continue
		}
		if len(cur) > 0 {
			prev := cur[len(cur)-1]
			first, _ := utf8.DecodeRuneInString(line)
			if endsSentence(prev) || utf8.RuneCountInString(prev) < 60 || unicode.IsUpper(first) && !continues(prev) {
				flush()
			}
		}
		cur = append(cur, line)
	}
	flush()
	return units
}

// endsSentence reports whether a line ends as a sentence does.
func endsSentence(s string) bool {
	s = strings.TrimRight(s, `"'”’)`)
	return strings.HasSuffix(s, ".") || strings.HasSuffix(s, "!") || strings.HasSuffix(s, "?") || strings.HasSuffix(s, ":")
}

// continues reports whether a line breaks off mid-clause (a comma, a
// conjunction), so that the next line continues it.
func continues(s string) bool {
	if strings.HasSuffix(s, ",") || strings.HasSuffix(s, "-") {
		return true
	}
	words := strings.Fields(s)
	last := strings.ToLower(words[len(words)-1])
	switch last {
	case "the", "a", "an", "and", "or", "of", "to", "in", "on", "at", "for", "with", "by", "from", "that":
		return true
	}
	return false
}

// prose reports whether a unit is a paragraph of the body rather than a
// headline or a label: long, or more than one sentence, or ending in a full
// stop.
func prose(u string) bool {
	if utf8.RuneCountInString(u) > 220 {
		return true
	}
	if datelineHead.MatchString(u) && utf8.RuneCountInString(u) > 80 {
		return true
	}
	return strings.HasSuffix(strings.TrimRight(u, `"'”’)`), ".") && len(strings.Fields(u)) > 12
}

// byline records the author and any date that follows them ("Petra Novak |
// 20 January 2026", "Anna Keller, Political Correspondent").
func (a *Article) byline(s string, now time.Time) {
	for _, sep := range []string{"|", "·", "•"} {
		if before, after, ok := strings.Cut(s, sep); ok {
			if d, ok := headerDate(after, now); ok {
				a.setPublished(d, "byline")
			}
			s = before
		}
	}
	if before, after, ok := strings.Cut(s, ","); ok {
		// "Jane Doe, Harbour Times": the outlet she writes for is the
		// source; "Anna Keller, Political Correspondent" is her role
		if outlet(after) && a.Agency == "" {
			a.Agency = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(after), "for "))
		}
		s = before
	}
	s = strings.TrimSpace(s)
	if a.Byline == "" {
		a.Byline = s
	}
}

// roleWords name a writer's job, not an outlet: "Political Correspondent".
var roleWords = wordSet(`correspondent|editor|reporter|writer|journalist|columnist|contributor|staff|producer|chief|desk|
bureau|analyst|photographer|intern|fellow|author|critic|commentator|presenter|anchor|reporting|additional|contributing|
senior|deputy|political|business|health|science|sports|sport|foreign|diplomatic|economics|technology|environment`)

// outlet reports whether the words after a byline's comma name the outlet
// the author writes for ("Harbour Times", "for the Harbour Times"): a
// short run of capitalised words, with no job ("Political
// Correspondent"), place ("in London") or date among them.
func outlet(s string) bool {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "for ")
	words := strings.Fields(s)
	if len(words) == 0 || len(words) > 5 || strings.ContainsAny(s, "0123456789@/:") {
		return false
	}
	for i, w := range words {
		if roleWords[Fold(w)] {
			return false
		}
		first, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(first) && !(i > 0 && (w == "of" || w == "the" || w == "and" || w == "&")) && !(i == 0 && w == "the") {
			return false
		}
	}
	_, isMonthName := month(words[0])
	return !(isMonthName && len(words[0]) >= 3) && weekday.FindString(s) == ""
}

// headerDateline reads a header line that is a dateline of its own:
// "WELLINGTON, Wednesday 5 March 2025 (Harbour Times) — By Jane Doe",
// "NELSON, Thursday 3 December 2026". A place in capitals with a date or
// an agency, then nothing, a byline, or the first words of the body (then
// returned as rest). The dateline is kept as printed, ending in a dash,
// so that the body read again finds it.
func (a *Article) headerDateline(u string, now time.Time) (rest string, ok bool) {
	if a.Dateline != "" || len(u) > 160 {
		return "", false
	}
	line := u
	if !datelineHead.MatchString(line) {
		line = u + " — "
	}
	t := *a
	t.Regions = nil
	rest, ok = t.dateline(line, now)
	if !ok || t.PublishedFrom != "dateline" && t.Agency == a.Agency {
		return "", false // "UN: ceasefire holds" is a headline
	}
	a.Place, a.Agency, a.Dateline = t.Place, t.Agency, t.Dateline
	a.Regions = append(a.Regions, t.Regions...)
	a.Published, a.PublishedFrom = t.Published, t.PublishedFrom
	rest = strings.TrimSpace(rest)
	if m := bylineLine.FindStringSubmatch(rest); m != nil {
		a.byline(m[1], now)
		return "", true
	}
	return rest, true
}

// dateline strips a dateline from the start of the body's first paragraph,
// recording its place, date and agency.
func (a *Article) dateline(p string, now time.Time) (string, bool) {
	m := datelineHead.FindStringSubmatchIndex(p)
	if m == nil {
		return p, false
	}
	place := p[m[2]:m[3]]
	if len([]rune(place)) < 2 || strings.ToUpper(place) != place {
		return p, false
	}
	if m[4] >= 0 {
		parts := strings.Split(p[m[4]:m[5]], ",")
		for i := 0; i < len(parts); i++ {
			part := parts[i]
			// "May 6, 2026": the year after the comma belongs to the date
			if i+1 < len(parts) && yearPart.MatchString(parts[i+1]) {
				if d, ok := headerDate(part+","+parts[i+1], now); ok {
					a.setPublished(d, "dateline")
					i++
					continue
				}
			}
			if d, ok := headerDate(part, now); ok {
				a.setPublished(d, "dateline")
			} else if part = strings.TrimSpace(part); part != "" && len(strings.Fields(part)) <= 3 && !strings.ContainsAny(part, "0123456789") {
				a.Regions = append(a.Regions, part)
			}
		}
	}
	if m[6] >= 0 {
		a.Agency = strings.Trim(p[m[6]:m[7]], "()/ ")
	}
	a.Place = place
	a.Dateline = strings.TrimSpace(p[:m[1]])
	return p[m[1]:], true
}

// setPublished keeps the first stated publication date; a dateline's wins
// over a byline's.
func (a *Article) setPublished(d Date, from string) {
	if a.Published.IsZero() || from == "dateline" && a.PublishedFrom != "dateline" {
		a.Published, a.PublishedFrom = d, from
	}
}

var (
	yearPart    = regexp.MustCompile(`^\s*\d{4}\s*$`)
	isoStamp    = regexp.MustCompile(`\b(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?\b`)
	numericDate = regexp.MustCompile(`\b(\d{1,2})([./])(\d{1,2})[./](\d{4})\b`)
	clockTime   = regexp.MustCompile(`(?i)\b\d{1,2}[:.]\d{2}\s*(?:a\.?m\.?|p\.?m\.?)?|\b\d{1,2}\s*(?:a\.?m\.?|p\.?m\.?)`)
)

// headerDate reads a date written in a header line: "Feb. 11, 2026",
// "20 January 2026", "2026-09-21", "14.10.2026", "March 4" (the latest such
// day no later than now), with any weekday or time of day around it.
func headerDate(s string, now time.Time) (Date, bool) {
	if len(s) > 80 {
		return Date{}, false
	}
	if m := numericDate.FindStringSubmatch(s); m != nil {
		return numericDay(m)
	}
	if m := isoStamp.FindStringSubmatch(s); m != nil {
		d, err := ParseDate(m[1])
		return d, err == nil
	}
	s = strings.TrimSpace(clockTime.ReplaceAllString(s, " "))
	if s == "" {
		return Date{}, false
	}
	for _, re := range []*regexp.Regexp{monthDay, dayMonth} {
		m := re.FindStringSubmatch(s)
		if m == nil {
			continue
		}
		monthWord, dayWord, year := m[1], m[2], m[3]
		if re == dayMonth {
			monthWord, dayWord = m[2], m[1]
		}
		if year != "" {
			return calendarDay(year, monthWord, dayWord, now)
		}
		d, ok := calendarDay("", monthWord, dayWord, now)
		if ok && d.T.After(now) {
			d, ok = calendarDay(itoa(now.Year()-1), monthWord, dayWord, now)
		}
		return d, ok
	}
	return Date{}, false
}

// numericDay reads 14.10.2026 or 14/10/2026 day first, the European way;
// with slashes, 10/14/2026 is read month first only when the day cannot be
// the month. An ambiguous slashed date is not read.
func numericDay(m []string) (Date, bool) {
	a, b, y := atoi(m[1]), atoi(m[3]), atoi(m[4])
	day, mon := a, b
	if m[2] == "/" {
		switch {
		case a > 12 && b <= 12:
		case b > 12 && a <= 12:
			day, mon = b, a
		default:
			return Date{}, false
		}
	}
	if mon < 1 || mon > 12 {
		return Date{}, false
	}
	t := time.Date(y, time.Month(mon), day, 0, 0, 0, 0, time.UTC)
	if day < 1 || t.Day() != day {
		return Date{}, false
	}
	return Date{T: t, P: PrecisionDay}, true
}

func isMonth(s string) bool {
	_, ok := month(s)
	return ok && len(s) >= 3
}

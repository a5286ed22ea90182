package briefings

import (
	"regexp"
	"strings"
	"unicode"
)

// sayVerbs are the verbs of saying that attribute a sentence to a speaker.
var sayVerbs = wordSet(`said|says|say|told|tells|added|adds|stated|states|announced|announces|reported|reports|claimed|
claims|estimated|estimates|warned|warns|argued|argues|noted|notes|wrote|writes|explained|explains|insisted|insists|
confirmed|confirms|acknowledged|acknowledges|predicted|predicts|replied|testified|vowed|vows|declared|declares|
revealed|disclosed|alleged|alleges|contended|conceded|admitted|recalled|stressed|emphasised|emphasized|
cautioned|projected|forecast|forecasts`)

var (
	sayVerbRE   = regexp.MustCompile(`(?i)\b(` + strings.ReplaceAll(`said|says|say|told|tells|added|adds|stated|states|announced|announces|reported|reports|claimed|claims|estimated|estimates|warned|warns|argued|argues|noted|notes|wrote|writes|explained|explains|insisted|insists|confirmed|confirms|acknowledged|acknowledges|predicted|predicts|replied|testified|vowed|vows|declared|declares|revealed|disclosed|alleged|alleges|contended|conceded|admitted|recalled|stressed|emphasised|emphasized|cautioned|projected`, "\n", "") + `)\b`)
	byPublisher = regexp.MustCompile(`(?i)\b(?:poll|survey|report|study|analysis|investigation|data|figures|estimate|census|audit)s? (?:published|released|conducted|carried out|compiled|issued) by ((?:the )?[\p{L}\p{N}'’&. -]{2,60}?)(?: on | in | last | this |,|\.|$)`)
	inPublisher = regexp.MustCompile(`\b(?:in|by|from) (?:a|an|the) ((?:[\p{Lu}][\p{L}\p{N}'’&.-]*\s?){1,4}) (?:investigation|report|survey|study|analysis|poll|documentary|inquiry)\b`)
	auxWords    = wordSet(`has|have|had|also|previously|earlier|later|then|separately|again|publicly|privately|repeatedly|
has also|had also|once|now|recently|still|did|does|is|was|were|are|would|will|could|first|last|often`)
	relatives = wordSet(`who|which|whose|where|whom|that`)
)

// quoteSpans returns the byte ranges of quoted text in s: “…”, "…", and
// ‘…’ opened at the start of a word (a closing ’ inside a word is an
// apostrophe).
func quoteSpans(s string) [][2]int {
	var out [][2]int
	open := -1
	var closer rune
	prev := ' '
	for i, r := range s {
		switch {
		case open < 0 && (r == '“' || r == '"' || r == '‘' && !unicode.IsLetter(prev)):
			open = i
			closer = map[rune]rune{'“': '”', '"': '"', '‘': '’'}[r]
		case open >= 0 && r == closer:
			next := rune(' ')
			if j := i + len(string(r)); j < len(s) {
				next = []rune(s[j:])[0]
			}
			if r == '’' && unicode.IsLetter(next) {
				break // an apostrophe
			}
			out = append(out, [2]int{open, i + len(string(r))})
			open = -1
		}
		prev = r
	}
	if open >= 0 {
		out = append(out, [2]int{open, len(s)})
	}
	return out
}

// outsideQuotes blanks the quoted parts of s, keeping offsets.
func outsideQuotes(s string) string {
	b := []byte(s)
	for _, q := range quoteSpans(s) {
		for i := q[0]; i < q[1]; i++ {
			if b[i] < 0x80 {
				b[i] = ' '
			} else {
				b[i] = '_'
			}
		}
	}
	return string(b)
}

// quoted reports whether s is mostly a quotation.
func quoted(s string) bool {
	n := 0
	for _, q := range quoteSpans(s) {
		n += q[1] - q[0]
	}
	return n > 0 && n*2 >= len(strings.TrimSpace(s))
}

// speakerPhrase finds who a sentence says said it: the phrase after
// "according to", the publisher of a poll or report, or the subject of a
// verb of saying outside the quotation, before it ("Mayor Elena Park said")
// or after it ("said Dr. Ibrahim Sow, the partnership's emergency
// coordinator"). It returns "" when the sentence names nobody.
func speakerPhrase(s string) string {
	if m := accordingTo.FindStringSubmatch(s); m != nil {
		return trimPhrase(m[1])
	}
	if m := byPublisher.FindStringSubmatch(s); m != nil {
		return trimPhrase(m[1])
	}
	out := outsideQuotes(s)
	for _, loc := range sayVerbRE.FindAllStringIndex(out, -1) {
		before := out[:loc[0]]
		after := out[loc[1]:]
		trimmed := strings.TrimRight(before, " ")
		// inverted after a quotation or a clause: "…,” said Ingrid Solberg, chief executive …"
		if strings.HasSuffix(trimmed, ",") || strings.HasSuffix(trimmed, "_") || strings.HasSuffix(trimmed, "\"") || trimmed == "" {
			if p := inverted(after); p != "" {
				return p
			}
		}
		if p := subject(before); p != "" {
			return p
		}
	}
	if m := inPublisher.FindStringSubmatch(s); m != nil {
		return trimPhrase(m[1])
	}
	return ""
}

// inverted reads the speaker after an inverted verb of saying, up to the
// first comma or the end: "said Dr. Ibrahim Sow, the partnership's …".
func inverted(after string) string {
	after = strings.TrimLeft(after, " ")
	if after == "" || !unicode.IsUpper([]rune(after)[0]) && !strings.HasPrefix(after, "the ") {
		return ""
	}
	if i := strings.IndexAny(after, ",;:.!?_\"()"); i >= 0 {
		// keep "Dr." and initials inside the name
		for i >= 0 && after[i] == '.' && abbreviation([]rune(after[:i])) {
			j := strings.IndexAny(after[i+1:], ",;:.!?_\"()")
			if j < 0 {
				i = -1
				break
			}
			i += 1 + j
		}
		if i >= 0 {
			after = after[:i]
		}
	}
	words := strings.Fields(after)
	if len(words) > maxSpeakerWords(words) {
		return ""
	}
	// "Joseph Mutua, said the government would release": the speaker came
	// before the verb, and what follows is what was said
	for _, w := range words {
		if clauseVerbs[Fold(w)] {
			return ""
		}
	}
	return trimPhrase(after)
}

// clauseVerbs are auxiliaries and modals: a phrase holding one is a
// clause, not a speaker's name.
var clauseVerbs = wordSet(`would|will|could|should|can|may|might|must|shall|had|has|have|is|was|were|are|did|does|do`)

// maxSpeakerWords is how long a speaker's phrase may be: eight words, or
// twelve when it is a name whose words are capitalised but for small
// joiners ("the UN Office for the Coordination of Humanitarian Affairs").
func maxSpeakerWords(words []string) int {
	capitals := 0
	for _, w := range words {
		f := Fold(strings.Trim(w, `"'“”‘’,.`))
		switch {
		case w != "" && unicode.IsUpper([]rune(w)[0]):
			capitals++
		case nameJoiners[f] || f == "the" || f == "on":
		default:
			return 8
		}
	}
	if capitals*2 >= len(words) {
		return 12
	}
	return 8
}

// writersCounterpoint reports whether a sentence sets the writer's own
// claim against what a speaker said, in a clause joined by "but" or "yet"
// with a subject of its own and no verb of saying: "Trump has vowed to
// ‘change battle lines’, but Putin’s coordination with Kim signals
// Russia’s strengthened hand." The speaker said one clause only, so the
// sentence is the writer's. A clause that goes on with the speaker ("but
// added that …", "but she said …") keeps the speaker.
func writersCounterpoint(s string) bool {
	out := outsideQuotes(s)
	loc := counterpoint.FindStringIndex(out)
	if loc == nil {
		return false
	}
	before, after := out[:loc[0]], out[loc[1]:]
	sayBefore := sayVerbRE.MatchString(before) || accordingTo.MatchString(before)
	sayAfter := sayVerbRE.MatchString(after) || accordingTo.MatchString(after)
	if sayBefore == sayAfter {
		return false
	}
	clause := after
	if sayAfter {
		// "The reserve is small, but the minister said …": the writer's
		// clause comes first
		clause = before
		if i := strings.LastIndexAny(clause, ",;"); i >= 0 && !sayVerbRE.MatchString(clause[i:]) {
			clause = clause[i+1:]
		}
	}
	words := strings.Fields(clause)
	if len(words) < 3 {
		return false
	}
	first := Fold(strings.Trim(words[0], `"'“”‘’,`))
	// a verb going on with the speaker's subject ("but added", "but would")
	if sayVerbs[first] || clauseVerbs[first] || auxWords[first] || first == "that" || first == "not" ||
		strings.HasSuffix(first, "ed") || first == "also" {
		return false
	}
	return true
}

// counterpoint joins a clause that contrasts with the one before it.
var counterpoint = regexp.MustCompile(`(?:,|;|—|–)\s*(?:but|yet)\s+`)

// subject reads the subject before a verb of saying: the last part of the
// clause that is not a relative clause ("Councilmember Dana Whitfield, who
// represents Eastgate, said"), without auxiliaries ("has said").
func subject(before string) string {
	if i := strings.LastIndexAny(before, "_\"”“"); i >= 0 {
		before = before[i+1:]
	}
	parts := strings.Split(before, ",")
	for i := len(parts) - 1; i >= 0; i-- {
		words := strings.Fields(parts[i])
		for len(words) > 0 && auxWords[Fold(words[len(words)-1])] {
			words = words[:len(words)-1]
		}
		if len(words) == 0 {
			continue
		}
		if relatives[Fold(words[0])] {
			continue
		}
		for len(words) > 0 && connectives[Fold(words[0])] {
			words = words[1:]
		}
		// "on Monday, the agency said": a time or place phrase is no subject
		if len(words) == 0 || len(words) > maxSpeakerWords(words) {
			return ""
		}
		switch Fold(words[0]) {
		case "on", "in", "at", "by", "under", "this", "these", "that", "those", "such", "its", "their":
			return ""
		}
		return trimPhrase(strings.Join(words, " "))
	}
	return ""
}

// trimPhrase trims punctuation and a trailing time phrase from a speaker.
func trimPhrase(p string) string {
	p = strings.Trim(strings.TrimSpace(p), ` "'“”‘’-–—_`)
	for _, cut := range []string{" on ", " in a ", " at a ", " last ", " this ", " earlier ", " while ", " when ", " that "} {
		i := strings.Index(p, cut)
		// "on" inside a name stays: "the Intergovernmental Authority on
		// Development", not "on Monday"
		for cut == " on " && i > 0 && onInName(p[i+len(cut):]) {
			j := strings.Index(p[i+len(cut):], cut)
			if j < 0 {
				i = -1
				break
			}
			i += len(cut) + j
		}
		if i > 0 {
			p = p[:i]
		}
	}
	return cleanAttribution(p)
}

// onInName reports whether the words after an "on" continue a name:
// capitalised, and no weekday, month or other word that dates a phrase.
func onInName(rest string) bool {
	w := strings.Fields(rest)
	if len(w) == 0 {
		return false
	}
	first := strings.Trim(w[0], `"'“”‘’,.`)
	return first != "" && unicode.IsUpper([]rune(first)[0]) && !notNames[Fold(first)]
}

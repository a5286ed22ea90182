package answer

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"

	"briefbot/briefings"
)

// relatedText is the table of related words (related.txt).
//
//go:embed related.txt
var relatedText string

// related maps a stem to the stems it may stand for, and relatedForms to
// those words as written in the table, from relatedText.
var related, relatedForms = parseRelated(relatedText)

// parseRelated reads the table: each line a group of words, blank lines and
// lines starting with # ignored. Every stem of a group is related to every
// other; a word in two groups is related to both.
func parseRelated(text string) (stems, forms map[string][]string) {
	out, forms := map[string][]string{}, map[string][]string{}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var stems, words []string
		for _, w := range strings.Fields(line) {
			w = briefings.Fold(w)
			stems, words = append(stems, stem(w)), append(words, w)
		}
		for _, a := range stems {
			for j, b := range stems {
				if a != b && !contains(out[a], b) {
					out[a] = append(out[a], b)
					forms[a] = append(forms[a], words[j])
				}
			}
		}
	}
	return out, forms
}

// sameStems are words whose Porter stem is another word's: "founded"
// (set up) stems to "found" (of find), "responsibility" to "respons" (of
// response). They are told apart when a
// question is matched with a record.
var sameStems = map[string]string{"founded": "founded", "founding": "founded", "founds": "founded",
	"responsibility": "responsibl", "responsible": "responsibl"}

// stem returns a word's Porter stem (see Stem), the words of sameStems
// told apart.
func stem(w string) string {
	if s, ok := sameStems[w]; ok {
		return s
	}
	return stemCache.get(w)
}

// stemCache remembers the stems of the words answers read: the same words
// come back in every question and every recalled record, and stemming is
// a good part of answering.
var stemCache = &stemMemo{m: map[string]string{}}

// maxStemCache bounds stemCache: past it the cache starts afresh.
const maxStemCache = 1 << 16

// stemMemo is a bounded, concurrency-safe memo of Stem.
type stemMemo struct {
	mu sync.RWMutex
	m  map[string]string
}

// get returns Stem(w), from the memo when it is there.
func (c *stemMemo) get(w string) string {
	c.mu.RLock()
	s, ok := c.m[w]
	c.mu.RUnlock()
	if ok {
		return s
	}
	s = Stem(w)
	c.mu.Lock()
	if len(c.m) >= maxStemCache {
		c.m = map[string]string{}
	}
	c.m[w] = s
	c.mu.Unlock()
	return s
}

// Related returns the stems a word's stem may stand for in the table of
// related words, e.g. "wound" → "injur", "hurt".
func Related(stem string) []string { return related[stem] }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// numberWords are the number words people write instead of digits, with
// their values; "dozen" and the multipliers count as figures too.
var numberWords = map[string]string{
	"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
	"eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13",
	"fourteen": "14", "fifteen": "15", "sixteen": "16", "seventeen": "17", "eighteen": "18",
	"nineteen": "19", "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50", "sixty": "60",
	"seventy": "70", "eighty": "80", "ninety": "90", "hundred": "100", "thousand": "1000",
	"million": "1000000", "billion": "1000000000", "dozen": "12",
}

// NumberWord returns the digits a number word stands for ("five" → "5"),
// or "".
func NumberWord(w string) string { return numberWords[strings.TrimSuffix(w, "s")] }

// digitWords maps digits back to the word people may write.
var digitWords = func() map[string]string {
	out := map[string]string{}
	for w, d := range numberWords {
		if w != "dozen" {
			out[d] = w
		}
	}
	return out
}()

// hasFigure reports whether text carries a number, in digits or in words
// ("five", "hundreds", "a dozen").
func hasFigure(text string) bool {
	if strings.IndexFunc(text, unicode.IsDigit) >= 0 {
		return true
	}
	return hasNumberWord(words(text))
}

// hasNumberWord reports whether folded words hold a number word other
// than "one".
func hasNumberWord(ws []string) bool {
	for _, w := range ws {
		if NumberWord(w) != "" && w != "one" {
			return true
		}
	}
	return false
}

// words splits s into folded words of letters and digits; digits joined by
// "," or "." stay one word ("10,000", "2.5").
func words(s string) []string { return splitWords(briefings.Fold(s), false) }

// splitWords splits s into runs of letters and digits (and, with marks,
// combining marks), keeping digits joined by "," or "." as one word.
func splitWords(s string, marks bool) []string {
	var out []string
	var b strings.Builder
	rs := []rune(s)
	flush := func() {
		if b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
		}
	}
	for i, r := range rs {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || marks && unicode.Is(unicode.Mn, r):
			b.WriteRune(r)
		case (r == ',' || r == '.') && i > 0 && i+1 < len(rs) && unicode.IsDigit(rs[i-1]) && unicode.IsDigit(rs[i+1]):
			b.WriteRune(r)
		default:
			flush()
		}
	}
	flush()
	return out
}

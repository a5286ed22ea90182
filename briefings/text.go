package briefings

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// foldTable maps accented Latin letters to their base letters. It covers the
// Latin-1 Supplement and Latin Extended-A blocks, which is what names in the
// library use; anything else passes through lowercased.
var foldTable = map[rune]string{}

func init() {
	groups := map[string]string{
		"a": "àáâãäåāăą", "c": "çćĉċč", "d": "ďđ", "e": "èéêëēĕėęě",
		"g": "ĝğġģ", "h": "ĥħ", "i": "ìíîïĩīĭįı", "j": "ĵ", "k": "ķ",
		"l": "ĺļľŀł", "n": "ñńņňŉ", "o": "òóôõöøōŏő", "r": "ŕŗř",
		"s": "śŝşšſ", "t": "ţťŧ", "u": "ùúûüũūŭůűų", "w": "ŵ", "y": "ýÿŷ",
		"z": "źżž", "ae": "æ", "oe": "œ", "ss": "ß", "th": "þ", "dh": "ð",
	}
	for base, letters := range groups {
		for _, r := range letters {
			foldTable[r] = base
		}
	}
}

// Fold lowercases s, strips Latin accents and collapses whitespace, so that
// "Kim Jong-Ün " and "kim jong-un" compare equal.
func Fold(s string) string {
	if folded(s) {
		return s
	}
	s = strings.TrimSpace(s)
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		i += size
		// ASCII needs neither unicode's tables nor the accent table
		ascii := r < utf8.RuneSelf
		switch {
		case ascii && 'A' <= r && r <= 'Z':
			r += 'a' - 'A'
		case !ascii:
			r = unicode.ToLower(r)
		}
		if ascii && (r == ' ' || '\t' <= r && r <= '\r') || !ascii && unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		if ascii {
			b.WriteByte(byte(r))
		} else if f, ok := foldTable[r]; ok {
			b.WriteString(f)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// folded reports whether s is plain ASCII that Fold leaves as it is: no
// capitals, and spaces only single and between words. Most text folded is
// already folded (names looked up among names, words of a question).
func folded(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' || c >= '\t' && c <= '\r':
			return false
		case c == ' ' && (i == 0 || i == len(s)-1 || s[i+1] == ' '):
			return false
		}
	}
	return true
}

// Slugify turns a title or name into a slug: folded lowercase letters and
// digits joined by single hyphens, at most MaxSlug characters.
func Slugify(s string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range Fold(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
			continue
		}
		hyphen = true
	}
	out := b.String()
	if utf8.RuneCountInString(out) > MaxSlug {
		out = strings.TrimRight(string([]rune(out)[:MaxSlug]), "-")
	}
	return out
}

// Truncate shortens s to at most max characters, cutting on a character
// boundary and ending with "…" when it cuts.
func Truncate(s string, max int) string {
	if max <= 0 {
		return ""
	}
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return strings.TrimRightFunc(string(r[:max-1]), unicode.IsSpace) + "…"
}

// MaxClosestQuery is the longest query Closest compares; nothing a person
// names is longer.
const MaxClosestQuery = 200

// Closest returns up to n candidates closest to query: those starting with
// it, then those with a word starting with it, then those containing it, then
// by edit distance, for "did you mean"
// suggestions. Candidates too far from the query are left out, and so is
// every candidate when the query is longer than MaxClosestQuery characters:
// the edit distance costs the product of the lengths.
func Closest(query string, candidates []string, n int) []string {
	if n <= 0 || tooLong("name", query, MaxClosestQuery) != nil {
		return nil
	}
	q := Fold(query)
	if q == "" {
		return nil
	}
	type scored struct {
		name  string
		score int
	}
	seen := make(map[string]bool, len(candidates))
	var out []scored
	near := " " + q
	qWords := len(strings.Fields(q))
	for _, c := range candidates {
		fc := Fold(c)
		if seen[fc] {
			continue
		}
		seen[fc] = true
		var s int
		switch {
		case strings.HasPrefix(fc, q):
			s = 0
		case strings.Contains(fc, near):
			s = 1
		case strings.Contains(fc, q):
			s = 2
		default:
			limit := max(1, utf8.RuneCountInString(q)/4)
			d := bestWordDistance(q, fc, qWords, limit)
			if d > limit {
				continue
			}
			s = 3 + d
		}
		out = append(out, scored{c, s})
	}
	// insertion sort keeps it stable and the lists are small
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && (out[j].score < out[j-1].score || (out[j].score == out[j-1].score && len(out[j].name) < len(out[j-1].name))); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	if len(out) > n {
		out = out[:n]
	}
	names := make([]string, len(out))
	for i, s := range out {
		names[i] = s.name
	}
	return names
}

// bestWordDistance is the smallest edit distance between q and the whole of
// c or any run of c's words as long as q's (qn words), when it is at most limit; when
// it is more, it returns some number above limit. Texts whose lengths
// differ by more than limit are that far apart at least, and are not
// compared: most names, when a word is looked up among thousands.
func bestWordDistance(q, c string, qn, limit int) int {
	qr := utf8.RuneCountInString(q)
	within := func(x string) int {
		if d := utf8.RuneCountInString(x) - qr; d > limit || -d > limit {
			return limit + 1
		}
		return editDistance(q, x)
	}
	best := within(c)
	if qn == 1 && !strings.Contains(c, " ") {
		return best // c is one word: its only run is itself
	}
	words := strings.Fields(c)
	for i := 0; i+qn <= len(words); i++ {
		if d := within(strings.Join(words[i:i+qn], " ")); d < best {
			best = d
		}
	}
	return best
}

// EditDistance is the number of one-character edits between a and b:
// insertions, deletions, substitutions, and swaps of two neighbouring
// characters (see editDistance).
func EditDistance(a, b string) int { return editDistance(a, b) }

// editDistance is the edit distance in characters, counting a swap of two
// neighbouring characters as one edit ("alsaka" is one from "alaska"), the
// commonest typing slip (optimal string alignment distance).
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// IsBidiControl reports whether r is a bidirectional embedding, override or
// isolate (U+202A–U+202E, U+2066–U+2069): characters that reorder the text
// around them, so that what is shown differs from what is stored.
func IsBidiControl(r rune) bool {
	return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069
}

// EscapeControl returns s with every control character but line breaks and
// tabs, every bidirectional control and every byte that is not UTF-8 written
// as a Go escape ("\x1b", "\u202e", "\xff"), so that text from input printed
// to a terminal or shown to people cannot drive the terminal or reorder what
// is around it. Text with none of them, most of it, comes back as it is.
func EscapeControl(s string) string {
	i := strings.IndexFunc(s, needsEscape)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r < 0x100 && needsEscape(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case needsEscape(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// needsEscape reports the runes EscapeControl escapes; strings.IndexFunc
// and range loops see a byte that is not UTF-8 as utf8.RuneError.
func needsEscape(r rune) bool {
	return unicode.IsControl(r) && r != '\n' && r != '\t' || IsBidiControl(r) || r == utf8.RuneError
}

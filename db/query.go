package db

import (
	"strings"
	"unicode"
)

// maxMatchWords caps how many words of a user's text reach FTS5, so a pasted
// article costs no more than a question.
const maxMatchWords = 32

// stopwords are dropped from natural-language questions (MatchAny), where
// they would match almost every row.
var stopwords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`a an and are as at be but by did do does for from had has have
		how i in into is it its many me much of on or so tell than that the their them then there
		these they this to was we were what when where which who whom why will with you your about
		any can could should would know`) {
		stopwords[w] = true
	}
}

// MatchQuery turns text typed by a user into a safe FTS5 query: it keeps only
// words made of letters and digits and quotes each one ("word"), so no FTS5
// syntax (quotes, *, NEAR, -, OR, AND, :, ^, parentheses) survives. With
// any, the words are joined with OR and English stopwords are dropped; without
// it every word is required. It returns "" when no word is left, which the
// caller must treat as "no results".
func MatchQuery(text string, any bool) string {
	words := matchWords(text, any)
	if any {
		return strings.Join(words, " OR ")
	}
	return strings.Join(words, " ")
}

// matchWords returns the quoted words MatchQuery joins.
func matchWords(text string, any bool) []string {
	var words []string
	seen := map[string]bool{}
	for _, w := range splitWords(text) {
		key := strings.ToLower(w)
		if seen[key] || (any && stopwords[key]) {
			continue
		}
		seen[key] = true
		words = append(words, `"`+w+`"`)
		if len(words) == maxMatchWords {
			break
		}
	}
	return words
}

// splitWords returns the runs of letters, digits and combining marks in text
// that contain at least one letter or digit.
func splitWords(text string) []string {
	var words []string
	start, hasBase := -1, false
	flush := func(end int) {
		if start >= 0 && hasBase {
			words = append(words, text[start:end])
		}
		start, hasBase = -1, false
	}
	for i, r := range text {
		base := unicode.IsLetter(r) || unicode.IsDigit(r)
		if base || (start >= 0 && unicode.Is(unicode.Mn, r)) {
			if start < 0 {
				start = i
			}
			hasBase = hasBase || base
			continue
		}
		flush(i)
	}
	flush(len(text))
	return words
}

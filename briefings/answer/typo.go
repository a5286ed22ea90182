package answer

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"briefbot/briefings"
)

// Names lists the names a library knows: its actors', events' and topics'
// names and aliases (db.DB implements it).
type Names interface {
	// KnownNames returns the names of one kind of record in guildID's
	// library and the global one.
	KnownNames(ctx context.Context, guildID string, kind briefings.NameKind) ([]briefings.KnownName, error)
}

// Reading is a word of a question read as a word of a known name: a slip
// ("putn") and the name's word it was read as ("Putin").
type Reading struct {
	// Written is the word as the question has it; As the name's word.
	Written, As string
}

// misspelledNames reads question again with each word that looks like a
// slip in a known name (an actor's, event's or topic's: "putn" for Putin)
// replaced by that name's word. It returns the new question and what was
// read as what, or "" when no word was changed. A word is read as a name's
// word only when exactly one such word of four letters or more is within
// a small edit of it (one letter for a word in lower case) and its length
// differs by one letter at most.
func misspelledNames(ctx context.Context, names Names, guildID, question string) (string, []Reading, error) {
	vocab := map[string]string{} // folded word → as written
	for _, kind := range []briefings.NameKind{briefings.NameActor, briefings.NameEvent, briefings.NameTopic} {
		known, err := names.KnownNames(ctx, guildID, kind)
		if err != nil {
			return "", nil, fmt.Errorf("list %s names: %w", kind, err)
		}
		for _, k := range known {
			for _, w := range strings.FieldsFunc(k.Name, notLetter) {
				if utf8.RuneCountInString(w) >= 4 {
					vocab[briefings.Fold(w)] = w
				}
			}
		}
	}
	words := make([]string, 0, len(vocab))
	for f := range vocab {
		words = append(words, f)
	}
	var read []Reading
	out := question
	for _, w := range strings.FieldsFunc(question, notLetter) {
		fw := briefings.Fold(w)
		n := utf8.RuneCountInString(fw)
		if n < 4 || vocab[fw] != "" {
			continue
		}
		// a word in lower case is read as a name's word one slip away
		// only ("putn"): two slips turn words into other words
		// ("president" into "residents")
		capital := unicode.IsUpper([]rune(w)[0])
		var near []string
		for _, c := range briefings.Closest(fw, words, 3) {
			if d := utf8.RuneCountInString(c) - n; c != fw && d >= -1 && d <= 1 && (capital || slips(fw, c) <= 1) {
				near = append(near, c)
			}
		}
		if len(near) != 1 {
			continue // nothing close, or too many to choose from
		}
		out = strings.Replace(out, w, vocab[near[0]], 1)
		read = append(read, Reading{Written: w, As: vocab[near[0]]})
	}
	if len(read) == 0 {
		return "", nil, nil
	}
	return out, read, nil
}

func notLetter(r rune) bool { return !unicode.IsLetter(r) && r != '\'' && r != '’' }

// slips is the number of one-letter edits (insertions, deletions,
// substitutions) between two words.
func slips(a, b string) int {
	ra, rb := []rune(a), []rune(b)
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
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

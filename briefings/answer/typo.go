package answer

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
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

// misspelledNames reads question again with each of the suspect words
// (folded) that looks like a slip in a known name (an actor's, event's or topic's: "putn" for Putin)
// replaced by that name's word. It returns the new question and what was
// read as what, or "" when no word was changed. A word is read as a name's
// word only when exactly one such word of four letters or more is within
// a small edit of it (one letter for a word in lower case) and its length
// differs by one letter at most.
func misspelledNames(ctx context.Context, names Names, guildID, question string, suspects []string) (string, []Reading, error) {
	var lists [3][]briefings.KnownName
	for i, kind := range []briefings.NameKind{briefings.NameActor, briefings.NameEvent, briefings.NameTopic} {
		known, err := names.KnownNames(ctx, guildID, kind)
		if err != nil {
			return "", nil, fmt.Errorf("list %s names: %w", kind, err)
		}
		lists[i] = known
	}
	vocab, words := vocabularies.of(lists)
	var read []Reading
	out := question
	for _, w := range strings.FieldsFunc(question, notLetter) {
		fw := briefings.Fold(w)
		n := utf8.RuneCountInString(fw)
		if n < 4 || vocab[fw] != "" || !slices.Contains(suspects, strings.TrimSuffix(strings.TrimSuffix(fw, "'s"), "’s")) {
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

// vocabulary is the words of four letters or more of a library's names,
// folded (words) and as written (vocab, by folded word).
type vocabulary struct {
	vocab map[string]string
	words []string
}

// vocabCache keeps the vocabularies of the name lists last read. A store
// that keeps its lists until the library changes (db.DB does) hands back
// the same lists, so a vocabulary is built once per library version and
// guild instead of on every question.
type vocabCache struct {
	mu   sync.Mutex
	kept map[[3]listID]vocabulary
}

// listID tells one list from another: where it starts and how long it is.
type listID struct {
	first *briefings.KnownName
	n     int
}

// maxVocabularies bounds vocabCache: past it the cache starts afresh.
const maxVocabularies = 16

var vocabularies = &vocabCache{kept: map[[3]listID]vocabulary{}}

// of returns the vocabulary of the name lists, built or kept.
func (c *vocabCache) of(lists [3][]briefings.KnownName) (map[string]string, []string) {
	var key [3]listID
	for i, l := range lists {
		if len(l) > 0 {
			key[i] = listID{&l[0], len(l)}
		}
	}
	c.mu.Lock()
	v, ok := c.kept[key]
	c.mu.Unlock()
	if ok {
		return v.vocab, v.words
	}
	v.vocab = map[string]string{}
	for _, l := range lists {
		for _, k := range l {
			for _, w := range strings.FieldsFunc(k.Name, notLetter) {
				if utf8.RuneCountInString(w) >= 4 {
					v.vocab[briefings.Fold(w)] = w
				}
			}
		}
	}
	v.words = make([]string, 0, len(v.vocab))
	for f := range v.vocab {
		v.words = append(v.words, f)
	}
	slices.Sort(v.words)
	c.mu.Lock()
	if len(c.kept) >= maxVocabularies {
		c.kept = map[[3]listID]vocabulary{}
	}
	c.kept[key] = v
	c.mu.Unlock()
	return v.vocab, v.words
}

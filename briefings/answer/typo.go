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
	v, err := vocabularies.of(ctx, names, guildID)
	if err != nil {
		return "", nil, err
	}
	vocab := v.vocab
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
		// words one letter longer or shorter at most: a longer word
		// that starts alike would otherwise crowd out the slip's name
		var words []string
		for _, c := range slices.Concat(v.byLen[n-1], v.byLen[n], v.byLen[n+1]) {
			if fewLetterChanges(fw, c) {
				words = append(words, c)
			}
		}
		for _, c := range briefings.Closest(fw, words, 3) {
			if d := utf8.RuneCountInString(c) - n; c != fw && d >= -1 && d <= 1 && (capital || briefings.EditDistance(fw, c) <= 1) {
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

// vocabulary is the words of four letters or more of a library's names,
// folded, by length in letters (byLen), and as written (vocab, by folded
// word).
type vocabulary struct {
	vocab map[string]string
	byLen map[int][]string
}

// Versioned is a Names that says which version of the library its lists
// come from (db.DB does): a vocabulary is then built once per version and
// guild, not on every question.
type Versioned interface {
	// LibraryVersion is a number that changes whenever the library does.
	LibraryVersion(ctx context.Context) (int64, error)
}

// vocabCache keeps the vocabularies of the libraries last read, by guild
// and library version.
type vocabCache struct {
	mu   sync.Mutex
	kept map[vocabKey]*vocabulary
}

type vocabKey struct {
	guild   string
	version int64
}

// maxVocabularies bounds vocabCache: past it the cache starts afresh.
const maxVocabularies = 16

var vocabularies = &vocabCache{kept: map[vocabKey]*vocabulary{}}

// of returns the vocabulary of guildID's library, kept or built.
func (c *vocabCache) of(ctx context.Context, names Names, guildID string) (*vocabulary, error) {
	var key *vocabKey
	if vn, ok := names.(Versioned); ok {
		if version, err := vn.LibraryVersion(ctx); err == nil {
			key = &vocabKey{guildID, version}
			c.mu.Lock()
			v := c.kept[*key]
			c.mu.Unlock()
			if v != nil {
				return v, nil
			}
		}
	}
	v := &vocabulary{vocab: map[string]string{}, byLen: map[int][]string{}}
	for _, kind := range []briefings.NameKind{briefings.NameActor, briefings.NameEvent, briefings.NameTopic} {
		known, err := names.KnownNames(ctx, guildID, kind)
		if err != nil {
			return nil, fmt.Errorf("list %s names: %w", kind, err)
		}
		for _, k := range known {
			for _, w := range strings.FieldsFunc(k.Name, notLetter) {
				if utf8.RuneCountInString(w) >= 4 {
					v.vocab[briefings.Fold(w)] = w
				}
			}
		}
	}
	for f := range v.vocab {
		n := utf8.RuneCountInString(f)
		v.byLen[n] = append(v.byLen[n], f)
	}
	for _, ws := range v.byLen {
		slices.Sort(ws)
	}
	if key != nil {
		c.mu.Lock()
		if len(c.kept) >= maxVocabularies {
			c.kept = map[vocabKey]*vocabulary{}
		}
		c.kept[*key] = v
		c.mu.Unlock()
	}
	return v, nil
}

// fewLetterChanges reports whether two edits at most could turn a into b,
// counting letters only: each edit changes the count of two letters at
// most, so words whose letters differ by more than four are further
// apart. It rules out most of a library's names before the edit distance
// is computed.
func fewLetterChanges(a, b string) bool {
	var counts [128]int
	for i := 0; i < len(a); i++ {
		if a[i] >= 128 {
			return true // not ASCII: leave it to the edit distance
		}
		counts[a[i]]++
	}
	for i := 0; i < len(b); i++ {
		if b[i] >= 128 {
			return true
		}
		counts[b[i]]--
	}
	diff := 0
	for _, n := range counts {
		diff += max(n, -n)
	}
	return diff <= 4
}

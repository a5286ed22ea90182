package gen

import (
	"math/rand/v2"
	"strings"
)

var (
	onsets = strings.Fields("b d f g k l m n p r s t v z br dr gr kr pr st tr sh ch")
	nuclei = strings.Fields("a e i o u ai ea io ou")
	codas  = []string{"", "", "", "n", "r", "s", "l", "t", "m", "k"}
)

// Vocabulary returns the library's words, most frequent first: made-up
// words of two to four syllables, all different, none an English word the
// store might treat as a stopword.
func Vocabulary() []string {
	rng := rand.New(rand.NewPCG(Seed, 0))
	seen := map[string]bool{}
	out := make([]string, 0, vocabularySize)
	for len(out) < vocabularySize {
		w := syllables(rng, 2+rng.IntN(3))
		if seen[w] {
			continue
		}
		seen[w] = true
		out = append(out, w)
	}
	return out
}

func syllables(rng *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		b.WriteString(onsets[rng.IntN(len(onsets))])
		b.WriteString(nuclei[rng.IntN(len(nuclei))])
		b.WriteString(codas[rng.IntN(len(codas))])
	}
	return b.String()
}

// namer makes capitalized names that are all different, so that no name or
// alias of one actor is another's.
type namer struct {
	rng  *rand.Rand
	seen map[string]bool
}

func newNamer(rng *rand.Rand) *namer { return &namer{rng: rng, seen: map[string]bool{}} }

// name returns words capitalized names of two or three syllables each.
func (n *namer) name(words int) string {
	for {
		w := make([]string, words)
		for i := range w {
			w[i] = capitalize(syllables(n.rng, 2+n.rng.IntN(2)))
		}
		s := strings.Join(w, " ")
		if !n.seen[s] {
			n.seen[s] = true
			return s
		}
	}
}

package answer

import (
	_ "embed"
	"slices"
	"strings"

	"briefbot/briefings"
)

// phrasalText is the table of phrasal verbs (phrasal.txt).
//
//go:embed phrasal.txt
var phrasalText string

// phrasal maps a verb form to the particles it may take ("put" → "off")
// and, for each, the one word a briefing more likely uses ("postpone").
var phrasal = parsePhrasal(phrasalText)

// particle is what follows a verb in a phrasal verb, word by word, and the
// word the whole stands for.
type particle struct {
	words []string
	word  string
}

// parsePhrasal reads the table: each line the forms of a verb, its
// particle (one word or more) and the word it stands for, separated by
// "|".
func parsePhrasal(text string) map[string][]particle {
	out := map[string][]particle{}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, "|")
		if len(parts) != 3 {
			continue
		}
		p := particle{words: strings.Fields(parts[1]), word: strings.TrimSpace(parts[2])}
		for _, f := range strings.Fields(parts[0]) {
			out[f] = append(out[f], p)
		}
	}
	return out
}

// phrasalAt returns the word the phrasal verb at folds[i] stands for and
// how many words it takes, or "" and 0.
func phrasalAt(folds []string, i int) (string, int) {
	for _, p := range phrasal[folds[i]] {
		if i+len(p.words) < len(folds) && slices.Equal(folds[i+1:i+1+len(p.words)], p.words) {
			return p.word, 1 + len(p.words)
		}
	}
	return "", 0
}

// rewritePhrases reads a question's phrasal verbs as one word ("put off"
// → "postpone") and a word followed by "again" as its re- form ("open
// again" → "reopen"), which a briefing more likely says. It returns the
// words as written and folded, and for each word made with re-, by its
// new index, the word it was made from.
func rewritePhrases(toks, folds []string) ([]string, []string, map[int]string) {
	var again map[int]string
	outT, outF := make([]string, 0, len(toks)), make([]string, 0, len(folds))
	for i := 0; i < len(folds); i++ {
		if i+1 < len(folds) {
			if w, n := phrasalAt(folds, i); n > 0 {
				outT, outF = append(outT, w), append(outF, w)
				i += n - 1
				continue
			}
			if folds[i+1] == "again" && len(folds[i]) >= 3 && !stopWords[folds[i]] && !isNumber(folds[i]) &&
				!strings.HasPrefix(folds[i], "re") && !isName(toks[i], i) {
				if again == nil {
					again = map[int]string{}
				}
				again[len(outF)] = folds[i]
				w := "re" + folds[i]
				outT, outF = append(outT, w), append(outF, briefings.Fold(w))
				continue
			}
		}
		outT, outF = append(outT, toks[i]), append(outF, folds[i])
	}
	return outT, outF, again
}

package answer

import (
	_ "embed"
	"strings"

	"briefbot/briefings"
)

// phrasalText is the table of phrasal verbs (phrasal.txt).
//
//go:embed phrasal.txt
var phrasalText string

// phrasal maps a verb form and its particle ("put off", "stepped down") to
// the one word a briefing more likely uses ("postpone", "resign").
var phrasal = parsePhrasal(phrasalText)

// parsePhrasal reads the table: each line the forms of a verb, its particle
// and the word it stands for, separated by "|".
func parsePhrasal(text string) map[[2]string]string {
	out := map[[2]string]string{}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, "|")
		if len(parts) != 3 {
			continue
		}
		particle, word := strings.TrimSpace(parts[1]), strings.TrimSpace(parts[2])
		for _, f := range strings.Fields(parts[0]) {
			out[[2]string{f, particle}] = word
		}
	}
	return out
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
			if w, ok := phrasal[[2]string{folds[i], folds[i+1]}]; ok {
				outT, outF = append(outT, w), append(outF, w)
				i++
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

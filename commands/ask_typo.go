package commands

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"briefbot/briefings"
)

// misspelledNames reads question again with each word that looks like a
// slip in a known name (an actor's, event's or topic's: "putn" for Putin)
// replaced by that name's word. It returns the new question and what was
// read as what, or "" when no word was changed.
func (r *Router) misspelledNames(ctx context.Context, guildID, question string) (string, []string, error) {
	vocab := map[string]string{} // folded word → as written
	for _, kind := range []briefings.NameKind{briefings.NameActor, briefings.NameEvent, briefings.NameTopic} {
		known, err := r.lib.KnownNames(ctx, guildID, kind)
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
	var read []string
	out := question
	for _, w := range strings.FieldsFunc(question, notLetter) {
		fw := briefings.Fold(w)
		n := utf8.RuneCountInString(fw)
		if n < 4 || vocab[fw] != "" {
			continue
		}
		var near []string
		for _, c := range briefings.Closest(fw, words, 3) {
			if d := utf8.RuneCountInString(c) - n; c != fw && d >= -1 && d <= 1 {
				near = append(near, c)
			}
		}
		if len(near) != 1 {
			continue // nothing close, or too many to choose from
		}
		out = strings.Replace(out, w, vocab[near[0]], 1)
		read = append(read, fmt.Sprintf("“%s” as “%s”", escape(w), escape(vocab[near[0]])))
	}
	if len(read) == 0 {
		return "", nil, nil
	}
	return out, read, nil
}

func notLetter(r rune) bool { return !unicode.IsLetter(r) && r != '\'' && r != '’' }

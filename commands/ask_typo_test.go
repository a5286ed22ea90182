package commands_test

import (
	"strings"
	"testing"
)

// TestAsk_MisspelledNames: a slip in a known name is read as the name, and
// the answer says so; a word that is no slip of a name changes nothing, and
// a question the library doesn't cover stays refused.
func TestAsk_MisspelledNames(t *testing.T) {
	t.Parallel()
	r := newRouter(openLibrary(t))
	for _, tt := range []struct {
		question string
		want     []string
		not      []string
	}{
		{"when did putn call kim", []string{"I read “putn” as “Putin”", "12 August 2025"}, nil},
		{"when was the alaska sumit", []string{"I read “sumit” as “summit”", "15 August 2025"}, nil},
		{"Where did Kim Jnog Un speak from?", []string{"Pyongyang"}, nil},
		{"what is the population of anchroage", []string{"don't cover"}, []string{"I read"}},
		{"when did Putin call Kim", []string{"12 August 2025"}, []string{"I read"}},
	} {
		t.Run(tt.question, func(t *testing.T) {
			text := handle(t, r, tt.question, command("ask", opt("question", tt.question))).text()
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("answer lacks %q:\n%s", w, text)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(text, n) {
					t.Errorf("answer holds %q:\n%s", n, text)
				}
			}
		})
	}
}

package answer_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"briefbot/briefings/answer"
)

// TestAnswer_ReadsSlipsInNames: with the library's names at hand, a
// question not covered as written is read with a slip in a known name
// corrected and says so; one covered as written, or not covered either
// way, is left as it is.
func TestAnswer_ReadsSlipsInNames(t *testing.T) {
	lib := openEvalLibrary(t)
	for _, tt := range []struct {
		question, want string
		read           []answer.Reading
	}{
		{"When did the Valmora dock strike start?", "2 March 2026", nil},
		{"When did the Valmroa dock strike start?", "2 March 2026", []answer.Reading{{Written: "Valmroa", As: "Valmora"}}},
		{"Who is the governer of Kelan?", "Hana Voss", []answer.Reading{{Written: "governer", As: "Governor"}, {Written: "Kelan", As: "Kellan"}}},
		{"What is the population of Anchroage?", "", nil},
	} {
		res, err := answer.Answer(context.Background(), lib, "", tt.question, answer.Options{Lines: 3, Today: evalToday, Names: lib})
		if err != nil {
			t.Fatal(err)
		}
		var got string
		if res.Covered() {
			got = res.All()[0].Plain()
		}
		if tt.want == "" && res.Covered() || !strings.Contains(got, tt.want) {
			t.Errorf("%q answered %q, want %q", tt.question, got, tt.want)
		}
		if fmt.Sprint(res.Read) != fmt.Sprint(tt.read) {
			t.Errorf("%q read %+v, want %+v", tt.question, res.Read, tt.read)
		}
		if res.Read == nil && res.Covered() && res.Question.Text != tt.question {
			t.Errorf("%q answered as %q with nothing read", tt.question, res.Question.Text)
		}
	}
}

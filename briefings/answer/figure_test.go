package answer_test

import (
	"context"
	"testing"

	"briefbot/briefings/answer"
)

// TestAnswer_NoFigure: a "how many" question is refused when no record
// gives a figure of what it counts, and the result says that records
// about it exist without the figure; a question about nothing the library
// holds is refused without that, and one with the figure is answered.
func TestAnswer_NoFigure(t *testing.T) {
	lib := openEvalLibrary(t)
	for _, tt := range []struct {
		question          string
		covered, noFigure bool
	}{
		{"How many North Korean troops fought in Kursk?", false, true},
		{"How many ships are waiting at the port of Sarn?", false, true},
		{"How many tourists visit Anchorage each year?", false, false},
		{"How many North Korean troops are fighting for Russia?", true, false},
	} {
		res, err := answer.Answer(context.Background(), lib, "", tt.question, answer.Options{Lines: 3, Today: evalToday})
		if err != nil {
			t.Fatal(err)
		}
		if res.Covered() != tt.covered || res.NoFigure != tt.noFigure {
			t.Errorf("%q: covered %v, no figure %v; want %v, %v", tt.question, res.Covered(), res.NoFigure, tt.covered, tt.noFigure)
		}
	}
}

package answer

import "testing"

func TestStem(t *testing.T) {
	for _, tc := range []struct{ word, want string }{
		{"caresses", "caress"}, {"ponies", "poni"}, {"cats", "cat"}, {"feed", "feed"}, {"agreed", "agre"},
		{"plastered", "plaster"}, {"motoring", "motor"}, {"sing", "sing"}, {"conflated", "conflat"},
		{"hopping", "hop"}, {"falling", "fall"}, {"filing", "file"}, {"happy", "happi"},
		{"relational", "relat"}, {"conditional", "condit"}, {"generalization", "gener"},
		{"sanctioned", "sanction"}, {"sanctions", "sanction"}, {"resignation", "resign"}, {"resigned", "resign"},
		{"troops", "troop"}, {"fighting", "fight"}, {"meeting", "meet"}, {"electrical", "electr"},
		{"hopefulness", "hope"}, {"adjustment", "adjust"}, {"controlling", "control"}, {"rate", "rate"},
		{"killed", "kill"}, {"injured", "injur"}, {"injuries", "injuri"}, {"mp", "mp"}, {"kyiv", "kyiv"},
		{"zürich", "zürich"}, {"10,000", "10,000"},
	} {
		if got := Stem(tc.word); got != tc.want {
			t.Errorf("Stem(%q) = %q, want %q", tc.word, got, tc.want)
		}
	}
	// the answerer tells apart the words whose stem is another word's
	if stem("founded") == stem("found") || stem("founding") != stem("founded") || stem("finds") != Stem("finds") {
		t.Errorf("founded %q, found %q, founding %q", stem("founded"), stem("found"), stem("founding"))
	}
}

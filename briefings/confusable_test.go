package briefings_test

import (
	"testing"

	"briefbot/briefings"
)

func TestConfusable(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"Kim Jong Un", "Kim J\u043eng Un", true},       // Cyrillic о
		{"Putin", "P\u0443tin", false},                  // Cyrillic у looks like y, not u
		{"Putin", "Pu\u0442in", true},                   // Cyrillic т
		{"Alaska", "\u0410laska", true},                 // Cyrillic А, upper case
		{"Rosneft", "R\u03bfsneft", true},               // Greek ο
		{"kim-putin-call", "k\u0456m-putin-call", true}, // Cyrillic і in a slug
		{"Nato", "\uff2e\uff41\uff54\uff4f", true},      // fullwidth
		{"Kim Jong Un", "kim jong un", false},           // the same name, folded
		{"Kim Jong Un", "Kim Yo Jong", false},           // different names
		{"Москва", "Москва", false},                     // identical
		{"Sergei Lavrov", "Sergei Lavrov Jr", false},    // different names
		{"Zelensky", "Zelenskỳ", false},                 // accents fold to the same name
	}
	for _, tt := range tests {
		if got := briefings.Confusable(tt.a, tt.b); got != tt.want {
			t.Errorf("Confusable(%q, %q) = %v, want %v (skeletons %q, %q)", tt.a, tt.b, got, tt.want,
				briefings.Skeleton(tt.a), briefings.Skeleton(tt.b))
		}
	}
}

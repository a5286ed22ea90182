package briefings

import "strings"

// Look-alike names: "Kim Jong Un" with a Cyrillic "о" folds to a different
// name from the Latin one, so it would become a second actor that people
// cannot tell from the first. Skeleton maps such characters to the Latin
// letters they imitate, following the idea of Unicode's confusables
// skeleton (UTS #39) with a small table of the look-alikes that occur in
// practice: Cyrillic, Greek and Armenian letters shaped like Latin ones,
// fullwidth Latin letters, and dotless i.

// confusables maps a lowercase character to the Latin letter it looks like.
var confusables = map[rune]rune{
	// Cyrillic
	'а': 'a', 'в': 'b', 'е': 'e', 'ё': 'e', 'һ': 'h', 'і': 'i', 'ї': 'i', 'ј': 'j', 'к': 'k',
	'ӏ': 'l', 'м': 'm', 'н': 'h', 'о': 'o', 'р': 'p', 'с': 'c', 'т': 't', 'у': 'y', 'х': 'x',
	'ѕ': 's', 'ԁ': 'd', 'ԛ': 'q', 'ԝ': 'w', 'ү': 'y', 'ɡ': 'g',
	// Greek
	'α': 'a', 'β': 'b', 'ε': 'e', 'η': 'n', 'ι': 'i', 'κ': 'k', 'μ': 'u', 'ν': 'v', 'ο': 'o',
	'ρ': 'p', 'τ': 't', 'υ': 'u', 'χ': 'x', 'ω': 'w', 'ϲ': 'c',
	// Armenian
	'օ': 'o', 'ս': 'u', 'ց': 'g', 'ք': 'p',
	// Latin look-alikes
	'ı': 'i', 'ɑ': 'a', 'ɩ': 'i', 'ʏ': 'y', 'ℓ': 'l',
}

// Skeleton returns the folded form of s (Fold) with look-alike characters
// replaced by the Latin letters they imitate. Two names with the same
// skeleton and different folded forms are confusable.
func Skeleton(s string) string {
	f := Fold(s)
	var b strings.Builder
	b.Grow(len(f))
	for _, r := range f {
		switch {
		case r >= 'ａ' && r <= 'ｚ':
			r = 'a' + (r - 'ａ')
		case r >= '０' && r <= '９':
			r = '0' + (r - '０')
		default:
			if l, ok := confusables[r]; ok {
				r = l
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Confusable reports whether a and b look alike but are different names:
// the same skeleton, different folded forms.
func Confusable(a, b string) bool {
	return Fold(a) != Fold(b) && Skeleton(a) == Skeleton(b)
}

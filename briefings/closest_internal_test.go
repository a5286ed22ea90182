package briefings

import (
	"math/rand"
	"strings"
	"testing"
)

// TestBestWordDistance_BoundIsExact checks that bounding the distance by
// length changes no answer Closest gives: at or under the limit the bounded
// distance is the true one, and over it both are over it. Pairs are names
// and slips of them: letters dropped, doubled, swapped and changed, in
// names of one to three words and in other scripts.
func TestBestWordDistance_BoundIsExact(t *testing.T) {
	names := []string{"putin", "kim jong un", "alaska summit", "anchorage", "vladivostok", "zelenskyy",
		"москва", "東京都", "shoigu", "ri son gwon", "kremlin", "donald trump", "sergei lavrov", "al", "a b"}
	rng := rand.New(rand.NewSource(1))
	slip := func(s string) string {
		r := []rune(s)
		if len(r) < 2 {
			return s + "x"
		}
		i := rng.Intn(len(r) - 1)
		switch rng.Intn(4) {
		case 0:
			r = append(r[:i], r[i+1:]...)
		case 1:
			r = append(r[:i+1], r[i:]...)
		case 2:
			r[i], r[i+1] = r[i+1], r[i]
		default:
			r[i] = 'q'
		}
		return string(r)
	}
	checked := 0
	for _, c := range names {
		for _, base := range names {
			q := base
			for edits := 0; edits < 4; edits++ {
				for _, query := range []string{q, strings.Fields(q)[0]} {
					for limit := 0; limit <= 3; limit++ {
						qn := len(strings.Fields(query))
						full := bestWordDistance(query, c, qn, 1<<30)
						got := bestWordDistance(query, c, qn, limit)
						if (full <= limit) != (got <= limit) || (full <= limit && got != full) {
							t.Fatalf("bestWordDistance(%q, %q, %d) = %d, unbounded %d", query, c, limit, got, full)
						}
						checked++
					}
				}
				q = slip(q)
			}
		}
	}
	if checked < 3000 {
		t.Fatalf("checked only %d pairs", checked)
	}
}

package answer

import (
	"math"
	"strings"

	"briefbot/briefings"
)

// matcher matches a question's terms against candidates.
type matcher struct {
	q Question
	// aka holds, per term, the other names of the actors the term names,
	// each as the set of its stems ("DPRK" → {north, korea}, {pyongyang}).
	aka [][]map[string]bool
	// unknown marks the terms no candidate holds at all.
	unknown []bool
}

// newMatcher prepares the terms, learning from the recalled actors which
// other names each name in the question goes by.
func newMatcher(q Question, actors []briefings.RecalledActor) *matcher {
	m := &matcher{q: q, aka: make([][]map[string]bool, len(q.Terms))}
	for _, a := range actors {
		names := append([]string{a.Name}, a.Aliases...)
		for _, name := range names {
			ws := words(name)
			if len(ws) == 0 {
				continue
			}
			var by []int
			all := true
			for _, w := range ws {
				// "the central bank" is named by "central bank"
				if stopWords[w] {
					continue
				}
				st := stem(w)
				found := -1
				for i, t := range q.Terms {
					if t.Stem == st || (t.Name && prefixOf(t.Stem, st)) {
						found = i
						break
					}
				}
				if found < 0 {
					all = false
					break
				}
				by = append(by, found)
			}
			if !all || len(by) == 0 {
				continue
			}
			for _, i := range by {
				for _, other := range names {
					set := map[string]bool{}
					for st := range stems(other) {
						if !stopWords[st] {
							set[st] = true
						}
					}
					if len(set) > 0 {
						m.aka[i] = append(m.aka[i], set)
					}
				}
			}
		}
	}
	m.describedActors(actors)
	return m
}

// describedActors learns which actors the question names by what they are
// rather than by name: two words or more that stand together in the
// question, no name among them ("the finance minister", "the central
// bank"), all in an actor's description as written (not only related
// words: "battling the blaze" is no description of a firefighter "fighting
// the fire"), name that actor, so a record that names it holds them too.
func (m *matcher) describedActors(actors []briefings.RecalledActor) {
	// "who is the finance minister" asks for the actor itself
	if m.q.Kind == Who {
		return
	}
	qs := map[string]bool{}
	for _, t := range m.q.Terms {
		qs[t.Stem] = true
	}
	for _, a := range actors {
		// an actor the question names outright ("the Kursk region")
		// is matched by its name
		if namedIn(qs, a.Actor) {
			continue
		}
		desc := stems(a.Description)
		var names []map[string]bool
		for i := 0; i < len(m.q.Terms); {
			j := i
			for j < len(m.q.Terms) && !m.q.Terms[j].Name && m.strength(j, desc) == 1 &&
				(j == i || m.q.Terms[j].Pos-m.q.Terms[j-1].Pos <= 2) {
				j++
			}
			// one word will do right before a verb of saying: "what
			// did the forecaster say"
			if (j-i >= 2 || j-i == 1 && m.q.Terms[i].Says) && m.describes(i, j) {
				if names == nil {
					for _, n := range append([]string{a.Name}, a.Aliases...) {
						set := map[string]bool{}
						for st := range stems(n) {
							if !stopWords[st] {
								set[st] = true
							}
						}
						if len(set) > 0 {
							names = append(names, set)
						}
					}
				}
				for k := i; k < j; k++ {
					m.aka[k] = append(m.aka[k], names...)
				}
			}
			i = max(j, i+1)
		}
	}
}

// namedIn reports whether a question's stems hold every word of one of
// the actor's names.
func namedIn(qs map[string]bool, a briefings.Actor) bool {
	for _, n := range append([]string{a.Name}, a.Aliases...) {
		all, any := true, false
		for st := range stems(n) {
			if stopWords[st] {
				continue
			}
			any = true
			all = all && qs[st]
		}
		if any && all {
			return true
		}
	}
	return false
}

// describes reports whether terms i to j (not included) say what
// something is: one of them at least neither a name nor weak.
func (m *matcher) describes(i, j int) bool {
	for k := i; k < j; k++ {
		if t := m.q.Terms[k]; !t.Name && !t.Weak {
			return true
		}
	}
	return false
}

// locationWords ask where something is kept or lives: an actor's
// description that holds them says where.
var locationWords = stems("based located headquartered headquarters situated lives live home")

// prefixOf reports whether two stems of a name are one word's forms:
// "russia" and "russian", "korea" and "korean".
func prefixOf(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	return len(a) >= 4 && len(b)-len(a) <= 2 && strings.HasPrefix(b, a)
}

// strength returns how strongly a set of stems holds term i: 1 for the
// word's own stem, 0.9 for another name of the same actor, 0.8 for a
// related word or the other form of a number.
func (m *matcher) strength(i int, set map[string]bool) float64 {
	t := m.q.Terms[i]
	if set[t.Stem] {
		return 1
	}
	if t.Name {
		for s := range set {
			if prefixOf(t.Stem, s) {
				return 1
			}
		}
	}
	for _, name := range m.aka[i] {
		all := true
		for s := range name {
			all = all && set[s]
		}
		if all {
			return 0.9
		}
	}
	for _, a := range t.Alts {
		if set[a] {
			return 0.8
		}
	}
	return 0
}

// contextWeight is how much a word counts when only a record's context
// (its briefing's title, its actors, its event) holds it.
const contextWeight = 0.5

// match records how strongly c matches each term.
func (m *matcher) match(c *candidate) {
	c.matched = make([]float64, len(m.q.Terms))
	for i := range m.q.Terms {
		s := m.strength(i, c.primary)
		if s == 0 {
			s = contextWeight * m.strength(i, c.context)
		}
		// "who said …": a fact's attribution is its saying
		if s < 1 && c.line.Source == FromFact && c.line.Attribution != "" && plainSaying[m.q.Terms[i].Stem] {
			s = 1
		}
		c.matched[i] = s
	}
	if c.actor != nil {
		own := stems(append([]string{c.actor.Name}, c.actor.Aliases...)...)
		desc := stems(c.actor.Description)
		named, names := 0, 0
		for i, t := range m.q.Terms {
			if m.strength(i, desc) > 0 && m.strength(i, own) == 0 {
				c.described = true
			}
			if t.Name {
				names++
				if m.strength(i, own) > 0 {
					named++
				}
			}
		}
		// "who is Kim Jong Un": a question of names only, all of them the
		// actor's, is answered by what the actor is
		if names == len(m.q.Terms) && named == names {
			c.described, c.subject = true, true
		}
	}
	if c.actor != nil && m.q.Kind == Where {
		// "where was the tainted syrup made": "Selbury — town where
		// Brightwell's plant that made the contaminated syrup stands"
		place := c.actor.Kind == briefings.KindPlace || c.actor.Kind == briefings.KindCountry
		desc := stems(c.actor.Description)
		for i, t := range m.q.Terms {
			if (locationWords[t.Stem] || place && !t.Name && !t.Weak) && m.strength(i, desc) > 0 {
				c.locatedBy = true
			}
		}
	}
	// "why are the Hales selling": what the Hales say is their reason
	if c.line.Source == FromFact && c.line.Attribution != "" && (asksWhoSays(m.q) || m.q.Kind == Why) {
		by := stems(c.line.Attribution)
		for i, t := range m.q.Terms {
			if (t.Name || len(m.aka[i]) > 0) && m.strength(i, by) > 0 {
				c.saidByNamed = true
			}
		}
	}
	if c.event != nil && c.line.Source == FromEvent {
		for _, p := range c.event.Participants {
			set := stems(p)
			named := false
			for i, t := range m.q.Terms {
				named = named || (t.Name && m.strength(i, set) > 0)
			}
			if !named {
				c.others = append(c.others, p)
			}
		}
	}
}

// weights gives each term a weight by how few candidates hold it, so that
// the words that tell records apart count most.
func (m *matcher) weights(cands []*candidate, skipped int) []float64 {
	w := make([]float64, len(m.q.Terms))
	m.unknown = make([]bool, len(m.q.Terms))
	held := m.heldTogether(cands)
	n := float64(len(cands) + skipped)
	for i := range m.q.Terms {
		df := 0.0
		for _, c := range cands {
			if m.strength(i, c.primary) > 0 {
				df++
			}
		}
		m.unknown[i] = !held[i]

		w[i] = math.Max(0.25, math.Log((n+1)/(df+0.5)))
		if m.q.Terms[i].Weak && len(m.q.Terms) > 1 {
			w[i] *= 0.5
		}
	}
	return w
}

// heldTogether reports, per term, whether one briefing holds it (in any
// of its records) together with another word of the question that is not
// weak, or holds it at all when the question has no other such word. A
// word that only other briefings hold is what the question asks about and
// the library doesn't know: "the population of Anchorage".
func (m *matcher) heldTogether(cands []*candidate) []bool {
	byBriefing := map[string][]bool{}
	for _, c := range cands {
		k := c.line.Briefing.GuildID + "\x00" + c.line.Briefing.Slug
		h := byBriefing[k]
		if h == nil {
			h = make([]bool, len(m.q.Terms))
			byBriefing[k] = h
		}
		for i := range m.q.Terms {
			h[i] = h[i] || m.strength(i, c.primary) > 0 || m.strength(i, c.context) > 0
		}
	}
	out := make([]bool, len(m.q.Terms))
	for i := range m.q.Terms {
		for _, h := range byBriefing {
			if !h[i] {
				continue
			}
			others, with := false, false
			for j, t := range m.q.Terms {
				if j != i && !t.Weak {
					others = true
					with = with || h[j]
				}
			}
			if with || !others {
				out[i] = true
				break
			}
		}
	}
	return out
}

// isNumber reports whether a word is a figure, in digits or words.
func isNumber(w string) bool {
	return NumberWord(w) != "" || strings.IndexFunc(w, func(r rune) bool { return r < '0' || r > '9' }) < 0
}

// covers reports whether c holds enough of the question to answer it: at
// least two of its words (all of a one-word question); every name it
// gives, whole, but one when it gives three or more; half of its other
// words in what the record itself says, weak words aside; and no word that nothing recalled holds at all (one
// is let pass in a question of four such words or more). A question that
// shares only a name or an incidental word with the library is not
// covered.
func (m *matcher) covers(c *candidate) bool {
	matched, others, othersMatched, unknown := 0, 0, 0, 0
	own := c.primary
	if len(c.placeOnly) > 0 && m.q.Kind != Where {
		// "who built the Varo spaceport" is not answered by an event
		// that only took place there
		own = only(c.primary, c.placeOnly)
	}
	phraseWords := map[int]int{}
	phraseHits := map[int]int{}
	for i, t := range m.q.Terms {
		hit := c.matched[i] > 0
		if hit {
			matched++
		}
		switch {
		case t.Name:
			phraseWords[t.Phrase]++
			if hit {
				phraseHits[t.Phrase]++
			}
		case t.Weak && len(m.q.Terms) > 1:
		default:
			others++
			// a word only the record's context holds (its briefing's
			// title, its actors) does not answer for it
			if m.strength(i, own) > 0 {
				othersMatched++
			}
			if m.unknown[i] {
				unknown++
			}
		}
	}
	// two words at least, or the one word the question asks about when
	// the others only say that something happened ("where was the
	// ruling handed down")
	if need := min(2, len(m.q.Terms)); matched < need && !(others == 1 && othersMatched == 1 && len(phraseWords) == 0) {
		return false
	}
	// "who built …", "who is the mayor of …": the deed or the role asked
	// about must be the record's own, not only the thing or place
	if k := m.q.Key; k >= 0 && m.strength(k, own) == 0 && !m.q.Terms[k].Weak {
		return false
	}
	// a name is there when all its words are (or another name of the
	// same actor is), one word let go in a name of four or more
	misses := 0
	for p, n := range phraseWords {
		if phraseHits[p] < n-n/4 {
			misses++
		}
	}
	if misses > 0 && (len(phraseWords) < 3 || misses > 1) {
		return false
	}
	// a word of the question that nothing recalled holds is what it asks
	// about ("the population of …"), unless the question has three others
	// at least ("where did the passengers escape the tunnel"); a "how
	// many" or "how much" question needs four ("how much does a measles
	// vaccine cost": the quantity asked for is unknown)
	enough := 3
	if m.q.Kind == HowMany {
		enough = 4
	}
	if unknown > 0 && (others < enough || unknown > 1) {
		return false
	}
	// half of the others, the unknown word let pass aside
	return othersMatched*2 >= others-unknown
}

// namesHeld reports whether c holds every name the question gives, whole
// (see covers).
func (m *matcher) namesHeld(c *candidate) bool {
	words, hits := map[int]int{}, map[int]int{}
	for i, t := range m.q.Terms {
		if t.Name {
			words[t.Phrase]++
			if c.matched[i] > 0 {
				hits[t.Phrase]++
			}
		}
	}
	for p, n := range words {
		if hits[p] < n-n/4 {
			return false
		}
	}
	return true
}

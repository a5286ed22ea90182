package answer

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

	"briefbot/briefings"
)

// Store is what the answerer reads from: a library that recalls whole
// records by any of a question's words (db.DB implements it).
type Store interface {
	// Recall returns the facts, events, actors and briefing text that
	// match any of q.Words, each kind best first.
	Recall(ctx context.Context, q briefings.RecallQuery) (*briefings.Recalled, error)
}

// Source says which record a line comes from.
type Source int

// The records a line may come from.
const (
	FromFact Source = iota
	FromEvent
	FromActor
	FromText
)

// Line is one cited line of an answer.
type Line struct {
	// Source is the record the line comes from.
	Source Source
	// Lead is the answer itself, shown first: a place, a name, who says
	// so. Empty for a date (see Date) and for a plain passage.
	Lead string
	// Date and End are an event's dates, for lines from events.
	Date, End briefings.Date
	// Text is what the line says: the fact, the event's name and place,
	// the actor's description, a sentence of a briefing.
	Text string
	// Attribution says who says so, for facts.
	Attribution string
	// Detail is what else the record says, for a model: an event's
	// participants and description, an actor's kind and other names.
	Detail string
	// Briefing is the briefing to cite.
	Briefing briefings.BriefingRef
	// FactID, EventID and ActorID identify the record.
	FactID, EventID, ActorID int64
	// Score orders lines; higher answers better.
	Score float64
}

// Result is an answer: the structured answer first, when the question asks
// for a date, a place or a person and a record gives it, then the lines
// that support it, best first.
type Result struct {
	// Question is the question as read.
	Question Question
	// Direct is the structured answer, or nil.
	Direct *Line
	// Lines support the answer, best first; with Direct nil the first
	// is the answer.
	Lines []Line
	// VectorErr says why the records nearest in meaning were not used
	// (the embedder failed); the answer is then found by words alone.
	VectorErr error
}

// Covered reports whether the library holds anything that answers the
// question.
func (r *Result) Covered() bool { return r.Direct != nil || len(r.Lines) > 0 }

// All returns the direct answer, if any, then the other lines.
func (r *Result) All() []Line {
	if r.Direct == nil {
		return r.Lines
	}
	return append([]Line{*r.Direct}, r.Lines...)
}

// Options tune an answer.
type Options struct {
	// Lines caps the lines of the answer, the direct one included.
	Lines int
	// Today is the calendar date "next" and "last" count from.
	Today briefings.Date
	// Embedder, when set and the store is a VectorStore, adds the records
	// nearest the question in meaning and fuses the two rankings.
	Embedder briefings.Embedder
}

// recallLimit is how many records of each kind are recalled.
const recallLimit = 20

// textBriefings is how many of the recalled briefings (best first) have
// their text read sentence by sentence; facts, events and actors come
// from all of them.
const textBriefings = 10

// recallWords caps the words looked up.
const recallWords = 32

// Answer answers question from guildID's library: it reads the question,
// recalls the records that share its words, keeps those that cover it
// (see covers) and ranks them for the question's kind. A question no
// record covers gets a Result that is not Covered. The result is
// deterministic for a given library.
func Answer(ctx context.Context, store Store, guildID, question string, opts Options) (*Result, error) {
	q := Analyze(question)
	res := &Result{Question: q}
	if len(q.Terms) == 0 || opts.Lines <= 0 {
		return res, nil
	}
	rec, err := store.Recall(ctx, briefings.RecallQuery{GuildID: guildID, Words: q.Words(recallWords), Limit: recallLimit})
	if err != nil {
		return nil, fmt.Errorf("recall for %q: %w", question, err)
	}
	var sims briefings.Similarities
	if vs, ok := store.(VectorStore); ok && opts.Embedder != nil {
		near, s, err := nearest(ctx, vs, opts.Embedder, guildID, question)
		if err != nil {
			res.VectorErr = err
		} else {
			merge(rec, near)
			sims = s
		}
	}
	m := newMatcher(q, rec.Actors)
	cands, skipped := candidates(q, rec, m.needles())
	weights := m.weights(cands, skipped)
	var strong map[string]bool
	if sims != nil {
		strong = nearTop(cands, sims, 3)
	}
	var kept []*candidate
	for _, c := range cands {
		m.match(c)
		if !m.covers(c) && !(strong[c.key()] && m.namesHeld(c)) {
			continue
		}
		c.line.Score = c.score(q, weights, opts.Today)
		kept = append(kept, c)
	}
	if len(kept) == 0 {
		return res, nil
	}
	sort.SliceStable(kept, func(i, j int) bool { return kept[i].line.Score > kept[j].line.Score })
	if sims != nil {
		fuse(kept, sims)
	}
	res.Direct, res.Lines = arrange(q, kept, opts.Lines)
	return res, nil
}

// arrange picks the direct answer and the lines under it.
func arrange(q Question, kept []*candidate, n int) (*Line, []Line) {
	var direct *Line
	var lines []Line
	shown := map[string]bool{}
	top := kept[0]
	if d := top.direct(q); d != nil {
		direct = d
		shown[top.key()] = true
		n--
		// the fact the answer rests on comes first under it
		if top.support != nil {
			lines = append(lines, top.support.line)
			shown[top.support.key()] = true
		} else if top.event != nil {
			for _, c := range kept {
				if c.line.Source == FromFact && c.event != nil && c.event.ID == top.event.ID {
					lines = append(lines, c.line)
					shown[c.key()] = true
					break
				}
			}
		}
	}
	var said []map[string]bool
	for _, c := range kept {
		if shown[c.key()] {
			said = append(said, c.primary)
		}
	}
	for _, c := range kept {
		if len(lines) >= n {
			break
		}
		k := c.key()
		if shown[k] || (c.support != nil && shown[c.support.key()]) {
			continue
		}
		if c.line.Source == FromText && repeats(c.primary, said) {
			continue
		}
		shown[k] = true
		said = append(said, c.primary)
		lines = append(lines, c.line)
	}
	if len(lines) > n {
		lines = lines[:n]
	}
	return direct, lines
}

// repeats reports whether a sentence mostly says what a line already shown
// says: most of its content words are in one of them.
func repeats(s map[string]bool, said []map[string]bool) bool {
	n := 0
	for w := range s {
		if !stopWords[w] {
			n++
		}
	}
	for _, o := range said {
		shared := 0
		for w := range s {
			if !stopWords[w] && o[w] {
				shared++
			}
		}
		if n > 0 && float64(shared) >= 0.5*float64(n) {
			return true
		}
	}
	return false
}

// candidate is a record that may answer the question.
type candidate struct {
	line Line
	// primary are the stems of what the record says; context those of
	// where it stands (its briefing's title, its actors and event).
	primary, context map[string]bool
	// event is the event of an event line, or of a fact; actor the actor
	// of an actor line.
	event *briefings.Event
	actor *briefings.Actor
	// support is the fact an event line was found through.
	support *candidate
	figure  bool
	// rank is the store's order within the record's kind.
	rank int
	// matched holds, per term, how strongly the record matches it (0 for
	// no match); described is set when an actor's description matched a
	// word that is not its own name.
	matched   []float64
	described bool
	// saidByNamed is set for a fact attributed to someone the question
	// names when it asks what they say.
	saidByNamed bool
	// others are an event's participants the question doesn't name,
	// who answer "who" questions about the event.
	others []string
}

// key identifies the record a candidate shows.
func (c *candidate) key() string {
	switch c.line.Source {
	case FromFact:
		return fmt.Sprintf("f%d", c.line.FactID)
	case FromEvent:
		return fmt.Sprintf("e%d", c.line.EventID)
	case FromActor:
		return fmt.Sprintf("a%d", c.line.ActorID)
	}
	return "t" + briefings.Fold(c.line.Text)
}

// stems returns the set of Porter stems of the words of texts.
func stems(texts ...string) map[string]bool {
	out := map[string]bool{}
	for _, t := range texts {
		for _, w := range words(t) {
			out[Stem(w)] = true
		}
	}
	return out
}

// eventText is how an event reads in a line: its name and place.
func eventText(e briefings.Event) string {
	if e.Location == "" || strings.Contains(briefings.Fold(e.Name), briefings.Fold(e.Location)) {
		return e.Name
	}
	return e.Name + ", " + e.Location
}

// candidates turns what the store recalled into candidates: each fact,
// each event (and each fact's event, found through the fact), each actor,
// and each sentence of each briefing's summary and body.
func candidates(q Question, rec *briefings.Recalled, needles []string) (out []*candidate, skipped int) {
	for i, f := range rec.Facts {
		c := &candidate{
			line:    Line{Source: FromFact, Text: f.Text, Attribution: f.Attribution, Briefing: f.Briefing, FactID: f.ID},
			primary: stems(f.Text, f.Attribution),
			context: stems(append([]string{f.Briefing.Title, f.Event}, f.Actors...)...),
			event:   f.EventRecord, figure: hasFigure(f.Text), rank: i,
		}
		out = append(out, c)
		if e := f.EventRecord; e != nil && (q.Kind == When || q.Kind == Where) {
			out = append(out, &candidate{
				line: Line{Source: FromEvent, Date: e.Date, End: e.End, Text: eventText(*e), Briefing: f.Briefing,
					EventID: e.ID, Detail: eventDetail(*e)},
				primary: stems(f.Text, e.Name, e.Location),
				context: stems(append([]string{e.Description, f.Briefing.Title}, e.Participants...)...),
				event:   e, support: c, rank: i,
			})
		}
	}
	for i := range rec.Events {
		e := &rec.Events[i]
		out = append(out, &candidate{
			line: Line{Source: FromEvent, Date: e.Date, End: e.End, Text: eventText(e.Event), Briefing: e.Briefing,
				EventID: e.ID, Detail: eventDetail(e.Event)},
			primary: stems(append([]string{e.Name, e.Location, e.Description}, e.Participants...)...),
			context: stems(e.Briefing.Title),
			event:   &e.Event, rank: i,
		})
	}
	for i := range rec.Actors {
		a := &rec.Actors[i]
		out = append(out, &candidate{
			line: Line{Source: FromActor, Lead: a.Name, Text: a.Description, Briefing: a.Briefing,
				ActorID: a.ID, Detail: actorDetail(a.Actor)},
			primary: stems(append([]string{a.Name, a.Description}, a.Aliases...)...),
			context: stems(a.Briefing.Title),
			actor:   &a.Actor, rank: i,
		})
	}
	for i, b := range rec.Briefings {
		if i == textBriefings {
			break
		}
		title := stems(b.Briefing.Title)
		// most paragraphs of a long body hold no word of the question;
		// their sentences are counted, not split and stemmed
		for _, para := range strings.Split(b.Summary+"\n\n"+b.Body, "\n\n") {
			if !mayHold(strings.ToLower(para), needles) {
				skipped += strings.Count(para, ". ")
				continue
			}
			for _, s := range briefings.Sentences(para) {
				s = strings.TrimSpace(s)
				if len(s) < 20 {
					continue
				}
				if !mayHold(strings.ToLower(s), needles) {
					skipped++
					continue
				}
				out = append(out, &candidate{
					line:    Line{Source: FromText, Text: s, Attribution: b.Briefing.SourceName, Briefing: b.Briefing},
					primary: stems(s), context: title, figure: hasFigure(s), rank: i,
				})
			}
		}
	}
	return out, skipped
}

// needles returns the beginnings of every form of every term, and of the
// other names of the actors the question names: a text that contains none
// of them matches no term.
func (m *matcher) needles() []string {
	var out []string
	add := func(s string) {
		if len(s) > 5 {
			s = s[:5]
		}
		s = strings.TrimSuffix(s, "i")
		if len(s) >= 2 {
			out = append(out, s)
		}
	}
	for i, t := range m.q.Terms {
		add(t.Word)
		add(t.Stem)
		for _, a := range t.Alts {
			add(a)
		}
		for _, name := range m.aka[i] {
			for w := range name {
				add(w)
			}
		}
	}
	return out
}

// mayHold reports whether folded text contains any of the needles.
func mayHold(folded string, needles []string) bool {
	for _, n := range needles {
		if strings.Contains(folded, n) {
			return true
		}
	}
	return false
}

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
				st := Stem(w)
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
			if !all {
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
	return m
}

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
			c.described = true
		}
	}
	if c.line.Source == FromFact && c.line.Attribution != "" && asksWhoSays(m.q) {
		by := stems(c.line.Attribution)
		for i, t := range m.q.Terms {
			if t.Name && m.strength(i, by) > 0 {
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
			if m.strength(i, c.primary) > 0 {
				othersMatched++
			}
			if m.unknown[i] {
				unknown++
			}
		}
	}
	if matched < min(2, len(m.q.Terms)) {
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
	// about ("the population of …"), unless the question has many others
	if unknown > 0 && (others < 4 || unknown > 1) {
		return false
	}
	return othersMatched*2 >= others
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

// score rates how well c answers q: the weighted share of the question's
// words it holds, plus what suits the question's kind.
func (c *candidate) score(q Question, w []float64, today briefings.Date) float64 {
	total, got := 0.0, 0.0
	for i := range q.Terms {
		total += w[i]
		got += w[i] * c.matched[i]
	}
	s := got / total
	src := c.line.Source
	switch q.Kind {
	case When:
		switch {
		case src == FromEvent && !c.event.Date.IsZero():
			s += 0.25
			s += timeBonus(q, c.event.Date, today)
		case src == FromFact && c.event != nil && !c.event.Date.IsZero():
			s += 0.05
		}
	case Where:
		if src == FromEvent && c.event.Location != "" {
			s += 0.25
		}
	case Who:
		switch {
		case src == FromEvent && len(c.others) > 0:
			s += 0.2
		case src == FromActor && c.described:
			s += 0.2
			if c.actor.Kind == briefings.KindPerson {
				s += 0.03
			}
		case src == FromActor:
			s -= 0.1
		case src == FromFact:
			s += 0.05
		}
	case HowMany:
		switch {
		case (src == FromFact || src == FromText) && c.figure:
			s += 0.2
		case src == FromFact || src == FromText:
			s -= 0.1
		default:
			s -= 0.3
		}
	default:
		switch src {
		case FromFact:
			s += 0.05
		case FromEvent, FromActor:
			if !c.described || q.Kind == Why {
				s -= 0.1
			}
		}
		if q.Kind == Why && (src == FromFact || src == FromText) && givesReason(c.primary) {
			s += 0.1
		}
	}
	if (q.Kind == When || q.Kind == Where) && src == FromActor {
		s -= 0.1
	}
	if src == FromText {
		s -= 0.05
	}
	// "what did Trump say …": what the named actor says comes first
	if src == FromFact && c.saidByNamed {
		s += 0.1
	}
	// the store's order breaks ties
	return s - float64(c.rank)*0.0005
}

// timeBonus favours, for "when is the next …", the soonest event from
// today, and for "when was the last …" the latest before it.
func timeBonus(q Question, d, today briefings.Date) float64 {
	if today.IsZero() || (!q.Next && !q.Last) {
		return 0
	}
	days := d.T.Sub(today.T).Hours() / 24
	switch {
	case q.Next && days >= 0:
		return 0.1 / (1 + days/30)
	case q.Last && days <= 0:
		return 0.1 / (1 - days/30)
	}
	return -0.05
}

// direct returns the structured answer c gives q, or nil: an event's date
// for when, its place for where, an actor (or who says so) for who.
func (c *candidate) direct(q Question) *Line {
	l := c.line
	switch q.Kind {
	case When:
		if l.Source == FromEvent && !l.Date.IsZero() {
			return &l
		}
	case Where:
		if l.Source == FromEvent && c.event.Location != "" {
			l.Lead = c.event.Location
			l.Text = c.event.Name
			if !c.event.Date.IsZero() {
				l.Text += ", " + c.event.Date.Span(c.event.End)
			}
			l.Date, l.End = briefings.Date{}, briefings.Date{}
			return &l
		}
	case Who:
		switch {
		case l.Source == FromEvent && len(c.others) > 0:
			l.Lead = strings.Join(c.others, ", ")
			if !l.Date.IsZero() {
				l.Text += ", " + l.Date.Span(l.End)
			}
			l.Date, l.End = briefings.Date{}, briefings.Date{}
			return &l
		case l.Source == FromActor && c.described:
			return &l
		case l.Source == FromFact && l.Attribution != "" && asksWhoSays(q):
			l.Lead = l.Attribution
			return &l
		}
	}
	return nil
}

// reasonWords join a reason to what it explains.
var reasonWords = stems("because since after over due amid following as reason cause caused why so")

// givesReason reports whether a passage gives a reason.
func givesReason(set map[string]bool) bool {
	for w := range reasonWords {
		if set[w] {
			return true
		}
	}
	return false
}

// sayingWords are the verbs of "who said …" questions, answered by an
// attribution.
var sayingWords = stems("say said says claim claims estimate estimates report reported according announce announced confirm confirmed warn warned accuse accused allege alleged deny denied count counts")

// asksWhoSays reports whether a who-question asks who says something.
func asksWhoSays(q Question) bool {
	for _, w := range words(q.Text) {
		if sayingWords[Stem(w)] {
			return true
		}
	}
	return false
}

// Plain renders a line as plain text: the lead (a date or a name) and what
// the line says, then who says so.
func (l Line) Plain() string {
	lead := l.Lead
	if lead == "" && !l.Date.IsZero() {
		lead = l.Date.Span(l.End)
	}
	s := l.Text
	if lead != "" {
		s = lead + " — " + s
	}
	if l.Attribution != "" && l.Lead != l.Attribution {
		s += " — " + l.Attribution
	}
	return s
}

// eventDetail says who took part in an event and what it was.
func eventDetail(e briefings.Event) string {
	var parts []string
	if len(e.Participants) > 0 {
		parts = append(parts, "Participants: "+strings.Join(e.Participants, ", ")+".")
	}
	if e.Description != "" {
		parts = append(parts, e.Description)
	}
	return strings.Join(parts, " ")
}

// actorDetail says what kind of actor it is and its other names.
func actorDetail(a briefings.Actor) string {
	s := "A " + string(a.Kind) + "."
	if a.Kind == "" {
		s = ""
	}
	if len(a.Aliases) > 0 {
		s = strings.TrimSpace(s + " Also called " + strings.Join(a.Aliases, ", ") + ".")
	}
	return s
}

// Excerpt returns the line as a model reads it: the record's kind, what it
// says with its date or place in words, and what else it says.
func (l Line) Excerpt() briefings.Excerpt {
	e := briefings.Excerpt{Text: l.Text, Attribution: l.Attribution, Briefing: l.Briefing}
	switch l.Source {
	case FromFact:
		e.Kind = "fact"
	case FromEvent:
		e.Kind = "event"
		e.Text = "Event: " + l.Text
		if !l.Date.IsZero() {
			e.Text += ", on " + l.Date.Span(l.End) + " (known to the " + l.Date.P.String() + ")"
		}
		e.Text += "."
	case FromActor:
		e.Kind = "actor"
		e.Text = l.Lead + ": " + l.Text
	case FromText:
		e.Kind = "text"
	}
	if l.Detail != "" {
		e.Text += " " + l.Detail
	}
	return e
}

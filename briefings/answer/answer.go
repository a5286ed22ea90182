package answer

import (
	"context"
	"fmt"
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
	// Read lists the slips in known names the question was read with
	// ("putn" as "Putin"), when the question as asked was not covered
	// and as read it is (see Options.Names); Question is then the
	// question as read.
	Read []Reading
	// NoFigure is set when a "how many" question is not covered only
	// because no record gives a figure of what it counts: the library
	// holds records about it, none with the count ("How many North
	// Korean troops fought in Kursk?").
	NoFigure bool
	// unknown are the words of the question that nothing recalled holds
	// (see covers), as folded: a slip in a name is one of them.
	unknown []string
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
	// Names, when set, lets a question the library doesn't cover be read
	// again with slips in known names corrected ("when did putn call
	// kim"); the answer then says what was read as what (Result.Read).
	Names Names
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
// record covers is read again with slips in known names corrected, when
// opts.Names is set, and answered as read if that is covered; otherwise it
// gets a Result that is not Covered. The result is deterministic for a
// given library.
func Answer(ctx context.Context, store Store, guildID, question string, opts Options) (*Result, error) {
	res, err := answer(ctx, store, guildID, question, opts)
	// only a word nothing recalled holds may be a slip in a name, and
	// only then may reading it as one answer better
	if err != nil || len(res.unknown) == 0 || opts.Names == nil {
		return res, err
	}
	fixed, read, err := misspelledNames(ctx, opts.Names, guildID, question, res.unknown)
	if err != nil || fixed == "" {
		return res, err
	}
	again, err := answer(ctx, store, guildID, fixed, opts)
	if err != nil {
		return nil, err
	}
	if !again.Covered() {
		return res, nil
	}
	again.Read = read
	return again, nil
}

// answer answers question as written (see Answer).
func answer(ctx context.Context, store Store, guildID, question string, opts Options) (*Result, error) {
	q := Analyze(question)
	res := &Result{Question: q}
	if len(q.Terms) == 0 || opts.Lines <= 0 {
		return res, nil
	}
	words, forms := q.Words(recallWords)
	rec, err := store.Recall(ctx, briefings.RecallQuery{GuildID: guildID, Words: words, Forms: forms, Limit: recallLimit})
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
	cands, skipped := candidates(q, rec, m.needles(rec.Common))
	weights := m.weights(cands, skipped)
	for i, u := range m.unknown {
		if u {
			res.unknown = append(res.unknown, q.Terms[i].Word)
		}
	}
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
		c.counted = q.Kind == HowMany && q.Count >= 0 && (m.countsAsked(c) || strong[c.key()] && len(c.figures) > 0)
		c.line.Score = c.score(q, weights, opts.Today)
		kept = append(kept, c)
	}
	if len(kept) == 0 {
		return res, nil
	}
	if !answersCount(q, kept) {
		res.NoFigure = true
		return res, nil
	}
	sort.SliceStable(kept, func(i, j int) bool { return kept[i].line.Score > kept[j].line.Score })
	if sims != nil {
		fuse(kept, sims)
	}
	res.Direct, res.Lines = arrange(q, kept, opts.Lines)
	return res, nil
}

// answersCount reports whether a "how many" question that counts
// something gets a figure of it from one of the records kept: "how many
// ships are waiting at Sarn" is not answered by "Two shipping lines have
// diverted their vessels to Sarn", nor "how many people voted" by a vote
// of 88 to 71. The lines that support the figure may hold none.
func answersCount(q Question, kept []*candidate) bool {
	if q.Kind != HowMany || q.Count < 0 {
		return true
	}
	for _, c := range kept {
		if c.counted {
			return true
		}
	}
	return false
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

package answer

import (
	"strconv"
	"strings"
	"unicode"

	"briefbot/briefings"
)

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
	// placeOnly are the stems only an event's location holds: they
	// answer "where", not what else the question asks about.
	placeOnly map[string]bool
	// figures are the record's numbers with what each counts; counted
	// is set when one of them counts what a "how many" question asks.
	figures []figure
	counted bool
	// rank is the store's order within the record's kind.
	rank int
	// matched holds, per term, how strongly the record matches it (0 for
	// no match); described is set when an actor's description matched a
	// word that is not its own name.
	matched   []float64
	described bool
	// subject is set for the actor a question of names only names:
	// "what is the Kremlin", "who is Kim Jong Un".
	subject bool
	// saidByNamed is set for a fact attributed to someone the question
	// names when it asks what they say, or why.
	saidByNamed bool
	// locatedBy is set for an actor whose description holds the word a
	// where-question asks by ("based", "located").
	locatedBy bool
	// others are an event's participants the question doesn't name,
	// who answer "who" questions about the event.
	others []string
	// k is the key, once key has made it.
	k string
}

// key identifies the record a candidate shows.
func (c *candidate) key() string {
	if c.k != "" {
		return c.k
	}
	switch c.line.Source {
	case FromFact:
		c.k = "f" + strconv.FormatInt(c.line.FactID, 10)
	case FromEvent:
		c.k = "e" + strconv.FormatInt(c.line.EventID, 10)
	case FromActor:
		c.k = "a" + strconv.FormatInt(c.line.ActorID, 10)
	default:
		c.k = "t" + briefings.Fold(c.line.Text)
	}
	return c.k
}

// stems returns the set of Porter stems of the words of texts.
func stems(texts ...string) map[string]bool {
	out := map[string]bool{}
	for _, t := range texts {
		addStems(out, words(t))
	}
	return out
}

// addStems adds the stems of folded words to set.
func addStems(set map[string]bool, ws []string) {
	for _, w := range ws {
		set[stem(w)] = true
	}
}

// textStems returns the stems of one text and whether it carries a
// figure, reading its words once (see hasFigure).
func textStems(text string) (map[string]bool, bool) {
	ws := words(text)
	set := make(map[string]bool, len(ws))
	addStems(set, ws)
	return set, strings.IndexFunc(text, unicode.IsDigit) >= 0 || hasNumberWord(ws)
}

// only returns the stems of a that b lacks.
func only(a, b map[string]bool) map[string]bool {
	out := map[string]bool{}
	for s := range a {
		if !b[s] {
			out[s] = true
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
	// only a "how many" question that counts something reads figures
	figs := func(texts ...string) []figure {
		if q.Kind != HowMany || q.Count < 0 {
			return nil
		}
		return figures(texts...)
	}
	// a "how many" or "how much" question is answered by a figure, not
	// by a date
	amount := func(text string) bool {
		if q.Kind == HowMany {
			return len(figures(text)) > 0
		}
		return hasFigure(text)
	}
	for i, f := range rec.Facts {
		c := &candidate{
			line:    Line{Source: FromFact, Text: f.Text, Attribution: f.Attribution, Briefing: f.Briefing, FactID: f.ID},
			primary: stems(f.Text, f.Attribution),
			context: stems(append([]string{f.Briefing.Title, f.Event}, f.Actors...)...),
			event:   f.EventRecord, figure: amount(f.Text), figures: figs(f.Text), rank: i,
		}
		out = append(out, c)
		if e := f.EventRecord; e != nil && (q.Kind == When || q.Kind == Where) {
			out = append(out, &candidate{
				line: Line{Source: FromEvent, Date: e.Date, End: e.End, Text: eventText(*e), Briefing: f.Briefing,
					EventID: e.ID, Detail: eventDetail(*e)},
				primary: stems(f.Text, e.Name, e.Location),
				context: stems(append([]string{e.Description, f.Briefing.Title}, e.Participants...)...),
				event:   e, support: c, rank: i, placeOnly: only(stems(e.Location), stems(f.Text, e.Name)),
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
			event:   &e.Event, figures: figs(e.Name, e.Description), rank: i,
			placeOnly: only(stems(e.Location), stems(append([]string{e.Name, e.Description}, e.Participants...)...)),
		})
	}
	for i := range rec.Actors {
		a := &rec.Actors[i]
		out = append(out, &candidate{
			line: Line{Source: FromActor, Lead: a.Name, Text: a.Description, Briefing: a.Briefing,
				ActorID: a.ID, Detail: actorDetail(a.Actor)},
			primary: stems(append([]string{a.Name, a.Description}, a.Aliases...)...),
			context: stems(a.Briefing.Title),
			actor:   &a.Actor, figures: figs(a.Description), rank: i,
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
				primary, figure := textStems(s)
				figure = figure && (q.Kind != HowMany || amount(s))
				out = append(out, &candidate{
					line:    Line{Source: FromText, Text: s, Attribution: b.Briefing.SourceName, Briefing: b.Briefing},
					primary: primary, context: title, figure: figure, figures: figs(s), rank: i,
				})
			}
		}
	}
	return out, skipped
}

// needles returns the beginnings of every form of every term, and of the
// other names of the actors the question names: a text that contains none
// of them matches no term.
//
// Words the store found in most of the library (common) give no needles
// when the question has others: nearly every paragraph holds them, and a
// sentence holding only such a word does not answer the question.
func (m *matcher) needles(common []string) []string {
	var out []string
	rare := 0
	for _, t := range m.q.Terms {
		if !isCommon(t.Word, common) {
			rare++
		}
	}
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
		if rare > 0 && isCommon(t.Word, common) {
			continue
		}
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

// isCommon reports whether word is one of the common words, ignoring case
// and accents.
func isCommon(word string, common []string) bool {
	for _, c := range common {
		if briefings.Fold(c) == word {
			return true
		}
	}
	return false
}

package answer

import (
	"strconv"
	"strings"

	"briefbot/briefings"
)

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
		switch {
		case src == FromEvent && c.event.Location != "":
			s += 0.25
		case (src == FromFact || src == FromText) && namesPlace(q, c.line.Text):
			// "evacuees are sleeping at the Carrick exhibition centre"
			s += 0.1
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
		case (src == FromFact || src == FromText) && c.figure && (q.Count < 0 || c.counted):
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
			if c.subject && q.Kind == What {
				s += 0.2
			}
			// "what did the forecaster say": what was said, not who
			// the forecaster is
			if src == FromActor && asksWhoSays(q) {
				s -= 0.2
			}
		}
		if q.Kind == Why && (src == FromFact || src == FromText) && givesReason(c.primary) {
			s += 0.1
		}
	}
	switch {
	case q.Kind == Where && src == FromActor && c.locatedBy:
		// "where is Northwind Capital based": "investment firm based
		// in Sarrow"
		s += 0.3
	case (q.Kind == When || q.Kind == Where) && src == FromActor:
		s -= 0.1
	}
	// "where was Tamsin launched": the launch itself, not the landing
	// whose fact mentions the launch
	if (q.Kind == When || q.Kind == Where) && src == FromEvent {
		s += 0.1 * ownShare(q, w, stems(c.event.Name, c.event.Description))
	}
	if src == FromText {
		s -= 0.05
	}
	// "who is buying the club": not the purchase of 1974 the briefing
	// recalls as history
	if q.Now && (c.event != nil && background(c.event.Date, c.line.Briefing.Published) ||
		c.actor != nil && describesHistory(c.actor.Description, c.line.Briefing.Published)) {
		s -= 0.1
	}
	// "who said the company would appeal": the one who said it
	if q.Kind == Who && src == FromFact && c.line.Attribution != "" && asksWhoSays(q) {
		s += 0.15
	}
	// "what did Trump say …": what the named actor says comes first,
	// and what others say of it after
	if src == FromFact && c.saidByNamed {
		s += 0.1
	} else if src == FromFact && c.line.Attribution != "" && namesSpeaker(q) {
		s -= 0.1
	}
	// the store's order breaks ties
	return s - float64(c.rank)*0.0005
}

// ownShare is the weighted share of the question's words other than names
// that an event's own name and description hold.
func ownShare(q Question, w []float64, own map[string]bool) float64 {
	total, got := 0.0, 0.0
	for i, t := range q.Terms {
		if t.Name {
			continue
		}
		total += w[i]
		if own[t.Stem] || hasAny(own, t.Alts) {
			got += w[i]
		}
	}
	if total == 0 {
		return 0
	}
	return got / total
}

func hasAny(set map[string]bool, ws []string) bool {
	for _, x := range ws {
		if set[x] {
			return true
		}
	}
	return false
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

// placeWords open a phrase that names where something is.
var placeWords = map[string]bool{"at": true, "in": true, "to": true, "from": true, "near": true, "outside": true}

// namesPlace reports whether text says where something is: "at", "in" or
// the like, then a capitalised word the question doesn't name ("at the
// Carrick exhibition centre").
func namesPlace(q Question, text string) bool {
	asked := map[string]bool{}
	for _, t := range q.Terms {
		asked[t.Stem] = true
	}
	ws := tokens(text)
	for i := 0; i+1 < len(ws); i++ {
		if !placeWords[strings.ToLower(ws[i])] {
			continue
		}
		j := i + 1
		if j < len(ws) && strings.EqualFold(ws[j], "the") {
			j++
		}
		if j < len(ws) && isName(ws[j], j) && !asked[stem(briefings.Fold(ws[j]))] {
			return true
		}
	}
	return false
}

// namesSpeaker reports whether a question names who says something
// right before the verb of saying ("what did the inquiry say").
func namesSpeaker(q Question) bool {
	for _, t := range q.Terms {
		if t.Says {
			return true
		}
	}
	return false
}

// describesHistory reports whether a description tells of a year more
// than a year before the briefing ("son of Walter Hale, who bought the
// club in 1974").
func describesHistory(desc string, published briefings.Date) bool {
	if published.IsZero() {
		return false
	}
	for _, w := range words(desc) {
		if len(w) == 4 && (strings.HasPrefix(w, "19") || strings.HasPrefix(w, "20")) {
			if y, err := strconv.Atoi(w); err == nil && y < published.T.Year()-1 {
				return true
			}
		}
	}
	return false
}

// background reports whether an event dated d is history to a briefing
// published on published: more than a year before it.
func background(d, published briefings.Date) bool {
	if d.IsZero() || published.IsZero() {
		return false
	}
	return published.T.Sub(d.T).Hours() > 366*24
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
	case What:
		if l.Source == FromActor && c.subject {
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
// attribution, those of taking a stand ("who blames …") included.
var sayingWords = stems("say said says claim claims estimate estimates report reported according announce announced confirm confirmed warn warned accuse accused allege alleged deny denied count counts blame blames blamed criticise criticised criticize criticized condemn condemned praise praised argue argued insist insisted")

// plainSaying are the verbs that say only that someone said something,
// which any attributed fact answers.
var plainSaying = stems("say said says stated state statement according")

// asksWhoSays reports whether a who-question asks who says something.
func asksWhoSays(q Question) bool {
	for _, w := range words(q.Text) {
		if sayingWords[stem(w)] {
			return true
		}
	}
	return false
}

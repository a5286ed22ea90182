package chart

import (
	"slices"
	"strings"

	"briefbot/briefings"
)

// RowsByActor groups events by the actors taking part: the actors in the
// most events (at most `most` of them) get a row each, each event goes to
// the row of its most frequent actor, and the rest share a last row.
// cites[i], when given, are event i's citation numbers. actor, when set, is the timeline's own actor, which
// every event has: the rows are then the others taking part.
func RowsByActor(events []briefings.EventRef, cites [][]int, actor string, most int) []Row {
	key := func(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
	count := map[string]int{}
	name := map[string]string{}
	for _, e := range events {
		seen := map[string]bool{}
		for _, p := range e.Participants {
			k := key(p)
			if k == "" || k == key(actor) || seen[k] {
				continue
			}
			seen[k] = true
			count[k]++
			if name[k] == "" {
				name[k] = oneLine(p)
			}
		}
	}
	ranked := make([]string, 0, len(count))
	for k := range count {
		ranked = append(ranked, k)
	}
	slices.SortFunc(ranked, func(a, b string) int {
		if count[a] != count[b] {
			return count[b] - count[a]
		}
		return strings.Compare(a, b)
	})
	if len(ranked) > most {
		ranked = ranked[:most]
	}
	rowOf := map[string]int{}
	rows := make([]Row, len(ranked))
	for i, k := range ranked {
		rowOf[k] = i
		rows[i].Label = name[k]
	}
	var other []Event
	for i, e := range events {
		best := -1
		for _, p := range e.Participants {
			if n, ok := rowOf[key(p)]; ok && (best < 0 || n < best) {
				best = n
			}
		}
		if best < 0 {
			other = append(other, eventOf(e, cites, i))
			continue
		}
		rows[best].Events = append(rows[best].Events, eventOf(e, cites, i))
	}
	if len(other) > 0 {
		label := "Others"
		switch {
		case actor != "" && len(rows) == 0:
			label = oneLine(actor)
		case len(rows) == 0:
			label = "No actor named"
		}
		rows = append(rows, Row{Label: label, Events: other})
	}
	return rows
}

// eventOf is an event as the picture draws it, with its citation numbers
// when there are any.
func eventOf(e briefings.EventRef, cites [][]int, i int) Event {
	ev := Event{Name: oneLine(e.Name), Date: e.Date, End: e.End}
	if i < len(cites) {
		ev.Cites = cites[i]
	}
	return ev
}

// oneLine collapses runs of white space, line breaks included, to single
// spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

package commands

import (
	"context"
	"fmt"
	"strings"

	"briefbot/briefings"

	"github.com/bwmarrin/discordgo"
)

// match is what a name typed into a command stands for: one of actor, event
// or topic, by its kind.
type match struct {
	actor *briefings.Actor
	event *briefings.Event
	topic *briefings.Topic
	// note says which name is shown when the text was only part of one.
	note string
}

// resolve reads a name the way every command does: the actor, event or
// topic whose name or alias equals text ignoring case and accents, or else
// the only one whose name or alias starts with or contains it ("alaska" is
// the Alaska summit). Nil without an error means no single match; the
// caller answers with suggest, which adds names within typing distance.
func (r *Router) resolve(ctx context.Context, q *request, kind briefings.NameKind, text string) (*match, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, nil
	}
	m := &match{}
	var err error
	switch kind {
	case briefings.NameActor:
		m.actor, err = r.lib.Actor(ctx, q.guildID, text)
	case briefings.NameEvent:
		m.event, err = r.lib.Event(ctx, q.guildID, text)
	case briefings.NameTopic:
		m.topic, err = r.lib.Topic(ctx, q.guildID, text)
	default:
		return nil, fmt.Errorf("resolve a name of kind %q", kind)
	}
	if err == nil {
		return m, nil
	} else if !notFound(err) {
		return nil, fmt.Errorf("find %s %q: %w", kind, text, err)
	}
	// The stores rank by prefix, word and part and keep one entry per
	// actor or event, so two results mean the text is ambiguous.
	var shown string
	switch kind {
	case briefings.NameActor:
		found, err := r.lib.FindActors(ctx, q.guildID, text, 2)
		if err != nil {
			return nil, fmt.Errorf("find actors like %q: %w", text, err)
		}
		if len(found) != 1 {
			return nil, nil
		}
		m.actor, shown = &found[0], found[0].Name
	case briefings.NameEvent:
		found, err := r.lib.FindEvents(ctx, q.guildID, text, 2)
		if err != nil {
			return nil, fmt.Errorf("find events like %q: %w", text, err)
		}
		if len(found) != 1 {
			return nil, nil
		}
		m.event, shown = &found[0], found[0].Name
	case briefings.NameTopic:
		names, err := r.lib.CompleteNames(ctx, q.guildID, briefings.NameTopic, text, 2)
		if err != nil {
			return nil, fmt.Errorf("find topics like %q: %w", text, err)
		}
		if len(names) != 1 {
			return nil, nil
		}
		m.topic, err = r.lib.Topic(ctx, q.guildID, names[0])
		if notFound(err) {
			return nil, nil
		} else if err != nil {
			return nil, fmt.Errorf("find topic %q: %w", names[0], err)
		}
		shown = m.topic.Name
	}
	m.note = onlyMatch(shown, text)
	return m, nil
}

// kindNoun names a kind of name for people.
var kindNoun = map[briefings.NameKind]string{
	briefings.NameActor:    "actor",
	briefings.NameEvent:    "event",
	briefings.NameTopic:    "topic",
	briefings.NameBriefing: "briefing",
}

// suggestionID is the custom ID kind of a suggestion button for each kind of
// name.
var suggestionID = map[briefings.NameKind]string{
	briefings.NameActor: idActor,
	briefings.NameEvent: idEvent,
	briefings.NameTopic: idTopic,
}

// How many names a suggestion offers.
const maxSuggestions = 5

// didYouMean answers a name the library doesn't know: the closest names it
// does know, as buttons that run the command for them, or when nothing is
// close, a few names that exist and where to find the rest.
func (r *Router) didYouMean(ctx context.Context, q *request, kind briefings.NameKind, text string) (*discordgo.InteractionResponse, error) {
	return r.suggest(ctx, q, kind, text, true)
}

// suggest is didYouMean with or without buttons: a command with several
// names to fill (like /timeline) lists the suggestions instead.
func (r *Router) suggest(ctx context.Context, q *request, kind briefings.NameKind, text string, buttons bool) (*discordgo.InteractionResponse, error) {
	known, err := r.lib.KnownNames(ctx, q.guildID, kind)
	if err != nil {
		return nil, fmt.Errorf("list %s names: %w", kind, err)
	}
	noun := kindNoun[kind]
	head := fmt.Sprintf("I don't know %s %s called “%s”.", article(noun), noun, escape(briefings.Truncate(oneLine(text), 100)))
	if close := closestKnown(text, known, maxSuggestions); len(close) > 0 {
		hints, labels, err := r.eventHints(ctx, q, kind, close)
		if err != nil {
			return nil, err
		}
		quoted := make([]string, len(close))
		for i, n := range close {
			quoted[i] = "**" + escape(n) + "**" + hints[i]
		}
		msg := head + " Did you mean " + orList(quoted) + "?"
		var row []discordgo.MessageComponent
		if buttons {
			for i, n := range close {
				if id, ok := (customID{kind: suggestionID[kind], arg: n}).String(); ok && cleanName(n) {
					row = append(row, discordgo.Button{Label: labels[i], Style: discordgo.PrimaryButton, CustomID: id})
				}
			}
		}
		resp := Ephemeral(msg)
		if len(row) > 0 {
			resp.Data.Content += " Press one to see it."
			resp.Data.Components = []discordgo.MessageComponent{discordgo.ActionsRow{Components: row}}
		}
		return resp, nil
	}
	if len(known) == 0 {
		return Ephemeral(fmt.Sprintf("%s The library has no %ss yet.", head, noun)), nil
	}
	some := wellKnown(known, maxSuggestions)
	quoted := make([]string, 0, len(some))
	for _, n := range some {
		quoted = append(quoted, "**"+escape(n)+"**")
	}
	msg := head + " Some I know: " + strings.Join(quoted, ", ") + "."
	if kind == briefings.NameTopic {
		msg += " Type /topics to see them all."
	} else {
		msg += " Start typing in the option to see the names that match."
	}
	return Ephemeral(msg), nil
}

// eventHints returns, for suggested event names, what tells the events
// apart: their dates and places, as " (15 August 2025, Anchorage)" after
// the name in the message and as the button's label ("Alaska summit ·
// 15 August 2025 · Anchorage"). A label is plain text, so an exact time is
// its UTC calendar date and time there, while the message shows Discord's
// timestamp markup. Other kinds get no hints and their names as labels.
func (r *Router) eventHints(ctx context.Context, q *request, kind briefings.NameKind, names []string) (hints, labels []string, err error) {
	hints, labels = make([]string, len(names)), make([]string, len(names))
	for i, n := range names {
		labels[i] = briefings.Truncate(n, maxButtonLabel)
		if kind != briefings.NameEvent {
			continue
		}
		ev, err := r.lib.Event(ctx, q.guildID, n)
		if notFound(err) {
			continue
		} else if err != nil {
			return nil, nil, fmt.Errorf("event %q for a suggestion: %w", n, err)
		}
		var shown, plain []string
		if !ev.Date.IsZero() {
			shown, plain = append(shown, eventWhen(*ev)), append(plain, ev.Date.Span(ev.End))
		}
		if ev.Location != "" {
			loc := briefings.Truncate(oneLine(ev.Location), 60)
			shown, plain = append(shown, escape(loc)), append(plain, loc)
		}
		if len(shown) > 0 {
			hints[i] = " (" + strings.Join(shown, ", ") + ")"
			labels[i] = briefings.Truncate(strings.Join(append([]string{n}, plain...), " · "), maxButtonLabel)
		}
	}
	return hints, labels, nil
}

// closestKnown returns the canonical names of at most n actors, events or
// topics with a name or alias closest to text (by prefix, word, part, then
// typing distance), one entry for each however many of its aliases come
// close.
func closestKnown(text string, known []briefings.KnownName, n int) []string {
	names := make([]string, len(known))
	of := map[string]string{}
	for i, k := range known {
		names[i] = k.Name
		if _, ok := of[briefings.Fold(k.Name)]; !ok {
			of[briefings.Fold(k.Name)] = k.Of
		}
	}
	var out []string
	seen := map[string]bool{}
	for _, name := range briefings.Closest(text, names, len(names)) {
		canonical := of[briefings.Fold(name)]
		if key := briefings.Fold(canonical); !seen[key] {
			seen[key] = true
			out = append(out, canonical)
			if len(out) == n {
				break
			}
		}
	}
	return out
}

// wellKnown returns the canonical names of the n most mentioned actors,
// events or topics; known comes most mentioned first.
func wellKnown(known []briefings.KnownName, n int) []string {
	var out []string
	seen := map[string]bool{}
	for _, k := range known {
		if key := briefings.Fold(k.Of); !seen[key] {
			seen[key] = true
			out = append(out, k.Of)
			if len(out) == n {
				break
			}
		}
	}
	return out
}

// article returns "an" before a vowel and "a" otherwise.
func article(noun string) string {
	if noun != "" && strings.ContainsRune("aeiou", rune(noun[0])) {
		return "an"
	}
	return "a"
}

// orList joins items as "a", "a or b", "a, b or c".
func orList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

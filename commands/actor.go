package commands

import (
	"context"
	"fmt"
	"strings"

	"briefbot/briefings"

	"github.com/bwmarrin/discordgo"
)

// How much of an actor or event page each list may show.
const (
	pageFacts     = 12
	pageEvents    = 15
	pageBriefings = 10
)

// actor answers /actor name: who the actor is, their aliases, the key facts
// about them with attributions and citations, their dated events and the
// briefings that mention them.
func (r *Router) actor(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	name := strings.TrimSpace(q.str(optName))
	if name == "" {
		return nil, userError("Give the name of a person, country or group, e.g. /actor name:Kim Jong Un.")
	}
	m, err := r.resolve(ctx, q, briefings.NameActor, name)
	if err != nil {
		return nil, err
	}
	if m == nil {
		return r.didYouMean(ctx, q, briefings.NameActor, name)
	}
	a, note := m.actor, m.note
	facts, err := r.lib.Facts(ctx, briefings.FactQuery{GuildID: q.guildID, ActorID: a.ID, Limit: pageFacts + 1})
	if err != nil {
		return nil, fmt.Errorf("facts of actor %d: %w", a.ID, err)
	}
	// the events list shows no citations, so no briefings come with them
	events, err := r.lib.Events(ctx, briefings.EventQuery{GuildID: q.guildID, ActorID: a.ID, Limit: pageEvents + 1, BriefingsPerEvent: -1})
	if err != nil {
		return nil, fmt.Errorf("events of actor %d: %w", a.ID, err)
	}
	mentions, total, err := r.lib.BriefingsMentioning(ctx, q.guildID, a.ID, 0, pageBriefings)
	if err != nil {
		return nil, fmt.Errorf("briefings mentioning actor %d: %w", a.ID, err)
	}

	var desc strings.Builder
	desc.WriteString("*" + actorKind(a.Kind) + "*")
	if a.Description != "" {
		desc.WriteString(" — " + escape(reflow(a.Description)))
	}
	if len(a.Aliases) > 0 {
		desc.WriteString("\nAlso known as: " + escape(strings.Join(a.Aliases, ", ")))
	}

	cites := r.citations(ctx, q.guildID)
	fs := []*discordgo.MessageEmbedField{
		citedFactsField("Key facts", facts, pageFacts, &cites),
		eventsField("Events", events, pageEvents),
		mentionsField(mentions, total, &cites),
	}
	return message([]*discordgo.MessageEmbed{{
		Title:       a.Name,
		Description: desc.String(),
		Color:       colorActor,
		Fields:      fields(fs...),
		Footer:      footer(note),
	}}), nil
}

// onlyMatch notes that a name was shown because it was the only match.
func onlyMatch(shown, typed string) string {
	return fmt.Sprintf("Showing %s, the only match for “%s”.", shown, briefings.EscapeControl(briefings.Truncate(oneLine(typed), 100)))
}

// footer returns an embed footer with text, or nil without.
func footer(text string) *discordgo.MessageEmbedFooter {
	if text == "" {
		return nil
	}
	return &discordgo.MessageEmbedFooter{Text: text}
}

// citedFactsField lists facts with attributions and the number of the
// briefing that states each, showing at most limit (the caller asks the
// store for one more, to know there are more). Past the limit, how many
// more there are is unknown, so the list points to the briefings, each of
// which shows its facts, rather than count.
func citedFactsField(name string, facts []briefings.FactRef, limit int, cites *citations) *discordgo.MessageEmbedField {
	l := lines{budget: maxFieldValue}
	for i, f := range facts {
		if i == limit {
			break
		}
		l.add(fmt.Sprintf("• %s [%d]", factLine(f.Fact), cites.cite(f.Briefing)))
	}
	if len(facts) > limit {
		l.dropped = 0
		return field(name, l.String()+"\n…more in the briefings", false)
	}
	return field(name, l.String(), false)
}

// eventsField lists dated events in date order, at most limit of them.
func eventsField(name string, events []briefings.EventRef, limit int) *discordgo.MessageEmbedField {
	l := lines{budget: maxFieldValue}
	for i, e := range events {
		if i == limit {
			l.add("…and more: see /timeline")
			break
		}
		l.add(eventWhen(e.Event) + " — **" + escape(e.Name) + "**")
	}
	return field(name, l.String(), false)
}

// mentionsField lists the briefings already cited and then the other
// briefings that mention the subject (the newest of the total that do),
// numbered for the citations.
func mentionsField(mentions []briefings.BriefingRef, total int, cites *citations) *discordgo.MessageEmbedField {
	for i, b := range mentions {
		if i == pageBriefings {
			break
		}
		cites.cite(b)
	}
	name := "Briefings"
	if total > 0 {
		name = fmt.Sprintf("Briefings (%d)", total)
	}
	l := cites.lines(maxFieldValue)
	// the store gave only the newest of total: the others are more too
	if rest := total - len(l.items); rest > l.dropped {
		l.dropped = rest
	}
	return field(name, l.String(), false)
}

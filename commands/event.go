package commands

import (
	"context"
	"fmt"
	"strings"

	"briefbot/briefings"

	"github.com/bwmarrin/discordgo"
)

// event answers /event name: when and until when (the calendar date, or
// Discord timestamp markup for an exact instant, with how long ago or how
// soon), where, who takes part, what it is, the
// facts about it and the briefings that mention it.
func (r *Router) event(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	name := strings.TrimSpace(q.str(optName))
	if name == "" {
		return nil, userError("Give the name of an event, e.g. /event name:Alaska summit.")
	}
	m, err := r.resolve(ctx, q, briefings.NameEvent, name)
	if err != nil {
		return nil, err
	}
	if m == nil {
		return r.didYouMean(ctx, q, briefings.NameEvent, name)
	}
	ev, note := m.event, m.note
	facts, err := r.lib.Facts(ctx, briefings.FactQuery{GuildID: q.guildID, EventID: ev.ID, Limit: pageFacts + 1})
	if err != nil {
		return nil, fmt.Errorf("facts of event %d: %w", ev.ID, err)
	}
	mentions, total, err := r.lib.BriefingsMentioning(ctx, q.guildID, 0, ev.ID, pageBriefings)
	if err != nil {
		return nil, fmt.Errorf("briefings mentioning event %d: %w", ev.ID, err)
	}

	var desc strings.Builder
	day := today(r.now())
	desc.WriteString("**When:** " + when(ev.Date, day))
	if !ev.End.IsZero() {
		desc.WriteString("\n**Until:** " + when(ev.End, day))
	}
	if ev.Location != "" {
		desc.WriteString("\n**Where:** " + escape(oneLine(ev.Location)))
	}
	if len(ev.Participants) > 0 {
		desc.WriteString("\n**Who:** " + escape(strings.Join(ev.Participants, ", ")))
	}
	if ev.Description != "" {
		desc.WriteString("\n\n" + escape(reflow(ev.Description)))
	}

	cites := r.citations(ctx, q.guildID)
	fs := []*discordgo.MessageEmbedField{
		citedFactsField("Related facts", facts, pageFacts, &cites),
		mentionsField(mentions, total, &cites),
	}
	return message([]*discordgo.MessageEmbed{{
		Title:       ev.Name,
		Description: desc.String(),
		Color:       colorEvent,
		Fields:      fields(fs...),
		Footer:      footer(note),
	}}), nil
}

package commands

import (
	"context"
	"fmt"
	"strings"

	"briefbot/briefings"

	"github.com/bwmarrin/discordgo"
)

// How much one timeline shows: events, and citations after each event.
const (
	timelineEvents = 40
	timelineCites  = 3
)

// timeline answers /timeline [topic] [actor]: dated events in date order,
// each with its date and the briefings that mention it.
func (r *Router) timeline(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	query := briefings.EventQuery{GuildID: q.guildID, Limit: timelineEvents + 1, BriefingsPerEvent: timelineCites}
	var about []string
	if text := strings.TrimSpace(q.str(optTopic)); text != "" {
		m, err := r.resolve(ctx, q, briefings.NameTopic, text)
		if err != nil {
			return nil, err
		}
		if m == nil {
			return r.suggest(ctx, q, briefings.NameTopic, text, false)
		}
		query.Topic = m.topic.Slug
		about = append(about, m.topic.Name)
	}
	if text := strings.TrimSpace(q.str(optActor)); text != "" {
		m, err := r.resolve(ctx, q, briefings.NameActor, text)
		if err != nil {
			return nil, err
		}
		if m == nil {
			return r.suggest(ctx, q, briefings.NameActor, text, false)
		}
		query.ActorID = m.actor.ID
		about = append(about, m.actor.Name)
	}
	events, err := r.lib.Events(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("list events %+v: %w", query, err)
	}
	title := "Timeline"
	if len(about) > 0 {
		title += ": " + strings.Join(about, " · ")
	}
	if len(events) == 0 {
		if len(about) > 0 {
			return nil, userError("The briefings have no dated events on %s yet. Try /timeline without options, or /topics.", escape(strings.Join(about, " with ")))
		}
		return nil, userError("The briefings have no dated events yet.")
	}

	var cites citations
	l := lines{budget: 3800}
	for i, e := range events {
		if i == timelineEvents {
			l.add("…and later events: narrow it with the topic or actor option")
			break
		}
		item := eventWhen(e.Event) + " — **" + escape(e.Name) + "**"
		if e.Location != "" {
			item += " (" + escape(briefings.Truncate(oneLine(e.Location), 60)) + ")"
		}
		var refs []string
		for j, b := range e.Briefings {
			if j == timelineCites {
				break
			}
			refs = append(refs, fmt.Sprintf("[%d]", cites.cite(b)))
		}
		if len(refs) > 0 {
			item += " " + strings.Join(refs, "")
		}
		l.add(item)
	}
	return message([]*discordgo.MessageEmbed{{
		Title:       title,
		Description: l.String(),
		Color:       colorTimeline,
		Fields:      fields(field("Briefings", cites.list(maxFieldValue), false)),
		Footer:      &discordgo.MessageEmbedFooter{Text: "Type /event with a name for details."},
	}}), nil
}

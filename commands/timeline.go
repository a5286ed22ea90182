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
	var actor string
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
		actor = m.actor.Name
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

	cites := r.citations(ctx, q.guildID)
	l := lines{budget: 3800}
	more := len(events) > timelineEvents
	events = events[:min(len(events), timelineEvents)]
	numbers := make([][]int, len(events))
	for i, e := range events {
		item := eventWhen(e.Event) + " — **" + escape(e.Name) + "**"
		if e.Location != "" {
			item += " (" + escape(briefings.Truncate(oneLine(e.Location), 60)) + ")"
		}
		var refs []string
		for j, b := range e.Briefings {
			if j == timelineCites {
				break
			}
			n := cites.cite(b)
			numbers[i] = append(numbers[i], n)
			refs = append(refs, fmt.Sprintf("[%d]", n))
		}
		if len(refs) > 0 {
			item += " " + strings.Join(refs, "")
		}
		l.add(item)
	}
	if more {
		l.add("…and later events: narrow it with the topic or actor option")
	}
	embed := &discordgo.MessageEmbed{
		Title:       title,
		Description: l.String(),
		Color:       colorTimeline,
		Fields:      fields(field("Briefings", cites.list(maxFieldValue), false)),
		Footer:      &discordgo.MessageEmbedFooter{Text: "Type /event with a name for details."},
	}
	resp := message([]*discordgo.MessageEmbed{embed})
	// The picture is a bonus: the list above says everything, so a
	// picture that cannot be drawn is logged and left out.
	file, err := r.timelinePicture(ctx, q, query, title, actor, events, numbers, more)
	if err != nil {
		r.log.Error("timeline picture", "guild", q.guildID, "err", err)
		return resp, nil
	}
	embed.Image = &discordgo.MessageEmbedImage{URL: "attachment://" + TimelineFile}
	resp.Data.Files = []*discordgo.File{file}
	return resp, nil
}

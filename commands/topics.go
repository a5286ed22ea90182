package commands

import (
	"context"
	"fmt"

	"briefbot/briefings"

	"github.com/bwmarrin/discordgo"
)

// topics answers /topics: every topic with published briefings, with how
// many it has and the date of the latest, most recent first.
func (r *Router) topics(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	ts, err := r.lib.Topics(ctx, q.guildID)
	if err != nil {
		return nil, fmt.Errorf("list topics: %w", err)
	}
	if len(ts) == 0 {
		return nil, userError("The library has no published briefings yet, so there are no topics. Ask an admin to import some.")
	}
	l := lines{budget: 3900}
	for _, t := range ts {
		l.add(fmt.Sprintf("**%s** — %s, latest %s", escape(t.Name), plural(t.Count, "briefing", "briefings"), latestDate(t.Latest)))
	}
	return message([]*discordgo.MessageEmbed{{
		Title:       "Topics",
		Description: l.String(),
		Color:       colorBrief,
		Footer:      &discordgo.MessageEmbedFooter{Text: fmt.Sprintf("%s. Type /brief with a topic to read its latest briefing.", plural(len(ts), "topic", "topics"))},
	}}), nil
}

// latestDate renders a topic's latest publication date in words.
func latestDate(d briefings.Date) string {
	if d.IsZero() {
		return "undated"
	}
	return d.Human()
}

package commands

import (
	"context"
	"fmt"
	"strings"

	"briefbot/briefings"

	"github.com/bwmarrin/discordgo"
)

// brief answers /brief [topic]: the newest published briefing, on the topic
// when one is given, with buttons to page through older ones.
func (r *Router) brief(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	text := strings.TrimSpace(q.str(optTopic))
	if text == "" {
		return r.briefAt(ctx, q, nil, 0)
	}
	m, err := r.resolve(ctx, q, briefings.NameTopic, text)
	if err != nil {
		return nil, err
	}
	if m == nil {
		return r.didYouMean(ctx, q, briefings.NameTopic, text)
	}
	resp, err := r.briefAt(ctx, q, m.topic, 0)
	if err == nil && m.note != "" && len(resp.Data.Embeds) > 0 && resp.Data.Embeds[0].Footer != nil {
		resp.Data.Embeds[0].Footer.Text = m.note + " " + resp.Data.Embeds[0].Footer.Text
	}
	return resp, err
}

// briefPage answers a page button: the briefing at offset on the topic with
// the slug (any topic when empty), replacing the message that holds the
// button.
func (r *Router) briefPage(ctx context.Context, q *request, slug string, offset int) (*discordgo.InteractionResponse, error) {
	var topic *briefings.Topic
	if slug != "" {
		t, err := r.lib.Topic(ctx, q.guildID, slug)
		if notFound(err) {
			return nil, userError("The topic of that button no longer exists. Type /topics to see the topics there are.")
		} else if err != nil {
			return nil, fmt.Errorf("find topic %q: %w", slug, err)
		}
		topic = t
	}
	resp, err := r.briefAt(ctx, q, topic, offset)
	if err != nil {
		return nil, err
	}
	resp.Type = discordgo.InteractionResponseUpdateMessage
	return resp, nil
}

// briefAt renders the briefing at offset (0 is the newest) on the topic, or
// on any topic when topic is nil. An offset past the end shows the oldest,
// since the library may have changed since the buttons were made.
func (r *Router) briefAt(ctx context.Context, q *request, topic *briefings.Topic, offset int) (*discordgo.InteractionResponse, error) {
	query := briefings.BriefingQuery{GuildID: q.guildID, Offset: offset, Limit: 1}
	if topic != nil {
		query.Topic = topic.Slug
	}
	bs, total, err := r.lib.Briefings(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("list briefings %+v: %w", query, err)
	}
	if len(bs) == 0 && total > 0 && offset > 0 {
		query.Offset = total - 1
		if bs, total, err = r.lib.Briefings(ctx, query); err != nil {
			return nil, fmt.Errorf("list briefings %+v: %w", query, err)
		}
	}
	if len(bs) == 0 {
		if topic != nil {
			return nil, userError("There are no published briefings on %s yet. Type /topics to see the topics that have some.", escape(topic.Name))
		}
		return nil, userError("The library has no published briefings yet. Ask an admin to import some.")
	}
	offset = query.Offset
	e, marks := briefingEmbed(bs[0], r.seesFactNumbers(ctx, q))
	if u := r.pages(ctx, q.guildID)(briefings.BriefingRef{GuildID: bs[0].GuildID, Slug: bs[0].Slug}); u != "" {
		e.URL = u
	}
	e.Footer = &discordgo.MessageEmbedFooter{Text: briefFooter(topic, offset, total)}
	return message([]*discordgo.MessageEmbed{e}, withMoreFacts(pageButtons(topic, offset, total), bs[0], factsShown(e, marks))...), nil
}

// briefFooter says where the briefing stands among its topic's briefings.
func briefFooter(topic *briefings.Topic, offset, total int) string {
	where := "all topics"
	if topic != nil {
		where = topic.Name
	}
	return fmt.Sprintf("Briefing %d of %d on %s, newest first", offset+1, total, where)
}

// pageButtons returns the Newer and Older buttons, each disabled at its end,
// or nothing when there is only one briefing or the topic's slug is too long
// for a custom ID.
func pageButtons(topic *briefings.Topic, offset, total int) []discordgo.MessageComponent {
	if total < 2 {
		return nil
	}
	slug := ""
	if topic != nil {
		slug = topic.Slug
	}
	newerAt, olderAt := offset-1, offset+1
	// A disabled button still needs an ID unique within the message: point
	// it at the current page, which its twin never does.
	if offset == 0 {
		newerAt = 0
	}
	if olderAt >= total {
		olderAt = offset
	}
	newer, ok1 := customID{kind: idBrief, arg: slug, offset: newerAt}.String()
	older, ok2 := customID{kind: idBrief, arg: slug, offset: olderAt}.String()
	if !ok1 || !ok2 {
		return nil
	}
	return []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Label: "◀ Newer", Style: discordgo.SecondaryButton, CustomID: newer, Disabled: offset == 0},
		discordgo.Button{Label: "Older ▶", Style: discordgo.SecondaryButton, CustomID: older, Disabled: offset+1 >= total},
	}}}
}

// briefingEmbed renders a briefing: linked title, summary, source and date,
// corrections, attributed key facts (numbered for moderators, who edit them
// by number), actors and events, with marks saying where each field of
// facts ends (see factsShown). The fields come in order of importance,
// since fit drops trailing ones first.
func briefingEmbed(b *briefings.Briefing, numbered bool) (*discordgo.MessageEmbed, factMarks) {
	var desc strings.Builder
	desc.WriteString(escape(briefings.Truncate(reflow(b.Summary), 2500)))
	desc.WriteString("\n\n")
	if b.Source.Name != "" || b.Source.URL != "" {
		name := b.Source.Name
		if name == "" {
			name = "Source"
		}
		desc.WriteString("Source: " + link(name, b.Source.URL) + " · ")
	}
	if b.Status == briefings.StatusDraft {
		// a draft is not published: its date is the article's
		desc.WriteString("Not published yet · article dated " + b.Published.Human())
	} else {
		desc.WriteString("Published " + b.Published.Human())
	}
	if len(b.Topics) > 0 {
		desc.WriteString(" · Topics: " + escape(strings.Join(b.Topics, ", ")))
	}

	corrections := lines{budget: maxFieldValue}
	for _, c := range b.Corrections {
		corrections.add(fmt.Sprintf("%s: %s", c.Date.Human(), escape(oneLine(c.Text))))
	}
	var fs []*discordgo.MessageEmbedField
	fs = append(fs, field("Corrections", corrections.String(), false))
	factFs, ends := factFields("Key facts", b.Facts, 0, 3, numbered)
	fs = append(fs, factFs...)
	marks := factMarks{}
	for i, f := range factFs {
		if f != nil {
			marks[f] = ends[i]
		}
	}

	actors := lines{budget: maxFieldValue}
	for _, a := range b.Actors {
		s := "**" + escape(a.Name) + "**"
		if a.Kind != "" {
			s += " (" + string(a.Kind) + ")"
		}
		actors.add(s)
	}
	fs = append(fs, field("Actors", actors.String(), false))

	events := lines{budget: maxFieldValue}
	for _, ev := range b.Events {
		events.add(eventWhen(ev) + " — " + escape(ev.Name))
	}
	fs = append(fs, field("Events", events.String(), false))

	title := b.Title
	if b.Status == briefings.StatusDraft {
		title = clip("Draft: "+b.Title, maxEmbedTitle)
	}
	return &discordgo.MessageEmbed{
		Title:       title,
		URL:         safeURL(b.Source.URL),
		Description: desc.String(),
		Color:       colorBrief,
		Fields:      fields(fs...),
	}, marks
}

// factFields renders facts[from:] with their attributions as bullet lines,
// or numbered lines ("**3.**", counting from the briefing's first fact),
// spread over at most n fields so that no value overruns. It returns the
// fields and, for each, the number of the briefing's facts up to the last
// it shows.
func factFields(name string, facts []briefings.Fact, from, n int, numbered bool) ([]*discordgo.MessageEmbedField, []int) {
	var out []*discordgo.MessageEmbedField
	var ends []int
	title := name
	cur := lines{budget: maxFieldValue}
	shown := from
	for i := from; i < len(facts); i++ {
		item := "• " + factLine(facts[i])
		if numbered {
			item = fmt.Sprintf("**%d.** %s", i+1, factLine(facts[i]))
		}
		if !cur.fits(item) && len(cur.items) > 0 && len(out)+1 < n {
			out = append(out, field(title, cur.String(), false))
			ends = append(ends, shown)
			title = name + " (continued)"
			cur = lines{budget: maxFieldValue}
		}
		if cur.add(item) {
			shown = i + 1
		}
	}
	return append(out, field(title, cur.String(), false)), append(ends, shown)
}

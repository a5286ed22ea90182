package commands

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"briefbot/briefings"

	"github.com/bwmarrin/discordgo"
)

// idFacts is the custom ID kind of the More facts button:
//
//	facts:<briefing-slug>:<n>   the briefing's key facts after the first n
//
// Like every custom ID it carries no authority: the briefing is looked up
// again in the presser's guild, and a draft only for its moderators.
const idFacts = "facts"

// factsPerPage is how many fields of facts one More facts page holds.
const factsPerPage = 5

// seesFactNumbers reports whether the sender moderates where they ask
// (Manage Messages, Administrator or the moderator role, or an operator):
// moderators edit facts by number, so their views number the facts.
func (r *Router) seesFactNumbers(ctx context.Context, q *request) bool {
	m := r.moderator(q)
	if m.Owner {
		return true
	}
	if r.opts.Curator == nil || q.guildID == "" {
		return false
	}
	s, err := r.opts.Curator.Settings(ctx, q.guildID)
	if err != nil {
		r.log.ErrorContext(ctx, "moderator settings failed; facts shown without numbers", "guild", q.guildID, "err", err)
		return false
	}
	return briefings.CanModerate(m, s)
}

// factMarks maps each field of facts of a briefing's embed to the number
// of the briefing's facts up to the last it shows.
type factMarks map[*discordgo.MessageEmbedField]int

// factsShown returns how many of the briefing's facts e shows once it fits
// Discord's limits, which may drop trailing fields of facts from a long
// briefing: the More facts button starts after the last one kept. Call it
// once e is complete (title, footer); fitting again later changes nothing.
func factsShown(e *discordgo.MessageEmbed, marks factMarks) int {
	fitEmbeds([]*discordgo.MessageEmbed{e})
	shown := 0
	for _, f := range e.Fields {
		if n, ok := marks[f]; ok && n > shown {
			shown = n
		}
	}
	return shown
}

// withMoreFacts adds a More facts button to a message's rows when b has
// facts after the first shown, in the first row when it has room.
func withMoreFacts(rows []discordgo.MessageComponent, b *briefings.Briefing, shown int) []discordgo.MessageComponent {
	btn, ok := moreFactsButton(b, shown)
	if !ok {
		return rows
	}
	if len(rows) > 0 {
		if row, isRow := rows[0].(discordgo.ActionsRow); isRow && len(row.Components) < 5 {
			row.Components = append(append([]discordgo.MessageComponent{}, row.Components...), btn)
			return append([]discordgo.MessageComponent{row}, rows[1:]...)
		}
	}
	return append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{btn}})
}

// moreFactsButton is the button that shows b's facts after the first
// shown; ok is false when there are none or the slug is too long for a
// custom ID.
func moreFactsButton(b *briefings.Briefing, shown int) (discordgo.Button, bool) {
	if shown >= len(b.Facts) || b.Slug == "" {
		return discordgo.Button{}, false
	}
	id := idFacts + ":" + b.Slug + ":" + strconv.Itoa(shown)
	if textLen(id) > maxCustomID {
		return discordgo.Button{}, false
	}
	return discordgo.Button{Label: fmt.Sprintf("More facts (%d)", len(b.Facts)-shown), Style: discordgo.SecondaryButton, CustomID: id}, true
}

// factsPage answers the More facts button: privately, the briefing's facts
// from the button's place on, with a button for the rest. Pressed on a
// page it already showed privately, it turns that page.
func (r *Router) factsPage(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	slug, off, ok := strings.Cut(q.arg, ":")
	from, okOff := parseOffset(off)
	if !ok || !okOff || slug == "" || briefings.Slugify(slug) != slug {
		return nil, userError("I don't recognise that button; it may come from an older version of me. Run /brief again.")
	}
	b, err := r.lib.Briefing(ctx, q.guildID, slug)
	if notFound(err) {
		b, err = r.draftFacts(ctx, q, slug)
	}
	if notFound(err) {
		return nil, userError("That briefing is no longer in the library. Run /brief to see the latest.")
	} else if err != nil {
		return nil, err
	}
	if len(b.Facts) == 0 {
		return nil, userError("**%s** has no key facts now.", escape(b.Slug))
	}
	if from >= len(b.Facts) {
		// facts were removed since the button was made: start again
		from = 0
	}
	fs, ends := factFields("Key facts", b.Facts, from, factsPerPage, r.seesFactNumbers(ctx, q))
	shown := ends[len(ends)-1]
	e := &discordgo.MessageEmbed{
		Title:  b.Title,
		URL:    safeURL(b.Source.URL),
		Color:  colorBrief,
		Fields: fields(fs...),
		Footer: &discordgo.MessageEmbedFooter{Text: fmt.Sprintf("Key facts %d–%d of %d", from+1, shown, len(b.Facts))},
	}
	var rows []discordgo.MessageComponent
	if btn, ok := moreFactsButton(b, shown); ok {
		rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{btn}})
	}
	resp := private(message([]*discordgo.MessageEmbed{e}, rows...))
	if m := q.i.Message; m != nil && m.Flags&discordgo.MessageFlagsEphemeral != 0 {
		resp.Type = discordgo.InteractionResponseUpdateMessage
	}
	return resp, nil
}

// draftFacts finds an unpublished briefing for the More facts button of
// a draft's preview, only for those who may curate its library. Returns
// ENOTFOUND for everyone else, as if it did not exist.
func (r *Router) draftFacts(ctx context.Context, q *request, slug string) (*briefings.Briefing, error) {
	gone := briefings.Errorf(briefings.ENOTFOUND, "No briefing %q.", slug)
	if r.opts.Curator == nil {
		return nil, gone
	}
	b, err := r.opts.Curator.BriefingWithStatus(ctx, q.guildID, slug, briefings.StatusDraft)
	if notFound(err) {
		return nil, gone
	} else if err != nil {
		return nil, fmt.Errorf("find draft %q: %w", slug, err)
	}
	if err := r.mayCurate(ctx, q, b.GuildID); err != nil {
		return nil, gone
	}
	return b, nil
}

// completeFactNumber offers the facts of the briefing named in the
// command's briefing option, for /briefing fact edit and remove: "3. The
// start of the fact", with the number as the value, those whose number
// starts with the typed digits or whose text holds the typed words. Only
// those who may curate the briefing see them, as drafts' facts are no one
// else's business.
func (r *Router) completeFactNumber(ctx context.Context, q *request, text string) ([]*discordgo.ApplicationCommandOptionChoice, error) {
	slug := strings.TrimSpace(q.str(optBriefing))
	if slug == "" || r.mayCurate(ctx, q, q.guildID) != nil {
		return nil, nil
	}
	b, err := r.opts.Curator.BriefingWithStatus(ctx, q.guildID, slug)
	if notFound(err) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("find briefing %q: %w", slug, err)
	}
	if r.mayCurate(ctx, q, b.GuildID) != nil {
		return nil, nil
	}
	typed := briefings.Fold(text)
	digits := typed != "" && strings.Trim(typed, "0123456789") == ""
	var byNumber, byText []*discordgo.ApplicationCommandOptionChoice
	for i, f := range b.Facts {
		n := i + 1
		c := &discordgo.ApplicationCommandOptionChoice{Name: clip(fmt.Sprintf("%d. %s", n, oneLine(f.Text)), maxChoiceText), Value: n}
		switch {
		case typed == "" || (digits && strings.HasPrefix(strconv.Itoa(n), typed)):
			byNumber = append(byNumber, c)
		case strings.Contains(briefings.Fold(f.Text), typed):
			byText = append(byText, c)
		}
	}
	out := append(byNumber, byText...)
	if len(out) > maxChoices {
		out = out[:maxChoices]
	}
	return out, nil
}

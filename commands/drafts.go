package commands

import (
	"context"
	"fmt"
	"strings"

	"briefbot/briefings"

	"github.com/bwmarrin/discordgo"
)

// maxDraftsListed is how many drafts /briefing drafts lists.
const maxDraftsListed = 20

// drafts answers /briefing drafts: the library's drafts, newest first, with
// who started each and when, privately.
func (r *Router) drafts(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	if err := r.mayCurate(ctx, q, q.guildID); err != nil {
		return nil, err
	}
	list, total, err := r.opts.Curator.Drafts(ctx, q.guildID, maxDraftsListed)
	if err != nil {
		return nil, fmt.Errorf("drafts: %w", err)
	}
	if total == 0 {
		return Ephemeral("There are no drafts here. Start one with /briefing add."), nil
	}
	l := lines{budget: maxEmbedDesc}
	for _, d := range list {
		l.add(fmt.Sprintf("**%s** · `%s` · started by %s %s · version %d", escape(oneLine(d.Title)), d.Slug,
			who(d.CreatedBy), discordTime(briefings.Date{T: d.CreatedAt, P: briefings.PrecisionTime}, 'R'), d.Version))
	}
	if rest := total - len(l.items); rest > l.dropped {
		l.dropped = rest
	}
	return private(message([]*discordgo.MessageEmbed{{
		Title:       "Drafts (" + fmt.Sprint(total) + ")",
		Description: l.String(),
		Color:       colorHelp,
		Footer:      &discordgo.MessageEmbedFooter{Text: "Only moderators see drafts. To open one, type its title in /briefing edit."},
	}})), nil
}

// curatedLibraries returns the libraries the sender may change: this
// guild's for its moderators, the global one for the operators.
func (r *Router) curatedLibraries(ctx context.Context, q *request) ([]string, error) {
	candidates := []string{q.guildID}
	if q.guildID != "" {
		candidates = append(candidates, "")
	}
	var libs []string
	for _, g := range candidates {
		err := r.mayCurate(ctx, q, g)
		switch code := briefings.ErrorCode(err); {
		case err == nil:
			libs = append(libs, g)
		case code != briefings.EFORBIDDEN && code != briefings.ENOTFOUND:
			return nil, err
		}
	}
	return libs, nil
}

// completeBriefing offers, by title, the briefings the sender may change:
// drafts, published and retracted ones of this guild's library for its
// moderators, and of the global library for the operators. The value is
// the slug the commands take.
func (r *Router) completeBriefing(ctx context.Context, q *request, text string) ([]*discordgo.ApplicationCommandOptionChoice, error) {
	libs, err := r.curatedLibraries(ctx, q)
	if err != nil || len(libs) == 0 {
		return nil, err
	}
	found, err := r.opts.Curator.BriefingsToCurate(ctx, libs, text, maxChoices)
	if err != nil {
		return nil, err
	}
	out := make([]*discordgo.ApplicationCommandOptionChoice, 0, len(found))
	for _, b := range found {
		label := " · " + string(b.Status)
		if b.GuildID == "" && q.guildID != "" {
			label += ", global library"
		}
		name := clip(oneLine(b.Title), maxChoiceText-textLen(label)) + label
		out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: name, Value: b.Slug})
	}
	return out, nil
}

// completeActorOrEvent offers, for /briefing actor and /briefing event,
// the actors or events the sender may change, drafts' too.
func (r *Router) completeActorOrEvent(ctx context.Context, q *request, text string) ([]*discordgo.ApplicationCommandOptionChoice, error) {
	libs, err := r.curatedLibraries(ctx, q)
	if err != nil || len(libs) == 0 {
		return nil, err
	}
	mine := map[string]bool{}
	for _, g := range libs {
		mine[g] = true
	}
	var names []string
	if strings.HasPrefix(q.sub, "event ") {
		found, err := r.opts.Curator.FindEventsToCurate(ctx, q.guildID, text, 3*maxChoices)
		if err != nil {
			return nil, err
		}
		for _, e := range found {
			if mine[e.GuildID] {
				names = append(names, e.Name)
			}
		}
	} else {
		found, err := r.opts.Curator.FindActorsToCurate(ctx, q.guildID, text, 3*maxChoices)
		if err != nil {
			return nil, err
		}
		for _, a := range found {
			if mine[a.GuildID] {
				names = append(names, a.Name)
			}
		}
	}
	return choices(names), nil
}

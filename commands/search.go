package commands

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"briefbot/briefings"

	"github.com/bwmarrin/discordgo"
)

// searchHits caps the hits one search shows.
const searchHits = 10

// search answers /search query: ranked briefings and facts with the matched
// words in bold.
func (r *Router) search(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	text := strings.TrimSpace(q.str(optQuery))
	if !hasWord(text) {
		return nil, userError("Type some words to search for, e.g. /search query:Kursk troops.")
	}
	hits, err := r.lib.Search(ctx, briefings.SearchQuery{GuildID: q.guildID, Text: text, Limit: searchHits})
	if err != nil {
		if briefings.ErrorCode(err) == briefings.EINVALID {
			return nil, err
		}
		return nil, fmt.Errorf("search %q: %w", text, err)
	}
	if len(hits) == 0 {
		return nil, userError("Nothing in the briefings matches “%s”. Try fewer or different words, /ask with a question, or /topics to browse.", escape(briefings.Truncate(oneLine(text), 100)))
	}
	l := lines{budget: 3900}
	page := r.pages(ctx, q.guildID)
	for i, h := range hits {
		l.add(fmt.Sprintf("**%d.** %s", i+1, hitLine(h, page(h.Briefing))))
	}
	return message([]*discordgo.MessageEmbed{{
		Title:       "Search: " + oneLine(text),
		Description: l.String(),
		Color:       colorSearch,
		Footer:      &discordgo.MessageEmbedFooter{Text: "Best matches first. For an answer with sources, try /ask."},
	}}), nil
}

// hitLine renders one search hit: what matched, with its snippet and
// where it comes from, its title linked to page, the briefing's page in
// the reading room, when there is one.
func hitLine(h briefings.SearchHit, page string) string {
	snippet := highlight(briefings.Truncate(h.Snippet, 400))
	switch h.Kind {
	case briefings.HitFact:
		s := "Fact: " + snippet
		if h.Attribution != "" {
			s += " — " + escape(oneLine(h.Attribution))
		}
		return s + "\n   from " + citedLine(h.Briefing, page)
	case briefings.HitActor:
		return "Actor: **" + escape(h.Title) + "** — " + snippet + " (see /actor)"
	case briefings.HitEvent:
		return "Event: **" + escape(h.Title) + "** — " + snippet + " (see /event)"
	}
	return citedLine(h.Briefing, page) + "\n   " + snippet
}

// hasWord reports whether s holds a letter or digit, the least a search
// needs.
func hasWord(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}

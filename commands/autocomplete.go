package commands

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"briefbot/briefings"

	"github.com/bwmarrin/discordgo"
)

// completedOptions says which kind of name each autocompleting option of
// each command draws from.
var completedOptions = map[string]map[string]briefings.NameKind{
	cmdBrief:    {optTopic: briefings.NameTopic},
	cmdActor:    {optName: briefings.NameActor},
	cmdEvent:    {optName: briefings.NameEvent},
	cmdTimeline: {optTopic: briefings.NameTopic, optActor: briefings.NameActor},
}

// autocomplete answers an autocomplete request for the focused option with
// at most 25 matching names, best first. Failures give no choices rather
// than an error, since Discord shows none anyway.
func (r *Router) autocomplete(ctx context.Context, q *request) *discordgo.InteractionResponse {
	var focused *discordgo.ApplicationCommandInteractionDataOption
	for _, o := range q.opts {
		if o.Focused {
			focused = o
			break
		}
	}
	if focused == nil {
		return autocompleteResult(nil)
	}
	if c, ok := r.completers[q.command+" "+focused.Name]; ok {
		// Discord sends what is typed so far as a string, even in an
		// integer option; take a number as its digits all the same.
		text, _ := focused.Value.(string)
		if v, ok := focused.Value.(float64); ok {
			text = strconv.FormatFloat(v, 'f', -1, 64)
		}
		choices, err := c(ctx, q, strings.TrimSpace(text))
		if err != nil {
			r.log.ErrorContext(ctx, "autocomplete failed", "error_id", ErrorID(), "command", q.command,
				"option", focused.Name, "guild", q.guildID, "err", err)
			choices = nil
		}
		return choiceResult(choices)
	}
	kind, ok := completedOptions[q.command][focused.Name]
	if !ok {
		return autocompleteResult(nil)
	}
	text, _ := focused.Value.(string)
	names, err := r.completeNamesCached(ctx, q, fmt.Sprint(kind), func() ([]string, error) {
		return r.completeNames(ctx, q, kind, strings.TrimSpace(text))
	})
	if err != nil {
		r.log.ErrorContext(ctx, "autocomplete failed", "error_id", ErrorID(), "command", q.command,
			"option", focused.Name, "guild", q.guildID, "err", err)
		return autocompleteResult(nil)
	}
	return autocompleteResult(names)
}

// completeNames returns at most maxChoices names of the kind that match
// text by prefix or part, best first; when none do, the canonical names
// within typing distance of it ("Putn" offers Vladimir Putin), one for each
// actor, event or topic.
func (r *Router) completeNames(ctx context.Context, q *request, kind briefings.NameKind, text string) ([]string, error) {
	names, err := r.lib.CompleteNames(ctx, q.guildID, kind, text, maxChoices)
	if err != nil || len(names) > 0 || briefings.Fold(text) == "" || kind == briefings.NameBriefing {
		return names, err
	}
	known, err := r.lib.KnownNames(ctx, q.guildID, kind)
	if err != nil {
		return nil, err
	}
	return closestKnown(text, known, maxChoices), nil
}

// completeTopics offers the topics matching text that the guild sees and
// has published briefings on (in direct messages, the global library's).
func (r *Router) completeTopics(ctx context.Context, q *request, text string) ([]*discordgo.ApplicationCommandOptionChoice, error) {
	names, err := r.completeNames(ctx, q, briefings.NameTopic, text)
	return autocompleteResult(names).Data.Choices, err
}

// choiceResult answers autocomplete with ready-made choices, keeping at
// most 25 whose names and values fit Discord's limits.
func choiceResult(in []*discordgo.ApplicationCommandOptionChoice) *discordgo.InteractionResponse {
	choices := []*discordgo.ApplicationCommandOptionChoice{}
	for _, c := range in {
		if c == nil || textLen(c.Name) > maxChoiceText || textLen(c.Name) == 0 {
			continue
		}
		if v, ok := c.Value.(string); ok && (textLen(v) > maxChoiceText || v == "") {
			continue
		}
		choices = append(choices, c)
		if len(choices) == maxChoices {
			break
		}
	}
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: choices, AllowedMentions: noMentions()},
	}
}

// autocompleteResult turns names into choices whose value is the name
// itself, dropping repeats and names too long to be a choice value.
func autocompleteResult(names []string) *discordgo.InteractionResponse {
	choices := []*discordgo.ApplicationCommandOptionChoice{}
	seen := map[string]bool{}
	for _, n := range names {
		key := briefings.Fold(n)
		if key == "" || seen[key] || textLen(n) > maxChoiceText {
			continue
		}
		seen[key] = true
		choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: n, Value: n})
		if len(choices) == maxChoices {
			break
		}
	}
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: choices, AllowedMentions: noMentions()},
	}
}

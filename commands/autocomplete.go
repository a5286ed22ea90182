package commands

import (
	"context"
	"fmt"
	"strings"
	"unicode"

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
		text, _ := focused.Value.(string)
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
	names, err := r.lib.CompleteNames(ctx, q.guildID, kind, strings.TrimSpace(text), maxChoices)
	if err != nil {
		r.log.ErrorContext(ctx, "autocomplete failed", "error_id", ErrorID(), "command", q.command,
			"option", focused.Name, "guild", q.guildID, "err", err)
		return autocompleteResult(nil)
	}
	return autocompleteResult(names)
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

// kindNoun names a kind of name for people.
var kindNoun = map[briefings.NameKind]string{
	briefings.NameActor:    "actor",
	briefings.NameEvent:    "event",
	briefings.NameTopic:    "topic",
	briefings.NameBriefing: "briefing",
}

// suggestionID is the custom ID kind of a suggestion button for each kind of
// name.
var suggestionID = map[briefings.NameKind]string{
	briefings.NameActor: idActor,
	briefings.NameEvent: idEvent,
	briefings.NameTopic: idTopic,
}

// didYouMean answers a name the library doesn't know: the closest names it
// does know, as buttons that run the command for them, or when nothing is
// close, a few names that exist and where to find the rest.
func (r *Router) didYouMean(ctx context.Context, q *request, kind briefings.NameKind, text string) (*discordgo.InteractionResponse, error) {
	return r.suggest(ctx, q, kind, text, true)
}

// suggest is didYouMean with or without buttons: a command with several
// names to fill (like /timeline) lists the suggestions instead.
func (r *Router) suggest(ctx context.Context, q *request, kind briefings.NameKind, text string, buttons bool) (*discordgo.InteractionResponse, error) {
	names, err := r.lib.Names(ctx, q.guildID, kind)
	if err != nil {
		return nil, fmt.Errorf("list %s names: %w", kind, err)
	}
	noun := kindNoun[kind]
	head := fmt.Sprintf("I don't know %s %s called “%s”.", article(noun), noun, escape(briefings.Truncate(oneLine(text), 100)))
	close := distinctNames(briefings.Closest(text, names, 8), 5)
	if len(close) > 0 {
		quoted := make([]string, len(close))
		for i, n := range close {
			quoted[i] = "**" + escape(n) + "**"
		}
		msg := head + " Did you mean " + orList(quoted) + "?"
		var row []discordgo.MessageComponent
		if buttons {
			for _, n := range close {
				if id, ok := (customID{kind: suggestionID[kind], arg: n}).String(); ok && cleanName(n) {
					row = append(row, discordgo.Button{Label: n, Style: discordgo.PrimaryButton, CustomID: id})
				}
			}
		}
		resp := Ephemeral(msg)
		if len(row) > 0 {
			resp.Data.Content += " Press one to see it."
			resp.Data.Components = []discordgo.MessageComponent{discordgo.ActionsRow{Components: row}}
		}
		return resp, nil
	}
	if len(names) == 0 {
		return Ephemeral(fmt.Sprintf("%s The library has no %ss yet.", head, noun)), nil
	}
	some := distinctNames(names, 5)
	quoted := make([]string, 0, len(some))
	for _, n := range some {
		quoted = append(quoted, "**"+escape(n)+"**")
	}
	msg := head + " Some I know: " + strings.Join(quoted, ", ") + "."
	if kind == briefings.NameTopic {
		msg += " Type /topics to see them all."
	} else {
		msg += " Start typing in the option to see the names that match."
	}
	return Ephemeral(msg), nil
}

// distinctNames keeps the first of names that differ only in punctuation
// ("Kim Jong Un", "Kim Jong-un"), at most n of them.
func distinctNames(names []string, n int) []string {
	seen := map[string]bool{}
	var out []string
	for _, name := range names {
		key := strings.Map(func(r rune) rune {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				return r
			}
			return -1
		}, briefings.Fold(name))
		if !seen[key] && len(out) < n {
			seen[key] = true
			out = append(out, name)
		}
	}
	return out
}

// article returns "an" before a vowel and "a" otherwise.
func article(noun string) string {
	if noun != "" && strings.ContainsRune("aeiou", rune(noun[0])) {
		return "an"
	}
	return "a"
}

// orList joins items as "a", "a or b", "a, b or c".
func orList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

package commands

import (
	"context"
	"strings"

	"briefbot/briefings"

	"github.com/bwmarrin/discordgo"
)

// completeDays offers schedules for the days option: what the text reads
// as so far, then the common choices, completing the last day of a list
// ("mon,th" offers "mon,thursday").
func completeDays(_ context.Context, _ *request, text string) ([]*discordgo.ApplicationCommandOptionChoice, error) {
	var out []*discordgo.ApplicationCommandOptionChoice
	seen := map[string]bool{}
	add := func(typed string) {
		d, err := briefings.ParseDays(typed)
		if err != nil || seen[string(d)] {
			return
		}
		seen[string(d)] = true
		name := string(d)
		if h := d.Human(); !strings.EqualFold(h, "on "+name+"s") {
			name += " — " + h
		}
		out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: clip(name, maxChoiceText), Value: string(d)})
	}
	if text != "" {
		add(text)
	}
	head, last := "", strings.ToLower(text)
	if i := strings.LastIndexAny(last, ", "); i >= 0 {
		head, last = text[:i+1], strings.TrimSpace(last[i+1:])
	}
	for _, d := range briefings.DayChoices {
		if strings.HasPrefix(string(d), last) {
			add(head + string(d))
		}
	}
	return out, nil
}

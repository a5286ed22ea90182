package commands

import (
	"strings"
	"unicode/utf16"

	"briefbot/briefings"

	"github.com/bwmarrin/discordgo"
)

// Discord's limits on a message and its parts. Lengths are counted in
// UTF-16 code units, as Discord's JavaScript clients count them: a character
// outside the Basic Multilingual Plane (most emoji) counts twice. Counting
// that way never exceeds a limit Discord counts in runes.
const (
	maxContent     = 2000
	maxEmbeds      = 10
	maxEmbedTitle  = 256
	maxEmbedDesc   = 4096
	maxFields      = 25
	maxFieldName   = 256
	maxFieldValue  = 1024
	maxFooter      = 2048
	maxAuthor      = 256
	maxEmbedsTotal = 6000
	maxChoices     = 25
	maxChoiceText  = 100
	maxRows        = 5
	maxRowItems    = 5
	maxButtonLabel = 80
	maxCustomID    = 100
)

// textLen counts s in UTF-16 code units.
func textLen(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r) // an invalid byte is sent as U+FFFD: one unit
	}
	return n
}

// clip shortens s to at most max UTF-16 code units, cutting on a character
// boundary and ending with "…" when it cuts.
func clip(s string, max int) string {
	if textLen(s) <= max {
		return s
	}
	// keep the longest prefix that leaves one unit for the "…"
	keep, used := 0, 0
	for _, r := range s {
		u := utf16.RuneLen(r)
		if used+u > max-1 {
			break
		}
		used += u
		keep++
	}
	if max <= 0 {
		return ""
	}
	return briefings.Truncate(s, keep+1)
}

// fit makes resp acceptable to Discord whatever the handlers put in it:
// every text within its limit (clipped with "…"), at most 10 embeds and 25
// fields each, trailing fields dropped while all embeds together are over
// 6,000 characters, no empty field, at most 25 autocomplete choices, at most
// five rows of five components with valid custom IDs, and mentions disabled.
// A nil resp becomes an apology-free notice rather than a blank.
func fit(resp *discordgo.InteractionResponse) *discordgo.InteractionResponse {
	if resp == nil {
		return Ephemeral("I had nothing to say to that. Type /help to see what I can do.")
	}
	if resp.Type == discordgo.InteractionResponsePong {
		return resp
	}
	if resp.Type == discordgo.InteractionResponseModal {
		return fitModal(resp)
	}
	if resp.Data == nil {
		resp.Data = &discordgo.InteractionResponseData{}
	}
	d := resp.Data
	d.AllowedMentions = noMentions()
	d.Content = clip(d.Content, maxContent)
	if len(d.Choices) > maxChoices {
		d.Choices = d.Choices[:maxChoices]
	}
	for _, c := range d.Choices {
		c.Name = clip(c.Name, maxChoiceText)
		if s, ok := c.Value.(string); ok {
			c.Value = clip(s, maxChoiceText)
		}
	}
	d.Embeds = fitEmbeds(d.Embeds)
	d.Components = fitComponents(d.Components)
	isMessage := resp.Type == discordgo.InteractionResponseChannelMessageWithSource ||
		resp.Type == discordgo.InteractionResponseUpdateMessage
	if isMessage && d.Content == "" && len(d.Embeds) == 0 {
		d.Content = "Nothing to show."
	}
	if isMessage && d.Components == nil {
		// an empty list, not null: an updated message loses stale buttons
		d.Components = []discordgo.MessageComponent{}
	}
	return resp
}

// fitEmbeds clips every embed's parts and keeps the total within limits.
func fitEmbeds(embeds []*discordgo.MessageEmbed) []*discordgo.MessageEmbed {
	out := embeds[:0]
	for _, e := range embeds {
		if e != nil {
			out = append(out, e)
		}
	}
	if len(out) > maxEmbeds {
		out = out[:maxEmbeds]
	}
	for _, e := range out {
		e.Title = clip(e.Title, maxEmbedTitle)
		e.Description = clip(e.Description, maxEmbedDesc)
		if e.Footer != nil {
			e.Footer.Text = clip(e.Footer.Text, maxFooter)
		}
		if e.Author != nil {
			e.Author.Name = clip(e.Author.Name, maxAuthor)
		}
		kept := e.Fields[:0]
		for _, f := range e.Fields {
			if f == nil {
				continue
			}
			f.Name = clip(strings.TrimSpace(f.Name), maxFieldName)
			f.Value = clip(strings.TrimSpace(f.Value), maxFieldValue)
			if f.Name == "" {
				f.Name = "\u200b"
			}
			if f.Value == "" {
				continue
			}
			kept = append(kept, f)
		}
		if len(kept) > maxFields {
			kept = kept[:maxFields]
		}
		e.Fields = kept
	}
	// Over the total: drop trailing fields, last embed first, then whole
	// trailing embeds (keeping the first), then shorten descriptions.
	over := embedsLen(out) - maxEmbedsTotal
	for i := len(out) - 1; i >= 0 && over > 0; i-- {
		e := out[i]
		for len(e.Fields) > 0 && over > 0 {
			f := e.Fields[len(e.Fields)-1]
			over -= textLen(f.Name) + textLen(f.Value)
			e.Fields = e.Fields[:len(e.Fields)-1]
		}
	}
	for len(out) > 1 && over > 0 {
		over -= embedsLen(out[len(out)-1:])
		out = out[:len(out)-1]
	}
	for i := len(out) - 1; i >= 0 && over > 0; i-- {
		e := out[i]
		n := textLen(e.Description)
		e.Description = clip(e.Description, max(n-over, 0))
		over -= n - textLen(e.Description)
	}
	return out
}

// embedsLen counts the characters Discord counts towards the 6,000 total.
func embedsLen(embeds []*discordgo.MessageEmbed) int {
	n := 0
	for _, e := range embeds {
		n += textLen(e.Title) + textLen(e.Description)
		for _, f := range e.Fields {
			n += textLen(f.Name) + textLen(f.Value)
		}
		if e.Footer != nil {
			n += textLen(e.Footer.Text)
		}
		if e.Author != nil {
			n += textLen(e.Author.Name)
		}
	}
	return n
}

// fitComponents keeps at most five action rows of five items, clips button
// labels and drops buttons whose custom ID is too long or repeated.
func fitComponents(cs []discordgo.MessageComponent) []discordgo.MessageComponent {
	seen := map[string]bool{}
	var out []discordgo.MessageComponent
	for _, c := range cs {
		row, ok := asRow(c)
		if !ok {
			continue
		}
		var items []discordgo.MessageComponent
		for _, it := range row.Components {
			b, ok := asButton(it)
			if !ok {
				continue
			}
			b.Label = clip(b.Label, maxButtonLabel)
			if b.Style != discordgo.LinkButton {
				if b.CustomID == "" || textLen(b.CustomID) > maxCustomID || seen[b.CustomID] {
					continue
				}
				seen[b.CustomID] = true
			}
			items = append(items, b)
			if len(items) == maxRowItems {
				break
			}
		}
		if len(items) > 0 {
			out = append(out, discordgo.ActionsRow{Components: items})
		}
		if len(out) == maxRows {
			break
		}
	}
	return out
}

// asRow accepts an action row by value or pointer.
func asRow(c discordgo.MessageComponent) (discordgo.ActionsRow, bool) {
	switch v := c.(type) {
	case discordgo.ActionsRow:
		return v, true
	case *discordgo.ActionsRow:
		if v != nil {
			return *v, true
		}
	}
	return discordgo.ActionsRow{}, false
}

// asButton accepts a button by value or pointer.
func asButton(c discordgo.MessageComponent) (discordgo.Button, bool) {
	switch v := c.(type) {
	case discordgo.Button:
		return v, true
	case *discordgo.Button:
		if v != nil {
			return *v, true
		}
	}
	return discordgo.Button{}, false
}

package commands

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"briefbot/briefings"

	"github.com/bwmarrin/discordgo"
)

// colorDigest is the colour of digest embeds.
const colorDigest = 0xb7791f

// Budgets that keep a digest message inside Discord's limits with room for
// titles and footers: a section's text per embed, and all embeds of one
// message together.
const (
	digestEmbedBudget   = 3800
	digestMessageBudget = 5600
)

// DigestMessages renders a digest as the messages to post, in order. A long
// digest is split across several messages, each within Discord's limits
// (10 embeds, 6,000 characters of embeds, 4,096 per description), and each
// part says which it is. An empty digest renders as no messages.
func DigestMessages(d *briefings.Digest) []*discordgo.MessageSend {
	if d == nil || d.Empty() {
		return nil
	}
	type section struct {
		title string
		items []string
	}
	var secs []section
	add := func(title string, items []string) {
		if len(items) > 0 {
			secs = append(secs, section{title, items})
		}
	}
	var items []string
	for _, b := range d.Published {
		items = append(items, digestBriefing(b))
	}
	add("New briefings", items)
	items = nil
	for _, c := range d.Corrected {
		s := digestTitle(c.Briefing)
		for _, cr := range c.Corrections {
			s += "\n> Correction, " + cr.Date.Human() + ": " + escape(briefings.Truncate(oneLine(cr.Text), 400))
		}
		items = append(items, s)
	}
	add("Corrections", items)
	items = nil
	for _, b := range d.Retracted {
		s := digestTitle(b) + " — **retracted**"
		if b.RetractionReason != "" {
			s += ": " + escape(briefings.Truncate(oneLine(b.RetractionReason), 400))
		}
		items = append(items, s)
	}
	add("Retracted", items)
	items = nil
	for _, b := range d.Updated {
		items = append(items, digestTitle(b)+" (version "+strconv.Itoa(b.Version)+")")
	}
	add("Updated", items)
	items = nil
	for _, e := range d.Upcoming {
		s := eventWhen(e.Event) + " — **" + escape(oneLine(e.Name)) + "**"
		if e.Location != "" {
			s += ", " + escape(briefings.Truncate(oneLine(e.Location), 80))
		}
		items = append(items, s)
	}
	add("Coming up in the next 7 days", items)

	// Pack the sections into embeds and the embeds into messages.
	var msgs [][]*discordgo.MessageEmbed
	var cur []*discordgo.MessageEmbed
	used := 0
	flush := func() {
		if len(cur) > 0 {
			msgs = append(msgs, cur)
			cur, used = nil, 0
		}
	}
	push := func(e *discordgo.MessageEmbed) {
		n := textLen(e.Title) + textLen(e.Description) + 60 // room for the footer
		if len(cur) == maxEmbeds || used+n > digestMessageBudget {
			flush()
		}
		cur = append(cur, e)
		used += n
	}
	for _, s := range secs {
		var b strings.Builder
		title := s.title
		for _, it := range s.items {
			it = clip(it, digestEmbedBudget)
			if b.Len() > 0 && textLen(b.String())+1+textLen(it) > digestEmbedBudget {
				push(&discordgo.MessageEmbed{Title: title, Description: b.String(), Color: colorDigest})
				b.Reset()
				title = s.title + " (continued)"
			}
			if b.Len() > 0 {
				b.WriteString("\n")
			}
			b.WriteString(it)
		}
		push(&discordgo.MessageEmbed{Title: title, Description: b.String(), Color: colorDigest})
	}
	flush()

	header := digestHeader(d)
	out := make([]*discordgo.MessageSend, len(msgs))
	for i, embeds := range msgs {
		content := header
		if len(msgs) > 1 {
			content += fmt.Sprintf(" (part %d of %d)", i+1, len(msgs))
		}
		embeds[len(embeds)-1].Footer = &discordgo.MessageEmbedFooter{Text: "Type /digest to preview the next one, /subscriptions to change when it comes."}
		out[i] = &discordgo.MessageSend{Content: clip(content, maxContent), Embeds: embeds, AllowedMentions: noMentions()}
	}
	return out
}

// digestHeader introduces a digest: its topic and period.
func digestHeader(d *briefings.Digest) string {
	return fmt.Sprintf("📰 **%s** — what's new since <t:%d:f>", escape(oneLine(d.Topic.Name)), d.Since.Unix())
}

// NothingNewMessage is the one-line notice sent, when a subscription asks
// for it, instead of an empty digest.
func NothingNewMessage(topicName string, since time.Time) *discordgo.MessageSend {
	return &discordgo.MessageSend{
		Content:         fmt.Sprintf("📰 Nothing new on **%s** since <t:%d:f>.", escape(oneLine(topicName)), since.Unix()),
		AllowedMentions: noMentions(),
	}
}

// digestTitle is a briefing's linked title with its date and source.
func digestTitle(b *briefings.Briefing) string {
	return "**" + link(briefings.Truncate(oneLine(b.Title), 150), b.Source.URL) + "** · " + b.Published.Human() + sourceSuffix(b.Source.Name)
}

func sourceSuffix(name string) string {
	if name == "" {
		return ""
	}
	return " · " + escape(oneLine(name))
}

// digestBriefing is a new briefing: its title line and a short summary.
func digestBriefing(b *briefings.Briefing) string {
	return digestTitle(b) + "\n" + escape(briefings.Truncate(oneLine(b.Summary), 300))
}

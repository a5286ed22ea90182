package commands

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"briefbot/briefings"

	"github.com/bwmarrin/discordgo"
)

// Embed colours, one per kind of answer, so a channel can tell them apart.
const (
	colorBrief    = 0x2b6cb0
	colorActor    = 0x6b46c1
	colorEvent    = 0xc05621
	colorTimeline = 0x2f855a
	colorSearch   = 0x4a5568
	colorAsk      = 0x2c7a7b
	colorHelp     = 0x718096
)

// message returns a public reply holding the embeds and components.
func message(embeds []*discordgo.MessageEmbed, components ...discordgo.MessageComponent) *discordgo.InteractionResponse {
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{
			Embeds:          embeds,
			Components:      components,
			AllowedMentions: noMentions(),
		},
	}
}

// private makes a response visible only to the user who asked.
func private(resp *discordgo.InteractionResponse) *discordgo.InteractionResponse {
	resp.Data.Flags |= discordgo.MessageFlagsEphemeral
	return resp
}

// markdownSpecial are the characters Discord reads as formatting anywhere in
// a line; a backslash in front shows them literally.
const markdownSpecial = "\\*_~`|[]"

// escapes marks the bytes of markdownSpecial (all ASCII, so they never
// occur inside a multi-byte character).
var escapes = func() (t [256]bool) {
	for i := 0; i < len(markdownSpecial); i++ {
		t[markdownSpecial[i]] = true
	}
	return t
}()

// escape makes library or user text show literally in Discord markdown:
// emphasis, code, spoilers and masked links are escaped everywhere, and
// quotes, headings and list markers at the start of a line. Mentions such as
// @everyone stay readable; allowed_mentions keeps them inert. Control
// characters and bidirectional controls, which a member can type, show as
// escapes ("\x1b", "\u202e"). Text with nothing to escape, most of it, comes
// back as it is.
func escape(s string) string {
	s = briefings.EscapeControl(s) // "\x1b" then shows as typed, backslash and all
	first := -1
	lineStart := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if escapes[c] || (lineStart && (c == '>' || c == '#' || c == '-')) {
			first = i
			break
		}
		lineStart = c == '\n' || (lineStart && (c == ' ' || c == '\t'))
	}
	if first < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:first])
	for i := first; i < len(s); i++ {
		c := s[i]
		if escapes[c] || (lineStart && (c == '>' || c == '#' || c == '-')) {
			b.WriteByte('\\')
		}
		b.WriteByte(c)
		lineStart = c == '\n' || (lineStart && (c == ' ' || c == '\t'))
	}
	return b.String()
}

// oneLine collapses newlines so that a value fits a list item.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// reflow joins the lines of each paragraph, so that text wrapped in a
// YAML file flows in Discord, which shows every newline; blank lines still
// separate paragraphs.
func reflow(s string) string {
	paras := strings.Split(strings.ReplaceAll(strings.TrimSpace(s), "\r\n", "\n"), "\n\n")
	out := paras[:0]
	for _, p := range paras {
		if p = oneLine(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "\n\n")
}

// highlight turns a snippet's HighlightOpen/HighlightClose markers into
// Discord bold and escapes everything else. Unbalanced markers are dropped.
func highlight(snippet string) string {
	var b strings.Builder
	rest := oneLine(snippet)
	for rest != "" {
		open := strings.Index(rest, briefings.HighlightOpen)
		if open < 0 {
			b.WriteString(escape(stripMarkers(rest)))
			break
		}
		b.WriteString(escape(stripMarkers(rest[:open])))
		rest = rest[open+len(briefings.HighlightOpen):]
		end := strings.Index(rest, briefings.HighlightClose)
		if end < 0 {
			b.WriteString(escape(stripMarkers(rest)))
			break
		}
		if word := stripMarkers(rest[:end]); strings.TrimSpace(word) != "" {
			b.WriteString("**" + escape(word) + "**")
		}
		rest = rest[end+len(briefings.HighlightClose):]
	}
	return b.String()
}

// markers removes highlight markers; urlEnd percent-encodes what would end
// a markdown link. A Replacer builds its tables on first use, so each is
// made once rather than on every call.
var (
	markers = strings.NewReplacer(briefings.HighlightOpen, "", briefings.HighlightClose, "")
	urlEnd  = strings.NewReplacer("(", "%28", ")", "%29", " ", "%20", "<", "%3C", ">", "%3E")
)

// stripMarkers removes highlight markers.
func stripMarkers(s string) string { return markers.Replace(s) }

// safeURL returns u when it is an http(s) URL, with the characters that
// would end a markdown link percent-encoded, or "" otherwise.
func safeURL(u string) string {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return ""
	}
	s := p.String()
	if len(s) > 2000 {
		return ""
	}
	return urlEnd.Replace(s)
}

// link renders text as a masked link to u, or as plain escaped text when u
// is not a usable URL.
func link(text, u string) string {
	if su := safeURL(u); su != "" {
		return "[" + escape(text) + "](" + su + ")"
	}
	return escape(text)
}

// discordTime renders an instant in Discord's timestamp markup style
// (D date, f and F date and time, R relative). Discord shows it in each
// reader's own time zone, so it suits only instants: a date without a time
// of day is shown as its calendar date (briefings.Date.Human).
func discordTime(d briefings.Date, style byte) string {
	return "<t:" + strconv.FormatInt(d.T.Unix(), 10) + ":" + string(style) + ">"
}

// when renders a date for people with how far it lies from the calendar
// date from (see today). An exact instant is Discord timestamp markup, which
// every reader sees in their own zone. A day, a month or a year is the
// calendar date it is ("15 August 2025", "April 2025", "2024"), the same for
// every reader, with a relative phrase computed from calendar dates.
func when(d, from briefings.Date) string {
	switch d.P {
	case briefings.PrecisionNone:
		return "date unknown"
	case briefings.PrecisionTime:
		return discordTime(d, 'F') + " (" + discordTime(d, 'R') + ")"
	}
	return d.Human() + " (" + d.Relative(from) + ")"
}

// today is the calendar date relative phrases count from: now's date in
// UTC. Every reader, whatever their zone, gets the same phrase for the same
// date, in step with the UTC calendar the library's dates are kept in.
func today(now time.Time) briefings.Date { return briefings.DateFromTime(now) }

// shortWhen renders a date in list items: an exact instant as Discord date
// markup (the reader's own date of that instant), anything less precise as
// its calendar date.
func shortWhen(d briefings.Date) string {
	switch d.P {
	case briefings.PrecisionNone:
		return "undated"
	case briefings.PrecisionTime:
		return discordTime(d, 'D')
	}
	return d.Human()
}

// eventWhen renders an event's dates in list items: its start, or the span
// to its end when it has one ("15–16 August 2025").
func eventWhen(e briefings.Event) string {
	switch {
	case e.End.IsZero():
		return shortWhen(e.Date)
	case e.Date.P == briefings.PrecisionTime || e.End.P == briefings.PrecisionTime:
		return shortWhen(e.Date) + " – " + shortWhen(e.End)
	}
	return e.Date.Span(e.End)
}

// plural returns "1 briefing" or "3 briefings".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// lines collects list items up to a budget in characters, then says how
// many more there were, so a list never overruns its field.
type lines struct {
	budget  int
	used    int
	items   []string
	dropped int
}

// add appends item when it fits in the budget and counts it as dropped
// otherwise. It reports whether the item was kept.
func (l *lines) add(item string) bool {
	if len(l.items) == 0 && l.dropped == 0 {
		// a first item longer than the whole budget is shortened, not lost
		item = clip(item, l.budget-25)
	}
	if !l.fits(item) {
		l.dropped++
		return false
	}
	l.items = append(l.items, item)
	l.used += textLen(item) + 1
	return true
}

// fits reports whether item would be kept, leaving room for the
// "…and N more" line. Once an item is dropped, later ones are too, so the
// list keeps its order.
func (l *lines) fits(item string) bool {
	return l.dropped == 0 && l.used+textLen(item)+1 <= l.budget-24
}

// String joins the items one a line.
func (l *lines) String() string {
	s := strings.Join(l.items, "\n")
	if l.dropped > 0 {
		s += fmt.Sprintf("\n…and %d more", l.dropped)
	}
	return s
}

// field returns an embed field, or nil when there is nothing to show.
func field(name, value string, inline bool) *discordgo.MessageEmbedField {
	if strings.TrimSpace(value) == "" {
		return nil
	}
	return &discordgo.MessageEmbedField{Name: name, Value: value, Inline: inline}
}

// fields drops the nil entries.
func fields(fs ...*discordgo.MessageEmbedField) []*discordgo.MessageEmbedField {
	out := fs[:0]
	for _, f := range fs {
		if f != nil {
			out = append(out, f)
		}
	}
	return out
}

// citations numbers the briefings an answer cites, in order of first use.
type citations struct {
	refs  []briefings.BriefingRef
	index map[string]int
	// page, when set, is the reading room's page of a briefing, or "".
	page func(briefings.BriefingRef) string
}

// cite returns the citation number of b, adding it when new.
func (c *citations) cite(b briefings.BriefingRef) int {
	if c.index == nil {
		c.index = map[string]int{}
	}
	key := b.GuildID + "\x00" + b.Slug
	if n, ok := c.index[key]; ok {
		return n
	}
	c.refs = append(c.refs, b)
	c.index[key] = len(c.refs)
	return len(c.refs)
}

// list renders the cited briefings one a line: "[1] Title (linked), date,
// source", within budget characters.
func (c *citations) list(budget int) string {
	l := c.lines(budget)
	return l.String()
}

// lines is the numbered list of the cited briefings within budget.
func (c *citations) lines(budget int) lines {
	l := lines{budget: budget}
	for i, b := range c.refs {
		page := ""
		if c.page != nil {
			page = c.page(b)
		}
		l.add(fmt.Sprintf("[%d] %s", i+1, citedLine(b, page)))
	}
	return l
}

// citedLine renders a briefing reference as its title, date and source
// name: with no page, the title links to the source; with page, the
// briefing's page in the reading room, the title links to the page and the
// source name to the source.
func citedLine(b briefings.BriefingRef, page string) string {
	title := briefings.Truncate(oneLine(b.Title), 150)
	if page == "" {
		s := link(title, b.SourceURL) + " · " + b.Published.Human()
		if b.SourceName != "" {
			s += " · " + escape(b.SourceName)
		}
		return s
	}
	s := link(title, page) + " · " + b.Published.Human()
	if b.SourceName != "" {
		s += " · " + link(b.SourceName, b.SourceURL)
	}
	return s
}

// factLine renders a fact with its attribution: "text — who".
func factLine(f briefings.Fact) string {
	s := escape(briefings.Truncate(oneLine(f.Text), 700))
	if f.Attribution != "" {
		s += " — " + escape(oneLine(f.Attribution))
	}
	if !f.AsOf.IsZero() {
		s += " (as of " + f.AsOf.Human() + ")"
	}
	return s
}

// actorKind names an actor's kind for people.
func actorKind(k briefings.ActorKind) string {
	if k == "" {
		return "Actor"
	}
	s := string(k)
	return strings.ToUpper(s[:1]) + s[1:]
}

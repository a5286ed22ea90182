package console

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"briefbot/briefings"

	"github.com/bwmarrin/discordgo"
)

// TextRenderer turns Discord responses and messages into text a person can
// read on a terminal or in a transcript: embeds become titled sections,
// timestamps become dates, mentions and masked links become words, and
// buttons and select menus become numbered choices.
type TextRenderer struct {
	// Now is the instant relative timestamps ("in 3 days") count from.
	Now time.Time
	// ANSI shows bold text with terminal escapes; otherwise it is plain.
	ANSI bool
	// Zone is the reader's time zone, in which timestamps show as Discord
	// shows them to a reader there; nil means UTC.
	Zone *time.Location
}

// RenderText renders an interaction response as plain text, with relative
// timestamps counted from now.
func RenderText(resp *discordgo.InteractionResponse, now time.Time) string {
	return TextRenderer{Now: now}.Response(resp)
}

// RenderMessage renders a message about to be sent, such as a digest, as
// plain text, with relative timestamps counted from now.
func RenderMessage(m *discordgo.MessageSend, now time.Time) string {
	return TextRenderer{Now: now}.Message(m)
}

// Response renders an interaction response.
func (r TextRenderer) Response(resp *discordgo.InteractionResponse) string {
	text, _ := r.response(resp)
	return r.terminal(text)
}

// Message renders a message about to be sent.
func (r TextRenderer) Message(m *discordgo.MessageSend) string {
	if m == nil {
		return ""
	}
	embeds := m.Embeds
	if m.Embed != nil {
		embeds = append([]*discordgo.MessageEmbed{m.Embed}, embeds...)
	}
	text, _ := r.message(messageView{content: m.Content, embeds: embeds, components: m.Components, flags: m.Flags, files: m.Files})
	return r.terminal(text)
}

// terminal makes rendered text safe to print: control characters and
// bidirectional controls that came with the response (a member's typing
// echoed, a file name, a model's answer) are shown escaped, "\x1b", so that
// they cannot drive the terminal; the renderer's own bold stays.
func (r TextRenderer) terminal(text string) string {
	if !r.ANSI {
		return briefings.EscapeControl(text)
	}
	text = strings.NewReplacer(boldOn, "\uE0F1", boldOff, "\uE0F2").Replace(text)
	return strings.NewReplacer("\uE0F1", boldOn, "\uE0F2", boldOff).Replace(briefings.EscapeControl(text))
}

// The renderer's own escape sequences: bold on and off.
const (
	boldOn  = "\x1b[1m"
	boldOff = "\x1b[22m"
)

// control is a button or select menu the console can press, numbered in
// the order the renderer shows it.
type control struct {
	kind     discordgo.ComponentType
	customID string
	label    string
	disabled bool
	options  []discordgo.SelectMenuOption
	max      int // how many options a select menu takes at most
}

// messageView is what the renderer needs of any kind of message.
type messageView struct {
	content    string
	embeds     []*discordgo.MessageEmbed
	components []discordgo.MessageComponent
	flags      discordgo.MessageFlags
	files      []*discordgo.File
}

func viewOf(d *discordgo.InteractionResponseData) messageView {
	if d == nil {
		return messageView{}
	}
	return messageView{content: d.Content, embeds: d.Embeds, components: d.Components, flags: d.Flags, files: d.Files}
}

// response renders resp and returns the controls it shows.
func (r TextRenderer) response(resp *discordgo.InteractionResponse) (string, []control) {
	if resp == nil {
		return "(no response)\n", nil
	}
	switch resp.Type {
	case discordgo.InteractionResponsePong:
		return "(pong)\n", nil
	case discordgo.InteractionResponseDeferredChannelMessageWithSource:
		return "(briefbot is thinking…)\n", nil
	case discordgo.InteractionResponseDeferredMessageUpdate:
		return "(acknowledged; the message stays as it is)\n", nil
	case discordgo.InteractionApplicationCommandAutocompleteResult:
		return r.suggestions(resp.Data), nil
	case discordgo.InteractionResponseModal:
		return r.modal(resp.Data), nil
	case discordgo.InteractionResponseUpdateMessage:
		text, cs := r.message(viewOf(resp.Data))
		return "(message updated)\n" + text, cs
	}
	return r.message(viewOf(resp.Data))
}

func (r TextRenderer) suggestions(d *discordgo.InteractionResponseData) string {
	if d == nil || len(d.Choices) == 0 {
		return "No suggestions.\n"
	}
	var b strings.Builder
	b.WriteString("Suggestions:\n")
	for i, c := range d.Choices {
		if c == nil {
			continue
		}
		fmt.Fprintf(&b, "  %d. %s", i+1, c.Name)
		if v := fmt.Sprint(c.Value); v != c.Name {
			fmt.Fprintf(&b, " (%s)", v)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// modalField is one text input of a modal.
type modalField struct {
	id, label, placeholder, value string
	required, paragraph           bool
}

func modalFields(components []discordgo.MessageComponent) []modalField {
	var out []modalField
	for _, c := range components {
		switch v := c.(type) {
		case discordgo.ActionsRow:
			out = append(out, modalFields(v.Components)...)
		case *discordgo.ActionsRow:
			out = append(out, modalFields(v.Components)...)
		case discordgo.TextInput:
			out = append(out, fieldOf(v))
		case *discordgo.TextInput:
			out = append(out, fieldOf(*v))
		}
	}
	return out
}

func fieldOf(t discordgo.TextInput) modalField {
	return modalField{id: t.CustomID, label: t.Label, placeholder: t.Placeholder, value: t.Value,
		required: t.Required, paragraph: t.Style == discordgo.TextInputParagraph}
}

func (r TextRenderer) modal(d *discordgo.InteractionResponseData) string {
	if d == nil {
		return "(an empty form)\n"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Form: %s\n", r.bold(d.Title))
	for _, f := range modalFields(d.Components) {
		var notes []string
		if f.required {
			notes = append(notes, "required")
		}
		if f.paragraph {
			notes = append(notes, "paragraph")
		}
		fmt.Fprintf(&b, "  %s: %s", f.id, f.label)
		if len(notes) > 0 {
			fmt.Fprintf(&b, " (%s)", strings.Join(notes, ", "))
		}
		if f.value != "" {
			fmt.Fprintf(&b, " [now: %s]", f.value)
		} else if f.placeholder != "" {
			fmt.Fprintf(&b, " [e.g. %s]", f.placeholder)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// message renders content, embeds, attachments and components in the order
// Discord shows them.
func (r TextRenderer) message(m messageView) (string, []control) {
	var blocks []string
	if m.flags&discordgo.MessageFlagsEphemeral != 0 {
		blocks = append(blocks, "(only you can see this)")
	}
	if s := strings.TrimSpace(r.Markup(m.content)); s != "" {
		blocks = append(blocks, s)
	}
	for _, e := range m.embeds {
		if s := r.embed(e); s != "" {
			blocks = append(blocks, s)
		}
	}
	for _, f := range m.files {
		if f != nil {
			blocks = append(blocks, "[attachment: "+f.Name+"]")
		}
	}
	var controls []control
	if s := r.components(m.components, &controls); s != "" {
		blocks = append(blocks, s)
	}
	if len(blocks) == 0 {
		return "(an empty message)\n", controls
	}
	return strings.Join(blocks, "\n\n") + "\n", controls
}

func (r TextRenderer) embed(e *discordgo.MessageEmbed) string {
	if e == nil {
		return ""
	}
	var lines []string
	if e.Author != nil && e.Author.Name != "" {
		lines = append(lines, "From "+r.Markup(e.Author.Name))
	}
	if e.Title != "" {
		lines = append(lines, "== "+r.bold(r.Markup(e.Title))+" ==")
	}
	if e.URL != "" {
		lines = append(lines, e.URL)
	}
	if s := strings.TrimSpace(r.Markup(e.Description)); s != "" {
		lines = append(lines, s)
	}
	for _, f := range e.Fields {
		if f == nil {
			continue
		}
		name := strings.TrimSpace(r.Markup(f.Name))
		value := strings.TrimSpace(r.Markup(f.Value))
		if name == "" || name == "\u200b" {
			lines = append(lines, "", value)
			continue
		}
		if strings.Contains(value, "\n") {
			lines = append(lines, "", name+":", indent(value, "  "))
		} else {
			lines = append(lines, "", name+": "+value)
		}
	}
	if e.Image != nil && e.Image.URL != "" {
		lines = append(lines, "", "Image: "+e.Image.URL)
	}
	var foot []string
	if e.Footer != nil && e.Footer.Text != "" {
		foot = append(foot, r.Markup(e.Footer.Text))
	}
	if e.Timestamp != "" {
		if t, err := time.Parse(time.RFC3339, e.Timestamp); err == nil {
			foot = append(foot, r.timestamp(t, "f"))
		}
	}
	if len(foot) > 0 {
		lines = append(lines, "", "-- "+strings.Join(foot, " · "))
	}
	return strings.Join(lines, "\n")
}

func indent(s, pad string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = pad + l
		}
	}
	return strings.Join(lines, "\n")
}

// components renders rows of buttons and select menus, numbering every
// control that can be pressed and collecting it into controls.
func (r TextRenderer) components(cs []discordgo.MessageComponent, controls *[]control) string {
	var lines []string
	for _, c := range cs {
		if s := r.component(c, controls); s != "" {
			lines = append(lines, s)
		}
	}
	return strings.Join(lines, "\n")
}

func (r TextRenderer) component(c discordgo.MessageComponent, controls *[]control) string {
	switch v := c.(type) {
	case *discordgo.ActionsRow:
		return r.component(*v, controls)
	case discordgo.ActionsRow:
		var parts, menus []string
		for _, inner := range v.Components {
			s := r.component(inner, controls)
			if s == "" {
				continue
			}
			if strings.Contains(s, "\n") {
				menus = append(menus, s)
			} else {
				parts = append(parts, s)
			}
		}
		var out []string
		if len(parts) > 0 {
			out = append(out, strings.Join(parts, "  "))
		}
		return strings.Join(append(out, menus...), "\n")
	case *discordgo.Button:
		return r.component(*v, controls)
	case discordgo.Button:
		label := r.Markup(v.Label)
		if v.Emoji != nil && v.Emoji.Name != "" && v.Emoji.ID == "" {
			label = strings.TrimSpace(v.Emoji.Name + " " + label)
		}
		if v.Style == discordgo.LinkButton || v.URL != "" {
			return label + " (" + v.URL + ")"
		}
		if v.CustomID == "" {
			return ""
		}
		*controls = append(*controls, control{kind: discordgo.ButtonComponent, customID: v.CustomID, label: label, disabled: v.Disabled})
		s := fmt.Sprintf("[%d] %s", len(*controls), label)
		if v.Disabled {
			s += " (unavailable)"
		}
		return s
	case *discordgo.SelectMenu:
		return r.component(*v, controls)
	case discordgo.SelectMenu:
		if v.CustomID == "" {
			return ""
		}
		max := max(v.MaxValues, 1)
		*controls = append(*controls, control{kind: v.Type(), customID: v.CustomID, label: v.Placeholder, disabled: v.Disabled, options: v.Options, max: max})
		head := fmt.Sprintf("[%d] %s", len(*controls), orDefault(r.Markup(v.Placeholder), "Choose"))
		switch {
		case v.Disabled:
			head += " (unavailable)"
		case max > 1:
			head += fmt.Sprintf(" (choose up to %d)", max)
		}
		lines := []string{head}
		for i, o := range v.Options {
			s := fmt.Sprintf("      %d. %s", i+1, r.Markup(o.Label))
			if o.Description != "" {
				s += " — " + r.Markup(o.Description)
			}
			if o.Default {
				s += " (selected)"
			}
			lines = append(lines, s)
		}
		return strings.Join(lines, "\n")
	case *discordgo.TextDisplay:
		return r.component(*v, controls)
	case discordgo.TextDisplay:
		return strings.TrimSpace(r.Markup(v.Content))
	case *discordgo.Container:
		return r.component(*v, controls)
	case discordgo.Container:
		return r.components(v.Components, controls)
	case *discordgo.Section:
		return r.component(*v, controls)
	case discordgo.Section:
		s := r.components(v.Components, controls)
		if v.Accessory != nil {
			if a := r.component(v.Accessory, controls); a != "" {
				s += "\n" + a
			}
		}
		return s
	case *discordgo.Separator, discordgo.Separator:
		return "----"
	}
	return ""
}

func orDefault(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

func (r TextRenderer) bold(s string) string {
	if !r.ANSI || s == "" {
		return s
	}
	return boldOn + s + boldOff
}

var (
	reTimestamp = regexp.MustCompile(`<t:(-?\d{1,13})(?::([tTdDfFR]))?>`)
	reSlash     = regexp.MustCompile(`</([\p{L}\p{N}_ -]+):\d+>`)
	reUser      = regexp.MustCompile(`<@!?(\d+)>`)
	reRole      = regexp.MustCompile(`<@&(\d+)>`)
	reChannel   = regexp.MustCompile(`<#(\d+)>`)
	reEmoji     = regexp.MustCompile(`<a?:(\w+):\d+>`)
	reLink      = regexp.MustCompile(`\[([^\[\]\n]+)\]\(<?(https?://[^\s()<>]+)>?\)`)
	reAngleURL  = regexp.MustCompile(`<(https?://[^\s<>]+)>`)
	reBold      = regexp.MustCompile(`\*\*([^\n]+?)\*\*`)
	reUnderline = regexp.MustCompile(`__([^\n]+?)__`)
	reItalic    = regexp.MustCompile(`(^|[^\p{L}\p{N}*])\*([^\s*](?:[^*\n]*[^\s*])?)\*`)
	reSpoiler   = regexp.MustCompile(`\|\|([^\n]+?)\|\|`)
	reHighlight = regexp.MustCompile(briefings.HighlightOpen + `([^` + briefings.HighlightClose + `]*)` + briefings.HighlightClose)
	reHeading   = regexp.MustCompile(`(?m)^(?:#{1,3}|-#) +(.*)$`)
)

// escapable are the characters a backslash keeps literal in Discord markup.
const escapable = "\\*_~`|>#-[]()<:@"

// Markup turns Discord markup into readable text: timestamps become dates,
// mentions become @user:ID, @role:ID and #channel:ID, masked links become
// "text (url)", bold stays bold only with ANSI, and other emphasis marks
// and backslash escapes are removed. Code blocks are kept as they are.
func (r TextRenderer) Markup(s string) string {
	if s == "" {
		return ""
	}
	parts := strings.Split(s, "```")
	for i := range parts {
		if i%2 == 1 && i < len(parts)-1 {
			parts[i] = codeBlock(parts[i])
			continue
		}
		parts[i] = r.inline(parts[i])
	}
	return strings.Join(parts, "")
}

// codeBlock drops the language name of a fenced block.
func codeBlock(s string) string {
	if first, rest, ok := strings.Cut(s, "\n"); ok && !strings.ContainsAny(first, " \t") {
		return strings.TrimRight(rest, "\n")
	}
	return strings.Trim(s, "\n")
}

func (r TextRenderer) inline(s string) string {
	// Hide escaped characters in the private use area so no rule sees them.
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && strings.IndexByte(escapable, s[i+1]) >= 0 {
			b.WriteRune(0xE000 + rune(s[i+1]))
			i++
			continue
		}
		b.WriteByte(s[i])
	}
	s = b.String()

	s = reTimestamp.ReplaceAllStringFunc(s, func(m string) string {
		sub := reTimestamp.FindStringSubmatch(m)
		sec, err := strconv.ParseInt(sub[1], 10, 64)
		if err != nil {
			return m
		}
		return r.timestamp(time.Unix(sec, 0), sub[2])
	})
	s = reSlash.ReplaceAllString(s, "/$1")
	s = reRole.ReplaceAllString(s, "@role:$1")
	s = reUser.ReplaceAllString(s, "@user:$1")
	s = reChannel.ReplaceAllString(s, "#channel:$1")
	s = reEmoji.ReplaceAllString(s, ":$1:")
	s = reLink.ReplaceAllStringFunc(s, func(m string) string {
		sub := reLink.FindStringSubmatch(m)
		if sub[1] == sub[2] {
			return sub[2]
		}
		return sub[1] + " (" + sub[2] + ")"
	})
	s = reAngleURL.ReplaceAllString(s, "$1")
	s = reHeading.ReplaceAllString(s, "$1")
	s = reBold.ReplaceAllStringFunc(s, func(m string) string { return r.bold(m[2 : len(m)-2]) })
	s = reHighlight.ReplaceAllStringFunc(s, func(m string) string {
		return r.bold(m[len(briefings.HighlightOpen) : len(m)-len(briefings.HighlightClose)])
	})
	s = reUnderline.ReplaceAllString(s, "$1")
	s = reItalic.ReplaceAllString(s, "$1$2")
	s = reSpoiler.ReplaceAllString(s, "$1")

	return strings.Map(func(c rune) rune {
		if c > 0xE000 && c < 0xE080 {
			return c - 0xE000
		}
		return c
	}, s)
}

// timestamp formats t in the reader's zone (UTC unless set) the way
// Discord's style letter asks, naming the zone after a time of day.
func (r TextRenderer) timestamp(t time.Time, style string) string {
	zone := r.Zone
	if zone == nil {
		zone = time.UTC
	}
	t = t.In(zone)
	switch style {
	case "t":
		return t.Format("15:04 MST")
	case "T":
		return t.Format("15:04:05 MST")
	case "d":
		return t.Format("2006-01-02")
	case "D":
		return t.Format("2 January 2006")
	case "F":
		return t.Format("Monday, 2 January 2006 15:04 MST")
	case "R":
		return Relative(t, r.Now)
	}
	return t.Format("2 January 2006 15:04 MST")
}

// Relative says how far t is from now in words, such as "in 3 days" or
// "3 months ago", rounding the way Discord's relative timestamps do.
func Relative(t, now time.Time) string {
	d := t.Sub(now)
	future := d > 0
	secs := math.Abs(d.Seconds())
	days := secs / 86400
	var s string
	switch {
	case secs < 45:
		s = "a few seconds"
	case secs < 90:
		s = "a minute"
	case secs < 45*60:
		s = fmt.Sprintf("%d minutes", int(math.Round(secs/60)))
	case secs < 90*60:
		s = "an hour"
	case secs < 22*3600:
		s = fmt.Sprintf("%d hours", int(math.Round(secs/3600)))
	case secs < 36*3600:
		s = "a day"
	case days < 26:
		s = fmt.Sprintf("%d days", int(math.Round(days)))
	case days < 45:
		s = "a month"
	case days < 320:
		s = fmt.Sprintf("%d months", int(math.Round(days/30.4375)))
	case days < 548:
		s = "a year"
	default:
		s = fmt.Sprintf("%d years", int(math.Round(days/365.25)))
	}
	if future {
		return "in " + s
	}
	return s + " ago"
}

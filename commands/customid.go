package commands

import (
	"context"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"briefbot/briefings"

	"github.com/bwmarrin/discordgo"
)

// Custom IDs carry no authority: only what to show, never whose library or
// who may see it. The guild always comes from the interaction itself, so a
// forged ID can show nothing its presser could not ask for with a command.
//
// The scheme, at most 100 characters:
//
//	brief:<topic-slug>:<offset>  page of /brief; empty slug means any topic;
//	                             offset counts briefings from the newest (0)
//	actor:<name>                 show /actor for a suggested name
//	event:<name>                 show /event for a suggested name
//	topic:<name>                 show /brief for a suggested topic
const (
	idBrief = "brief"
	idActor = "actor"
	idEvent = "event"
	idTopic = "topic"
)

// maxOffset bounds a page offset; no library holds a million briefings on
// one topic.
const maxOffset = 999_999

// customID is a parsed custom ID.
type customID struct {
	// kind is one of the id* constants.
	kind string
	// arg is the topic slug (brief) or the name (actor, event, topic).
	arg string
	// offset is the page of a brief ID.
	offset int
}

// String formats the ID; ok is false when it would exceed Discord's limit.
func (c customID) String() (string, bool) {
	var s string
	if c.kind == idBrief {
		s = idBrief + ":" + c.arg + ":" + strconv.Itoa(c.offset)
	} else {
		s = c.kind + ":" + c.arg
	}
	return s, textLen(s) <= maxCustomID
}

// parseCustomID parses s strictly: a known kind, a well-formed argument, a
// canonical decimal offset, nothing more.
func parseCustomID(s string) (customID, bool) {
	if s == "" || textLen(s) > maxCustomID || !utf8.ValidString(s) {
		return customID{}, false
	}
	kind, rest, ok := strings.Cut(s, ":")
	if !ok {
		return customID{}, false
	}
	switch kind {
	case idBrief:
		slug, off, ok := strings.Cut(rest, ":")
		if !ok || (slug != "" && briefings.Slugify(slug) != slug) {
			return customID{}, false
		}
		n, ok := parseOffset(off)
		if !ok {
			return customID{}, false
		}
		return customID{kind: idBrief, arg: slug, offset: n}, true
	case idActor, idEvent, idTopic:
		if !cleanName(rest) {
			return customID{}, false
		}
		return customID{kind: kind, arg: rest}, true
	}
	return customID{}, false
}

// parseOffset accepts only canonical non-negative decimals: "0", "12", not
// "012", "+1" or "1e3".
func parseOffset(s string) (int, bool) {
	if s == "" || len(s) > len(strconv.Itoa(maxOffset)) || (len(s) > 1 && s[0] == '0') {
		return 0, false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n <= maxOffset
}

// cleanName accepts a name of at most MaxName characters without control
// characters or surrounding space.
func cleanName(s string) bool {
	if s == "" || s != strings.TrimSpace(s) || utf8.RuneCountInString(s) > briefings.MaxName {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// component answers a button press.
func (r *Router) component(ctx context.Context, q *request, data discordgo.MessageComponentInteractionData) *discordgo.InteractionResponse {
	if kind, arg, _ := strings.Cut(data.CustomID, ":"); r.components[kind] != nil {
		q.command, q.arg = kind, arg
		return r.answer(ctx, q, r.components[kind])
	}
	id, ok := parseCustomID(data.CustomID)
	if !ok || data.ComponentType != discordgo.ButtonComponent {
		return Ephemeral("I don't recognise that button; it may come from an older version of me. Run the command again, e.g. /brief or /help.")
	}
	q.command = id.kind
	switch id.kind {
	case idBrief:
		return r.answer(ctx, q, func(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
			return r.briefPage(ctx, q, id.arg, id.offset)
		})
	case idActor:
		q.opts = map[string]*discordgo.ApplicationCommandInteractionDataOption{optName: stringOption(optName, id.arg)}
		return r.answer(ctx, q, r.actor)
	case idEvent:
		q.opts = map[string]*discordgo.ApplicationCommandInteractionDataOption{optName: stringOption(optName, id.arg)}
		return r.answer(ctx, q, r.event)
	default: // idTopic
		q.opts = map[string]*discordgo.ApplicationCommandInteractionDataOption{optTopic: stringOption(optTopic, id.arg)}
		return r.answer(ctx, q, r.brief)
	}
}

// stringOption builds the option a suggestion button stands for.
func stringOption(name, value string) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionString, Value: value}
}

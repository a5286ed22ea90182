package commands

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"briefbot/briefings"

	"github.com/bwmarrin/discordgo"
)

// The store and briefings.Validate name a briefing's fields as the file
// format does ("facts[17].actors[1]: … declare it under actors"), which is
// right for an imported file and means nothing in Discord. inDiscordTerms
// rewrites each such line of a refusal into the fact, actor or event it is
// about and the command that fixes it.

// fieldLine is one line of a validation refusal: the path, the index of its
// first list, the field under it, and the message.
var fieldLine = regexp.MustCompile(`^(facts|events|actors|corrections|topics)\[(\d+)\](?:\.([a-z_]+)(?:\[(\d+)\])?)?: (.*)$`)

// unknownRef is the store's refusal of a name neither the briefing nor the
// library has.
var unknownRef = regexp.MustCompile(`^("(?:[^"\\]|\\.)*") is not an? (actor|event) of this briefing or the library; declare it under (?:actors|events)$`)

// topFields names the briefing's own fields as the form labels them.
var topFields = map[string]string{
	"title": "Title", "summary": "Summary", "body": "Article text", "published": "Published", "slug": "Slug (from the title)",
	"source.name": "Source", "source.url": "Source link", "topics": "Topics",
	"facts": "Facts", "actors": "Actors", "events": "Events", "corrections": "Corrections", "status": "Status", "retraction_reason": "Reason",
}

// inDiscordTerms rewrites a refusal (EINVALID) that names the file
// format's fields into what a moderator sees and types in Discord: which
// fact, actor or event, and the command that fixes it. b, when known, is
// the briefing refused, for the names of its actors and events. A slash
// command's refusal starts with the command. The message is escaped for
// Discord, since it repeats names as typed.
func inDiscordTerms(q *request, b *briefings.Briefing, err error) error {
	msg, ok := discordTerms(q, b, err)
	if !ok {
		return err
	}
	return briefings.Errorf(briefings.EINVALID, "%s", escape(msg))
}

// problemText is a refusal's message for a kept form, which escapes it:
// in Discord's terms when it names the file format's fields.
func problemText(q *request, err error) string {
	if msg, ok := discordTerms(q, nil, err); ok {
		return msg
	}
	return briefings.ErrorMessage(err)
}

// discordTerms is the message of inDiscordTerms, unescaped, and whether
// anything was rewritten.
func discordTerms(q *request, b *briefings.Briefing, err error) (string, bool) {
	if briefings.ErrorCode(err) != briefings.EINVALID {
		return "", false
	}
	lines := strings.Split(briefings.ErrorMessage(err), "\n")
	changed := false
	for i, l := range lines {
		if s, ok := lineInDiscordTerms(q, b, l); ok {
			lines[i], changed = s, true
		}
	}
	if !changed {
		return "", false
	}
	out := strings.Join(lines, "\n")
	if q != nil && q.i != nil && q.i.Type == discordgo.InteractionApplicationCommand {
		out = "/" + strings.TrimSpace(q.command+" "+q.sub) + ":\n" + out
	}
	return out, true
}

// lineInDiscordTerms rewrites one line of a refusal, reporting whether it
// named a field.
func lineInDiscordTerms(q *request, b *briefings.Briefing, line string) (string, bool) {
	if field, msg, ok := strings.Cut(line, ": "); ok {
		if label, ok := topFields[field]; ok {
			return label + ": " + msg, true
		}
	}
	m := fieldLine.FindStringSubmatch(line)
	if m == nil {
		return line, false
	}
	list, field, msg := m[1], m[3], m[5]
	n, _ := strconv.Atoi(m[2])
	if u := unknownRef.FindStringSubmatch(msg); u != nil {
		name, err := strconv.Unquote(u[1])
		if err != nil {
			name = strings.Trim(u[1], `"`)
		}
		return unknownInDiscordTerms(q, b, list, n, u[2], name), true
	}
	switch list {
	case "facts":
		return fmt.Sprintf("Fact %d, %s: %s. Fix it with /briefing fact edit number:%d, or remove it with /briefing fact remove number:%d.",
			n, field, strings.TrimSuffix(msg, "."), n, n), true
	case "events":
		name := fmt.Sprintf("event %d", n)
		if b != nil && n >= 1 && n <= len(b.Events) {
			name = "“" + b.Events[n-1].Name + "”"
		}
		return fmt.Sprintf("The %s, %s: %s. Fix it with /briefing event edit.", name, field, strings.TrimSuffix(msg, ".")), true
	case "actors":
		name := fmt.Sprintf("actor %d", n)
		if b != nil && n >= 1 && n <= len(b.Actors) {
			name = "“" + b.Actors[n-1].Name + "”"
		}
		return fmt.Sprintf("The actor %s, %s: %s. Fix it with /briefing actor edit, or merge look-alikes with /briefing actor merge.",
			strings.TrimPrefix(name, "actor "), field, strings.TrimSuffix(msg, ".")), true
	case "corrections":
		return fmt.Sprintf("Correction %d: %s.", n, strings.TrimSuffix(msg, ".")), true
	}
	return fmt.Sprintf("Topic %d: %s. Change the topics with /briefing edit.", n, strings.TrimSuffix(msg, ".")), true
}

// unknownInDiscordTerms says that a fact or event names an actor or event
// the server's library does not have, and how to add it.
func unknownInDiscordTerms(q *request, b *briefings.Briefing, list string, n int, kind, name string) string {
	add := fmt.Sprintf("/briefing actor add name:%s kind:…", name)
	if kind == "event" {
		add = fmt.Sprintf("/briefing event add name:%s date:YYYY-MM-DD", name)
	}
	where := fmt.Sprintf("Fact %d", n)
	if q != nil && q.sub == "fact add" && b != nil && n == len(b.Facts) {
		opt := optActors
		if kind == "event" {
			opt = optEvent
		}
		where += ", option " + opt
	}
	if list == "events" {
		event := fmt.Sprintf("Event %d", n)
		if b != nil && n >= 1 && n <= len(b.Events) {
			event = "The event “" + b.Events[n-1].Name + "”"
		}
		return fmt.Sprintf("%s lists “%s” as taking part, but the actor “%s” is not in this server's library. Add it with %s, or pick one from the list.",
			event, name, name, add)
	}
	return fmt.Sprintf("%s: the %s “%s” is not in this server's library. Add it with %s, or pick one from the list.", where, kind, name, add)
}

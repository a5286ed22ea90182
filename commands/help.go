package commands

import (
	"context"
	"fmt"
	"strings"

	"briefbot/briefings"

	"github.com/bwmarrin/discordgo"
)

// helpText explains each reading command with an example.
const helpText = `I keep a library of curated news briefings: summaries, key facts with who says so, the people and countries involved, and dated events. Everything I answer comes from that library, with sources.

**/brief** [topic] — the latest briefing, on a topic if you give one; buttons page to older ones.
  e.g. ` + "`/brief topic:Ukraine war`" + `
**/topics** — every topic, how many briefings it has and the latest date.
**/actor** name — who someone is and what the briefings say about them.
  e.g. ` + "`/actor name:Kim Jong Un`" + `
**/event** name — when and where something happens and who takes part.
  e.g. ` + "`/event name:Alaska summit`" + `
**/timeline** [topic] [actor] — dated events in order.
  e.g. ` + "`/timeline actor:Vladimir Putin`" + `
**/search** query — briefings and facts that contain your words.
  e.g. ` + "`/search query:Kursk`" + `
**/ask** question — an answer quoted from the briefings, with sources.
  e.g. ` + "`/ask question:How many North Korean troops are fighting for Russia?`" + `

Names complete as you type. If I don't know a name, I suggest the closest ones.`

// digestsHelp explains the subscription commands; where says how /subscribe
// delivers for this reader in this place.
const digestsHelp = `%s
  e.g. ` + "`/subscribe topic:Alaska summit time:08:00, 18:30 days:mon,thu timezone:Europe/Berlin`" + `
**time** takes one or more local times (` + "`08:00`, `18:30`, `noon`, `08.30`" + `); **days** takes daily, weekdays, weekends, a day or a list such as mon,thu. Subscribing again at another time adds it; each digest covers what is new since the one before.
**/subscriptions** — %s, when each comes next and how the last went.
**/unsubscribe** subscription — stop one, or just one of its times.
**/digest** [topic] — preview a digest as it would be sent now.`

// help answers /help: what the bot can do where the reader asks, with
// examples. The reading commands work everywhere; the digest commands are
// shown as they work here (by DM, or in a channel for those who may
// manage it); the moderators' /briefing commands and the admins' /settings
// only to those who may use them here.
func (r *Router) help(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	var fs []*discordgo.MessageEmbedField
	if r.opts.Subscriptions != nil {
		f, err := r.digestsField(ctx, q)
		if err != nil {
			return nil, err
		}
		fs = append(fs, f)
	}
	mods, err := r.moderatorFields(ctx, q)
	if err != nil {
		return nil, err
	}
	fs = append(fs, mods...)
	e := &discordgo.MessageEmbed{Title: "What I can do", Description: helpText, Color: colorHelp, Fields: fields(fs...)}
	if q.guildID == "" {
		e.Footer = footer("In direct messages I read the shared library only; a server's own briefings are answered in that server.")
	}
	return private(message([]*discordgo.MessageEmbed{e})), nil
}

// digestsField explains /subscribe and its kin as they work for q.
func (r *Router) digestsField(ctx context.Context, q *request) (*discordgo.MessageEmbedField, error) {
	var subscribe, list string
	switch {
	case q.guildID == "":
		subscribe = "**/subscribe** topic [time] [days] [timezone] — a digest of a topic, sent to you here by DM."
		list = "your digests"
	default:
		manage, err := r.canManage(ctx, q)
		if err != nil {
			return nil, err
		}
		if manage {
			subscribe = "**/subscribe** topic [channel] [time] [days] [timezone] — a digest of a topic in this channel (or the one you name), or to you with dm:True."
		} else {
			subscribe = "**/subscribe** topic dm:True [time] [days] [timezone] — a digest of a topic, sent to you by DM. A digest in a channel needs the Manage Channels permission or the moderator role."
		}
		list = "this server's digests and yours"
	}
	return field("Digests", fmt.Sprintf(digestsHelp, subscribe, list), false), nil
}

// moderatorFields lists the /briefing commands for those who may curate
// here, and /settings for those who may change this server's settings.
func (r *Router) moderatorFields(ctx context.Context, q *request) ([]*discordgo.MessageEmbedField, error) {
	m := r.moderator(q)
	curate := m.Owner
	if !curate && q.guildID != "" && r.opts.Curator != nil {
		s, err := r.opts.Curator.Settings(ctx, q.guildID)
		if err != nil {
			return nil, fmt.Errorf("settings of %q: %w", q.guildID, err)
		}
		curate = briefings.CanModerate(m, s)
	} else if !curate && q.guildID != "" && r.opts.Curator == nil {
		curate = m.Permissions&(discordgo.PermissionManageMessages|discordgo.PermissionAdministrator) != 0
	}
	var out []*discordgo.MessageEmbedField
	if curate {
		name := "For moderators"
		if q.guildID == "" {
			name = "For the bot's operators: the shared library"
		}
		// a field holds 1,024 characters: the list goes on in another
		// rather than losing its last commands
		var chunk []string
		flush := func() {
			if len(chunk) > 0 {
				out = append(out, field(name, clip(strings.Join(chunk, "\n"), maxFieldValue), false))
				name, chunk = "(continued)", nil
			}
		}
		for _, l := range r.commandLines(cmdBriefing, cmdFeedback) {
			if textLen(strings.Join(append(chunk, l), "\n")) > maxFieldValue {
				flush()
			}
			chunk = append(chunk, l)
		}
		flush()
		if feeds := r.commandLines(cmdFeed); len(feeds) > 0 && q.guildID != "" {
			out = append(out, field("Feeds: new articles as drafts to review", clip(strings.Join(feeds, "\n"), maxFieldValue), false))
		}
	}
	if q.guildID != "" && briefings.CanAdminister(m) {
		if lines := r.commandLines(cmdSettings); len(lines) > 0 {
			out = append(out, field("For admins", clip(strings.Join(lines, "\n"), maxFieldValue), false))
		}
	}
	return out, nil
}

// commandLines lists each (sub)command of the named commands in the
// catalog with its description, so the help says what the catalog offers;
// a group of subcommands is one line.
func (r *Router) commandLines(names ...string) []string {
	var out []string
	walk := func(path string, opts []*discordgo.ApplicationCommandOption) {
		for _, o := range opts {
			switch o.Type {
			case discordgo.ApplicationCommandOptionSubCommandGroup:
				// One line per group keeps the list within a field.
				var subs []string
				for _, s := range o.Options {
					subs = append(subs, s.Name)
				}
				out = append(out, fmt.Sprintf("**%s %s %s** — %s", path, o.Name, strings.Join(subs, "|"), o.Description))
			case discordgo.ApplicationCommandOptionSubCommand:
				out = append(out, fmt.Sprintf("**%s %s** — %s", path, o.Name, o.Description))
			}
		}
	}
	for _, c := range r.extra {
		for _, n := range names {
			if c.Name != n {
				continue
			}
			before := len(out)
			walk("/"+c.Name, c.Options)
			if len(out) == before {
				var args []string
				for _, o := range c.Options {
					args = append(args, "["+o.Name+"]")
				}
				out = append(out, strings.TrimSpace(fmt.Sprintf("**/%s** %s", c.Name, strings.Join(args, " ")))+" — "+c.Description)
			}
		}
	}
	return out
}

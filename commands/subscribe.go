package commands

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"briefbot/briefings"

	"github.com/bwmarrin/discordgo"
)

// The subscription commands and their options.
const (
	cmdSubscribe     = "subscribe"
	cmdUnsubscribe   = "unsubscribe"
	cmdSubscriptions = "subscriptions"
	cmdDigest        = "digest"

	optChannel      = "channel"
	optTime         = "time"
	optTimezone     = "timezone"
	optDays         = "days"
	optDM           = "dm"
	optNothingNew   = "nothing_new"
	optPicture      = "picture"
	optSubscription = "subscription"
)

// registerSubscriptions adds /subscribe, /unsubscribe, /subscriptions and
// /digest when a subscription store is configured.
func (r *Router) registerSubscriptions() {
	if r.opts.Subscriptions == nil {
		return
	}
	r.handlers[cmdSubscribe] = r.subscribe
	r.handlers[cmdUnsubscribe] = r.unsubscribe
	r.handlers[cmdSubscriptions] = r.subscriptions
	r.handlers[cmdDigest] = r.digest
	r.completers[cmdSubscribe+" "+optTopic] = r.completeTopics
	r.completers[cmdDigest+" "+optTopic] = r.completeTopics
	r.completers[cmdSubscribe+" "+optTimezone] = completeZones
	r.completers[cmdSubscribe+" "+optDays] = completeDays
	r.completers[cmdUnsubscribe+" "+optSubscription] = r.completeSubscriptions
	r.extra = append(r.extra, subscriptionCatalog()...)
}

// completeZones offers the time zones matching text.
func completeZones(_ context.Context, _ *request, text string) ([]*discordgo.ApplicationCommandOptionChoice, error) {
	var out []*discordgo.ApplicationCommandOptionChoice
	for _, z := range briefings.FindZones(text, maxChoices) {
		out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: z, Value: z})
	}
	return out, nil
}

// subscriptionCatalog returns the definitions of the subscription commands.
func subscriptionCatalog() []*discordgo.ApplicationCommand {
	one := 1
	text := func(name, desc string, required, auto bool, maxLen int) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: name,
			Description: desc, Required: required, Autocomplete: auto, MinLength: &one, MaxLength: maxLen}
	}
	boolean := func(name, desc string) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionBoolean, Name: name, Description: desc}
	}
	days := text(optDays, "Daily (default), weekdays, weekends, a day, or days such as mon,thu", false, true, briefings.MaxDaysInput)
	cmd := func(name, desc string, opts ...*discordgo.ApplicationCommandOption) *discordgo.ApplicationCommand {
		if opts == nil {
			opts = []*discordgo.ApplicationCommandOption{}
		}
		return &discordgo.ApplicationCommand{
			Type: discordgo.ChatApplicationCommand, Name: name, Description: desc, Options: opts,
			Contexts:         &[]discordgo.InteractionContextType{discordgo.InteractionContextGuild, discordgo.InteractionContextBotDM},
			IntegrationTypes: &[]discordgo.ApplicationIntegrationType{discordgo.ApplicationIntegrationGuildInstall},
		}
	}
	return []*discordgo.ApplicationCommand{
		cmd(cmdSubscribe, "Get a digest of a topic on a schedule, in a channel or by DM",
			text(optTopic, "The topic, e.g. Ukraine war", true, true, maxNameInput),
			&discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionChannel, Name: optChannel,
				Description:  "Where to post it (default: this channel); needs Manage Channels",
				ChannelTypes: []discordgo.ChannelType{discordgo.ChannelTypeGuildText, discordgo.ChannelTypeGuildNews}},
			text(optTime, "Local time of day, HH:MM (default 08:00); several, e.g. 08:00, 18:30", false, false, briefings.MaxTimeInput),
			text(optTimezone, "IANA time zone, e.g. Europe/Berlin (default: the server's, or UTC)", false, true, briefings.MaxZoneInput),
			days,
			boolean(optDM, "Send it to you by direct message instead of a channel"),
			boolean(optNothingNew, "Post a one-line notice when nothing is new (default: stay silent)"),
			boolean(optPicture, "Attach a picture of the topic's timeline for the week (default: no)")),
		cmd(cmdUnsubscribe, "Stop a digest subscription, or one of its times",
			text(optSubscription, "The subscription to stop", true, true, 100)),
		cmd(cmdSubscriptions, "Your digest subscriptions and this server's: when each comes next and how the last went"),
		cmd(cmdDigest, "Preview the digest of a topic as it would be sent now",
			text(optTopic, "The topic (default: the one this channel subscribes to)", false, true, maxNameInput)),
	}
}

// flag returns the boolean option name, false when absent.
func (q *request) flag(name string) bool {
	if o := q.opts[name]; o != nil {
		b, _ := o.Value.(bool)
		return b
	}
	return false
}

// guildDefaults returns the guild settings store, if one is configured.
func (r *Router) guildDefaults() briefings.GuildDefaults {
	if g, ok := r.opts.Curator.(briefings.GuildDefaults); ok {
		return g
	}
	if g, ok := r.opts.Subscriptions.(briefings.GuildDefaults); ok {
		return g
	}
	return nil
}

// canManage reports whether the member may manage channel subscriptions:
// Discord's computed permissions include Manage Channels or Administrator, or the
// member has the guild's moderator role. It reads the payload rather than
// trusting the command's default permissions, which admins can change.
func (r *Router) canManage(ctx context.Context, q *request) (bool, error) {
	m := q.member()
	if m == nil {
		return false, nil
	}
	// Discord computes the member's permissions for the channel the command
	// was used in; discordgo's resolved channels carry none for another
	// channel, so the same permissions stand for it.
	perms := m.Permissions
	if perms&(discordgo.PermissionManageChannels|discordgo.PermissionAdministrator) != 0 {
		return true, nil
	}
	if g := r.guildDefaults(); g != nil {
		role, err := g.ModeratorRole(ctx, q.guildID)
		if err != nil {
			return false, fmt.Errorf("moderator role: %w", err)
		}
		if role != "" && slices.Contains(m.Roles, role) {
			return true, nil
		}
	}
	return false, nil
}

// subscribe answers /subscribe.
func (r *Router) subscribe(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	topicText := strings.TrimSpace(q.str(optTopic))
	m, err := r.resolve(ctx, q, briefings.NameTopic, topicText)
	if err != nil {
		return nil, err
	}
	if m == nil {
		return r.didYouMean(ctx, q, briefings.NameTopic, topicText)
	}
	topic := m.topic
	times, err := briefings.ParseTimes(q.str(optTime))
	if err != nil {
		return nil, err
	}
	s := &briefings.Subscription{GuildID: q.guildID, UserID: q.userID, Topic: topic.Slug, Times: times,
		NothingNew: q.flag(optNothingNew), Picture: q.flag(optPicture), DM: q.guildID == "" || q.flag(optDM)}
	if !s.DM {
		s.ChannelID = q.channelID()
		if o := q.opts[optChannel]; o != nil {
			if id, ok := o.Value.(string); ok && id != "" {
				s.ChannelID = id
			}
		}
		ok, err := r.canManage(ctx, q)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, briefings.Errorf(briefings.EFORBIDDEN, "Subscribing <#%s> needs the Manage Channels permission there, or the moderator role. To get the digest yourself, add dm:True.", s.ChannelID)
		}
	}
	// Subscribing again adds the times given and changes only the options
	// given: the rest stay as they were.
	existing, err := r.sameSubscription(ctx, q, s)
	if err != nil {
		return nil, err
	}
	zoneName := strings.TrimSpace(q.str(optTimezone))
	switch {
	case q.given(optTimezone):
	case existing != nil:
		zoneName = existing.Zone
	case q.guildID != "":
		if g := r.guildDefaults(); g != nil {
			if zoneName, err = g.GuildTimezone(ctx, q.guildID); err != nil {
				return nil, fmt.Errorf("guild time zone: %w", err)
			}
		}
	}
	zone, err := briefings.LoadZone(zoneName)
	if err != nil {
		return nil, err
	}
	s.Zone = zone.String()
	s.Days = briefings.DaysDaily
	if q.given(optDays) || existing == nil {
		if s.Days, err = briefings.ParseDays(q.str(optDays)); err != nil {
			return nil, err
		}
	} else {
		s.Days = existing.Days
	}
	if !q.given(optNothingNew) && existing != nil {
		s.NothingNew = existing.NothingNew
	}
	if !q.given(optPicture) && existing != nil {
		s.Picture = existing.Picture
	}
	saved, created, err := r.opts.Subscriptions.SaveSubscription(ctx, s, r.now())
	if err != nil {
		return nil, err
	}
	verb, first := "Subscribed", "first"
	if !created {
		verb, first = "Updated the subscription of", "next"
	}
	where := "<#" + saved.ChannelID + ">"
	if saved.DM {
		where = "you (by DM)"
	}
	msg := fmt.Sprintf("%s %s to **%s**: %s at %s (%s). The %s digest comes %s (%s) with what is new since %s.",
		verb, where, escape(topic.Name), saved.Days.Human(), scheduleClock(saved), saved.Zone, first,
		stamp(saved.NextRun.Unix(), 'F'), stamp(saved.NextRun.Unix(), 'R'), stamp(saved.Since.Unix(), 'f'))
	if len(saved.Times) > 1 {
		msg += " Each digest covers what is new since the one before."
	}
	if !saved.NothingNew {
		msg += " When nothing is new, nothing is posted."
	}
	if saved.Picture {
		msg += " Each digest comes with a picture of the week's timeline."
	}
	if existing != nil && existing.Zone != saved.Zone {
		msg += fmt.Sprintf(" One subscription's times share a time zone, so %s now follow %s too, not %s.",
			scheduleClock(existing), saved.Zone, existing.Zone)
	}
	switch {
	case saved.DM && q.guildID != "":
		msg += " Keep direct messages from this server's members open, or I can't reach you."
	case saved.DM:
		msg += " Keep your direct messages with me open, or I can't reach you."
	}
	return Ephemeral(msg), nil
}

// scheduleClock lists a subscription's times of day: "08:00 and 18:30".
func scheduleClock(s *briefings.Subscription) string {
	return briefings.HumanClocks(s.Times)
}

// sameSubscription returns the stored subscription that s would update:
// the same guild, place and topic; nil when there is none.
func (r *Router) sameSubscription(ctx context.Context, q *request, s *briefings.Subscription) (*briefings.Subscription, error) {
	subs, err := r.visibleSubscriptions(ctx, q)
	if err != nil {
		return nil, err
	}
	for _, c := range subs {
		if c.GuildID == s.GuildID && c.Topic == s.Topic && c.DM == s.DM && (c.DM && c.UserID == s.UserID || !c.DM && c.ChannelID == s.ChannelID) {
			return c, nil
		}
	}
	return nil, nil
}

// stamp renders a Discord timestamp in a style (F full, R relative, f short).
func stamp(unix int64, style byte) string {
	return "<t:" + strconv.FormatInt(unix, 10) + ":" + string(style) + ">"
}

// visibleSubscriptions returns what the asker may see and stop: the guild's
// channel subscriptions and their own personal ones.
func (r *Router) visibleSubscriptions(ctx context.Context, q *request) ([]*briefings.Subscription, error) {
	subs, err := r.opts.Subscriptions.ListSubscriptions(ctx, briefings.SubscriptionQuery{GuildID: q.guildID, UserID: q.userID})
	if err != nil {
		return nil, fmt.Errorf("list subscriptions: %w", err)
	}
	return subs, nil
}

// subscriptionLabel names a subscription in a menu (plain text, ≤ 100).
func subscriptionLabel(s *briefings.Subscription, here string) string {
	where := subscriptionWhere(s, here)
	label := fmt.Sprintf("%s — %s, %s %s %s", s.TopicName, where, scheduleClock(s), s.Zone, s.Days.Human())
	if s.Paused() {
		label += " (paused)"
	}
	return clip(label, maxChoiceText)
}

// completeSubscriptions offers the subscriptions the asker can see.
func (r *Router) completeSubscriptions(ctx context.Context, q *request, text string) ([]*discordgo.ApplicationCommandOptionChoice, error) {
	subs, err := r.visibleSubscriptions(ctx, q)
	if err != nil {
		return nil, err
	}
	want := briefings.Fold(text)
	var out []*discordgo.ApplicationCommandOptionChoice
	offer := func(label, value string) {
		if want == "" || strings.Contains(briefings.Fold(label), want) {
			out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: label, Value: value})
		}
	}
	for _, s := range subs {
		id := strconv.FormatInt(s.ID, 10)
		offer(subscriptionLabel(s, q.channelID()), id)
		if len(s.Times) > 1 {
			// Each time of a subscription with several can stop alone.
			for _, c := range s.Times {
				offer(clip(fmt.Sprintf("%s — only the %s digest (%s), %s", s.TopicName, c, s.Zone, subscriptionWhere(s, q.channelID())), maxChoiceText),
					id+timeSep+c.String())
			}
		}
	}
	return out, nil
}

// timeSep separates a subscription's ID from one of its times in an
// /unsubscribe choice: "12@18:30".
const timeSep = "@"

// subscriptionWhere says where a subscription delivers, in plain text.
func subscriptionWhere(s *briefings.Subscription, here string) string {
	switch {
	case s.DM:
		return "your DMs"
	case s.ChannelID == here:
		return "this channel"
	}
	return "channel " + s.ChannelID
}

// unsubscribe answers /unsubscribe.
func (r *Router) unsubscribe(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	subs, err := r.visibleSubscriptions(ctx, q)
	if err != nil {
		return nil, err
	}
	arg := strings.TrimSpace(q.str(optSubscription))
	// A choice may name one time of a subscription: "12@18:30".
	var only *briefings.Clock
	if id, clock, ok := strings.Cut(arg, timeSep); ok {
		h, m, err := briefings.ParseClock(clock)
		if err != nil {
			return nil, err
		}
		arg, only = id, &briefings.Clock{Hour: h, Minute: m}
	}
	var s *briefings.Subscription
	for _, c := range subs {
		// The menu sends the ID; a typed topic name works when it is unique.
		if strconv.FormatInt(c.ID, 10) == arg {
			s = c
			break
		}
		if briefings.Fold(c.TopicName) == briefings.Fold(arg) || c.Topic == briefings.Slugify(arg) {
			if s != nil {
				return nil, userError("Several subscriptions match %q. Pick one from the list as you type.", arg)
			}
			s = c
		}
	}
	if s == nil {
		return nil, userError("I can't find that subscription here. Type /subscriptions to see the ones you can stop.")
	}
	if !s.DM {
		ok, err := r.canManage(ctx, q)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, briefings.Errorf(briefings.EFORBIDDEN, "Stopping a channel's subscription needs the Manage Channels permission or the moderator role.")
		}
	}
	where := "<#" + s.ChannelID + ">"
	if s.DM {
		where = "your DMs"
	}
	if only != nil && len(s.Times) > 1 {
		left, err := r.opts.Subscriptions.RemoveSubscriptionTime(ctx, s.ID, *only, r.now())
		if err != nil {
			return nil, err
		}
		rest := "one continues"
		if len(left.Times) > 1 {
			rest = "ones continue"
		}
		return Ephemeral(fmt.Sprintf("Stopped the %s **%s** digest for %s. The %s %s (%s, %s); the next comes %s.",
			only, escape(s.TopicName), where, scheduleClock(left), rest, left.Zone, left.Days.Human(), stamp(left.NextRun.Unix(), 'R'))), nil
	}
	if err := r.opts.Subscriptions.DeleteSubscription(ctx, s.ID); err != nil {
		return nil, err
	}
	return Ephemeral(fmt.Sprintf("Stopped the **%s** digest for %s. Nothing more will be posted for it.", escape(s.TopicName), where)), nil
}

// subscriptions answers /subscriptions: each subscription with its next
// delivery and how the last one went, and why when it did not go.
func (r *Router) subscriptions(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	subs, err := r.visibleSubscriptions(ctx, q)
	if err != nil {
		return nil, err
	}
	if len(subs) == 0 {
		return Ephemeral("There are no digest subscriptions here yet. Type /subscribe with a topic to start one."), nil
	}
	var fs []*discordgo.MessageEmbedField
	for i, s := range subs {
		if i == maxFields-1 && len(subs) > maxFields {
			fs = append(fs, field("…", fmt.Sprintf("and %d more", len(subs)-i), false))
			break
		}
		fs = append(fs, field(clip(s.TopicName, maxFieldName), subscriptionStatus(s), false))
	}
	return private(message([]*discordgo.MessageEmbed{{
		Title:  "Digest subscriptions",
		Color:  colorDigest,
		Fields: fields(fs...),
		Footer: footer("Type /digest to preview one, /subscribe to change or resume one, /unsubscribe to stop one."),
	}})), nil
}

// subscriptionStatus is the body of a subscription's entry in /subscriptions.
func subscriptionStatus(s *briefings.Subscription) string {
	where := "<#" + s.ChannelID + ">"
	if s.DM {
		where = "your DMs"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "To %s · %s %s, %s", where, scheduleClock(s), s.Zone, s.Days.Human())
	if s.NothingNew {
		b.WriteString(" · says when nothing is new")
	}
	if s.Picture {
		b.WriteString(" · with the week's timeline picture")
	}
	if s.Paused() {
		fmt.Fprintf(&b, "\n⏸️ **Paused**: %s\nFix that, then run /subscribe with the same topic to resume.", escape(briefings.Truncate(oneLine(s.PausedReason), 400)))
	} else {
		fmt.Fprintf(&b, "\nNext: %s (%s)", stamp(s.NextRun.Unix(), 'F'), stamp(s.NextRun.Unix(), 'R'))
	}
	last := "Last: none yet"
	at := ""
	if !s.LastSlot.IsZero() {
		at = " " + stamp(s.LastSlot.Unix(), 'R')
	}
	reason := escape(briefings.Truncate(oneLine(s.LastReason), 300))
	switch s.LastOutcome {
	case briefings.OutcomeDelivered:
		last = "Last: ✅ delivered" + at
	case briefings.OutcomeNothingNew:
		last = "Last: skipped" + at + ", nothing was new"
	case briefings.OutcomeRetrying:
		last = "Last: ⚠️ retrying" + at + ": " + reason
	case briefings.OutcomeFailed:
		last = "Last: ❌ failed" + at + ": " + reason
	case briefings.OutcomeMissed:
		last = "Last: ⏭️ skipped" + at + ": " + reason
	}
	b.WriteString("\n" + last)
	return clip(b.String(), maxFieldValue)
}

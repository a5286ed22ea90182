package commands

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"briefbot/briefings"

	"github.com/bwmarrin/discordgo"
)

// The /feed command and its options.
const (
	cmdFeed = "feed"

	optFeed        = "feed"
	optReviewChan  = "review_channel"
	optAutoPublish = "auto_publish"
	optInterval    = "interval"
)

// registerFeeds adds /feed when the bot keeps feeds.
func (r *Router) registerFeeds() {
	if r.opts.Feeds == nil || r.opts.Curator == nil {
		return
	}
	r.handlers[cmdFeed] = r.feed
	r.completers[cmdFeed+" "+optFeed] = r.completeFeeds
	r.completers[cmdFeed+" "+optTopic] = func(ctx context.Context, q *request, text string) ([]*discordgo.ApplicationCommandOptionChoice, error) {
		names, err := r.completeNames(ctx, q, briefings.NameTopic, text)
		return autocompleteResult(names).Data.Choices, err
	}
	r.extra = append(r.extra, feedCatalog())
}

// feedCatalog returns /feed (Manage Messages by default, in servers only).
func feedCatalog() *discordgo.ApplicationCommand {
	manageMessages := int64(discordgo.PermissionManageMessages)
	one := 1
	text := func(name, desc string, required, autocomplete bool, maxLen int) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: name,
			Description: desc, Required: required, Autocomplete: autocomplete, MinLength: &one, MaxLength: maxLen}
	}
	feedOpt := func() *discordgo.ApplicationCommandOption {
		return text(optFeed, "The feed: start typing its address or title", true, true, briefings.MaxURL)
	}
	sub := func(name, desc string, opts ...*discordgo.ApplicationCommandOption) *discordgo.ApplicationCommandOption {
		if opts == nil {
			opts = []*discordgo.ApplicationCommandOption{}
		}
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionSubCommand, Name: name, Description: desc, Options: opts}
	}
	minInterval, maxInterval := briefings.MinFeedInterval.Minutes(), briefings.MaxFeedInterval.Minutes()
	return &discordgo.ApplicationCommand{
		Type: discordgo.ChatApplicationCommand, Name: cmdFeed, Description: "News feeds whose new items become drafts (moderators)",
		DefaultMemberPermissions: &manageMessages,
		Contexts:                 &[]discordgo.InteractionContextType{discordgo.InteractionContextGuild},
		IntegrationTypes:         &[]discordgo.ApplicationIntegrationType{discordgo.ApplicationIntegrationGuildInstall},
		Options: []*discordgo.ApplicationCommandOption{
			sub("add", "Follow an RSS, Atom or JSON feed: each new item is drafted under a topic for review",
				text(optURL, "The feed's address, e.g. https://example.com/rss.xml", true, false, briefings.MaxURL),
				text(optTopic, "The topic its drafts are filed under, e.g. Ukraine war", true, true, maxNameInput),
				&discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionChannel, Name: optReviewChan,
					Description:  "Where review cards are posted (default: this channel)",
					ChannelTypes: []discordgo.ChannelType{discordgo.ChannelTypeGuildText, discordgo.ChannelTypeGuildNews}},
				&discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionBoolean, Name: optAutoPublish,
					Description: "Publish each draft at once instead of waiting for review (default: False)"},
				&discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionInteger, Name: optInterval,
					Description: "Minutes between polls (default 15, at least 5)", MinValue: &minInterval, MaxValue: maxInterval}),
			sub("list", "This server's feeds: how each is doing, and why a paused one stopped"),
			sub("remove", "Stop following a feed; the drafts and briefings it brought stay", feedOpt()),
			sub("pause", "Stop polling a feed for now", feedOpt(),
				text(optReason, "Why, for /feed list", false, false, 200)),
			sub("resume", "Poll a paused feed again, at once", feedOpt()),
		},
	}
}

// feed answers /feed: every subcommand is for the server's moderators,
// checked here whatever Discord's permission settings say.
func (r *Router) feed(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	if q.guildID == "" {
		return nil, userError("Feeds belong to a server: use /feed in a channel of the server whose library they fill.")
	}
	if err := r.mayCurate(ctx, q, q.guildID); err != nil {
		if briefings.ErrorCode(err) == briefings.EFORBIDDEN {
			return nil, briefings.Errorf(briefings.EFORBIDDEN, "Only moderators can manage feeds: you need the Manage Messages permission or the server's moderator role.")
		}
		return nil, err
	}
	switch q.sub {
	case "add":
		return r.feedAdd(ctx, q)
	case "list":
		return r.feedList(ctx, q)
	case "remove", "pause", "resume":
		return r.feedChange(ctx, q)
	}
	return nil, userError("I don't know /feed %s. Type /feed to see the subcommands.", escape(q.sub))
}

func (r *Router) feedAdd(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	f := briefings.Feed{GuildID: q.guildID, URL: q.str(optURL), Topic: q.str(optTopic), ReviewChannelID: q.channelID(),
		AutoPublish: q.flag(optAutoPublish), AddedBy: q.userID}
	if o := q.opts[optReviewChan]; o != nil {
		if id, ok := o.Value.(string); ok && id != "" {
			f.ReviewChannelID = id
		}
	}
	if q.given(optInterval) {
		f.Interval = time.Duration(q.intOpt(optInterval)) * time.Minute
	}
	limit := r.opts.FeedsPerGuild
	if limit <= 0 {
		limit = briefings.DefaultFeedsPerGuild
	}
	saved, err := r.opts.Feeds.AddFeed(ctx, f, limit)
	if err != nil {
		return nil, err
	}
	msg := fmt.Sprintf("Following <%s>: its new items will be drafted under **%s** every %s, and each draft's review card posted in <#%s>.",
		saved.URL, escape(saved.Topic), minutes(saved.Interval), saved.ReviewChannelID)
	if saved.AutoPublish {
		msg = fmt.Sprintf("Following <%s>: its new items will be published under **%s** at once, every %s; <#%s> is told of each.",
			saved.URL, escape(saved.Topic), minutes(saved.Interval), saved.ReviewChannelID)
	}
	msg += " The first poll comes within a minute; /feed list shows how it went."
	return Ephemeral(msg), nil
}

// minutes shows an interval as Discord users read it.
func minutes(d time.Duration) string {
	if n := int(d.Minutes()); n%60 == 0 && n >= 60 {
		return plural(n/60, "hour", "hours")
	}
	return plural(int(d.Minutes()), "minute", "minutes")
}

func (r *Router) feedList(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	feeds, err := r.opts.Feeds.Feeds(ctx, q.guildID)
	if err != nil {
		return nil, fmt.Errorf("feeds of %s: %w", q.guildID, err)
	}
	if len(feeds) == 0 {
		return Ephemeral("This server follows no feeds. Add one with /feed add."), nil
	}
	l := lines{budget: maxEmbedDesc}
	for _, f := range feeds {
		var b strings.Builder
		fmt.Fprintf(&b, "**%d.** <%s>", f.ID, briefings.Truncate(f.URL, 300))
		if f.Title != "" {
			fmt.Fprintf(&b, " (%s)", escape(oneLine(briefings.Truncate(f.Title, 80))))
		}
		fmt.Fprintf(&b, " → **%s**, every %s", escape(f.Topic), minutes(f.Interval))
		if f.ReviewChannelID != "" {
			fmt.Fprintf(&b, ", review in <#%s>", f.ReviewChannelID)
		}
		if f.AutoPublish {
			b.WriteString(", publishes at once")
		}
		fmt.Fprintf(&b, " · %s", plural(f.Items, "item drafted", "items drafted"))
		switch {
		case f.Paused:
			fmt.Fprintf(&b, "\n⏸ **Paused:** %s Resume it with /feed resume.", escape(oneLine(briefings.Truncate(f.PauseReason, 400))))
		case f.LastError != "":
			fmt.Fprintf(&b, "\n⚠ Failing (%s): %s", plural(f.Failures, "time in a row", "times in a row"), escape(oneLine(briefings.Truncate(f.LastError, 300))))
		case !f.LastOK.IsZero():
			fmt.Fprintf(&b, " · last read %s", discordTime(briefings.Date{T: f.LastOK, P: briefings.PrecisionTime}, 'R'))
		default:
			b.WriteString(" · not read yet")
		}
		if f.CardsWaiting > 0 {
			fmt.Fprintf(&b, "\n📭 %s not posted in <#%s>: %s I keep trying; /feed resume tries at once.",
				plural(f.CardsWaiting, "review card", "review cards"), f.ReviewChannelID, escape(oneLine(briefings.Truncate(f.CardsError, 300))))
		}
		l.add(b.String())
	}
	limit := r.opts.FeedsPerGuild
	if limit <= 0 {
		limit = briefings.DefaultFeedsPerGuild
	}
	return private(message([]*discordgo.MessageEmbed{{
		Title:       fmt.Sprintf("Feeds (%d of %d)", len(feeds), limit),
		Description: l.String(),
		Color:       colorHelp,
		Footer:      footer("A feed is paused after 5 failed polls in a row. Drafts are listed by /briefing drafts."),
	}})), nil
}

func (r *Router) feedChange(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	f, err := r.findFeed(ctx, q.guildID, q.str(optFeed))
	if err != nil {
		return nil, err
	}
	switch q.sub {
	case "remove":
		if err := r.opts.Feeds.RemoveFeed(ctx, q.guildID, f.ID, q.userID); err != nil {
			return nil, err
		}
		return Ephemeral(fmt.Sprintf("Stopped following <%s>. The drafts and briefings it brought stay.", f.URL)), nil
	case "pause":
		reason := strings.TrimSpace(q.str(optReason))
		if reason == "" {
			reason = "Paused by a moderator."
		}
		reason = fmt.Sprintf("%s (<@%s>)", strings.TrimRight(reason, " "), q.userID)
		if err := r.opts.Feeds.SetFeedPaused(ctx, q.guildID, f.ID, true, reason, q.userID); err != nil {
			return nil, err
		}
		return Ephemeral(fmt.Sprintf("Paused <%s>. Resume it with /feed resume.", f.URL)), nil
	default:
		if err := r.opts.Feeds.SetFeedPaused(ctx, q.guildID, f.ID, false, "", q.userID); err != nil {
			return nil, err
		}
		return Ephemeral(fmt.Sprintf("Resumed <%s>: it is polled within a minute.", f.URL)), nil
	}
}

// findFeed finds the guild's feed by its number (what autocomplete sends)
// or its address.
func (r *Router) findFeed(ctx context.Context, guildID, which string) (*briefings.Feed, error) {
	which = strings.TrimSpace(which)
	if id, err := strconv.ParseInt(strings.TrimPrefix(which, "#"), 10, 64); err == nil {
		f, err := r.opts.Feeds.FeedByID(ctx, guildID, id)
		if briefings.ErrorCode(err) == briefings.ENOTFOUND {
			return nil, userError("This server follows no feed %d. Start typing its address to pick it from the list.", id)
		}
		return f, err
	}
	feeds, err := r.opts.Feeds.Feeds(ctx, guildID)
	if err != nil {
		return nil, fmt.Errorf("feeds of %s: %w", guildID, err)
	}
	for _, f := range feeds {
		if f.URL == which || strings.TrimRight(f.URL, "/") == strings.TrimRight(strings.Trim(which, "<>"), "/") {
			return &f, nil
		}
	}
	return nil, userError("This server follows no feed %q. Start typing its address to pick it from the list.", briefings.Truncate(which, 100))
}

// completeFeeds offers the server's feeds matching text, to moderators.
func (r *Router) completeFeeds(ctx context.Context, q *request, text string) ([]*discordgo.ApplicationCommandOptionChoice, error) {
	if q.guildID == "" || r.mayCurate(ctx, q, q.guildID) != nil {
		return nil, nil
	}
	feeds, err := r.opts.Feeds.Feeds(ctx, q.guildID)
	if err != nil {
		return nil, err
	}
	want := briefings.Fold(text)
	var out []*discordgo.ApplicationCommandOptionChoice
	for _, f := range feeds {
		label := f.URL
		if f.Title != "" {
			label = f.Title + " · " + f.URL
		}
		if f.Paused {
			label += " (paused)"
		}
		if want != "" && !strings.Contains(briefings.Fold(label), want) {
			continue
		}
		out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: clip(label, maxChoiceText), Value: strconv.FormatInt(f.ID, 10)})
		if len(out) == maxChoices {
			break
		}
	}
	return out, nil
}

// ReviewCard is the message a feed's draft is offered in, in the feed's
// review channel: the draft with Publish, Edit, Date/source/topics and
// Discard buttons, which check on the bot's side that whoever presses them
// is a moderator. A draft published at once gets the card without buttons.
func (r *Router) ReviewCard(f briefings.Feed, b *briefings.Briefing, note string) *discordgo.MessageSend {
	e, marks := briefingEmbed(b, true)
	var components []discordgo.MessageComponent
	content := "New draft from a feed, for moderators to review. " + note
	if b.Status == briefings.StatusPublished {
		e.Title = clip(b.Title, maxEmbedTitle)
		content = "Published at once from a feed (auto_publish). " + note
		e.Footer = &discordgo.MessageEmbedFooter{Text: fmt.Sprintf("%s, version %d · fix it with /briefing edit, or withdraw it with /briefing retract", b.Slug, b.Version)}
	} else {
		e.Title = clip("Draft: "+b.Title, maxEmbedTitle)
		e.Footer = &discordgo.MessageEmbedFooter{Text: fmt.Sprintf("Draft %s, version %d · %s, %s and %s found in the text; members see it only once published",
			b.Slug, b.Version, plural(len(b.Facts), "candidate fact", "candidate facts"),
			plural(len(b.Actors), "actor", "actors"), plural(len(b.Events), "dated event", "dated events"))}
		components = []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: "Publish", Style: discordgo.SuccessButton, CustomID: target(idPublish, b.ID, b.Version)},
			discordgo.Button{Label: "Edit", Style: discordgo.PrimaryButton, CustomID: target(idEditBtn, b.ID, b.Version)},
			discordgo.Button{Label: "Date, source, topics", Style: discordgo.SecondaryButton, CustomID: target(idDetails, b.ID, b.Version)},
			discordgo.Button{Label: "Discard", Style: discordgo.DangerButton, CustomID: target(idDiscard, b.ID, b.Version)},
		}}}
	}
	components = withMoreFacts(components, b, factsShown(e, marks))
	return &discordgo.MessageSend{Content: clip(content, maxContent), Embeds: []*discordgo.MessageEmbed{e},
		Components: components, AllowedMentions: noMentions()}
}

// FeedUpdateNotice is the message that offers a feed's changed item as an
// update to the draft or briefing made from it.
func (r *Router) FeedUpdateNotice(f briefings.Feed, b *briefings.Briefing, title, link string) *discordgo.MessageSend {
	what := "draft"
	if b.Status != briefings.StatusDraft {
		what = string(b.Status) + " briefing"
	}
	msg := fmt.Sprintf("The feed <%s> changed the item **%s** (<%s>) after it was drafted. The %s **%s** (`%s`) stays as it is: "+
		"compare it with the article, and take the changes in with /briefing edit or /briefing correct.",
		briefings.Truncate(f.URL, 300), escape(oneLine(briefings.Truncate(title, 200))), briefings.Truncate(link, 500), what,
		escape(oneLine(briefings.Truncate(b.Title, 200))), b.Slug)
	return &discordgo.MessageSend{Content: clip(msg, maxContent), AllowedMentions: noMentions()}
}

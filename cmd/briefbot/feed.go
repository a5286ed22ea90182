package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"briefbot/bot/delivery"
	"briefbot/bot/discord"
	"briefbot/briefings"
	"briefbot/briefings/feed"
	"briefbot/commands"
)

const feedUsage = `Usage: briefbot feed COMMAND [flags]

Commands:
  add     follow a feed: --guild ID --topic T [--channel ID] [--auto-publish] [--interval 15m] URL
  list    the guild's feeds, with why a paused one stopped: --guild ID
  remove  stop following a feed (its drafts stay): --guild ID FEED
  pause   stop polling a feed for now: --guild ID [--reason TEXT] FEED
  resume  poll a paused feed again, at once: --guild ID FEED
  poll    poll every feed that is due, draft the new items, and exit: --once

FEED is the feed's number from feed list, or its address.
`

// runFeed implements `briefbot feed add|list|remove|pause|resume|poll`.
func (m *Main) runFeed(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, feedUsage)
		return fmt.Errorf("feed needs a command: %w", errUsage)
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "add":
		return m.feedAdd(ctx, args)
	case "list":
		return m.feedList(ctx, args)
	case "remove", "pause", "resume":
		return m.feedChange(ctx, sub, args)
	case "poll":
		return m.feedPoll(ctx, args)
	case "help", "-h", "--help":
		fmt.Fprint(m.Stdout, feedUsage)
		return nil
	}
	fmt.Fprint(m.Stderr, feedUsage)
	return fmt.Errorf("unknown feed command %q: %w", sub, errUsage)
}

func (m *Main) feedAdd(ctx context.Context, args []string) error {
	fs := m.subFlags("feed add", "--guild ID --topic T [--channel ID] [--auto-publish] [--interval 15m] URL")
	guild := fs.String("guild", "", "the guild whose library the drafts go to (required)")
	topic := fs.String("topic", "", "the topic the drafts are filed under (required)")
	channel := fs.String("channel", "", "the channel ID where review cards are posted")
	auto := fs.Bool("auto-publish", false, "publish each draft at once instead of waiting for review")
	interval := fs.Duration("interval", briefings.DefaultFeedInterval, "time between polls, 5m to 24h")
	by := fs.String("by", "console", "who is adding it, for the audit log")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return usageErr(err)
	}
	if len(rest) != 1 || *guild == "" || *topic == "" {
		fs.Usage()
		return fmt.Errorf("feed add needs --guild, --topic and one URL: %w", errUsage)
	}
	if err := m.openExistingDB(ctx); err != nil {
		return err
	}
	f, err := m.DB.AddFeed(ctx, briefings.Feed{GuildID: *guild, URL: rest[0], Topic: *topic, ReviewChannelID: *channel,
		AutoPublish: *auto, Interval: *interval, AddedBy: *by}, m.Config.FeedsPerGuild)
	if err != nil {
		return cliError(err)
	}
	fmt.Fprintf(m.Stdout, "Following feed %d: %s → %s, every %s. `briefbot feed poll --once` polls it now.\n",
		f.ID, f.URL, f.Topic, f.Interval)
	return nil
}

func (m *Main) feedList(ctx context.Context, args []string) error {
	fs := m.subFlags("feed list", "--guild ID")
	guild := fs.String("guild", "", "the guild (required)")
	if _, err := parseFlags(fs, args); err != nil {
		return usageErr(err)
	}
	if *guild == "" {
		fs.Usage()
		return fmt.Errorf("feed list needs --guild: %w", errUsage)
	}
	if err := m.openExistingDB(ctx); err != nil {
		return err
	}
	feeds, err := m.DB.Feeds(ctx, *guild)
	if err != nil {
		return err
	}
	if len(feeds) == 0 {
		fmt.Fprintln(m.Stdout, "This guild follows no feeds. Add one with `briefbot feed add`.")
		return nil
	}
	for _, f := range feeds {
		writeFeedLine(m.Stdout, f)
	}
	return nil
}

// writeFeedLine prints one feed of `feed list`.
func writeFeedLine(w io.Writer, f briefings.Feed) {
	var b strings.Builder
	fmt.Fprintf(&b, "%d  %s → %s · every %s", f.ID, briefings.EscapeControl(f.URL), briefings.EscapeControl(f.Topic), f.Interval)
	if f.ReviewChannelID != "" {
		fmt.Fprintf(&b, " · review in channel %s", f.ReviewChannelID)
	}
	if f.AutoPublish {
		b.WriteString(" · publishes at once")
	}
	fmt.Fprintf(&b, " · %d drafted", f.Items)
	if !f.LastOK.IsZero() {
		fmt.Fprintf(&b, " · last read %s", f.LastOK.UTC().Format("2006-01-02 15:04 UTC"))
	}
	switch {
	case f.Paused:
		fmt.Fprintf(&b, "\n   PAUSED: %s\n   Resume it with `briefbot feed resume --guild %s %d`.", briefings.EscapeControl(f.PauseReason), f.GuildID, f.ID)
	case f.LastError != "":
		fmt.Fprintf(&b, "\n   failing (%d in a row): %s", f.Failures, briefings.EscapeControl(f.LastError))
	}
	if f.CardsWaiting > 0 {
		fmt.Fprintf(&b, "\n   %s not posted in channel %s: %s The bot keeps trying; `briefbot feed resume --guild %s %d` tries at once.",
			cardsCount(f.CardsWaiting), f.ReviewChannelID, briefings.EscapeControl(f.CardsError), f.GuildID, f.ID)
	}
	fmt.Fprintln(w, b.String())
}

func (m *Main) feedChange(ctx context.Context, sub string, args []string) error {
	fs := m.subFlags("feed "+sub, "--guild ID FEED")
	guild := fs.String("guild", "", "the guild (required)")
	reason := fs.String("reason", "", "why it is paused, for feed list (pause only)")
	by := fs.String("by", "console", "who is doing it, for the audit log")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return usageErr(err)
	}
	if len(rest) != 1 || *guild == "" {
		fs.Usage()
		return fmt.Errorf("feed %s needs --guild and the feed's number or address: %w", sub, errUsage)
	}
	if err := m.openExistingDB(ctx); err != nil {
		return err
	}
	f, err := findFeed(ctx, m.DB, *guild, rest[0])
	if err != nil {
		return cliError(err)
	}
	switch sub {
	case "remove":
		err = m.DB.RemoveFeed(ctx, *guild, f.ID, *by)
	case "pause":
		if *reason == "" {
			*reason = "Paused by a moderator."
		}
		err = m.DB.SetFeedPaused(ctx, *guild, f.ID, true, *reason, *by)
	case "resume":
		err = m.DB.SetFeedPaused(ctx, *guild, f.ID, false, "", *by)
	}
	if err != nil {
		return cliError(err)
	}
	done := map[string]string{"remove": "Stopped following", "pause": "Paused", "resume": "Resumed"}[sub]
	fmt.Fprintf(m.Stdout, "%s feed %d (%s).\n", done, f.ID, f.URL)
	return nil
}

// findFeed finds a guild's feed by its number or its address.
func findFeed(ctx context.Context, store briefings.FeedStore, guildID, which string) (*briefings.Feed, error) {
	which = strings.TrimSpace(which)
	if id, err := strconv.ParseInt(strings.TrimPrefix(which, "#"), 10, 64); err == nil {
		return store.FeedByID(ctx, guildID, id)
	}
	feeds, err := store.Feeds(ctx, guildID)
	if err != nil {
		return nil, err
	}
	for _, f := range feeds {
		if f.URL == which || strings.TrimRight(f.URL, "/") == strings.TrimRight(which, "/") {
			return &f, nil
		}
	}
	return nil, briefings.Errorf(briefings.ENOTFOUND, "This guild follows no feed %q. `briefbot feed list` shows the feeds it follows.", briefings.Truncate(which, 200))
}

// cliError shows an application error's message for people.
func cliError(err error) error {
	if code := briefings.ErrorCode(err); code != briefings.EINTERNAL && code != "" {
		return errors.New(briefings.ErrorMessage(err))
	}
	return err
}

// poller builds the feed poller over the opened library.
func (m *Main) poller(drafter feed.Drafter, reviewer feed.Reviewer) *feed.Poller {
	return &feed.Poller{Store: m.DB, Web: m.articles(), Drafter: drafter, Reviewer: reviewer,
		ItemsPerPoll: m.Config.FeedItemsPerPoll, Logger: m.Logger}
}

func (m *Main) feedPoll(ctx context.Context, args []string) error {
	fs := m.subFlags("feed poll", "--once")
	once := fs.Bool("once", false, "poll every due feed once and exit (required; to keep polling, run briefbot feeds)")
	if _, err := parseFlags(fs, args); err != nil {
		return usageErr(err)
	}
	if !*once {
		fs.Usage()
		return fmt.Errorf("feed poll takes --once; to keep polling, run `briefbot feeds` or `briefbot run`: %w", errUsage)
	}
	if err := m.openExistingDB(ctx); err != nil {
		return err
	}
	router, err := m.router(discord.LocalFiles{})
	if err != nil {
		return err
	}
	cards, err := m.feedCards(router)
	if err != nil {
		return err
	}
	rep, err := m.poller(router, cards).PollDue(ctx)
	writeCardsLine(m.Stdout, rep.Cards)
	for _, r := range rep.Results {
		writePollLine(m.Stdout, r)
	}
	if len(rep.Results) == 0 && err == nil {
		fmt.Fprintln(m.Stdout, "No feed is due.")
	}
	return err
}

// writePollLine prints what one poll of one feed did.
func writePollLine(w io.Writer, r feed.Result) {
	f := r.Feed
	var b strings.Builder
	fmt.Fprintf(&b, "feed %d %s: ", f.ID, briefings.EscapeControl(f.URL))
	switch {
	case r.Err != nil && r.Paused:
		fmt.Fprintf(&b, "failed and is now paused: %s", briefings.EscapeControl(briefings.ErrorMessage(r.Err)))
	case r.Err != nil:
		fmt.Fprintf(&b, "failed (%d in a row): %s", f.Failures+1, briefings.EscapeControl(briefings.ErrorMessage(r.Err)))
	case r.NotModified:
		b.WriteString("not modified")
	default:
		var slugs []string
		for _, d := range r.Drafts {
			slugs = append(slugs, d.Slug+" ("+string(d.Status)+")")
		}
		fmt.Fprintf(&b, "%d new", len(r.Drafts))
		if len(slugs) > 0 {
			b.WriteString(": " + strings.Join(slugs, ", "))
		}
		if r.FromSummary > 0 {
			fmt.Fprintf(&b, "; %d from the feed's summary", r.FromSummary)
		}
		if r.Updated > 0 {
			fmt.Fprintf(&b, "; %d updated", r.Updated)
		}
		if r.Skipped > 0 {
			fmt.Fprintf(&b, "; %d skipped", r.Skipped)
		}
		if r.Waiting > 0 {
			fmt.Fprintf(&b, "; %d left for the next poll", r.Waiting)
		}
		if r.CardsNotPosted > 0 {
			fmt.Fprintf(&b, "; %s not posted: %s", cardsCount(r.CardsNotPosted), briefings.EscapeControl(r.CardError))
		}
	}
	fmt.Fprintln(w, b.String())
}

// writeCardsLine prints what became of the review cards that were
// waiting from earlier polls, if any were due.
func writeCardsLine(w io.Writer, c feed.CardsReport) {
	switch {
	case c.Posted+c.NotPosted == 0:
	case c.NotPosted == 0:
		fmt.Fprintf(w, "Review cards waiting from earlier polls: %d posted.\n", c.Posted)
	default:
		fmt.Fprintf(w, "Review cards waiting from earlier polls: %d posted, %d not posted: %s\n", c.Posted, c.NotPosted, briefings.EscapeControl(c.Error))
	}
}

func cardsCount(n int) string {
	if n == 1 {
		return "1 review card"
	}
	return strconv.Itoa(n) + " review cards"
}

// runFeeds implements `briefbot feeds`: the feed poller alone, until
// interrupted.
func (m *Main) runFeeds(ctx context.Context, args []string) error {
	fs := m.subFlags("feeds", "[--tick 30s]")
	tick := fs.Duration("tick", 30*time.Second, "how often to look for due feeds")
	if rest, err := parseFlags(fs, args); err != nil || len(rest) > 0 {
		if err == nil {
			err = fmt.Errorf("feeds takes no arguments, only --tick: %w", errUsage)
		}
		return usageErr(err)
	}
	if err := m.openExistingDB(ctx); err != nil {
		return err
	}
	router, err := m.router(discord.LocalFiles{})
	if err != nil {
		return err
	}
	cards, err := m.feedCards(router)
	if err != nil {
		return err
	}
	m.Logger.Info("polling feeds", "tick", *tick, "review_cards", cards != nil)
	m.poller(router, cards).Run(ctx, *tick)
	return nil
}

// feedCards posts review cards through a REST session when the bot has a
// token (BRIEFBOT_DISCORD_API_BASE redirects it, for tests); without one
// the drafts wait in /briefing drafts.
func (m *Main) feedCards(router *commands.Router) (feed.Reviewer, error) {
	if m.Config.DiscordToken == "" {
		return nil, nil
	}
	sess, err := discord.NewRESTSession(m.Config.DiscordToken, m.Config.DiscordAPIBase)
	if err != nil {
		return nil, err
	}
	return &delivery.FeedCards{Session: sess, Router: router, Curator: m.DB}, nil
}

// startFeeds polls the feeds beside the gateway bot, in the first shard's
// process only, until ctx ends; the returned channel closes when it has
// stopped.
func (m *Main) startFeeds(ctx context.Context, router *commands.Router) (<-chan struct{}, error) {
	if m.Config.ShardID != 0 {
		done := make(chan struct{})
		close(done)
		return done, nil
	}
	cards, err := m.feedCards(router)
	if err != nil {
		return nil, err
	}
	return delivery.StartFeeds(ctx, m.poller(router, cards), 0), nil
}

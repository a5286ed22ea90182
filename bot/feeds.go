package bot

import (
	"context"
	"fmt"
	"time"

	"briefbot/briefings"
	"briefbot/briefings/feed"
	"briefbot/commands"

	"github.com/bwmarrin/discordgo"
)

// FeedCards posts what the feed poller brings to each feed's review
// channel: a review card per draft, and a notice when an item changes
// after it was drafted. It is the poller's feed.Reviewer.
type FeedCards struct {
	// Session posts the messages through discordgo's rate-limited
	// requester; it needs no gateway connection.
	Session *discordgo.Session
	// Router renders the cards.
	Router *commands.Router
	// Curator finds the draft or briefing a changed item was drafted
	// into.
	Curator briefings.Curator
}

// ReviewDraft posts the draft's review card in the feed's review channel.
func (c *FeedCards) ReviewDraft(ctx context.Context, f briefings.Feed, b *briefings.Briefing, note string) error {
	if _, err := c.Session.ChannelMessageSendComplex(f.ReviewChannelID, c.Router.ReviewCard(f, b, note), discordgo.WithContext(ctx)); err != nil {
		return fmt.Errorf("post review card of %s in %s: %w", b.Slug, f.ReviewChannelID, err)
	}
	return nil
}

// ReviewUpdate offers a changed item as an update to the draft or briefing
// made from it; an item whose draft was discarded is let go.
func (c *FeedCards) ReviewUpdate(ctx context.Context, f briefings.Feed, item briefings.FeedItem, e feed.Entry) error {
	b, err := c.Curator.EditableBriefing(ctx, item.BriefingID)
	if briefings.ErrorCode(err) == briefings.ENOTFOUND {
		return nil
	} else if err != nil {
		return fmt.Errorf("briefing %d of a changed feed item: %w", item.BriefingID, err)
	}
	if _, err := c.Session.ChannelMessageSendComplex(f.ReviewChannelID, c.Router.FeedUpdateNotice(f, b, e.Title, e.Link), discordgo.WithContext(ctx)); err != nil {
		return fmt.Errorf("post update notice of %s in %s: %w", b.Slug, f.ReviewChannelID, err)
	}
	return nil
}

// DefaultFeedTick is how often the running bot looks for due feeds.
const DefaultFeedTick = 30 * time.Second

// StartFeeds polls the due feeds every tick (0: DefaultFeedTick) beside
// the bot until ctx ends; the returned channel closes when polling has
// stopped.
func StartFeeds(ctx context.Context, p *feed.Poller, tick time.Duration) <-chan struct{} {
	if tick <= 0 {
		tick = DefaultFeedTick
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		p.Run(ctx, tick)
	}()
	return done
}

package delivery

import (
	"context"
	"errors"
	"fmt"
	"net/http"
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

// ReviewDraft posts the review card of the feed's draft (or briefing
// published at once) with the ID in the feed's review channel. A draft
// discarded, retracted or not the feed's server's needs no card. When
// Discord refuses the card, the error says why in Discord's terms and what
// to do, for /feed list.
func (c *FeedCards) ReviewDraft(ctx context.Context, f briefings.Feed, briefingID int64, note string) error {
	e, err := c.Curator.EditableBriefing(ctx, briefingID)
	if briefings.ErrorCode(err) == briefings.ENOTFOUND {
		return nil
	} else if err != nil {
		return fmt.Errorf("briefing %d of a review card: %w", briefingID, err)
	}
	if e.GuildID != f.GuildID || e.Status == briefings.StatusRetracted {
		return nil
	}
	b, err := c.Curator.BriefingWithStatus(ctx, f.GuildID, e.Slug, briefings.StatusDraft, briefings.StatusPublished)
	if briefings.ErrorCode(err) == briefings.ENOTFOUND {
		return nil
	} else if err != nil {
		return fmt.Errorf("briefing %q of a review card: %w", e.Slug, err)
	}
	if _, err := c.Session.ChannelMessageSendComplex(f.ReviewChannelID, c.Router.ReviewCard(f, b, note), discordgo.WithContext(ctx)); err != nil {
		return cardRefusal(fmt.Errorf("post review card of %s in %s: %w", b.Slug, f.ReviewChannelID, err))
	}
	return nil
}

// cardRefusal words why Discord did not take a review card, for /feed
// list ("2 review cards not posted in #review: Missing Access — give the
// bot …"); err stays in the chain, for the logs.
func cardRefusal(err error) error {
	var re *discordgo.RESTError
	var rl *discordgo.RateLimitError
	const perms = "give the bot View Channel, Send Messages and Embed Links there"
	var why string
	switch {
	case errors.As(err, &rl):
		why = "Discord asked the bot to slow down (rate limited); it tries again later."
	case errors.As(err, &re) && re.Response != nil:
		code, name := 0, ""
		if re.Message != nil {
			code, name = re.Message.Code, re.Message.Message
		}
		switch {
		case code == discordgo.ErrCodeMissingAccess:
			why = "Missing Access — " + perms + "."
		case code == discordgo.ErrCodeMissingPermissions:
			why = "Missing Permissions — " + perms + "."
		case code == discordgo.ErrCodeUnknownChannel || re.Response.StatusCode == http.StatusNotFound:
			why = "Unknown Channel — the channel was deleted or the bot removed from it; remove the feed and add it again with another review_channel."
		case re.Response.StatusCode == http.StatusForbidden:
			why = fmt.Sprintf("Discord refused it (403, code %d) — %s.", code, perms)
		case re.Response.StatusCode >= 500:
			why = fmt.Sprintf("Discord answered HTTP %d; the bot tries again later.", re.Response.StatusCode)
		default:
			why = fmt.Sprintf("Discord refused it (HTTP %d, code %d: %s).", re.Response.StatusCode, code, briefings.Truncate(name, 100))
		}
	default:
		why = "Discord could not be reached; the bot tries again later."
	}
	return &refusedCard{why: briefings.Errorf(briefings.EINVALID, "%s", why), err: err}
}

// refusedCard is Discord's refusal of a review card: err for the logs,
// why (a briefings.Error) for moderators.
type refusedCard struct {
	why error
	err error
}

func (e *refusedCard) Error() string   { return e.err.Error() }
func (e *refusedCard) Unwrap() []error { return []error{e.why, e.err} }

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

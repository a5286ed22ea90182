package briefings

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits and defaults of feeds.
const (
	// DefaultFeedInterval is how often a feed is polled unless its
	// moderators choose otherwise.
	DefaultFeedInterval = 15 * time.Minute
	// MinFeedInterval is the shortest interval a feed may have: sites are
	// not to be polled harder than that.
	MinFeedInterval = 5 * time.Minute
	// MaxFeedInterval is the longest interval a feed may have.
	MaxFeedInterval = 24 * time.Hour
	// DefaultFeedsPerGuild is how many feeds a guild may follow unless the
	// operators set BRIEFBOT_FEEDS_PER_GUILD.
	DefaultFeedsPerGuild = 20
	// FeedFailuresToPause is how many polls in a row may fail before a
	// feed is paused, with the last failure as the reason.
	FeedFailuresToPause = 5
)

// Feed is a news feed (RSS, Atom or JSON Feed) a guild follows: each new
// item becomes a draft under Topic, reviewed in ReviewChannelID.
type Feed struct {
	// ID identifies the feed in the store.
	ID int64
	// GuildID is the library its drafts go to.
	GuildID string
	// URL is the feed's address as the moderator gave it.
	URL string
	// Topic is the topic its drafts are filed under.
	Topic string
	// ReviewChannelID is where review cards are posted; empty for none
	// (the drafts are still listed by /briefing drafts).
	ReviewChannelID string
	// AutoPublish publishes each draft at once instead of waiting for a
	// moderator.
	AutoPublish bool
	// Interval is the time between two polls.
	Interval time.Duration
	// Title is the feed's own title, from its last successful poll.
	Title string
	// AddedBy and AddedAt say who added the feed, and when.
	AddedBy string
	AddedAt time.Time

	// ETag and LastModified are the validators of the last answer, sent
	// back so that an unchanged feed answers 304.
	ETag, LastModified string
	// NextPoll is when the feed is due.
	NextPoll time.Time
	// LastPolled and LastOK are when it was last polled, and last polled
	// without a failure.
	LastPolled, LastOK time.Time
	// Failures counts the polls that failed in a row.
	Failures int
	// LastError says why the last poll failed; empty after a success.
	LastError string
	// Paused stops polling; PauseReason says why, for /feed list.
	Paused      bool
	PauseReason string
	// Items is how many items of the feed have been drafted.
	Items int
	// CardsWaiting counts the review cards of the feed's drafts that could
	// not be posted yet, though tried; CardsError says why the last try
	// failed, in Discord's terms ("Missing Access — give the bot …
	// there"), for /feed list.
	CardsWaiting int
	CardsError   string
}

// Name is how messages show the feed: its title with its address, or the
// address alone.
func (f *Feed) Name() string {
	if t := strings.TrimSpace(f.Title); t != "" {
		return t + " <" + f.URL + ">"
	}
	return "<" + f.URL + ">"
}

// FeedPoll is the outcome of one poll, for the store to record.
type FeedPoll struct {
	// FeedID is the feed polled; At when.
	FeedID int64
	At     time.Time
	// OK is true when the feed answered (200 or 304) and parsed.
	OK bool
	// ETag, LastModified and Title replace the stored ones when OK and
	// not empty.
	ETag, LastModified, Title string
	// NextPoll is when the feed is due again.
	NextPoll time.Time
	// Reread forgets the stored validators when OK, so that the next poll
	// reads the whole feed: items in it are still waiting their turn.
	Reread bool
	// Failures is the count of failures in a row after this poll.
	Failures int
	// Error says why the poll failed; empty when OK.
	Error string
	// Pause pauses the feed with Error as the reason.
	Pause bool
}

// FeedItemState says what became of a feed's item.
type FeedItemState string

// The states of feed items.
const (
	// FeedItemDrafted: the article was fetched and drafted.
	FeedItemDrafted FeedItemState = "drafted"
	// FeedItemFromSummary: the article page could not be fetched, so the
	// draft was made from the feed's own summary.
	FeedItemFromSummary FeedItemState = "summary"
	// FeedItemPublished: drafted and published at once (auto_publish).
	FeedItemPublished FeedItemState = "published"
	// FeedItemSkipped: left out, such as the backlog beyond the per-poll
	// cap on a feed's first poll.
	FeedItemSkipped FeedItemState = "skipped"
)

// FeedCardState says whether the review card of a feed item's draft is
// still to be posted.
type FeedCardState string

// The states of review cards.
const (
	// FeedCardNone: no card is to be posted (no draft, no review
	// channel, or nothing to post it with).
	FeedCardNone FeedCardState = ""
	// FeedCardWaiting: the card is still to be posted: posting failed,
	// or was not reached. It is tried again at CardNextTry.
	FeedCardWaiting FeedCardState = "waiting"
	// FeedCardDone: the card was posted, or is no longer wanted because
	// its draft is gone.
	FeedCardDone FeedCardState = "done"
)

// FeedItem is an item of a feed as the store remembers it, so that it is
// drafted once.
type FeedItem struct {
	// FeedID is the feed; Key the item's GUID, or its normalised link when
	// it has none.
	FeedID int64
	Key    string
	// Hash is the hash of the item's title and content when last seen.
	Hash string
	// Link and Title are the item's, for messages.
	Link, Title string
	// BriefingID is the draft made from it; 0 when none was (or it was
	// discarded).
	BriefingID int64
	// State says what became of it.
	State FeedItemState
	// SeenAt is when it was first seen; UpdatedAt when its content last
	// changed.
	SeenAt, UpdatedAt time.Time

	// Card says whether the draft's review card is still to be posted;
	// CardNote is the note it carries (such as "Drafted from the feed's
	// summary …").
	Card     FeedCardState
	CardNote string
	// CardTries counts the failed tries to post it; CardError says why
	// the last failed; CardNextTry is when it is tried again.
	CardTries   int
	CardError   string
	CardNextTry time.Time
}

// FeedCard is a review card still to be posted: the item whose draft it
// shows, and the feed it came from.
type FeedCard struct {
	Feed Feed
	Item FeedItem
}

// FeedStore keeps the feeds guilds follow and the items already drafted.
type FeedStore interface {
	// AddFeed stores a new feed and returns it with its ID. Returns
	// EINVALID when the guild already follows maxPerGuild feeds, and
	// ECONFLICT when it already follows the same address.
	AddFeed(ctx context.Context, f Feed, maxPerGuild int) (*Feed, error)
	// Feeds returns the guild's feeds, oldest first.
	Feeds(ctx context.Context, guildID string) ([]Feed, error)
	// FeedByID returns the guild's feed with the ID. Returns ENOTFOUND.
	FeedByID(ctx context.Context, guildID string, id int64) (*Feed, error)
	// RemoveFeed deletes the guild's feed and its item history; the drafts
	// and briefings made from it stay. Returns ENOTFOUND.
	RemoveFeed(ctx context.Context, guildID string, id int64, by string) error
	// SetFeedPaused pauses the feed with the reason, or resumes it (due at
	// once, failures forgotten). Returns ENOTFOUND.
	SetFeedPaused(ctx context.Context, guildID string, id int64, paused bool, reason, by string) error
	// DueFeeds claims and returns the feeds not paused whose next poll is
	// at or before now, the most overdue first, at most limit of them:
	// each is leased to this store's poller until its poll is recorded
	// (or the lease runs out), so that pollers sharing the store never
	// poll one feed at once.
	DueFeeds(ctx context.Context, now time.Time, limit int) ([]Feed, error)
	// RecordFeedPoll stores the outcome of a poll and ends the feed's
	// lease.
	RecordFeedPoll(ctx context.Context, p FeedPoll) error
	// SeenFeedItems returns the feed's remembered items among keys, by key,
	// and which of hashes belong to an item already remembered.
	SeenFeedItems(ctx context.Context, feedID int64, keys, hashes []string) (map[string]FeedItem, map[string]bool, error)
	// SaveFeedItem remembers an item, or updates the one with its key. It
	// leaves the item's review card as it is. (An item drafted is
	// remembered by the Write that saves its draft: Write.FeedItem.)
	SaveFeedItem(ctx context.Context, it FeedItem) error
	// WaitingFeedCards claims and returns the review cards still to be
	// posted whose next try is at or before now, in the order their
	// drafts were made, at most limit of them (0: all), leaving out those
	// of feeds another poller is polling: no other poller sharing the
	// store takes them until RecordFeedCard records the try (or a lease
	// runs out).
	WaitingFeedCards(ctx context.Context, now time.Time, limit int) ([]FeedCard, error)
	// RecordFeedCard records a try to post an item's review card: posted
	// (or no longer wanted) when failure is empty; otherwise failed, for
	// the reason failure gives, to be tried again at retryAt.
	RecordFeedCard(ctx context.Context, feedID int64, key, failure string, retryAt time.Time) error
}

// FeedAuthor is the audit log's user for what a feed did on its own, e.g.
// "feed:3".
func FeedAuthor(feedID int64) string { return fmt.Sprintf("feed:%d", feedID) }

// ValidateFeedURL checks a feed's address: http or https, with a host, no
// user name or password, at most MaxURL characters. It returns the address
// trimmed.
func ValidateFeedURL(raw string) (string, error) {
	raw = strings.TrimSpace(strings.Trim(strings.TrimSpace(raw), "<>"))
	switch {
	case raw == "":
		return "", Errorf(EINVALID, "url: give the feed's address, such as https://example.com/rss.xml.")
	case utf8.RuneCountInString(raw) > MaxURL:
		return "", Errorf(EINVALID, "url: the address is %d characters; the limit is %d.", utf8.RuneCountInString(raw), MaxURL)
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return "", Errorf(EINVALID, "url: %q is not a web address. Give the feed's address, such as https://example.com/rss.xml.", Truncate(raw, 100))
	case u.Scheme != "http" && u.Scheme != "https":
		return "", Errorf(EINVALID, "url: I only read http and https feeds, and %q is not one.", Truncate(raw, 100))
	case u.Host == "":
		return "", Errorf(EINVALID, "url: %q has no site in it. Give the feed's address, such as https://example.com/rss.xml.", Truncate(raw, 100))
	case u.User != nil:
		return "", Errorf(EINVALID, "url: I don't read feeds whose address carries a user name or password.")
	}
	return raw, nil
}

// ValidateFeed checks a feed before it is stored: its address, its topic
// (1 to MaxName characters) and its interval (MinFeedInterval to
// MaxFeedInterval; 0 means DefaultFeedInterval, which it sets).
func ValidateFeed(f *Feed) error {
	u, err := ValidateFeedURL(f.URL)
	if err != nil {
		return err
	}
	f.URL = u
	f.Topic = strings.Join(strings.Fields(f.Topic), " ")
	switch n := utf8.RuneCountInString(f.Topic); {
	case n == 0:
		return Errorf(EINVALID, "topic: name the topic the feed's drafts are filed under, such as Ukraine war.")
	case n > MaxName:
		return Errorf(EINVALID, "topic: the topic is %d characters; the limit is %d.", n, MaxName)
	}
	if f.Interval == 0 {
		f.Interval = DefaultFeedInterval
	}
	if f.Interval < MinFeedInterval || f.Interval > MaxFeedInterval {
		return Errorf(EINVALID, "interval: %s is not allowed; give %d to %d minutes.", f.Interval, int(MinFeedInterval.Minutes()), int(MaxFeedInterval.Minutes()))
	}
	return nil
}

// The audit log's actions on feeds.
const (
	AuditFeedAdd    AuditAction = "feed_add"
	AuditFeedRemove AuditAction = "feed_remove"
	AuditFeedPause  AuditAction = "feed_pause"
	AuditFeedResume AuditAction = "feed_resume"
)

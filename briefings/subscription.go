package briefings

import (
	"context"
	"strconv"
	"time"
)

// Outcome is what happened to a subscription's latest slot, as
// /subscriptions shows it.
type Outcome string

// The outcomes of a slot.
const (
	// OutcomeDelivered: the digest was posted.
	OutcomeDelivered Outcome = "delivered"
	// OutcomeNothingNew: nothing was new, so nothing was posted (or only the
	// one-line notice the subscription asked for).
	OutcomeNothingNew Outcome = "nothing_new"
	// OutcomeRetrying: Discord failed for now; the delivery is retried.
	OutcomeRetrying Outcome = "retrying"
	// OutcomeFailed: Discord refused the delivery for good; the subscription
	// is paused until someone fixes the cause and subscribes again.
	OutcomeFailed Outcome = "failed"
	// OutcomeMissed: the bot was offline at the slot and came back after
	// the grace window, so the slot was skipped.
	OutcomeMissed Outcome = "missed"
)

// Subscription is a channel's or a person's standing order for a digest of a
// topic on a schedule.
type Subscription struct {
	// ID is the store's identifier; 0 before it is saved.
	ID int64
	// GuildID is the guild it was made in, whose library the digest reads
	// (plus the global one); empty when made in a DM.
	GuildID string
	// ChannelID is the channel the digest is posted in; for a personal
	// subscription, the DM channel once it has been opened.
	ChannelID string
	// DM makes it a personal subscription delivered by direct message to
	// UserID.
	DM bool
	// UserID is who subscribed; for a personal subscription, the recipient.
	UserID string
	// Topic is the topic slug; TopicName its display name.
	Topic, TopicName string
	// Times are the local times of day it delivers at, in order (one
	// delivery each); Zone the IANA time zone name; Days the days it runs
	// on.
	Times []Clock
	Zone  string
	Days  Days
	// NothingNew asks for a one-line notice when nothing is new, instead of
	// silence.
	NothingNew bool
	// Picture asks for a picture of the topic's timeline for the week (the
	// past seven days and the next seven) with each digest.
	Picture bool
	// CreatedAt and UpdatedAt are when it was made and last changed.
	CreatedAt, UpdatedAt time.Time
	// NextRun is the next slot, computed in Zone.
	NextRun time.Time
	// Since is where the next digest's period starts: the latest slot
	// delivered (or found empty), or the slot before subscribing.
	Since time.Time
	// PausedReason, when set, says why deliveries stopped.
	PausedReason string
	// LastSlot, LastOutcome and LastReason describe the latest slot handled;
	// LastMessageID is the last message posted.
	LastSlot      time.Time
	LastOutcome   Outcome
	LastReason    string
	LastMessageID string
}

// Paused reports whether deliveries are stopped.
func (s *Subscription) Paused() bool { return s.PausedReason != "" }

// Schedule returns the subscription's schedule with its zone loaded.
// Returns EINVALID if the zone is unknown on this machine.
func (s *Subscription) Schedule() (Schedule, error) {
	loc, err := LoadZone(s.Zone)
	if err != nil {
		return Schedule{}, err
	}
	return Schedule{Times: s.Times, Zone: loc, Days: s.Days}, nil
}

// Shard says which subscriptions one gateway shard delivers: those of the
// guilds it holds, (guild_id >> 22) % Count == ID; shard 0 also delivers
// personal (DM) subscriptions. The zero Shard delivers everything.
type Shard struct {
	ID, Count int
}

// Owns reports whether the shard delivers s.
func (sh Shard) Owns(s *Subscription) bool {
	if sh.Count <= 1 {
		return true
	}
	if s.DM || s.GuildID == "" {
		return sh.ID == 0
	}
	id, err := strconv.ParseUint(s.GuildID, 10, 64)
	if err != nil {
		return sh.ID == 0
	}
	return int((id>>22)%uint64(sh.Count)) == sh.ID
}

// SubscriptionQuery selects subscriptions for listing.
type SubscriptionQuery struct {
	// GuildID selects the guild's channel subscriptions.
	GuildID string
	// UserID adds the person's own subscriptions (personal ones made in
	// GuildID, or anywhere when GuildID is empty).
	UserID string
}

// Subscriptions stores digest subscriptions. *db.DB implements it.
type Subscriptions interface {
	// SaveSubscription creates s, or updates the subscription with the same
	// guild, target (channel or person) and topic: that one gains s's Times
	// (none keeps its own; a new one without any gets DefaultClock), takes
	// s's zone, days and notice setting, and resumes if it was paused. It
	// computes NextRun and Since from now. Returns the stored subscription
	// and whether it is new. Returns EINVALID, also for more than MaxTimes
	// times.
	SaveSubscription(ctx context.Context, s *Subscription, now time.Time) (*Subscription, bool, error)
	// Subscription returns one subscription. Returns ENOTFOUND.
	Subscription(ctx context.Context, id int64) (*Subscription, error)
	// ListSubscriptions returns the subscriptions q selects, by topic then
	// time.
	ListSubscriptions(ctx context.Context, q SubscriptionQuery) ([]*Subscription, error)
	// DeleteSubscription removes a subscription and its pending deliveries.
	// Returns ENOTFOUND.
	DeleteSubscription(ctx context.Context, id int64) error
	// RemoveSubscriptionTime stops one time of day of a subscription with
	// several and returns what remains. Returns ENOTFOUND, ECONFLICT, and
	// EINVALID when c is not one of its times or is the only one.
	RemoveSubscriptionTime(ctx context.Context, id int64, c Clock, now time.Time) (*Subscription, error)
	// ChangedBriefings returns the published and retracted briefings on the
	// topic, visible to guildID, that were saved after since and at or
	// before until, oldest change first.
	ChangedBriefings(ctx context.Context, guildID, topic string, since, until time.Time) ([]*Briefing, error)
}

// GuildDefaults is what subscriptions read from a guild's settings when the
// settings store provides it: the default time zone and the moderator role.
// Empty strings mean not set.
type GuildDefaults interface {
	// GuildTimezone returns the guild's default IANA time zone, or "".
	GuildTimezone(ctx context.Context, guildID string) (string, error)
	// ModeratorRole returns the ID of the guild's moderator role, or "".
	ModeratorRole(ctx context.Context, guildID string) (string, error)
}

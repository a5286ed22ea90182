package briefings

import (
	"context"
	"fmt"
	"sort"
	"time"
)

// UpcomingWindow is how far ahead a digest lists dated events.
const UpcomingWindow = 7 * 24 * time.Hour

// Digest is what is new on a topic over a period: briefings published or
// updated, corrections and retractions, and the dated events of the coming
// week.
type Digest struct {
	// GuildID is the library read (plus the global one); Topic the topic.
	GuildID string
	Topic   Topic
	// Since and Until bound the period: changes after Since, at or before
	// Until.
	Since, Until time.Time
	// Published are briefings added to the library in the period.
	Published []*Briefing
	// Updated are briefings changed in the period without a new correction.
	Updated []*Briefing
	// Corrected are briefings that gained corrections in the period, with
	// those corrections.
	Corrected []CorrectedBriefing
	// Retracted are briefings withdrawn in the period.
	Retracted []*Briefing
	// Upcoming are dated events from Until's day through the next 7 days.
	Upcoming []EventRef
	// NewlyUpcoming counts the Upcoming events that came within the window
	// during the period (they were further away at Since).
	NewlyUpcoming int
}

// CorrectedBriefing is a briefing with the corrections it gained.
type CorrectedBriefing struct {
	Briefing    *Briefing
	Corrections []Correction
}

// Empty reports whether nothing is new: no briefing changed and no event
// came within the week ahead. Upcoming events already announced do not
// count, so a quiet topic stays quiet.
func (d *Digest) Empty() bool {
	return len(d.Published)+len(d.Updated)+len(d.Corrected)+len(d.Retracted) == 0 && d.NewlyUpcoming == 0
}

// DigestSource is what composing a digest reads: the subscription store's
// changed briefings and the library's topics and events.
type DigestSource interface {
	ChangedBriefings(ctx context.Context, guildID, topic string, since, until time.Time) ([]*Briefing, error)
	// TopicToCurate returns the topic in guildID's library or the global
	// one whatever its briefings, so that a digest announces the
	// retraction of a topic's last briefing. Returns ENOTFOUND.
	TopicToCurate(ctx context.Context, guildID, text string) (*Topic, error)
	Events(ctx context.Context, q EventQuery) ([]EventRef, error)
}

// ComposeDigest gathers what is new on the topic in guildID's library over
// (since, until]. Returns ENOTFOUND for a topic guildID's library and the
// global one do not have (another guild's topic is unknown).
func ComposeDigest(ctx context.Context, src DigestSource, guildID, topic string, since, until time.Time) (*Digest, error) {
	t, err := src.TopicToCurate(ctx, guildID, topic)
	if err != nil {
		return nil, err
	}
	d := &Digest{GuildID: guildID, Topic: *t, Since: since.UTC(), Until: until.UTC()}
	changed, err := src.ChangedBriefings(ctx, guildID, t.Slug, since, until)
	if err != nil {
		return nil, fmt.Errorf("compose digest: %w", err)
	}
	sinceDay := DateFromTime(since)
	for _, b := range changed {
		switch {
		case b.Status == StatusRetracted:
			d.Retracted = append(d.Retracted, b)
		case b.CreatedAt.After(since):
			d.Published = append(d.Published, b)
		default:
			var fresh []Correction
			for _, c := range b.Corrections {
				if !c.Date.IsZero() && !c.Date.Before(sinceDay) {
					fresh = append(fresh, c)
				}
			}
			if len(fresh) > 0 {
				d.Corrected = append(d.Corrected, CorrectedBriefing{Briefing: b, Corrections: fresh})
			} else {
				d.Updated = append(d.Updated, b)
			}
		}
	}
	newest := func(bs []*Briefing) {
		sort.SliceStable(bs, func(i, j int) bool { return bs[j].Published.Before(bs[i].Published) })
	}
	newest(d.Published)
	newest(d.Updated)
	newest(d.Retracted)

	from := DateFromTime(until)
	to := Date{T: from.T.Add(UpcomingWindow + 24*time.Hour), P: PrecisionDay}
	events, err := src.Events(ctx, EventQuery{GuildID: guildID, Topic: t.Slug, From: from, To: to})
	if err != nil {
		return nil, fmt.Errorf("compose digest: upcoming events: %w", err)
	}
	d.Upcoming = events
	horizon := DateFromTime(since).T.Add(UpcomingWindow + 24*time.Hour)
	for _, e := range events {
		if !e.Date.T.Before(horizon) {
			d.NewlyUpcoming++
		}
	}
	return d, nil
}

package delivery

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"briefbot/briefings"
	"briefbot/commands"

	"github.com/bwmarrin/discordgo"
)

// DueLister lists the deliveries a run would make without claiming them;
// *db.DB is one.
type DueLister interface {
	// DueDeliveries returns the pending deliveries of the shard and the
	// ones a run at now would claim, writing nothing.
	DueDeliveries(ctx context.Context, now time.Time, grace time.Duration, shard briefings.Shard) ([]*briefings.Delivery, error)
}

// PlannedDelivery is one delivery a run would make, as a dry run shows it.
type PlannedDelivery struct {
	// Delivery is the slot and its subscription; ID 0 when not yet claimed.
	Delivery *briefings.Delivery
	// Messages are the messages still to post, in order; none when nothing
	// is new and the subscription asked for silence.
	Messages []*discordgo.MessageSend
	// Skipped, when set, says why nothing would be posted.
	Skipped string
}

// Plan returns what RunDue at now would post, and where, for a dry run. It
// reads from due, the stored digests and the library, and writes nothing:
// no slot is claimed, no digest stored, no delivery recorded, and nothing
// is sent to Discord (Session may be nil).
func (d *Deliverer) Plan(ctx context.Context, now time.Time, due DueLister) ([]PlannedDelivery, error) {
	d.init()
	list, err := due.DueDeliveries(ctx, now, d.grace, d.Shard)
	if err != nil {
		return nil, fmt.Errorf("dry run: %w", err)
	}
	parts := map[briefings.DigestKey][]string{}
	out := make([]PlannedDelivery, 0, len(list))
	for _, p := range list {
		sub := p.Subscription
		if sub.Paused() {
			out = append(out, PlannedDelivery{Delivery: p, Skipped: "the subscription is paused: " + sub.PausedReason})
			continue
		}
		key := briefings.DigestKey{GuildID: sub.GuildID, Topic: sub.Topic, Since: p.Since, Until: p.Slot}
		ps, ok := parts[key]
		if !ok {
			if sd, err := d.Store.Digest(ctx, key); err == nil {
				ps = sd.Parts
			} else if briefings.ErrorCode(err) != briefings.ENOTFOUND {
				return nil, fmt.Errorf("dry run: %w", err)
			} else if ps, err = d.compose(ctx, key); err != nil {
				return nil, err
			}
			parts[key] = ps
		}
		pd := PlannedDelivery{Delivery: p}
		if len(ps) == 0 {
			if sub.NothingNew {
				pd.Messages = []*discordgo.MessageSend{commands.NothingNewMessage(sub.TopicName, p.Since)}
			}
			out = append(out, pd)
			continue
		}
		for _, raw := range ps[min(p.PartsSent, len(ps)):] {
			var body messageBody
			if err := json.Unmarshal([]byte(raw), &body); err != nil {
				return nil, fmt.Errorf("dry run: decode stored digest part: %w", err)
			}
			pd.Messages = append(pd.Messages, &discordgo.MessageSend{Content: body.Content, Embeds: body.Embeds})
		}
		out = append(out, pd)
	}
	return out, nil
}

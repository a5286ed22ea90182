package main

import (
	"context"
	"fmt"
	"time"

	"briefbot/bot/console"
	"briefbot/bot/delivery"
	"briefbot/briefings"
)

// deliverDryRun prints each digest message that is due at now, with where
// it would go, without any Discord call and without claiming, storing or
// recording anything.
func (m *Main) deliverDryRun(ctx context.Context, now time.Time) error {
	d := &delivery.Deliverer{Store: m.DB, Source: m.DB, Logger: m.Logger,
		Shard: briefings.Shard{ID: m.Config.ShardID, Count: m.Config.ShardCount}}
	plan, err := d.Plan(ctx, now, m.DB)
	if err != nil {
		return err
	}
	messages := 0
	for _, p := range plan {
		sub := p.Delivery.Subscription
		fmt.Fprintf(m.Stdout, "== subscription %d (%s), slot %s: %s\n", sub.ID, sub.TopicName, slotTime(p.Delivery.Slot, sub.Zone), destination(sub))
		switch {
		case p.Skipped != "":
			fmt.Fprintf(m.Stdout, "nothing would be posted: %s\n\n", p.Skipped)
		case len(p.Messages) == 0:
			fmt.Fprint(m.Stdout, "nothing new, and the subscription asked for silence: nothing would be posted\n\n")
		}
		for i, msg := range p.Messages {
			fmt.Fprintf(m.Stdout, "-- message %d of %d\n%s\n", i+1, len(p.Messages), console.RenderMessage(msg, now))
			messages++
		}
	}
	fmt.Fprintf(m.Stdout, "dry run: %d deliveries due, %d messages; nothing was posted or marked delivered\n", len(plan), messages)
	return nil
}

// destination says where a subscription's digest goes, in Discord's terms.
func destination(s *briefings.Subscription) string {
	if s.DM {
		return fmt.Sprintf("by direct message to user %s", s.UserID)
	}
	if s.GuildID == "" {
		return fmt.Sprintf("in channel %s", s.ChannelID)
	}
	return fmt.Sprintf("in channel %s of server %s", s.ChannelID, s.GuildID)
}

// slotTime shows a slot in the subscription's own zone, and in UTC.
func slotTime(t time.Time, zone string) string {
	utc := t.UTC().Format("2006-01-02 15:04 MST")
	loc, err := briefings.LoadZone(zone)
	if err != nil || loc == time.UTC {
		return utc
	}
	return t.In(loc).Format("2006-01-02 15:04 MST") + " (" + utc + ")"
}

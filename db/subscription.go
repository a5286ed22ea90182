package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"briefbot/briefings"
)

var (
	_ briefings.Subscriptions = (*DB)(nil)
	_ briefings.Outbox        = (*DB)(nil)
)

// subStampLayout stores instants as fixed-width UTC text, so that text order is
// time order.
const subStampLayout = "2006-01-02T15:04:05.000000000Z"

func subStamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(subStampLayout)
}

func parseSubStamp(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(subStampLayout, s)
	if err != nil {
		return parseTime(s)
	}
	return t
}

// subTarget is the unique key of where a subscription delivers.
func subTarget(s *briefings.Subscription) string {
	if s.DM {
		return "u:" + s.UserID
	}
	return "c:" + s.ChannelID
}

// A subscription's topic has the name its guild's library gives it (the
// global library's for one made in direct messages).
var subscriptionColumns = `s.id, s.guild_id, s.channel_id, s.dm, s.user_id, s.topic, coalesce(` + topicNameOf("s.topic", "s.guild_id") + `, s.topic),
	s.hour, s.minute, s.times, s.zone, s.days, s.nothing_new, s.picture, s.created_at, s.updated_at, s.next_run, s.since,
	s.paused_reason, s.last_slot, s.last_outcome, s.last_reason, s.last_message_id`

const subscriptionFrom = ` FROM subscriptions s `

func scanSubscription(row scanner) (*briefings.Subscription, error) {
	s := &briefings.Subscription{}
	var days, times, created, updated, next, since, lastSlot, outcome string
	var first briefings.Clock
	if err := row.Scan(&s.ID, &s.GuildID, &s.ChannelID, &s.DM, &s.UserID, &s.Topic, &s.TopicName,
		&first.Hour, &first.Minute, &times, &s.Zone, &days, &s.NothingNew, &s.Picture, &created, &updated, &next, &since,
		&s.PausedReason, &lastSlot, &outcome, &s.LastReason, &s.LastMessageID); err != nil {
		return nil, err
	}
	// times was written by FormatClocks; hour and minute stand in for a
	// row written before it, should one appear.
	s.Times = []briefings.Clock{first}
	if cs, err := briefings.ParseTimes(times); err == nil && len(cs) > 0 {
		s.Times = cs
	}
	s.Days, s.LastOutcome = briefings.Days(days), briefings.Outcome(outcome)
	s.CreatedAt, s.UpdatedAt, s.NextRun = parseSubStamp(created), parseSubStamp(updated), parseSubStamp(next)
	s.Since, s.LastSlot = parseSubStamp(since), parseSubStamp(lastSlot)
	return s, nil
}

// SaveSubscription creates s, or updates the subscription of the same
// guild, target and topic: it gains s's times, takes s's zone, days and
// notice setting, and resumes if it was paused. Returns EINVALID for an
// unknown topic, time zone or schedule, or too many times.
func (db *DB) SaveSubscription(ctx context.Context, s *briefings.Subscription, now time.Time) (*briefings.Subscription, bool, error) {
	switch {
	case s.DM && s.UserID == "":
		return nil, false, briefings.Errorf(briefings.EINVALID, "A personal subscription needs the person to deliver to.")
	case !s.DM && s.ChannelID == "":
		return nil, false, briefings.Errorf(briefings.EINVALID, "A channel subscription needs a channel.")
	}
	if days, err := briefings.ParseDays(string(s.Days)); err != nil {
		return nil, false, err
	} else if days != s.Days {
		return nil, false, briefings.Errorf(briefings.EINVALID, "%q is not a schedule in its stored form; use %q.", s.Days, days)
	}
	if _, err := s.Schedule(); err != nil {
		return nil, false, err
	}
	var id int64
	created := false
	err := db.writeSubs(ctx, func(tx *sql.Tx) error {
		// Only a topic the guild sees: its own or a global one (in direct
		// messages, a global one).
		var slug string
		if err := tx.QueryRowContext(ctx, `SELECT slug FROM topics WHERE slug = ? AND guild_id IN (?, '')`, s.Topic, s.GuildID).Scan(&slug); errors.Is(err, sql.ErrNoRows) {
			return briefings.Errorf(briefings.EINVALID, "There is no topic %q. Type /topics to see them.", s.Topic)
		} else if err != nil {
			return fmt.Errorf("find topic: %w", err)
		}
		var had string
		err := tx.QueryRowContext(ctx, `SELECT id, times FROM subscriptions WHERE guild_id = ? AND target = ? AND topic = ?`,
			s.GuildID, subTarget(s), s.Topic).Scan(&id, &had)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("find subscription: %w", err)
		}
		exists := err == nil
		// Subscribing again at another time adds that time: morning and
		// evening digests of one topic to one place are one subscription,
		// whose period runs from one delivery to the next.
		var before []briefings.Clock
		if exists {
			before, _ = briefings.ParseTimes(had)
		}
		times := briefings.SortClocks(append(slices.Clone(before), s.Times...))
		if len(times) == 0 {
			times = []briefings.Clock{briefings.DefaultClock}
		}
		if len(times) > briefings.MaxTimes {
			return briefings.Errorf(briefings.EINVALID, "A subscription can deliver at most %d times a day, and this one already has %s. Stop one of them with /unsubscribe first.",
				briefings.MaxTimes, briefings.HumanClocks(before))
		}
		sched, err := (&briefings.Subscription{Times: times, Zone: s.Zone, Days: s.Days}).Schedule()
		if err != nil {
			return err
		}
		next := sched.Next(now)
		if !exists {
			// The first digest covers the period a regular one would:
			// since the slot before subscribing.
			since := sched.Latest(now)
			if since.IsZero() {
				since = now.Add(-24 * time.Hour)
			}
			res, err := tx.ExecContext(ctx, `INSERT INTO subscriptions (guild_id, target, channel_id, dm, user_id, topic,
				hour, minute, times, zone, days, nothing_new, picture, created_at, updated_at, next_run, since)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				s.GuildID, subTarget(s), s.ChannelID, s.DM, s.UserID, s.Topic, times[0].Hour, times[0].Minute,
				briefings.FormatClocks(times), s.Zone, string(s.Days), s.NothingNew, s.Picture, subStamp(now), subStamp(now), subStamp(next), subStamp(since))
			if err != nil {
				return fmt.Errorf("insert subscription: %w", err)
			}
			created = true
			id, err = res.LastInsertId()
			return err
		}
		// An update keeps the period start so nothing is skipped, and
		// resumes a paused subscription.
		_, err = tx.ExecContext(ctx, `UPDATE subscriptions SET channel_id = CASE WHEN dm != 0 THEN channel_id ELSE ? END,
			user_id = ?, hour = ?, minute = ?, times = ?, zone = ?, days = ?, nothing_new = ?, picture = ?, updated_at = ?, next_run = ?,
			paused_reason = '' WHERE id = ?`,
			s.ChannelID, s.UserID, times[0].Hour, times[0].Minute, briefings.FormatClocks(times), s.Zone, string(s.Days),
			s.NothingNew, s.Picture, subStamp(now), subStamp(next), id)
		if err != nil {
			return fmt.Errorf("update subscription: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	out, err := db.Subscription(ctx, id)
	return out, created, err
}

// Subscription returns one subscription. Returns ENOTFOUND.
func (db *DB) Subscription(ctx context.Context, id int64) (*briefings.Subscription, error) {
	var s *briefings.Subscription
	err := db.read(ctx, func(tx *sql.Tx) error {
		var err error
		s, err = scanSubscription(tx.QueryRowContext(ctx, `SELECT `+subscriptionColumns+subscriptionFrom+`WHERE s.id = ?`, id))
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, briefings.Errorf(briefings.ENOTFOUND, "That subscription no longer exists. Type /subscriptions to see the current ones.")
	} else if err != nil {
		return nil, fmt.Errorf("subscription %d: %w", id, err)
	}
	return s, nil
}

// ListSubscriptions returns the guild's channel subscriptions and the
// user's personal ones, by topic, then time of day.
func (db *DB) ListSubscriptions(ctx context.Context, q briefings.SubscriptionQuery) ([]*briefings.Subscription, error) {
	where := `WHERE (s.guild_id = ?1 AND ?1 != '' AND s.dm = 0) OR (s.dm = 1 AND s.user_id = ?2 AND ?2 != '' AND (?1 = '' OR s.guild_id = ?1))`
	var out []*briefings.Subscription
	err := db.read(ctx, func(tx *sql.Tx) error {
		return eachRow(ctx, tx, `SELECT `+subscriptionColumns+subscriptionFrom+where+
			` ORDER BY s.topic, s.hour, s.minute, s.id`, []any{q.GuildID, q.UserID}, func(rows *sql.Rows) error {
			s, err := scanSubscription(rows)
			if err == nil {
				out = append(out, s)
			}
			return err
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list subscriptions: %w", err)
	}
	return out, nil
}

// DeleteSubscription removes a subscription with its outbox rows. Returns
// ENOTFOUND.
func (db *DB) DeleteSubscription(ctx context.Context, id int64) error {
	return db.writeSubs(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM subscriptions WHERE id = ?`, id)
		if err != nil {
			return fmt.Errorf("delete subscription %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return briefings.Errorf(briefings.ENOTFOUND, "That subscription no longer exists. Type /subscriptions to see the current ones.")
		}
		return nil
	})
}

// RemoveSubscriptionTime stops one time of day of a subscription that has
// several, keeping the others and the period start. Returns ENOTFOUND, and
// EINVALID when c is not one of its times or is the only one.
func (db *DB) RemoveSubscriptionTime(ctx context.Context, id int64, c briefings.Clock, now time.Time) (*briefings.Subscription, error) {
	s, err := db.Subscription(ctx, id)
	if err != nil {
		return nil, err
	}
	before := briefings.FormatClocks(s.Times)
	var keep []briefings.Clock
	for _, t := range s.Times {
		if t != c {
			keep = append(keep, t)
		}
	}
	switch {
	case len(keep) == len(s.Times):
		return nil, briefings.Errorf(briefings.EINVALID, "That subscription has no %s digest. Type /subscriptions to see its times.", c)
	case len(keep) == 0:
		return nil, briefings.Errorf(briefings.EINVALID, "%s is the subscription's only time; stop the whole subscription instead.", c)
	}
	s.Times = keep
	sched, err := s.Schedule()
	if err != nil {
		return nil, err
	}
	err = db.writeSubs(ctx, func(tx *sql.Tx) error {
		// The outbox rows already claimed for the removed time still go
		// out: they were due before the change.
		res, err := tx.ExecContext(ctx, `UPDATE subscriptions SET hour = ?, minute = ?, times = ?, updated_at = ?,
			next_run = CASE WHEN next_run <= ? THEN next_run ELSE ? END WHERE id = ? AND times = ?`,
			keep[0].Hour, keep[0].Minute, briefings.FormatClocks(keep), subStamp(now), subStamp(now), subStamp(sched.Next(now)),
			id, before)
		if err != nil {
			return fmt.Errorf("remove time %s of subscription %d: %w", c, id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return briefings.Errorf(briefings.ECONFLICT, "That subscription changed meanwhile. Type /subscriptions to see it now, then try again.")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return db.Subscription(ctx, id)
}

// writeSubs runs fn in the writer's transaction and commits it.
func (db *DB) writeSubs(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin write: %w", err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// ChangedBriefings returns the published and retracted briefings on the
// topic visible to guildID that were saved in (since, until], oldest change
// first, with their details.
func (db *DB) ChangedBriefings(ctx context.Context, guildID, topic string, since, until time.Time) ([]*briefings.Briefing, error) {
	// updated_at is RFC 3339 text of varying width; the query narrows by
	// whole seconds and the exact bounds are checked on parsed times.
	lo := since.UTC().Format("2006-01-02T15:04:05")
	hi := until.UTC().Add(time.Second).Format("2006-01-02T15:04:05")
	var bs []*briefings.Briefing
	err := db.read(ctx, func(tx *sql.Tx) error {
		var err error
		bs, err = loadBriefings(ctx, tx, `WHERE `+visible("b")+` AND b.status IN ('published', 'retracted')
			AND b.updated_at >= ? AND b.updated_at < ?
			AND b.id IN (SELECT briefing_id FROM briefing_topics WHERE topic_slug = ?)
			ORDER BY b.updated_at, b.id`, guildID, lo, hi, briefings.Slugify(topic))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("changed briefings: %w", err)
	}
	out := bs[:0]
	for _, b := range bs {
		if b.UpdatedAt.After(since) && !b.UpdatedAt.After(until) {
			out = append(out, b)
		}
	}
	return out, nil
}

package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"briefbot/briefings"
)

var _ briefings.FeedStore = (*DB)(nil)

const feedColumns = `f.id, f.guild_id, f.url, f.topic, f.review_channel_id, f.auto_publish, f.interval_seconds, f.title,
	f.added_by, f.added_at, f.etag, f.last_modified, f.next_poll_at, f.last_polled_at, f.last_ok_at, f.failures,
	f.last_error, f.paused_at, f.pause_reason,
	(SELECT count(*) FROM feed_items i WHERE i.feed_id = f.id AND i.briefing_id <> 0),
	(SELECT count(*) FROM feed_items w WHERE w.feed_id = f.id AND w.card = 'waiting' AND w.card_tries > 0),
	coalesce((SELECT w.card_error FROM feed_items w WHERE w.feed_id = f.id AND w.card = 'waiting' AND w.card_tries > 0
		ORDER BY w.card_tried_at DESC LIMIT 1), '')`

// scanFeed reads feedColumns, then the extra columns into extra.
func scanFeed(row scanner, extra ...any) (*briefings.Feed, error) {
	f := &briefings.Feed{}
	var interval int64
	var added, next, polled, ok, paused string
	dest := append([]any{&f.ID, &f.GuildID, &f.URL, &f.Topic, &f.ReviewChannelID, &f.AutoPublish, &interval, &f.Title,
		&f.AddedBy, &added, &f.ETag, &f.LastModified, &next, &polled, &ok, &f.Failures,
		&f.LastError, &paused, &f.PauseReason, &f.Items, &f.CardsWaiting, &f.CardsError}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	f.Interval = time.Duration(interval) * time.Second
	f.AddedAt, f.NextPoll, f.LastPolled, f.LastOK = parseSubStamp(added), parseSubStamp(next), parseSubStamp(polled), parseSubStamp(ok)
	f.Paused = paused != ""
	return f, nil
}

// AddFeed stores a new feed, due at once. Returns EINVALID when the feed is
// invalid or the guild already follows maxPerGuild feeds, and ECONFLICT when
// it already follows the address.
func (db *DB) AddFeed(ctx context.Context, f briefings.Feed, maxPerGuild int) (*briefings.Feed, error) {
	if err := briefings.ValidateFeed(&f); err != nil {
		return nil, err
	}
	if f.GuildID == "" {
		return nil, briefings.Errorf(briefings.EINVALID, "Feeds belong to a server: add them from a channel of that server, or give --guild.")
	}
	now, _ := db.now()
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM feeds WHERE guild_id = ?`, f.GuildID).Scan(&n); err != nil {
		return nil, fmt.Errorf("count feeds: %w", err)
	}
	if maxPerGuild > 0 && n >= maxPerGuild {
		return nil, briefings.Errorf(briefings.EINVALID, "This server already follows %d feeds, the most it may. Remove one with /feed remove first.", n)
	}
	var existing int64
	err = tx.QueryRowContext(ctx, `SELECT id FROM feeds WHERE guild_id = ? AND url = ?`, f.GuildID, f.URL).Scan(&existing)
	if err == nil {
		return nil, briefings.Errorf(briefings.ECONFLICT, "This server already follows <%s> (feed %d). Remove it first to add it again with other settings.", f.URL, existing)
	} else if !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("find feed: %w", err)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO feeds (guild_id, url, topic, review_channel_id, auto_publish, interval_seconds, added_by, added_at, next_poll_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, f.GuildID, f.URL, f.Topic, f.ReviewChannelID, f.AutoPublish, int64(f.Interval/time.Second),
		f.AddedBy, subStamp(now), subStamp(now))
	if err != nil {
		return nil, conflict(err, "add feed %s", f.URL)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return nil, fmt.Errorf("feed id: %w", err)
	}
	if err := insertAudit(ctx, tx, auditRow{at: now.Format(time.RFC3339Nano), guildID: f.GuildID, userID: f.AddedBy,
		action: briefings.AuditFeedAdd, target: fmt.Sprintf("feed:%d", id), after: f.URL + " → " + f.Topic}); err != nil {
		return nil, err
	}
	out, err := scanFeed(tx.QueryRowContext(ctx, `SELECT `+feedColumns+` FROM feeds f WHERE f.id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("reload feed %d: %w", id, err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("commit: %w", err)
	}
	return out, nil
}

// readFeeds reads the feeds that the rest of a query (its WHERE and ORDER
// BY clauses, over feeds f) selects.
func (db *DB) readFeeds(ctx context.Context, rest string, args ...any) ([]briefings.Feed, error) {
	var out []briefings.Feed
	err := eachRow(ctx, db.readers, `SELECT `+feedColumns+` FROM feeds f `+rest, args, func(rows *sql.Rows) error {
		f, err := scanFeed(rows)
		if err != nil {
			return err
		}
		out = append(out, *f)
		return nil
	})
	return out, err
}

// Feeds returns the guild's feeds, oldest first.
func (db *DB) Feeds(ctx context.Context, guildID string) ([]briefings.Feed, error) {
	out, err := db.readFeeds(ctx, `WHERE f.guild_id = ? ORDER BY f.id`, guildID)
	if err != nil {
		return nil, fmt.Errorf("feeds of %q: %w", guildID, err)
	}
	return out, nil
}

// FeedByID returns the guild's feed with the ID. Returns ENOTFOUND.
func (db *DB) FeedByID(ctx context.Context, guildID string, id int64) (*briefings.Feed, error) {
	f, err := scanFeed(db.readers.QueryRowContext(ctx, `SELECT `+feedColumns+` FROM feeds f WHERE f.id = ? AND f.guild_id = ?`, id, guildID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, briefings.Errorf(briefings.ENOTFOUND, "This server follows no feed %d. /feed list shows the feeds it follows.", id)
	} else if err != nil {
		return nil, fmt.Errorf("feed %d: %w", id, err)
	}
	return f, nil
}

// RemoveFeed deletes the guild's feed and its item history. Returns
// ENOTFOUND.
func (db *DB) RemoveFeed(ctx context.Context, guildID string, id int64, by string) error {
	return db.feedWrite(ctx, guildID, id, func(tx *sql.Tx, f *briefings.Feed, at string) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM feeds WHERE id = ?`, id); err != nil {
			return fmt.Errorf("remove feed %d: %w", id, err)
		}
		return insertAudit(ctx, tx, auditRow{at: at, guildID: guildID, userID: by, action: briefings.AuditFeedRemove,
			target: fmt.Sprintf("feed:%d", id), before: f.URL + " → " + f.Topic})
	})
}

// SetFeedPaused pauses the feed with the reason, or resumes it: due at
// once, with its failures forgotten. Returns ENOTFOUND.
func (db *DB) SetFeedPaused(ctx context.Context, guildID string, id int64, paused bool, reason, by string) error {
	return db.feedWrite(ctx, guildID, id, func(tx *sql.Tx, f *briefings.Feed, at string) error {
		now := subStamp(db.Now())
		var err error
		action := briefings.AuditFeedPause
		if paused {
			_, err = tx.ExecContext(ctx, `UPDATE feeds SET paused_at = ?, pause_reason = ? WHERE id = ?`, now, reason, id)
		} else {
			action = briefings.AuditFeedResume
			_, err = tx.ExecContext(ctx, `UPDATE feeds SET paused_at = '', pause_reason = '', failures = 0, last_error = '', next_poll_at = ? WHERE id = ?`, now, id)
			if err == nil {
				// its waiting review cards are tried again at once too
				_, err = tx.ExecContext(ctx, `UPDATE feed_items SET card_next_at = ? WHERE feed_id = ? AND card = 'waiting'`, now, id)
			}
		}
		if err != nil {
			return fmt.Errorf("pause feed %d: %w", id, err)
		}
		return insertAudit(ctx, tx, auditRow{at: at, guildID: guildID, userID: by, action: action,
			target: fmt.Sprintf("feed:%d", id), note: reason})
	})
}

// feedWrite runs fn in a write transaction on the guild's feed.
func (db *DB) feedWrite(ctx context.Context, guildID string, id int64, fn func(tx *sql.Tx, f *briefings.Feed, at string) error) error {
	_, at := db.now()
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	f, err := scanFeed(tx.QueryRowContext(ctx, `SELECT `+feedColumns+` FROM feeds f WHERE f.id = ? AND f.guild_id = ?`, id, guildID))
	if errors.Is(err, sql.ErrNoRows) {
		return briefings.Errorf(briefings.ENOTFOUND, "This server follows no feed %d. /feed list shows the feeds it follows.", id)
	} else if err != nil {
		return fmt.Errorf("feed %d: %w", id, err)
	}
	if err := fn(tx, f, at); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// feedLease is how long DueFeeds leases the feeds it returns to its
// store's poller: long enough for a round of polls that draft their items
// (each poll records its outcome, which ends its lease), short enough that
// the feeds of a poller that died are polled again within the hour.
const feedLease = 30 * time.Minute

// DueFeeds claims the feeds not paused whose next poll is at or before now,
// the most overdue first, at most limit of them (0: all), and returns them.
//
// Several processes may poll the feeds of one library, so the claim is a
// lease: in one write transaction it leaves out the feeds another store
// leased and whose lease has not run out, and leases those it returns to
// this store for feedLease; RecordFeedPoll ends the lease. On PostgreSQL the
// feeds are locked with FOR UPDATE SKIP LOCKED, as due subscriptions are;
// on SQLite the write lock taken at BEGIN makes claims run one at a time.
// The store that leased a feed gets it again while the lease lasts (a round
// cut short polls it at the next), and a poller that dies loses nothing:
// its feeds are due still, and another store claims them once the lease
// runs out.
func (db *DB) DueFeeds(ctx context.Context, now time.Time, limit int) ([]briefings.Feed, error) {
	q := `SELECT ` + feedColumns + ` FROM feeds f WHERE f.paused_at = '' AND f.next_poll_at <= ?1
		AND (f.leased_until < ?1 OR f.leased_by = ?2) ORDER BY f.next_poll_at, f.id`
	if limit > 0 {
		q += ` LIMIT ` + strconv.Itoa(limit)
	}
	if db.pg {
		q += ` FOR UPDATE OF f SKIP LOCKED`
	}
	var out []briefings.Feed
	err := db.writeSubs(ctx, func(tx *sql.Tx) error {
		if err := eachRow(ctx, tx, q, []any{subStamp(now), db.owner}, func(rows *sql.Rows) error {
			f, err := scanFeed(rows)
			if err == nil {
				out = append(out, *f)
			}
			return err
		}); err != nil {
			return err
		}
		ids := make([]int64, len(out))
		for i, f := range out {
			ids[i] = f.ID
		}
		return lease(ctx, tx, "feeds", ids, now.Add(feedLease), db.owner)
	})
	if err != nil {
		return nil, fmt.Errorf("due feeds: %w", err)
	}
	return out, nil
}

// RecordFeedPoll stores the outcome of a poll and ends the feed's lease
// (see DueFeeds). A feed removed meanwhile is no error.
func (db *DB) RecordFeedPoll(ctx context.Context, p briefings.FeedPoll) error {
	at := subStamp(p.At)
	var err error
	switch {
	case p.OK:
		etag, modified := p.ETag, p.LastModified
		if p.Reread {
			etag, modified = "", ""
		}
		_, err = db.writer.ExecContext(ctx, `UPDATE feeds SET last_polled_at = ?, last_ok_at = ?, next_poll_at = ?, failures = 0, last_error = '',
			leased_until = '', leased_by = '',
			etag = CASE WHEN ? THEN '' WHEN ? <> '' THEN ? ELSE etag END,
			last_modified = CASE WHEN ? THEN '' WHEN ? <> '' THEN ? ELSE last_modified END,
			title = CASE WHEN ? <> '' THEN ? ELSE title END WHERE id = ?`,
			at, at, subStamp(p.NextPoll), p.Reread, etag, etag, p.Reread, modified, modified, p.Title, p.Title, p.FeedID)
	case p.Pause:
		_, err = db.writer.ExecContext(ctx, `UPDATE feeds SET last_polled_at = ?, next_poll_at = ?, failures = ?, last_error = ?,
			paused_at = ?, pause_reason = ?, leased_until = '', leased_by = '' WHERE id = ?`, at, subStamp(p.NextPoll), p.Failures, p.Error, at, p.Error, p.FeedID)
	default:
		_, err = db.writer.ExecContext(ctx, `UPDATE feeds SET last_polled_at = ?, next_poll_at = ?, failures = ?, last_error = ?,
			leased_until = '', leased_by = '' WHERE id = ?`,
			at, subStamp(p.NextPoll), p.Failures, p.Error, p.FeedID)
	}
	if err != nil {
		return fmt.Errorf("record poll of feed %d: %w", p.FeedID, err)
	}
	return nil
}

// SeenFeedItems returns the feed's remembered items among keys, by key, and
// which of hashes belong to an item already remembered.
func (db *DB) SeenFeedItems(ctx context.Context, feedID int64, keys, hashes []string) (map[string]briefings.FeedItem, map[string]bool, error) {
	items := map[string]briefings.FeedItem{}
	known := map[string]bool{}
	err := db.read(ctx, func(tx *sql.Tx) error {
		for _, k := range keys {
			var it briefings.FeedItem
			var state, seen, updated string
			err := tx.QueryRowContext(ctx, `SELECT item_key, hash, link, title, briefing_id, state, seen_at, updated_at
				FROM feed_items WHERE feed_id = ? AND item_key = ?`, feedID, k).
				Scan(&it.Key, &it.Hash, &it.Link, &it.Title, &it.BriefingID, &state, &seen, &updated)
			if errors.Is(err, sql.ErrNoRows) {
				continue
			} else if err != nil {
				return err
			}
			it.FeedID, it.State, it.SeenAt, it.UpdatedAt = feedID, briefings.FeedItemState(state), parseSubStamp(seen), parseSubStamp(updated)
			items[k] = it
		}
		for _, h := range hashes {
			var one int
			err := tx.QueryRowContext(ctx, `SELECT 1 FROM feed_items WHERE feed_id = ? AND hash = ? LIMIT 1`, feedID, h).Scan(&one)
			if errors.Is(err, sql.ErrNoRows) {
				continue
			} else if err != nil {
				return err
			}
			known[h] = true
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("items of feed %d: %w", feedID, err)
	}
	return items, known, nil
}

// SaveFeedItem remembers an item, or updates the one with its key; the
// item's review card stays as it is.
func (db *DB) SaveFeedItem(ctx context.Context, it briefings.FeedItem) error {
	now := db.Now()
	if it.SeenAt.IsZero() {
		it.SeenAt = now
	}
	if it.UpdatedAt.IsZero() {
		it.UpdatedAt = now
	}
	_, err := db.writer.ExecContext(ctx, `INSERT INTO feed_items (feed_id, item_key, hash, link, title, briefing_id, state, seen_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (feed_id, item_key) DO UPDATE SET hash = excluded.hash, link = excluded.link, title = excluded.title,
			briefing_id = excluded.briefing_id, state = excluded.state, updated_at = excluded.updated_at`,
		it.FeedID, it.Key, it.Hash, it.Link, it.Title, it.BriefingID, string(it.State), subStamp(it.SeenAt), subStamp(it.UpdatedAt))
	if err != nil {
		return conflict(err, "remember item %q of feed %d", it.Key, it.FeedID)
	}
	return nil
}

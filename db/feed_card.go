package db

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"briefbot/briefings"
)

// rememberFeedItem records the feed item a briefing is drafted from, with
// the briefing's ID, inside the transaction that saves the briefing
// (Write.FeedItem). A waiting review card is due at once.
func (db *DB) rememberFeedItem(ctx context.Context, tx *sql.Tx, guildID, slug string, it briefings.FeedItem) error {
	now := db.Now()
	if it.SeenAt.IsZero() {
		it.SeenAt = now
	}
	if it.UpdatedAt.IsZero() {
		it.UpdatedAt = now
	}
	var belongs int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM feeds WHERE id = ? AND guild_id = ?`, it.FeedID, guildID).Scan(&belongs); err != nil {
		return fmt.Errorf("feed %d of the draft %q: %w", it.FeedID, slug, err)
	}
	if belongs == 0 {
		// removed meanwhile, or another server's: its draft is not made
		return briefings.Errorf(briefings.ENOTFOUND, "The feed %d is no longer followed here.", it.FeedID)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO feed_items (feed_id, item_key, hash, link, title, briefing_id, state, seen_at, updated_at,
			card, card_note, card_next_at)
		VALUES (?, ?, ?, ?, ?, (SELECT id FROM briefings WHERE guild_id = ? AND slug = ?), ?, ?, ?, ?, ?, ?)
		ON CONFLICT (feed_id, item_key) DO UPDATE SET hash = excluded.hash, link = excluded.link, title = excluded.title,
			briefing_id = excluded.briefing_id, state = excluded.state, updated_at = excluded.updated_at,
			card = CASE WHEN feed_items.card = 'done' THEN 'done' ELSE excluded.card END, card_note = excluded.card_note`,
		it.FeedID, it.Key, it.Hash, it.Link, it.Title, guildID, slug, string(it.State), subStamp(it.SeenAt), subStamp(it.UpdatedAt),
		string(it.Card), it.CardNote, subStamp(now))
	if err != nil {
		return fmt.Errorf("remember item %q of feed %d with its draft %q: %w", it.Key, it.FeedID, slug, err)
	}
	return nil
}

// WaitingFeedCards claims the review cards still to be posted whose next
// try is at or before now, in the order their drafts were made, at most
// limit of them (0: all), and returns them.
//
// Like DueFeeds, the claim keeps pollers sharing the library from posting
// one card twice: it leaves out the cards of feeds another store is
// polling (their poller posts them), and moves the next try of the cards
// it returns feedLease on, so that no other store takes them while this
// one posts them; RecordFeedCard then records the outcome. A poller that
// dies before recording leaves its cards to be tried when that time
// comes. On PostgreSQL the rows are locked FOR UPDATE SKIP LOCKED.
func (db *DB) WaitingFeedCards(ctx context.Context, now time.Time, limit int) ([]briefings.FeedCard, error) {
	q := `SELECT ` + feedColumns + `, c.rowid, c.item_key, c.hash, c.link, c.title, c.briefing_id, c.state,
			c.seen_at, c.updated_at, c.card, c.card_note, c.card_tries, c.card_error, c.card_next_at
		FROM feed_items c JOIN feeds f ON f.id = c.feed_id
		WHERE c.card = 'waiting' AND c.card_next_at <= ?1 AND (f.leased_until < ?1 OR f.leased_by = ?2) ORDER BY c.rowid`
	if limit > 0 {
		q += ` LIMIT ` + strconv.Itoa(limit)
	}
	if db.pg {
		q += ` FOR UPDATE OF c SKIP LOCKED`
	}
	var out []briefings.FeedCard
	var rowids []int64
	err := db.writeSubs(ctx, func(tx *sql.Tx) error {
		if err := eachRow(ctx, tx, q, []any{subStamp(now), db.owner}, func(rows *sql.Rows) error {
			var it briefings.FeedItem
			var rowid int64
			var state, seen, updated, card, next string
			f, err := scanFeed(rows, &rowid, &it.Key, &it.Hash, &it.Link, &it.Title, &it.BriefingID, &state, &seen, &updated,
				&card, &it.CardNote, &it.CardTries, &it.CardError, &next)
			if err != nil {
				return err
			}
			it.FeedID, it.State, it.Card = f.ID, briefings.FeedItemState(state), briefings.FeedCardState(card)
			it.SeenAt, it.UpdatedAt, it.CardNextTry = parseSubStamp(seen), parseSubStamp(updated), parseSubStamp(next)
			out = append(out, briefings.FeedCard{Feed: *f, Item: it})
			rowids = append(rowids, rowid)
			return nil
		}); err != nil {
			return err
		}
		if len(rowids) == 0 {
			return nil
		}
		_, err := tx.ExecContext(ctx, `UPDATE feed_items SET card_next_at = ? WHERE rowid IN (SELECT value FROM json_each(?))`,
			subStamp(now.Add(feedLease)), idList(rowids))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("waiting review cards: %w", err)
	}
	return out, nil
}

// RecordFeedCard records a try to post an item's review card: done when
// failure is empty, otherwise one more failed try, to be tried again at
// retryAt. An item forgotten meanwhile (its feed removed) is no error.
func (db *DB) RecordFeedCard(ctx context.Context, feedID int64, key, failure string, retryAt time.Time) error {
	var err error
	if failure == "" {
		_, err = db.writer.ExecContext(ctx, `UPDATE feed_items SET card = 'done', card_error = '' WHERE feed_id = ? AND item_key = ?`, feedID, key)
	} else {
		_, err = db.writer.ExecContext(ctx, `UPDATE feed_items SET card_tries = card_tries + 1, card_error = ?, card_tried_at = ?, card_next_at = ?
			WHERE feed_id = ? AND item_key = ? AND card = 'waiting'`, failure, subStamp(db.Now()), subStamp(retryAt), feedID, key)
	}
	if err != nil {
		return fmt.Errorf("record review card of item %q of feed %d: %w", key, feedID, err)
	}
	return nil
}

package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"briefbot/briefings"
)

// keepDeliveries is how long finished outbox rows and digests are kept, for
// the record; a slot is never claimed again once next_run passed it.
const keepDeliveries = 30 * 24 * time.Hour

// ClaimDue writes an outbox row for the most recent slot of every due
// subscription of the shard (or records the slot as missed when it is past
// grace) and advances next_run past now, in one transaction, so a crash
// either claims a slot with its row or not at all.
func (db *DB) ClaimDue(ctx context.Context, now time.Time, grace time.Duration, shard briefings.Shard) (briefings.ClaimReport, error) {
	var rep briefings.ClaimReport
	err := db.writeSubs(ctx, func(tx *sql.Tx) error {
		due, err := dueSubscriptions(ctx, tx, now, shard, db.pg)
		if err != nil {
			return err
		}
		for _, s := range due {
			sched, err := s.Schedule()
			if err != nil {
				// The zone vanished from this machine's time zone data:
				// pause with the reason rather than fail every run.
				if _, err := tx.ExecContext(ctx, `UPDATE subscriptions SET paused_reason = ?, last_outcome = 'failed',
					last_reason = ?, updated_at = ? WHERE id = ?`, briefings.ErrorMessage(err), briefings.ErrorMessage(err),
					subStamp(now), s.ID); err != nil {
					return fmt.Errorf("pause subscription %d: %w", s.ID, err)
				}
				continue
			}
			slot, deliver, next := sched.Catchup(s.NextRun, now, grace)
			if deliver {
				res, err := tx.ExecContext(ctx, `INSERT INTO outbox (subscription_id, slot, since, created_at, updated_at)
					VALUES (?, ?, ?, ?, ?) ON CONFLICT (subscription_id, slot) DO NOTHING`,
					s.ID, subStamp(slot), subStamp(s.Since), subStamp(now), subStamp(now))
				if err != nil {
					return fmt.Errorf("claim subscription %d: %w", s.ID, err)
				}
				n, _ := res.RowsAffected()
				rep.Claimed += int(n)
			} else {
				reason := fmt.Sprintf("I was offline at the %s slot and came back more than %s later, so I skipped it; the next digest covers everything since the last one.",
					slot.In(sched.Zone).Format("Mon 2 Jan 15:04 MST"), humanHours(grace))
				if _, err := tx.ExecContext(ctx, `UPDATE subscriptions SET last_slot = ?, last_outcome = 'missed', last_reason = ? WHERE id = ?`,
					subStamp(slot), reason, s.ID); err != nil {
					return fmt.Errorf("record missed slot of subscription %d: %w", s.ID, err)
				}
				rep.Missed++
			}
			if _, err := tx.ExecContext(ctx, `UPDATE subscriptions SET next_run = ? WHERE id = ?`, subStamp(next), s.ID); err != nil {
				return fmt.Errorf("advance subscription %d: %w", s.ID, err)
			}
		}
		old := subStamp(now.Add(-keepDeliveries))
		if _, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE status != 'pending' AND created_at < ?`, old); err != nil {
			return fmt.Errorf("prune outbox: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM digests WHERE created_at < ?`, old); err != nil {
			return fmt.Errorf("prune digests: %w", err)
		}
		return nil
	})
	return rep, err
}

// dueSubscriptions returns the shard's unpaused subscriptions whose next
// run is at or before now. On PostgreSQL (pg) it locks them, skipping those
// another process's claim holds: that process claims them.
func dueSubscriptions(ctx context.Context, tx *sql.Tx, now time.Time, shard briefings.Shard, pg bool) ([]*briefings.Subscription, error) {
	var due []*briefings.Subscription
	lock := ``
	if pg {
		lock = ` FOR UPDATE OF s SKIP LOCKED`
	}
	if err := eachRow(ctx, tx, `SELECT `+subscriptionColumns+subscriptionFrom+
		`WHERE s.paused_reason = '' AND s.next_run <= ? ORDER BY s.next_run, s.id`+lock, []any{subStamp(now)},
		func(rows *sql.Rows) error {
			s, err := scanSubscription(rows)
			if err == nil && shard.Owns(s) {
				due = append(due, s)
			}
			return err
		}); err != nil {
		return nil, fmt.Errorf("due subscriptions: %w", err)
	}
	return due, nil
}

// DueDeliveries returns, without writing anything, the deliveries a run at
// now would post: the shard's pending outbox rows, then a new delivery
// (ID 0) for each due subscription whose slot ClaimDue would claim. Slots
// ClaimDue would record as missed, and subscriptions whose zone is unknown,
// are left out.
func (db *DB) DueDeliveries(ctx context.Context, now time.Time, grace time.Duration, shard briefings.Shard) ([]*briefings.Delivery, error) {
	out, err := db.PendingDeliveries(ctx, shard)
	if err != nil {
		return nil, err
	}
	type claim struct{ sub, slot int64 }
	claimed := map[claim]bool{} // slots already in the outbox
	for _, d := range out {
		claimed[claim{d.Subscription.ID, d.Slot.Unix()}] = true
	}
	err = db.read(ctx, func(tx *sql.Tx) error {
		due, err := dueSubscriptions(ctx, tx, now, shard, false)
		if err != nil {
			return err
		}
		for _, s := range due {
			sched, err := s.Schedule()
			if err != nil {
				continue
			}
			slot, deliver, _ := sched.Catchup(s.NextRun, now, grace)
			if deliver && !claimed[claim{s.ID, slot.Unix()}] {
				out = append(out, &briefings.Delivery{Subscription: s, Slot: slot, Since: s.Since})
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("due deliveries: %w", err)
	}
	return out, nil
}

// humanHours formats a grace window: "6 hours", "90 minutes".
func humanHours(d time.Duration) string {
	if d%time.Hour == 0 {
		if d == time.Hour {
			return "1 hour"
		}
		return fmt.Sprintf("%d hours", int(d/time.Hour))
	}
	return fmt.Sprintf("%d minutes", int(d/time.Minute))
}

// PendingDeliveries returns the shard's pending outbox rows with their
// subscriptions, oldest slot first.
//
// On PostgreSQL, where several deliver or run processes may share the
// store, it also leases the rows it returns to this process for
// deliveryLease: it locks them with FOR UPDATE SKIP LOCKED, leaves out rows
// another process holds or leased and whose lease has not run out, and
// records its lease, so that each pending delivery goes to one process. A
// process that dies mid-run loses nothing: its rows are pending still, and
// another takes them when the lease runs out, resuming after the parts
// RecordPart recorded.
func (db *DB) PendingDeliveries(ctx context.Context, shard briefings.Shard) ([]*briefings.Delivery, error) {
	if db.pg {
		return db.leasePending(ctx, shard)
	}
	var out []*briefings.Delivery
	err := db.read(ctx, func(tx *sql.Tx) error {
		return eachRow(ctx, tx, pendingQuery+` ORDER BY o.slot, o.id`, nil, scanPending(shard, &out))
	})
	if err != nil {
		return nil, fmt.Errorf("pending deliveries: %w", err)
	}
	return out, nil
}

// deliveryLease is how long a PostgreSQL store's PendingDeliveries leases
// the deliveries it returns to its process. The store that leased them
// (DB.owner) gets them again while the lease lasts, as on SQLite.
const deliveryLease = 10 * time.Minute

var pendingQuery = `SELECT o.id, o.slot, o.since, o.parts_sent, o.message_ids, o.attempts, ` + subscriptionColumns + `
			FROM outbox o JOIN subscriptions s ON s.id = o.subscription_id
			WHERE o.status = 'pending'`

// lease marks the rows ids of table (outbox or feeds) as taken by owner
// until the given time; the claims that read them skip them until then.
func lease(ctx context.Context, tx *sql.Tx, table string, ids []int64, until time.Time, owner string) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, `UPDATE `+table+` SET leased_until = ?, leased_by = ? WHERE id IN (SELECT value FROM json_each(?))`,
		subStamp(until), owner, idList(ids))
	return err
}

// leasePending is PendingDeliveries on PostgreSQL.
func (db *DB) leasePending(ctx context.Context, shard briefings.Shard) ([]*briefings.Delivery, error) {
	now := db.Now().UTC()
	var out []*briefings.Delivery
	err := db.writeSubs(ctx, func(tx *sql.Tx) error {
		if err := eachRow(ctx, tx, pendingQuery+` AND (o.leased_until < ?1 OR o.leased_by = ?2)
			ORDER BY o.slot, o.id FOR UPDATE OF o SKIP LOCKED`,
			[]any{subStamp(now), db.owner}, scanPending(shard, &out)); err != nil {
			return err
		}
		ids := make([]int64, len(out))
		for i, d := range out {
			ids[i] = d.ID
		}
		return lease(ctx, tx, "outbox", ids, now.Add(deliveryLease), db.owner)
	})
	if err != nil {
		return nil, fmt.Errorf("pending deliveries: %w", err)
	}
	return out, nil
}

// scanPending appends each row of pendingQuery that shard owns to out.
func scanPending(shard briefings.Shard, out *[]*briefings.Delivery) func(rows *sql.Rows) error {
	return func(rows *sql.Rows) error {
		d := &briefings.Delivery{}
		var slot, since, ids string
		s, err := scanSubscription(prefixScanner{rows, []any{&d.ID, &slot, &since, &d.PartsSent, &ids, &d.Attempts}})
		if err != nil {
			return err
		}
		if !shard.Owns(s) {
			return nil
		}
		d.Subscription, d.Slot, d.Since = s, parseSubStamp(slot), parseSubStamp(since)
		if err := json.Unmarshal([]byte(ids), &d.MessageIDs); err != nil {
			return fmt.Errorf("outbox %d message ids: %w", d.ID, err)
		}
		*out = append(*out, d)
		return nil
	}
}

// prefixScanner scans some leading columns into its own destinations before
// the ones a row scanner asks for.
type prefixScanner struct {
	rows   *sql.Rows
	prefix []any
}

func (p prefixScanner) Scan(dest ...any) error {
	return p.rows.Scan(append(append([]any(nil), p.prefix...), dest...)...)
}

// OpenedDM remembers the DM channel of a personal subscription.
func (db *DB) OpenedDM(ctx context.Context, subscriptionID int64, channelID string) error {
	return db.writeSubs(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE subscriptions SET channel_id = ? WHERE id = ? AND dm = 1`, channelID, subscriptionID)
		if err != nil {
			return fmt.Errorf("remember DM channel of subscription %d: %w", subscriptionID, err)
		}
		return nil
	})
}

// RecordPart records that part n of a delivery was posted as messageID. A
// part recorded already is left alone.
func (db *DB) RecordPart(ctx context.Context, deliveryID int64, n int, messageID string) error {
	return db.writeSubs(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE outbox SET parts_sent = ?1 + 1, message_ids = json_insert(message_ids, '$[#]', ?2)
			WHERE id = ?3 AND parts_sent = ?1`, n, messageID, deliveryID)
		if err != nil {
			return fmt.Errorf("record part %d of delivery %d: %w", n, deliveryID, err)
		}
		return nil
	})
}

// FinishDelivery closes a pending delivery with its outcome and brings the
// subscription's last outcome up to date. A delivered or empty slot starts
// the next period; a failure pauses the subscription with the reason.
func (db *DB) FinishDelivery(ctx context.Context, deliveryID int64, outcome briefings.Outcome, reason string, now time.Time) error {
	switch outcome {
	case briefings.OutcomeDelivered, briefings.OutcomeNothingNew, briefings.OutcomeFailed:
	default:
		return fmt.Errorf("finish delivery %d: outcome %q does not finish a delivery", deliveryID, outcome)
	}
	return db.writeSubs(ctx, func(tx *sql.Tx) error {
		var subID int64
		var slot, ids string
		err := tx.QueryRowContext(ctx, `SELECT subscription_id, slot, message_ids FROM outbox WHERE id = ? AND status = 'pending'`,
			deliveryID).Scan(&subID, &slot, &ids)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // finished already
		} else if err != nil {
			return fmt.Errorf("finish delivery %d: %w", deliveryID, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET status = ?, last_error = ?, updated_at = ? WHERE id = ?`,
			string(outcome), reason, subStamp(now), deliveryID); err != nil {
			return fmt.Errorf("finish delivery %d: %w", deliveryID, err)
		}
		var msgIDs []string
		_ = json.Unmarshal([]byte(ids), &msgIDs)
		last := ""
		if len(msgIDs) > 0 {
			last = msgIDs[len(msgIDs)-1]
		}
		q := `UPDATE subscriptions SET last_slot = ?1, last_outcome = ?2, last_reason = ?3,
			last_message_id = CASE WHEN ?4 != '' THEN ?4 ELSE last_message_id END`
		switch outcome {
		case briefings.OutcomeFailed:
			q += `, paused_reason = ?3, updated_at = ?6`
		default:
			q += `, since = max(since, ?1)`
		}
		if _, err := tx.ExecContext(ctx, q+` WHERE id = ?5 AND last_slot <= ?1`, slot, string(outcome), reason, last, subID, subStamp(now)); err != nil {
			return fmt.Errorf("finish delivery %d: update subscription: %w", deliveryID, err)
		}
		return nil
	})
}

// RetryLater counts a failed attempt and keeps the delivery pending; the
// subscription shows that it is being retried and why.
func (db *DB) RetryLater(ctx context.Context, deliveryID int64, reason string, now time.Time) error {
	return db.writeSubs(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = ?, updated_at = ?
			WHERE id = ? AND status = 'pending'`, reason, subStamp(now), deliveryID); err != nil {
			return fmt.Errorf("retry delivery %d: %w", deliveryID, err)
		}
		if db.pg {
			// The next run of any process may retry it.
			if _, err := tx.ExecContext(ctx, `UPDATE outbox SET leased_until = '' WHERE id = ?`, deliveryID); err != nil {
				return fmt.Errorf("retry delivery %d: release: %w", deliveryID, err)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE subscriptions SET last_slot = o.slot, last_outcome = 'retrying', last_reason = ?
			FROM (SELECT subscription_id, slot FROM outbox WHERE id = ?) o
			WHERE subscriptions.id = o.subscription_id AND subscriptions.last_slot <= o.slot`, reason, deliveryID); err != nil {
			return fmt.Errorf("retry delivery %d: update subscription: %w", deliveryID, err)
		}
		return nil
	})
}

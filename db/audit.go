package db

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"briefbot/briefings"
)

// auditRow is one audit log entry to insert.
type auditRow struct {
	at, guildID, userID string
	action              briefings.AuditAction
	target              string
	briefingID          int64
	before, after, note string
}

// insertAudit records one write, in the caller's transaction so that the
// entry and the write commit together.
func insertAudit(ctx context.Context, tx *sql.Tx, r auditRow) error {
	var bid sql.NullInt64
	if r.briefingID != 0 {
		bid = sql.NullInt64{Int64: r.briefingID, Valid: true}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_log (at, guild_id, user_id, action, target, briefing_id, before, after, note)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.at, r.guildID, r.userID, string(r.action), r.target, bid, r.before, r.after, r.note); err != nil {
		return fmt.Errorf("audit %s %s: %w", r.action, r.target, err)
	}
	return nil
}

// AuditLog returns the newest entries of the guild's library's log ("" for
// the global library), newest first; limit 0 means 50.
func (db *DB) AuditLog(ctx context.Context, guildID string, limit int) ([]briefings.AuditEntry, error) {
	if limit <= 0 {
		limit = 50
	}
	var out []briefings.AuditEntry
	// The entries of an import still being saved (import_stage.go) wait
	// with its briefings, in a hidden library.
	err := eachRow(ctx, db.readers, `SELECT id, at, guild_id, user_id, action, target, before, after FROM audit_log
		WHERE guild_id = ? AND NOT EXISTS (SELECT 1 FROM briefings b WHERE b.id = audit_log.briefing_id AND b.guild_id <> audit_log.guild_id)
		ORDER BY id DESC LIMIT ?`, []any{guildID, limit}, func(rows *sql.Rows) error {
		var e briefings.AuditEntry
		var at, action string
		if err := rows.Scan(&e.ID, &at, &e.GuildID, &e.UserID, &action, &e.Target, &e.Before, &e.After); err != nil {
			return err
		}
		e.At, e.Action = parseTime(at), briefings.AuditAction(action)
		out = append(out, e)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("audit log of %q: %w", guildID, err)
	}
	return out, nil
}

// Notices returns the corrections and retractions made at or after since
// to briefings the guild sees (its own and the global library's), oldest
// first, for the next digest. A retracted briefing is still listed: the
// digest announces that it was withdrawn.
func (db *DB) Notices(ctx context.Context, guildID string, since time.Time) ([]briefings.Notice, error) {
	var out []briefings.Notice
	err := eachRow(ctx, db.readers, `SELECT a.action, a.note, a.at, `+refColumns+` FROM audit_log a
		JOIN briefings b ON b.id = a.briefing_id
		WHERE a.action IN (?, ?) AND a.at >= ? AND b.guild_id IN (?, '') ORDER BY a.at, a.id`,
		[]any{string(briefings.AuditCorrect), string(briefings.AuditRetract), since.UTC().Format(time.RFC3339Nano), guildID},
		func(rows *sql.Rows) error {
			var n briefings.Notice
			var action, at string
			ref, err := scanRefAfter(rows, &action, &n.Text, &at)
			if err != nil {
				return err
			}
			n.Action, n.At, n.Briefing = briefings.AuditAction(action), parseTime(at), ref
			out = append(out, n)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("notices for %q: %w", guildID, err)
	}
	return out, nil
}

// scanRefAfter scans leading columns into first, then a briefing reference.
func scanRefAfter(row scanner, first ...any) (briefings.BriefingRef, error) {
	var r briefings.BriefingRef
	var pub string
	var pubP int
	dest := append(first, &r.ID, &r.GuildID, &r.Slug, &r.Title, &pub, &pubP, &r.SourceName, &r.SourceURL)
	if err := row.Scan(dest...); err != nil {
		return r, err
	}
	d, err := parseDate(pub, pubP)
	r.Published = d
	return r, err
}

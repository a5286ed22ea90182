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

var _ briefings.Curator = (*DB)(nil)

// EditableBriefing returns the briefing with the ID as it was last saved:
// the snapshot of its latest version, which declares only its own actors and
// events, with the store's fields filled in. Returns ENOTFOUND.
func (db *DB) EditableBriefing(ctx context.Context, id int64) (*briefings.Briefing, error) {
	var out *briefings.Briefing
	err := db.read(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = editable(ctx, tx, id)
		return err
	})
	return out, err
}

// editable loads the latest snapshot of the briefing with the ID.
func editable(ctx context.Context, q querier, id int64) (*briefings.Briefing, error) {
	var guildID, slug, status, createdBy, createdAt, updatedBy, updatedAt string
	var version int
	var snap sql.NullString
	err := q.QueryRowContext(ctx, `SELECT b.guild_id, b.slug, b.status, b.version, b.created_by, b.created_at, b.updated_by, b.updated_at,
			(SELECT snapshot FROM briefing_versions v WHERE v.briefing_id = b.id ORDER BY v.version DESC LIMIT 1)
		FROM briefings b WHERE b.id = ?`, id).Scan(&guildID, &slug, &status, &version, &createdBy, &createdAt, &updatedBy, &updatedAt, &snap)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, briefings.Errorf(briefings.ENOTFOUND, "That briefing no longer exists.")
	} else if err != nil {
		return nil, fmt.Errorf("editable briefing %d: %w", id, err)
	}
	b := &briefings.Briefing{}
	if snap.Valid {
		if err := json.Unmarshal([]byte(snap.String), b); err != nil {
			return nil, fmt.Errorf("editable briefing %d: snapshot: %w", id, err)
		}
	}
	b.ID, b.GuildID, b.Slug, b.Status, b.Version = id, guildID, slug, briefings.Status(status), version
	b.CreatedBy, b.CreatedAt, b.UpdatedBy, b.UpdatedAt = createdBy, parseTime(createdAt), updatedBy, parseTime(updatedAt)
	return b, nil
}

// BriefingAtVersion returns the briefing with the ID as it was saved at
// the version, with the store's fields of its latest version but Version
// set to the one asked for. Returns ENOTFOUND.
func (db *DB) BriefingAtVersion(ctx context.Context, id int64, version int) (*briefings.Briefing, error) {
	var out *briefings.Briefing
	err := db.read(ctx, func(tx *sql.Tx) error {
		b, err := editable(ctx, tx, id)
		if err != nil {
			return err
		}
		var snap string
		err = tx.QueryRowContext(ctx, `SELECT snapshot FROM briefing_versions WHERE briefing_id = ? AND version = ?`, id, version).Scan(&snap)
		if errors.Is(err, sql.ErrNoRows) {
			return briefings.Errorf(briefings.ENOTFOUND, "Version %d of that briefing is not kept.", version)
		} else if err != nil {
			return fmt.Errorf("briefing %d at version %d: %w", id, version, err)
		}
		at := &briefings.Briefing{}
		if err := json.Unmarshal([]byte(snap), at); err != nil {
			return fmt.Errorf("briefing %d at version %d: snapshot: %w", id, version, err)
		}
		at.ID, at.GuildID, at.Slug, at.Version = b.ID, b.GuildID, b.Slug, version
		if at.Status == "" {
			at.Status = b.Status
		}
		out = at
		return nil
	})
	return out, err
}

// SaveCurated saves one moderator's change in one transaction: it refuses
// an edit whose BaseVersion is no longer the latest with a
// *briefings.StaleError, validates like SaveBriefings, stamps a first
// retraction with its time, and records the write in the audit log.
func (db *DB) SaveCurated(ctx context.Context, w briefings.Write) (briefings.SaveOutcome, error) {
	if w.Briefing == nil {
		return briefings.SaveOutcome{}, briefings.Errorf(briefings.EINVALID, "There is no briefing to save.")
	}
	_, at := db.now()
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return briefings.SaveOutcome{}, busy(err, "save curated: begin")
	}
	defer tx.Rollback()
	s := &saver{pg: db.pg, tx: tx, guildID: w.GuildID, by: w.By, at: at}
	n := normalize(w.Briefing, w.GuildID)

	var id int64
	var version int
	var status string
	err = tx.QueryRowContext(ctx, `SELECT id, version, status FROM briefings WHERE guild_id = ? AND slug = ?`,
		w.GuildID, n.Slug).Scan(&id, &version, &status)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if w.BaseVersion != 0 {
			return briefings.SaveOutcome{}, briefings.Errorf(briefings.ENOTFOUND, "That briefing no longer exists; it may have been discarded.")
		}
	case err != nil:
		return briefings.SaveOutcome{}, fmt.Errorf("save curated %q: %w", n.Slug, err)
	case w.BaseVersion == 0:
		return briefings.SaveOutcome{}, briefings.Errorf(briefings.ECONFLICT, "A briefing with the slug %q already exists. Give yours another title.", n.Slug)
	case version != w.BaseVersion:
		since, err := versionsSince(ctx, tx, id, w.BaseVersion)
		if err != nil {
			return briefings.SaveOutcome{}, err
		}
		return briefings.SaveOutcome{}, &briefings.StaleError{Base: w.BaseVersion, Since: since}
	}
	before, err := latestSnapshot(ctx, tx, id)
	if err != nil {
		return briefings.SaveOutcome{}, err
	}
	fields, out, err := s.one(ctx, n, false)
	if err != nil {
		return out, err
	}
	if len(fields) > 0 {
		return out, (&briefings.ValidationError{Fields: fields}).AsError()
	}
	if out.Action == "unchanged" {
		return out, nil
	}
	if n.Status == briefings.StatusRetracted && status != string(briefings.StatusRetracted) {
		if _, err := tx.ExecContext(ctx, `UPDATE briefings SET retracted_at = ? WHERE guild_id = ? AND slug = ?`, at, w.GuildID, n.Slug); err != nil {
			return out, fmt.Errorf("stamp retraction %q: %w", n.Slug, err)
		}
	}
	if err := s.audit(ctx, w.Action, n.Slug, before, w.Note); err != nil {
		return out, err
	}
	if w.FeedItem != nil {
		if err := db.rememberFeedItem(ctx, tx, w.GuildID, n.Slug, *w.FeedItem); err != nil {
			return out, err
		}
	}
	if err := tx.Commit(); err != nil {
		return out, conflict(err, "save curated %q: commit", n.Slug)
	}
	return out, nil
}

// one validates a normalized briefing against the rules and the library,
// and saves it when it passes; fields lists the failures otherwise.
// checked says that n was made from a briefings.Checked (see validate).
func (s *saver) one(ctx context.Context, n *briefings.Briefing, checked bool) ([]briefings.FieldError, briefings.SaveOutcome, error) {
	fields, err := s.validate(ctx, n, checked)
	if err != nil || len(fields) > 0 {
		return fields, briefings.SaveOutcome{Slug: n.Slug}, err
	}
	out, err := s.save(ctx, n)
	if err != nil {
		return nil, out, conflict(err, "save briefing %q", n.Slug)
	}
	return nil, out, nil
}

// validate checks a normalized briefing against the rules and the
// library and returns the failures. A checked briefing, made from a
// briefings.Checked, passed briefings.Validate before it was normalized,
// which changes nothing Validate looks at, so only the library's rules
// are checked.
func (s *saver) validate(ctx context.Context, n *briefings.Briefing, checked bool) ([]briefings.FieldError, error) {
	var fields []briefings.FieldError
	if !checked {
		if verr := briefings.Validate(n); verr != nil {
			fields = append(fields, verr.Fields...)
		}
	}
	if len(fields) == 0 {
		more, err := s.check(ctx, n)
		if err != nil {
			return nil, fmt.Errorf("save briefing %q: %w", n.Slug, err)
		}
		fields = append(fields, more...)
	}
	return fields, nil
}

// audit records a write of the briefing with the slug in the saver's
// library: before is the previous snapshot ("" for a new briefing), after
// is read back from the version just saved.
func (s *saver) audit(ctx context.Context, action briefings.AuditAction, slug, before, note string) error {
	var id int64
	var after sql.NullString
	err := s.tx.QueryRowContext(ctx, `SELECT b.id,
			(SELECT snapshot FROM briefing_versions v WHERE v.briefing_id = b.id ORDER BY v.version DESC LIMIT 1)
		FROM briefings b WHERE b.guild_id = ? AND b.slug = ?`, s.rowGuild(), slug).Scan(&id, &after)
	if err != nil {
		return fmt.Errorf("audit %s %q: %w", action, slug, err)
	}
	return insertAudit(ctx, s.tx, auditRow{at: s.at, guildID: s.guildID, userID: s.by, action: action,
		target: "briefing:" + slug, briefingID: id, before: before, after: after.String, note: note})
}

// latestSnapshot returns the briefing's latest saved snapshot, "" for none.
func latestSnapshot(ctx context.Context, q querier, id int64) (string, error) {
	if id == 0 {
		return "", nil
	}
	var snap sql.NullString
	err := q.QueryRowContext(ctx, `SELECT snapshot FROM briefing_versions WHERE briefing_id = ? ORDER BY version DESC LIMIT 1`, id).Scan(&snap)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("latest snapshot of %d: %w", id, err)
	}
	return snap.String, nil
}

// VersionsSince lists the versions of the briefing saved after base,
// oldest first.
func (db *DB) VersionsSince(ctx context.Context, id int64, base int) ([]briefings.BriefingVersion, error) {
	var out []briefings.BriefingVersion
	err := db.read(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = versionsSince(ctx, tx, id, base)
		return err
	})
	return out, err
}

func versionsSince(ctx context.Context, q querier, id int64, base int) ([]briefings.BriefingVersion, error) {
	var out []briefings.BriefingVersion
	err := eachRow(ctx, q, `SELECT version, by, at, changes FROM briefing_versions WHERE briefing_id = ? AND version > ?
		ORDER BY version`, []any{id, base}, func(rows *sql.Rows) error {
		var v briefings.BriefingVersion
		var at string
		if err := rows.Scan(&v.Version, &v.By, &at, &v.Changes); err != nil {
			return err
		}
		v.At = parseTime(at)
		out = append(out, v)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("versions of %d since %d: %w", id, base, err)
	}
	return out, nil
}

// BriefingHistory lists the versions of the briefing with the slug visible
// to the guild, in any status, newest first. Returns ENOTFOUND.
func (db *DB) BriefingHistory(ctx context.Context, guildID, slug string) ([]briefings.BriefingVersion, error) {
	vs, err := db.History(ctx, guildID, slug)
	if err != nil {
		return nil, err
	}
	out := make([]briefings.BriefingVersion, len(vs))
	for i, v := range vs {
		out[i] = briefings.BriefingVersion{Version: v.Version, By: v.By, At: v.At, Changes: v.Changes, Snapshot: v.Snapshot}
	}
	return out, nil
}

// DiscardDraft deletes a draft still at baseVersion, with the events only
// it mentioned, and records the discard. Returns ENOTFOUND when the draft is
// not in guildID's library, EINVALID when it was published, and a
// *briefings.StaleError when it changed.
func (db *DB) DiscardDraft(ctx context.Context, guildID string, id int64, baseVersion int, by string) error {
	_, at := db.now()
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return busy(err, "discard draft: begin")
	}
	defer tx.Rollback()
	var gid, slug, status string
	var version int
	err = tx.QueryRowContext(ctx, `SELECT guild_id, slug, status, version FROM briefings WHERE id = ?`, id).Scan(&gid, &slug, &status, &version)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && gid != guildID) {
		return briefings.Errorf(briefings.ENOTFOUND, "That draft no longer exists; it may have been discarded already.")
	} else if err != nil {
		return fmt.Errorf("discard draft %d: %w", id, err)
	}
	if status != string(briefings.StatusDraft) {
		return briefings.Errorf(briefings.EINVALID, "%q is %s, not a draft, so it cannot be discarded. Use /briefing retract to withdraw it.", slug, status)
	}
	if version != baseVersion {
		since, err := versionsSince(ctx, tx, id, baseVersion)
		if err != nil {
			return err
		}
		return &briefings.StaleError{Base: baseVersion, Since: since}
	}
	before, err := latestSnapshot(ctx, tx, id)
	if err != nil {
		return err
	}
	events, err := queryIDs(ctx, tx, `SELECT event_id FROM briefing_events WHERE briefing_id = ?`, id)
	if err != nil {
		return fmt.Errorf("discard draft %d: %w", id, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM briefings WHERE id = ?`, id); err != nil {
		return fmt.Errorf("discard draft %d: %w", id, err)
	}
	// Events the draft created and nothing else mentions go with it.
	if _, err := tx.ExecContext(ctx, `DELETE FROM events WHERE id IN (SELECT value FROM json_each(?)) AND guild_id = ?
		AND id NOT IN (SELECT event_id FROM briefing_events) AND id NOT IN (SELECT event_id FROM facts WHERE event_id IS NOT NULL)`,
		idList(events), guildID); err != nil {
		return fmt.Errorf("discard draft %d: events: %w", id, err)
	}
	if err := insertAudit(ctx, tx, auditRow{at: at, guildID: guildID, userID: by, action: briefings.AuditDiscard,
		target: "briefing:" + slug, briefingID: id, before: before}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("discard draft %d: commit: %w", id, err)
	}
	return nil
}

// snapshotOf returns the latest snapshot of the briefing with the slug in
// the saver's library, or "" when there is none yet.
func (s *saver) snapshotOf(ctx context.Context, slug string) (string, error) {
	var id int64
	if err := s.tx.QueryRowContext(ctx, `SELECT id FROM briefings WHERE guild_id = ? AND slug = ?`, s.guildID, slug).Scan(&id); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("import %q: %w", slug, err)
	}
	return latestSnapshot(ctx, s.tx, id)
}

// formDraftFields is the JSON form of a kept form's values.
type formDraftFields map[string]string

// SaveFormDraft keeps what a moderator typed, dropping kept forms older
// than briefings.FormDraftTTL.
func (db *DB) SaveFormDraft(ctx context.Context, d briefings.FormDraft) (int64, error) {
	now, at := db.now()
	fields, err := json.Marshal(formDraftFields(d.Fields))
	if err != nil {
		return 0, fmt.Errorf("save form draft: %w", err)
	}
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return 0, busy(err, "save form draft: begin")
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM form_drafts WHERE created_at < ?`,
		now.Add(-briefings.FormDraftTTL).Format(time.RFC3339Nano)); err != nil {
		return 0, fmt.Errorf("expire form drafts: %w", err)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO form_drafts (guild_id, user_id, kind, target_id, base_version, fields, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, d.GuildID, d.UserID, d.Kind, d.TargetID, d.BaseVersion, string(fields), at)
	if err != nil {
		return 0, fmt.Errorf("save form draft: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("save form draft: %w", err)
	}
	return id, tx.Commit()
}

// FormDraft returns a kept form younger than briefings.FormDraftTTL.
// Returns ENOTFOUND.
func (db *DB) FormDraft(ctx context.Context, id int64) (*briefings.FormDraft, error) {
	now, _ := db.now()
	d := &briefings.FormDraft{ID: id}
	var fields, created string
	err := db.readers.QueryRowContext(ctx, `SELECT guild_id, user_id, kind, target_id, base_version, fields, created_at
		FROM form_drafts WHERE id = ?`, id).Scan(&d.GuildID, &d.UserID, &d.Kind, &d.TargetID, &d.BaseVersion, &fields, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, briefings.Errorf(briefings.ENOTFOUND, "That form has expired. Run the command again.")
	} else if err != nil {
		return nil, fmt.Errorf("form draft %d: %w", id, err)
	}
	d.CreatedAt = parseTime(created)
	if now.Sub(d.CreatedAt) > briefings.FormDraftTTL {
		return nil, briefings.Errorf(briefings.ENOTFOUND, "That form has expired. Run the command again.")
	}
	if err := json.Unmarshal([]byte(fields), &d.Fields); err != nil {
		return nil, fmt.Errorf("form draft %d: %w", id, err)
	}
	return d, nil
}

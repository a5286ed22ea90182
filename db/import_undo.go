package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// undoStaged undoes what a staged import logged in import_staged, newest
// first, after its hidden briefings are gone: earlier values are put back,
// names and participants it added are deleted, and the actors, events and
// topics it created are deleted unless something else (a moderator's
// briefing saved meanwhile) has come to use them.
func undoStaged(ctx context.Context, tx *sql.Tx, stagingID int64) error {
	var entries []undoEntry
	if err := eachRow(ctx, tx, `SELECT kind, row_id, slug, before FROM import_staged WHERE staging_id = ? ORDER BY rowid DESC`,
		[]any{stagingID}, func(rows *sql.Rows) error {
			var e undoEntry
			if err := rows.Scan(&e.kind, &e.id, &e.slug, &e.before); err != nil {
				return err
			}
			entries = append(entries, e)
			return nil
		}); err != nil {
		return fmt.Errorf("undo import: %w", err)
	}
	// The topics an import creates or renames are those of the library it
	// imports into.
	var guildID string
	if err := tx.QueryRowContext(ctx, `SELECT guild_id FROM import_stagings WHERE id = ?`, stagingID).Scan(&guildID); err != nil &&
		!errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("undo import: %w", err)
	}
	reindex := map[int64]bool{} // actors whose search row needs rewriting
	for _, e := range entries {
		var query string
		args := []any{e.id}
		switch e.kind {
		case "actor_was":
			query = `UPDATE actors SET kind = json_extract(?2, '$.kind'), description = json_extract(?2, '$.description') WHERE id = ?1`
			args = append(args, e.before)
			reindex[e.id] = true
		case "event_was":
			query = `UPDATE events SET date = json_extract(?2, '$.date'), date_precision = CAST(json_extract(?2, '$.date_precision') AS INTEGER),
				end_date = json_extract(?2, '$.end_date'), end_precision = CAST(json_extract(?2, '$.end_precision') AS INTEGER),
				location = json_extract(?2, '$.location'), description = json_extract(?2, '$.description') WHERE id = ?1`
			args = append(args, e.before)
		case "topic_was":
			query = `UPDATE topics SET name = json_extract(?2, '$.name'), name_folded = json_extract(?2, '$.name_folded')
				WHERE guild_id = ?3 AND slug = ?1`
			args = []any{e.slug, e.before, guildID}
		case "actor_name":
			query = `DELETE FROM actor_names WHERE rowid = ?`
			if owner, err := strconv.ParseInt(e.before, 10, 64); err == nil {
				reindex[owner] = true
			}
		case "participant":
			query = `DELETE FROM event_participants WHERE rowid = ?`
		case "event":
			query = `DELETE FROM events WHERE id = ?1
				AND NOT EXISTS (SELECT 1 FROM facts WHERE event_id = ?1)
				AND NOT EXISTS (SELECT 1 FROM briefing_events WHERE event_id = ?1)`
		case "actor":
			query = `DELETE FROM actors WHERE id = ?1
				AND NOT EXISTS (SELECT 1 FROM fact_actors WHERE actor_id = ?1)
				AND NOT EXISTS (SELECT 1 FROM briefing_actors WHERE actor_id = ?1)`
			reindex[e.id] = true
		case "topic":
			query = `DELETE FROM topics WHERE guild_id = ?2 AND slug = ?1
				AND NOT EXISTS (SELECT 1 FROM briefing_topics WHERE topic_slug = ?1)
				AND NOT EXISTS (SELECT 1 FROM subscriptions WHERE topic = ?1)`
			args = []any{e.slug, guildID}
		default:
			return fmt.Errorf("undo import: unknown change %q", e.kind)
		}
		if _, err := tx.ExecContext(ctx, query, args...); err != nil {
			return fmt.Errorf("undo import: %s %d%s: %w", e.kind, e.id, e.slug, err)
		}
	}
	for id := range reindex {
		if err := indexActor(ctx, tx, id); err != nil {
			return fmt.Errorf("undo import: reindex actor %d: %w", id, err)
		}
	}
	return nil
}

// undoLog records a saver's changes to the library's actors, events and
// topics (see import_stage.go); a nil log records nothing.
type undoLog struct {
	entries []undoEntry
	seen    map[string]bool
}

// undoEntry is a row of import_staged.
type undoEntry struct {
	kind   string
	id     int64
	slug   string
	before string
}

// created records a new row of kind (actor, event) with the id.
func (u *undoLog) created(kind string, id int64) {
	if u != nil {
		u.entries = append(u.entries, undoEntry{kind: kind, id: id})
	}
}

// createdRow records a new row of a table without an id of its own
// (actor_name, participant), by rowid, with the actor or event it
// belongs to.
func (u *undoLog) createdRow(kind string, res sql.Result, owner int64) error {
	if u == nil {
		return nil
	}
	rowid, err := res.LastInsertId()
	if err != nil {
		return err
	}
	u.entries = append(u.entries, undoEntry{kind: kind, id: rowid, before: fmt.Sprint(owner)})
	return nil
}

// changed records the values of a row of kind (actor, event) before the
// saver first changes it.
func (u *undoLog) changed(kind string, id int64, before map[string]any) {
	if u == nil || u.seen[fmt.Sprint(kind, id)] {
		return
	}
	if u.seen == nil {
		u.seen = map[string]bool{}
	}
	u.seen[fmt.Sprint(kind, id)] = true
	b, _ := json.Marshal(before) // strings and numbers always marshal
	u.entries = append(u.entries, undoEntry{kind: kind + "_was", id: id, before: string(b)})
}

// undoTopic records the topic with the slug as it is before saveTopic
// writes it: new, or its name.
func (s *saver) undoTopic(ctx context.Context, slug string) error {
	u := s.undo
	if u == nil || u.seen["topic"+slug] {
		return nil
	}
	if u.seen == nil {
		u.seen = map[string]bool{}
	}
	u.seen["topic"+slug] = true
	var name, folded string
	err := s.QueryRowContext(ctx, `SELECT name, name_folded FROM topics WHERE guild_id = ? AND slug = ?`, s.guildID, slug).Scan(&name, &folded)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		u.entries = append(u.entries, undoEntry{kind: "topic", slug: slug})
	case err != nil:
		return fmt.Errorf("save topic %q: %w", slug, err)
	default:
		b, _ := json.Marshal(map[string]string{"name": name, "name_folded": folded})
		u.entries = append(u.entries, undoEntry{kind: "topic_was", slug: slug, before: string(b)})
	}
	return nil
}

// write stores the log's entries under the staged import.
func (u *undoLog) write(ctx context.Context, s *saver, stagingID int64) error {
	args := make([]any, 0, 5*len(u.entries))
	for _, e := range u.entries {
		args = append(args, stagingID, e.kind, e.id, e.slug, e.before)
	}
	if err := s.insertRows(ctx, `INSERT INTO import_staged (staging_id, kind, row_id, slug, before) VALUES `,
		"(?, ?, ?, ?, ?)", "", 5, 0, args); err != nil {
		return fmt.Errorf("import: record changes: %w", err)
	}
	u.entries = nil
	return nil
}

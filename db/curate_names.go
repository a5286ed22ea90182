package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"briefbot/briefings"
)

// UpdateActor replaces the kind, description and aliases of the actor with
// a.ID, which must belong to guildID's library, and records the change.
// Returns ENOTFOUND, EINVALID, and a *briefings.NameTakenError (ECONFLICT)
// when an alias names another actor of the library or the global one, or
// looks like one.
func (db *DB) UpdateActor(ctx context.Context, guildID string, a briefings.Actor, by string) error {
	if err := briefings.CheckActorFields(a); err != nil {
		return err
	}
	_, at := db.now()
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return busy(err, "update actor: begin")
	}
	defer tx.Rollback()
	old, err := loadActors(ctx, tx, []int64{a.ID})
	if err != nil {
		return err
	}
	prev := old[a.ID]
	if prev == nil || prev.GuildID != guildID {
		return briefings.Errorf(briefings.ENOTFOUND, "There is no such actor in this library.")
	}
	if _, err := tx.ExecContext(ctx, `UPDATE actors SET kind = ?, description = ? WHERE id = ?`, string(a.Kind), a.Description, a.ID); err != nil {
		return fmt.Errorf("update actor %d: %w", a.ID, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM actor_names WHERE actor_id = ? AND position > 0`, a.ID); err != nil {
		return fmt.Errorf("update actor %d: %w", a.ID, err)
	}
	for i, al := range cleanAliases(prev.Name, a.Aliases) {
		if err := actorNameFree(ctx, tx, guildID, al, a.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO actor_names (actor_id, guild_id, name, folded, position) VALUES (?, ?, ?, ?, ?)`,
			a.ID, guildID, al, briefings.Fold(al), i+1); err != nil {
			return conflict(err, "update actor %q", prev.Name)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM actors_fts WHERE rowid = ?`, a.ID); err != nil {
		return fmt.Errorf("index actor %d: %w", a.ID, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO actors_fts (rowid, name, aliases, description)
		SELECT a.id, a.name, coalesce((SELECT group_concat(n.name, ' ') FROM actor_names n
			WHERE n.actor_id = a.id AND n.position > 0), ''), a.description
		FROM actors a WHERE a.id = ?`, a.ID); err != nil {
		return fmt.Errorf("index actor %d: %w", a.ID, err)
	}
	cur, err := loadActors(ctx, tx, []int64{a.ID})
	if err != nil {
		return err
	}
	mentions, err := mentioning(ctx, tx, "actor", a.ID)
	if err != nil {
		return err
	}
	if err := rewriteBriefings(ctx, tx, entryIDs(mentions), func(b *briefings.Briefing) {
		replaceActor(b, map[string]bool{briefings.Fold(prev.Name): true}, cur[a.ID])
	}, &versionNote{by: by, at: at, changes: "actor edited: " + prev.Name}); err != nil {
		return err
	}
	if err := insertAudit(ctx, tx, auditRow{at: at, guildID: guildID, userID: by, action: briefings.AuditActorEdit,
		target: "actor:" + prev.Name, before: jsonText(prev), after: jsonText(cur[a.ID])}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("update actor %d: commit: %w", a.ID, err)
	}
	return nil
}

// UpdateEvent replaces the dates, location, participants and description
// of the event with e.ID, which must belong to guildID's library, and records the
// change. Returns ENOTFOUND and EINVALID.
func (db *DB) UpdateEvent(ctx context.Context, guildID string, e briefings.Event, by string) error {
	if err := briefings.CheckEventFields(e); err != nil {
		return err
	}
	_, at := db.now()
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return busy(err, "update event: begin")
	}
	defer tx.Rollback()
	old, err := loadEvents(ctx, tx, []int64{e.ID})
	if err != nil {
		return err
	}
	prev := old[e.ID]
	if prev == nil || prev.GuildID != guildID {
		return briefings.Errorf(briefings.ENOTFOUND, "There is no such event in this library.")
	}
	date, dateP := dateValue(e.Date)
	end, endP := dateValue(e.End)
	if _, err := tx.ExecContext(ctx, `UPDATE events SET date = ?, date_precision = ?, end_date = ?, end_precision = ?,
		location = ?, description = ? WHERE id = ?`, date, dateP, end, endP, e.Location, e.Description, e.ID); err != nil {
		return fmt.Errorf("update event %d: %w", e.ID, err)
	}
	if err := replaceParticipants(ctx, tx, guildID, e.ID, e.Participants); err != nil {
		return err
	}
	cur, err := loadEvents(ctx, tx, []int64{e.ID})
	if err != nil {
		return err
	}
	mentions, err := mentioning(ctx, tx, "event", e.ID)
	if err != nil {
		return err
	}
	if err := rewriteBriefings(ctx, tx, entryIDs(mentions), func(b *briefings.Briefing) {
		replaceEvent(b, map[string]bool{briefings.Fold(prev.Name): true}, &cur[e.ID].Event)
	}, &versionNote{by: by, at: at, changes: "event edited: " + prev.Name}); err != nil {
		return err
	}
	if err := insertAudit(ctx, tx, auditRow{at: at, guildID: guildID, userID: by, action: briefings.AuditEventEdit,
		target: "event:" + prev.Name, before: jsonText(prev.Event), after: jsonText(cur[e.ID].Event)}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("update event %d: commit: %w", e.ID, err)
	}
	return nil
}

// replaceParticipants makes the actors with the names (or aliases) the
// event's participants, in order; the briefings that mention the event
// mention its new participants, and no longer those it lost that none of
// their other events has. Returns EINVALID for a name the library lacks.
func replaceParticipants(ctx context.Context, tx *sql.Tx, guildID string, eventID int64, names []string) error {
	var ids []int64
	seen := map[int64]bool{}
	for _, n := range names {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT n.actor_id FROM actor_names n WHERE n.folded = ? AND n.guild_id IN (?, '')
			ORDER BY n.guild_id = '' LIMIT 1`, briefings.Fold(n), guildID).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return briefings.Errorf(briefings.EINVALID, "participants: %q is not an actor in this library.", n)
		} else if err != nil {
			return fmt.Errorf("participant %q: %w", n, err)
		}
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM event_participants WHERE event_id = ?`, eventID); err != nil {
		return fmt.Errorf("participants of event %d: %w", eventID, err)
	}
	for i, id := range ids {
		if _, err := tx.ExecContext(ctx, `INSERT INTO event_participants (event_id, actor_id, position) VALUES (?, ?, ?)`, eventID, id, i); err != nil {
			return fmt.Errorf("participants of event %d: %w", eventID, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM briefing_actors WHERE declared = 0
		AND briefing_id IN (SELECT briefing_id FROM briefing_events WHERE event_id = ?1)
		AND NOT EXISTS (SELECT 1 FROM briefing_events be JOIN event_participants ep ON ep.event_id = be.event_id
			WHERE be.briefing_id = briefing_actors.briefing_id AND ep.actor_id = briefing_actors.actor_id)`, eventID); err != nil {
		return fmt.Errorf("mentions of event %d's participants: %w", eventID, err)
	}
	return nil
}

// jsonText is v as JSON for the audit log.
func jsonText(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(data)
}

package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"briefbot/briefings"
)

// MergeActors moves everything of the actor from into the actor into, both
// of the guild's library: the briefings that mention it, the facts that
// link to it, the events it takes part in and its names, which become
// aliases of into. into keeps its kind and description unless it has none.
func (db *DB) MergeActors(ctx context.Context, guildID string, from, into int64, by string) (briefings.MergeOutcome, error) {
	var out briefings.MergeOutcome
	if from == into {
		return out, briefings.Errorf(briefings.EINVALID, "An actor cannot be merged into itself.")
	}
	tx, at, err := db.beginManage(ctx, "merge actors")
	if err != nil {
		return out, err
	}
	defer tx.Rollback()
	src, err := actorIn(ctx, tx, guildID, from)
	if err != nil {
		return out, err
	}
	dst, err := actorIn(ctx, tx, guildID, into)
	if err != nil {
		return out, err
	}
	if n := len(dst.Aliases) + 1 + len(src.Aliases); n > briefings.MaxAliases {
		return out, briefings.Errorf(briefings.EINVALID, "Together they would have %d aliases; an actor can have at most %d. Remove some first.", n, briefings.MaxAliases)
	}
	mentions, err := mentioning(ctx, tx, "actor", from)
	if err != nil {
		return out, err
	}
	out.Briefings = len(mentions)
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM fact_actors WHERE actor_id = ?`, from).Scan(&out.Facts); err != nil {
		return out, fmt.Errorf("merge actors: %w", err)
	}
	// A row that into has already (the same fact, briefing or event) stays
	// as into's (the NOT EXISTS does what SQLite's UPDATE OR IGNORE did, on
	// PostgreSQL too); the declared flag of a briefing's mention carries
	// over.
	for _, q := range []string{
		`UPDATE briefing_actors SET declared = 1 WHERE actor_id = ?2 AND declared = 0
			AND briefing_id IN (SELECT briefing_id FROM briefing_actors WHERE actor_id = ?1 AND declared = 1)`,
		`UPDATE briefing_actors SET actor_id = ?2 WHERE actor_id = ?1
			AND NOT EXISTS (SELECT 1 FROM briefing_actors o WHERE o.actor_id = ?2 AND o.briefing_id = briefing_actors.briefing_id)`,
		`DELETE FROM briefing_actors WHERE actor_id = ?1`,
		`UPDATE fact_actors SET actor_id = ?2 WHERE actor_id = ?1
			AND NOT EXISTS (SELECT 1 FROM fact_actors o WHERE o.actor_id = ?2 AND o.fact_id = fact_actors.fact_id)`,
		`DELETE FROM fact_actors WHERE actor_id = ?1`,
		`UPDATE event_participants SET actor_id = ?2 WHERE actor_id = ?1
			AND NOT EXISTS (SELECT 1 FROM event_participants o WHERE o.actor_id = ?2 AND o.event_id = event_participants.event_id)`,
		`UPDATE actor_names SET actor_id = ?2, position = position + 1 +
			(SELECT max(position) FROM actor_names WHERE actor_id = ?2) WHERE actor_id = ?1`,
		`UPDATE actors SET kind = CASE WHEN kind = '' THEN (SELECT kind FROM actors WHERE id = ?1) ELSE kind END,
			description = CASE WHEN description = '' THEN (SELECT description FROM actors WHERE id = ?1) ELSE description END
			WHERE id = ?2`,
		`DELETE FROM actors WHERE id = ?1`,
	} {
		if _, err := tx.ExecContext(ctx, q, from, into); err != nil {
			return out, fmt.Errorf("merge actor %d into %d: %w", from, into, err)
		}
	}
	if err := indexActor(ctx, tx, into); err != nil {
		return out, fmt.Errorf("index actor %d: %w", into, err)
	}
	cur, err := actorIn(ctx, tx, guildID, into)
	if err != nil {
		return out, err
	}
	if err := rewriteSnapshots(ctx, tx, entryIDs(mentions), func(b *briefings.Briefing) {
		replaceActor(b, actorNames(src), cur)
	}); err != nil {
		return out, err
	}
	before := jsonText(map[string]any{"from": src, "into": dst})
	if err := insertAudit(ctx, tx, auditRow{at: at, guildID: guildID, userID: by, action: briefings.AuditActorMerge,
		target: "actor:" + src.Name, before: before, after: jsonText(cur), note: "merged into " + dst.Name}); err != nil {
		return out, err
	}
	if err := tx.Commit(); err != nil {
		return out, fmt.Errorf("merge actors: commit: %w", err)
	}
	return out, nil
}

// MergeEvents moves everything of the event from into the event into, both
// of the guild's library: the briefings that mention it, the facts about
// it and its participants. into keeps its dates, location and description
// where it has them.
func (db *DB) MergeEvents(ctx context.Context, guildID string, from, into int64, by string) (briefings.MergeOutcome, error) {
	var out briefings.MergeOutcome
	if from == into {
		return out, briefings.Errorf(briefings.EINVALID, "An event cannot be merged into itself.")
	}
	tx, at, err := db.beginManage(ctx, "merge events")
	if err != nil {
		return out, err
	}
	defer tx.Rollback()
	src, err := eventIn(ctx, tx, guildID, from)
	if err != nil {
		return out, err
	}
	dst, err := eventIn(ctx, tx, guildID, into)
	if err != nil {
		return out, err
	}
	mentions, err := mentioning(ctx, tx, "event", from)
	if err != nil {
		return out, err
	}
	out.Briefings = len(mentions)
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM facts WHERE event_id = ?`, from).Scan(&out.Facts); err != nil {
		return out, fmt.Errorf("merge events: %w", err)
	}
	for _, q := range []string{
		`UPDATE briefing_events SET declared = 1 WHERE event_id = ?2 AND declared = 0
			AND briefing_id IN (SELECT briefing_id FROM briefing_events WHERE event_id = ?1 AND declared = 1)`,
		`UPDATE briefing_events SET event_id = ?2 WHERE event_id = ?1
			AND NOT EXISTS (SELECT 1 FROM briefing_events o WHERE o.event_id = ?2 AND o.briefing_id = briefing_events.briefing_id)`,
		`DELETE FROM briefing_events WHERE event_id = ?1`,
		`UPDATE facts SET event_id = ?2 WHERE event_id = ?1`,
		`INSERT INTO event_participants (event_id, actor_id, position)
			SELECT ?2, actor_id, position + 1 + coalesce((SELECT max(position) FROM event_participants WHERE event_id = ?2), -1)
			FROM event_participants WHERE event_id = ?1 ORDER BY position
			ON CONFLICT DO NOTHING`,
		// The briefings that now mention into mention its participants
		// too, as the triggers of migration 8 keep for new rows.
		`INSERT INTO briefing_actors (briefing_id, actor_id, position, declared, guild_id, status, published)
			SELECT be.briefing_id, ep.actor_id,
				(SELECT coalesce(max(ba.position) + 1, 0) FROM briefing_actors ba WHERE ba.briefing_id = be.briefing_id) + ep.position,
				0, be.guild_id, be.status, be.published
			FROM briefing_events be CROSS JOIN event_participants ep ON ep.event_id = be.event_id
			WHERE be.event_id = ?2
			ON CONFLICT (briefing_id, actor_id) DO NOTHING`,
		`UPDATE events SET
			end_date = CASE WHEN end_date = '' THEN (SELECT end_date FROM events WHERE id = ?1) ELSE end_date END,
			end_precision = CASE WHEN end_date = '' THEN (SELECT end_precision FROM events WHERE id = ?1) ELSE end_precision END,
			location = CASE WHEN location = '' THEN (SELECT location FROM events WHERE id = ?1) ELSE location END,
			description = CASE WHEN description = '' THEN (SELECT description FROM events WHERE id = ?1) ELSE description END
			WHERE id = ?2`,
		`DELETE FROM events WHERE id = ?1`,
	} {
		if _, err := tx.ExecContext(ctx, q, from, into); err != nil {
			return out, fmt.Errorf("merge event %d into %d: %w", from, into, err)
		}
	}
	cur, err := eventIn(ctx, tx, guildID, into)
	if err != nil {
		return out, err
	}
	if err := rewriteSnapshots(ctx, tx, entryIDs(mentions), func(b *briefings.Briefing) {
		replaceEvent(b, map[string]bool{briefings.Fold(src.Name): true}, cur)
	}); err != nil {
		return out, err
	}
	before := jsonText(map[string]any{"from": src, "into": dst})
	if err := insertAudit(ctx, tx, auditRow{at: at, guildID: guildID, userID: by, action: briefings.AuditEventMerge,
		target: "event:" + src.Name, before: before, after: jsonText(cur), note: "merged into " + dst.Name}); err != nil {
		return out, err
	}
	if err := tx.Commit(); err != nil {
		return out, fmt.Errorf("merge events: commit: %w", err)
	}
	return out, nil
}

// DeleteActor deletes the actor from the guild's library and from the
// drafts that mention it, unless a briefing that is not a draft mentions
// it: then it returns a *briefings.InUseError naming them.
func (db *DB) DeleteActor(ctx context.Context, guildID string, id int64, by string) (briefings.DeleteOutcome, error) {
	var out briefings.DeleteOutcome
	tx, at, err := db.beginManage(ctx, "delete actor")
	if err != nil {
		return out, err
	}
	defer tx.Rollback()
	prev, err := actorIn(ctx, tx, guildID, id)
	if err != nil {
		return out, err
	}
	drafts, err := draftsOnly(ctx, tx, "actor", prev.Name, id)
	if err != nil {
		return out, err
	}
	ids := entryIDs(drafts)
	for _, q := range []string{
		`DELETE FROM fact_actors WHERE actor_id = ?1 AND fact_id IN (SELECT id FROM facts WHERE briefing_id IN (SELECT value FROM json_each(?2)))`,
		`DELETE FROM briefing_actors WHERE actor_id = ?1 AND briefing_id IN (SELECT value FROM json_each(?2))`,
		`DELETE FROM actors WHERE id = ?1`,
	} {
		if _, err := tx.ExecContext(ctx, q, id, idList(ids)); err != nil {
			return out, fmt.Errorf("delete actor %d: %w", id, err)
		}
	}
	names := actorNames(prev)
	if err := rewriteSnapshots(ctx, tx, ids, func(b *briefings.Briefing) { replaceActor(b, names, nil) }); err != nil {
		return out, err
	}
	if err := insertAudit(ctx, tx, auditRow{at: at, guildID: guildID, userID: by, action: briefings.AuditActorDelete,
		target: "actor:" + prev.Name, before: jsonText(prev), note: draftsNote(drafts)}); err != nil {
		return out, err
	}
	if err := tx.Commit(); err != nil {
		return out, fmt.Errorf("delete actor %d: commit: %w", id, err)
	}
	out.Drafts = drafts
	return out, nil
}

// DeleteEvent deletes the event from the guild's library and from the
// drafts that mention it, unless a briefing that is not a draft mentions
// it: then it returns a *briefings.InUseError naming them.
func (db *DB) DeleteEvent(ctx context.Context, guildID string, id int64, by string) (briefings.DeleteOutcome, error) {
	var out briefings.DeleteOutcome
	tx, at, err := db.beginManage(ctx, "delete event")
	if err != nil {
		return out, err
	}
	defer tx.Rollback()
	prev, err := eventIn(ctx, tx, guildID, id)
	if err != nil {
		return out, err
	}
	drafts, err := draftsOnly(ctx, tx, "event", prev.Name, id)
	if err != nil {
		return out, err
	}
	ids := entryIDs(drafts)
	for _, q := range []string{
		`UPDATE facts SET event_id = NULL WHERE event_id = ?1`,
		`DELETE FROM briefing_events WHERE event_id = ?1`,
		// The event's participants stay mentioned only where the draft
		// mentions them otherwise.
		`DELETE FROM briefing_actors WHERE declared = 0 AND briefing_id IN (SELECT value FROM json_each(?2))
			AND actor_id NOT IN (SELECT fa.actor_id FROM fact_actors fa JOIN facts f ON f.id = fa.fact_id
				WHERE f.briefing_id = briefing_actors.briefing_id)
			AND actor_id NOT IN (SELECT ep.actor_id FROM event_participants ep JOIN briefing_events be ON be.event_id = ep.event_id
				WHERE be.briefing_id = briefing_actors.briefing_id)`,
		`DELETE FROM events WHERE id = ?1`,
	} {
		if _, err := tx.ExecContext(ctx, q, id, idList(ids)); err != nil {
			return out, fmt.Errorf("delete event %d: %w", id, err)
		}
	}
	names := map[string]bool{briefings.Fold(prev.Name): true}
	if err := rewriteSnapshots(ctx, tx, ids, func(b *briefings.Briefing) { replaceEvent(b, names, nil) }); err != nil {
		return out, err
	}
	if err := insertAudit(ctx, tx, auditRow{at: at, guildID: guildID, userID: by, action: briefings.AuditEventDelete,
		target: "event:" + prev.Name, before: jsonText(prev), note: draftsNote(drafts)}); err != nil {
		return out, err
	}
	if err := tx.Commit(); err != nil {
		return out, fmt.Errorf("delete event %d: commit: %w", id, err)
	}
	out.Drafts = drafts
	return out, nil
}

// draftsOnly returns the briefings that mention the actor or event when
// all are drafts, and a *briefings.InUseError naming the others otherwise.
func draftsOnly(ctx context.Context, q querier, kind, name string, id int64) ([]briefings.BriefingEntry, error) {
	all, err := mentioning(ctx, q, kind, id)
	if err != nil {
		return nil, err
	}
	var drafts, used []briefings.BriefingEntry
	for _, b := range all {
		if b.Status == briefings.StatusDraft {
			drafts = append(drafts, b)
		} else {
			used = append(used, b)
		}
	}
	if len(used) > 0 {
		return nil, &briefings.InUseError{Kind: kind, Name: name, Briefings: used}
	}
	return drafts, nil
}

// draftsNote lists the drafts a delete changed, for the audit log.
func draftsNote(drafts []briefings.BriefingEntry) string {
	if len(drafts) == 0 {
		return ""
	}
	slugs := make([]string, len(drafts))
	for i, d := range drafts {
		slugs[i] = d.Slug
	}
	return "removed from drafts: " + jsonText(slugs)
}

// mentioning lists the briefings of any library that mention the actor or
// event (kind), in their rows or their facts: published first, then
// retracted, then drafts, each most recently changed first.
func mentioning(ctx context.Context, q querier, kind string, id int64) ([]briefings.BriefingEntry, error) {
	sub := `SELECT briefing_id FROM briefing_actors WHERE actor_id = ?1
		UNION SELECT f.briefing_id FROM fact_actors fa JOIN facts f ON f.id = fa.fact_id WHERE fa.actor_id = ?1`
	if kind == "event" {
		sub = `SELECT briefing_id FROM briefing_events WHERE event_id = ?1
			UNION SELECT briefing_id FROM facts WHERE event_id = ?1`
	}
	var out []briefings.BriefingEntry
	err := eachRow(ctx, q, `SELECT id, guild_id, slug, title, status, version FROM briefings WHERE id IN (`+sub+`)
		ORDER BY CASE status WHEN 'published' THEN 0 WHEN 'retracted' THEN 1 ELSE 2 END, updated_at DESC, id DESC`,
		[]any{id}, func(rows *sql.Rows) error {
			var e briefings.BriefingEntry
			var status string
			if err := rows.Scan(&e.ID, &e.GuildID, &e.Slug, &e.Title, &status, &e.Version); err != nil {
				return err
			}
			e.Status = briefings.Status(status)
			out = append(out, e)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("briefings mentioning %s %d: %w", kind, id, err)
	}
	return out, nil
}

func entryIDs(es []briefings.BriefingEntry) []int64 {
	ids := make([]int64, len(es))
	for i, e := range es {
		ids[i] = e.ID
	}
	return ids
}

// rewriteSnapshots applies fix to the latest snapshot of each briefing, in
// place: the names a snapshot uses for the library's actors and events are
// the library's, and the audit entry of the change keeps what they were.
func rewriteSnapshots(ctx context.Context, tx *sql.Tx, ids []int64, fix func(*briefings.Briefing)) error {
	return rewriteBriefings(ctx, tx, ids, fix, nil)
}

// versionNote is a new version that a change to the library makes in each
// briefing it changes, so that its history says who did what, and when.
type versionNote struct {
	by, at, changes string
}

// rewriteBriefings is rewriteSnapshots, or with a note, a new version of
// each briefing the fix changes, saved with the note's author, time and
// changes.
func rewriteBriefings(ctx context.Context, tx *sql.Tx, ids []int64, fix func(*briefings.Briefing), note *versionNote) error {
	for _, id := range ids {
		var version int
		var snap string
		err := tx.QueryRowContext(ctx, `SELECT version, snapshot FROM briefing_versions WHERE briefing_id = ?
			ORDER BY version DESC LIMIT 1`, id).Scan(&version, &snap)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		} else if err != nil {
			return fmt.Errorf("snapshot of briefing %d: %w", id, err)
		}
		var b briefings.Briefing
		if err := json.Unmarshal([]byte(snap), &b); err != nil {
			return fmt.Errorf("snapshot of briefing %d: %w", id, err)
		}
		fix(&b)
		fixed, err := snapshot(&b)
		if err != nil {
			return err
		}
		if fixed == snap {
			continue
		}
		if note == nil {
			if _, err := tx.ExecContext(ctx, `UPDATE briefing_versions SET snapshot = ? WHERE briefing_id = ? AND version = ?`,
				fixed, id, version); err != nil {
				return fmt.Errorf("snapshot of briefing %d: %w", id, err)
			}
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO briefing_versions (briefing_id, version, by, at, snapshot, changes)
			VALUES (?, ?, ?, ?, ?, ?)`, id, version+1, note.by, note.at, fixed, note.changes); err != nil {
			return fmt.Errorf("version of briefing %d: %w", id, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE briefings SET version = ?, updated_by = ?, updated_at = ? WHERE id = ?`,
			version+1, note.by, note.at, id); err != nil {
			return fmt.Errorf("version of briefing %d: %w", id, err)
		}
	}
	return nil
}

// replaceActor rewrites a snapshot's references to the actor with the
// folded names: to its actor as the library has it now, or out of the
// briefing when to is nil. Repeats that result are dropped.
func replaceActor(b *briefings.Briefing, names map[string]bool, to *briefings.Actor) {
	matches := func(a briefings.Actor) bool {
		for _, n := range append([]string{a.Name}, a.Aliases...) {
			if names[briefings.Fold(n)] {
				return true
			}
		}
		return false
	}
	var toNames map[string]bool
	if to != nil {
		toNames = actorNames(to)
	}
	seen := map[string]bool{}
	actors := b.Actors[:0]
	for _, a := range b.Actors {
		switch {
		case matches(a) && to == nil:
			continue
		case matches(a) || (to != nil && toNames[briefings.Fold(a.Name)]):
			a = briefings.Actor{Name: to.Name, Kind: to.Kind, Description: to.Description, Aliases: nilIfEmpty(to.Aliases)}
		}
		if k := briefings.Fold(a.Name); !seen[k] {
			seen[k] = true
			actors = append(actors, a)
		}
	}
	b.Actors = orNil(actors)
	refs := func(list []string) []string {
		var out []string
		seen := map[string]bool{}
		for _, n := range list {
			if f := briefings.Fold(n); names[f] || toNames[f] {
				if to == nil {
					continue
				}
				n = to.Name
			}
			if k := briefings.Fold(n); !seen[k] {
				seen[k] = true
				out = append(out, n)
			}
		}
		return out
	}
	for i := range b.Facts {
		b.Facts[i].Actors = refs(b.Facts[i].Actors)
	}
	for i := range b.Events {
		b.Events[i].Participants = refs(b.Events[i].Participants)
	}
}

// replaceEvent rewrites a snapshot's references to the event with the
// folded names: to the event as the library has it now, or out of the
// briefing when to is nil.
func replaceEvent(b *briefings.Briefing, names map[string]bool, to *briefings.Event) {
	seen := map[string]bool{}
	events := b.Events[:0]
	for _, e := range b.Events {
		switch {
		case names[briefings.Fold(e.Name)] && to == nil:
			continue
		case names[briefings.Fold(e.Name)] || (to != nil && briefings.Fold(e.Name) == briefings.Fold(to.Name)):
			e = briefings.Event{Name: to.Name, Date: utcDate(to.Date), End: utcDate(to.End), Location: to.Location,
				Description: to.Description, Participants: nilIfEmpty(to.Participants)}
		}
		if k := briefings.Fold(e.Name); !seen[k] {
			seen[k] = true
			events = append(events, e)
		}
	}
	b.Events = orNil(events)
	for i := range b.Facts {
		if names[briefings.Fold(b.Facts[i].Event)] {
			b.Facts[i].Event = ""
			if to != nil {
				b.Facts[i].Event = to.Name
			}
		}
	}
}

// orNil returns nil for an empty slice: a snapshot writes no list as
// null, as normalize leaves it.
func orNil[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s
}

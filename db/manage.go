package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"briefbot/briefings"
)

// The library's actors and events are added, renamed, merged and deleted
// here, each in one transaction with an audit entry. Briefings refer to
// them by id in their rows and by name in the snapshot of their latest
// version, which is what an edit starts from (EditableBriefing); a rename,
// merge or delete rewrites the names in those snapshots too, so that the
// next edit of a briefing keeps what it mentions instead of bringing the
// old name back. Earlier versions stay as they were.

// beginManage starts a write transaction for a change to the library,
// refused while an import is being staged: its briefings refer to the
// library's actors and events, and undoing it must find them as it left
// them.
func (db *DB) beginManage(ctx context.Context, what string) (*sql.Tx, string, error) {
	now, at := db.now()
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return nil, "", busy(err, what+": begin")
	}
	live, _, err := stagings(ctx, tx, now)
	if err != nil {
		tx.Rollback()
		return nil, "", err
	}
	if len(live) > 0 {
		tx.Rollback()
		return nil, "", briefings.Errorf(briefings.EBUSY, "An import is being saved into the library right now (started %s UTC); nothing was changed. Try again when it has finished.",
			live[0].started.Format("15:04"))
	}
	return tx, at, nil
}

// AddActor creates an actor in the guild's library ("" for the global
// one), with its aliases, refusing a name the library has or one that
// looks like it.
func (db *DB) AddActor(ctx context.Context, guildID string, a briefings.Actor, by string) (*briefings.Actor, error) {
	a.Name = strings.TrimSpace(a.Name)
	if err := briefings.CheckName(a.Name); err != nil {
		return nil, err
	}
	a.Aliases = cleanAliases(a.Name, a.Aliases)
	if err := briefings.CheckActorFields(a); err != nil {
		return nil, err
	}
	tx, at, err := db.beginManage(ctx, "add actor")
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	for _, n := range append([]string{a.Name}, a.Aliases...) {
		if err := actorNameFree(ctx, tx, guildID, n, 0); err != nil {
			return nil, err
		}
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO actors (guild_id, name, name_folded, kind, description) VALUES (?, ?, ?, ?, ?)`,
		guildID, a.Name, briefings.Fold(a.Name), string(a.Kind), a.Description)
	if err != nil {
		return nil, conflict(err, "add actor %q", a.Name)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return nil, fmt.Errorf("add actor %q: %w", a.Name, err)
	}
	for i, n := range append([]string{a.Name}, a.Aliases...) {
		if _, err := tx.ExecContext(ctx, `INSERT INTO actor_names (actor_id, guild_id, name, folded, position) VALUES (?, ?, ?, ?, ?)`,
			id, guildID, n, briefings.Fold(n), i); err != nil {
			return nil, conflict(err, "add actor %q", a.Name)
		}
	}
	if err := indexActor(ctx, tx, id); err != nil {
		return nil, fmt.Errorf("index actor %q: %w", a.Name, err)
	}
	cur, err := actorIn(ctx, tx, guildID, id)
	if err != nil {
		return nil, err
	}
	if err := insertAudit(ctx, tx, auditRow{at: at, guildID: guildID, userID: by, action: briefings.AuditActorAdd,
		target: "actor:" + cur.Name, after: jsonText(cur)}); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("add actor %q: commit: %w", a.Name, err)
	}
	return cur, nil
}

// AddEvent creates an event in the guild's library ("" for the global
// one); its participants are names or aliases of the library's actors.
func (db *DB) AddEvent(ctx context.Context, guildID string, e briefings.Event, by string) (*briefings.Event, error) {
	e.Name = strings.TrimSpace(e.Name)
	if err := briefings.CheckName(e.Name); err != nil {
		return nil, err
	}
	if err := briefings.CheckEventFields(e); err != nil {
		return nil, err
	}
	tx, at, err := db.beginManage(ctx, "add event")
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if err := eventNameFree(ctx, tx, guildID, e.Name, 0); err != nil {
		return nil, err
	}
	var parts []int64
	for _, p := range e.Participants {
		aid, err := lookupActorID(ctx, tx, guildID, briefings.Fold(p))
		if err != nil {
			return nil, err
		}
		if aid == 0 {
			return nil, briefings.Errorf(briefings.EINVALID, "%q is not an actor of this library.", p)
		}
		parts = append(parts, aid)
	}
	date, dateP := dateValue(e.Date)
	end, endP := dateValue(e.End)
	res, err := tx.ExecContext(ctx, `INSERT INTO events (guild_id, name, name_folded, date, date_precision,
		end_date, end_precision, location, description) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		guildID, e.Name, briefings.Fold(e.Name), date, dateP, end, endP, strings.TrimSpace(e.Location), strings.TrimSpace(e.Description))
	if err != nil {
		return nil, conflict(err, "add event %q", e.Name)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return nil, fmt.Errorf("add event %q: %w", e.Name, err)
	}
	for i, aid := range parts {
		if _, err := tx.ExecContext(ctx, `INSERT INTO event_participants (event_id, actor_id, position) VALUES (?, ?, ?)
			ON CONFLICT DO NOTHING`, id, aid, i); err != nil {
			return nil, fmt.Errorf("add event %q: participants: %w", e.Name, err)
		}
	}
	cur, err := eventIn(ctx, tx, guildID, id)
	if err != nil {
		return nil, err
	}
	if err := insertAudit(ctx, tx, auditRow{at: at, guildID: guildID, userID: by, action: briefings.AuditEventAdd,
		target: "event:" + cur.Name, after: jsonText(cur)}); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("add event %q: commit: %w", e.Name, err)
	}
	return cur, nil
}

// RenameActor gives the actor a new name. The old name becomes an alias
// when keepOld is set; a new name that was one of its aliases stops being
// one. Every briefing that mentions the actor keeps it, and their latest
// snapshots name it by its new name.
func (db *DB) RenameActor(ctx context.Context, guildID string, id int64, name string, keepOld bool, by string) (*briefings.Actor, error) {
	name = strings.TrimSpace(name)
	if err := briefings.CheckName(name); err != nil {
		return nil, err
	}
	tx, at, err := db.beginManage(ctx, "rename actor")
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	prev, err := actorIn(ctx, tx, guildID, id)
	if err != nil {
		return nil, err
	}
	if prev.Name == name {
		return nil, briefings.Errorf(briefings.EINVALID, "The actor is already called %q.", name)
	}
	if err := actorNameFree(ctx, tx, guildID, name, id); err != nil {
		return nil, err
	}
	folded, oldFolded := briefings.Fold(name), briefings.Fold(prev.Name)
	// The new name may have been an alias; it now names the actor.
	if _, err := tx.ExecContext(ctx, `DELETE FROM actor_names WHERE actor_id = ? AND folded = ? AND position > 0`, id, folded); err != nil {
		return nil, fmt.Errorf("rename actor %d: %w", id, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE actor_names SET name = ?, folded = ? WHERE actor_id = ? AND position = 0`, name, folded, id); err != nil {
		return nil, conflict(err, "rename actor %q", prev.Name)
	}
	if keepOld && oldFolded != folded {
		if len(prev.Aliases) >= briefings.MaxAliases {
			return nil, briefings.Errorf(briefings.EINVALID, "%q has %d aliases, the most an actor can have, so its old name cannot become one.", prev.Name, len(prev.Aliases))
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO actor_names (actor_id, guild_id, name, folded, position)
			VALUES (?, ?, ?, ?, (SELECT max(position) + 1 FROM actor_names WHERE actor_id = ?))`, id, guildID, prev.Name, oldFolded, id); err != nil {
			return nil, conflict(err, "rename actor %q", prev.Name)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE actors SET name = ?, name_folded = ? WHERE id = ?`, name, folded, id); err != nil {
		return nil, conflict(err, "rename actor %q", prev.Name)
	}
	if err := indexActor(ctx, tx, id); err != nil {
		return nil, fmt.Errorf("index actor %d: %w", id, err)
	}
	cur, err := actorIn(ctx, tx, guildID, id)
	if err != nil {
		return nil, err
	}
	mentions, err := mentioning(ctx, tx, "actor", id)
	if err != nil {
		return nil, err
	}
	// A fact attributed to the actor by its old name is attributed by the
	// new one: attributions are text, and they show the actor as it is
	// called now.
	if err := renameAttributions(ctx, tx, entryIDs(mentions), prev.Name, cur.Name); err != nil {
		return nil, err
	}
	if err := rewriteBriefings(ctx, tx, entryIDs(mentions), func(b *briefings.Briefing) {
		replaceActor(b, actorNames(prev), cur)
		for i, f := range b.Facts {
			if briefings.Fold(f.Attribution) == briefings.Fold(prev.Name) {
				b.Facts[i].Attribution = cur.Name
			}
		}
	}, &versionNote{by: by, at: at, changes: "actor renamed: " + prev.Name + " → " + cur.Name}); err != nil {
		return nil, err
	}
	note := "the old name was dropped"
	if keepOld {
		note = "the old name is kept as an alias"
	}
	if err := insertAudit(ctx, tx, auditRow{at: at, guildID: guildID, userID: by, action: briefings.AuditActorRename,
		target: "actor:" + prev.Name, before: jsonText(prev), after: jsonText(cur), note: note}); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("rename actor %d: commit: %w", id, err)
	}
	return cur, nil
}

// RenameEvent gives the event a new name, kept by every briefing that
// mentions it.
func (db *DB) RenameEvent(ctx context.Context, guildID string, id int64, name string, by string) (*briefings.Event, error) {
	name = strings.TrimSpace(name)
	if err := briefings.CheckName(name); err != nil {
		return nil, err
	}
	tx, at, err := db.beginManage(ctx, "rename event")
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	prev, err := eventIn(ctx, tx, guildID, id)
	if err != nil {
		return nil, err
	}
	if prev.Name == name {
		return nil, briefings.Errorf(briefings.EINVALID, "The event is already called %q.", name)
	}
	if err := eventNameFree(ctx, tx, guildID, name, id); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE events SET name = ?, name_folded = ? WHERE id = ?`, name, briefings.Fold(name), id); err != nil {
		return nil, conflict(err, "rename event %q", prev.Name)
	}
	cur, err := eventIn(ctx, tx, guildID, id)
	if err != nil {
		return nil, err
	}
	mentions, err := mentioning(ctx, tx, "event", id)
	if err != nil {
		return nil, err
	}
	if err := rewriteBriefings(ctx, tx, entryIDs(mentions), func(b *briefings.Briefing) {
		replaceEvent(b, map[string]bool{briefings.Fold(prev.Name): true}, cur)
	}, &versionNote{by: by, at: at, changes: "event renamed: " + prev.Name + " → " + cur.Name}); err != nil {
		return nil, err
	}
	if err := insertAudit(ctx, tx, auditRow{at: at, guildID: guildID, userID: by, action: briefings.AuditEventRename,
		target: "event:" + prev.Name, before: jsonText(prev), after: jsonText(cur)}); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("rename event %d: commit: %w", id, err)
	}
	return cur, nil
}

// renameAttributions attributes to name the facts of the briefings that
// are attributed to old, ignoring case and accents.
func renameAttributions(ctx context.Context, tx *sql.Tx, ids []int64, old, name string) error {
	type fact struct {
		id          int64
		attribution string
	}
	var facts []fact
	err := eachRow(ctx, tx, `SELECT id, attribution FROM facts WHERE briefing_id IN (SELECT value FROM json_each(?))`,
		[]any{idList(ids)}, func(rows *sql.Rows) error {
			var f fact
			if err := rows.Scan(&f.id, &f.attribution); err != nil {
				return err
			}
			facts = append(facts, f)
			return nil
		})
	if err != nil {
		return fmt.Errorf("attributions to %q: %w", old, err)
	}
	for _, f := range facts {
		if briefings.Fold(f.attribution) != briefings.Fold(old) {
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE facts SET attribution = ? WHERE id = ?`, name, f.id); err != nil {
			return fmt.Errorf("attribution of fact %d: %w", f.id, err)
		}
	}
	return nil
}

// cleanAliases trims aliases and drops empty ones, repeats and the name.
func cleanAliases(name string, aliases []string) []string {
	seen := map[string]bool{briefings.Fold(name): true}
	var out []string
	for _, al := range aliases {
		al = strings.TrimSpace(al)
		if f := briefings.Fold(al); al != "" && !seen[f] {
			seen[f] = true
			out = append(out, al)
		}
	}
	return out
}

// actorIn loads the actor with the id from the guild's library; another
// library's actor is not found.
func actorIn(ctx context.Context, q querier, guildID string, id int64) (*briefings.Actor, error) {
	found, err := loadActors(ctx, q, []int64{id})
	if err != nil {
		return nil, err
	}
	a := found[id]
	if a == nil || a.GuildID != guildID {
		return nil, briefings.Errorf(briefings.ENOTFOUND, "There is no such actor in this library.")
	}
	return a, nil
}

// eventIn loads the event with the id from the guild's library, with its
// participants' names; another library's event is not found.
func eventIn(ctx context.Context, q querier, guildID string, id int64) (*briefings.Event, error) {
	found, err := loadEvents(ctx, q, []int64{id})
	if err != nil {
		return nil, err
	}
	e := found[id]
	if e == nil || e.GuildID != guildID {
		return nil, briefings.Errorf(briefings.ENOTFOUND, "There is no such event in this library.")
	}
	return &e.Event, nil
}

// actorNames are the folded names and aliases of an actor.
func actorNames(a *briefings.Actor) map[string]bool {
	out := map[string]bool{briefings.Fold(a.Name): true}
	for _, al := range a.Aliases {
		out[briefings.Fold(al)] = true
	}
	return out
}

// actorNameFree returns a *briefings.NameTakenError when name is a name or
// alias of an actor other than self in the guild's library or the global
// one, or looks like one.
func actorNameFree(ctx context.Context, q querier, guildID, name string, self int64) error {
	var id int64
	var existing, of, g string
	err := q.QueryRowContext(ctx, `SELECT a.id, n.name, a.name, n.guild_id FROM actor_names n JOIN actors a ON a.id = n.actor_id
		WHERE n.folded = ? AND n.guild_id IN (?, '') ORDER BY n.guild_id = ? DESC LIMIT 1`,
		briefings.Fold(name), guildID, guildID).Scan(&id, &existing, &of, &g)
	switch {
	case err == nil && id != self:
		return &briefings.NameTakenError{Kind: "actor", Name: name, Existing: existing, Of: of, Global: g == "" && guildID != ""}
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("find actor %q: %w", name, err)
	}
	return lookalikeFree(ctx, q, "actor", guildID, name, self, `SELECT n.name, a.name, n.guild_id, a.id
		FROM actor_names n JOIN actors a ON a.id = n.actor_id
		WHERE n.guild_id IN (?1, '') AND (n.folded = ?2 OR n.name GLOB '*[^ -~]*')`)
}

// eventNameFree returns a *briefings.NameTakenError when name is the name
// of an event other than self in the guild's library or the global one, or
// looks like one.
func eventNameFree(ctx context.Context, q querier, guildID, name string, self int64) error {
	var id int64
	var existing, g string
	err := q.QueryRowContext(ctx, `SELECT id, name, guild_id FROM events WHERE name_folded = ? AND guild_id IN (?, '')
		ORDER BY guild_id = ? DESC LIMIT 1`, briefings.Fold(name), guildID, guildID).Scan(&id, &existing, &g)
	switch {
	case err == nil && id != self:
		return &briefings.NameTakenError{Kind: "event", Name: name, Existing: existing, Of: existing, Global: g == "" && guildID != ""}
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("find event %q: %w", name, err)
	}
	return lookalikeFree(ctx, q, "event", guildID, name, self, `SELECT name, name, guild_id, id FROM events
		WHERE guild_id IN (?1, '') AND (name_folded = ?2 OR name GLOB '*[^ -~]*')`)
}

// lookalikeFree runs query, which lists (name, what it names, library, id)
// for the names whose fold is ?2 or that are not plain ASCII in the
// library ?1 and the global one, and refuses name when one of them other
// than self's is confusable with it. Two names look alike only when one
// has characters that briefings.Skeleton replaces, which are never ASCII.
func lookalikeFree(ctx context.Context, q querier, kind, guildID, name string, self int64, query string) error {
	var taken error
	err := eachRow(ctx, q, query, []any{guildID, briefings.Skeleton(name)}, func(rows *sql.Rows) error {
		var existing, of, g string
		var id int64
		if err := rows.Scan(&existing, &of, &g, &id); err != nil {
			return err
		}
		if taken == nil && id != self && briefings.Confusable(existing, name) {
			taken = &briefings.NameTakenError{Kind: kind, Name: name, Existing: existing, Of: of, Global: g == "" && guildID != "", LooksAlike: true}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("look-alike names of %q: %w", name, err)
	}
	return taken
}

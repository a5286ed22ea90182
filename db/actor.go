package db

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strings"

	"briefbot/briefings"
)

// defaultFindLimit caps FindActors and FindEvents when no limit is given.
const defaultFindLimit = 25

// recentMentions is how many of the newest actors declared by briefings
// (about 600 briefings' worth) rank actors when no text is given: in a
// library with at most this many, every declaration counts.
const recentMentions = 2000

// loadActors reads the actors with the ids, with their aliases in order,
// in one statement (an actor's page and every autocomplete call it).
func loadActors(ctx context.Context, q querier, ids []int64) (map[int64]*briefings.Actor, error) {
	out := map[int64]*briefings.Actor{}
	if len(ids) == 0 {
		return out, nil
	}
	if err := eachRow(ctx, q, `SELECT a.id, a.guild_id, a.name, a.kind, a.description,
			(SELECT json_group_array(n.name ORDER BY n.position) FROM actor_names n
				WHERE n.actor_id = a.id AND n.position > 0)
		FROM actors a WHERE a.id IN (SELECT value FROM json_each(?))`, []any{idList(ids)}, func(rows *sql.Rows) error {
		a := &briefings.Actor{}
		var kind string
		var aliases []byte
		if err := rows.Scan(&a.ID, &a.GuildID, &a.Name, &kind, &a.Description, &aliases); err != nil {
			return err
		}
		a.Kind = briefings.ActorKind(kind)
		if err := jsonList(aliases, &a.Aliases); err != nil {
			return fmt.Errorf("aliases of actor %d: %w", a.ID, err)
		}
		out[a.ID] = a
		return nil
	}); err != nil {
		return nil, fmt.Errorf("load actors: %w", err)
	}
	return out, nil
}

// Actor returns the actor whose name or alias equals name, ignoring case and
// accents, among those a published briefing visible to the guild mentions;
// the guild's own actor wins over a global one. Returns ENOTFOUND.
func (db *DB) Actor(ctx context.Context, guildID, name string) (*briefings.Actor, error) {
	return db.actor(ctx, guildID, name, members)
}

// ActorToCurate is Actor for moderators: any actor of the guild's library
// or the global one, whatever mentions it (drafts too). Returns ENOTFOUND.
func (db *DB) ActorToCurate(ctx context.Context, guildID, name string) (*briefings.Actor, error) {
	return db.actor(ctx, guildID, name, curators)
}

func (db *DB) actor(ctx context.Context, guildID, name string, s scope) (*briefings.Actor, error) {
	var out *briefings.Actor
	err := db.lookup(ctx, func(tx querier) error {
		ids, err := queryIDs(ctx, tx, `SELECT n.actor_id FROM actor_names n WHERE n.folded = ?1 AND n.guild_id IN (?2, '')`+
			s.visibleTo(actorVisible("n.actor_id", "?2"))+` ORDER BY n.guild_id = ?2 DESC LIMIT 1`, briefings.Fold(name), guildID)
		if err != nil {
			return fmt.Errorf("actor %q: %w", name, err)
		}
		if len(ids) == 0 {
			return briefings.Errorf(briefings.ENOTFOUND, "No actor named %q.", briefings.Truncate(name, 100))
		}
		actors, err := loadActors(ctx, tx, ids)
		if err != nil {
			return fmt.Errorf("actor %q: %w", name, err)
		}
		// Outside a transaction the actor could go between the lookup
		// and the load.
		if out = actors[ids[0]]; out == nil {
			return briefings.Errorf(briefings.ENOTFOUND, "No actor named %q.", briefings.Truncate(name, 100))
		}
		return nil
	})
	return out, err
}

// matchRank is the SQL ranking of a folded name (column) against the folded
// text (?1): prefix matches first, then matches at a word start, then inner
// matches, each shorter name first.
func matchRank(column string) string { return rankBy(column, " ", "?1") }

// rankBy is matchRank with words separated by sep and the text in param.
func rankBy(column, sep, param string) string {
	return `(CASE WHEN substr(` + column + `, 1, length(` + param + `)) = ` + param + ` THEN 0
		WHEN instr(` + column + `, '` + sep + `' || ` + param + `) > 0 THEN 1 ELSE 2 END) * 1000 + length(` + column + `)`
}

// FindActors returns the actors whose name or alias contains text, ignoring
// case and accents, best first: prefix matches, then word matches, then
// inner ones, shorter names first. Empty text lists the actors most
// declared by the newest recentMentions declarations in published
// briefings, then the others by name. The guild's own actor hides a global
// one of the same name. Only actors a published briefing visible to the
// guild mentions are found.
func (db *DB) FindActors(ctx context.Context, guildID, text string, limit int) ([]briefings.Actor, error) {
	return db.findActors(ctx, guildID, text, limit, members)
}

func (db *DB) findActors(ctx context.Context, guildID, text string, limit int, s scope) ([]briefings.Actor, error) {
	if limit <= 0 {
		limit = defaultFindLimit
	}
	folded := briefings.Fold(text)
	var query string
	var args []any
	if folded == "" {
		// Counting every actor's mentions in the whole library costs tens
		// of milliseconds at 100k briefings, on every keystroke; the newest
		// actors briefings declare (rows are added as briefings are saved,
		// and carry their briefing's status and library) rank what is
		// current, and the other actors follow by name. Only declared rows
		// count: a participant added to a popular event gains a row in
		// every briefing that mentions the event at once.
		query = `SELECT m.actor_id FROM (SELECT actor_id FROM briefing_actors
				WHERE declared = 1 AND status = 'published' AND guild_id IN (?2, '') ORDER BY rowid DESC LIMIT ?4) m
			CROSS JOIN actors a ON a.id = m.actor_id WHERE a.guild_id IN (?2, '') AND ?1 = ''
			GROUP BY m.actor_id, a.name_folded, a.guild_id ORDER BY count(*) DESC, a.name_folded, a.guild_id = ?2 DESC LIMIT ?3`
		args = []any{folded, guildID, 2*limit + 5, recentMentions}
	} else {
		query = `SELECT n.actor_id FROM actor_names n WHERE n.guild_id IN (?2, '') AND ` + db.contains("n.folded", "?1") +
			s.visibleTo(actorVisible("n.actor_id", "?2")) + `
			GROUP BY n.actor_id ORDER BY min(` + matchRank("n.folded") + `), max(n.guild_id = ?2) DESC, n.actor_id
			LIMIT ?3`
		args = []any{folded, guildID, 2*limit + 5}
	}
	var out []briefings.Actor
	err := db.lookup(ctx, func(tx querier) error {
		ids, err := queryIDs(ctx, tx, query, args...)
		if err != nil {
			return fmt.Errorf("find actors %q: %w", text, err)
		}
		if folded == "" && len(ids) < 2*limit+5 {
			more, err := queryIDs(ctx, tx, `SELECT a.id FROM actors a WHERE a.guild_id IN (?1, '')
				AND a.id NOT IN (SELECT value FROM json_each(?2))`+s.visibleTo(actorVisible("a.id", "?1"))+`
				ORDER BY a.name_folded, a.guild_id = ?1 DESC LIMIT ?3`, guildID, idList(ids), 2*limit+5-len(ids))
			if err != nil {
				return fmt.Errorf("find actors: %w", err)
			}
			ids = append(ids, more...)
		}
		actors, err := loadActors(ctx, tx, ids)
		if err != nil {
			return fmt.Errorf("find actors %q: %w", text, err)
		}
		seen := map[string]bool{}
		for _, id := range ids {
			a := actors[id]
			if a == nil || seen[briefings.Fold(a.Name)] {
				continue
			}
			seen[briefings.Fold(a.Name)] = true
			out = append(out, *a)
			if len(out) == limit {
				break
			}
		}
		return nil
	})
	return out, err
}

// queryIDs returns the first column of every row as ids.
func queryIDs(ctx context.Context, q querier, query string, args ...any) ([]int64, error) {
	var ids []int64
	err := eachRow(ctx, q, query, args, func(rows *sql.Rows) error {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		ids = append(ids, id)
		return nil
	})
	return ids, err
}

// queryStrings returns the first column of every row as strings.
func queryStrings(ctx context.Context, q querier, query string, args ...any) ([]string, error) {
	var out []string
	err := eachRow(ctx, q, query, args, func(rows *sql.Rows) error {
		var s string
		if err := rows.Scan(&s); err != nil {
			return err
		}
		out = append(out, s)
		return nil
	})
	return out, err
}

// BriefingsMentioning returns the published briefings visible to the guild
// that mention the actor (in its actors, facts or events' participants) or
// the event (one of the ids is 0), newest first, at most limit of them (0
// means all), and how many there are in all. Mentions carry their
// briefing's status and date (migrations 7 and 8), so the newest are read
// off the front of the subject's index range and only those briefings are
// looked up.
func (db *DB) BriefingsMentioning(ctx context.Context, guildID string, actorID, eventID int64, limit int) ([]briefings.BriefingRef, int, error) {
	var from string
	var arg int64
	switch {
	case actorID != 0:
		from = ` FROM briefing_actors m WHERE m.actor_id = ?2`
		arg = actorID
	case eventID != 0:
		from = ` FROM briefing_events m WHERE m.event_id = ?2`
		arg = eventID
	default:
		return nil, 0, briefings.Errorf(briefings.EINVALID, "Choose an actor or an event.")
	}
	if limit < 0 {
		return nil, 0, briefings.Errorf(briefings.EINVALID, "The limit of briefings can't be negative.")
	}
	if limit == 0 {
		limit = math.MaxInt32
	}
	from += ` AND m.status = 'published' AND m.guild_id IN (?1, '')`
	var out []briefings.BriefingRef
	var total int
	err := db.lookup(ctx, func(tx querier) error {
		query := `SELECT ` + refColumns + ` FROM (SELECT m.briefing_id, m.published` + from + `
				ORDER BY m.published DESC, m.briefing_id DESC LIMIT ?3) m
			CROSS JOIN briefings b INDEXED BY briefing_refs ON b.id = m.briefing_id
			ORDER BY m.published DESC, m.briefing_id DESC`
		err := eachRow(ctx, tx, query, []any{guildID, arg, limit}, func(rows *sql.Rows) error {
			r, err := scanRef(rows)
			out = append(out, r)
			return err
		})
		if err != nil {
			return err
		}
		if total = len(out); total < limit {
			return nil
		}
		return tx.QueryRowContext(ctx, `SELECT count(*)`+from, guildID, arg).Scan(&total)
	})
	if err != nil {
		return nil, 0, fmt.Errorf("briefings mentioning: %w", err)
	}
	return out, total, nil
}

// trimName shortens a name for a list of choices.
func trimName(s string) string {
	return briefings.Truncate(strings.TrimSpace(s), briefings.MaxName)
}

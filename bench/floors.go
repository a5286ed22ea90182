package main

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"briefbot/briefings"
	"briefbot/db"
)

// The floors are the least SQL that fetches what each answer shows, run on
// one connection without the store, the router or rendering: the time
// SQLite itself needs. A handler's ratio to its floor is the cost of
// everything around the queries.

// drain runs a query and reads every row, returning the first column of
// each as int64 when it is one.
func drain(ctx context.Context, conn *sql.Conn, query string, args ...any) ([]int64, error) {
	rows, err := conn.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var ids []int64
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		if id, ok := vals[0].(int64); ok {
			ids = append(ids, id)
		}
	}
	return ids, rows.Err()
}

func one(ctx context.Context, conn *sql.Conn, query string, args ...any) (int64, error) {
	ids, err := drain(ctx, conn, query, args...)
	if err != nil {
		return 0, err
	}
	if len(ids) == 0 {
		return 0, fmt.Errorf("no row for %q", args)
	}
	return ids[0], nil
}

func idJSON(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = fmt.Sprint(id)
	}
	return "[" + strings.Join(s, ",") + "]"
}

// mentionsFloor counts the published briefings that mention a subject and
// reads the newest ten, from the index of mentions by subject, status and
// date (table is briefing_actors or briefing_events, column its subject).
func mentionsFloor(ctx context.Context, conn *sql.Conn, table, column string, id int64) error {
	if _, err := drain(ctx, conn, `SELECT count(*) FROM `+table+` WHERE `+column+` = ? AND status = 'published'`, id); err != nil {
		return err
	}
	_, err := drain(ctx, conn, `SELECT b.id, b.slug, b.title, b.published, b.source_name FROM (
			SELECT briefing_id, published FROM `+table+` WHERE `+column+` = ? AND status = 'published'
			ORDER BY published DESC, briefing_id DESC LIMIT 10) m
		CROSS JOIN briefings b INDEXED BY briefing_refs ON b.id = m.briefing_id
		ORDER BY m.published DESC, m.briefing_id DESC`, id)
	return err
}

// factsFloor reads the newest facts on a subject by walking the briefings
// that mention it newest first; filter keeps the subject's facts.
func factsFloor(ctx context.Context, conn *sql.Conn, table, column, filter string, id int64) error {
	_, err := drain(ctx, conn, `SELECT f.id, f.text, f.attribution, b.id, b.slug, b.title, b.published
		FROM `+table+` m CROSS JOIN facts f ON f.briefing_id = m.briefing_id
		CROSS JOIN briefings b INDEXED BY briefing_refs ON b.id = m.briefing_id
		WHERE m.`+column+` = ?1 AND m.status = 'published' AND `+filter+`
		ORDER BY m.published DESC, m.briefing_id DESC, f.position LIMIT 13`, id)
	return err
}

func actorFloor(name string) func(ctx context.Context, conn *sql.Conn) error {
	return func(ctx context.Context, conn *sql.Conn) error {
		id, err := one(ctx, conn, `SELECT actor_id FROM actor_names WHERE folded = ?`, briefings.Fold(name))
		if err != nil {
			return err
		}
		if _, err := drain(ctx, conn, `SELECT a.id, a.name, a.kind, a.description, n.name FROM actors a
			LEFT JOIN actor_names n ON n.actor_id = a.id AND n.position > 0 WHERE a.id = ?`, id); err != nil {
			return err
		}
		if err := factsFloor(ctx, conn, "briefing_actors", "actor_id",
			`EXISTS (SELECT 1 FROM fact_actors fa WHERE fa.fact_id = f.id AND fa.actor_id = ?1)`, id); err != nil {
			return err
		}
		if _, err := drain(ctx, conn, `SELECT e.id, e.name, e.date, (SELECT count(*) FROM briefing_events be
				WHERE be.event_id = e.id AND be.status = 'published')
			FROM event_participants ep JOIN events e ON e.id = ep.event_id
			WHERE ep.actor_id = ? ORDER BY e.date LIMIT 16`, id); err != nil {
			return err
		}
		return mentionsFloor(ctx, conn, "briefing_actors", "actor_id", id)
	}
}

func eventFloor(name string) func(ctx context.Context, conn *sql.Conn) error {
	return func(ctx context.Context, conn *sql.Conn) error {
		id, err := one(ctx, conn, `SELECT id FROM events WHERE name_folded = ?`, briefings.Fold(name))
		if err != nil {
			return err
		}
		if _, err := drain(ctx, conn, `SELECT e.id, e.name, e.date, e.location, e.description, a.name FROM events e
			LEFT JOIN event_participants ep ON ep.event_id = e.id LEFT JOIN actors a ON a.id = ep.actor_id WHERE e.id = ?`, id); err != nil {
			return err
		}
		if err := factsFloor(ctx, conn, "briefing_events", "event_id", `f.event_id = ?1`, id); err != nil {
			return err
		}
		return mentionsFloor(ctx, conn, "briefing_events", "event_id", id)
	}
}

func timelineFloor(topic, actor string) func(ctx context.Context, conn *sql.Conn) error {
	return func(ctx context.Context, conn *sql.Conn) error {
		cond, args := ``, []any{}
		if topic != "" {
			cond += ` AND be.briefing_id IN (SELECT briefing_id FROM briefing_topics WHERE topic_slug = ?)`
			args = append(args, topic)
		}
		filter := ``
		if actor != "" {
			id, err := one(ctx, conn, `SELECT actor_id FROM actor_names WHERE folded = ?`, briefings.Fold(actor))
			if err != nil {
				return err
			}
			filter = ` AND e.id IN (SELECT event_id FROM event_participants WHERE actor_id = ?)`
			args = append(args, id)
		}
		ids, err := drain(ctx, conn, `SELECT e.id, e.name, e.date, e.location FROM events e WHERE EXISTS (
				SELECT 1 FROM briefing_events be WHERE be.event_id = e.id AND be.status = 'published'`+cond+`)`+filter+`
			ORDER BY e.date LIMIT 41`, args...)
		if err != nil {
			return err
		}
		_, err = drain(ctx, conn, `SELECT be.event_id, b.id, b.slug, b.title, b.published
			FROM json_each(?) ids CROSS JOIN briefing_events be ON be.rowid IN (
				SELECT m.rowid FROM briefing_events m WHERE m.event_id = ids.value AND m.status = 'published'
				ORDER BY m.published DESC, m.briefing_id DESC LIMIT 3)
			CROSS JOIN briefings b INDEXED BY briefing_refs ON b.id = be.briefing_id`, idJSON(ids))
		return err
	}
}

// searchFloor is plain bm25 over briefings and facts, top ten of each with
// snippets: what a search costs with no design beyond FTS5's own.
func searchFloor(text string) func(ctx context.Context, conn *sql.Conn) error {
	match := db.MatchQuery(text, false)
	return func(ctx context.Context, conn *sql.Conn) error {
		if _, err := drain(ctx, conn, `SELECT b.id, b.slug, b.title, b.published, snippet(briefings_fts, -1, '[', ']', '…', 16)
			FROM briefings_fts JOIN briefings b ON b.id = briefings_fts.rowid
			WHERE briefings_fts MATCH ? AND b.status = 'published'
			ORDER BY bm25(briefings_fts, 10.0, 4.0, 1.0) LIMIT 10`, match); err != nil {
			return err
		}
		_, err := drain(ctx, conn, `SELECT f.id, f.attribution, b.slug, b.title, snippet(facts_fts, 0, '[', ']', '…', 16)
			FROM facts_fts JOIN facts f ON f.id = facts_fts.rowid JOIN briefings b ON b.id = f.briefing_id
			WHERE facts_fts MATCH ? AND b.status = 'published'
			ORDER BY bm25(facts_fts, 2.0, 1.0) LIMIT 10`, match)
		return err
	}
}

// bareFloor is the barest bm25 top ten: the ten best briefing rows and the
// ten best fact rows of the FTS5 indexes for the match expression, their
// ids only, with no join, status check or snippet. It is the anchor issue 19
// names ("a plain FTS5 bm25 top-10"); no answer can be built from it alone.
func bareFloor(match string) func(ctx context.Context, conn *sql.Conn) error {
	return func(ctx context.Context, conn *sql.Conn) error {
		if _, err := drain(ctx, conn, `SELECT rowid FROM briefings_fts WHERE briefings_fts MATCH ?
			ORDER BY bm25(briefings_fts, 10.0, 4.0, 1.0) LIMIT 10`, match); err != nil {
			return err
		}
		_, err := drain(ctx, conn, `SELECT rowid FROM facts_fts WHERE facts_fts MATCH ?
			ORDER BY bm25(facts_fts, 2.0, 1.0) LIMIT 10`, match)
		return err
	}
}

// askFloor is plain bm25 over facts and briefings for any of the words, the
// thirty best of each.
func askFloor(text string) func(ctx context.Context, conn *sql.Conn) error {
	match := db.MatchQuery(text, true)
	return func(ctx context.Context, conn *sql.Conn) error {
		if _, err := drain(ctx, conn, `SELECT f.id, f.text, f.attribution, b.slug, b.title FROM facts_fts
			JOIN facts f ON f.id = facts_fts.rowid JOIN briefings b ON b.id = f.briefing_id
			WHERE facts_fts MATCH ? AND b.status = 'published' ORDER BY bm25(facts_fts, 2.0, 1.0) LIMIT 30`, match); err != nil {
			return err
		}
		_, err := drain(ctx, conn, `SELECT b.id, b.slug, b.title, snippet(briefings_fts, -1, '[', ']', '…', 16)
			FROM briefings_fts JOIN briefings b ON b.id = briefings_fts.rowid
			WHERE briefings_fts MATCH ? AND b.status = 'published'
			ORDER BY bm25(briefings_fts, 10.0, 4.0, 1.0) LIMIT 30`, match)
		return err
	}
}

// completeFloor reads 25 actor names starting with the text through the
// folded-name index, or containing it when too few start with it.
func completeFloor(text string) func(ctx context.Context, conn *sql.Conn) error {
	folded := briefings.Fold(text)
	return func(ctx context.Context, conn *sql.Conn) error {
		ids, err := drain(ctx, conn, `SELECT actor_id, name FROM actor_names WHERE folded >= ?1 AND folded < ?1 || x'ff' LIMIT 25`, folded)
		if err != nil || len(ids) == 25 {
			return err
		}
		_, err = drain(ctx, conn, `SELECT actor_id, name FROM actor_names WHERE instr(folded, ?) > 0 LIMIT 25`, folded)
		return err
	}
}

func completeEventFloor(text string) func(ctx context.Context, conn *sql.Conn) error {
	folded := briefings.Fold(text)
	return func(ctx context.Context, conn *sql.Conn) error {
		_, err := drain(ctx, conn, `SELECT id, name FROM events WHERE name_folded >= ?1 AND name_folded < ?1 || x'ff' LIMIT 25`, folded)
		return err
	}
}

func completeTopicFloor(text string) func(ctx context.Context, conn *sql.Conn) error {
	folded := briefings.Fold(text)
	return func(ctx context.Context, conn *sql.Conn) error {
		_, err := drain(ctx, conn, `SELECT slug, name FROM topics WHERE instr(name_folded, ?) > 0 LIMIT 25`, folded)
		return err
	}
}

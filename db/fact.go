package db

import (
	"context"
	"database/sql"
	"fmt"

	"briefbot/briefings"
)

// Facts returns the facts of published briefings visible to the guild that
// match q, newest briefing first and in fact order within a briefing.
func (db *DB) Facts(ctx context.Context, q briefings.FactQuery) ([]briefings.FactRef, error) {
	var out []briefings.FactRef
	err := db.read(ctx, func(tx *sql.Tx) error {
		query, err := factsQuery(ctx, tx, q)
		if err != nil {
			return err
		}
		args := []any{q.GuildID, q.ActorID, q.EventID, briefings.Slugify(q.Topic), q.Limit}
		if err := eachRow(ctx, tx, query, args, func(rows *sql.Rows) error {
			var f briefings.FactRef
			var asOf string
			var asOfP int
			r, err := scanRef(rows, &f.ID, &f.Text, &f.Attribution, &asOf, &asOfP, &f.Event)
			if err != nil {
				return err
			}
			f.Briefing = r
			f.AsOf, err = parseDate(asOf, asOfP)
			out = append(out, f)
			return err
		}); err != nil {
			return err
		}
		return fillFactActors(ctx, tx, out)
	})
	if err != nil {
		return nil, fmt.Errorf("facts: %w", err)
	}
	return out, nil
}

// indexedFacts is how many facts of an actor or event are still quicker to
// read through their index and sort than to find by walking the newest
// briefings until the limit is reached.
const indexedFacts = 2000

// factsQuery builds the query for q. A filter on an actor or an event either
// picks few facts, read through the filter's index and sorted, or many, found
// by walking briefings newest first and stopping at the limit; which one
// comes from counting the filter's facts in its index. SQLite cannot tell
// the two apart without statistics, and a wrong guess costs a scan of the
// whole library.
func factsQuery(ctx context.Context, tx *sql.Tx, q briefings.FactQuery) (string, error) {
	from := `facts f CROSS JOIN briefings b INDEXED BY briefing_refs ON b.id = f.briefing_id`
	var count string
	switch {
	case q.ActorID != 0:
		from = `fact_actors fa CROSS JOIN facts f ON f.id = fa.fact_id AND fa.actor_id = ?2 CROSS JOIN briefings b INDEXED BY briefing_refs ON b.id = f.briefing_id`
		count = `SELECT count(*) FROM fact_actors WHERE actor_id = ?`
	case q.EventID != 0:
		count = `SELECT count(*) FROM facts WHERE event_id = ?`
	}
	if count != "" && q.Limit > 0 {
		var n int
		if err := tx.QueryRowContext(ctx, count, max(q.ActorID, q.EventID)).Scan(&n); err != nil {
			return "", fmt.Errorf("count facts: %w", err)
		}
		if n > indexedFacts {
			from = `briefings b JOIN facts f ON f.briefing_id = b.id`
		}
	}
	query := `SELECT ` + refColumns + `, f.id, f.text, f.attribution, f.as_of, f.as_of_precision, coalesce(e.name, '')
		FROM ` + from + ` LEFT JOIN events e ON e.id = f.event_id
		WHERE b.status = 'published' AND b.guild_id IN (?1, '')`
	if q.ActorID != 0 {
		query += ` AND f.id IN (SELECT fact_id FROM fact_actors WHERE actor_id = ?2)`
	}
	if q.EventID != 0 {
		query += ` AND f.event_id = ?3`
	}
	if q.Topic != "" {
		query += ` AND b.id IN (SELECT briefing_id FROM briefing_topics WHERE topic_slug = ?4)`
	}
	query += ` ORDER BY b.published DESC, b.id DESC, f.position`
	if q.Limit > 0 {
		query += ` LIMIT ?5`
	}
	return query, nil
}

// fillFactActors loads the actor names of the facts in one query.
func fillFactActors(ctx context.Context, q queryer, facts []briefings.FactRef) error {
	if len(facts) == 0 {
		return nil
	}
	index := map[int64]int{}
	ids := make([]int64, len(facts))
	for i, f := range facts {
		index[f.ID] = i
		ids[i] = f.ID
	}
	return eachRow(ctx, q, `SELECT fa.fact_id, a.name FROM fact_actors fa JOIN actors a ON a.id = fa.actor_id
		WHERE fa.fact_id IN (SELECT value FROM json_each(?)) ORDER BY fa.fact_id, fa.position`,
		[]any{idList(ids)}, func(rows *sql.Rows) error {
			var fid int64
			var name string
			if err := rows.Scan(&fid, &name); err != nil {
				return err
			}
			i := index[fid]
			facts[i].Actors = append(facts[i].Actors, name)
			return nil
		})
}

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
	query := `SELECT ` + refColumns + `, f.id, f.text, f.attribution, f.as_of, f.as_of_precision, coalesce(e.name, '')
		FROM facts f JOIN briefings b ON b.id = f.briefing_id LEFT JOIN events e ON e.id = f.event_id
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
	args := []any{q.GuildID, q.ActorID, q.EventID, briefings.Slugify(q.Topic), q.Limit}

	var out []briefings.FactRef
	err := db.read(ctx, func(tx *sql.Tx) error {
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

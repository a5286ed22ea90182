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
	err := db.lookup(ctx, func(tx querier) error {
		query, err := factsQuery(ctx, tx, q)
		if err != nil {
			return err
		}
		args := []any{q.GuildID, q.ActorID, q.EventID, briefings.Slugify(q.Topic), q.Limit}
		return eachRow(ctx, tx, query, args, func(rows *sql.Rows) error {
			var f briefings.FactRef
			var asOf string
			var asOfP int
			var actors []byte
			r, err := scanRef(rows, &f.ID, &f.Text, &f.Attribution, &asOf, &asOfP, &f.Event, &actors)
			if err != nil {
				return err
			}
			f.Briefing = r
			if f.AsOf, err = parseDate(asOf, asOfP); err != nil {
				return err
			}
			if err := jsonList(actors, &f.Actors); err != nil {
				return fmt.Errorf("actors of fact %d: %w", f.ID, err)
			}
			out = append(out, f)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("facts: %w", err)
	}
	return out, nil
}

// indexedFacts is the most facts of an actor or event the store considers
// reading through their index and sorting; with more, it walks the
// subject's mentions newest first until the limit is reached.
const indexedFacts = 2000

// factsQuery builds the query for q. A filter on an actor or an event
// either reads the subject's facts through the filter's index and sorts
// them, or walks the briefings that mention the subject newest first (every
// fact's actors and event are among its briefing's mentions, and mentions
// are indexed by date) until the limit is reached. Sorting costs a few row
// reads per fact; walking reads a briefing's facts for every mention passed
// over, about limit × mentions / facts of them. SQLite has no statistics to
// weigh the two, so the store counts both in their indexes (each count
// capped where the answer is already clear) and picks.
func factsQuery(ctx context.Context, tx querier, q briefings.FactQuery) (string, error) {
	from := `facts f CROSS JOIN briefings b INDEXED BY briefing_refs ON b.id = f.briefing_id`
	where := `b.status = 'published' AND b.guild_id IN (?1, '')`
	order := `b.published DESC, b.id DESC, f.position`
	var countFacts, countMentions, walk, mentions string
	switch {
	case q.EventID != 0:
		countFacts = `SELECT count(*) FROM (SELECT 1 FROM facts WHERE event_id = ?1 LIMIT ?2) capped`
		countMentions = `SELECT count(*) FROM (SELECT 1 FROM briefing_events WHERE event_id = ?1 AND status = 'published' LIMIT ?2) capped`
		walk, mentions = `briefing_events m`, `m.event_id = ?3`
	case q.ActorID != 0:
		from = `fact_actors fa CROSS JOIN facts f ON f.id = fa.fact_id AND fa.actor_id = ?2 CROSS JOIN briefings b INDEXED BY briefing_refs ON b.id = f.briefing_id`
		countFacts = `SELECT count(*) FROM (SELECT 1 FROM fact_actors WHERE actor_id = ?1 LIMIT ?2) capped`
		countMentions = `SELECT count(*) FROM (SELECT 1 FROM briefing_actors WHERE actor_id = ?1 AND status = 'published' LIMIT ?2) capped`
		walk, mentions = `briefing_actors m`, `m.actor_id = ?2`
	}
	if countFacts != "" && q.Limit > 0 {
		id := max(q.ActorID, q.EventID)
		var n int
		if err := tx.QueryRowContext(ctx, countFacts, id, indexedFacts+1).Scan(&n); err != nil {
			return "", fmt.Errorf("count facts: %w", err)
		}
		walking := n > indexedFacts
		if !walking && n > 0 {
			// Walk when limit × mentions / n mention reads (each with its
			// briefing's few facts) cost less than sorting n facts.
			most := n*n/(2*q.Limit) + 1
			var m int
			if err := tx.QueryRowContext(ctx, countMentions, id, most).Scan(&m); err != nil {
				return "", fmt.Errorf("count mentions: %w", err)
			}
			walking = m < most
		}
		if walking {
			from = walk + ` CROSS JOIN facts f ON f.briefing_id = m.briefing_id
				CROSS JOIN briefings b INDEXED BY briefing_refs ON b.id = m.briefing_id`
			where = mentions + ` AND m.status = 'published' AND m.guild_id IN (?1, '')`
			order = `m.published DESC, m.briefing_id DESC, f.position`
		}
	}
	query := `SELECT ` + refColumns + `, f.id AS fid, f.text, f.attribution, f.as_of, f.as_of_precision,
			coalesce(e.name, '') AS event, f.position
		FROM ` + from + ` LEFT JOIN events e ON e.id = f.event_id
		WHERE ` + where
	if q.ActorID != 0 {
		query += ` AND EXISTS (SELECT 1 FROM fact_actors x WHERE x.fact_id = f.id AND x.actor_id = ?2)`
	}
	if q.EventID != 0 {
		query += ` AND f.event_id = ?3`
	}
	if q.Topic != "" {
		query += ` AND EXISTS (SELECT 1 FROM briefing_topics bt WHERE bt.briefing_id = f.briefing_id AND bt.topic_slug = ?4)`
	}
	query += ` ORDER BY ` + order
	if q.Limit > 0 {
		query += ` LIMIT ?5`
	}
	// The facts' actors are read for the facts kept, after the limit.
	return `SELECT ` + refColumns + `, b.fid, b.text, b.attribution, b.as_of, b.as_of_precision, b.event,
			(SELECT json_group_array(a.name ORDER BY fa.position) FROM fact_actors fa
				CROSS JOIN actors a ON a.id = fa.actor_id WHERE fa.fact_id = b.fid)
		FROM (` + query + `) b ORDER BY b.published DESC, b.id DESC, b.position`, nil
}

package db

import (
	"context"
	"database/sql"
	"fmt"
	"sort"

	"briefbot/briefings"
)

// defaultSearchLimit is how many hits Search returns when no limit is given;
// maxSearchLimit caps what a caller may ask for.
const (
	defaultSearchLimit = 10
	maxSearchLimit     = 100
)

// snippetTokens is roughly how many words a snippet shows.
const snippetTokens = 16

// Search ranks published briefings and facts visible to the guild (and
// actors and events when q.Kinds asks) against the user's text with bm25,
// title matches weighing most. The text goes through MatchQuery, so no FTS5
// syntax reaches MATCH; text with no words gives no hits. Snippets wrap
// matched words in briefings.HighlightOpen and HighlightClose. A hit's Score
// is its bm25 score relative to the best hit of its kind, in (0, 1].
//
// Large libraries bound the work (see plan): text that matches more than
// rankedCandidates briefings (or facts) is ranked over the newest
// rankedCandidates of them, and text whose words are all in most of the
// newest briefings, where bm25 tells the matches almost nothing apart,
// lists the newest matches first (most recently added), each scored by its
// place among its kind's hits.
func (db *DB) Search(ctx context.Context, q briefings.SearchQuery) ([]briefings.SearchHit, error) {
	if MatchQuery(q.Text, q.MatchAny) == "" {
		return nil, nil
	}
	limit := q.Limit
	if limit <= 0 {
		limit = defaultSearchLimit
	}
	limit = min(limit, maxSearchLimit)
	kinds := q.Kinds
	if len(kinds) == 0 {
		kinds = []briefings.HitKind{briefings.HitBriefing, briefings.HitFact}
	}
	var hits []briefings.SearchHit
	// Each query of a search stands on its own (at worst a hit whose row
	// changes between its ranking and its snippet shows without a
	// snippet), so it runs without the cost of a read transaction.
	err := db.lookup(ctx, func(tx querier) error {
		p, err := db.plan(ctx, tx, q.Text, q.MatchAny)
		if err != nil {
			return err
		}
		seen := map[briefings.HitKind]bool{}
		for _, k := range kinds {
			if seen[k] {
				continue
			}
			seen[k] = true
			var more []briefings.SearchHit
			switch k {
			case briefings.HitBriefing, briefings.HitFact:
				more, err = searchText(ctx, tx, textIndexes[k], p, q.GuildID, limit)
			case briefings.HitActor:
				more, err = searchNames(ctx, tx, k, "actors", actorRank, q.GuildID, p, limit)
			case briefings.HitEvent:
				more, err = searchNames(ctx, tx, k, "events", eventRank, q.GuildID, p, limit)
			default:
				return briefings.Errorf(briefings.EINVALID, "Unknown kind of search hit %q.", string(k))
			}
			if err != nil {
				return fmt.Errorf("search %ss: %w", k, err)
			}
			hits = append(hits, relative(more)...)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].Score > hits[j].Score })
	if len(hits) > limit {
		hits = hits[:limit]
	}
	return hits, nil
}

// relative rescales the bm25 scores of one kind's hits (best first) so the
// best has 1. bm25 depends on each table's own statistics, so raw scores of
// briefings and facts do not compare; relative ones interleave the kinds by
// how close each hit comes to its kind's best, the kinds in the order asked
// for on ties.
func relative(hits []briefings.SearchHit) []briefings.SearchHit {
	if len(hits) == 0 || hits[0].Score <= 0 {
		return hits
	}
	top := hits[0].Score
	for i := range hits {
		hits[i].Score /= top
	}
	return hits
}

// The bm25 weights: a word in a title (or a name) counts most.
const (
	briefingRank = `bm25(briefings_fts, 10.0, 4.0, 1.0)`
	factRank     = `bm25(facts_fts, 2.0, 1.0)`
	actorRank    = `bm25(actors_fts, 10.0, 8.0, 1.0)`
	eventRank    = `bm25(events_fts, 10.0, 3.0, 1.0)`
)

func snippet(table string, column int) string {
	return fmt.Sprintf(`snippet(%s, %d, ?2, ?3, '…', %d)`, table, column, snippetTokens)
}

// searchNames ranks the rows of a named table (actors or events) through
// its <table>_fts index; the hit carries the row's ID and name.
func searchNames(ctx context.Context, tx querier, kind briefings.HitKind, table, rank, guildID string, p *searchPlan, limit int) ([]briefings.SearchHit, error) {
	if p.pg {
		return pgSearchNames(ctx, tx, kind, table, guildID, p, limit)
	}
	match := p.match
	var hits []briefings.SearchHit
	fts := table + "_fts"
	// only what a published briefing the guild sees mentions
	visible := actorVisible("t.id", "?4")
	if kind == briefings.HitEvent {
		visible = eventVisible("t.id", "?4")
	}
	err := eachRow(ctx, tx, `SELECT t.id, t.name, `+snippet(fts, -1)+`, `+rank+`
		FROM `+fts+` JOIN `+table+` t ON t.id = `+fts+`.rowid
		WHERE `+fts+` MATCH ?1 AND t.guild_id IN (?4, '') AND `+visible+`
		ORDER BY `+rank+` LIMIT ?5`,
		[]any{match, briefings.HighlightOpen, briefings.HighlightClose, guildID, limit}, func(rows *sql.Rows) error {
			h := briefings.SearchHit{Kind: kind}
			id := &h.ActorID
			if kind == briefings.HitEvent {
				id = &h.EventID
			}
			var score float64
			err := rows.Scan(id, &h.Title, &h.Snippet, &score)
			h.Score = -score
			hits = append(hits, h)
			return err
		})
	return hits, err
}

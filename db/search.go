package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"

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
// is its bm25 score relative to the best hit of its kind, in (0, 1]. Text
// that matches more than rankedCandidates briefings (or facts) is ranked
// over the newest rankedCandidates of them.
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
	err := db.read(ctx, func(tx *sql.Tx) error {
		match, err := anyMatch(ctx, tx, q.Text, q.MatchAny)
		if err != nil {
			return err
		}
		seen := map[briefings.HitKind]bool{}
		for _, k := range kinds {
			if seen[k] {
				continue
			}
			seen[k] = true
			search, ok := searchers[k]
			if !ok {
				return briefings.Errorf(briefings.EINVALID, "Unknown kind of search hit %q.", string(k))
			}
			more, err := search(ctx, tx, q.GuildID, match, limit)
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

type searcher func(ctx context.Context, tx *sql.Tx, guildID, match string, limit int) ([]briefings.SearchHit, error)

var searchers = map[briefings.HitKind]searcher{
	briefings.HitBriefing: searchBriefings,
	briefings.HitFact:     searchFacts,
	briefings.HitActor:    searchActors,
	briefings.HitEvent:    searchEvents,
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

// rankedCandidates is how many matching rows, newest first, bm25 ranks at
// most. A word in nearly every briefing matches the whole library, and
// ranking 100,000 rows takes longer than people wait; ranking the newest
// few thousand finds the best of what is current. Text matching fewer rows
// than this is ranked over all of them, exactly as before.
const rankedCandidates = 2000

// anyMatch is MatchQuery, except that a question (any) leaves out its words
// that match rankedCandidates briefings or more when it has others: such a
// word adds almost nothing to bm25, yet with it in the query every briefing
// matches, and only the newest would be ranked, missing older ones that hold
// the question's telling words.
func anyMatch(ctx context.Context, tx *sql.Tx, text string, any bool) (string, error) {
	if !any {
		return MatchQuery(text, false), nil
	}
	words := matchWords(text, true)
	var telling []string
	for _, w := range words {
		floor, err := candidateFloor(ctx, tx, "briefings_fts", w)
		if err != nil {
			return "", err
		}
		if floor == 0 {
			telling = append(telling, w)
		}
	}
	if len(telling) > 0 {
		words = telling
	}
	return strings.Join(words, " OR "), nil
}

// candidateFloorSQL is candidateFloor as a subquery of the ranking query,
// which saves a statement per search; its arguments are the match (?1) and
// rankedCandidates-1 (?6).
func candidateFloorSQL(table string) string {
	return `coalesce((SELECT rowid FROM ` + table + ` WHERE ` + table + ` MATCH ?1 ORDER BY rowid DESC LIMIT 1 OFFSET ?6), 0)`
}

// candidateFloor returns the lowest rowid among the newest rankedCandidates
// rows of the FTS5 table matching the text, or 0 when fewer match. Rowids
// are the content rows' ids, which grow as briefings are added, and FTS5
// reads them newest first without ranking anything.
func candidateFloor(ctx context.Context, tx *sql.Tx, table, match string) (int64, error) {
	var floor int64
	err := tx.QueryRowContext(ctx, `SELECT rowid FROM `+table+` WHERE `+table+` MATCH ?
		ORDER BY rowid DESC LIMIT 1 OFFSET ?`, match, rankedCandidates-1).Scan(&floor)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	} else if err != nil {
		return 0, fmt.Errorf("count candidates: %w", err)
	}
	return floor, nil
}

func searchBriefings(ctx context.Context, tx *sql.Tx, guildID, match string, limit int) ([]briefings.SearchHit, error) {
	var hits []briefings.SearchHit
	err := eachRow(ctx, tx, `SELECT `+refColumns+`, `+snippet("briefings_fts", -1)+`, `+briefingRank+`
		FROM briefings_fts JOIN briefings b INDEXED BY briefing_refs ON b.id = briefings_fts.rowid
		WHERE briefings_fts MATCH ?1 AND briefings_fts.rowid >= (`+candidateFloorSQL("briefings_fts")+`) AND b.status = 'published' AND b.guild_id IN (?4, '')
		ORDER BY `+briefingRank+` LIMIT ?5`,
		[]any{match, briefings.HighlightOpen, briefings.HighlightClose, guildID, limit, rankedCandidates - 1}, func(rows *sql.Rows) error {
			h := briefings.SearchHit{Kind: briefings.HitBriefing}
			var rank float64
			r, err := scanRef(rows, &h.Snippet, &rank)
			h.Briefing, h.Title, h.Score = r, r.Title, -rank
			hits = append(hits, h)
			return err
		})
	return hits, err
}

func searchFacts(ctx context.Context, tx *sql.Tx, guildID, match string, limit int) ([]briefings.SearchHit, error) {
	var hits []briefings.SearchHit
	err := eachRow(ctx, tx, `SELECT `+refColumns+`, f.id, f.attribution, `+snippet("facts_fts", 0)+`, `+factRank+`
		FROM facts_fts JOIN facts f ON f.id = facts_fts.rowid JOIN briefings b INDEXED BY briefing_refs ON b.id = f.briefing_id
		WHERE facts_fts MATCH ?1 AND facts_fts.rowid >= (`+candidateFloorSQL("facts_fts")+`) AND b.status = 'published' AND b.guild_id IN (?4, '')
		ORDER BY `+factRank+` LIMIT ?5`,
		[]any{match, briefings.HighlightOpen, briefings.HighlightClose, guildID, limit, rankedCandidates - 1}, func(rows *sql.Rows) error {
			h := briefings.SearchHit{Kind: briefings.HitFact}
			var rank float64
			r, err := scanRef(rows, &h.FactID, &h.Attribution, &h.Snippet, &rank)
			h.Briefing, h.Title, h.Score = r, r.Title, -rank
			hits = append(hits, h)
			return err
		})
	return hits, err
}

func searchActors(ctx context.Context, tx *sql.Tx, guildID, match string, limit int) ([]briefings.SearchHit, error) {
	return searchNames(ctx, tx, briefings.HitActor, "actors", actorRank, guildID, match, limit)
}

func searchEvents(ctx context.Context, tx *sql.Tx, guildID, match string, limit int) ([]briefings.SearchHit, error) {
	return searchNames(ctx, tx, briefings.HitEvent, "events", eventRank, guildID, match, limit)
}

// searchNames ranks the rows of a named table (actors or events) through
// its <table>_fts index; the hit carries the row's ID and name.
func searchNames(ctx context.Context, tx *sql.Tx, kind briefings.HitKind, table, rank, guildID, match string, limit int) ([]briefings.SearchHit, error) {
	var hits []briefings.SearchHit
	fts := table + "_fts"
	err := eachRow(ctx, tx, `SELECT t.id, t.name, `+snippet(fts, -1)+`, `+rank+`
		FROM `+fts+` JOIN `+table+` t ON t.id = `+fts+`.rowid
		WHERE `+fts+` MATCH ?1 AND t.guild_id IN (?4, '')
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

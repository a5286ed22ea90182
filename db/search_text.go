package db

import (
	"context"
	"database/sql"

	"briefbot/briefings"
)

// textIndex is an FTS5 index of text that belongs to a briefing: the
// briefings' own or their facts'.
type textIndex struct {
	kind briefings.HitKind
	// fts is the FTS5 table; content is its content table, whose ids are
	// its rowids.
	fts, content string
	// rank is the bm25 expression; column the column snippets come from
	// (-1: the best one).
	rank   string
	column int
	// fact joins the fact f of a rowid; facts carry their briefing's id.
	fact bool
	// extra are the columns a hit shows besides its briefing and snippet.
	extra string
}

var (
	briefingIndex = textIndex{kind: briefings.HitBriefing, fts: "briefings_fts", content: "briefings",
		rank: briefingRank, column: -1}
	factIndex = textIndex{kind: briefings.HitFact, fts: "facts_fts", content: "facts",
		rank: factRank, column: 0, fact: true, extra: `, f.attribution`}
	textIndexes = map[briefings.HitKind]textIndex{briefings.HitBriefing: briefingIndex, briefings.HitFact: factIndex}
)

// join joins the briefing b (and for facts the fact f) of rowid, visible
// to guild ?4.
func (idx textIndex) join(rowid string) string {
	b := ` JOIN briefings b INDEXED BY briefing_refs ON b.id = `
	if idx.fact {
		b = ` JOIN facts f ON f.id = ` + rowid + b + `f.briefing_id`
	} else {
		b += rowid
	}
	return b + ` AND b.status = 'published' AND b.guild_id IN (?4, '')`
}

// query returns the statement that lists the visible rows of idx matching
// ?1 from rowid ?6 on, with last as the final column, in order, at most ?5
// of them.
func (idx textIndex) query(last, order string) string {
	return `SELECT ` + refColumns + `, ` + idx.fts + `.rowid` + idx.extra + `, ` + last + `
		FROM ` + idx.fts + idx.join(idx.fts+`.rowid`) + `
		WHERE ` + idx.fts + ` MATCH ?1 AND ` + idx.fts + `.rowid >= ?6
		ORDER BY ` + order + ` LIMIT ?5`
}

// rankedQuery is query ordered by bm25 over the newest ?6 matches, which
// joins only the best ?7 of them: reading a match's briefing costs more
// than ranking it, and nearly every match is visible. Its last column
// counts those best matches; when it is ?7 and fewer than ?5 of them were
// visible, the best visible matches may lie further down and only query
// finds them.
func (idx textIndex) rankedQuery() string {
	return `WITH w AS MATERIALIZED (SELECT rowid AS id, ` + idx.rank + ` AS r FROM ` + idx.fts + `
			WHERE ` + idx.fts + ` MATCH ?1 ORDER BY rowid DESC LIMIT ?6),
		c AS MATERIALIZED (SELECT id, r FROM w ORDER BY r LIMIT ?7)
		SELECT ` + refColumns + `, c.id` + idx.extra + `, c.r, (SELECT count(*) FROM c)
		FROM c` + idx.join(`c.id`) + `
		ORDER BY c.r LIMIT ?5`
}

// joinedCandidates is how many of the best matches rankedQuery joins, for
// a limit of n hits: a few more than n, for drafts and other guilds'.
func joinedCandidates(n int) int { return n + n/2 + 5 }

// scan reads a row of query into a hit, with its rowid; last receive the
// final columns.
func (idx textIndex) scan(rows *sql.Rows, last ...any) (briefings.SearchHit, int64, error) {
	h := briefings.SearchHit{Kind: idx.kind}
	var rowid int64
	dest := []any{&rowid}
	if idx.kind == briefings.HitFact {
		dest = append(dest, &h.Attribution)
	}
	r, err := scanRef(rows, append(dest, last...)...)
	h.Briefing, h.Title = r, r.Title
	if idx.kind == briefings.HitFact {
		h.FactID = rowid
	}
	return h, rowid, err
}

// searchText returns the best visible matches of the plan in idx, at most
// limit, best first: by bm25 over the newest rankedCandidates matches, or
// newest first when the plan says so.
func searchText(ctx context.Context, tx querier, idx textIndex, p *searchPlan, guildID string, limit int) ([]briefings.SearchHit, error) {
	if p.pg {
		return pgSearchText(ctx, tx, idx, p, guildID, limit)
	}
	if p.newest {
		return newestText(ctx, tx, idx, p.match, guildID, limit)
	}
	// Snippets are made after ranking, for the hits shown only: SQLite
	// computes the selected columns of every row that enters its top-limit
	// sorter (several times limit rows out of a few thousand), and a
	// snippet reads and tokenizes the row's text.
	var hits []briefings.SearchHit
	var ids []int64
	scan := func(rows *sql.Rows, more ...any) error {
		var rank float64
		h, rowid, err := idx.scan(rows, append([]any{&rank}, more...)...)
		h.Score = -rank
		hits = append(hits, h)
		ids = append(ids, rowid)
		return err
	}
	var ranked int
	err := eachRow(ctx, tx, idx.rankedQuery(), []any{p.match, nil, nil, guildID, limit, p.ranked, joinedCandidates(limit)},
		func(rows *sql.Rows) error { return scan(rows, &ranked) })
	if err == nil && len(hits) < limit && (len(hits) == 0 || ranked == joinedCandidates(limit)) {
		hits, ids = nil, nil
		var floor int64
		if floor, err = p.floor(ctx, tx, idx); err != nil {
			return nil, err
		}
		err = eachRow(ctx, tx, idx.query(idx.rank, idx.rank), []any{p.match, nil, nil, guildID, limit, floor},
			func(rows *sql.Rows) error { return scan(rows) })
	}
	if err != nil || len(hits) == 0 || p.noSnippets {
		return hits, err
	}
	at := make(map[int64]int, len(ids))
	lo, hi := ids[0], ids[0]
	for i, id := range ids {
		at[id] = i
		lo, hi = min(lo, id), max(hi, id)
	}
	// One pass over the matches between the hits, rather than a lookup
	// per hit: FTS5 starts a query over again for each.
	err = eachRow(ctx, tx, `SELECT rowid, `+snippet(idx.fts, idx.column)+` FROM `+idx.fts+`
		WHERE `+idx.fts+` MATCH ?1 AND rowid BETWEEN ?5 AND ?6 AND +rowid IN (SELECT value FROM json_each(?4))`,
		[]any{p.match, briefings.HighlightOpen, briefings.HighlightClose, idList(ids), lo, hi}, func(rows *sql.Rows) error {
			var id int64
			var s string
			if err := rows.Scan(&id, &s); err != nil {
				return err
			}
			if i, ok := at[id]; ok {
				hits[i].Snippet = s
			}
			return nil
		})
	return hits, err
}

// newestText returns the newest visible matches of match in idx with their
// snippets, scored by their place (the newest 1) so that Search interleaves
// the kinds. FTS5 streams matches newest first, so this reads about limit
// of them however many there are.
func newestText(ctx context.Context, tx querier, idx textIndex, match, guildID string, limit int) ([]briefings.SearchHit, error) {
	var hits []briefings.SearchHit
	err := eachRow(ctx, tx, idx.query(snippet(idx.fts, idx.column), idx.fts+`.rowid DESC`),
		[]any{match, briefings.HighlightOpen, briefings.HighlightClose, guildID, limit, 0}, func(rows *sql.Rows) error {
			var s string
			h, _, err := idx.scan(rows, &s)
			h.Snippet, h.Score = s, float64(limit-len(hits))/float64(limit)
			hits = append(hits, h)
			return err
		})
	return hits, err
}

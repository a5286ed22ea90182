package db

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"briefbot/briefings"
)

// Search and Recall on PostgreSQL use its own text search instead of FTS5:
// each searched table has a generated tsvector column (search) with a GIN
// index, built with the briefbot configuration (english with unaccent,
// migration postgres/0004), which folds diacritics and stems words as FTS5's
// tokenizer does; matches are ranked with ts_rank_cd over the
// weights of the columns (title or name A, then B, C as the bm25 weights
// order them), and snippets come from ts_headline. The words of a query are
// the ones MatchQuery picks, all of them or any (websearch-like OR).
//
// A search of all the words is planned as on SQLite (plan), with the same
// probe of the newest matches read off the primary key instead of FTS5
// (pgProbe): words in most of the newest briefings list the newest matches,
// and text matching more than rankedCandidates rows ranks only the newest of
// them. ts_rank_cd reads each match's tsvector, out of line in TOAST, so
// ranking a word in every briefing took about 0.5 s at 10k briefings. A
// question (any of the words) is planned as planAny plans it on SQLite:
// words in rankedCandidates briefings or more are left out beside rarer
// ones (ranking them took 2.4 s for /ask at 100k).
//
// Answers differ from SQLite's in ways TestSearch_BackendsDiffer lists:
// ts_rank_cd is not bm25, so ties and near-ties among matches of similar
// weight may come in another order; PostgreSQL's english configuration drops
// its own stop words; and snippets are ts_headline's, cut at other words.

// plan picks how Search and Recall read the matches of text: FTS5's plan on
// SQLite (see plan), PostgreSQL's on PostgreSQL.
func (db *DB) plan(ctx context.Context, tx querier, text string, any bool) (*searchPlan, error) {
	if !db.pg {
		if any {
			return planAny(ctx, tx, text, db.ranked)
		}
		return plan(ctx, tx, text, any, db.ranked)
	}
	if any {
		// as planAny on SQLite: a word in rankedCandidates briefings or
		// more is left out beside rarer ones, and only the newest matches
		// are ranked
		p, err := planAnyBy(ctx, tx, text, db.ranked, pgProbe)
		if p != nil {
			p.pg = true
		}
		return p, err
	}
	// as plan on SQLite
	p, err := planAllBy(ctx, tx, text, db.ranked, pgProbe)
	if p != nil {
		p.pg = true
	}
	return p, err
}

// pgProbe is probe on PostgreSQL: the lowest id among the newest ranked
// rows of idx's table matching match (0 when fewer match), and whether
// those rows make up more than half of the rows since. The newest are read
// walking the primary key down, or off the GIN index for a rarer match.
func pgProbe(ctx context.Context, tx querier, idx textIndex, match string, ranked int) (floor int64, common bool, err error) {
	var newest int64
	err = tx.QueryRowContext(ctx, `SELECT coalesce((SELECT id FROM `+idx.content+` WHERE search @@ to_tsquery('briefbot', ?1)
		ORDER BY id DESC LIMIT 1 OFFSET ?2), 0), coalesce((SELECT max(id) FROM `+idx.content+`), 0)`,
		tsQuery(match), ranked-1).Scan(&floor, &newest)
	if err != nil {
		return 0, false, fmt.Errorf("count candidates: %w", err)
	}
	return floor, floor > 0 && newest-floor+1 < 2*int64(ranked), nil
}

// pgFloor is the plan's floor on PostgreSQL: the lowest id of idx that
// ts_rank_cd ranks (0: all), probing idx the first time. A plan of any of
// the words (ranked 0) ranks every match.
func (p *searchPlan) pgFloor(ctx context.Context, tx querier, idx textIndex) (int64, error) {
	if p.ranked <= 0 {
		return 0, nil
	}
	if f, ok := p.floors[idx.fts]; ok {
		return f, nil
	}
	f, _, err := pgProbe(ctx, tx, idx, p.match, p.ranked)
	if err != nil {
		return 0, err
	}
	p.floors[idx.fts] = f
	return f, nil
}

// tsQuery turns an FTS5 query of MatchQuery's ("a" "b", or "a" OR "b") into
// to_tsquery's syntax: a & b, or a | b. The words are runs of letters and
// digits, so nothing else of either syntax can be in them.
func tsQuery(match string) string {
	var b strings.Builder
	op := " & "
	if strings.Contains(match, `" OR "`) {
		op = " | "
	}
	for i, w := range strings.Fields(strings.ReplaceAll(match, `" OR "`, `" "`)) {
		if i > 0 {
			b.WriteString(op)
		}
		b.WriteString(strings.Trim(w, `"`))
	}
	return b.String()
}

// pgHeadline is the ts_headline options of a snippet: about snippetTokens
// words around the matches, marked as Search marks them.
func pgHeadline(doc string) string {
	return `ts_headline('briefbot', ` + doc + `, q, 'StartSel="' || ?2 || '", StopSel="' || ?3 || '", MaxWords=` +
		strconv.Itoa(snippetTokens) + `, MinWords=` + strconv.Itoa(snippetTokens/2) + `, ShortWord=2')`
}

// pgSearchText is searchText on PostgreSQL.
func pgSearchText(ctx context.Context, tx querier, idx textIndex, p *searchPlan, guildID string, limit int) ([]briefings.SearchHit, error) {
	from, vec, doc, extra := `briefings b`, `b.search`, `b.title || ' ' || b.summary || ' ' || b.body`, ``
	if idx.fact {
		from, vec, doc, extra = `facts f JOIN briefings b ON b.id = f.briefing_id`, `f.search`, `f.text`, `, f.attribution`
	}
	row := `b.id`
	if idx.fact {
		row = `f.id`
	}
	snippet := `''`
	if !p.noSnippets {
		snippet = pgHeadline(doc)
	}
	rank, order, window := `ts_rank_cd(`+vec+`, q)`, `r DESC, `+row+` DESC`, ``
	if p.newest {
		// newest first, scored by place, as newestText does
		rank, order = `0`, row+` DESC`
	} else {
		floor, err := p.pgFloor(ctx, tx, idx)
		if err != nil {
			return nil, err
		}
		if floor > 0 {
			window = ` AND ` + row + ` >= ` + strconv.FormatInt(floor, 10)
		}
	}
	var hits []briefings.SearchHit
	err := eachRow(ctx, tx, `SELECT `+refColumns+`, `+row+extra+`, `+rank+` AS r, `+snippet+`
		FROM `+from+`, to_tsquery('briefbot', ?1) q
		WHERE `+vec+` @@ q AND b.status = 'published' AND b.guild_id IN (?4, '')`+window+`
		ORDER BY `+order+` LIMIT ?5`,
		[]any{tsQuery(p.match), briefings.HighlightOpen, briefings.HighlightClose, guildID, limit}, func(rows *sql.Rows) error {
			var rank float64
			var s string
			h, _, err := idx.scan(rows, &rank, &s)
			h.Score, h.Snippet = rank, s
			if p.newest {
				h.Score = float64(limit-len(hits)) / float64(limit)
			}
			hits = append(hits, h)
			return err
		})
	return hits, err
}

// pgSearchNames is searchNames on PostgreSQL.
func pgSearchNames(ctx context.Context, tx querier, kind briefings.HitKind, table, guildID string, p *searchPlan, limit int) ([]briefings.SearchHit, error) {
	from, vec, doc := `actors_fts x JOIN actors t ON t.id = x.rowid`, `x.search`, `x.name || ' ' || x.aliases || ' ' || x.description`
	visible := actorVisible("t.id", "?4")
	if kind == briefings.HitEvent {
		from, vec, doc = `events t`, `t.search`, `t.name || ' ' || t.location || ' ' || t.description`
		visible = eventVisible("t.id", "?4")
	}
	var hits []briefings.SearchHit
	err := eachRow(ctx, tx, `SELECT t.id, t.name, `+pgHeadline(doc)+`, ts_rank_cd(`+vec+`, q) AS r
		FROM `+from+`, to_tsquery('briefbot', ?1) q
		WHERE `+vec+` @@ q AND t.guild_id IN (?4, '') AND `+visible+`
		ORDER BY r DESC, t.id DESC LIMIT ?5`,
		[]any{tsQuery(p.match), briefings.HighlightOpen, briefings.HighlightClose, guildID, limit}, func(rows *sql.Rows) error {
			h := briefings.SearchHit{Kind: kind}
			id := &h.ActorID
			if kind == briefings.HitEvent {
				id = &h.EventID
			}
			err := rows.Scan(id, &h.Title, &h.Snippet, &h.Score)
			hits = append(hits, h)
			return err
		})
	return hits, err
}

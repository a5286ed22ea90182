package db

import (
	"context"
	"database/sql"
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
// Answers differ from SQLite's in ways TestSearch_BackendsDiffer lists:
// ts_rank_cd is not bm25, so ties and near-ties among matches of similar
// weight may come in another order; PostgreSQL's english configuration drops
// its own stop words; snippets are ts_headline's, cut at other words; and
// the candidate windows that bound ranking on SQLite (rankedCandidates) are
// not needed, as the GIN index and ts_rank_cd rank all matches.

// plan picks how Search and Recall read the matches of text: FTS5's plan on
// SQLite (see plan), PostgreSQL's on PostgreSQL.
func (db *DB) plan(ctx context.Context, tx querier, text string, any bool) (*searchPlan, error) {
	if !db.pg {
		if any {
			return planAny(ctx, tx, text, db.ranked)
		}
		return plan(ctx, tx, text, any, db.ranked)
	}
	return &searchPlan{match: MatchQuery(text, any), pg: true, floors: map[string]int64{}}, nil
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
	var hits []briefings.SearchHit
	err := eachRow(ctx, tx, `SELECT `+refColumns+`, `+row+extra+`, ts_rank_cd(`+vec+`, q) AS r, `+snippet+`
		FROM `+from+`, to_tsquery('briefbot', ?1) q
		WHERE `+vec+` @@ q AND b.status = 'published' AND b.guild_id IN (?4, '')
		ORDER BY r DESC, `+row+` DESC LIMIT ?5`,
		[]any{tsQuery(p.match), briefings.HighlightOpen, briefings.HighlightClose, guildID, limit}, func(rows *sql.Rows) error {
			var rank float64
			var s string
			h, _, err := idx.scan(rows, &rank, &s)
			h.Score, h.Snippet = rank, s
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

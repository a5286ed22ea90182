package db

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// rankedCandidates is how many matching rows, newest first, bm25 ranks at
// most (DB.ranked, which tests lower to treat a small library as large). A
// word in nearly every briefing matches the whole library, and ranking
// 100,000 rows takes longer than people wait; ranking the newest few
// thousand finds the best of what is current. Text matching fewer rows than
// this is ranked over all of them, exactly as before.
const rankedCandidates = 2000

// searchPlan is how Search reads the matches of a text in the briefing and
// fact indexes.
type searchPlan struct {
	// match is the FTS5 query.
	match string
	// newest lists matches newest first instead of ranking them with bm25:
	// every word of the text is in most of the newest briefings (see
	// probe). bm25 gives a word in more than half the rows an IDF near
	// zero, so it orders such matches by little more than their length,
	// while ranking them means reading all of them; the newest are as good
	// an answer and cost almost nothing, since FTS5 reads matches newest
	// first.
	newest bool
	// floors holds, per FTS5 table, the lowest rowid bm25 ranks (0: all).
	floors map[string]int64
	// noSnippets leaves the hits' snippets empty, for callers that read
	// the whole rows.
	noSnippets bool
	// ranked is how many candidates bm25 ranks at most (rankedCandidates
	// unless a test lowered it).
	ranked int
	// windowed says that every word of a question matches more rows than
	// are ranked, so the any-word query ranks only the newest of them.
	windowed bool
	// pg searches PostgreSQL's text search columns (search_pg.go) with
	// match instead of FTS5.
	pg bool
	// common are the words planAny left out as matching rankedCandidates
	// briefings or more, unquoted.
	common []string
	// leftOutMid says that one of them at least is not in most of the
	// newest briefings: rows holding it beside the telling words are
	// worth ranking first (Recall), where a word in nearly every row
	// tells nothing.
	leftOutMid bool
	// everywhere are the words in most of the newest briefings, quoted as
	// matchWords quotes them: Recall's rows holding every word need not
	// hold them.
	everywhere []string
}

// plan picks the FTS5 query for text and how to read its matches. It probes
// the briefing index for the whole query and, when that matches more than
// rankedCandidates briefings without being common, for each word.
func plan(ctx context.Context, tx querier, text string, any bool, ranked int) (*searchPlan, error) {
	if any {
		return planAny(ctx, tx, text, ranked)
	}
	return planAllBy(ctx, tx, text, ranked, probe)
}

// prober is a backend's probe (probe, pgProbe).
type prober func(ctx context.Context, tx querier, idx textIndex, match string, ranked int) (int64, bool, error)

// planAllBy is plan for a search of all the words, with the probe of a
// backend.
func planAllBy(ctx context.Context, tx querier, text string, ranked int, probe prober) (*searchPlan, error) {
	p := &searchPlan{match: MatchQuery(text, false), floors: map[string]int64{}, ranked: ranked}
	floor, common, err := probe(ctx, tx, briefingIndex, p.match, ranked)
	if err != nil {
		return nil, err
	}
	p.floors[briefingIndex.fts] = floor
	if floor == 0 || common {
		p.newest = common
		return p, nil
	}
	// Many matches, yet the words together are in fewer than half the
	// newest briefings: each may still be common on its own.
	words := matchWords(text, false)
	if len(words) < 2 {
		return p, nil
	}
	for _, w := range words {
		_, common, err := probe(ctx, tx, briefingIndex, w, ranked)
		if err != nil || !common {
			return p, err
		}
	}
	p.newest = true
	return p, nil
}

// planAny plans a question (MatchAny), whose words are ORed. It leaves out
// the words that match rankedCandidates briefings or more when it has
// others: such a word adds little to bm25, yet with it in the query nearly
// every briefing matches, and only the newest would be ranked, missing older
// ones that hold the question's telling words. A question made only of
// common words lists the newest matches.
func planAny(ctx context.Context, tx querier, text string, ranked int) (*searchPlan, error) {
	return planAnyBy(ctx, tx, text, ranked, probe)
}

// planAnyBy is planAny with the probe of a backend (probe, pgProbe).
func planAnyBy(ctx context.Context, tx querier, text string, ranked int, probe prober) (*searchPlan, error) {
	words := matchWords(text, true)
	var telling, everywhere []string
	allCommon, someMid := true, false
	for _, w := range words {
		floor, common, err := probe(ctx, tx, briefingIndex, w, ranked)
		if err != nil {
			return nil, err
		}
		if floor == 0 {
			telling = append(telling, w)
		}
		if common {
			everywhere = append(everywhere, w)
		}
		allCommon = allCommon && common
		someMid = someMid || floor > 0 && !common
	}
	p := &searchPlan{floors: map[string]int64{}, ranked: ranked, everywhere: everywhere}
	if len(telling) > 0 {
		for _, w := range words {
			if !slices.Contains(telling, w) {
				p.common = append(p.common, strings.Trim(w, `"`))
			}
		}
		words = telling
		p.leftOutMid = someMid
	}
	p.match = strings.Join(words, " OR ")
	p.newest = allCommon && len(words) > 0
	p.windowed = len(telling) == 0 && len(words) > 1
	return p, nil
}

// floor returns the lowest rowid of idx that bm25 ranks for the plan's
// match, probing idx the first time.
func (p *searchPlan) floor(ctx context.Context, tx querier, idx textIndex) (int64, error) {
	if f, ok := p.floors[idx.fts]; ok {
		return f, nil
	}
	f, _, err := probe(ctx, tx, idx, p.match, p.ranked)
	if err != nil {
		return 0, err
	}
	p.floors[idx.fts] = f
	return f, nil
}

// probe returns the lowest rowid among the newest ranked rows of
// idx matching match, or 0 when fewer match, and whether those rows make up
// more than half of the rows since (the match is common). Rowids are the
// content rows' ids, which grow as rows are added, and FTS5 reads them
// newest first without ranking anything, so the probe reads at most
// ranked entries of the index.
func probe(ctx context.Context, tx querier, idx textIndex, match string, ranked int) (floor int64, common bool, err error) {
	var newest int64
	err = tx.QueryRowContext(ctx, `SELECT coalesce((SELECT rowid FROM `+idx.fts+` WHERE `+idx.fts+` MATCH ?1
		ORDER BY rowid DESC LIMIT 1 OFFSET ?2), 0), coalesce((SELECT max(id) FROM `+idx.content+`), 0)`,
		match, ranked-1).Scan(&floor, &newest)
	if err != nil {
		return 0, false, fmt.Errorf("count candidates: %w", err)
	}
	return floor, floor > 0 && newest-floor+1 < 2*int64(ranked), nil
}

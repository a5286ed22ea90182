package db

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"

	"golang.org/x/sync/errgroup"

	"briefbot/briefings"
)

// defaultRecallLimit is how many rows of each kind Recall returns when no
// limit is given.
const defaultRecallLimit = 20

// Recall returns the published facts, events, actors and briefings visible
// to the guild that match any of q.Words, each kind best first by bm25,
// whole: a fact with its attribution, actors and event, an event with its
// date, place and participants, an actor with its description and aliases,
// a briefing with its summary and body. Events and actors carry the newest
// briefing that mentions them, to cite. Matching and ranking are Search's
// (see planAny), so a question costs what a search does, plus one read of
// the rows kept.
//
// After planning, the facts (with the events and actors) and the briefings
// are read at the same time, each half on a reader of its own: ranking the
// matches of each index with bm25 is most of a question's time, and the two
// indexes do not depend on each other. Neither half holds a reader while it
// waits for another, so a full pool only queues them. Like every lookup,
// the statements do not share one snapshot.
func (db *DB) Recall(ctx context.Context, q briefings.RecallQuery) (*briefings.Recalled, error) {
	out := &briefings.Recalled{}
	// The forms match as the words do; the rows holding every word (all,
	// below) need not hold them: "triokkolstior poustirfam" asked with
	// the form "triokkolstiour" found no row holding all three at 1M and
	// answered "not covered" for the one fact holding both words.
	text := strings.Join(append(slices.Clone(q.Words), q.Forms...), " ")
	if MatchQuery(text, true) == "" {
		return out, nil
	}
	limit := q.Limit
	if limit <= 0 {
		limit = defaultRecallLimit
	}
	limit = min(limit, maxSearchLimit)
	var p *searchPlan
	err := db.lookup(ctx, func(tx querier) error {
		var err error
		p, err = db.plan(ctx, tx, text, true)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("recall: %w", err)
	}
	p.noSnippets = true
	out.Common = p.common
	// Words that each match more rows than are ranked may still be
	// together in one old row: rank the rows holding all of them first.
	var all *searchPlan
	// So may a word left out as common though not in most of the library:
	// the match of a rarer word that holds it too ranks first ("natriok
	// kirzin" at 1M, where kirzin is in 2,045 briefings and the one fact
	// with both was not among the best on natriok alone).
	if p.windowed || p.leftOutMid {
		// A word in most of the library is in nearly every row holding two
		// rarer ones, and requiring it makes FTS5 read its whole list (160
		// ms for a word in every briefing at 1M). With fewer than two rarer
		// words, the rows holding every word are the ones worth finding.
		every := matchWords(strings.Join(q.Words, " "), true)
		rest := slices.DeleteFunc(slices.Clone(every), func(w string) bool { return slices.Contains(p.everywhere, w) })
		if len(rest) >= 2 {
			every = rest
		}
		if all = allWordsPlan(every, p.ranked); all != nil {
			all.pg = p.pg
		}
	}
	g, gctx := errgroup.WithContext(ctx)
	// Each half has its own copy of the plans: searchText records the
	// floors it probes in them.
	factPlan, factAll := p.clone(), all.clone()
	g.Go(func() error {
		return db.lookup(gctx, func(tx querier) error {
			hits, err := recallText(gctx, tx, factIndex, factAll, factPlan, q.GuildID, limit)
			if err != nil {
				return fmt.Errorf("facts: %w", err)
			}
			if out.Facts, err = recallFacts(gctx, tx, hits); err != nil {
				return err
			}
			eventHits, err := searchNames(gctx, tx, briefings.HitEvent, "events", eventRank, q.GuildID, factPlan, limit)
			if err != nil {
				return fmt.Errorf("events: %w", err)
			}
			if out.Events, err = recallEvents(gctx, tx, db.pg, q.GuildID, eventHits); err != nil {
				return err
			}
			actorHits, err := searchNames(gctx, tx, briefings.HitActor, "actors", actorRank, q.GuildID, factPlan, limit)
			if err != nil {
				return fmt.Errorf("actors: %w", err)
			}
			out.Actors, err = recallActors(gctx, tx, q.GuildID, actorHits)
			return err
		})
	})
	g.Go(func() error {
		return db.lookup(gctx, func(tx querier) error {
			hits, err := recallText(gctx, tx, briefingIndex, all, p, q.GuildID, limit)
			if err != nil {
				return fmt.Errorf("briefings: %w", err)
			}
			out.Briefings, err = recallBriefings(gctx, tx, hits)
			return err
		})
	})
	if err := g.Wait(); err != nil {
		return nil, fmt.Errorf("recall: %w", err)
	}
	return out, nil
}

// clone returns a copy of p that records its floors apart from p, or nil
// for nil.
func (p *searchPlan) clone() *searchPlan {
	if p == nil {
		return nil
	}
	c := *p
	c.floors = maps.Clone(p.floors)
	return &c
}

// allWordsPlan is the plan of rows holding every one of words (quoted, as
// matchWords returns them), or nil for fewer than two.
func allWordsPlan(words []string, ranked int) *searchPlan {
	if len(words) < 2 {
		return nil
	}
	return &searchPlan{match: strings.Join(words, " "), floors: map[string]int64{}, noSnippets: true, ranked: ranked}
}

// recallText returns the best matches in idx: first the rows holding every
// word (all), then those holding any (p), without repeats. Words that
// each match thousands of rows make the any-word query rank only the
// newest of them (see planAny), yet together they may match a single old
// row, which the all-words query ranks wherever it is.
func recallText(ctx context.Context, tx querier, idx textIndex, all, p *searchPlan, guildID string, limit int) ([]briefings.SearchHit, error) {
	var hits []briefings.SearchHit
	if all != nil {
		var err error
		if hits, err = searchText(ctx, tx, idx, all, guildID, limit); err != nil {
			return nil, err
		}
		if len(hits) == limit {
			return hits, nil
		}
	}
	more, err := searchText(ctx, tx, idx, p, guildID, limit)
	if err != nil {
		return nil, err
	}
	seen := map[[2]int64]bool{}
	for _, h := range hits {
		seen[[2]int64{h.Briefing.ID, h.FactID}] = true
	}
	for _, h := range more {
		if len(hits) == limit {
			break
		}
		if !seen[[2]int64{h.Briefing.ID, h.FactID}] {
			hits = append(hits, h)
		}
	}
	return hits, nil
}

// recallFacts reads the facts of hits whole, in the hits' order, with the
// events they concern.
func recallFacts(ctx context.Context, tx querier, hits []briefings.SearchHit) ([]briefings.RecalledFact, error) {
	if len(hits) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(hits))
	for i, h := range hits {
		ids[i] = h.FactID
	}
	byID := map[int64]*briefings.RecalledFact{}
	eventOf := map[int64]int64{}
	var eventIDs []int64
	err := eachRow(ctx, tx, `SELECT `+refColumns+`, f.id, f.text, f.attribution, f.as_of, f.as_of_precision,
			coalesce(e.id, 0), coalesce(e.name, ''),
			(SELECT json_group_array(a.name ORDER BY fa.position) FROM fact_actors fa
				CROSS JOIN actors a ON a.id = fa.actor_id WHERE fa.fact_id = f.id)
		FROM facts f CROSS JOIN briefings b INDEXED BY briefing_refs ON b.id = f.briefing_id
		LEFT JOIN events e ON e.id = f.event_id
		WHERE f.id IN (SELECT value FROM json_each(?1))`, []any{idList(ids)}, func(rows *sql.Rows) error {
		f := &briefings.RecalledFact{}
		var asOf string
		var asOfP int
		var eventID int64
		var actors []byte
		r, err := scanRef(rows, &f.ID, &f.Text, &f.Attribution, &asOf, &asOfP, &eventID, &f.Event, &actors)
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
		if eventID != 0 {
			eventOf[f.ID] = eventID
			eventIDs = append(eventIDs, eventID)
		}
		byID[f.ID] = f
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read facts: %w", err)
	}
	events, err := loadEvents(ctx, tx, eventIDs)
	if err != nil {
		return nil, err
	}
	out := make([]briefings.RecalledFact, 0, len(ids))
	for _, id := range ids {
		f, ok := byID[id]
		if !ok {
			continue
		}
		if e := events[eventOf[id]]; e != nil {
			ev := e.Event
			f.EventRecord = &ev
		}
		out = append(out, *f)
	}
	return out, nil
}

// recallBriefings reads the summaries and bodies of hits, in order.
func recallBriefings(ctx context.Context, tx querier, hits []briefings.SearchHit) ([]briefings.RecalledBriefing, error) {
	if len(hits) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(hits))
	at := map[int64]int{}
	out := make([]briefings.RecalledBriefing, len(hits))
	for i, h := range hits {
		ids[i] = h.Briefing.ID
		at[h.Briefing.ID] = i
		out[i].Briefing = h.Briefing
	}
	err := eachRow(ctx, tx, `SELECT id, summary, body FROM briefings WHERE id IN (SELECT value FROM json_each(?1))`,
		[]any{idList(ids)}, func(rows *sql.Rows) error {
			var id int64
			var summary, body string
			if err := rows.Scan(&id, &summary, &body); err != nil {
				return err
			}
			out[at[id]].Summary, out[at[id]].Body = summary, body
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("read briefings: %w", err)
	}
	return out, nil
}

// recallEvents reads the events of hits whole, in order, each with the
// newest briefing that mentions it.
func recallEvents(ctx context.Context, tx querier, pg bool, guildID string, hits []briefings.SearchHit) ([]briefings.RecalledEvent, error) {
	if len(hits) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(hits))
	for i, h := range hits {
		ids[i] = h.EventID
	}
	events, err := loadEvents(ctx, tx, ids)
	if err != nil {
		return nil, err
	}
	refs, _, err := eventMentions(ctx, tx, pg, guildID, ids, 1, false)
	if err != nil {
		return nil, err
	}
	var out []briefings.RecalledEvent
	for _, id := range ids {
		e := events[id]
		if e == nil || len(refs[id]) == 0 {
			continue
		}
		out = append(out, briefings.RecalledEvent{Event: e.Event, Briefing: refs[id][0]})
	}
	return out, nil
}

// recallActors reads the actors of hits whole, in order, each with the
// newest briefing that mentions it.
func recallActors(ctx context.Context, tx querier, guildID string, hits []briefings.SearchHit) ([]briefings.RecalledActor, error) {
	if len(hits) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(hits))
	for i, h := range hits {
		ids[i] = h.ActorID
	}
	actors, err := loadActors(ctx, tx, ids)
	if err != nil {
		return nil, err
	}
	refs := map[int64]briefings.BriefingRef{}
	err = eachRow(ctx, tx, `SELECT ids.value, `+refColumns+`
		FROM json_each(?1) ids CROSS JOIN briefing_actors ba ON ba.rowid = (
			SELECT m.rowid FROM briefing_actors m
			WHERE m.actor_id = ids.value AND m.status = 'published' AND m.guild_id IN (?2, '')
			ORDER BY m.published DESC, m.briefing_id DESC LIMIT 1)
		CROSS JOIN briefings b INDEXED BY briefing_refs ON b.id = ba.briefing_id`, []any{idList(ids), guildID},
		func(rows *sql.Rows) error {
			var id int64
			r, err := scanRefAfter(rows, &id)
			refs[id] = r
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("actor mentions: %w", err)
	}
	var out []briefings.RecalledActor
	for _, id := range ids {
		a, ok := actors[id]
		r, cited := refs[id]
		if !ok || !cited {
			continue
		}
		out = append(out, briefings.RecalledActor{Actor: *a, Briefing: r})
	}
	return out, nil
}

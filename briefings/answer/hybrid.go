package answer

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"time"

	"briefbot/briefings"
)

// VectorStore keeps the vectors of a library's records for hybrid
// retrieval (db.DB implements it).
type VectorStore interface {
	// Unembedded returns at most limit records with no vector for model,
	// or one made from text they no longer hold.
	Unembedded(ctx context.Context, model string, limit int) ([]briefings.EmbedItem, error)
	// SaveVectors stores the vectors of items for model.
	SaveVectors(ctx context.Context, model string, items []briefings.EmbedItem, vectors [][]float32) error
	// RecallNearest returns the visible records nearest a vector, whole,
	// with their similarities.
	RecallNearest(ctx context.Context, q briefings.VectorQuery) (*briefings.Recalled, briefings.Similarities, error)
}

// questionEmbedTimeout bounds embedding a question: past it, the answer
// is found by words alone.
const questionEmbedTimeout = 2 * time.Second

// rrfK is reciprocal rank fusion's constant: a record ranked r in a list
// earns 1/(rrfK+r).
const rrfK = 60

// strongSimilarity is the cosine similarity at which a record among the
// three nearest to a question answers it though it shares too few of its
// words: a paraphrase. The names the question gives must still be there.
const strongSimilarity = 0.8

// nearest embeds the question and recalls the records nearest to it.
func nearest(ctx context.Context, vs VectorStore, e briefings.Embedder, guildID, question string) (*briefings.Recalled, briefings.Similarities, error) {
	ectx, cancel := context.WithTimeout(ctx, questionEmbedTimeout)
	defer cancel()
	vecs, err := e.Embed(ectx, []string{question})
	if err != nil {
		return nil, nil, fmt.Errorf("embed the question: %w", err)
	}
	if len(vecs) != 1 {
		return nil, nil, fmt.Errorf("embed the question: %d vectors for one text", len(vecs))
	}
	return vs.RecallNearest(ctx, briefings.VectorQuery{GuildID: guildID, Model: e.Name(), Vector: vecs[0], Limit: recallLimit})
}

// merge adds to rec the records of near it lacks.
func merge(rec, near *briefings.Recalled) {
	rec.Facts = appendMissing(rec.Facts, near.Facts, func(f briefings.RecalledFact) int64 { return f.ID })
	rec.Events = appendMissing(rec.Events, near.Events, func(e briefings.RecalledEvent) int64 { return e.ID })
	rec.Actors = appendMissing(rec.Actors, near.Actors, func(a briefings.RecalledActor) int64 { return a.ID })
}

// appendMissing appends to have the items of more whose ID it lacks.
func appendMissing[T any](have, more []T, id func(T) int64) []T {
	seen := make(map[int64]bool, len(have))
	for _, x := range have {
		seen[id(x)] = true
	}
	for _, x := range more {
		if !seen[id(x)] {
			have = append(have, x)
		}
	}
	return have
}

// similarity returns a candidate's cosine similarity with the question,
// and whether it has one: facts, events (an event found through a fact
// takes the fact's) and actors do, sentences of briefings don't.
func (c *candidate) similarity(sims briefings.Similarities) (float64, bool) {
	var s float64
	var ok bool
	switch c.line.Source {
	case FromFact:
		s, ok = sims[briefings.HitFact][c.line.FactID]
	case FromEvent:
		s, ok = sims[briefings.HitEvent][c.line.EventID]
		if c.support != nil {
			if fs, fok := sims[briefings.HitFact][c.support.line.FactID]; fok && (!ok || fs > s) {
				s, ok = fs, true
			}
		}
	case FromActor:
		s, ok = sims[briefings.HitActor][c.line.ActorID]
	}
	return s, ok
}

// nearTop returns the keys of the n candidates nearest the question that
// are strongly similar to it.
func nearTop(cands []*candidate, sims briefings.Similarities, n int) map[string]bool {
	type near struct {
		c   *candidate
		sim float64
	}
	var list []near
	for _, c := range cands {
		if s, ok := c.similarity(sims); ok {
			list = append(list, near{c, s})
		}
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].sim > list[j].sim })
	out := map[string]bool{}
	for i := 0; i < len(list) && i < n; i++ {
		if list[i].sim >= strongSimilarity {
			out[list[i].c.key()] = true
		}
	}
	return out
}

// fuse reorders kept, ranked by words, by reciprocal rank fusion of that
// ranking and the ranking by similarity to the question. Scores become
// the fused ones.
func fuse(kept []*candidate, sims briefings.Similarities) {
	lexical := map[*candidate]int{}
	for i, c := range kept {
		lexical[c] = i + 1
	}
	bySim := append([]*candidate(nil), kept...)
	sort.SliceStable(bySim, func(i, j int) bool {
		si, oki := bySim[i].similarity(sims)
		sj, okj := bySim[j].similarity(sims)
		if oki != okj {
			return oki
		}
		return si > sj
	})
	fused := map[*candidate]float64{}
	for i, c := range bySim {
		f := 1 / float64(rrfK+lexical[c])
		if _, ok := c.similarity(sims); ok {
			f += 1 / float64(rrfK+i+1)
		}
		fused[c] = f
	}
	sort.SliceStable(kept, func(i, j int) bool { return fused[kept[i]] > fused[kept[j]] })
	for _, c := range kept {
		c.line.Score = fused[c]
	}
}

// Indexer embeds the records of a library that have no vector for its
// embedder yet, or whose text changed since: at import, after an edit,
// and on a timer in between.
type Indexer struct {
	// Store holds the vectors.
	Store VectorStore
	// Embedder makes them.
	Embedder briefings.Embedder
	// Batch is how many records one request embeds; 0 means 64.
	Batch int
	// Logger receives failures of Run; nil discards them.
	Logger *slog.Logger
}

// RunOnce embeds every record that needs it and returns how many it
// embedded.
func (ix *Indexer) RunOnce(ctx context.Context) (int, error) {
	batch := ix.Batch
	if batch <= 0 {
		batch = 64
	}
	model := ix.Embedder.Name()
	done := 0
	for {
		items, err := ix.Store.Unembedded(ctx, model, batch)
		if err != nil {
			return done, err
		}
		if len(items) == 0 {
			return done, nil
		}
		texts := make([]string, len(items))
		for i, it := range items {
			texts[i] = it.Text
		}
		vecs, err := ix.Embedder.Embed(ctx, texts)
		if err != nil {
			return done, fmt.Errorf("embed %d records: %w", len(items), err)
		}
		if err := ix.Store.SaveVectors(ctx, model, items, vecs); err != nil {
			return done, err
		}
		done += len(items)
	}
}

// Run calls RunOnce now and then every interval until ctx ends, logging
// failures; the next round tries again.
func (ix *Indexer) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		n, err := ix.RunOnce(ctx)
		switch {
		case err != nil && ctx.Err() == nil && ix.Logger != nil:
			ix.Logger.WarnContext(ctx, "embedding the library failed; retrying later", "model", ix.Embedder.Name(), "embedded", n, "err", err)
		case n > 0 && ix.Logger != nil:
			ix.Logger.InfoContext(ctx, "embedded library records", "model", ix.Embedder.Name(), "records", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

package db

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"math"
	"sort"

	"briefbot/briefings"
)

// The text each kind of record is embedded by (see briefings.EmbedItem):
// the same expressions find records whose text changed since.
const (
	factVectorText  = `f.text || ' — ' || f.attribution`
	eventVectorText = `e.name || '. ' || e.location || '. ' || e.description`
	actorVectorText = `a.name || '. ' || a.description`
)

// Unembedded returns at most limit facts, events and actors that have no
// vector for model, or one made from text they no longer hold (an edit),
// each with the text to embed.
func (db *DB) Unembedded(ctx context.Context, model string, limit int) ([]briefings.EmbedItem, error) {
	var out []briefings.EmbedItem
	err := db.lookup(ctx, func(tx querier) error {
		return eachRow(ctx, tx, `SELECT 'fact', f.id, `+factVectorText+` FROM facts f
				LEFT JOIN record_vectors v ON v.model = ?1 AND v.kind = 'fact' AND v.id = f.id
				WHERE v.id IS NULL OR v.text != `+factVectorText+`
			UNION ALL
			SELECT 'event', e.id, `+eventVectorText+` FROM events e
				LEFT JOIN record_vectors v ON v.model = ?1 AND v.kind = 'event' AND v.id = e.id
				WHERE v.id IS NULL OR v.text != `+eventVectorText+`
			UNION ALL
			SELECT 'actor', a.id, `+actorVectorText+` FROM actors a
				LEFT JOIN record_vectors v ON v.model = ?1 AND v.kind = 'actor' AND v.id = a.id
				WHERE v.id IS NULL OR v.text != `+actorVectorText+`
			LIMIT ?2`, []any{model, limit}, func(rows *sql.Rows) error {
			var it briefings.EmbedItem
			var kind string
			err := rows.Scan(&kind, &it.ID, &it.Text)
			it.Kind = briefings.HitKind(kind)
			out = append(out, it)
			return err
		})
	})
	if err != nil {
		return nil, fmt.Errorf("unembedded records: %w", err)
	}
	return out, nil
}

// SaveVectors stores the vectors of items for model, replacing older ones,
// in one transaction. Returns EINVALID when the counts differ.
func (db *DB) SaveVectors(ctx context.Context, model string, items []briefings.EmbedItem, vectors [][]float32) error {
	if len(items) != len(vectors) {
		return briefings.Errorf(briefings.EINVALID, "%d records but %d vectors.", len(items), len(vectors))
	}
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save vectors: %w", err)
	}
	defer tx.Rollback()
	for i, it := range items {
		if _, err := tx.ExecContext(ctx, `INSERT INTO record_vectors (kind, id, model, text, vector) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (model, kind, id) DO UPDATE SET text = excluded.text, vector = excluded.vector`,
			string(it.Kind), it.ID, model, it.Text, encodeVector(vectors[i])); err != nil {
			return fmt.Errorf("save vector of %s %d: %w", it.Kind, it.ID, err)
		}
	}
	// vectors of records that are gone
	if _, err := tx.ExecContext(ctx, `DELETE FROM record_vectors WHERE model = ?1 AND (
			(kind = 'fact' AND id NOT IN (SELECT id FROM facts)) OR
			(kind = 'event' AND id NOT IN (SELECT id FROM events)) OR
			(kind = 'actor' AND id NOT IN (SELECT id FROM actors)))`, model); err != nil {
		return fmt.Errorf("drop vectors of removed records: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("save vectors: %w", err)
	}
	return nil
}

// RecallNearest returns the published facts, events and actors visible to
// the guild whose vectors for q.Model are nearest q.Vector (cosine), each
// kind nearest first and whole as Recall returns them, with their
// similarities. Every vector of the model is read and compared, so the
// cost grows with the library: meant for libraries of thousands of
// briefings, not of a hundred thousand.
func (db *DB) RecallNearest(ctx context.Context, q briefings.VectorQuery) (*briefings.Recalled, briefings.Similarities, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = defaultRecallLimit
	}
	out := &briefings.Recalled{}
	sims := briefings.Similarities{}
	err := db.lookup(ctx, func(tx querier) error {
		type scored struct {
			id  int64
			sim float64
		}
		best := map[briefings.HitKind][]scored{}
		if err := eachRow(ctx, tx, `SELECT kind, id, vector FROM record_vectors WHERE model = ?1`, []any{q.Model},
			func(rows *sql.Rows) error {
				var kind string
				var s scored
				var blob []byte
				if err := rows.Scan(&kind, &s.id, &blob); err != nil {
					return err
				}
				s.sim = cosine(q.Vector, blob)
				k := briefings.HitKind(kind)
				best[k] = append(best[k], s)
				return nil
			}); err != nil {
			return fmt.Errorf("read vectors: %w", err)
		}
		// a few more than asked for: drafts and other guilds' are dropped
		// when the records are read
		hits := map[briefings.HitKind][]briefings.SearchHit{}
		for k, list := range best {
			sort.Slice(list, func(i, j int) bool { return list[i].sim > list[j].sim })
			list = list[:min(len(list), 2*limit)]
			sims[k] = map[int64]float64{}
			for _, s := range list {
				sims[k][s.id] = s.sim
				h := briefings.SearchHit{Kind: k}
				switch k {
				case briefings.HitFact:
					h.FactID = s.id
				case briefings.HitEvent:
					h.EventID = s.id
				case briefings.HitActor:
					h.ActorID = s.id
				}
				hits[k] = append(hits[k], h)
			}
		}
		facts, err := visibleFacts(ctx, tx, q.GuildID, hits[briefings.HitFact])
		if err != nil {
			return err
		}
		if out.Facts, err = recallFacts(ctx, tx, facts[:min(len(facts), limit)]); err != nil {
			return err
		}
		if out.Events, err = recallEvents(ctx, tx, db.pg, q.GuildID, hits[briefings.HitEvent]); err != nil {
			return err
		}
		out.Events = out.Events[:min(len(out.Events), limit)]
		if out.Actors, err = recallActors(ctx, tx, q.GuildID, hits[briefings.HitActor]); err != nil {
			return err
		}
		out.Actors = out.Actors[:min(len(out.Actors), limit)]
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("recall nearest: %w", err)
	}
	return out, sims, nil
}

// visibleFacts keeps the fact hits whose briefing is published and visible
// to the guild, in order.
func visibleFacts(ctx context.Context, tx querier, guildID string, hits []briefings.SearchHit) ([]briefings.SearchHit, error) {
	if len(hits) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(hits))
	for i, h := range hits {
		ids[i] = h.FactID
	}
	ok := map[int64]bool{}
	if err := eachRow(ctx, tx, `SELECT f.id FROM facts f CROSS JOIN briefings b ON b.id = f.briefing_id
		WHERE f.id IN (SELECT value FROM json_each(?1)) AND b.status = 'published' AND b.guild_id IN (?2, '')`,
		[]any{idList(ids), guildID}, func(rows *sql.Rows) error {
			var id int64
			err := rows.Scan(&id)
			ok[id] = true
			return err
		}); err != nil {
		return nil, fmt.Errorf("visible facts: %w", err)
	}
	var out []briefings.SearchHit
	for _, h := range hits {
		if ok[h.FactID] {
			out = append(out, h)
		}
	}
	return out, nil
}

// encodeVector stores a vector as little-endian float32s.
func encodeVector(v []float32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

// cosine returns the cosine similarity of v and a stored vector, 0 when
// their lengths differ or either is zero.
func cosine(v []float32, blob []byte) float64 {
	if len(blob) != 4*len(v) {
		return 0
	}
	var dot, nv, nb float64
	for i, x := range v {
		y := float64(math.Float32frombits(binary.LittleEndian.Uint32(blob[4*i:])))
		dot += float64(x) * y
		nv += float64(x) * float64(x)
		nb += y * y
	}
	if nv == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(nv*nb)
}

package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"briefbot/briefings"
)

// querier is what the read helpers need: a connection pool, a
// connection, or a read or write transaction.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// idList passes ids as one JSON argument, read with json_each, so a query
// takes any number of them without hitting SQLite's variable limit.
func idList(ids []int64) string {
	if len(ids) == 0 {
		return "[]"
	}
	data, _ := json.Marshal(ids)
	return string(data)
}

// jsonList decodes a JSON array that a query built with json_group_array
// (names, ids) into out, leaving it nil when the array is empty.
func jsonList[T any](data []byte, out *[]T) error {
	if err := json.Unmarshal(data, out); err != nil {
		return err
	}
	if len(*out) == 0 {
		*out = nil
	}
	return nil
}

// visible is the condition that a row of alias t belongs to the guild's
// library or the global one; it takes the guild ID as its argument.
func visible(t string) string { return t + `.guild_id IN (?, '')` }

// statusArgs returns the statuses to show, published when none are asked for.
func statusArgs(statuses []briefings.Status) []any {
	if len(statuses) == 0 {
		return []any{string(briefings.StatusPublished)}
	}
	out := make([]any, len(statuses))
	for i, s := range statuses {
		out[i] = string(s)
	}
	return out
}

// refColumns are a briefing's citation. Queries that join briefings only for
// these (and the status and library) name the briefing_refs index, which
// holds them all, so that SQLite reads no briefing row and none of its body.
const refColumns = `b.id, b.guild_id, b.slug, b.title, b.published, b.published_precision, b.source_name, b.source_url`

const briefingColumns = refColumns + `, b.summary, b.body, b.status, b.retraction_reason,
	b.version, b.created_by, b.created_at, b.updated_by, b.updated_at`

type scanner interface{ Scan(dest ...any) error }

func scanRef(row scanner, extra ...any) (briefings.BriefingRef, error) {
	var r briefings.BriefingRef
	var pub string
	var pubP int
	dest := append([]any{&r.ID, &r.GuildID, &r.Slug, &r.Title, &pub, &pubP, &r.SourceName, &r.SourceURL}, extra...)
	if err := row.Scan(dest...); err != nil {
		return r, err
	}
	d, err := parseDate(pub, pubP)
	r.Published = d
	return r, err
}

func scanBriefing(row scanner) (*briefings.Briefing, error) {
	b := &briefings.Briefing{}
	var status, createdAt, updatedAt string
	ref, err := scanRef(row, &b.Summary, &b.Body, &status, &b.RetractionReason,
		&b.Version, &b.CreatedBy, &createdAt, &b.UpdatedBy, &updatedAt)
	if err != nil {
		return nil, err
	}
	b.ID, b.GuildID, b.Slug, b.Title, b.Published = ref.ID, ref.GuildID, ref.Slug, ref.Title, ref.Published
	b.Source = briefings.Source{Name: ref.SourceName, URL: ref.SourceURL}
	b.Status = briefings.Status(status)
	b.CreatedAt, b.UpdatedAt = parseTime(createdAt), parseTime(updatedAt)
	return b, nil
}

// briefingID finds the briefing with the slug visible to the guild, the
// guild's own before a global one, among the statuses (any when nil).
func briefingID(ctx context.Context, q querier, guildID, slug string, statuses []briefings.Status) (int64, error) {
	query := `SELECT b.id FROM briefings b WHERE b.slug = ? AND ` + visible("b")
	args := []any{strings.TrimSpace(slug), guildID}
	if statuses != nil {
		query += ` AND b.status IN (` + placeholders(len(statuses)) + `)`
		args = append(args, statusArgs(statuses)...)
	}
	query += ` ORDER BY b.guild_id = ? DESC LIMIT 1`
	var id int64
	err := q.QueryRowContext(ctx, query, append(args, guildID)...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, briefings.Errorf(briefings.ENOTFOUND, "No briefing with the slug %q.", briefings.Truncate(slug, 100))
	} else if err != nil {
		return 0, fmt.Errorf("find briefing %q: %w", slug, err)
	}
	return id, nil
}

// Briefing returns the published briefing with the slug, the guild's own
// before a global one, with its facts, actors, events, corrections and
// topics. Returns ENOTFOUND.
func (db *DB) Briefing(ctx context.Context, guildID, slug string) (*briefings.Briefing, error) {
	return db.BriefingWithStatus(ctx, guildID, slug, briefings.StatusPublished)
}

// BriefingWithStatus is Briefing for moderators: it finds the briefing among
// the given statuses, or in any status when none are given. Returns
// ENOTFOUND.
func (db *DB) BriefingWithStatus(ctx context.Context, guildID, slug string, statuses ...briefings.Status) (*briefings.Briefing, error) {
	if statuses == nil {
		statuses = []briefings.Status{briefings.StatusDraft, briefings.StatusPublished, briefings.StatusRetracted}
	}
	var out *briefings.Briefing
	err := db.read(ctx, func(tx *sql.Tx) error {
		id, err := briefingID(ctx, tx, guildID, slug, statuses)
		if err != nil {
			return err
		}
		bs, err := loadBriefings(ctx, tx, `WHERE b.id = ?`, id)
		if err != nil {
			return fmt.Errorf("briefing %q: %w", slug, err)
		}
		if len(bs) == 0 {
			return briefings.Errorf(briefings.ENOTFOUND, "No briefing with the slug %q.", slug)
		}
		out = bs[0]
		return nil
	})
	return out, err
}

// Briefings returns the briefings matching q, newest publication first (ties
// by id, newest first), with their details, and how many match in all.
func (db *DB) Briefings(ctx context.Context, q briefings.BriefingQuery) ([]*briefings.Briefing, int, error) {
	where := `WHERE ` + visible("b") + ` AND b.status IN (` + placeholders(len(statusArgs(q.Statuses))) + `)`
	args := append([]any{q.GuildID}, statusArgs(q.Statuses)...)
	if q.Topic != "" {
		where += ` AND b.id IN (SELECT briefing_id FROM briefing_topics WHERE topic_slug = ?)`
		args = append(args, briefings.Slugify(q.Topic))
	}
	var out []*briefings.Briefing
	var total int
	err := db.read(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM briefings b `+where, args...).Scan(&total); err != nil {
			return fmt.Errorf("count briefings: %w", err)
		}
		page := where + ` ORDER BY b.published DESC, b.id DESC`
		pageArgs := args
		if q.Limit > 0 || q.Offset > 0 {
			limit := q.Limit
			if limit <= 0 {
				limit = -1
			}
			page += ` LIMIT ? OFFSET ?`
			pageArgs = append(append([]any(nil), args...), limit, max(q.Offset, 0))
		}
		var err error
		out, err = loadBriefings(ctx, tx, page, pageArgs...)
		if err != nil {
			return fmt.Errorf("list briefings: %w", err)
		}
		return nil
	})
	return out, total, err
}

// loadBriefings reads the briefings selected by the clause (which follows
// "FROM briefings b") and fills in their details with one query per kind of
// detail.
func loadBriefings(ctx context.Context, q querier, clause string, args ...any) ([]*briefings.Briefing, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+briefingColumns+` FROM briefings b `+clause, args...)
	if err != nil {
		return nil, err
	}
	var bs []*briefings.Briefing
	for rows.Next() {
		b, err := scanBriefing(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		bs = append(bs, b)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(bs) == 0 {
		return nil, nil
	}
	return bs, fillDetails(ctx, q, bs)
}

// eachRow runs scan for every row of the query.
func eachRow(ctx context.Context, q querier, query string, args []any, scan func(rows *sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// fillDetails loads the topics, corrections, actors, events and facts of bs.
// A briefing's actors are those it declares, then those its facts and
// events refer to, so that it reads (and exports) on its own.
func fillDetails(ctx context.Context, q querier, bs []*briefings.Briefing) error {
	byID := map[int64]*briefings.Briefing{}
	ids := make([]int64, len(bs))
	for i, b := range bs {
		byID[b.ID] = b
		ids[i] = b.ID
	}
	list := []any{idList(ids)}
	const in = ` IN (SELECT value FROM json_each(?))`

	// A topic comes back as the display name the briefing's library gives
	// it, so that an export carries display names into the library it is
	// imported into; as its slug when the name would not lead back to the
	// same topic.
	if err := eachRow(ctx, q, `SELECT bt.briefing_id, bt.topic_slug, coalesce(`+topicNameOf("bt.topic_slug", "b.guild_id")+`, bt.topic_slug)
		FROM briefing_topics bt JOIN briefings b ON b.id = bt.briefing_id WHERE bt.briefing_id`+in+`
		ORDER BY bt.briefing_id, bt.position`, list, func(rows *sql.Rows) error {
		var id int64
		var slug, name string
		if err := rows.Scan(&id, &slug, &name); err != nil {
			return err
		}
		if briefings.Slugify(name) != slug {
			name = slug
		}
		byID[id].Topics = append(byID[id].Topics, name)
		return nil
	}); err != nil {
		return fmt.Errorf("load topics: %w", err)
	}

	if err := eachRow(ctx, q, `SELECT briefing_id, date, date_precision, text FROM corrections WHERE briefing_id`+in+`
		ORDER BY briefing_id, position`, list, func(rows *sql.Rows) error {
		var id int64
		var d string
		var p int
		var c briefings.Correction
		if err := rows.Scan(&id, &d, &p, &c.Text); err != nil {
			return err
		}
		var err error
		c.Date, err = parseDate(d, p)
		byID[id].Corrections = append(byID[id].Corrections, c)
		return err
	}); err != nil {
		return fmt.Errorf("load corrections: %w", err)
	}

	actorIDs := map[int64][]int64{}
	var allActors []int64
	if err := eachRow(ctx, q, `SELECT briefing_id, actor_id FROM briefing_actors WHERE briefing_id`+in+`
		ORDER BY briefing_id, position`, list, func(rows *sql.Rows) error {
		var id, aid int64
		if err := rows.Scan(&id, &aid); err != nil {
			return err
		}
		actorIDs[id] = append(actorIDs[id], aid)
		allActors = append(allActors, aid)
		return nil
	}); err != nil {
		return fmt.Errorf("load briefing actors: %w", err)
	}

	eventIDs := map[int64][]int64{}
	var allEvents []int64
	if err := eachRow(ctx, q, `SELECT briefing_id, event_id FROM briefing_events WHERE briefing_id`+in+`
		ORDER BY briefing_id, position`, list, func(rows *sql.Rows) error {
		var id, eid int64
		if err := rows.Scan(&id, &eid); err != nil {
			return err
		}
		eventIDs[id] = append(eventIDs[id], eid)
		allEvents = append(allEvents, eid)
		return nil
	}); err != nil {
		return fmt.Errorf("load briefing events: %w", err)
	}
	events, err := loadEvents(ctx, q, allEvents)
	if err != nil {
		return err
	}
	// Participants of a briefing's events belong to its actors too.
	for id, eids := range eventIDs {
		for _, eid := range eids {
			if e := events[eid]; e != nil {
				byID[id].Events = append(byID[id].Events, e.Event)
				for _, pid := range e.participantIDs {
					actorIDs[id] = append(actorIDs[id], pid)
					allActors = append(allActors, pid)
				}
			}
		}
	}
	actors, err := loadActors(ctx, q, allActors)
	if err != nil {
		return err
	}
	for id, aids := range actorIDs {
		seen := map[int64]bool{}
		for _, aid := range aids {
			if a := actors[aid]; a != nil && !seen[aid] {
				seen[aid] = true
				byID[id].Actors = append(byID[id].Actors, *a)
			}
		}
	}
	return loadFacts(ctx, q, byID, list)
}

// loadFacts fills in the facts of the briefings, with their actors' and
// event's names.
func loadFacts(ctx context.Context, q querier, byID map[int64]*briefings.Briefing, list []any) error {
	type at struct {
		b *briefings.Briefing
		i int
	}
	facts := map[int64]at{}
	if err := eachRow(ctx, q, `SELECT f.briefing_id, f.id, f.text, f.attribution, f.as_of, f.as_of_precision,
			coalesce(e.name, '')
		FROM facts f LEFT JOIN events e ON e.id = f.event_id
		WHERE f.briefing_id IN (SELECT value FROM json_each(?)) ORDER BY f.briefing_id, f.position`, list, func(rows *sql.Rows) error {
		var id int64
		var f briefings.Fact
		var asOf string
		var asOfP int
		if err := rows.Scan(&id, &f.ID, &f.Text, &f.Attribution, &asOf, &asOfP, &f.Event); err != nil {
			return err
		}
		var err error
		f.AsOf, err = parseDate(asOf, asOfP)
		b := byID[id]
		b.Facts = append(b.Facts, f)
		facts[f.ID] = at{b, len(b.Facts) - 1}
		return err
	}); err != nil {
		return fmt.Errorf("load facts: %w", err)
	}
	if err := eachRow(ctx, q, `SELECT fa.fact_id, a.name FROM fact_actors fa JOIN actors a ON a.id = fa.actor_id
		JOIN facts f ON f.id = fa.fact_id
		WHERE f.briefing_id IN (SELECT value FROM json_each(?)) ORDER BY fa.fact_id, fa.position`, list, func(rows *sql.Rows) error {
		var fid int64
		var name string
		if err := rows.Scan(&fid, &name); err != nil {
			return err
		}
		if p, ok := facts[fid]; ok {
			p.b.Facts[p.i].Actors = append(p.b.Facts[p.i].Actors, name)
		}
		return nil
	}); err != nil {
		return fmt.Errorf("load fact actors: %w", err)
	}
	return nil
}

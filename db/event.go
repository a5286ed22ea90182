package db

import (
	"context"
	"database/sql"
	"fmt"
	"math"

	"briefbot/briefings"
)

// eventRow is an event with the ids of its participants.
type eventRow struct {
	briefings.Event
	participantIDs []int64
}

// loadEvents reads the events with the ids, with their participants'
// names, in one statement.
func loadEvents(ctx context.Context, q querier, ids []int64) (map[int64]*eventRow, error) {
	out := map[int64]*eventRow{}
	if len(ids) == 0 {
		return out, nil
	}
	if err := eachRow(ctx, q, `SELECT e.id, e.guild_id, e.name, e.date, e.date_precision, e.end_date, e.end_precision,
			e.location, e.description,
			(SELECT json_group_array(ep.actor_id ORDER BY ep.position) FROM event_participants ep WHERE ep.event_id = e.id),
			(SELECT json_group_array(a.name ORDER BY ep.position)
				FROM event_participants ep CROSS JOIN actors a ON a.id = ep.actor_id WHERE ep.event_id = e.id)
		FROM events e WHERE e.id IN (SELECT value FROM json_each(?))`, []any{idList(ids)}, func(rows *sql.Rows) error {
		e := &eventRow{}
		var date, end string
		var dateP, endP int
		var ids, names []byte
		if err := rows.Scan(&e.ID, &e.GuildID, &e.Name, &date, &dateP, &end, &endP, &e.Location, &e.Description, &ids, &names); err != nil {
			return err
		}
		var err error
		if e.Date, err = parseDate(date, dateP); err != nil {
			return err
		}
		if e.End, err = parseDate(end, endP); err != nil {
			return err
		}
		if err := jsonList(ids, &e.participantIDs); err != nil {
			return fmt.Errorf("participants of event %d: %w", e.ID, err)
		}
		if err := jsonList(names, &e.Participants); err != nil {
			return fmt.Errorf("participants of event %d: %w", e.ID, err)
		}
		out[e.ID] = e
		return nil
	}); err != nil {
		return nil, fmt.Errorf("load events: %w", err)
	}
	return out, nil
}

// Event returns the event whose name equals name, ignoring case and
// accents, among those a published briefing visible to the guild mentions;
// the guild's own event wins over a global one. Returns ENOTFOUND.
func (db *DB) Event(ctx context.Context, guildID, name string) (*briefings.Event, error) {
	return db.event(ctx, guildID, name, members)
}

// EventToCurate is Event for moderators: any event of the guild's library
// or the global one, whatever mentions it (drafts too). Returns ENOTFOUND.
func (db *DB) EventToCurate(ctx context.Context, guildID, name string) (*briefings.Event, error) {
	return db.event(ctx, guildID, name, curators)
}

func (db *DB) event(ctx context.Context, guildID, name string, s scope) (*briefings.Event, error) {
	var out *briefings.Event
	err := db.lookup(ctx, func(tx querier) error {
		ids, err := queryIDs(ctx, tx, `SELECT e.id FROM events e WHERE e.name_folded = ?1 AND e.guild_id IN (?2, '')`+
			s.visibleTo(eventVisible("e.id", "?2"))+` ORDER BY e.guild_id = ?2 DESC LIMIT 1`, briefings.Fold(name), guildID)
		if err != nil {
			return fmt.Errorf("event %q: %w", name, err)
		}
		if len(ids) == 0 {
			return briefings.Errorf(briefings.ENOTFOUND, "No event named %q.", briefings.Truncate(name, 100))
		}
		events, err := loadEvents(ctx, tx, ids)
		if err != nil {
			return fmt.Errorf("event %q: %w", name, err)
		}
		// Outside a transaction the event can go (a discarded draft takes
		// its own events) between the lookup and the load.
		if events[ids[0]] == nil {
			return briefings.Errorf(briefings.ENOTFOUND, "No event named %q.", briefings.Truncate(name, 100))
		}
		out = &events[ids[0]].Event
		return nil
	})
	return out, err
}

// FindEvents returns the events whose name contains text, ignoring case and
// accents, best first: prefix matches, then word matches, then inner ones,
// shorter names first. Empty text lists the latest events. Only events a
// published briefing visible to the guild mentions are found.
func (db *DB) FindEvents(ctx context.Context, guildID, text string, limit int) ([]briefings.Event, error) {
	return db.findEvents(ctx, guildID, text, limit, members)
}

func (db *DB) findEvents(ctx context.Context, guildID, text string, limit int, s scope) ([]briefings.Event, error) {
	if limit <= 0 {
		limit = defaultFindLimit
	}
	folded := briefings.Fold(text)
	visible := s.visibleTo(eventVisible("e.id", "?2"))
	query := `SELECT e.id FROM events e WHERE e.guild_id IN (?2, '') AND ` + db.contains("e.name_folded", "?1") + visible + `
		ORDER BY ` + matchRank("e.name_folded") + `, e.guild_id = ?2 DESC, e.id LIMIT ?3`
	if folded == "" {
		query = `SELECT e.id FROM events e WHERE e.guild_id IN (?2, '') AND ?1 = ''` + visible + `
			ORDER BY e.date DESC, e.guild_id = ?2 DESC, e.id DESC LIMIT ?3`
	}
	var out []briefings.Event
	err := db.lookup(ctx, func(tx querier) error {
		ids, err := queryIDs(ctx, tx, query, folded, guildID, 2*limit+5)
		if err != nil {
			return fmt.Errorf("find events %q: %w", text, err)
		}
		events, err := loadEvents(ctx, tx, ids)
		if err != nil {
			return fmt.Errorf("find events %q: %w", text, err)
		}
		seen := map[string]bool{}
		for _, id := range ids {
			e := events[id]
			if e == nil || seen[briefings.Fold(e.Name)] {
				continue
			}
			seen[briefings.Fold(e.Name)] = true
			out = append(out, e.Event)
			if len(out) == limit {
				break
			}
		}
		return nil
	})
	return out, err
}

// topicDrivenEvents is the most briefings a topic may have for Events to
// start from the topic's briefings rather than walk events in date order.
const topicDrivenEvents = 3000

// eventsQuery builds the query of the ids of the events matching q, in date
// order. Its arguments are the guild, topic slug, actor, from, to and limit.
// The plan is chosen here rather than left to SQLite, which has no
// statistics and may otherwise try every event against every briefing of a
// topic:
//   - with an actor, its few events drive the query;
//   - with a topic of few briefings, the events those briefings mention do;
//   - otherwise events are walked in date order until the limit, each
//     checked for a published mention (on the topic) through its own index.
func eventsQuery(ctx context.Context, tx querier, q briefings.EventQuery) (string, error) {
	onTopic := ``
	walk := q.ActorID == 0
	if q.Topic != "" {
		onTopic = ` AND EXISTS (SELECT 1 FROM briefing_topics bt WHERE bt.briefing_id = be.briefing_id AND bt.topic_slug = ?2)`
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM briefing_topics WHERE topic_slug = ?`,
			briefings.Slugify(q.Topic)).Scan(&n); err != nil {
			return "", fmt.Errorf("count topic briefings: %w", err)
		}
		walk = walk && n > topicDrivenEvents
	}
	query := `SELECT e.id FROM events e INDEXED BY events_date WHERE +e.guild_id IN (?1, '')`
	if !walk {
		query = `SELECT e.id FROM events e WHERE +e.guild_id IN (?1, '')`
	}
	query += ` AND EXISTS (SELECT 1 FROM briefing_events be
		WHERE be.event_id = e.id AND be.status = 'published' AND be.guild_id IN (?1, '')` + onTopic + `)`
	switch {
	case q.ActorID != 0:
		query += ` AND e.id IN (SELECT event_id FROM event_participants WHERE actor_id = ?3)`
	case q.Topic != "" && !walk:
		query += ` AND e.id IN (SELECT be.event_id FROM briefing_topics bt CROSS JOIN briefing_events be
			ON be.briefing_id = bt.briefing_id WHERE bt.topic_slug = ?2)`
	}
	if !q.From.IsZero() {
		query += ` AND e.date >= ?4`
	}
	if !q.To.IsZero() {
		query += ` AND e.date < ?5`
	}
	query += ` ORDER BY e.date, e.date_precision, e.id`
	if q.Limit > 0 {
		query += ` LIMIT ?6`
	}
	return query, nil
}

// Events returns the events matching q that published briefings visible to
// the guild mention, in date order, each with the newest of those briefings
// (at most q.BriefingsPerEvent) and how many there are.
func (db *DB) Events(ctx context.Context, q briefings.EventQuery) ([]briefings.EventRef, error) {
	var out []briefings.EventRef
	err := db.lookup(ctx, func(tx querier) error {
		ids, err := eventIDs(ctx, tx, q)
		if err != nil {
			return err
		}
		events, err := loadEvents(ctx, tx, ids)
		if err != nil {
			return err
		}
		refs, counts, err := eventMentions(ctx, tx, db.pg, q.GuildID, ids, q.BriefingsPerEvent, q.CountBriefings)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if e := events[id]; e != nil {
				out = append(out, briefings.EventRef{Event: e.Event, Briefings: refs[id], BriefingCount: counts[id]})
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	return out, nil
}

// CountEvents returns how many dated events match q, counting at most
// q.Limit of them when it is set. It reads only the events' IDs.
func (db *DB) CountEvents(ctx context.Context, q briefings.EventQuery) (int, error) {
	var n int
	err := db.lookup(ctx, func(tx querier) error {
		if q.Topic != "" {
			var err error
			n, err = countTopicEvents(ctx, tx, q)
			return err
		}
		ids, err := eventIDs(ctx, tx, q)
		n = len(ids)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("count events: %w", err)
	}
	return n, nil
}

// countTopicEvents counts the events matching q, which has a topic, from
// the topic's briefings: the distinct events they mention, up to q.Limit.
// Counting needs no date order, and walking every event in date order to
// test each against the topic (as listing a large topic does, see
// eventsQuery) reads every mention of the events that are not on it.
//
// PostgreSQL cannot stop the DISTINCT at the limit and joins every mention
// of the topic's briefings (about 50 to 90 ms for a topic of 22,519
// briefings at 100k, load 24). Walking the events instead, each tested for
// one mention on the topic, stops at the limit for such a topic (about 30
// ms) but reads every mention of every event when fewer events than the
// limit are on the topic: 1.1 to 2.0 s for the topics of 751 to 1,790
// briefings. The same statement serves both backends.
func countTopicEvents(ctx context.Context, tx querier, q briefings.EventQuery) (int, error) {
	from, _ := dateValue(q.From)
	to, _ := dateValue(q.To)
	query := `SELECT count(*) FROM (SELECT DISTINCT be.event_id FROM briefing_topics bt
		CROSS JOIN briefing_events be ON be.briefing_id = bt.briefing_id
		CROSS JOIN events e ON e.id = be.event_id
		WHERE bt.topic_slug = ?2 AND be.status = 'published' AND be.guild_id IN (?1, '') AND +e.guild_id IN (?1, '')`
	if q.ActorID != 0 {
		query += ` AND e.id IN (SELECT event_id FROM event_participants WHERE actor_id = ?3)`
	}
	if !q.From.IsZero() {
		query += ` AND e.date >= ?4`
	}
	if !q.To.IsZero() {
		query += ` AND e.date < ?5`
	}
	limit := q.Limit
	if limit <= 0 {
		limit = -1
	}
	query += ` LIMIT ?6) AS on_topic`
	var n int
	if err := tx.QueryRowContext(ctx, query, q.GuildID, briefings.Slugify(q.Topic), q.ActorID, from, to, limit).Scan(&n); err != nil {
		return 0, fmt.Errorf("count events on topic %q: %w", q.Topic, err)
	}
	return n, nil
}

// eventIDs returns the IDs of the dated events matching q, in date order.
func eventIDs(ctx context.Context, tx querier, q briefings.EventQuery) ([]int64, error) {
	query, err := eventsQuery(ctx, tx, q)
	if err != nil {
		return nil, err
	}
	return queryIDs(ctx, tx, query, eventsArgs(q)...)
}

// eventsArgs are the arguments of eventsQuery's query for q.
func eventsArgs(q briefings.EventQuery) []any {
	from, _ := dateValue(q.From)
	to, _ := dateValue(q.To)
	return []any{q.GuildID, briefings.Slugify(q.Topic), q.ActorID, from, to, q.Limit}
}

// eventMentions returns, for each event, the newest published briefings
// visible to the guild that mention it (at most perEvent; 0 means all, a
// negative value none) and, with count, how many mention it in all. Both
// read the index of mentions by event, status and date (migration 7): the
// newest come off the front of each event's range, and the count reads the
// range without touching a briefing.
func eventMentions(ctx context.Context, tx querier, pg bool, guildID string, ids []int64, perEvent int, count bool) (map[int64][]briefings.BriefingRef, map[int64]int, error) {
	refs := map[int64][]briefings.BriefingRef{}
	counts := map[int64]int{}
	if len(ids) == 0 || (perEvent < 0 && !count) {
		return refs, counts, nil
	}
	list := idList(ids)
	var err error
	if count {
		err = eachRow(ctx, tx, `SELECT ids.value, (SELECT count(*) FROM briefing_events be
			WHERE be.event_id = ids.value AND be.status = 'published' AND be.guild_id IN (?2, ''))
		FROM json_each(?1) ids`, []any{list, guildID}, func(rows *sql.Rows) error {
			var eid int64
			var n int
			if err := rows.Scan(&eid, &n); err != nil {
				return err
			}
			counts[eid] = n
			return nil
		})
		if err != nil {
			return nil, nil, fmt.Errorf("count event mentions: %w", err)
		}
	}
	if perEvent < 0 {
		return refs, counts, nil
	}
	if perEvent == 0 {
		perEvent = math.MaxInt32
	}
	query := `SELECT be.event_id, ` + refColumns + `
		FROM json_each(?1) ids CROSS JOIN briefing_events be ON be.rowid IN (
			SELECT m.rowid FROM briefing_events m
			WHERE m.event_id = ids.value AND m.status = 'published' AND m.guild_id IN (?2, '')
			ORDER BY m.published DESC, m.briefing_id DESC LIMIT ?3)
		CROSS JOIN briefings b INDEXED BY briefing_refs ON b.id = be.briefing_id
		ORDER BY be.event_id, be.published DESC, be.briefing_id DESC`
	if pg {
		// PostgreSQL runs the IN (… LIMIT) above as a nested loop that
		// reads the subquery again for every mention of every event,
		// over a minute at 100k briefings; a lateral join reads each
		// event's newest mentions once, off the same index.
		query = `SELECT be.event_id, ` + refColumns + `
		FROM json_each(?1) ids, LATERAL (
			SELECT m.event_id, m.briefing_id, m.published FROM briefing_events m
			WHERE m.event_id = ids.value AND m.status = 'published' AND m.guild_id IN (?2, '')
			ORDER BY m.published DESC, m.briefing_id DESC LIMIT ?3) be
		CROSS JOIN briefings b ON b.id = be.briefing_id
		ORDER BY be.event_id, be.published DESC, be.briefing_id DESC`
	}
	err = eachRow(ctx, tx, query, []any{list, guildID, perEvent}, func(rows *sql.Rows) error {
		var eid int64
		r, err := scanRefAfter(rows, &eid)
		if err != nil {
			return err
		}
		refs[eid] = append(refs[eid], r)
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("event mentions: %w", err)
	}
	return refs, counts, nil
}

// EventTopics returns, for each event, the topics of the newest published
// briefings visible to the guild that mention it (at most perEvent of
// them), the topic most of those briefings carry first. It reads each
// event's newest mentions off the index of mentions by event, so an event
// mentioned tens of thousands of times costs no more than a rare one.
func (db *DB) EventTopics(ctx context.Context, guildID string, eventIDs []int64, perEvent int) (map[int64][]briefings.Topic, error) {
	out := map[int64][]briefings.Topic{}
	if len(eventIDs) == 0 || perEvent <= 0 {
		return out, nil
	}
	query := `SELECT be.event_id, bt.topic_slug, ` + topicNameOf("bt.topic_slug", "?2") + `, count(*) n, max(be.published) latest
			FROM json_each(?1) ids CROSS JOIN briefing_events be ON be.rowid IN (
				SELECT m.rowid FROM briefing_events m
				WHERE m.event_id = ids.value AND m.status = 'published' AND m.guild_id IN (?2, '')
				ORDER BY m.published DESC, m.briefing_id DESC LIMIT ?3)
			CROSS JOIN briefing_topics bt ON bt.briefing_id = be.briefing_id
			GROUP BY be.event_id, bt.topic_slug
			ORDER BY be.event_id, n DESC, latest DESC, bt.topic_slug`
	if db.pg {
		// As in eventMentions: PostgreSQL runs the IN (… LIMIT) as a
		// nested loop over every mention of every event (13 to 22 s for
		// the 40 events of /timeline at 10k briefings); a lateral join
		// reads each event's newest mentions once. The topics' names
		// are read once each, not once per event and topic as
		// topicNameOf does (12 of 23 ms for /timeline at 100k).
		query = `SELECT g.event_id, g.topic_slug, names.name, g.n, g.latest FROM (
				SELECT be.event_id, bt.topic_slug, count(*) n, max(be.published) latest
				FROM json_each(?1) ids, LATERAL (
					SELECT m.event_id, m.briefing_id, m.published FROM briefing_events m
					WHERE m.event_id = ids.value AND m.status = 'published' AND m.guild_id IN (?2, '')
					ORDER BY m.published DESC, m.briefing_id DESC LIMIT ?3) be
				JOIN briefing_topics bt ON bt.briefing_id = be.briefing_id
				GROUP BY be.event_id, bt.topic_slug) g
			LEFT JOIN (SELECT DISTINCT ON (o.slug) o.slug, o.name FROM topics o WHERE o.guild_id IN (?2, '')
				ORDER BY o.slug, o.guild_id DESC) names ON names.slug = g.topic_slug
			ORDER BY g.event_id, g.n DESC, g.latest DESC, g.topic_slug`
	}
	err := db.lookup(ctx, func(tx querier) error {
		return eachRow(ctx, tx, query, []any{idList(eventIDs), guildID, perEvent}, func(rows *sql.Rows) error {
			var eid int64
			var slug string
			var name sql.NullString
			var n int
			var latest string
			if err := rows.Scan(&eid, &slug, &name, &n, &latest); err != nil {
				return err
			}
			t := briefings.Topic{Slug: slug, Name: name.String}
			if !name.Valid {
				t.Name = slug
			}
			out[eid] = append(out[eid], t)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("topics of %d events: %w", len(eventIDs), err)
	}
	return out, nil
}

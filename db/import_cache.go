package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"briefbot/briefings"
)

// A batch of briefings names the same actors and events over and over (an
// import of 500 briefings looks up a few hundred names some 7,000 times), so
// the saver remembers what it found for the length of its transaction. The
// saver is the only writer of actors, actor_names, events and
// event_participants in that transaction and updates what it remembers with
// every write, so a remembered row is the row in the database.
//
// Statements the saver runs for every briefing write a comparison with an
// argument as "= +?" where SQLite would otherwise prepare them again on
// every run. SQLite (3.54, as go-sqlite3 ships it) marks a statement to be
// prepared again when an argument changes if its query planner looked at
// that argument's value while choosing a plan, which it does for "col = ?"
// in many joins, aggregates and ORDER BY … LIMIT queries; go-sqlite3 clears
// a statement's arguments before every run, which counts as a change. An
// import of 5,000 briefings prepared statements again 4,600 times. The
// unary + keeps the value out of the planner's view and changes nothing
// else (the plans stay the same); PostgreSQL's rewrite drops it (rebind).

// savedActor is an actor of the saver's library as stored.
type savedActor struct {
	id                      int64
	name, kind, description string
}

// savedEvent is an event of the saver's library as stored, with the actors
// taking part in it.
type savedEvent struct {
	id                    int64
	date, end             string
	datePrec, endPrec     int
	location, description string
	participants          map[int64]bool
}

// lookups holds what the saver has read about names in its transaction.
type lookups struct {
	// actors maps a folded name to the actor of the saver's library that
	// bears it; nil when the library has none.
	actors map[string]*savedActor
	// actorsByID holds the same rows by id.
	actorsByID map[int64]*savedActor
	// events maps a folded name to the event of the saver's library; nil
	// when the library has none.
	events map[string]*savedEvent
	// globalActors and globalEvents are the ids of the global library's
	// actors and events by folded name (0 for none), consulted by a guild's
	// saver for names its own library lacks; the saver never writes them.
	globalActors, globalEvents map[string]int64
	// folded maps names to briefings.Fold of them.
	folded map[string]string
	// topics holds, by slug, the topics the saver has looked up or
	// written: an import names the same few topics in most briefings,
	// and looking each up twice and writing it again took a tenth of the
	// time.
	topics map[string]*seenTopic
}

// seenTopic is a topic slug as the saver knows it in its library.
type seenTopic struct {
	// owner is the library whose topic the slug names, its own or the
	// global one (""); nil when there is none.
	owner *string
	// wrote says the saver wrote the topic, with the name.
	wrote bool
	name  string
}

// topic returns what the saver knows of the topic slug, nil when it has
// not looked it up.
func (s *saver) topic(slug string) *seenTopic { return s.seen.topics[slug] }

// rememberTopic records the library that owns the topic slug.
func (s *saver) rememberTopic(slug string, owner *string) *seenTopic {
	if s.seen.topics == nil {
		s.seen.topics = map[string]*seenTopic{}
	}
	t := s.seen.topics[slug]
	if t == nil {
		t = &seenTopic{}
		s.seen.topics[slug] = t
	}
	t.owner = owner
	return t
}

// scopeActor returns the actor of the saver's own library with a name or
// alias folding to folded, nil when there is none.
func (s *saver) scopeActor(ctx context.Context, folded string) (*savedActor, error) {
	if r, ok := s.seen.actors[folded]; ok {
		return r, nil
	}
	r := &savedActor{}
	err := s.QueryRowContext(ctx, `SELECT a.id, a.name, a.kind, a.description FROM actor_names n
		JOIN actors a ON a.id = n.actor_id WHERE n.guild_id = +? AND n.folded = +?`,
		s.guildID, folded).Scan(&r.id, &r.name, &r.kind, &r.description)
	if errors.Is(err, sql.ErrNoRows) {
		r = nil
	} else if err != nil {
		return nil, fmt.Errorf("find actor: %w", err)
	}
	if r != nil {
		// Two names of one actor share its row, so that an update of the
		// actor is seen through either.
		if known, ok := s.seen.actorsByID[r.id]; ok {
			r = known
		}
	}
	s.rememberActor(folded, r)
	return r, nil
}

// rememberActor records that folded names r (nil: no actor).
func (s *saver) rememberActor(folded string, r *savedActor) {
	if s.seen.actors == nil {
		s.seen.actors, s.seen.actorsByID = map[string]*savedActor{}, map[int64]*savedActor{}
	}
	s.seen.actors[folded] = r
	if r != nil {
		s.seen.actorsByID[r.id] = r
	}
}

// actorID finds the actor a folded name refers to in the saver's library
// or, failing that, the global one; 0 when there is none. It answers as
// lookupActorID does.
func (s *saver) actorID(ctx context.Context, folded string) (int64, error) {
	r, err := s.scopeActor(ctx, folded)
	if err != nil || r != nil {
		if r == nil {
			return 0, err
		}
		return r.id, nil
	}
	return s.globalID(ctx, &s.seen.globalActors, folded, lookupActorID)
}

// scopeEvent returns the event of the saver's own library whose name
// folds to folded, nil when there is none.
func (s *saver) scopeEvent(ctx context.Context, folded string) (*savedEvent, error) {
	if r, ok := s.seen.events[folded]; ok {
		return r, nil
	}
	r := &savedEvent{}
	err := s.QueryRowContext(ctx, `SELECT id, date, date_precision, end_date, end_precision, location, description
		FROM events WHERE guild_id = ? AND name_folded = ?`, s.guildID, folded).Scan(
		&r.id, &r.date, &r.datePrec, &r.end, &r.endPrec, &r.location, &r.description)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		r = nil
	case err != nil:
		return nil, fmt.Errorf("find event: %w", err)
	default:
		if r.participants, err = s.participants(ctx, r.id); err != nil {
			return nil, err
		}
	}
	if s.seen.events == nil {
		s.seen.events = map[string]*savedEvent{}
	}
	s.seen.events[folded] = r
	return r, nil
}

// participants returns the actors taking part in the event.
func (s *saver) participants(ctx context.Context, eventID int64) (map[int64]bool, error) {
	st, err := s.stmt(ctx, `SELECT actor_id FROM event_participants WHERE event_id = ?`)
	if err != nil {
		return nil, fmt.Errorf("find event participants: %w", err)
	}
	rows, err := st.QueryContext(ctx, eventID)
	if err != nil {
		return nil, fmt.Errorf("find event participants: %w", err)
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("find event participants: %w", err)
		}
		out[id] = true
	}
	return out, rows.Err()
}

// eventID finds the event a folded name refers to in the saver's library
// or, failing that, the global one; 0 when there is none. It answers as
// lookupEventID does.
func (s *saver) eventID(ctx context.Context, folded string) (int64, error) {
	r, err := s.scopeEvent(ctx, folded)
	if err != nil {
		return 0, err
	}
	if r != nil {
		return r.id, nil
	}
	return s.globalID(ctx, &s.seen.globalEvents, folded, lookupEventID)
}

// globalID returns the id lookup finds for a folded name in the global
// library (0 for none) when the saver writes a guild's library, once per
// batch, remembered in *seen; a global save has no library behind its own.
func (s *saver) globalID(ctx context.Context, seen *map[string]int64, folded string,
	lookup func(context.Context, querier, string, string) (int64, error)) (int64, error) {
	if s.guildID == "" {
		return 0, nil
	}
	if id, ok := (*seen)[folded]; ok {
		return id, nil
	}
	id, err := lookup(ctx, s, "", folded)
	if err != nil {
		return 0, err
	}
	if *seen == nil {
		*seen = map[string]int64{}
	}
	(*seen)[folded] = id
	return id, nil
}

// fold is briefings.Fold, remembered: a batch folds the same few hundred
// names thousands of times.
func (s *saver) fold(name string) string {
	if f, ok := s.seen.folded[name]; ok {
		return f
	}
	f := briefings.Fold(name)
	if s.seen.folded == nil {
		s.seen.folded = map[string]string{}
	}
	s.seen.folded[name] = f
	return f
}

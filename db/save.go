package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"briefbot/briefings"
)

// SaveBriefings validates and saves bs into guildID's library ("" for the
// global one) in one transaction. Every briefing is checked against
// briefings.Validate and the rules that need the library: the actors of
// facts and event participants, and the event of each fact, must be declared
// in the briefing or already be in the library, and slugs may not repeat in
// the batch. When any briefing fails, nothing is written and the error is a
// *briefings.BatchError listing every failure. A briefing whose slug exists
// becomes a new version, or is left alone when nothing changed.
func (db *DB) SaveBriefings(ctx context.Context, guildID string, bs []*briefings.Briefing, by string) ([]briefings.SaveOutcome, error) {
	return db.saveBatch(ctx, guildID, unchecked(bs), by, false)
}

// added is a briefing given to a save; checked says that it came as a
// briefings.Checked, which briefings.Validate passed (see saver.validate).
type added struct {
	b       *briefings.Briefing
	checked bool
	// n and snap are b normalized and its snapshot, when a staged import
	// has prepared them (import_prepare.go).
	n    *briefings.Briefing
	snap string
}

// unchecked returns bs as briefings to validate.
func unchecked(bs []*briefings.Briefing) []added {
	out := make([]added, len(bs))
	for i, b := range bs {
		out[i] = added{b: b}
	}
	return out
}

// saveBatch saves bs all or nothing in one transaction, as SaveBriefings
// documents; with audit it also records an import entry in the audit log
// for each briefing it creates or changes.
func (db *DB) saveBatch(ctx context.Context, guildID string, bs []added, by string, audit bool) ([]briefings.SaveOutcome, error) {
	_, at := db.now()
	conn, restore, err := db.batchConn(ctx)
	if err != nil {
		return nil, busy(err, "save briefings")
	}
	defer restore()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return nil, busy(err, "save briefings: begin")
	}
	defer tx.Rollback()
	if err := checkNoImport(ctx, tx, db.Now()); err != nil {
		return nil, err
	}

	s := &saver{pg: db.pg, tx: tx, guildID: guildID, by: by, at: at, batch: &queued{}}
	if err := s.deferForeignKeys(ctx); err != nil {
		return nil, err
	}
	type audited struct{ slug, before string }
	var audits []audited
	var batch briefings.BatchError
	outcomes := make([]briefings.SaveOutcome, 0, len(bs))
	slugs := map[string]int{}
	for i, a := range bs {
		b := a.b
		if b == nil {
			batch.Items = append(batch.Items, briefings.ItemError{Index: i, Fields: []briefings.FieldError{{Field: "briefing", Message: "is empty"}}})
			continue
		}
		n := normalize(b, guildID)
		name := n.Slug
		if name == "" {
			name = briefings.Truncate(n.Title, 60)
		}
		if prev, ok := slugs[n.Slug]; ok && n.Slug != "" {
			fields := []briefings.FieldError{{Field: "slug",
				Message: fmt.Sprintf("%q is also the slug of briefing %d in this batch; give each briefing its own slug", n.Slug, prev+1)}}
			if !a.checked {
				if verr := briefings.Validate(n); verr != nil {
					fields = append(fields, verr.Fields...)
				}
			}
			batch.Items = append(batch.Items, briefings.ItemError{Index: i, Slug: name, Fields: fields})
			continue
		}
		slugs[n.Slug] = i
		var before string
		if audit {
			if before, err = s.snapshotOf(ctx, n.Slug); err != nil {
				return nil, err
			}
		}
		// Later briefings are still written (and rolled back) after a
		// failure, so that their references to earlier ones check correctly.
		fields, out, err := s.one(ctx, n, a.checked)
		if err != nil {
			return nil, err
		}
		if len(fields) > 0 {
			batch.Items = append(batch.Items, briefings.ItemError{Index: i, Slug: name, Fields: fields})
			continue
		}
		outcomes = append(outcomes, out)
		if audit && out.Action != "unchanged" {
			audits = append(audits, audited{n.Slug, before})
		}
	}
	if len(batch.Items) > 0 {
		return nil, &batch
	}
	if err := s.flush(ctx); err != nil {
		return nil, err
	}
	for _, a := range audits {
		if err := s.audit(ctx, briefings.AuditImport, a.slug, a.before, ""); err != nil {
			return nil, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, busy(conflict(err, "save briefings: commit"), "save briefings")
	}
	return outcomes, nil
}

// saver holds what every write of one SaveBriefings call shares.
type saver struct {
	// pg is set on PostgreSQL.
	pg      bool
	tx      *sql.Tx
	guildID string
	by, at  string
	// stmts are the statements prepared so far in tx, by query text.
	stmts map[string]*sql.Stmt
	// seen is what the saver has read about actors and events in tx.
	seen lookups
	// batch, when set, queues the rows of new briefings and of facts for
	// flush to write together.
	batch *queued
	// factsDeleted says that facts were deleted since the saver last read
	// the largest fact id.
	factsDeleted bool
	// looks are the skeletons of the library's names and slugs, read on
	// first use (confusable.go).
	looks *lookalikes
	// staging, when set, is the guild_id of the briefing and mention rows
	// the saver writes instead of guildID: a staged import's hidden
	// library (see import_stage.go).
	staging string
	// undo, when set, records the saver's changes to the library's
	// actors, events and topics, so that a staged import can be undone.
	undo *undoLog
	// auditCreated, set by a staged import, makes save record an import
	// entry in the audit log for each briefing it creates, with the
	// snapshot it has just taken, as audit would read it back.
	auditCreated bool
	// prepared is a briefing a staged import has just found the library
	// does not have, and its snapshot if it took it beforehand, which save
	// uses instead of looking the briefing up and taking it again.
	prepared added
}

// rowGuild is the guild_id of the briefing rows the saver writes.
func (s *saver) rowGuild() string {
	if s.staging != "" {
		return s.staging
	}
	return s.guildID
}

// stmt returns the statement for query, prepared once per transaction: an
// import runs the same few dozen statements for every briefing, and
// preparing each once instead of every time doubles its throughput. The
// transaction closes them when it ends.
func (s *saver) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := s.stmts[query]; ok {
		return st, nil
	}
	st, err := s.tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if s.stmts == nil {
		s.stmts = map[string]*sql.Stmt{}
	}
	s.stmts[query] = st
	return st, nil
}

// ExecContext runs a statement of the save in its transaction.
func (s *saver) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := s.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

// QueryRowContext runs a query of the save in its transaction.
func (s *saver) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := s.stmt(ctx, query)
	if err != nil {
		// the transaction reports the same error through the row
		return s.tx.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// QueryContext runs query in the saver's transaction through its prepared
// statement.
func (s *saver) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := s.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// check applies the rules that need the library and returns their failures.
func (s *saver) check(ctx context.Context, b *briefings.Briefing) ([]briefings.FieldError, error) {
	var errs []briefings.FieldError
	add := func(field, format string, args ...any) {
		errs = append(errs, briefings.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if err := s.checkLookalikes(ctx, b, add); err != nil {
		return nil, err
	}
	declared := map[string]bool{}
	for i, a := range b.Actors {
		f := fmt.Sprintf("actors[%d]", i+1)
		var first int64
		var firstName string
		for j, name := range append([]string{a.Name}, a.Aliases...) {
			field := f + ".name"
			if j > 0 {
				field = fmt.Sprintf("%s.aliases[%d]", f, j)
			}
			folded := s.fold(name)
			declared[folded] = true
			r, err := s.scopeActor(ctx, folded)
			if err != nil {
				return nil, err
			}
			if r == nil {
				continue
			}
			if first == 0 {
				first, firstName = r.id, r.name
			} else if r.id != first {
				add(field, "%q already names %q in the library, a different actor from %q; remove it or use one actor", name, r.name, firstName)
			}
		}
	}
	actorKnown := func(field, name string) error {
		if declared[s.fold(name)] {
			return nil
		}
		id, err := s.actorID(ctx, s.fold(name))
		if err != nil {
			return err
		}
		if id == 0 {
			add(field, "%q is not an actor of this briefing or the library; declare it under actors", name)
		}
		return nil
	}
	events := map[string]bool{}
	for i, e := range b.Events {
		events[s.fold(e.Name)] = true
		for j, p := range e.Participants {
			if err := actorKnown(fmt.Sprintf("events[%d].participants[%d]", i+1, j+1), p); err != nil {
				return nil, err
			}
		}
	}
	for i, ft := range b.Facts {
		for j, a := range ft.Actors {
			if err := actorKnown(fmt.Sprintf("facts[%d].actors[%d]", i+1, j+1), a); err != nil {
				return nil, err
			}
		}
		if ft.Event == "" || events[s.fold(ft.Event)] {
			continue
		}
		id, err := s.eventID(ctx, s.fold(ft.Event))
		if err != nil {
			return nil, err
		}
		if id == 0 {
			add(fmt.Sprintf("facts[%d].event", i+1), "%q is not an event of this briefing or the library; declare it under events", ft.Event)
		}
	}
	return errs, nil
}

// lookupActorID finds the actor a name refers to in the guild's library or,
// failing that, the global one; 0 when there is none.
func lookupActorID(ctx context.Context, q querier, guildID, folded string) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT actor_id FROM actor_names WHERE folded = +? AND guild_id IN (?, '')
		ORDER BY guild_id = ? DESC LIMIT 1`, folded, guildID, guildID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	} else if err != nil {
		return 0, fmt.Errorf("find actor: %w", err)
	}
	return id, nil
}

// lookupEventID finds the event a name refers to in the guild's library or,
// failing that, the global one; 0 when there is none.
func lookupEventID(ctx context.Context, q querier, guildID, folded string) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM events WHERE name_folded = +? AND guild_id IN (?, '')
		ORDER BY guild_id = ? DESC LIMIT 1`, folded, guildID, guildID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	} else if err != nil {
		return 0, fmt.Errorf("find event: %w", err)
	}
	return id, nil
}

// save writes one valid briefing, or nothing when it equals its latest
// version. In a batch, the rows of new briefings and of facts, which
// index text for search, and the rows nothing reads during the save (fact
// actors, topic links, versions) are queued and written by flush (see
// import_write.go); every other row is written as it comes.
func (s *saver) save(ctx context.Context, b *briefings.Briefing) (briefings.SaveOutcome, error) {
	out := briefings.SaveOutcome{Slug: b.Slug, Action: "created", Version: 1}
	snap, err := s.prepared.snap, error(nil)
	if s.prepared.n != b || snap == "" {
		snap, err = snapshot(b)
	}
	if err != nil {
		return out, fmt.Errorf("snapshot: %w", err)
	}
	var id int64
	var version int
	var prev sql.NullString
	// A briefing a staged import prepared is one it has just found the
	// library does not have.
	if err = sql.ErrNoRows; s.prepared.n != b {
		err = s.QueryRowContext(ctx, `SELECT b.id, b.version,
			(SELECT snapshot FROM briefing_versions v WHERE v.briefing_id = b.id ORDER BY v.version DESC LIMIT 1)
		FROM briefings b WHERE b.guild_id = ? AND b.slug = ?`, s.guildID, b.Slug).Scan(&id, &version, &prev)
	}
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return out, fmt.Errorf("find briefing: %w", err)
	case prev.Valid && (prev.String == snap || sameApartFromTopicSpelling(prev.String, snap)):
		return briefings.SaveOutcome{Slug: b.Slug, Action: "unchanged", Version: version}, nil
	default:
		out.Action, out.Version = "updated", version+1
	}

	ents, err := s.entities(ctx, b)
	if err != nil {
		return out, fmt.Errorf("save names: %w", err)
	}
	actorID, events, mentioned := ents.actorID, ents.events, ents.mentioned

	pub, pubP := dateValue(b.Published)
	if id == 0 {
		if id, err = s.insertBriefing(ctx, b); err != nil {
			return out, fmt.Errorf("insert briefing: %w", err)
		}
		s.rememberLookalike("slugs", b.Slug)
	} else {
		if _, err := s.ExecContext(ctx, `UPDATE briefings SET title = ?, summary = ?, body = ?,
			published = ?, published_precision = ?, source_name = ?, source_url = ?, status = ?,
			retraction_reason = ?, version = ?, updated_by = ?, updated_at = ? WHERE id = ?`,
			b.Title, b.Summary, b.Body, pub, pubP, b.Source.Name, b.Source.URL, string(b.Status),
			b.RetractionReason, out.Version, s.by, s.at, id); err != nil {
			return out, fmt.Errorf("update briefing: %w", err)
		}
		for _, table := range []string{"briefing_topics", "corrections", "facts", "briefing_actors", "briefing_events"} {
			if _, err := s.ExecContext(ctx, `DELETE FROM `+table+` WHERE briefing_id = ?`, id); err != nil {
				return out, fmt.Errorf("clear %s: %w", table, err)
			}
		}
		s.factsDeleted = true
	}

	for i, t := range uniqueSlugs(b.Topics) {
		if err := s.insertRow(ctx, rowsBriefingTopics, id, t, i); err != nil {
			return out, fmt.Errorf("save topic %q: %w", t, err)
		}
	}
	for i, c := range b.Corrections {
		d, p := dateValue(c.Date)
		if _, err := s.ExecContext(ctx, `INSERT INTO corrections (briefing_id, position, date, date_precision, text) VALUES (?, ?, ?, ?, ?)`,
			id, i, d, p, c.Text); err != nil {
			return out, fmt.Errorf("save correction %d: %w", i, err)
		}
	}

	var referencedEvents []int64
	for i, ft := range b.Facts {
		var eid sql.NullInt64
		if ft.Event != "" {
			v, ok := events[s.fold(ft.Event)]
			if !ok {
				if v, err = s.eventID(ctx, s.fold(ft.Event)); err != nil {
					return out, fmt.Errorf("find event %q: %w", ft.Event, err)
				}
				referencedEvents = append(referencedEvents, v)
			}
			eid = sql.NullInt64{Int64: v, Valid: v != 0}
		}
		fid, err := s.insertFact(ctx, id, i, ft, eid)
		if err != nil {
			return out, fmt.Errorf("save fact %d: %w", i, err)
		}
		for j, a := range ft.Actors {
			aid, err := actorID(a)
			if err != nil {
				return out, fmt.Errorf("fact %d: find actor %q: %w", i, a, err)
			}
			mentioned = append(mentioned, aid)
			if err := s.insertRow(ctx, rowsFactActors, fid, aid, j); err != nil {
				return out, fmt.Errorf("fact %d: link actor %q: %w", i, a, err)
			}
		}
	}
	m := mention{briefingID: id, guildID: s.rowGuild(), status: string(b.Status), published: pub}
	if err := s.link(ctx, rowsBriefingActors, m, ents.declaredActors, mentioned); err != nil {
		return out, fmt.Errorf("link actors: %w", err)
	}
	if err := s.link(ctx, rowsBriefingEvents, m, ents.declaredEvents, referencedEvents); err != nil {
		return out, fmt.Errorf("link events: %w", err)
	}
	if err := s.recordVersion(ctx, id, out.Version, snap, prev); err != nil {
		return out, fmt.Errorf("record version %d: %w", out.Version, err)
	}
	if s.auditCreated && out.Action == "created" {
		if err := s.insertRow(ctx, rowsAudit, s.at, s.guildID, s.by, string(briefings.AuditImport), "briefing:"+b.Slug, id, "", snap, ""); err != nil {
			return out, fmt.Errorf("audit %s %q: %w", briefings.AuditImport, b.Slug, err)
		}
	}
	return out, nil
}

// declared is what saving a briefing's topics, actors and events gave.
type declared struct {
	// actorID finds the actor a name refers to: one the briefing
	// declares, or one of the library.
	actorID func(name string) (int64, error)
	// events are the ids of the declared events by folded name.
	events                         map[string]int64
	declaredActors, declaredEvents []int64
	// mentioned are the actors taking part in the declared events; save
	// adds those of facts.
	mentioned []int64
}

// entities saves the topics, actors and events the briefing declares into
// the library, merging them into those it has.
func (s *saver) entities(ctx context.Context, b *briefings.Briefing) (*declared, error) {
	for _, t := range b.Topics {
		if err := s.saveTopic(ctx, t); err != nil {
			return nil, err
		}
	}
	d := &declared{events: map[string]int64{}}
	names := map[string]int64{} // folded names of declared actors
	for _, a := range b.Actors {
		aid, err := s.saveActor(ctx, a)
		if err != nil {
			return nil, err
		}
		d.declaredActors = append(d.declaredActors, aid)
		for _, n := range append([]string{a.Name}, a.Aliases...) {
			names[s.fold(n)] = aid
		}
	}
	d.actorID = func(name string) (int64, error) {
		if aid, ok := names[s.fold(name)]; ok {
			return aid, nil
		}
		return s.actorID(ctx, s.fold(name))
	}
	for _, e := range b.Events {
		parts := make([]int64, 0, len(e.Participants))
		for _, p := range e.Participants {
			aid, err := d.actorID(p)
			if err != nil {
				return nil, err
			}
			parts = append(parts, aid)
		}
		d.mentioned = append(d.mentioned, parts...)
		eid, err := s.saveEvent(ctx, e, parts)
		if err != nil {
			return nil, err
		}
		d.declaredEvents = append(d.declaredEvents, eid)
		d.events[s.fold(e.Name)] = eid
	}
	return d, nil
}

// mention is the briefing a mention row belongs to, with the columns its
// mentions copy so that they can be listed newest first from their index
// (migration 7; a trigger keeps them in step with the briefing).
type mention struct {
	briefingID      int64
	guildID, status string
	published       string
}

// link records what a briefing mentions (kind is rowsBriefingActors or
// rowsBriefingEvents): the declared rows first, then the referenced ones it
// did not declare. A batch queues them for flush.
func (s *saver) link(ctx context.Context, kind int, m mention, declared, referenced []int64) error {
	seen := map[int64]bool{}
	pos := 0
	for i, ids := range [][]int64{declared, referenced} {
		for _, rid := range ids {
			if rid == 0 || seen[rid] {
				continue
			}
			seen[rid] = true
			if err := s.insertRow(ctx, kind, m.briefingID, rid, pos, i == 0, m.guildID, m.status, m.published); err != nil {
				return fmt.Errorf("link mentions: %w", err)
			}
			pos++
		}
	}
	return nil
}

// saveActor creates the actor in the saver's library or merges the
// declaration into the existing one: aliases are united in first-seen
// order, and a non-empty kind or description replaces the old one. Only
// what changes is written.
func (s *saver) saveActor(ctx context.Context, a briefings.Actor) (int64, error) {
	all := append([]string{a.Name}, a.Aliases...)
	var r *savedActor
	var changed bool
	for _, n := range all {
		found, err := s.scopeActor(ctx, s.fold(n))
		if err != nil {
			return 0, err
		}
		if found != nil {
			r = found
			break
		}
	}
	kind := string(a.Kind)
	if r == nil {
		res, err := s.ExecContext(ctx, `INSERT INTO actors (guild_id, name, name_folded, kind, description) VALUES (?, ?, ?, ?, ?)`,
			s.guildID, a.Name, s.fold(a.Name), kind, a.Description)
		if err != nil {
			return 0, fmt.Errorf("save actor %q: %w", a.Name, err)
		}
		r = &savedActor{name: a.Name, kind: kind, description: a.Description}
		if r.id, err = res.LastInsertId(); err != nil {
			return 0, err
		}
		s.undo.created("actor", r.id)
		changed = true
	} else if (kind != "" && r.kind != kind) || (a.Description != "" && r.description != a.Description) {
		s.undo.changed("actor", r.id, map[string]any{"kind": r.kind, "description": r.description})
		if _, err := s.ExecContext(ctx, `UPDATE actors SET
			kind = CASE WHEN ?1 <> '' THEN ?1 ELSE kind END,
			description = CASE WHEN ?2 <> '' THEN ?2 ELSE description END
			WHERE id = ?3`, kind, a.Description, r.id); err != nil {
			return 0, fmt.Errorf("save actor %q: %w", a.Name, err)
		}
		if kind != "" {
			r.kind = kind
		}
		if a.Description != "" {
			r.description = a.Description
		}
		changed = true
	}
	for _, n := range all {
		folded := s.fold(n)
		// A name the library has already, for this actor or another,
		// stays as it is.
		if known, err := s.scopeActor(ctx, folded); err != nil {
			return 0, err
		} else if known != nil {
			continue
		}
		res, err := s.ExecContext(ctx, `INSERT INTO actor_names (actor_id, guild_id, name, folded, position)
			VALUES (?, ?, ?, ?, (SELECT coalesce(max(position) + 1, 0) FROM actor_names WHERE actor_id = +?))`,
			r.id, s.guildID, n, folded, r.id)
		if err != nil {
			return 0, fmt.Errorf("save actor %q: %w", a.Name, err)
		}
		if err := s.undo.createdRow("actor_name", res, r.id); err != nil {
			return 0, err
		}
		s.rememberLookalike("actors", n)
		s.rememberActor(folded, r)
		changed = true
	}
	// An actor declared again as it is (the common case in an import)
	// keeps its search row.
	if !changed {
		return r.id, nil
	}
	if err := indexActor(ctx, s, r.id); err != nil {
		return 0, fmt.Errorf("index actor %q: %w", a.Name, err)
	}
	return r.id, nil
}

// indexActor rewrites the search row of the actor with the id: its name,
// aliases and description, or nothing when it no longer exists.
func indexActor(ctx context.Context, q interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}, id int64) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM actors_fts WHERE rowid = ?`, id); err != nil {
		return err
	}
	_, err := q.ExecContext(ctx, `INSERT INTO actors_fts (rowid, name, aliases, description)
		SELECT a.id, a.name, coalesce((SELECT group_concat(n.name, ' ') FROM actor_names n
			WHERE n.actor_id = a.id AND n.position > 0), ''), a.description
		FROM actors a WHERE a.id = ?`, id)
	return err
}

// saveEvent creates the event in the saver's library or merges into the
// existing one: non-empty dates, location and description replace the old
// ones, and participants are united. Only what changes is written:
// rewriting an event would reindex it for search (events_fts_au) every
// time a briefing mentions it.
func (s *saver) saveEvent(ctx context.Context, e briefings.Event, participants []int64) (int64, error) {
	date, dateP := dateValue(e.Date)
	end, endP := dateValue(e.End)
	folded := s.fold(e.Name)
	r, err := s.scopeEvent(ctx, folded)
	if err != nil {
		return 0, fmt.Errorf("save event %q: %w", e.Name, err)
	}
	switch {
	case r == nil:
		res, err := s.ExecContext(ctx, `INSERT INTO events (guild_id, name, name_folded, date, date_precision,
			end_date, end_precision, location, description) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			s.guildID, e.Name, folded, date, dateP, end, endP, e.Location, e.Description)
		if err != nil {
			return 0, fmt.Errorf("save event %q: %w", e.Name, err)
		}
		r = &savedEvent{date: date, datePrec: dateP, end: end, endPrec: endP, location: e.Location,
			description: e.Description, participants: map[int64]bool{}}
		if r.id, err = res.LastInsertId(); err != nil {
			return 0, err
		}
		s.undo.created("event", r.id)
		s.seen.events[folded] = r
	case (date != "" && (r.date != date || r.datePrec != dateP)) || (end != "" && (r.end != end || r.endPrec != endP)) ||
		(e.Location != "" && r.location != e.Location) || (e.Description != "" && r.description != e.Description):
		s.undo.changed("event", r.id, map[string]any{"date": r.date, "date_precision": r.datePrec, "end_date": r.end,
			"end_precision": r.endPrec, "location": r.location, "description": r.description})
		if _, err := s.ExecContext(ctx, `UPDATE events SET
				date = CASE WHEN ?1 <> '' THEN ?1 ELSE date END,
				date_precision = CASE WHEN ?1 <> '' THEN ?2 ELSE date_precision END,
				end_date = CASE WHEN ?3 <> '' THEN ?3 ELSE end_date END,
				end_precision = CASE WHEN ?3 <> '' THEN ?4 ELSE end_precision END,
				location = CASE WHEN ?5 <> '' THEN ?5 ELSE location END,
				description = CASE WHEN ?6 <> '' THEN ?6 ELSE description END
			WHERE id = ?7`, date, dateP, end, endP, e.Location, e.Description, r.id); err != nil {
			return 0, fmt.Errorf("save event %q: %w", e.Name, err)
		}
		if date != "" {
			r.date, r.datePrec = date, dateP
		}
		if end != "" {
			r.end, r.endPrec = end, endP
		}
		if e.Location != "" {
			r.location = e.Location
		}
		if e.Description != "" {
			r.description = e.Description
		}
	}
	for _, aid := range participants {
		if r.participants[aid] {
			continue
		}
		res, err := s.ExecContext(ctx, `INSERT INTO event_participants (event_id, actor_id, position)
			VALUES (?, ?, (SELECT coalesce(max(position) + 1, 0) FROM event_participants WHERE event_id = +?))`,
			r.id, aid, r.id)
		if err != nil {
			return 0, fmt.Errorf("save event %q: participant: %w", e.Name, err)
		}
		if err := s.undo.createdRow("participant", res, r.id); err != nil {
			return 0, err
		}
		r.participants[aid] = true
	}
	return r.id, nil
}

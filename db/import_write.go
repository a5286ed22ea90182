package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"

	"briefbot/briefings"
)

// A batch writes the rows of its new briefings and of all its facts a few
// hundred at a time, after everything else, instead of one statement per
// row. The briefings and facts tables index their text for search through
// FTS5 triggers, and FTS5 writes the terms it has gathered to disk as a new
// index segment whenever a later statement of the transaction opens a
// statement savepoint, which almost every INSERT here does. Written row by
// row, each briefing and each fact became a segment of its own, which FTS5
// then kept merging; written together, a batch's terms go to disk in a few
// large segments.
//
// The queued rows get the ids SQLite would have given them one by one (one
// more than the largest at the time), so the rows that refer to them are
// written in their usual order; foreign keys are checked at commit instead
// of by each statement, and a batch that fails still writes nothing.

// queued holds the rows a batch writes at the end.
type queued struct {
	briefings []any // briefingCols values per briefing
	facts     []any // factCols values per fact
	// rows are the values of other rows by kind, in the order flush
	// writes them.
	rows [len(rowKinds)][]any
	// nextBriefing and nextFact are the ids the next briefing and fact
	// get, 0 before the saver has read the largest.
	nextBriefing, nextFact int64
}

const (
	briefingCols = 16
	factCols     = 8
	// maxParams stays under SQLite's limit of 32,766 parameters a
	// statement.
	maxParams = 32_000
)

// deferForeignKeys makes the transaction check foreign keys at commit, so
// that rows can refer to the briefings and facts queued for flush. SQLite
// turns the setting off again when the transaction ends.
func (s *saver) deferForeignKeys(ctx context.Context) error {
	query := `PRAGMA defer_foreign_keys = ON`
	if s.pg {
		query = `SET CONSTRAINTS ALL DEFERRED`
	}
	// Not from the statement cache (see setPragmas): the flag is set when
	// the pragma is prepared.
	if _, err := s.tx.ExecContext(context.WithoutCancel(ctx), query); err != nil {
		return fmt.Errorf("save briefings: defer foreign keys: %w", err)
	}
	return nil
}

// maxID returns the largest id of table, 0 when it is empty.
func (s *saver) maxID(ctx context.Context, table string) (int64, error) {
	var id int64
	if err := s.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM `+table).Scan(&id); err != nil {
		return 0, fmt.Errorf("largest %s id: %w", table, err)
	}
	return id, nil
}

// insertBriefing inserts the row of a new briefing, or queues it in a
// batch, and returns its id.
func (s *saver) insertBriefing(ctx context.Context, b *briefings.Briefing) (int64, error) {
	pub, pubP := dateValue(b.Published)
	args := []any{s.rowGuild(), b.Slug, b.Title, b.Summary, b.Body, pub, pubP, b.Source.Name, b.Source.URL,
		string(b.Status), b.RetractionReason, s.by, s.at, s.by, s.at}
	if s.batch == nil {
		res, err := s.ExecContext(ctx, `INSERT INTO briefings (guild_id, slug, title, summary, body,
			published, published_precision, source_name, source_url, status, retraction_reason,
			version, created_by, created_at, updated_by, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)`, args...)
		if err != nil {
			return 0, err
		}
		return res.LastInsertId()
	}
	q := s.batch
	if q.nextBriefing == 0 {
		// Briefings are never deleted during a save, so the largest id
		// is read once.
		largest, err := s.maxID(ctx, "briefings")
		if err != nil {
			return 0, err
		}
		q.nextBriefing = largest + 1
	}
	id := q.nextBriefing
	q.nextBriefing++
	q.briefings = append(q.briefings, id)
	q.briefings = append(q.briefings, args...)
	return id, nil
}

// insertFact inserts a fact of the briefing, or queues it in a batch, and
// returns its id.
func (s *saver) insertFact(ctx context.Context, briefingID int64, position int, ft briefings.Fact, event sql.NullInt64) (int64, error) {
	asOf, asOfP := dateValue(ft.AsOf)
	args := []any{briefingID, position, ft.Text, ft.Attribution, asOf, asOfP, event}
	if s.batch == nil {
		res, err := s.ExecContext(ctx, `INSERT INTO facts (briefing_id, position, text, attribution, as_of, as_of_precision, event_id)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, args...)
		if err != nil {
			return 0, err
		}
		return res.LastInsertId()
	}
	q := s.batch
	if q.nextFact == 0 || s.factsDeleted {
		// An updated briefing's facts were deleted: when they were the
		// newest, SQLite would give their ids out again.
		largest, err := s.maxID(ctx, "facts")
		if err != nil {
			return 0, err
		}
		q.nextFact = max(q.nextFact, largest+1)
		s.factsDeleted = false
	}
	id := q.nextFact
	q.nextFact++
	q.facts = append(q.facts, id)
	q.facts = append(q.facts, args...)
	return id, nil
}

// rowKind is a kind of row that a batch queues: the rows that nothing
// reads or triggers on while the batch saves, written together at the end
// to save a statement each.
type rowKind struct {
	insert, row string
	cols        int
	// most is the most rows one statement writes, 0 for as many as the
	// parameter limit allows. SQLite copies a statement's text arguments
	// into the C library's heap, which keeps the memory once freed; a
	// statement of a thousand 8 KB snapshots left 8 MB there each time,
	// in whichever of its per-thread heaps the statement ran on.
	most int
}

// snapshotRows is the most rows with a briefing's snapshot one statement
// writes: about 1 MB of arguments.
const snapshotRows = 128

const (
	rowsFactActors = iota
	rowsBriefingTopics
	rowsVersions
	// Mentions of actors go before mentions of events: a mention of an
	// event gives the briefing the event's participants (migration 8)
	// unless it already has them.
	rowsBriefingActors
	rowsBriefingEvents
	// A staged import's entries in the audit log for the briefings it
	// creates (saver.auditCreated), in the order it created them.
	rowsAudit
)

var rowKinds = [...]rowKind{
	rowsFactActors: {`INSERT INTO fact_actors (fact_id, actor_id, position) VALUES %s ON CONFLICT DO NOTHING`,
		"(?, ?, ?)", 3, 0},
	rowsBriefingTopics: {`INSERT INTO briefing_topics (briefing_id, topic_slug, position) VALUES %s`,
		"(?, ?, ?)", 3, 0},
	rowsVersions: {`INSERT INTO briefing_versions (briefing_id, version, by, at, snapshot, changes) VALUES %s`,
		"(?, ?, ?, ?, ?, ?)", 6, snapshotRows},
	rowsBriefingActors: {`INSERT INTO briefing_actors (briefing_id, actor_id, position, declared, guild_id, status, published) VALUES %s`,
		"(?, ?, ?, ?, ?, ?, ?)", 7, 0},
	rowsBriefingEvents: {`INSERT INTO briefing_events (briefing_id, event_id, position, declared, guild_id, status, published) VALUES %s`,
		"(?, ?, ?, ?, ?, ?, ?)", 7, 0},
	rowsAudit: {`INSERT INTO audit_log (at, guild_id, user_id, action, target, briefing_id, before, after, note) VALUES %s`,
		"(?, ?, ?, ?, ?, ?, ?, ?, ?)", 9, snapshotRows},
}

// insertRow inserts a row of the kind, or queues it in a batch.
func (s *saver) insertRow(ctx context.Context, kind int, args ...any) error {
	if s.batch != nil {
		s.batch.rows[kind] = append(s.batch.rows[kind], args...)
		return nil
	}
	k := rowKinds[kind]
	_, err := s.ExecContext(ctx, fmt.Sprintf(k.insert, k.row), args...)
	return err
}

// flush writes the queued rows: briefings, facts, then the other kinds.
func (s *saver) flush(ctx context.Context) error {
	q := s.batch
	if err := s.insertRows(ctx, `INSERT INTO briefings (id, guild_id, slug, title, summary, body,
		published, published_precision, source_name, source_url, status, retraction_reason,
		version, created_by, created_at, updated_by, updated_at) VALUES `,
		"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)", "", briefingCols, 0, q.briefings); err != nil {
		return conflict(err, "save briefings")
	}
	if err := s.insertRows(ctx, `INSERT INTO facts (id, briefing_id, position, text, attribution, as_of, as_of_precision, event_id) VALUES `,
		"(?, ?, ?, ?, ?, ?, ?, ?)", "", factCols, 0, q.facts); err != nil {
		return conflict(err, "save briefings: facts")
	}
	for kind, k := range rowKinds {
		insert, values, _ := strings.Cut(k.insert, "%s")
		if err := s.insertRows(ctx, insert, k.row, values, k.cols, k.most, q.rows[kind]); err != nil {
			return conflict(err, "save briefings")
		}
		q.rows[kind] = nil
	}
	q.briefings, q.facts = nil, nil
	return nil
}

// insertRows runs insert with as many copies of row as the parameter limit
// allows, or most when it is not 0, followed by suffix, until every value
// of args is written.
func (s *saver) insertRows(ctx context.Context, insert, row, suffix string, cols, most int, args []any) error {
	per := maxParams / cols
	if most > 0 {
		per = min(per, most)
	}
	for len(args) > 0 {
		n := min(per, len(args)/cols)
		values := strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
		if _, err := s.ExecContext(ctx, insert+values+suffix, args[:n*cols]...); err != nil {
			return err
		}
		args = args[n*cols:]
	}
	return nil
}

// batchCacheKiB is the page cache of the writer's connection while it
// saves a batch: a batch of 500 briefings dirties several megabytes of
// pages, and with SQLite's default cache of 2 MB it wrote pages out to the
// WAL and read them back before the commit.
const batchCacheKiB = 64 << 10

// batchWALPages is how many pages the WAL may hold before a batch's
// commit copies them into the database (SQLite's default is 1,000, which
// a batch of 500 briefings exceeds on its own): consecutive batches
// rewrite many of the same pages, which a checkpoint then copies once.
const batchWALPages = 16_384

// sqliteWALPages is SQLite's own wal_autocheckpoint, which the writer
// keeps outside batches.
const sqliteWALPages = 1000

// batchConn takes the writer's connection for a batch and gives it a large
// page cache and in-memory statement journals; restore puts back its
// settings and returns the connection. Neither changes what a commit
// guarantees.
func (db *DB) batchConn(ctx context.Context) (conn *sql.Conn, restore func(), err error) {
	conn, err = db.writer.Conn(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("save briefings: connection: %w", err)
	}
	if db.pg {
		return conn, func() { conn.Close() }, nil
	}
	var cache, temp int
	// The table-valued forms run the pragmas when the query runs, not when
	// it is prepared, so a cached statement still reads the current values.
	if err := conn.QueryRowContext(ctx, `SELECT cache_size, temp_store FROM pragma_cache_size, pragma_temp_store`).Scan(&cache, &temp); err != nil {
		conn.Close()
		return nil, nil, fmt.Errorf("save briefings: connection settings: %w", err)
	}
	restore = func() {
		// Put back even when ctx is done, so that the connection goes
		// back to the pool as it came; one that cannot be put back is
		// dropped from the pool instead.
		if err := setPragmas(ctx, conn, cache, temp, sqliteWALPages); err != nil {
			conn.Raw(func(any) error { return driver.ErrBadConn })
		}
		conn.Close()
	}
	if err := setPragmas(ctx, conn, -batchCacheKiB, 2, batchWALPages); err != nil {
		restore()
		return nil, nil, fmt.Errorf("save briefings: connection settings: %w", err)
	}
	return conn, restore, nil
}

// holdBatchSettings gives the writer's connection the settings of a batch
// (see batchConn) until release puts its own back. A staged import holds
// them from its first transaction to its last, so that its page cache is
// filled once: freed and allocated again for every transaction, it left
// the freed pages in several of the C library's per-thread heaps, and a
// 100,000-briefing import's memory grew by 170 MB. Other writes in
// between run with the same settings, which change nothing they
// guarantee.
func (db *DB) holdBatchSettings(ctx context.Context) (release func(), err error) {
	if db.pg {
		return func() {}, nil
	}
	conn, err := db.writer.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("import: connection: %w", err)
	}
	defer conn.Close()
	var cache, temp int
	if err := conn.QueryRowContext(ctx, `SELECT cache_size, temp_store FROM pragma_cache_size, pragma_temp_store`).Scan(&cache, &temp); err != nil {
		return nil, fmt.Errorf("import: connection settings: %w", err)
	}
	if err := setPragmas(ctx, conn, -batchCacheKiB, 2, batchWALPages); err != nil {
		return nil, fmt.Errorf("import: connection settings: %w", err)
	}
	return func() {
		conn, err := db.writer.Conn(context.WithoutCancel(ctx))
		if err != nil {
			return // the pool is closed
		}
		if err := setPragmas(ctx, conn, cache, temp, sqliteWALPages); err != nil {
			conn.Raw(func(any) error { return driver.ErrBadConn })
		}
		conn.Close()
	}, nil
}

// setPragmas sets the connection's page cache (cache_size), statement
// journals (temp_store, 2 is memory) and checkpoint interval. Some pragmas
// take effect when they are prepared, so they must never come from
// go-sqlite3's statement cache: without a context to cancel or arguments,
// it runs the text directly (sqlite3_exec) and caches nothing.
func setPragmas(ctx context.Context, conn *sql.Conn, cache, temp, walPages int) error {
	_, err := conn.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf(
		`PRAGMA cache_size = %d; PRAGMA temp_store = %d; PRAGMA wal_autocheckpoint = %d`, cache, temp, walPages))
	return err
}

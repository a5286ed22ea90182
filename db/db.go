// Package db is briefbot's SQLite store: it implements briefings.Library
// with embedded migrations, FTS5 search and one transaction per save.
//
// Build with -tags sqlite_fts5 (make build): the search tables need FTS5.
package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-sqlite3"

	"briefbot/briefings"
)

// DB is the SQLite store. One connection writes (SQLite allows one writer at
// a time, and a single connection turns contention into queueing instead of
// SQLITE_BUSY); a pool of read-only connections serves reads concurrently,
// which WAL allows while a write is in progress.
type DB struct {
	writer  *sql.DB
	readers *sql.DB
	path    string
	// ranked is how many candidates Search ranks at most:
	// rankedCandidates, lowered by tests to treat a small library as
	// large.
	ranked int
	// pg is set on PostgreSQL (see postgres.go).
	pg bool
	// owner names this store among the processes sharing its database
	// (host:pid:random), for the leases of pending deliveries (PostgreSQL)
	// and of due feeds (both).
	owner string
	// changes is what the store keeps between queries on PostgreSQL, and
	// listener the connection that hears of changes to it (notify.go);
	// both nil on SQLite.
	changes  *changeCache
	listener *listener
	// nameLists keeps the lists of known names and completeIndexes what
	// CompleteNames ranks from, by library version (names_cache.go,
	// complete.go), made on first use.
	nameLists       *namesCache[[]briefings.KnownName]
	completeIndexes *namesCache[*completeIndex]
	namesOnce       sync.Once

	// Now returns the current time; tests replace it to fix the clock.
	Now func() time.Time
}

var _ briefings.Library = (*DB)(nil)

// busyTimeout is how long a connection waits for a lock before failing.
const busyTimeout = 5 * time.Second

// stmtCacheSize is how many prepared statements each connection keeps.
const stmtCacheSize = 64

// dsn builds a go-sqlite3 URI for path with the connection settings:
//   - journal_mode=WAL lets readers run while the writer commits;
//   - foreign_keys=on because SQLite leaves them off by default, and the
//     schema relies on them to keep facts, names and links tied to rows that
//     exist (and to cascade deletes);
//   - synchronous=NORMAL is safe in WAL mode (a power loss can drop the last
//     commits but never corrupts the file) and avoids an fsync per commit;
//   - _txlock=immediate makes the writer take the write lock at BEGIN, so a
//     transaction never fails half-way trying to upgrade a read lock;
//   - _stmt_cache_size keeps each connection's most recent statements
//     prepared: a page runs a dozen small statements, and preparing them
//     again cost about a fifth of its time.
func dsn(path string, readOnly bool) string {
	esc := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	params := fmt.Sprintf("_foreign_keys=on&_busy_timeout=%d&_stmt_cache_size=%d", busyTimeout.Milliseconds(), stmtCacheSize)
	if readOnly {
		params += "&mode=ro&_query_only=on"
	} else {
		params += "&_journal_mode=WAL&_synchronous=NORMAL&_txlock=immediate"
	}
	return "file:" + esc + "?" + params
}

// Open opens (creating if needed) the database at path, checks that SQLite
// has FTS5, and brings the schema up to date. A PostgreSQL URL
// (postgres://…, see IsPostgresURL) opens that database instead and brings
// its schema up to date.
func Open(ctx context.Context, path string) (*DB, error) {
	if IsPostgresURL(path) {
		return openPostgres(ctx, path, len(postgresMigrations()))
	}
	return open(ctx, "sqlite3", path, len(migrations()))
}

// OpenDriver is Open through another database/sql driver name registered
// over go-sqlite3, such as a wrapper that records the statements the store
// runs (the benchmarks replay them as a handler's floor).
func OpenDriver(ctx context.Context, driver, path string) (*DB, error) {
	return open(ctx, driver, path, len(migrations()))
}

func open(ctx context.Context, driver, path string, version int) (*DB, error) {
	if path == "" {
		return nil, errors.New("open db: path required")
	}
	writer, err := sql.Open(driver, dsn(path, false))
	if err != nil {
		return nil, fmt.Errorf("open db: %w", err)
	}
	writer.SetMaxOpenConns(1)
	writer.SetMaxIdleConns(1)
	writer.SetConnMaxLifetime(0)
	writer.SetConnMaxIdleTime(0)
	db := &DB{writer: writer, path: path, ranked: rankedCandidates, Now: time.Now, owner: storeOwner()}
	if err := checkFTS5(ctx, writer); err != nil {
		writer.Close()
		return nil, err
	}
	if err := migrate(ctx, writer, version); err != nil {
		writer.Close()
		return nil, err
	}
	readers, err := openReaders(driver, dsn(path, true))
	if err != nil {
		writer.Close()
		return nil, fmt.Errorf("open db readers: %w", err)
	}
	n := max(4, runtime.NumCPU())
	readers.SetMaxOpenConns(n)
	readers.SetMaxIdleConns(n)
	db.readers = readers
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, err
	}
	// An import whose process died leaves its staging area behind.
	if version == len(migrations()) {
		if err := db.SweepImports(ctx); err != nil {
			db.Close()
			return nil, err
		}
	}
	return db, nil
}

// readerMmapSize is how much of the database file each read-only
// connection maps into memory (PRAGMA mmap_size). Without it, SQLite reads
// every page it needs through its small per-connection cache with a system
// call and a copy; under load on the 100k library those reads took 42% of
// serve's CPU. Mapped, a page is read where the kernel keeps it, shared by
// every connection and counted in the process's resident memory only as
// file pages the kernel can drop. SQLite caps it at its own build limit
// (2 GiB by default); a larger file is read as before past that.
const readerMmapSize = 2 << 30

// readerPragmas run on every new read-only connection.
var readerPragmas = []string{fmt.Sprintf("PRAGMA mmap_size = %d", readerMmapSize)}

// openReaders opens the pool of read-only connections through the named
// driver, each set up with readerPragmas when it connects (go-sqlite3 has
// no connection parameter for them).
func openReaders(driverName, dsn string) (*sql.DB, error) {
	probe, err := sql.Open(driverName, dsn)
	if err != nil {
		return nil, err
	}
	drv := probe.Driver()
	_ = probe.Close() // sql.Open connects to nothing
	return sql.OpenDB(pragmaConnector{drv: drv, dsn: dsn, pragmas: readerPragmas}), nil
}

// pragmaConnector opens connections through drv and runs pragmas on each.
type pragmaConnector struct {
	drv     driver.Driver
	dsn     string
	pragmas []string
}

// Connect opens one connection and sets it up.
func (c pragmaConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	ex, ok := conn.(driver.ExecerContext)
	if !ok {
		conn.Close()
		return nil, fmt.Errorf("connection %T cannot run pragmas", conn)
	}
	for _, p := range c.pragmas {
		if _, err := ex.ExecContext(ctx, p, nil); err != nil {
			conn.Close()
			return nil, fmt.Errorf("%s: %w", p, err)
		}
	}
	return conn, nil
}

// Driver returns the driver the connections come from.
func (c pragmaConnector) Driver() driver.Driver { return c.drv }

// Close closes every connection.
func (db *DB) Close() error {
	var errs []error
	db.listener.stopListening()
	if db.readers != nil {
		errs = append(errs, db.readers.Close())
	}
	if db.writer != nil {
		errs = append(errs, db.writer.Close())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close db: %w", err)
	}
	return nil
}

// Ping checks that both the writer and a reader answer a query, for health
// checks.
func (db *DB) Ping(ctx context.Context) error {
	var n int
	if err := db.writer.QueryRowContext(ctx, `SELECT 1`).Scan(&n); err != nil {
		return fmt.Errorf("ping db writer: %w", err)
	}
	if err := db.readers.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil {
		return fmt.Errorf("ping db reader: %w", err)
	}
	return nil
}

// SchemaVersion returns the schema version the database is at.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	return schemaVersion(ctx, db.readers)
}

// now returns the clock's time in UTC, formatted for storage.
func (db *DB) now() (time.Time, string) {
	t := db.Now().UTC()
	return t, t.Format(time.RFC3339Nano)
}

// read runs fn in a read transaction so multi-query reads see one snapshot.
func (db *DB) read(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.readers.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin read: %w", err)
	}
	defer tx.Rollback()
	return fn(tx)
}

// lookup runs fn on one reader connection outside a transaction. It is for
// the reads behind a page whose statements need no common snapshot (each
// part of an actor's page stands on its own, and the code tolerates a row
// gone between two statements): it saves a transaction's BEGIN and ROLLBACK
// and the goroutine database/sql starts to watch it, which at a dozen small
// statements per page is a good part of the time outside SQLite.
func (db *DB) lookup(ctx context.Context, fn func(q querier) error) error {
	conn, err := db.readers.Conn(ctx)
	if err != nil {
		return fmt.Errorf("reader: %w", err)
	}
	defer conn.Close()
	return fn(conn)
}

// dateLayout stores the start of a Date as sortable UTC text.
const dateLayout = "2006-01-02T15:04:05Z"

// dateValue returns the stored text and precision of d; "" for no date.
func dateValue(d briefings.Date) (string, int) {
	if d.IsZero() {
		return "", 0
	}
	return d.T.UTC().Format(dateLayout), int(d.P)
}

// parseDate turns stored text and precision back into a Date.
func parseDate(s string, p int) (briefings.Date, error) {
	if s == "" || p == 0 {
		return briefings.Date{}, nil
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return briefings.Date{}, fmt.Errorf("parse stored date %q: %w", s, err)
	}
	return briefings.Date{T: t, P: briefings.Precision(p)}, nil
}

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

// conflict turns a constraint violation into an ECONFLICT error for people
// and wraps anything else with context.
func conflict(err error, format string, args ...any) error {
	var se sqlite3.Error
	if errors.As(err, &se) && se.Code == sqlite3.ErrConstraint {
		return briefings.Errorf(briefings.ECONFLICT, "%s conflicts with what is already in the library: %s.",
			fmt.Sprintf(format, args...), strings.TrimPrefix(se.Error(), "constraint failed: "))
	}
	if msg, ok := pgConflict(err); ok {
		return briefings.Errorf(briefings.ECONFLICT, "%s conflicts with what is already in the library: %s.",
			fmt.Sprintf(format, args...), msg)
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}

// placeholders returns "?, ?, ?" for n arguments.
func placeholders(n int) string {
	if n <= 0 {
		return "NULL"
	}
	return strings.Repeat("?, ", n-1) + "?"
}

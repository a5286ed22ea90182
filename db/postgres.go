package db

import (
	"context"
	"crypto/rand"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// The PostgreSQL store is the same store as the SQLite one: the same Go code
// and, for the most part, the same SQL. This file is the dialect layer that
// makes that possible:
//
//   - statements are written with SQLite's placeholders (? and ?N); the
//     connections rewrite them to $N before PostgreSQL sees them;
//   - Go bools are sent as '1' and '0', as SQLite stores flags;
//   - the schema (migrations/postgres) keeps SQLite's column types and gives
//     out ids as SQLite does, and defines the few SQLite functions the
//     queries use (instr, json_each over an id list, json_group_array,
//     group_concat, json_insert) as SQL functions;
//   - writes run one at a time, as SQLite runs them: every transaction on the
//     writer pool starts by taking one advisory lock (writeLockKey), which
//     also makes saves from several processes safe; reads run concurrently
//     on a pool of read-only connections.
//
// What needs another statement on PostgreSQL (search, PRAGMAs, GLOB) asks
// db.pg.

// writeLockKey is the advisory lock every write transaction takes; next_id
// in the schema takes the same one.
const writeLockKey = 7283451

// IsPostgresURL reports whether s names a PostgreSQL database (a libpq URL,
// postgres:// or postgresql://) rather than a SQLite file.
func IsPostgresURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// openPostgres opens the PostgreSQL database at url and brings its schema up
// to date.
func openPostgres(ctx context.Context, url string, version int) (*DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("open db: %w", redactURL(err, url))
	}
	if cfg.RuntimeParams == nil {
		cfg.RuntimeParams = map[string]string{}
	}
	cfg.RuntimeParams["application_name"] = "briefbot"
	cfg.RuntimeParams["timezone"] = "UTC"
	// The store's statements are short lookups that finish in a
	// millisecond, and some of them read their ids out of a JSON list,
	// whose size PostgreSQL guesses at a hundred rows: the guessed cost
	// passes jit_above_cost and PostgreSQL spends 100 ms to seconds, on
	// a busy machine, compiling a plan that then runs in under one
	// (/timeline's EventTopics). JIT pays off only for long analytical
	// queries, which the store does not run.
	cfg.RuntimeParams["jit"] = "off"
	// Arguments are sent as literals that PostgreSQL types from where they
	// stand, as SQLite takes them whatever their Go type; prepared with the
	// extended protocol, a parameter used only where no type follows from
	// the statement (?2 = '' OR …) cannot be typed.
	cfg.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	changes := newChangeCache()
	writer := sql.OpenDB(&pgConnector{inner: stdlib.GetConnector(*cfg), lockWrites: true,
		committed: func() { changes.changed(changedLibrary) }})
	writer.SetMaxOpenConns(8)
	writer.SetMaxIdleConns(8)
	writer.SetConnMaxIdleTime(5 * time.Minute)
	db := &DB{writer: writer, path: url, pg: true, ranked: rankedCandidates, Now: time.Now, owner: storeOwner(), changes: changes}
	if err := migratePostgres(ctx, writer, version); err != nil {
		writer.Close()
		return nil, err
	}
	rcfg := cfg.Copy()
	rcfg.RuntimeParams["default_transaction_read_only"] = "on"
	readers := sql.OpenDB(&pgConnector{inner: stdlib.GetConnector(*rcfg)})
	readers.SetMaxOpenConns(16)
	readers.SetMaxIdleConns(16)
	readers.SetConnMaxIdleTime(5 * time.Minute)
	db.readers = readers
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if version == len(postgresMigrations()) {
		if err := db.SweepImports(ctx); err != nil {
			db.Close()
			return nil, err
		}
		db.listener = startListening(cfg.Copy(), changes)
	}
	return db, nil
}

// storeOwner names a store opened by this process: host:pid and a random
// part, so that two stores of one process are two owners too.
func storeOwner() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%s:%d:%x", hostname(), os.Getpid(), b)
}

// DisplayName returns path as it may be shown and logged: a PostgreSQL
// URL without its password, a SQLite path as it is.
func DisplayName(path string) string {
	if !IsPostgresURL(path) {
		return path
	}
	u, err := url.Parse(path)
	if err != nil {
		return "the PostgreSQL database"
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// redactURL keeps a password in url out of err's message.
func redactURL(err error, url string) error {
	cfg, perr := pgconn.ParseConfig(url)
	if perr != nil || cfg.Password == "" {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), cfg.Password, "xxxxx"))
}

// migratePostgres applies the PostgreSQL migrations up to target on one
// connection that holds a session advisory lock, so that replicas starting
// together migrate one after the other.
func migratePostgres(ctx context.Context, db *sql.DB, target int) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(?)`, writeLockKey+1); err != nil {
		return fmt.Errorf("migrate: lock: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(?)`, writeLockKey+1)
	return migrateWith(ctx, conn, postgresMigrations(), target)
}

// pgConnector opens pgx connections wrapped in pgConn.
type pgConnector struct {
	inner      driver.Connector
	lockWrites bool
	// committed, when set, is called after each write transaction
	// commits (see notify.go).
	committed func()
}

func (c *pgConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.inner.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &pgConn{Conn: conn.(*stdlib.Conn), lockWrites: c.lockWrites, committed: c.committed}, nil
}

func (c *pgConnector) Driver() driver.Driver { return c.inner.Driver() }

// pgConn is a pgx connection that rewrites SQLite placeholders and flags,
// and takes the write lock at the start of each transaction on the writer.
type pgConn struct {
	*stdlib.Conn
	lockWrites bool
	committed  func()
}

func (c *pgConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

// PrepareContext prepares nothing on the server: the statement runs as the
// connection's other statements do, its arguments sent as literals (see
// openPostgres), and pgx keeps no plan to reuse with them anyway.
func (c *pgConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return &pgStmt{query: query, conn: c}, nil
}

func (c *pgConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	q, idx := rebind(query)
	args, err := pickArgs(args, idx)
	if err != nil {
		return nil, err
	}
	res, err := c.Conn.ExecContext(ctx, q, args)
	if err != nil {
		return nil, err
	}
	return pgResult{Result: res, conn: c}, nil
}

func (c *pgConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	q, idx := rebind(query)
	args, err := pickArgs(args, idx)
	if err != nil {
		return nil, err
	}
	return c.Conn.QueryContext(ctx, q, args)
}

// pgStmt is a statement "prepared" on a pgConn.
type pgStmt struct {
	query string
	conn  *pgConn
}

func (s *pgStmt) Close() error  { return nil }
func (s *pgStmt) NumInput() int { return -1 }

func (s *pgStmt) Exec(args []driver.Value) (driver.Result, error) {
	return nil, errors.New("pgStmt.Exec: use ExecContext")
}

func (s *pgStmt) Query(args []driver.Value) (driver.Rows, error) {
	return nil, errors.New("pgStmt.Query: use QueryContext")
}

func (s *pgStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	return s.conn.ExecContext(ctx, s.query, args)
}

func (s *pgStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	return s.conn.QueryContext(ctx, s.query, args)
}

// pgResult answers LastInsertId as SQLite's last_insert_rowid does: the id
// or rowid the connection's last insert gave out, which the schema's
// next_id and next_rowid record in the session.
type pgResult struct {
	driver.Result
	conn *pgConn
}

func (r pgResult) LastInsertId() (int64, error) {
	var s string
	err := r.conn.Conn.Conn().QueryRow(context.Background(), `SELECT coalesce(current_setting('briefbot.last_id', true), '')`).Scan(&s)
	if err != nil {
		return 0, fmt.Errorf("last insert id: %w", err)
	}
	if s == "" {
		return 0, errors.New("last insert id: no row was inserted with an id on this connection")
	}
	return strconv.ParseInt(s, 10, 64)
}

func (c *pgConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	tx, err := c.Conn.BeginTx(ctx, opts)
	if err != nil || !c.lockWrites || opts.ReadOnly {
		return tx, err
	}
	if _, err := c.Conn.ExecContext(ctx, `SELECT pg_advisory_xact_lock(`+strconv.Itoa(writeLockKey)+`)`, nil); err != nil {
		tx.Rollback()
		return nil, fmt.Errorf("take the write lock: %w", err)
	}
	if c.committed != nil {
		return pgWriteTx{Tx: tx, committed: c.committed}, nil
	}
	return tx, nil
}

// pgWriteTx is a write transaction that calls committed after it commits.
type pgWriteTx struct {
	driver.Tx
	committed func()
}

func (t pgWriteTx) Commit() error {
	err := t.Tx.Commit()
	if err == nil {
		t.committed()
	}
	return err
}

// CheckNamedValue sends bools as the untyped literals '1' and '0', which
// PostgreSQL reads as the integers SQLite stores flags as where a column
// takes them, and as true and false where a condition does (CASE WHEN ?).
//
// PostgreSQL's text cannot hold NUL, and a NUL in a statement sent as text
// breaks the protocol; SQLite takes it. The library never stores one (the
// briefings and names written to it are refused control characters), so a
// NUL reaches the store only in what a user looks up, such as a name
// typed with one, which matches nothing there on SQLite. Each NUL of a
// string is sent as U+FFFF, a noncharacter that no text holds, so that the
// lookup matches nothing here too instead of failing.
//
// Everything else is left to pgx.
func (c *pgConn) CheckNamedValue(nv *driver.NamedValue) error {
	switch v := nv.Value.(type) {
	case bool:
		if v {
			nv.Value = "1"
		} else {
			nv.Value = "0"
		}
		return nil
	case string:
		if strings.IndexByte(v, 0) >= 0 {
			nv.Value = strings.ReplaceAll(v, "\x00", "\uFFFF")
		}
	}
	return c.Conn.CheckNamedValue(nv)
}

// pgRewrites turns the SQLite expressions the store's statements use that
// PostgreSQL spells differently into PostgreSQL's: "has a character outside
// printable ASCII" is a GLOB on SQLite and a regular expression here.
var pgRewrites = strings.NewReplacer(`GLOB '*[^ -~]*'`, `~ '[^ -~]'`, "CROSS JOIN", "JOIN")

// pgLimit is a LIMIT taken from an argument. SQLite reads a negative limit
// as none, which the store writes as -1 (LIMIT ? with -1 for "all");
// PostgreSQL refuses it, and reads NULL as none.
var pgLimit = regexp.MustCompile(`\bLIMIT\s+(\?\d*)`)

// SQLite's query planner hints mean nothing to PostgreSQL's and are
// dropped: INDEXED BY, the unary + that keeps SQLite from using an index
// for a column, and the one before an argument that keeps SQLite from
// preparing a statement again for its value (import_cache.go). (CROSS JOIN, which fixes SQLite's join order, is
// rewritten to JOIN above: the store writes it only with an ON clause.)
var (
	pgIndexedBy = regexp.MustCompile(`\s+INDEXED BY \w+`)
	pgUnaryPlus = regexp.MustCompile(`([\s(])\+([A-Za-z_?])`)
)

// rebound caches rebind's answers by query text: the store's statements
// are a fixed set.
var rebound sync.Map

type reboundQuery struct {
	text string
	args []int
}

// rebind rewrites a statement written for SQLite into PostgreSQL's: its
// placeholders (see rebindPlaceholders), planner hints, limits taken from
// arguments (pgLimit) and the expressions in pgRewrites. It also returns the arguments the statement takes, as
// rebindPlaceholders does.
func rebind(query string) (string, []int) {
	if v, ok := rebound.Load(query); ok {
		r := v.(reboundQuery)
		return r.text, r.args
	}
	out := pgRewrites.Replace(query)
	out = pgIndexedBy.ReplaceAllString(out, "")
	out = pgUnaryPlus.ReplaceAllString(out, "$1$2")
	out = pgLimit.ReplaceAllString(out, "LIMIT nullif(greatest($1, -1), -1)")
	out, n := rebindPlaceholders(out)
	rebound.Store(query, reboundQuery{text: out, args: n})
	return out, n
}

// rebindPlaceholders rewrites SQLite's placeholders, ? (the next argument)
// and ?N (the Nth), into PostgreSQL's $N. PostgreSQL refuses arguments a
// statement does not use, which SQLite ignores, so the placeholders are
// numbered again over the arguments used, and args lists, for each $N, the
// index of the argument it takes. Question marks in string literals, quoted
// names and comments are left alone.
func rebindPlaceholders(query string) (text string, args []int) {
	if strings.IndexByte(query, '?') < 0 {
		return query, nil
	}
	var segments []string // text before each placeholder, and after the last
	var refs []int        // the argument number of each placeholder
	last, next := 0, 0
	for i := 0; i < len(query); i++ {
		ch := query[i]
		switch {
		case ch == '\'' || ch == '"':
			j := i + 1
			for j < len(query) {
				if query[j] == ch {
					if j+1 < len(query) && query[j+1] == ch { // doubled quote
						j += 2
						continue
					}
					break
				}
				j++
			}
			i = j
		case ch == '-' && i+1 < len(query) && query[i+1] == '-':
			j := strings.IndexByte(query[i:], '\n')
			if j < 0 {
				j = len(query) - i
			}
			i += j - 1
		case ch == '?':
			j := i + 1
			for j < len(query) && query[j] >= '0' && query[j] <= '9' {
				j++
			}
			n := next + 1
			if j > i+1 {
				n, _ = strconv.Atoi(query[i+1 : j])
			}
			next = max(next, n)
			segments = append(segments, query[last:i])
			refs = append(refs, n)
			last = j
			i = j - 1
		}
	}
	segments = append(segments, query[last:])
	used := slices.Clone(refs)
	slices.Sort(used)
	used = slices.Compact(used)
	var b strings.Builder
	b.Grow(len(query) + 8)
	for i, n := range refs {
		b.WriteString(segments[i])
		b.WriteString("$" + strconv.Itoa(slices.Index(used, n)+1))
	}
	b.WriteString(segments[len(refs)])
	args = make([]int, len(used))
	for i, n := range used {
		args[i] = n - 1
	}
	return b.String(), args
}

// pickArgs returns the arguments of args that idx names, in its order and
// numbered from 1.
func pickArgs(args []driver.NamedValue, idx []int) ([]driver.NamedValue, error) {
	out := make([]driver.NamedValue, len(idx))
	for i, j := range idx {
		if j >= len(args) {
			return nil, fmt.Errorf("statement uses argument %d of %d", j+1, len(args))
		}
		out[i] = args[j]
		out[i].Ordinal = i + 1
	}
	return out, nil
}

// pgConflict reports whether err is a PostgreSQL constraint violation
// (unique, foreign key, check or not-null), and its message.
func pgConflict(err error) (string, bool) {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && strings.HasPrefix(pe.Code, "23") {
		msg := pe.Message
		if pe.Detail != "" {
			msg += " (" + pe.Detail + ")"
		}
		return msg, true
	}
	return "", false
}

// pgBusy reports whether err is PostgreSQL giving up on a lock or a
// serialization conflict.
func pgBusy(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "55P03" || pe.Code == "40001" || pe.Code == "40P01")
}

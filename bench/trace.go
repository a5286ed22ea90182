package main

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/mattn/go-sqlite3"
)

// tracedDriver is the name of go-sqlite3 wrapped to record the statements
// the store runs, so that a handler's own queries can be replayed raw as its
// floor (the "same queries run raw against SQLite").
const tracedDriver = "sqlite3_bench_traced"

// statement is one statement a handler ran, with its arguments in order.
type statement struct {
	query string
	args  []any
	exec  bool
}

// recorder keeps the statements run while it is on.
type recorder struct {
	mu    sync.Mutex
	on    bool
	stmts []statement
}

var trace = &recorder{}

func init() {
	sql.Register(tracedDriver, tracingDriver{&sqlite3.SQLiteDriver{}})
}

// record runs fn with recording on and returns what it ran.
func (r *recorder) record(fn func()) []statement {
	r.mu.Lock()
	r.on, r.stmts = true, nil
	r.mu.Unlock()
	fn()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.on = false
	return r.stmts
}

func (r *recorder) add(query string, args []driver.NamedValue, exec bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.on {
		return
	}
	sorted := append([]driver.NamedValue(nil), args...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Ordinal < sorted[j].Ordinal })
	vals := make([]any, len(sorted))
	for i, a := range sorted {
		vals[i] = a.Value
	}
	r.stmts = append(r.stmts, statement{query: query, args: vals, exec: exec})
}

// replay runs the statements on conn, reading every row. Statements a
// handler ran on several connections at once arrive interleaved; replayed on
// one, a transaction's BEGIN inside another's is left out, as is its end.
func replay(ctx context.Context, conn *sql.Conn, stmts []statement) error {
	depth := 0
	for _, s := range stmts {
		switch s.query {
		case "BEGIN":
			if depth++; depth > 1 {
				continue
			}
		case "COMMIT", "ROLLBACK":
			if depth--; depth > 0 {
				continue
			}
		}
		if s.exec {
			if _, err := conn.ExecContext(ctx, s.query, s.args...); err != nil {
				return fmt.Errorf("replay %q: %w", abbreviate(s.query), err)
			}
			continue
		}
		if _, err := drain(ctx, conn, s.query, s.args...); err != nil {
			return fmt.Errorf("replay %q: %w", abbreviate(s.query), err)
		}
	}
	return nil
}

func abbreviate(q string) string {
	q = strings.Join(strings.Fields(q), " ")
	if len(q) > 80 {
		return q[:80] + "…"
	}
	return q
}

type tracingDriver struct{ inner *sqlite3.SQLiteDriver }

func (d tracingDriver) Open(name string) (driver.Conn, error) {
	c, err := d.inner.Open(name)
	if err != nil {
		return nil, err
	}
	return &tracingConn{c.(*sqlite3.SQLiteConn)}, nil
}

// tracingConn forwards to go-sqlite3's connection and records what runs.
type tracingConn struct{ c *sqlite3.SQLiteConn }

func (t *tracingConn) Prepare(query string) (driver.Stmt, error) {
	return t.PrepareContext(context.Background(), query)
}

func (t *tracingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	s, err := t.c.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	return &tracingStmt{s, query}, nil
}

func (t *tracingConn) Close() error { return t.c.Close() }

func (t *tracingConn) Begin() (driver.Tx, error) {
	return t.BeginTx(context.Background(), driver.TxOptions{})
}

func (t *tracingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	tx, err := t.c.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	trace.add("BEGIN", nil, true)
	return tracingTx{tx}, nil
}

func (t *tracingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	trace.add(query, args, false)
	return t.c.QueryContext(ctx, query, args)
}

func (t *tracingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	trace.add(query, args, true)
	return t.c.ExecContext(ctx, query, args)
}

func (t *tracingConn) Ping(ctx context.Context) error { return t.c.Ping(ctx) }

type tracingTx struct{ tx driver.Tx }

func (t tracingTx) Commit() error {
	trace.add("COMMIT", nil, true)
	return t.tx.Commit()
}

func (t tracingTx) Rollback() error {
	trace.add("ROLLBACK", nil, true)
	return t.tx.Rollback()
}

type tracingStmt struct {
	s     driver.Stmt
	query string
}

func (t *tracingStmt) Close() error  { return t.s.Close() }
func (t *tracingStmt) NumInput() int { return t.s.NumInput() }

func (t *tracingStmt) Exec(args []driver.Value) (driver.Result, error) {
	return nil, errors.New("bench: Exec without context")
}

func (t *tracingStmt) Query(args []driver.Value) (driver.Rows, error) {
	return nil, errors.New("bench: Query without context")
}

func (t *tracingStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	trace.add(t.query, args, true)
	return t.s.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (t *tracingStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	trace.add(t.query, args, false)
	return t.s.(driver.StmtQueryContext).QueryContext(ctx, args)
}

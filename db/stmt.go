package db

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// maxCachedStmts bounds the statement cache; queries past it are prepared
// on every call, as database/sql does by default.
const maxCachedStmts = 64

// stmtCache holds statements prepared on the read pool, by their text.
// database/sql prepares a query again on every call made on a *sql.Tx; a
// *sql.Stmt of the pool remembers the connections it was prepared on, and
// Tx.StmtContext reuses that preparation when the transaction runs on one
// of them, so a read that runs often is parsed and planned once per
// connection.
type stmtCache struct {
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

// prepared returns the read pool's statement for query, preparing it the
// first time, or nil when the cache is full.
func (db *DB) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	c := &db.stmts
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.stmts[query]; ok {
		return s, nil
	}
	if len(c.stmts) >= maxCachedStmts {
		return nil, nil
	}
	s, err := db.readers.PrepareContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	if c.stmts == nil {
		c.stmts = map[string]*sql.Stmt{}
	}
	c.stmts[query] = s
	return s, nil
}

// close closes every cached statement.
func (c *stmtCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var first error
	for q, s := range c.stmts {
		if err := s.Close(); err != nil && first == nil {
			first = err
		}
		delete(c.stmts, q)
	}
	return first
}

// stmtTx is a read transaction whose queries run through the statement
// cache. It satisfies queryer, so the store's scanning helpers take it.
type stmtTx struct {
	db *DB
	tx *sql.Tx
}

// QueryContext runs query in the transaction with its cached statement.
func (t stmtTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	s, err := t.db.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return t.tx.QueryContext(ctx, query, args...)
	}
	return t.tx.StmtContext(ctx, s).QueryContext(ctx, args...)
}

// QueryRowContext runs query in the transaction with its cached statement.
func (t stmtTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	s, err := t.db.prepared(ctx, query)
	if err != nil || s == nil {
		// Uncached; a query that does not prepare reports its error
		// through the Row's Scan.
		return t.tx.QueryRowContext(ctx, query, args...)
	}
	return t.tx.StmtContext(ctx, s).QueryRowContext(ctx, args...)
}

// readCached runs fn in a read transaction (see read) whose queries use
// cached statements.
func (db *DB) readCached(ctx context.Context, fn func(q stmtTx) error) error {
	return db.read(ctx, func(tx *sql.Tx) error { return fn(stmtTx{db: db, tx: tx}) })
}

package db

import (
	"context"
	"database/sql"
	"errors"
	"strings"
)

// This file has no build tags on purpose: when briefbot is built without
// -tags sqlite_fts5, Open still compiles and explains what to do instead of
// failing later with SQLite's "no such module: fts5".

// ErrNoFTS5 is returned by Open when SQLite was built without FTS5.
var ErrNoFTS5 = errors.New("open db: this SQLite has no FTS5 full-text search; build briefbot with -tags sqlite_fts5 (make build)")

// checkFTS5 creates and drops a temporary FTS5 table.
func checkFTS5(ctx context.Context, db *sql.DB) error {
	_, err := db.ExecContext(ctx, `CREATE VIRTUAL TABLE temp.fts5_probe USING fts5(x)`)
	if err != nil {
		if strings.Contains(err.Error(), "no such module") {
			return ErrNoFTS5
		}
		return errors.Join(ErrNoFTS5, err)
	}
	if _, err := db.ExecContext(ctx, `DROP TABLE temp.fts5_probe`); err != nil {
		return errors.Join(errors.New("open db: drop fts5 probe"), err)
	}
	return nil
}

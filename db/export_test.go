package db

import (
	"context"
	"database/sql"
	"strings"

	"briefbot/briefings"
)

// SetRankedCandidates makes db's Search rank at most n candidates, as if
// the library were large.
func (db *DB) SetRankedCandidates(n int) { db.ranked = n }

// WriterSettings returns the writer connection's page cache, statement
// journal and checkpoint settings, which a batch changes and puts back.
func (db *DB) WriterSettings() (cache, temp, walPages int, err error) {
	ctx := context.Background()
	if err = db.writer.QueryRowContext(ctx, `SELECT cache_size, temp_store FROM pragma_cache_size, pragma_temp_store`).Scan(&cache, &temp); err != nil {
		return
	}
	err = db.writer.QueryRowContext(ctx, `PRAGMA wal_autocheckpoint`).Scan(&walPages)
	return
}

// CountForTest runs query on a reader and scans its one row into dest.
func (db *DB) CountForTest(ctx context.Context, query string, dest ...any) error {
	return db.readers.QueryRowContext(ctx, query).Scan(dest...)
}

// IsPostgres reports whether db is on PostgreSQL.
func (db *DB) IsPostgres() bool { return db.pg }

// EventsPlan returns SQLite's plan (EXPLAIN QUERY PLAN, one step a line)
// of the statement Events runs for q.
func (db *DB) EventsPlan(ctx context.Context, q briefings.EventQuery) (string, error) {
	var out []string
	err := db.lookup(ctx, func(tx querier) error {
		query, err := eventsQuery(ctx, tx, q)
		if err != nil {
			return err
		}
		return eachRow(ctx, tx, `EXPLAIN QUERY PLAN `+query, eventsArgs(q),
			func(rows *sql.Rows) error {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					return err
				}
				out = append(out, detail)
				return nil
			})
	})
	return strings.Join(out, "\n"), err
}

package db

import "context"

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

package db

import (
	"context"
	"fmt"
)

// lookup runs fn on one reader connection outside a transaction. It is for
// the reads behind a page whose statements need no common snapshot (each
// part of an actor's page stands on its own, and the code tolerates a row
// gone between two statements): it saves a transaction's BEGIN and ROLLBACK
// and the goroutine database/sql starts to watch it, which at a dozen small
// statements per page is a good part of the time outside SQLite.
func (db *DB) lookup(ctx context.Context, fn func(q queryer) error) error {
	conn, err := db.readers.Conn(ctx)
	if err != nil {
		return fmt.Errorf("reader: %w", err)
	}
	defer conn.Close()
	return fn(conn)
}

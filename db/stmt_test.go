package db

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
)

// TestStmtCache runs more distinct queries than the cache holds, twice,
// in read transactions: every answer is right, the cache stays bounded,
// and Close closes what it holds.
func TestStmtCache(t *testing.T) {
	ctx := context.Background()
	d, err := Open(ctx, filepath.Join(t.TempDir(), "briefbot.db"))
	if err != nil {
		t.Fatal(err)
	}
	for round := range 2 {
		err := d.readCached(ctx, func(tx stmtTx) error {
			for i := range maxCachedStmts + 8 {
				var got int
				q := fmt.Sprintf(`SELECT ? + %d`, i)
				if err := tx.QueryRowContext(ctx, q, 1).Scan(&got); err != nil {
					return fmt.Errorf("%s: %w", q, err)
				}
				if got != i+1 {
					return fmt.Errorf("round %d, %s: got %d, want %d", round, q, got, i+1)
				}
				rows, err := tx.QueryContext(ctx, q, 2)
				if err != nil {
					return err
				}
				if !rows.Next() || rows.Scan(&got) != nil || got != i+2 {
					rows.Close()
					return fmt.Errorf("round %d, %s with rows: got %d, want %d", round, q, got, i+2)
				}
				rows.Close()
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := len(d.stmts.stmts); got != maxCachedStmts {
		t.Errorf("cache holds %d statements, want %d", got, maxCachedStmts)
	}
	if err := d.readCached(ctx, func(tx stmtTx) error {
		return tx.QueryRowContext(ctx, `SELECT nothing FROM nowhere`).Scan(new(int))
	}); err == nil {
		t.Error("a query that does not prepare gave no error")
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if got := len(d.stmts.stmts); got != 0 {
		t.Errorf("%d statements left open after Close", got)
	}
}

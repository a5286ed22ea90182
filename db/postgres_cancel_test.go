package db

import (
	"context"
	"testing"
	"time"

	"briefbot/db/pgtest"
)

// TestPostgresCancelsGivenUpStatements checks that a statement whose
// context ends is stopped on the PostgreSQL server, not left running there
// after the store has given up on it, on the readers and on the writer.
func TestPostgresCancelsGivenUpStatements(t *testing.T) {
	t.Parallel()
	d, err := Open(context.Background(), pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	for _, tt := range []struct {
		name  string
		sleep string
		run   func(ctx context.Context, query string) error
	}{
		{"reader", "SELECT pg_sleep(31)", func(ctx context.Context, query string) error {
			return d.lookup(ctx, func(q querier) error {
				var v string
				return q.QueryRowContext(ctx, query).Scan(&v)
			})
		}},
		{"writer", "SELECT pg_sleep(32)", func(ctx context.Context, query string) error {
			_, err := d.writer.ExecContext(ctx, query)
			return err
		}},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		start := time.Now()
		err := tt.run(ctx, tt.sleep)
		cancel()
		if err == nil {
			t.Fatalf("%s: %s returned no error after its context ended", tt.name, tt.sleep)
		}
		if took := time.Since(start); took > 3*time.Second {
			t.Errorf("%s: the store gave up after %v, want about 300ms", tt.name, took)
		}
		// The server stops the statement within a moment of the
		// cancel request; without one it sleeps for half a minute.
		deadline := time.Now().Add(5 * time.Second)
		for {
			var running int
			if err := d.readers.QueryRowContext(context.Background(),
				`SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query = ?`, tt.sleep).Scan(&running); err != nil {
				t.Fatal(err)
			}
			if running == 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: %q still runs on the server 5 s after the store gave up on it", tt.name, tt.sleep)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
}

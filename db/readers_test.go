package db

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

// TestReadersMapTheFile checks that every read-only connection of the pool
// reads the database through a memory map, including connections opened
// while others are busy, and that the writer keeps its own settings.
func TestReadersMapTheFile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d, err := Open(ctx, filepath.Join(t.TempDir(), "library.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	// Hold every connection of the pool at once, so each is a new one.
	n := d.readers.Stats().MaxOpenConnections
	if n < 2 {
		t.Fatalf("reader pool holds %d connections, want several", n)
	}
	var held []*sql.Conn
	defer func() {
		for _, c := range held {
			c.Close()
		}
	}()
	for i := range n {
		conn, err := d.readers.Conn(ctx)
		if err != nil {
			t.Fatalf("reader %d: %v", i, err)
		}
		held = append(held, conn)
		var size int64
		if err := conn.QueryRowContext(ctx, `PRAGMA mmap_size`).Scan(&size); err != nil {
			t.Fatalf("reader %d: %v", i, err)
		}
		if size <= 0 || size > readerMmapSize {
			t.Errorf("reader %d maps %d bytes, want up to %d", i, size, readerMmapSize)
		}
	}
	if got := d.readers.Stats().OpenConnections; got != n {
		t.Errorf("%d reader connections open, want %d", got, n)
	}
	var size int64
	if err := d.writer.QueryRowContext(ctx, `PRAGMA mmap_size`).Scan(&size); err != nil {
		t.Fatal(err)
	}
	if size != 0 {
		t.Errorf("the writer maps %d bytes, want its default 0", size)
	}
	// Let them go: the readers still answer.
	for _, c := range held {
		c.Close()
	}
	held = nil
	if err := d.Ping(ctx); err != nil {
		t.Fatal(err)
	}
}

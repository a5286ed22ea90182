package db

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations/*.sql migrations/postgres/*.sql
var migrationFS embed.FS

// migration is one forward-only schema change, numbered from 1.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the embedded SQLite migrations in version order. Their
// file names start with the version: 0001_core.sql, 0002_search.sql, ...
func migrations() []migration { return migrationsIn("migrations") }

// postgresMigrations returns the embedded PostgreSQL migrations, numbered
// on their own from 0001.
func postgresMigrations() []migration { return migrationsIn("migrations/postgres") }

func migrationsIn(dir string) []migration {
	names, err := fs.Glob(migrationFS, dir+"/*.sql")
	if err != nil {
		panic(err)
	}
	sort.Strings(names)
	out := make([]migration, 0, len(names))
	for i, name := range names {
		base := strings.TrimPrefix(name, dir+"/")
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil || v != i+1 {
			panic(fmt.Sprintf("migration %s: want version %d first in the name", base, i+1))
		}
		text, err := migrationFS.ReadFile(name)
		if err != nil {
			panic(err)
		}
		out = append(out, migration{version: v, name: base, sql: string(text)})
	}
	return out
}

// SchemaVersions is the number of migrations, the version Open brings every
// database to.
func SchemaVersions() int { return len(migrations()) }

// MigrateTo creates or upgrades the database at path to schema version
// (1..SchemaVersions()) and closes it. Tests use it to build databases at an
// earlier version and check that Open upgrades them.
func MigrateTo(ctx context.Context, path string, version int) error {
	if version < 1 || version > SchemaVersions() {
		return fmt.Errorf("migrate: version %d is not between 1 and %d", version, SchemaVersions())
	}
	db, err := open(ctx, "sqlite3", path, version)
	if err != nil {
		return err
	}
	return db.Close()
}

// migrate applies the migrations up to target that the database lacks, each
// in its own transaction together with its row in schema_migrations.
func migrate(ctx context.Context, db *sql.DB, target int) error {
	return migrateWith(ctx, db, migrations(), target)
}

// migrator is a database or one connection of it.
type migrator interface {
	querier
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
}

// migrateWith applies ms up to target, as migrate documents.
func migrateWith(ctx context.Context, db migrator, ms []migration, target int) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY,
		name TEXT NOT NULL,
		applied_at TEXT NOT NULL
	)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	current, err := schemaVersion(ctx, db)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.version <= current || m.version > target {
			continue
		}
		if err := apply(ctx, db, m); err != nil {
			return err
		}
	}
	return nil
}

func apply(ctx context.Context, db migrator, m migration) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migration %s: %w", m.name, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return fmt.Errorf("migration %s: %w", m.name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		m.version, m.name, time.Now().UTC().Format(time.RFC3339)); err != nil {
		return fmt.Errorf("migration %s: record: %w", m.name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migration %s: commit: %w", m.name, err)
	}
	return nil
}

func schemaVersion(ctx context.Context, q querier) (int, error) {
	var v int
	if err := q.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}

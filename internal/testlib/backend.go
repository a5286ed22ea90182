package testlib

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"briefbot/briefings"
	"briefbot/commands"
	"briefbot/db"
	"briefbot/db/pgtest"
)

// Backend is a store implementation the end-to-end tests run on: each test
// runs once per backend (EachBackend), and what a user sees, golden files
// included, must be the same on both.
type Backend string

// The backends.
const (
	// SQLite is a store in a file of the test's temporary directory.
	SQLite Backend = "sqlite"
	// Postgres is a store in a database of its own on the test PostgreSQL
	// server (see db/pgtest): without BRIEFBOT_TEST_POSTGRES the test
	// fails when CI is true and is skipped otherwise.
	Postgres Backend = "postgres"
)

// The keys of the PostgreSQL template databases (see pgtest): the schema
// alone, and the schema with the sample library.
const (
	schemaKey  = "schema"
	libraryKey = "library"
)

// Backends lists every backend, in the order the tests run them.
var Backends = []Backend{SQLite, Postgres}

// EachBackend runs fn as one parallel subtest per backend, named after it.
// The subtests run in parallel with each other, so a test run on both
// backends takes about as long as one.
func EachBackend(t *testing.T, fn func(t *testing.T, b Backend)) {
	t.Helper()
	for _, b := range Backends {
		t.Run(string(b), func(t *testing.T) {
			t.Parallel()
			fn(t, b)
		})
	}
}

// OpenStore opens an empty store of backend b, closed when the test ends,
// holding bs in the global library.
func (b Backend) OpenStore(tb testing.TB, bs ...*briefings.Briefing) *db.DB {
	tb.Helper()
	store := b.OpenAt(tb, b.NewURL(tb))
	if len(bs) > 0 {
		if _, err := store.SaveBriefings(context.Background(), "", bs, "test"); err != nil {
			tb.Fatalf("save briefings: %v", err)
		}
	}
	return store
}

// NewURL returns where a new store of backend b lives: a file in
// tb.TempDir(), or a new PostgreSQL database with the store's schema,
// dropped when the test ends.
func (b Backend) NewURL(tb testing.TB) string {
	tb.Helper()
	switch b {
	case SQLite:
		return filepath.Join(tb.TempDir(), "briefbot.db")
	case Postgres:
		return pgtest.NewDatabaseFrom(tb, schemaKey, func(url string) error {
			return fill(url, nil)
		})
	}
	tb.Fatalf("unknown backend %q", b)
	return ""
}

// OpenAt opens the store at url, made by NewURL, and closes it when the
// test ends.
func (b Backend) OpenAt(tb testing.TB, url string) *db.DB {
	tb.Helper()
	store, err := db.Open(context.Background(), url)
	if err != nil {
		tb.Fatalf("open %s store: %v", b, err)
	}
	tb.Cleanup(func() { store.Close() })
	return store
}

// OpenLibrary opens a store of backend b loaded with the sample library,
// plus an earlier copy of its first briefing so that /brief has an older
// page to turn to. On PostgreSQL the database is a copy of one loaded once
// per test process.
func (b Backend) OpenLibrary(tb testing.TB) *db.DB {
	tb.Helper()
	bs := libraryBriefings(tb)
	if b != Postgres {
		return b.OpenStore(tb, bs...)
	}
	url := pgtest.NewDatabaseFrom(tb, libraryKey, func(url string) error {
		return fill(url, bs)
	})
	return b.OpenAt(tb, url)
}

// CurateRouter is the real router with moderation on, over the sample
// library of backend b (OpenLibrary) with the clock at ConsoleNow; files
// reads the attachments.
func (b Backend) CurateRouter(tb testing.TB, files commands.Attachments) (*commands.Router, *db.DB) {
	tb.Helper()
	return curateRouter(b.OpenLibrary(tb), files)
}

// fill brings the store at url up to date, saves bs into it and closes it.
func fill(url string, bs []*briefings.Briefing) error {
	ctx := context.Background()
	store, err := db.Open(ctx, url)
	if err != nil {
		return err
	}
	if len(bs) > 0 {
		if _, err := store.SaveBriefings(ctx, "", bs, "test"); err != nil {
			store.Close()
			return err
		}
	}
	return store.Close()
}

// Main runs a test package's tests, as its TestMain, and then drops the
// PostgreSQL template databases its tests made. Meanwhile the PostgreSQL
// databases of the tests are made ahead and dropped in the background (see
// pgtest.KeepReady), so that a test's turn among the parallel ones is not
// spent waiting for CREATE DATABASE.
func Main(m *testing.M) int {
	pgtest.KeepReady(schemaKey, 2)
	pgtest.KeepReady(libraryKey, 3)
	code := m.Run()
	if err := pgtest.DropTemplates(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		code = 1
	}
	return code
}

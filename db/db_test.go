package db_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"briefbot/briefings"
	"briefbot/db"
	"briefbot/db/pgtest"
)

// now is the fixed clock of every test database.
var now = time.Date(2025, 8, 13, 12, 0, 0, 0, time.UTC)

// mustOpen opens a new database in a temporary directory.
func mustOpen(tb testing.TB) (*db.DB, string) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "briefbot.db")
	d, err := db.Open(context.Background(), path)
	if err != nil {
		tb.Fatalf("open: %v", err)
	}
	d.Now = func() time.Time { return now }
	tb.Cleanup(func() {
		if err := d.Close(); err != nil {
			tb.Errorf("close: %v", err)
		}
	})
	return d, path
}

// TestMain drops the template database of mustOpenPostgres.
func TestMain(m *testing.M) {
	code := m.Run()
	if err := pgtest.DropTemplates(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		code = 1
	}
	os.Exit(code)
}

// mustOpenPostgres opens a new store in a database of its own on the test
// PostgreSQL server (see db/pgtest), a copy of one with the schema.
func mustOpenPostgres(tb testing.TB) *db.DB {
	tb.Helper()
	return mustOpenAt(tb, newPostgresDatabase(tb))
}

// newPostgresDatabase returns the URL of a new database with the store's
// schema on the test PostgreSQL server.
func newPostgresDatabase(tb testing.TB) string {
	tb.Helper()
	return pgtest.NewDatabaseFrom(tb, "schema", func(url string) error {
		d, err := db.Open(context.Background(), url)
		if err != nil {
			return err
		}
		return d.Close()
	})
}

// mustOpenAt opens the store at url (a path or a PostgreSQL URL), with the
// tests' clock, and closes it when the test ends.
func mustOpenAt(tb testing.TB, url string) *db.DB {
	tb.Helper()
	d, err := db.Open(context.Background(), url)
	if err != nil {
		tb.Fatalf("open: %v", err)
	}
	d.Now = func() time.Time { return now }
	tb.Cleanup(func() {
		if err := d.Close(); err != nil {
			tb.Errorf("close: %v", err)
		}
	})
	return d
}

// eachBackend runs fn, a test of the store's behaviour, on a new SQLite
// store and on a new PostgreSQL one: the contract suite. Every behaviour is
// tested once and run twice, on the two backends in parallel: fn must not
// change anything the two runs share.
//
// Tests that open only SQLite test SQLite itself: its file, backups,
// connection settings and migrations. Where the backends answer
// differently, TestSearch_BackendsDiffer says how and why.
func eachBackend(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		d, _ := mustOpen(t)
		fn(t, d)
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		fn(t, mustOpenPostgres(t))
	})
}

// mustSave saves bs and fails the test on error.
func mustSave(tb testing.TB, d *db.DB, guildID string, bs ...*briefings.Briefing) []briefings.SaveOutcome {
	tb.Helper()
	out, err := d.SaveBriefings(context.Background(), guildID, bs, "moderator")
	if err != nil {
		tb.Fatalf("save: %v", err)
	}
	return out
}

// countRowsIn counts the rows of each table through d's readers, on either
// backend.
func countRowsIn(tb testing.TB, d *db.DB, tables ...string) map[string]int {
	tb.Helper()
	out := map[string]int{}
	for _, table := range tables {
		var n int
		if err := d.CountForTest(context.Background(), `SELECT count(*) FROM `+table, &n); err != nil {
			tb.Fatalf("count %s: %v", table, err)
		}
		out[table] = n
	}
	return out
}

// kimPutin is a briefing declaring two actors with aliases, an event and
// facts that refer to them.
func kimPutin() *briefings.Briefing {
	return &briefings.Briefing{
		Title:     "Kim meets Putin in Vladivostok",
		Summary:   "The North Korean leader met the Russian president to discuss arms and energy.",
		Body:      "The meeting at the Vostochny cosmodrome lasted four hours.",
		Published: briefings.DayOf(2025, 8, 12),
		Source:    briefings.Source{Name: "Reuters", URL: "https://example.com/kim-putin"},
		Topics:    []string{"korea", "Russia"},
		Actors: []briefings.Actor{
			{Name: "Kim Jong Un", Kind: briefings.KindPerson, Description: "Leader of North Korea", Aliases: []string{"Kim", "Kim Jong-un"}},
			{Name: "Vladimir Putin", Kind: briefings.KindPerson, Aliases: []string{"Putin"}},
		},
		Events: []briefings.Event{
			{Name: "Vladivostok summit", Date: briefings.DayOf(2025, 8, 11), Location: "Vladivostok", Participants: []string{"Kim", "Putin"}},
		},
		Facts: []briefings.Fact{
			{Text: "The two leaders met for four hours.", Attribution: "Kremlin", Actors: []string{"Kim Jong Un", "Putin"}, Event: "Vladivostok summit", AsOf: briefings.DayOf(2025, 8, 11)},
			{Text: "North Korea is said to supply artillery shells.", Attribution: "South Korean intelligence", Actors: []string{"kim"}},
		},
		Corrections: []briefings.Correction{{Date: briefings.DayOf(2025, 8, 13), Text: "An earlier version misspelled Vostochny."}},
	}
}

// missileTest is a briefing that names Kim only by an alias it does not
// declare, so it relies on the library.
func missileTest() *briefings.Briefing {
	return &briefings.Briefing{
		Title:     "North Korea tests a cruise missile",
		Summary:   "A new cruise missile flew over the Yellow Sea.",
		Published: briefings.DayOf(2025, 9, 1),
		Topics:    []string{"korea"},
		Facts: []briefings.Fact{
			{Text: "Kim watched the launch.", Attribution: "KCNA", Actors: []string{"KIM"}},
		},
	}
}

// simple returns a minimal valid briefing with the title.
func simple(title string, published briefings.Date, topics ...string) *briefings.Briefing {
	if len(topics) == 0 {
		topics = []string{"general"}
	}
	return &briefings.Briefing{Title: title, Summary: "Summary of " + title + ".", Published: published, Topics: topics}
}

func codeOf(err error) string { return briefings.ErrorCode(err) }

// Package testlib holds the fixtures that the tests of several packages
// share, so that none keeps a copy: the sample library in a real SQLite or
// PostgreSQL store (Backend, EachBackend), the people and servers of the
// moderation tests, a console driven line by line or by a script, and
// golden files. Only tests import it.
package testlib

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"briefbot/briefings"
	"briefbot/briefings/fileformat"
	"briefbot/briefings/sample"
	"briefbot/db"
)

// The people and servers of the moderation tests.
const (
	GuildA    = "200000000000000001"
	GuildB    = "200000000000000002"
	ModA      = "300000000000000001"
	ModA2     = "300000000000000002"
	ReaderA   = "300000000000000003"
	OwnerUser = "300000000000000009"
)

// ConsoleNow is the console tests' clock: the morning after the Putin–Kim
// call of the sample library, before the Alaska summit.
var ConsoleNow = time.Date(2025, 8, 13, 9, 0, 0, 0, time.UTC)

// SampleBriefings decodes the sample library.
func SampleBriefings(tb testing.TB) []*briefings.Briefing {
	tb.Helper()
	var bs []*briefings.Briefing
	for _, name := range sample.Names() {
		f, err := sample.Files.Open(name)
		if err != nil {
			tb.Fatalf("open sample %s: %v", name, err)
		}
		got, err := fileformat.Decode(f, name)
		f.Close()
		if err != nil {
			tb.Fatalf("decode sample %s: %v", name, err)
		}
		bs = append(bs, got...)
	}
	if len(bs) == 0 {
		tb.Fatal("the sample library is empty")
	}
	return bs
}

// OpenStore opens a real SQLite store in tb.TempDir(), closed when the test
// ends, holding bs in the global library.
func OpenStore(tb testing.TB, bs ...*briefings.Briefing) *db.DB {
	tb.Helper()
	return SQLite.OpenStore(tb, bs...)
}

// OpenLibrary opens a real SQLite store loaded with the sample library,
// plus an earlier copy of its first briefing so that /brief has an older
// page to turn to.
func OpenLibrary(tb testing.TB) *db.DB {
	tb.Helper()
	return SQLite.OpenLibrary(tb)
}

// libraryBriefings is the sample library plus an earlier copy of its first
// briefing.
func libraryBriefings(tb testing.TB) []*briefings.Briefing {
	tb.Helper()
	bs := SampleBriefings(tb)
	earlier := *bs[0]
	earlier.Slug = bs[0].Slug + "-earlier"
	earlier.Title = "Earlier: " + bs[0].Title
	earlier.Published = briefings.DayOf(2025, time.August, 1)
	earlier.Corrections = nil
	return append(bs, &earlier)
}

// Golden compares got with the golden file at path, or first rewrites the
// file when update is set (each test package's -update flag).
func Golden(tb testing.TB, path, got string, update bool) {
	tb.Helper()
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("read golden file (run with -update to create it): %v", err)
	}
	if got != string(want) {
		tb.Errorf("%s differs:\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

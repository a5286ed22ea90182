package db_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"briefbot/briefings"
	"briefbot/db"
)

// within polls cond until it holds or a second has passed, and returns how
// long it took.
func within(t *testing.T, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > time.Second {
			t.Fatalf("%s: not seen within a second", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return time.Since(start)
}

// TestChanges_ReachEveryProcess: two stores on one PostgreSQL database,
// as two replicas hold them. Each keeps a guild's settings and the
// library's version between queries, and a change made through the other,
// or by hand in SQL, reaches it within a second; its own changes at once.
// When its LISTEN connection drops it keeps nothing until it listens
// again, so a change made meanwhile is not hidden either. It times how
// soon changes arrive, so it does not run in parallel with other tests.
func TestChanges_ReachEveryProcess(t *testing.T) {
	ctx := context.Background()
	url := newPostgresDatabase(t)
	a, b := mustOpenAt(t, url), mustOpenAt(t, url)
	for _, d := range []*db.DB{a, b} {
		within(t, "listening", func() bool { return d.ListenerPIDForTest() != 0 })
	}
	const guild = "100000000000000001"
	zone := func(d *db.DB) string {
		s, err := d.Settings(ctx, guild)
		if err != nil {
			t.Fatal(err)
		}
		return s.TimeZone
	}
	if z := zone(b); z != "" {
		t.Fatalf("a new guild's zone is %q", z)
	}
	if !b.KeepsSettingsForTest(guild) {
		t.Fatal("the store does not keep the settings it read, so this test would test nothing")
	}

	if err := a.SaveSettings(ctx, briefings.GuildSettings{GuildID: guild, TimeZone: "Asia/Tokyo"}, "admin"); err != nil {
		t.Fatal(err)
	}
	took := within(t, "a setting saved by another process", func() bool { return zone(b) == "Asia/Tokyo" })
	t.Logf("another process's setting seen after %v", took)

	if err := a.ExecForTest(ctx, `UPDATE guild_settings SET time_zone = 'Europe/Paris' WHERE guild_id = '`+guild+`'`); err != nil {
		t.Fatal(err)
	}
	within(t, "a setting changed in SQL", func() bool { return zone(b) == "Europe/Paris" })

	if err := b.SaveSettings(ctx, briefings.GuildSettings{GuildID: guild, TimeZone: "America/Lima"}, "admin"); err != nil {
		t.Fatal(err)
	}
	if z := zone(b); z != "America/Lima" {
		t.Errorf("right after saving it, the store's own setting reads %q", z)
	}

	v0, err := b.LibraryVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mustSave(t, a, "", simple("Ferry strike ends", briefings.DayOf(2025, 9, 1), "Ports"))
	within(t, "a briefing saved by another process", func() bool {
		v, err := b.LibraryVersion(ctx)
		return err == nil && v > v0
	})
	v1, _ := a.LibraryVersion(ctx)
	mustSave(t, a, "", simple("Ferry talks resume", briefings.DayOf(2025, 9, 2), "Ports"))
	if v, err := a.LibraryVersion(ctx); err != nil || v <= v1 {
		t.Errorf("right after its own save the store's library version is %d (%v), want past %d", v, err, v1)
	}

	// b's LISTEN connection is cut, and the setting changed before it
	// listens again: b must not answer from what it kept.
	pid := b.ListenerPIDForTest()
	zone(b)
	if err := a.ExecForTest(ctx, `SELECT pg_terminate_backend(`+strconv.FormatUint(uint64(pid), 10)+`)`); err != nil {
		t.Fatal(err)
	}
	if err := a.ExecForTest(ctx, `UPDATE guild_settings SET time_zone = 'Africa/Accra' WHERE guild_id = '`+guild+`'`); err != nil {
		t.Fatal(err)
	}
	within(t, "a setting changed while the listener was cut", func() bool { return zone(b) == "Africa/Accra" })
	within(t, "listening again", func() bool { return b.ListenerPIDForTest() != pid })
	zone(b)
	if !b.KeepsSettingsForTest(guild) {
		t.Error("listening again, the store does not keep settings")
	}
}

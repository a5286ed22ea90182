package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"briefbot/bot/discordtest"
	"briefbot/briefings"
	"briefbot/db"
)

// iceRouteLibrary opens the library at path (a file or a PostgreSQL URL)
// holding one published briefing on "arctic", saved three hours before
// the time it returns, which the library's clock counts from.
func iceRouteLibrary(t *testing.T, ctx context.Context, path string) (*db.DB, time.Time) {
	t.Helper()
	d, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	d.Now = func() time.Time { return now.Add(-3 * time.Hour) }
	if _, err := d.SaveBriefings(ctx, "", []*briefings.Briefing{{
		Slug: "ice-route", Title: "Ice route opens early", Summary: "The northern ice route opened two weeks early.",
		Published: briefings.DateFromTime(now), Topics: []string{"arctic"}, Status: briefings.StatusPublished,
		Source: briefings.Source{Name: "Test Wire", URL: "https://example.com/ice-route"},
	}}, "test"); err != nil {
		d.Close()
		t.Fatal(err)
	}
	return d, now
}

// dueLibrary makes a library at path with a briefing on "arctic" saved
// three hours ago, and two daily subscriptions whose slot passed an hour
// ago: one in discordtest.ChannelID, one by DM to discordtest.UserID.
func dueLibrary(t *testing.T, path string) {
	t.Helper()
	ctx := context.Background()
	d, now := iceRouteLibrary(t, ctx, path)
	defer d.Close()
	slot := now.Add(-time.Hour)
	for _, s := range []*briefings.Subscription{
		{GuildID: discordtest.GuildID, ChannelID: discordtest.ChannelID, UserID: discordtest.UserID, Topic: "arctic"},
		{GuildID: discordtest.GuildID, DM: true, UserID: discordtest.UserID, Topic: "arctic"},
	} {
		s.Times, s.Zone, s.Days = []briefings.Clock{{Hour: slot.Hour(), Minute: slot.Minute()}}, "UTC", briefings.DaysDaily
		if _, _, err := d.SaveSubscription(ctx, s, now.Add(-2*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
}

// TestDeliver_DryRun: --dry-run prints each due message and where it would
// go, makes no Discord call, and marks nothing delivered; the real run then
// posts what the dry run showed.
func TestDeliver_DryRun(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	path := filepath.Join(t.TempDir(), "lib.db")
	dueLibrary(t, path)
	env := map[string]string{"BRIEFBOT_DB": path, "DISCORD_TOKEN": "tok-" + strings.Repeat("d", 40), "BRIEFBOT_DISCORD_API_BASE": fake.URL()}

	first, errOut, err := run(t, env, "", "deliver", "--dry-run")
	if err != nil {
		t.Fatalf("deliver --dry-run: %v\n%s", err, errOut)
	}
	for _, want := range []string{
		"in channel " + discordtest.ChannelID + " of server " + discordtest.GuildID,
		"by direct message to user " + discordtest.UserID,
		"Ice route opens early",
		"dry run: 2 deliveries due, 2 messages; nothing was posted or marked delivered",
	} {
		if !strings.Contains(first, want) {
			t.Errorf("the dry run lacks %q:\n%s", want, first)
		}
	}
	if n := len(fake.Requests()); n != 0 {
		t.Fatalf("the dry run made %d requests to Discord", n)
	}
	// Nothing was claimed: a second dry run shows the same.
	if again, _, err := run(t, env, "", "deliver", "--dry-run"); err != nil || again != first {
		t.Fatalf("a second dry run differs (err %v):\n%s\n--- first:\n%s", err, again, first)
	}

	out, errOut, err := run(t, env, "", "deliver", "--once")
	if err != nil {
		t.Fatalf("deliver --once: %v\n%s", err, errOut)
	}
	if !strings.Contains(out, "delivered 2") {
		t.Fatalf("deliver --once said %q", out)
	}
	posted := fake.Messages(discordtest.ChannelID)
	if len(posted) != 1 || len(posted[0].Embeds) == 0 || !strings.Contains(first, posted[0].Embeds[0].Title) {
		t.Fatalf("posted %+v; the dry run did not show it", posted)
	}
	if dm := fake.DMChannel(discordtest.UserID); dm == "" || len(fake.Messages(dm)) != 1 {
		t.Fatalf("the DM was not delivered (channel %q)", dm)
	}
	after, _, err := run(t, env, "", "deliver", "--dry-run")
	if err != nil || !strings.Contains(after, "dry run: 0 deliveries due") {
		t.Fatalf("dry run after delivering: err=%v\n%s", err, after)
	}
}

// TestDeliver_NeedsAToken: without DISCORD_TOKEN, deliver says what to set
// and where to get it, as run does, and offers --dry-run.
func TestDeliver_NeedsAToken(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "lib.db")
	dueLibrary(t, path)
	for _, args := range [][]string{{"deliver", "--once"}, {"deliver"}} {
		_, _, err := run(t, map[string]string{"BRIEFBOT_DB": path}, "", args...)
		if err == nil {
			t.Fatalf("%v without a token succeeded", args)
		}
		for _, want := range []string{"DISCORD_TOKEN", "Developer Portal", "README.md", "--dry-run"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%v: err=%q, want it to mention %s", args, err, want)
			}
		}
	}
}

package db_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"briefbot/briefings"
	"briefbot/db"
)

func TestFeeds_AddLimitsAndAudit(t *testing.T) {
	ctx := context.Background()
	lib, err := db.Open(ctx, filepath.Join(t.TempDir(), "feeds.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	now := time.Date(2026, 3, 5, 12, 0, 0, 0, time.UTC)
	lib.Now = func() time.Time { return now }
	const g = "300000000000000003"
	add := func(url string, max int) (*briefings.Feed, error) {
		return lib.AddFeed(ctx, briefings.Feed{GuildID: g, URL: url, Topic: "  Baltic   ports ", AddedBy: "400000000000000004"}, max)
	}
	f, err := add("https://courier.example/world/rss", 2)
	if err != nil {
		t.Fatal(err)
	}
	if f.Topic != "Baltic ports" || f.Interval != briefings.DefaultFeedInterval || !f.NextPoll.Equal(now) || f.Paused {
		t.Errorf("added feed: %+v", f)
	}
	for _, tt := range []struct {
		url, code, want string
	}{
		{"https://courier.example/world/rss", briefings.ECONFLICT, "already follows"},
		{"ftp://courier.example/rss", briefings.EINVALID, "url: I only read http and https feeds"},
		{"https://user:pw@courier.example/rss", briefings.EINVALID, "user name or password"},
		{"https://courier.example/" + strings.Repeat("a", briefings.MaxURL), briefings.EINVALID, "the limit is 2000"},
	} {
		if _, err := add(tt.url, 2); briefings.ErrorCode(err) != tt.code || !strings.Contains(briefings.ErrorMessage(err), tt.want) {
			t.Errorf("add %.40q: %v; want %s saying %q", tt.url, err, tt.code, tt.want)
		}
	}
	if _, err := lib.AddFeed(ctx, briefings.Feed{GuildID: g, URL: "https://x.example/rss", Topic: "T", Interval: time.Minute}, 2); !strings.Contains(briefings.ErrorMessage(err), "interval: 1m0s is not allowed; give 5 to 1440 minutes") {
		t.Errorf("1-minute interval: %v", err)
	}
	if _, err := add("https://ledger.example/atom.xml", 2); err != nil {
		t.Fatal(err)
	}
	if _, err := add("https://orbit.example/feed.json", 2); briefings.ErrorCode(err) != briefings.EINVALID || !strings.Contains(briefings.ErrorMessage(err), "already follows 2 feeds, the most it may") {
		t.Errorf("third feed over a cap of 2: %v", err)
	}
	// another guild has its own cap
	if _, err := lib.AddFeed(ctx, briefings.Feed{GuildID: "500000000000000005", URL: "https://orbit.example/feed.json", Topic: "Space"}, 2); err != nil {
		t.Errorf("other guild: %v", err)
	}
	if err := lib.RemoveFeed(ctx, "500000000000000005", f.ID, "x"); briefings.ErrorCode(err) != briefings.ENOTFOUND {
		t.Errorf("removing another guild's feed: %v", err)
	}
	if err := lib.RemoveFeed(ctx, g, f.ID, "400000000000000004"); err != nil {
		t.Fatal(err)
	}
	feeds, err := lib.Feeds(ctx, g)
	if err != nil || len(feeds) != 1 || feeds[0].URL != "https://ledger.example/atom.xml" {
		t.Fatalf("feeds after remove: %+v, %v", feeds, err)
	}
	log, err := lib.AuditLog(ctx, g, 10)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range log {
		actions = append(actions, string(e.Action)+" "+e.Target)
	}
	if got := strings.Join(actions, ", "); got != "feed_remove feed:1, feed_add feed:2, feed_add feed:1" {
		t.Errorf("audit log: %s", got)
	}
}

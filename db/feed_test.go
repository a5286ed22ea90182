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
	t.Parallel()
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

// A feed's draft and the item it comes from are saved in one transaction:
// when the item cannot be recorded, the draft is not saved either. The
// item's review card waits until recorded as posted; a failed try shows
// on the feed and is due again at its retry time.
func TestFeeds_DraftWithItemAndWaitingCard(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	lib, _ := mustOpen(t)
	now := time.Date(2026, 3, 5, 12, 0, 0, 0, time.UTC)
	lib.Now = func() time.Time { return now }
	f, err := lib.AddFeed(ctx, briefings.Feed{GuildID: "g1", URL: "https://courier.example/rss", Topic: "Summits", ReviewChannelID: "700"}, 20)
	if err != nil {
		t.Fatal(err)
	}
	item := briefings.FeedItem{FeedID: f.ID, Key: "summit-1", Hash: "h1", Link: "https://courier.example/summit", Title: "Summit",
		State: briefings.FeedItemDrafted, Card: briefings.FeedCardWaiting, CardNote: "From the feed <https://courier.example/rss>."}

	// another server's draft cannot claim this feed's item: neither is saved
	other := kimPutin()
	other.Status = briefings.StatusDraft
	if _, err := lib.SaveCurated(ctx, briefings.Write{GuildID: "g2", Briefing: other, By: briefings.FeedAuthor(f.ID), Action: briefings.AuditDraft, FeedItem: &item}); codeOf(err) != briefings.ENOTFOUND {
		t.Fatalf("draft in g2 with g1's feed item: %v", err)
	}
	if _, n, _ := lib.Drafts(ctx, "g2", 5); n != 0 {
		t.Fatalf("the draft was saved without its item: %d drafts in g2", n)
	}
	if seen, _, _ := lib.SeenFeedItems(ctx, f.ID, []string{"summit-1"}, nil); len(seen) != 0 {
		t.Fatalf("the item was remembered without its draft: %+v", seen)
	}

	draft := kimPutin()
	draft.Status = briefings.StatusDraft
	out, err := lib.SaveCurated(ctx, briefings.Write{GuildID: "g1", Briefing: draft, By: briefings.FeedAuthor(f.ID), Action: briefings.AuditDraft, FeedItem: &item})
	if err != nil {
		t.Fatal(err)
	}
	saved, err := lib.BriefingWithStatus(ctx, "g1", out.Slug)
	if err != nil {
		t.Fatal(err)
	}
	seen, _, err := lib.SeenFeedItems(ctx, f.ID, []string{"summit-1"}, nil)
	if err != nil || seen["summit-1"].BriefingID != saved.ID || seen["summit-1"].State != briefings.FeedItemDrafted {
		t.Fatalf("item after the draft: %+v, %v; want briefing %d", seen, err, saved.ID)
	}
	cards, err := lib.WaitingFeedCards(ctx, now, 0)
	if err != nil || len(cards) != 1 || cards[0].Item.BriefingID != saved.ID || cards[0].Item.CardNote != item.CardNote || cards[0].Feed.ReviewChannelID != "700" {
		t.Fatalf("waiting cards: %+v, %v", cards, err)
	}
	// not yet tried: not counted as a failure on the feed
	if got, _ := lib.FeedByID(ctx, "g1", f.ID); got.CardsWaiting != 0 || got.Items != 1 {
		t.Errorf("feed before any try: %+v", got)
	}

	const why = "Missing Access — give the bot View Channel, Send Messages and Embed Links there."
	if err := lib.RecordFeedCard(ctx, f.ID, "summit-1", why, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if got, _ := lib.FeedByID(ctx, "g1", f.ID); got.CardsWaiting != 1 || got.CardsError != why {
		t.Errorf("feed after a refused try: %d waiting (%q)", got.CardsWaiting, got.CardsError)
	}
	if cards, _ := lib.WaitingFeedCards(ctx, now, 0); len(cards) != 0 {
		t.Errorf("due again before its retry time: %+v", cards)
	}
	cards, _ = lib.WaitingFeedCards(ctx, now.Add(time.Minute), 0)
	if len(cards) != 1 || cards[0].Item.CardTries != 1 || cards[0].Item.CardError != why {
		t.Fatalf("at its retry time: %+v", cards)
	}
	if err := lib.RecordFeedCard(ctx, f.ID, "summit-1", "", time.Time{}); err != nil {
		t.Fatal(err)
	}
	if cards, _ := lib.WaitingFeedCards(ctx, now.Add(24*time.Hour), 0); len(cards) != 0 {
		t.Errorf("a posted card is still waiting: %+v", cards)
	}
	if got, _ := lib.FeedByID(ctx, "g1", f.ID); got.CardsWaiting != 0 || got.CardsError != "" {
		t.Errorf("feed after the card was posted: %+v", got)
	}
}

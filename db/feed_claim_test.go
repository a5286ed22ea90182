package db_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"briefbot/briefings"
	"briefbot/db"
)

// eachSharedBackend runs fn with two stores on one new database, as two
// processes sharing a library: a SQLite file and a PostgreSQL database, in
// parallel.
func eachSharedBackend(t *testing.T, fn func(t *testing.T, url string, a, b *db.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		path := filepath.Join(t.TempDir(), "briefbot.db")
		fn(t, path, mustOpenAt(t, path), mustOpenAt(t, path))
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		url := newPostgresDatabase(t)
		fn(t, url, mustOpenAt(t, url), mustOpenAt(t, url))
	})
}

// addFeeds adds n feeds, due at once, over a few guilds, and returns their
// IDs.
func addFeeds(t *testing.T, d *db.DB, n int) []int64 {
	t.Helper()
	var ids []int64
	for i := range n {
		f, err := d.AddFeed(context.Background(), briefings.Feed{GuildID: fmt.Sprintf("g%d", i%3),
			URL: fmt.Sprintf("https://site%d.example/rss", i), Topic: "Harbours"}, 0)
		if err != nil {
			t.Fatalf("add feed %d: %v", i, err)
		}
		ids = append(ids, f.ID)
	}
	return ids
}

// feedIDs returns the IDs of fs, sorted.
func feedIDs(fs []briefings.Feed) []int64 {
	out := make([]int64, 0, len(fs))
	for _, f := range fs {
		out = append(out, f.ID)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// Two pollers on one library, each claiming a few due feeds at a time and
// recording a poll of each, both at once until nothing is due: every feed
// is polled exactly once in its slot, by one of them.
func TestFeeds_ConcurrentClaimersPollEachFeedOnce(t *testing.T) {
	t.Parallel()
	eachSharedBackend(t, func(t *testing.T, _ string, a, b *db.DB) {
		ctx := context.Background()
		ids := addFeeds(t, a, 60)
		var mu sync.Mutex
		polls := map[int64][]string{}
		var wg sync.WaitGroup
		start := make(chan struct{})
		for name, d := range map[string]*db.DB{"a": a, "b": b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				for {
					due, err := d.DueFeeds(ctx, now, 4)
					if err != nil {
						t.Errorf("%s: %v", name, err)
						return
					}
					if len(due) == 0 {
						return
					}
					for _, f := range due {
						mu.Lock()
						polls[f.ID] = append(polls[f.ID], name)
						mu.Unlock()
						if err := d.RecordFeedPoll(ctx, briefings.FeedPoll{FeedID: f.ID, OK: true, At: now, NextPoll: now.Add(f.Interval)}); err != nil {
							t.Errorf("%s: %v", name, err)
							return
						}
					}
				}
			}()
		}
		close(start)
		wg.Wait()
		for _, id := range ids {
			if got := polls[id]; len(got) != 1 {
				t.Errorf("feed %d polled by %v, want exactly one poller", id, got)
			}
		}
		if len(polls) != len(ids) {
			t.Errorf("%d feeds polled, want %d", len(polls), len(ids))
		}
		// polled: none is due again until its interval has passed
		for _, d := range []*db.DB{a, b} {
			if due, err := d.DueFeeds(ctx, now.Add(briefings.DefaultFeedInterval-time.Second), 0); err != nil || len(due) != 0 {
				t.Errorf("due again before the interval: %v, %v", feedIDs(due), err)
			}
		}
		if due, err := b.DueFeeds(ctx, now.Add(briefings.DefaultFeedInterval), 0); err != nil || len(due) != len(ids) {
			t.Errorf("after the interval %d feeds are due, %v; want all %d", len(due), err, len(ids))
		}
	})
}

// A feed claimed is leased to the store that claimed it: that store gets it
// again while the lease lasts, others do not; recording the poll ends the
// lease. A poller that dies holding feeds loses none: once the lease runs
// out, another store claims them. A paused feed is never claimed.
func TestFeeds_ClaimLeasesUntilRecordedOrExpired(t *testing.T) {
	t.Parallel()
	eachSharedBackend(t, func(t *testing.T, url string, a, b *db.DB) {
		ctx := context.Background()
		ids := addFeeds(t, a, 6)
		if err := a.SetFeedPaused(ctx, "g0", ids[3], true, "moderator", "u1"); err != nil {
			t.Fatal(err)
		}
		first, err := a.DueFeeds(ctx, now, 3)
		if err != nil {
			t.Fatal(err)
		}
		// the most overdue first: all were due at once, so by ID
		if got, want := fmt.Sprint(feedIDs(first)), fmt.Sprint(ids[:3]); got != want {
			t.Fatalf("a claimed %s, want %s", got, want)
		}
		rest, err := b.DueFeeds(ctx, now, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := fmt.Sprint(feedIDs(rest)), fmt.Sprint([]int64{ids[4], ids[5]}); got != want {
			t.Fatalf("b claimed %s while a holds %v, want %s (not the paused %d)", got, ids[:3], want, ids[3])
		}
		for _, tt := range []struct {
			name string
			d    *db.DB
			at   time.Time
			want []int64
		}{
			{"a again, its lease lasting", a, now.Add(time.Minute), ids[:3]},
			{"b again, its lease lasting", b, now.Add(time.Minute), []int64{ids[4], ids[5]}},
		} {
			got, err := tt.d.DueFeeds(ctx, tt.at, 0)
			if err != nil || fmt.Sprint(feedIDs(got)) != fmt.Sprint(tt.want) {
				t.Errorf("%s: %v, %v; want %v", tt.name, feedIDs(got), err, tt.want)
			}
		}

		// a records one poll and dies holding the other two
		if err := a.RecordFeedPoll(ctx, briefings.FeedPoll{FeedID: ids[0], OK: true, At: now, NextPoll: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if err := a.Close(); err != nil {
			t.Fatal(err)
		}
		c := mustOpenAt(t, url)
		if got, err := c.DueFeeds(ctx, now.Add(29*time.Minute), 0); err != nil || len(got) != 0 {
			t.Errorf("c claimed %v, %v while the leases of a and b last; want none", feedIDs(got), err)
		}
		// b's polls fail: recorded all the same, the lease ends, and the
		// retry is due at the time the poller set
		for _, id := range ids[4:] {
			if err := b.RecordFeedPoll(ctx, briefings.FeedPoll{FeedID: id, At: now, Failures: 1, Error: "timeout", NextPoll: now.Add(10 * time.Minute)}); err != nil {
				t.Fatal(err)
			}
		}
		got, err := c.DueFeeds(ctx, now.Add(10*time.Minute), 0)
		if err != nil || fmt.Sprint(feedIDs(got)) != fmt.Sprint(ids[4:]) {
			t.Fatalf("c at b's retry time: %v, %v; want %v", feedIDs(got), err, ids[4:])
		}
		for _, id := range ids[4:] {
			if err := c.RecordFeedPoll(ctx, briefings.FeedPoll{FeedID: id, OK: true, At: now, NextPoll: now.Add(time.Hour)}); err != nil {
				t.Fatal(err)
			}
		}
		// a's lease runs out 30 minutes after its last claim (at +1m): c
		// takes what a left, and not the feed a polled
		if got, err := c.DueFeeds(ctx, now.Add(31*time.Minute), 0); err != nil || len(got) != 0 {
			t.Errorf("c claimed %v, %v as a's lease runs out; want none yet", feedIDs(got), err)
		}
		got, err = c.DueFeeds(ctx, now.Add(31*time.Minute+time.Second), 0)
		if err != nil || fmt.Sprint(feedIDs(got)) != fmt.Sprint(ids[1:3]) {
			t.Fatalf("c after a's lease ran out: %v, %v; want %v", feedIDs(got), err, ids[1:3])
		}
		var holder string
		if err := c.CountForTest(ctx, fmt.Sprintf(`SELECT count(DISTINCT leased_by) || ':' || count(*) FROM feeds WHERE leased_until <> '' AND id IN (%d, %d)`, ids[1], ids[2]), &holder); err != nil || holder != "1:2" {
			t.Errorf("leases of the feeds c took over: %q, %v; want both held by one store", holder, err)
		}
		if got, err := b.DueFeeds(ctx, now.Add(32*time.Minute), 0); err != nil || len(got) != 0 {
			t.Errorf("b claimed %v, %v while c holds them; want none", feedIDs(got), err)
		}
	})
}

// A review card waiting to be posted goes to one poller: the one that
// claims it, while other pollers' claims skip it until the try is recorded
// or the claim's lease runs out, even when they claim at once. The cards
// of a feed that another poller is polling are left to that poller.
func TestFeeds_WaitingCardsClaimedOnce(t *testing.T) {
	t.Parallel()
	eachSharedBackend(t, func(t *testing.T, url string, a, b *db.DB) {
		ctx := context.Background()
		ids := addFeeds(t, a, 6)
		for i, id := range ids {
			item := briefings.FeedItem{FeedID: id, Key: "item", Hash: fmt.Sprintf("h%d", i),
				State: briefings.FeedItemDrafted, Card: briefings.FeedCardWaiting}
			draft := kimPutin()
			draft.Slug, draft.Status = fmt.Sprintf("feed-draft-%d", i), briefings.StatusDraft
			if _, err := a.SaveCurated(ctx, briefings.Write{GuildID: fmt.Sprintf("g%d", i%3), Briefing: draft, By: briefings.FeedAuthor(id),
				Action: briefings.AuditDraft, FeedItem: &item}); err != nil {
				t.Fatal(err)
			}
		}
		cardFeeds := func(cs []briefings.FeedCard) []int64 {
			out := []int64{}
			for _, c := range cs {
				out = append(out, c.Feed.ID)
			}
			sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
			return out
		}
		// b is polling the last feed: its card is b's to post
		if due, err := b.DueFeeds(ctx, now, 0); err != nil || len(due) != len(ids) {
			t.Fatalf("b claimed %v, %v", feedIDs(due), err)
		}
		for _, id := range ids[:5] {
			if err := b.RecordFeedPoll(ctx, briefings.FeedPoll{FeedID: id, OK: true, At: now, NextPoll: now.Add(time.Hour)}); err != nil {
				t.Fatal(err)
			}
		}
		cs, err := a.WaitingFeedCards(ctx, now, 0)
		if err != nil || fmt.Sprint(cardFeeds(cs)) != fmt.Sprint(ids[:5]) {
			t.Fatalf("a claimed the cards of feeds %v, %v; want %v, not that of %d, which b is polling", cardFeeds(cs), err, ids[:5], ids[5])
		}
		if cs, err := b.WaitingFeedCards(ctx, now.Add(29*time.Minute), 0); err != nil || fmt.Sprint(cardFeeds(cs)) != fmt.Sprint(ids[5:]) {
			t.Fatalf("b claimed the cards of feeds %v, %v; want only its own feed's %d", cardFeeds(cs), err, ids[5])
		}
		// a posts two cards and dies holding three; b dies holding one
		for _, id := range ids[:2] {
			if err := a.RecordFeedCard(ctx, id, "item", "", time.Time{}); err != nil {
				t.Fatal(err)
			}
		}
		for _, d := range []*db.DB{a, b} {
			if err := d.Close(); err != nil {
				t.Fatal(err)
			}
		}
		// until the leases run out, no one takes them
		c, e := mustOpenAt(t, url), mustOpenAt(t, url)
		if cs, err := c.WaitingFeedCards(ctx, now.Add(29*time.Minute), 0); err != nil || len(cs) != 0 {
			t.Errorf("c claimed the cards of feeds %v, %v while the leases last; want none", cardFeeds(cs), err)
		}
		// then two claimers at once share the four left, each once
		var mu sync.Mutex
		var wg sync.WaitGroup
		var all []int64
		for _, d := range []*db.DB{c, e} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					cs, err := d.WaitingFeedCards(ctx, now.Add(time.Hour), 1)
					if err != nil {
						t.Error(err)
						return
					}
					if len(cs) == 0 {
						return
					}
					mu.Lock()
					all = append(all, cardFeeds(cs)...)
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
		if fmt.Sprint(all) != fmt.Sprint(ids[2:]) {
			t.Errorf("after the leases the cards of feeds %v were claimed; want %v, each once, and not the two posted", all, ids[2:])
		}
	})
}

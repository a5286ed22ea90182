package feed_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"briefbot/briefings"
	"briefbot/briefings/feed"
)

// crashAfterSave drafts with the real drafter, then fails as if the
// process died right after the draft was saved: before the poller could
// do anything else with it.
type crashAfterSave struct {
	feed.Drafter
	crashes atomic.Int32
}

func (c *crashAfterSave) DraftFromFeed(ctx context.Context, f briefings.Feed, a *briefings.WebArticle, note string, item *briefings.FeedItem) (*briefings.Briefing, error) {
	b, err := c.Drafter.DraftFromFeed(ctx, f, a, note, item)
	if err == nil && c.crashes.Add(-1) >= 0 {
		return nil, errors.New("the process died after saving the draft")
	}
	return b, err
}

// A crash right after an item's draft is saved neither loses the item nor
// drafts it twice: the next poll finds it remembered, posts its review
// card, and drafts only the items not yet drafted.
func TestPoll_CrashAfterSavingDraftDraftsOnce(t *testing.T) {
	s := newSite(t)
	s.serve("/world/rss", "rss2_content_encoded.xml", "application/rss+xml", "")
	s.serve("/world/2026/03/ferry-crossings-suspended", "article_ferry.html", "text/html", "")
	s.serve("/world/2026/03/dredging-approved", "article_dredging.html", "text/html", "")
	e := newEnv(t)
	crash := &crashAfterSave{Drafter: e.poller.Drafter}
	crash.crashes.Store(1)
	e.poller.Drafter = crash
	f := e.add(t, briefings.Feed{URL: s.URL + "/world/rss"})
	ctx := context.Background()

	if _, err := e.poller.PollDue(ctx); err == nil {
		t.Fatal("the crash went unnoticed")
	}
	if _, total, _ := e.lib.Drafts(ctx, guild, 10); total != 1 {
		t.Fatalf("drafts after the crash: %d, want the 1 saved before it", total)
	}
	if len(e.cards.drafts) != 0 {
		t.Fatalf("review cards before the crash: %v", e.cards.drafts)
	}
	if got := e.feed(t, f.ID); !got.NextPoll.Equal(e.now) || got.Items != 1 {
		t.Fatalf("after the crash the feed should still be due, with its 1 item remembered: %+v", got)
	}

	// restarted: the same poll again
	rep := e.pollDue(t)
	if rep.Cards.Posted != 1 || len(rep.Results) != 1 || len(rep.Results[0].Drafts) != 1 || rep.Results[0].Err != nil {
		t.Fatalf("poll after the crash: cards %+v, results %+v", rep.Cards, rep.Results)
	}
	drafts, total, err := e.lib.Drafts(ctx, guild, 10)
	if err != nil || total != 2 {
		t.Fatalf("drafts: %d, %v; want exactly one per item (2)", total, err)
	}
	if drafts[0].Title == drafts[1].Title {
		t.Errorf("the same item was drafted twice: %+v", drafts)
	}
	if len(e.cards.drafts) != 2 || e.cards.drafts[0] == e.cards.drafts[1] {
		t.Errorf("review cards: %v, want one per draft", e.cards.drafts)
	}
	// and nothing more later
	e.now = e.now.Add(time.Hour)
	if rep := e.pollDue(t); rep.Cards.Posted != 0 || len(rep.Results[0].Drafts) != 0 {
		t.Errorf("a later poll: cards %+v, drafts %d", rep.Cards, len(rep.Results[0].Drafts))
	}
	if _, total, _ := e.lib.Drafts(ctx, guild, 10); total != 2 || len(e.cards.drafts) != 2 {
		t.Errorf("after a later poll: %d drafts, cards %v", total, e.cards.drafts)
	}
}

// Review cards the review channel refuses are not lost: they wait with
// the reason, which the feed shows, and are tried again at later polls,
// each time after a longer wait and once per channel and round, until
// they are posted. Resuming the feed tries them at once.
func TestPoll_RefusedReviewCardsWaitAndRetry(t *testing.T) {
	s := newSite(t)
	s.serve("/world/rss", "rss2_content_encoded.xml", "application/rss+xml", "")
	s.serve("/world/2026/03/ferry-crossings-suspended", "article_ferry.html", "text/html", "")
	s.serve("/world/2026/03/dredging-approved", "article_dredging.html", "text/html", "")
	e := newEnv(t)
	const why = "Missing Access — give the bot View Channel, Send Messages and Embed Links there."
	e.cards.refuse = briefings.Errorf(briefings.EINVALID, "%s", why)
	f := e.add(t, briefings.Feed{URL: s.URL + "/world/rss"})

	rep := e.pollDue(t)
	if r := rep.Results[0]; len(r.Drafts) != 2 || r.CardsNotPosted != 2 || r.CardError != why {
		t.Fatalf("first poll: drafts %d, cards not posted %d (%q)", len(r.Drafts), r.CardsNotPosted, r.CardError)
	}
	if e.cards.tries != 1 {
		t.Errorf("%d tries in the refusing channel in one round, want 1", e.cards.tries)
	}
	if got := e.feed(t, f.ID); got.CardsWaiting != 2 || got.CardsError != why {
		t.Fatalf("feed: %d cards waiting (%q)", got.CardsWaiting, got.CardsError)
	}
	// each retry waits longer: 1, 2, 4 minutes
	for _, wait := range []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute} {
		e.now = e.now.Add(wait - time.Second)
		tries := e.cards.tries
		if rep := e.pollDue(t); rep.Cards.Posted+rep.Cards.NotPosted != 0 || e.cards.tries != tries {
			t.Fatalf("%s after the last try: tried again too soon: %+v", wait-time.Second, rep.Cards)
		}
		e.now = e.now.Add(time.Second)
		rep := e.pollDue(t)
		if rep.Cards.NotPosted != 2 || rep.Cards.Error != why || e.cards.tries != tries+1 {
			t.Fatalf("retry after %s: %+v, %d tries", wait, rep.Cards, e.cards.tries-tries)
		}
	}
	// resuming the feed tries them at once
	if err := e.lib.SetFeedPaused(context.Background(), guild, f.ID, false, "", "test"); err != nil {
		t.Fatal(err)
	}
	tries := e.cards.tries
	if rep := e.pollDue(t); rep.Cards.NotPosted != 2 || e.cards.tries != tries+1 {
		t.Fatalf("after resume: %+v", rep.Cards)
	}
	// the channel is fixed: the next retry posts both, in order
	e.cards.refuse = nil
	e.now = e.now.Add(time.Hour)
	rep = e.pollDue(t)
	if rep.Cards.Posted != 2 || rep.Cards.NotPosted != 0 || len(e.cards.drafts) != 2 {
		t.Fatalf("once allowed: %+v, cards %v", rep.Cards, e.cards.drafts)
	}
	if got := e.feed(t, f.ID); got.CardsWaiting != 0 || got.CardsError != "" {
		t.Errorf("feed after posting: %d waiting (%q)", got.CardsWaiting, got.CardsError)
	}
	if strings.Contains(e.cards.notes[0], "summary") || !strings.Contains(e.cards.notes[0], "From the feed") {
		t.Errorf("the retried card lost its note: %q", e.cards.notes)
	}
	e.now = e.now.Add(time.Hour)
	if rep := e.pollDue(t); rep.Cards.Posted != 0 || len(e.cards.drafts) != 2 {
		t.Errorf("posted again: %+v", rep.Cards)
	}

}

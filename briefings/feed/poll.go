package feed

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"time"

	"briefbot/briefings"
	"briefbot/briefings/article"
	"briefbot/internal/retry"
)

// Defaults of a Poller.
const (
	// DefaultItemsPerPoll caps the items one poll of one feed drafts.
	DefaultItemsPerPoll = 10
	// DefaultWorkers is how many sites are polled at once.
	DefaultWorkers = 4
	// maxBackoff bounds the wait after failures.
	maxBackoff = 6 * time.Hour
	// maxRetryAfter bounds how long a site's Retry-After is honoured.
	maxRetryAfter = 24 * time.Hour
)

// Web fetches from the public web: feeds and article pages. *article.Fetcher
// is one.
type Web interface {
	// GetFeed fetches a feed with a conditional GET.
	GetFeed(ctx context.Context, r article.FeedRequest) (*article.FeedResponse, error)
	// Fetch reads the article page at rawURL.
	Fetch(ctx context.Context, rawURL string) (*briefings.WebArticle, error)
}

// Drafter drafts a briefing from an article a feed brought, files it under
// the feed's topic, saves it as the feed's draft and, when the feed
// publishes at once, publishes it. It saves item, the feed's item, with
// the draft in one transaction (briefings.Write.FeedItem), so that an item
// is never drafted twice. *commands.Router is one.
type Drafter interface {
	DraftFromFeed(ctx context.Context, f briefings.Feed, a *briefings.WebArticle, note string, item *briefings.FeedItem) (*briefings.Briefing, error)
}

// Reviewer shows moderators what a feed brought: a review card for each
// draft, and a notice for each item the feed changed after it was drafted.
type Reviewer interface {
	// ReviewDraft posts the review card of the briefing with the ID (a
	// draft, or one published at once) in the feed's review channel. A
	// briefing that is gone, or retracted, needs no card: that is no
	// error. An error says why the card could not be posted, in
	// Discord's terms when it can (a briefings.Error), and the card is
	// tried again later.
	ReviewDraft(ctx context.Context, f briefings.Feed, briefingID int64, note string) error
	// ReviewUpdate offers an item the feed changed after it was drafted
	// as an update to its draft or briefing.
	ReviewUpdate(ctx context.Context, f briefings.Feed, item briefings.FeedItem, e Entry) error
}

// Poller polls the feeds that are due and drafts their new items.
type Poller struct {
	// Store keeps the feeds and the items seen; required.
	Store briefings.FeedStore
	// Web fetches feeds and article pages; required.
	Web Web
	// Drafter drafts new items; required.
	Drafter Drafter
	// Reviewer, when set, posts review cards.
	Reviewer Reviewer
	// ItemsPerPoll caps the items one poll of one feed drafts; 0 means
	// DefaultItemsPerPoll.
	ItemsPerPoll int
	// Workers is how many sites are polled at once; 0 means DefaultWorkers.
	Workers int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives what each poll did; nil discards it.
	Logger *slog.Logger

	once  sync.Once
	hosts *hostGate
}

// Result is what one poll of one feed did.
type Result struct {
	// Feed is the feed as it was before the poll.
	Feed briefings.Feed
	// NotModified is true when the feed answered 304.
	NotModified bool
	// Drafts are the briefings drafted (or published) from new items.
	Drafts []*briefings.Briefing
	// FromSummary counts the drafts made from the feed's summary because
	// the article page could not be fetched.
	FromSummary int
	// Updated counts items the feed changed after they were drafted.
	Updated int
	// Skipped counts new items left out: over the per-poll cap on a first
	// poll, re-published copies, or items that could not be drafted.
	Skipped int
	// Waiting counts new items left for the next poll (over the cap),
	// which then comes at briefings.MinFeedInterval.
	Waiting int
	// CardsNotPosted counts the drafts whose review card could not be
	// posted, CardError says why; they are tried again at later polls.
	CardsNotPosted int
	CardError      string
	// Err says why the poll failed; nil when it did not.
	Err error
	// Paused is true when this failure paused the feed.
	Paused bool
}

// Report is what one round of polling did.
type Report struct {
	// Results has one entry per feed polled, in the order polled.
	Results []Result
	// Cards is what became of the review cards that were waiting from
	// earlier polls.
	Cards CardsReport
}

func (p *Poller) init() {
	p.once.Do(func() {
		p.hosts = &hostGate{hosts: map[string]*hostState{}}
		if p.Logger == nil {
			p.Logger = slog.New(slog.DiscardHandler)
		}
	})
}

func (p *Poller) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

// PollDue polls every feed that is due, one request at a time per site and
// up to Workers sites at once. A feed's failure is its Result's; the error
// is the store's.
func (p *Poller) PollDue(ctx context.Context) (Report, error) {
	p.init()
	rd := newRound()
	cards, err := p.deliverWaiting(ctx, rd)
	if err != nil {
		return Report{Cards: cards}, err
	}
	due, err := p.Store.DueFeeds(ctx, p.now(), 0)
	if err != nil {
		return Report{Cards: cards}, err
	}
	// the feeds of one site are polled in turn by one worker
	var order []string
	bySite := map[string][]briefings.Feed{}
	for _, f := range due {
		h := host(f.URL)
		if _, ok := bySite[h]; !ok {
			order = append(order, h)
		}
		bySite[h] = append(bySite[h], f)
	}
	workers := p.Workers
	if workers <= 0 {
		workers = DefaultWorkers
	}
	var (
		mu       sync.Mutex
		results  = map[int64]Result{}
		firstErr error
		wg       sync.WaitGroup
		sites    = make(chan string)
	)
	for range min(workers, max(1, len(order))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for h := range sites {
				for _, f := range bySite[h] {
					if ctx.Err() != nil {
						return
					}
					res, err := p.pollFeed(ctx, f, rd)
					mu.Lock()
					results[f.ID] = res
					if err != nil && firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	for _, h := range order {
		select {
		case sites <- h:
		case <-ctx.Done():
		}
	}
	close(sites)
	wg.Wait()
	rep := Report{Cards: cards}
	for _, f := range due {
		if r, ok := results[f.ID]; ok {
			rep.Results = append(rep.Results, r)
		}
	}
	return rep, firstErr
}

func (p *Poller) pollFeed(ctx context.Context, f briefings.Feed, rd *round) (Result, error) {
	res := Result{Feed: f}
	site := host(f.URL)
	if wait := p.hosts.notBefore(site).Sub(p.now()); wait > 0 {
		// the site asked every client to wait (Retry-After): no request
		res.Err = briefings.Errorf(briefings.EINVALID, "The site asked to wait %s before the next request.", wait.Round(time.Second))
		return res, p.Store.RecordFeedPoll(ctx, briefings.FeedPoll{FeedID: f.ID, At: p.now(), Failures: f.Failures,
			Error: briefings.ErrorMessage(res.Err), NextPoll: p.now().Add(max(wait, f.Interval))})
	}
	var resp *article.FeedResponse
	var err error
	p.hosts.do(site, func() {
		resp, err = p.Web.GetFeed(ctx, article.FeedRequest{URL: f.URL, ETag: f.ETag, LastModified: f.LastModified})
	})
	if ctx.Err() != nil {
		return res, ctx.Err()
	}
	var later *article.RetryLater
	if errors.As(err, &later) {
		wait := min(max(later.After, f.Interval), maxRetryAfter)
		if later.After > 0 {
			p.hosts.wait(site, p.now().Add(min(later.After, maxRetryAfter)))
		}
		res.Err = later
		p.Logger.InfoContext(ctx, "feed asked to wait", "feed", f.ID, "url", f.URL, "status", later.Status, "retry_after", later.After)
		return res, p.Store.RecordFeedPoll(ctx, briefings.FeedPoll{FeedID: f.ID, At: p.now(), Failures: f.Failures,
			Error: "The site answered " + later.Status + "; as it asked, I wait " + wait.Round(time.Second).String() + " before polling again.", NextPoll: p.now().Add(wait)})
	}
	var parsed *Parsed
	if err == nil && !resp.NotModified {
		parsed, err = Parse(resp.Body, resp.ContentType, resp.URL)
	}
	if err != nil {
		return p.failed(ctx, res, err)
	}
	poll := briefings.FeedPoll{FeedID: f.ID, OK: true, ETag: resp.ETag, LastModified: resp.LastModified}
	if resp.NotModified {
		res.NotModified = true
	} else {
		poll.Title = briefings.Truncate(parsed.Title, 200)
		if err := p.items(ctx, f, parsed, &res, rd); err != nil {
			return res, err
		}
	}
	poll.At = p.now()
	poll.NextPoll = poll.At.Add(f.Interval)
	if res.Waiting > 0 {
		// a backlog over the cap drains at the shortest interval, and
		// the next poll reads the whole feed, not a 304
		poll.NextPoll = poll.At.Add(min(f.Interval, briefings.MinFeedInterval))
		poll.Reread = true
	}
	p.Logger.InfoContext(ctx, "feed polled", "feed", f.ID, "url", f.URL, "not_modified", res.NotModified,
		"drafted", len(res.Drafts), "from_summary", res.FromSummary, "updated", res.Updated, "skipped", res.Skipped, "waiting", res.Waiting)
	return res, p.Store.RecordFeedPoll(ctx, poll)
}

// failed records a failed poll: the next one waits longer each time, and
// the feed is paused after FeedFailuresToPause failures in a row.
func (p *Poller) failed(ctx context.Context, res Result, err error) (Result, error) {
	f := res.Feed
	res.Err = err
	msg := briefings.ErrorMessage(err)
	if briefings.ErrorCode(err) == briefings.EINTERNAL {
		msg = briefings.Truncate(err.Error(), 300)
	}
	n := f.Failures + 1
	// the feed's interval, doubled per earlier failure in a row
	backoff := retry.Policy{Backoff: f.Interval, Max: maxBackoff}.Wait(n-1, retry.Verdict{Again: true})
	poll := briefings.FeedPoll{FeedID: f.ID, At: p.now(), Failures: n, Error: msg, NextPoll: p.now().Add(backoff)}
	if n >= briefings.FeedFailuresToPause {
		poll.Pause, res.Paused = true, true
		poll.Error = fmt.Sprintf("%d polls in a row failed; the last: %s", n, msg)
	}
	p.Logger.WarnContext(ctx, "feed poll failed", "feed", f.ID, "url", f.URL, "failures", n, "paused", poll.Pause, "err", err)
	return res, p.Store.RecordFeedPoll(ctx, poll)
}

// items drafts the parsed feed's new items, newest first, and offers the
// changed ones as updates.
func (p *Poller) items(ctx context.Context, f briefings.Feed, parsed *Parsed, res *Result, rd *round) error {
	var keys, hashes []string
	for _, e := range parsed.Entries {
		keys, hashes = append(keys, e.Key), append(hashes, e.Hash)
	}
	seen, known, err := p.Store.SeenFeedItems(ctx, f.ID, keys, hashes)
	if err != nil {
		return err
	}
	// a feed's first poll drafts its newest items and leaves the backlog
	first := f.LastOK.IsZero() && len(seen) == 0
	limit := p.ItemsPerPoll
	if limit <= 0 {
		limit = DefaultItemsPerPoll
	}
	inThisPoll := map[string]bool{}
	for _, e := range parsed.Entries {
		if inThisPoll[e.Key] {
			continue
		}
		inThisPoll[e.Key] = true
		if old, ok := seen[e.Key]; ok {
			if old.Hash == e.Hash {
				continue
			}
			old.Hash, old.Title, old.Link, old.UpdatedAt = e.Hash, e.Title, e.Link, p.now()
			if err := p.Store.SaveFeedItem(ctx, old); err != nil {
				return err
			}
			res.Updated++
			if old.BriefingID != 0 && p.Reviewer != nil && f.ReviewChannelID != "" {
				if err := p.Reviewer.ReviewUpdate(ctx, f, old, e); err != nil {
					p.Logger.WarnContext(ctx, "could not post a feed update notice", "feed", f.ID, "item", e.Key, "err", err)
				}
			}
			continue
		}
		item := briefings.FeedItem{FeedID: f.ID, Key: e.Key, Hash: e.Hash, Link: briefings.Truncate(e.Link, briefings.MaxURL),
			Title: briefings.Truncate(e.Title, briefings.MaxTitle)}
		switch {
		case known[e.Hash]:
			// the same content under another GUID or link: not new
			item.State = briefings.FeedItemSkipped
			res.Skipped++
		case len(res.Drafts) >= limit && first:
			item.State = briefings.FeedItemSkipped
			res.Skipped++
		case len(res.Drafts) >= limit:
			res.Waiting++
			continue
		default:
			// the drafter saves the item with its draft, in one
			// transaction: a crash after it leaves the item remembered
			// and its review card waiting, never a draft made twice
			b, err := p.draft(ctx, f, e, &item)
			if err != nil {
				if code := briefings.ErrorCode(err); code != briefings.EINVALID && code != briefings.ECONFLICT {
					return fmt.Errorf("draft %s of feed %d: %w", e.Link, f.ID, err)
				}
				p.Logger.WarnContext(ctx, "feed item not drafted", "feed", f.ID, "item", e.Key, "err", err)
				item.State = briefings.FeedItemSkipped
				item.Card, item.CardNote = briefings.FeedCardNone, ""
				res.Skipped++
				break
			}
			known[e.Hash] = true
			item.BriefingID = b.ID
			if item.State == briefings.FeedItemFromSummary {
				res.FromSummary++
			}
			res.Drafts = append(res.Drafts, b)
			if item.Card == briefings.FeedCardWaiting {
				posted, why, err := p.postCard(ctx, rd, f, item)
				if err != nil {
					return err
				}
				if !posted {
					res.CardsNotPosted++
					res.CardError = why
				}
			}
			continue
		}
		if err := p.Store.SaveFeedItem(ctx, item); err != nil {
			return err
		}
	}
	return nil
}

// draft fetches the item's article and drafts it, saving item with it;
// when the page cannot be fetched, the draft is made from the feed's own
// text and says so. It sets item's state and, when the feed has a review
// channel and the poller a Reviewer, marks its review card waiting.
func (p *Poller) draft(ctx context.Context, f briefings.Feed, e Entry, item *briefings.FeedItem) (*briefings.Briefing, error) {
	var a *briefings.WebArticle
	var fetchErr error
	if e.Link == "" {
		fetchErr = errors.New("the item links to no article")
	} else {
		p.hosts.do(host(e.Link), func() { a, fetchErr = p.Web.Fetch(ctx, e.Link) })
	}
	note := "From the feed " + f.Name() + "."
	fromSummary := fetchErr != nil
	if fromSummary {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		why := briefings.ErrorMessage(fetchErr)
		if briefings.ErrorCode(fetchErr) == briefings.EINTERNAL {
			why = briefings.Truncate(fetchErr.Error(), 200)
		}
		note = "Drafted from the feed's summary: the article page could not be fetched (" + strings.TrimRight(why, ".") + "). " +
			"Check it against the article before publishing. " + note
		text := e.Text
		if strings.TrimSpace(text) == "" {
			text = e.Title
		}
		a = &briefings.WebArticle{URL: e.Link, Title: e.Title, Author: e.Author, Text: text}
		if !e.Published.IsZero() {
			a.Published = briefings.DateFromTime(e.Published)
		}
	} else if a.Published.IsZero() && !e.Published.IsZero() {
		a.Published = briefings.DateFromTime(e.Published)
	}
	if a.URL == "" {
		a.URL = e.Link
	}
	if strings.TrimSpace(a.Title) == "" {
		a.Title = e.Title
	}
	item.State = briefings.FeedItemDrafted
	if fromSummary {
		item.State = briefings.FeedItemFromSummary
	}
	if p.Reviewer != nil && f.ReviewChannelID != "" {
		item.Card, item.CardNote = briefings.FeedCardWaiting, note
	}
	return p.Drafter.DraftFromFeed(ctx, f, a, note, item)
}

// Run polls the due feeds every tick until ctx ends. A round's errors are
// logged; the next round tries again.
func (p *Poller) Run(ctx context.Context, tick time.Duration) {
	p.init()
	if tick <= 0 {
		tick = 30 * time.Second
	}
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		if _, err := p.PollDue(ctx); err != nil && ctx.Err() == nil {
			p.Logger.ErrorContext(ctx, "feed polling failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// host is the site of an address, for the one-request-at-a-time rule.
func host(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return strings.ToLower(u.Hostname())
}

// hostGate lets one request at a time go to each site, and remembers how
// long a site asked every client to wait.
type hostGate struct {
	mu    sync.Mutex
	hosts map[string]*hostState
}

type hostState struct {
	busy  sync.Mutex
	until time.Time
}

func (g *hostGate) state(h string) *hostState {
	g.mu.Lock()
	defer g.mu.Unlock()
	s, ok := g.hosts[h]
	if !ok {
		s = &hostState{}
		g.hosts[h] = s
	}
	return s
}

// do runs fn while no other request to the site runs.
func (g *hostGate) do(h string, fn func()) {
	s := g.state(h)
	s.busy.Lock()
	defer s.busy.Unlock()
	fn()
}

func (g *hostGate) wait(h string, until time.Time) {
	s := g.state(h)
	g.mu.Lock()
	defer g.mu.Unlock()
	if until.After(s.until) {
		s.until = until
	}
}

func (g *hostGate) notBefore(h string) time.Time {
	s := g.state(h)
	g.mu.Lock()
	defer g.mu.Unlock()
	return s.until
}

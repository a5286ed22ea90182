package feed_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"briefbot/briefings"
	"briefbot/briefings/article"
	"briefbot/briefings/feed"
	"briefbot/commands"
	"briefbot/db"
)

const guild = "100000000000000001"

// site is a loopback web server holding feeds and article pages, whose
// fixtures name https://courier.example; it serves them with its own
// address instead, and records what it was asked.
type site struct {
	*httptest.Server
	t      *testing.T
	mu     sync.Mutex
	routes map[string]http.HandlerFunc
	asked  []*http.Request
	active atomic.Int32
	most   atomic.Int32
}

func newSite(t *testing.T) *site {
	s := &site{t: t, routes: map[string]http.HandlerFunc{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := s.active.Add(1)
		defer s.active.Add(-1)
		for {
			m := s.most.Load()
			if n <= m || s.most.CompareAndSwap(m, n) {
				break
			}
		}
		time.Sleep(5 * time.Millisecond) // long enough for overlapping requests to show
		s.mu.Lock()
		s.asked = append(s.asked, r.Clone(context.Background()))
		h := s.routes[r.URL.Path]
		s.mu.Unlock()
		if h == nil {
			http.NotFound(w, r)
			return
		}
		h(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

// fixture returns a testdata file with the site's address in place of the
// fictional one.
func (s *site) fixture(name string) []byte {
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		s.t.Fatal(err)
	}
	return []byte(strings.ReplaceAll(string(data), "https://courier.example", s.URL))
}

func (s *site) route(path string, h http.HandlerFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.routes[path] = h
}

// serve answers path with the fixture, honouring If-None-Match.
func (s *site) serve(path, file, contentType, etag string) {
	body := s.fixture(file)
	s.route(path, func(w http.ResponseWriter, r *http.Request) {
		if etag != "" {
			w.Header().Set("ETag", etag)
			if r.Header.Get("If-None-Match") == etag {
				w.WriteHeader(http.StatusNotModified)
				return
			}
		}
		w.Header().Set("Content-Type", contentType)
		w.Write(body)
	})
}

func (s *site) requests(path string) []*http.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*http.Request
	for _, r := range s.asked {
		if r.URL.Path == path {
			out = append(out, r)
		}
	}
	return out
}

// env is a real library with a router to draft, and a poller on a clock
// the test moves.
type env struct {
	lib    *db.DB
	poller *feed.Poller
	now    time.Time
	cards  *cards
}

// cards records what the poller offered for review; while refuse is set,
// it refuses every review card with it.
type cards struct {
	lib     *db.DB
	mu      sync.Mutex
	drafts  []string
	notes   []string
	updates []string
	refuse  error
	tries   int
}

func (c *cards) ReviewDraft(ctx context.Context, _ briefings.Feed, id int64, note string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.tries++
	if c.refuse != nil {
		return c.refuse
	}
	b, err := c.lib.EditableBriefing(ctx, id)
	if err != nil {
		return err
	}
	c.drafts = append(c.drafts, b.Slug)
	c.notes = append(c.notes, note)
	return nil
}

func (c *cards) ReviewUpdate(_ context.Context, _ briefings.Feed, it briefings.FeedItem, e feed.Entry) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.updates = append(c.updates, it.Title)
	return nil
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	lib, err := db.Open(ctx, filepath.Join(t.TempDir(), "feeds.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lib.Close() })
	e := &env{lib: lib, now: time.Date(2026, 3, 5, 12, 0, 0, 0, time.UTC), cards: &cards{lib: lib}}
	lib.Now = func() time.Time { return e.now }
	router := commands.New(lib, commands.Options{Curator: lib, Now: func() time.Time { return e.now }})
	e.poller = &feed.Poller{Store: lib, Drafter: router, Reviewer: e.cards, Now: func() time.Time { return e.now },
		Web: article.New(article.Config{AllowLoopback: true, Timeout: 5 * time.Second})}
	return e
}

func (e *env) add(t *testing.T, f briefings.Feed) briefings.Feed {
	t.Helper()
	f.GuildID = guild
	if f.Topic == "" {
		f.Topic = "Baltic ports"
	}
	if f.ReviewChannelID == "" {
		f.ReviewChannelID = "200000000000000002"
	}
	out, err := e.lib.AddFeed(context.Background(), f, 20)
	if err != nil {
		t.Fatal(err)
	}
	return *out
}

func (e *env) pollDue(t *testing.T) feed.Report {
	t.Helper()
	rep, err := e.poller.PollDue(context.Background())
	if err != nil {
		t.Fatalf("PollDue: %v", err)
	}
	return rep
}

func (e *env) feed(t *testing.T, id int64) *briefings.Feed {
	t.Helper()
	f, err := e.lib.FeedByID(context.Background(), guild, id)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// A new feed's items are fetched, drafted under its topic and offered for
// review; polling again drafts nothing new, whether the site answers 304
// or sends the same feed again.
func TestPoll_DraftsNewItemsOnce(t *testing.T) {
	s := newSite(t)
	s.serve("/world/rss", "rss2_content_encoded.xml", "application/rss+xml; charset=utf-8", `"v1"`)
	s.serve("/world/2026/03/ferry-crossings-suspended", "article_ferry.html", "text/html; charset=utf-8", "")
	s.serve("/world/2026/03/dredging-approved", "article_dredging.html", "text/html; charset=utf-8", "")
	e := newEnv(t)
	f := e.add(t, briefings.Feed{URL: s.URL + "/world/rss"})

	rep := e.pollDue(t)
	if len(rep.Results) != 1 || rep.Results[0].Err != nil || len(rep.Results[0].Drafts) != 2 {
		t.Fatalf("first poll: %+v", rep.Results)
	}
	ctx := context.Background()
	drafts, total, err := e.lib.Drafts(ctx, guild, 10)
	if err != nil || total != 2 {
		t.Fatalf("drafts = %d, %v; want 2", total, err)
	}
	ferry, err := e.lib.BriefingWithStatus(ctx, guild, rep.Results[0].Drafts[0].Slug, briefings.StatusDraft)
	if err != nil {
		t.Fatal(err)
	}
	// the page's article, not its cookie banner, navigation, related links or comments
	if !strings.Contains(ferry.Body, "4,000 passengers had been rebooked onto sailings") ||
		strings.Contains(ferry.Body, "cookie") || strings.Contains(ferry.Body, "Better safe") || strings.Contains(ferry.Body, "Last winter") {
		t.Errorf("ferry draft body:\n%s", ferry.Body)
	}
	if ferry.Title != "Ferry operators suspend Baltic crossings as storm nears" || ferry.Published.String() != "2026-03-03" ||
		ferry.Source.Name != "Northsea Courier" || len(ferry.Topics) != 1 {
		t.Errorf("ferry draft: title %q published %s source %+v topics %v", ferry.Title, ferry.Published, ferry.Source, ferry.Topics)
	}
	dredging, err := e.lib.BriefingWithStatus(ctx, guild, rep.Results[0].Drafts[1].Slug, briefings.StatusDraft)
	if err != nil {
		t.Fatal(err)
	}
	// the page's <title> ends with the site's name, which is not the headline's
	if dredging.Title != "Harbour authority approves dredging of main channel" || dredging.Source.Name != "Northsea Courier" {
		t.Errorf("dredging draft: title %q source %+v", dredging.Title, dredging.Source)
	}
	if len(drafts) != 2 || drafts[0].CreatedBy != briefings.FeedAuthor(f.ID) {
		t.Errorf("drafts %+v: want 2 by %s", drafts, briefings.FeedAuthor(f.ID))
	}
	if len(e.cards.drafts) != 2 {
		t.Errorf("review cards: %v", e.cards.drafts)
	}
	// every request names the bot
	for _, r := range s.asked {
		if !strings.HasPrefix(r.UserAgent(), "briefbot/") {
			t.Errorf("%s asked with User-Agent %q", r.URL.Path, r.UserAgent())
		}
	}

	// not due yet: nothing is asked
	if rep := e.pollDue(t); len(rep.Results) != 0 {
		t.Fatalf("polled before the interval: %+v", rep.Results)
	}
	e.now = e.now.Add(15 * time.Minute)
	rep = e.pollDue(t)
	if len(rep.Results) != 1 || !rep.Results[0].NotModified || len(rep.Results[0].Drafts) != 0 {
		t.Fatalf("second poll: %+v", rep.Results)
	}
	if got := s.requests("/world/rss"); len(got) != 2 || got[1].Header.Get("If-None-Match") != `"v1"` {
		t.Fatalf("feed requests: %d, second If-None-Match %q", len(got), got[len(got)-1].Header.Get("If-None-Match"))
	}
	// a site that ignores the validators: the same items are not new
	s.serve("/world/rss", "rss2_content_encoded.xml", "application/rss+xml", "")
	e.now = e.now.Add(15 * time.Minute)
	rep = e.pollDue(t)
	if len(rep.Results) != 1 || rep.Results[0].NotModified || len(rep.Results[0].Drafts) != 0 || rep.Results[0].Err != nil {
		t.Fatalf("third poll: %+v", rep.Results)
	}
	if _, total, _ := e.lib.Drafts(ctx, guild, 10); total != 2 {
		t.Fatalf("drafts after three polls: %d", total)
	}
	if got := e.feed(t, f.ID); got.Items != 2 || got.Title != "Northsea Courier – World" || got.Failures != 0 {
		t.Errorf("feed after polls: %+v", got)
	}
}

// An item whose page cannot be fetched is drafted from the feed's summary,
// and the review card says so.
func TestPoll_DraftFromSummaryWhenPageFails(t *testing.T) {
	s := newSite(t)
	s.serve("/ledger.xml", "atom_xhtml.xml", "application/atom+xml", "")
	e := newEnv(t)
	// the entries' links lead to ledger.example; make them the site's, with no pages
	body := strings.ReplaceAll(string(s.fixture("atom_xhtml.xml")), "https://ledger.example/", s.URL+"/")
	s.route("/ledger.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/atom+xml")
		w.Write([]byte(body))
	})
	e.add(t, briefings.Feed{URL: s.URL + "/ledger.xml", Topic: "City council"})
	rep := e.pollDue(t)
	if len(rep.Results) != 1 || len(rep.Results[0].Drafts) != 2 || rep.Results[0].FromSummary != 2 {
		t.Fatalf("poll: %+v", rep.Results)
	}
	d := rep.Results[0].Drafts[0]
	if d.Title != "Council rejects bus fare rise" || !strings.Contains(d.Body+d.Summary, "voted on Wednesday against raising bus fares") {
		t.Errorf("draft from summary: %q / %q / %q", d.Title, d.Summary, d.Body)
	}
	if len(e.cards.notes) != 2 || !strings.Contains(e.cards.notes[0], "Drafted from the feed's summary") || !strings.Contains(e.cards.notes[0], "404") {
		t.Errorf("review notes: %q", e.cards.notes)
	}
}

// A re-published item (new GUID, same content) is not new; an item whose
// content changed is offered as an update, not drafted again.
func TestPoll_RepublishedAndUpdatedItems(t *testing.T) {
	s := newSite(t)
	body := string(s.fixture("jsonfeed.json"))
	var current atomic.Value
	current.Store(body)
	s.route("/feed.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/feed+json")
		w.Write([]byte(current.Load().(string)))
	})
	e := newEnv(t)
	e.add(t, briefings.Feed{URL: s.URL + "/feed.json", Topic: "Space"})
	rep := e.pollDue(t)
	if len(rep.Results[0].Drafts) != 2 {
		t.Fatalf("first poll: %+v", rep.Results)
	}
	republished := strings.Replace(body, `"id": "2026-03-02-crew"`, `"id": "2026-03-02-crew-copy"`, 1)
	updated := strings.Replace(republished, "a week after a launch was called off over a faulty valve", "eight days after a launch was called off over a faulty valve", 1)
	current.Store(updated)
	e.now = e.now.Add(time.Hour)
	rep = e.pollDue(t)
	r := rep.Results[0]
	if len(r.Drafts) != 0 || r.Updated != 1 || r.Skipped != 1 || r.Err != nil {
		t.Fatalf("second poll: drafts %d updated %d skipped %d err %v", len(r.Drafts), r.Updated, r.Skipped, r.Err)
	}
	if len(e.cards.updates) != 1 || e.cards.updates[0] != "Weather satellite reaches orbit on second attempt" {
		t.Errorf("updates offered: %q", e.cards.updates)
	}
	if _, total, _ := e.lib.Drafts(context.Background(), guild, 10); total != 2 {
		t.Errorf("drafts: %d, want 2", total)
	}
}

// A 429 with Retry-After is honoured: no failure counted, the next poll
// waits, and no other feed of the site is asked meanwhile.
func TestPoll_RetryAfter(t *testing.T) {
	s := newSite(t)
	s.route("/busy.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	s.serve("/world/rss", "rss2_content_encoded.xml", "application/rss+xml", "")
	e := newEnv(t)
	busy := e.add(t, briefings.Feed{URL: s.URL + "/busy.xml"})
	other := e.add(t, briefings.Feed{URL: s.URL + "/world/rss"})
	rep := e.pollDue(t)
	if len(rep.Results) != 2 {
		t.Fatalf("results: %+v", rep.Results)
	}
	if len(s.requests("/world/rss")) != 0 {
		t.Errorf("the site asked to wait, yet its other feed was fetched")
	}
	for _, id := range []int64{busy.ID, other.ID} {
		f := e.feed(t, id)
		if f.Failures != 0 || f.Paused || !f.NextPoll.Equal(e.now.Add(time.Hour)) || !strings.Contains(f.LastError, "wait") {
			t.Errorf("feed %d after the 429: failures %d paused %v next %s error %q", id, f.Failures, f.Paused, f.NextPoll, f.LastError)
		}
	}
	if got := e.feed(t, busy.ID).LastError; !strings.Contains(got, "429") {
		t.Errorf("busy feed's error %q does not name the 429", got)
	}
}

// A feed that redirects to a private address is refused before any
// connection; after five failures in a row it is paused with the reason,
// each retry waiting longer than the one before.
func TestPoll_RedirectToPrivateAddressPausesAfterFive(t *testing.T) {
	s := newSite(t)
	s.route("/moved.xml", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://10.20.30.40/internal/feed.xml", http.StatusFound)
	})
	e := newEnv(t)
	f := e.add(t, briefings.Feed{URL: s.URL + "/moved.xml"})
	var waits []time.Duration
	for i := 1; i <= briefings.FeedFailuresToPause; i++ {
		rep := e.pollDue(t)
		if len(rep.Results) != 1 || rep.Results[0].Err == nil {
			t.Fatalf("poll %d: %+v", i, rep.Results)
		}
		got := e.feed(t, f.ID)
		if got.Failures != i || got.Paused != (i == briefings.FeedFailuresToPause) {
			t.Fatalf("after poll %d: failures %d paused %v", i, got.Failures, got.Paused)
		}
		if !strings.Contains(got.LastError, "10.20.30.40, a private or local network address") {
			t.Fatalf("after poll %d: error %q", i, got.LastError)
		}
		waits = append(waits, got.NextPoll.Sub(e.now))
		e.now = got.NextPoll
	}
	for i := 1; i < len(waits)-1; i++ {
		if waits[i] <= waits[i-1] {
			t.Errorf("backoff did not grow: %v", waits)
		}
	}
	paused := e.feed(t, f.ID)
	if !strings.HasPrefix(paused.PauseReason, "5 polls in a row failed; the last: ") {
		t.Errorf("pause reason %q", paused.PauseReason)
	}
	// paused: never polled again until resumed
	e.now = e.now.Add(48 * time.Hour)
	if rep := e.pollDue(t); len(rep.Results) != 0 {
		t.Fatalf("a paused feed was polled")
	}
	if err := e.lib.SetFeedPaused(context.Background(), guild, f.ID, false, "", "test"); err != nil {
		t.Fatal(err)
	}
	if got := e.feed(t, f.ID); got.Paused || got.Failures != 0 || got.LastError != "" {
		t.Errorf("resumed feed: %+v", got)
	}
	if rep := e.pollDue(t); len(rep.Results) != 1 {
		t.Fatalf("a resumed feed was not due")
	}
}

// XML the parser must refuse counts as a failure that says why.
func TestPoll_RefusedFeed(t *testing.T) {
	s := newSite(t)
	s.serve("/bomb.xml", "refuse_entities.xml", "application/rss+xml", "")
	e := newEnv(t)
	f := e.add(t, briefings.Feed{URL: s.URL + "/bomb.xml"})
	rep := e.pollDue(t)
	if rep.Results[0].Err == nil {
		t.Fatal("a feed declaring entities was read")
	}
	if got := e.feed(t, f.ID); got.Failures != 1 || !strings.Contains(got.LastError, "declares XML entities") {
		t.Errorf("feed: failures %d error %q", got.Failures, got.LastError)
	}
}

// A poll drafts at most ItemsPerPoll items; on a feed's first poll the
// older ones are its backlog and are left out, later they wait their turn.
// Requests to one site never overlap.
func TestPoll_ItemCapAndOneRequestPerSite(t *testing.T) {
	s := newSite(t)
	s.serve("/world/rss", "rss2_content_encoded.xml", "application/rss+xml", "")
	s.serve("/world/2026/03/ferry-crossings-suspended", "article_ferry.html", "text/html", "")
	s.serve("/world/2026/03/dredging-approved", "article_dredging.html", "text/html", "")
	s.serve("/feed.json", "jsonfeed.json", "application/feed+json", "")
	e := newEnv(t)
	e.poller.ItemsPerPoll = 1
	e.add(t, briefings.Feed{URL: s.URL + "/world/rss"})
	e.add(t, briefings.Feed{URL: s.URL + "/feed.json", Topic: "Space"})
	rep := e.pollDue(t)
	for _, r := range rep.Results {
		if len(r.Drafts) != 1 || r.Skipped != 1 {
			t.Errorf("feed %s: drafts %d skipped %d err %v", r.Feed.URL, len(r.Drafts), r.Skipped, r.Err)
		}
	}
	if m := s.most.Load(); m != 1 {
		t.Errorf("%d requests to the site at once; want 1", m)
	}
}

// A feed whose address redirects to something other than http or https
// fails with a reason about the feed's address, not an article's link;
// so does a feed address that is not http or https to begin with.
func TestPoll_RedirectToOtherSchemeNamesTheFeed(t *testing.T) {
	s := newSite(t)
	s.route("/moved.xml", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "ftp://files.courier.example/pub/world.xml", http.StatusMovedPermanently)
	})
	s.route("/secret.xml", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://reader:hunter2@courier.example/world.xml", http.StatusFound)
	})
	e := newEnv(t)
	moved := e.add(t, briefings.Feed{URL: s.URL + "/moved.xml"})
	secret := e.add(t, briefings.Feed{URL: s.URL + "/secret.xml"})
	e.pollDue(t)
	for _, tt := range []struct {
		id   int64
		want string
	}{
		{moved.ID, "The feed's address redirected to <ftp://files.courier.example/pub/world.xml>; only http and https are allowed. If the feed has moved, remove it and add its new address."},
		{secret.ID, "The feed's address redirected to <https://reader:xxxxx@courier.example/world.xml>, which carries a user name or password; I only read public feeds."},
	} {
		got := e.feed(t, tt.id)
		if got.Failures != 1 || got.LastError != tt.want {
			t.Errorf("feed %d: failures %d, error\n%q\nwant\n%q", tt.id, got.Failures, got.LastError, tt.want)
		}
		if strings.Contains(got.LastError, "article") || strings.Contains(got.LastError, "hunter2") {
			t.Errorf("feed %d's error speaks of an article or shows the password: %q", tt.id, got.LastError)
		}
	}
	web := article.New(article.Config{AllowLoopback: true, Timeout: 5 * time.Second})
	_, err := web.GetFeed(context.Background(), article.FeedRequest{URL: "gopher://courier.example/world"})
	if want := "The feed's address <gopher://courier.example/world> is not http or https; only http and https are allowed."; briefings.ErrorMessage(err) != want {
		t.Errorf("GetFeed(gopher://…) = %q\nwant %q", briefings.ErrorMessage(err), want)
	}
}

// rssItems is an RSS 2.0 feed of n items, newest first, whose pages base
// does not serve (so each is drafted from the feed's summary).
func rssItems(base string, n int) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Harbour Gazette</title><link>` + base + `/</link>`)
	for i := n; i >= 1; i-- {
		fmt.Fprintf(&b, `<item><title>Berth %d reopens after repairs</title><link>%s/berths/%d</link><guid isPermaLink="false">berth-%d</guid>
<pubDate>%s</pubDate><description>The harbour master said on Monday that berth %d had reopened to cargo ships after six weeks of repairs to its quay wall.</description></item>`,
			i, base, i, i, time.Date(2026, 3, i, 8, 0, 0, 0, time.UTC).Format(time.RFC1123Z), i)
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

// When a poll reaches the per-poll cap, the items left over do not wait a
// whole interval: the feed is polled again at the shortest interval, and
// that poll reads the whole feed instead of taking a 304, until the
// backlog is drafted; then the feed's own interval and validators return.
func TestPoll_BacklogOverTheCapDrainsSoon(t *testing.T) {
	s := newSite(t)
	var items atomic.Int32
	items.Store(1)
	s.route("/gazette.xml", func(w http.ResponseWriter, r *http.Request) {
		body := rssItems(s.URL, int(items.Load()))
		etag := fmt.Sprintf(`"%d"`, items.Load())
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(body))
	})
	e := newEnv(t)
	e.poller.ItemsPerPoll = 2
	f := e.add(t, briefings.Feed{URL: s.URL + "/gazette.xml"})
	if rep := e.pollDue(t); len(rep.Results[0].Drafts) != 1 {
		t.Fatalf("first poll: %+v", rep.Results)
	}
	items.Store(6) // five new items, the cap is two
	type step struct {
		drafts, waiting int
		next            time.Duration
		ifNoneMatch     string
	}
	for i, want := range []step{
		{2, 3, 5 * time.Minute, `"1"`},
		{2, 1, 5 * time.Minute, ""},
		{1, 0, 15 * time.Minute, ""},
		{0, 0, 15 * time.Minute, `"6"`}, // 304: nothing left
	} {
		e.now = e.feed(t, f.ID).NextPoll
		rep := e.pollDue(t)
		if len(rep.Results) != 1 {
			t.Fatalf("poll %d: the feed was not due at its next poll", i+2)
		}
		r := rep.Results[0]
		got := e.feed(t, f.ID)
		asked := s.requests("/gazette.xml")
		if len(r.Drafts) != want.drafts || r.Waiting != want.waiting || r.Err != nil || got.NextPoll.Sub(e.now) != want.next ||
			asked[len(asked)-1].Header.Get("If-None-Match") != want.ifNoneMatch {
			t.Errorf("poll %d: drafts %d waiting %d err %v, next poll in %s, If-None-Match %q; want %+v", i+2, len(r.Drafts), r.Waiting, r.Err,
				got.NextPoll.Sub(e.now), asked[len(asked)-1].Header.Get("If-None-Match"), want)
		}
	}
	if _, total, _ := e.lib.Drafts(context.Background(), guild, 10); total != 6 {
		t.Errorf("drafts: %d, want all 6 items", total)
	}
}

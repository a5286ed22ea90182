package web_test

import (
	"context"
	"fmt"
	"image/png"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"briefbot/bot/web"
	"briefbot/briefings"
)

// screenshotsEnv names the directory the browser test writes its
// screenshots to; docs/screenshots is made with
//
//	BRIEFBOT_SCREENSHOTS=$PWD/docs/screenshots go test -tags sqlite_fts5 -run TestBrowser ./bot/web
//
// Without it they go to briefbot-screenshots in the temporary directory.
const screenshotsEnv = "BRIEFBOT_SCREENSHOTS"

// chromium is the browser's path, or "" when none is installed.
func chromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome-stable", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// problems collects what a reader's browser would complain about: console
// errors and warnings, uncaught exceptions, error entries of the browser's
// log (failed loads, Content Security Policy violations), and dialogs.
type problems struct {
	mu   sync.Mutex
	list []string
}

func (p *problems) listen(ev any) {
	var s string
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning {
			var args []string
			for _, a := range ev.Args {
				args = append(args, strings.TrimSpace(string(a.Value)+" "+a.Description))
			}
			s = fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(args, " "))
		}
	case *runtime.EventExceptionThrown:
		s = "exception: " + ev.ExceptionDetails.Text
		if ev.ExceptionDetails.Exception != nil {
			s += " " + ev.ExceptionDetails.Exception.Description
		}
	case *log.EventEntryAdded:
		if ev.Entry.Level == log.EntryLevelError || ev.Entry.Level == log.EntryLevelWarning {
			s = fmt.Sprintf("log %s (%s): %s %s", ev.Entry.Level, ev.Entry.Source, ev.Entry.Text, ev.Entry.URL)
		}
	case *page.EventJavascriptDialogOpening:
		s = "dialog: " + ev.Message
	}
	if s != "" {
		p.mu.Lock()
		p.list = append(p.list, s)
		p.mu.Unlock()
	}
}

// take returns the problems seen since the last call.
func (p *problems) take() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := p.list
	p.list = nil
	return out
}

// browserPage is one page the browser test loads, and what a reader must
// see on it.
type browserPage struct {
	// name is the page kind, and its screenshot's name.
	name   string
	path   string
	status int
	h1     string
	// text must be in the page's main text; hide must not.
	text, hide []string
	// picture says the page shows the timeline picture.
	picture bool
	// docs: the screenshot goes to the docs at desktop width, and also at
	// phone width when phone is set.
	docs, phone bool
}

// TestBrowser_EveryPageKind loads every page kind in headless Chromium,
// from the real server on loopback over a real SQLite library, at phone
// (390 px) and desktop (1280 px) widths, and checks what a reader sees: the
// heading and text, links that lead to pages, the timeline picture loaded,
// nothing wider than a phone's screen, and no console error, exception,
// failed load or Content Security Policy violation. It saves a screenshot
// of each. Chromium runs without the network: loopback only.
func TestBrowser_EveryPageKind(t *testing.T) {
	exe := chromium()
	if exe == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("Chromium is not installed, and CI needs the browser tests: run `make test`, which installs it (apt-get install chromium)")
		}
		t.Skip("Chromium is not installed; `make test` installs it")
	}
	began := time.Now()
	ctx := context.Background()
	store := sampleLibrary(t)
	key, closed := rooms(t, store)
	if _, err := store.SaveBriefings(ctx, roomGuild, []*briefings.Briefing{{Slug: "quay-repairs", Title: "North quay repairs start in October",
		Summary:   "Repairs to the north quay start on 6 October and close two berths until mid-December.",
		Body:      "The port authority said the work strengthens the quay wall.\n\nShips will use the south quay meanwhile.",
		Published: briefings.DayOf(2025, 9, 5), Topics: []string{"harbour-works"},
		Source: briefings.Source{Name: "Harbour Times", URL: "https://example.com/quay"},
		Facts: []briefings.Fact{{Text: "Two berths close until mid-December.", Attribution: "the port authority"},
			{Text: "The work costs 4 million euros.", Attribution: "the city council"}},
		Actors: []briefings.Actor{{Name: "Port authority", Kind: briefings.KindOrganization}},
		Events: []briefings.Event{{Name: "North quay repairs", Date: briefings.DayOf(2025, 10, 6), End: briefings.DayOf(2025, 12, 15), Participants: []string{"Port authority"}}},
	}}, "test"); err != nil {
		t.Fatal(err)
	}

	// The real server, on a loopback port of its own.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sctx, stop := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- (&web.Server{Store: store, Burst: 10000}).ServeListener(sctx, ln) }()
	t.Cleanup(func() {
		stop()
		if err := <-served; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	base := "http://" + ln.Addr().String()

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe),
		// Loopback only: every other host fails to resolve, and any
		// request that still tried would go to a proxy that isn't there.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
		chromedp.Flag("proxy-server", "http://127.0.0.1:9"),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("no-pings", true))
	if os.Geteuid() == 0 {
		// Chromium's sandbox refuses to run as root.
		opts = append(opts, chromedp.NoSandbox)
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	var seen problems
	desktop, cancelDesktop := chromedp.NewContext(actx, chromedp.WithListener(seen.listen))
	defer cancelDesktop()
	if err := chromedp.Do(desktop, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatalf("start Chromium (%s): %v", exe, err)
	}
	phone, cancelPhone := chromedp.NewContext(desktop, chromedp.WithListener(seen.listen))
	defer cancelPhone()
	if err := chromedp.Do(phone, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}
	started := time.Since(began)

	// The detector itself: a page that breaks the policy is caught.
	probe := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			w.WriteHeader(http.StatusNoContent) // the icon the browser asks for
			return
		}
		w.Header().Set("Content-Security-Policy", web.ContentSecurityPolicy)
		fmt.Fprint(w, `<!doctype html><title>probe</title><p style="color:red">probe</p><script>document.title = "ran"</script>`)
	}))
	defer probe.Close()
	t.Run("PolicyViolationsAreSeen", func(t *testing.T) {
		if err := chromedp.Do(desktop, chromedp.Navigate(probe.URL)); err != nil {
			t.Fatal(err)
		}
		title, _ := chromedp.Run(desktop, chromedp.Title())
		got := seen.take()
		if title == "ran" || !strings.Contains(strings.Join(got, "\n"), "Content Security Policy") {
			t.Fatalf("an inline script and style under the policy: title %q, problems %q; want both refused and reported", title, got)
		}
	})

	g := "/g/" + key
	pages := []browserPage{
		{name: "home", path: "/", status: 200, h1: "The library", text: []string{"Alaska summit", "timeline of all dated events"}, docs: true, phone: true},
		{name: "topic", path: "/topics/alaska-summit", status: 200, h1: "Alaska summit", text: []string{"Briefings"}, picture: true, docs: true},
		{name: "briefing", path: "/briefings/putin-kim-call-2025-08-12", status: 200, text: []string{"Key facts", "South Korean intelligence", "History", "Version 1"}, docs: true, phone: true},
		{name: "actor", path: "/actors/" + url.PathEscape("Kim Jong Un"), status: 200, h1: "Kim Jong Un", text: []string{"Key facts", "Events"}, docs: true},
		{name: "event", path: "/events/" + url.PathEscape("Alaska summit"), status: 200, h1: "Alaska summit", text: []string{"15 August 2025", "Anchorage"}, docs: true},
		{name: "timeline", path: "/timeline", status: 200, h1: "Timeline", text: []string{"Alaska summit"}, picture: true, docs: true},
		{name: "search", path: "/search?q=Kursk", status: 200, h1: "Search", text: []string{"Kursk"}, docs: true},
		{name: "room-briefing", path: g + "/briefings/quay-repairs", status: 200, h1: "North quay repairs start in October", text: []string{"Two berths close until mid-December", "the port authority", "History"}, docs: true, phone: true},
		{name: "room-home", path: g + "/", status: 200, h1: "The library", text: []string{"Harbour works", "this server's library"}, docs: true},
		{name: "room-timeline", path: g + "/timeline?topic=harbour-works", status: 200, h1: "Timeline: Harbour works", text: []string{"North quay repairs"}, picture: true},
		{name: "room-hostile", path: g + "/briefings/guild-strike", status: 200, text: []string{`<script>alert("title")</script> Harbour strike (guild)`, `"><img src=x onerror=alert(1)> dockers walked out (guild)`}},
		{name: "room-draft", path: g + "/briefings/guild-draft", status: 404, h1: "Not Found", hide: []string{"Guild secret draft"}},
		{name: "room-retracted", path: g + "/briefings/guild-withdrawn", status: 200, text: []string{"This briefing was retracted: it was wrong"}, hide: []string{"Guild words"}},
		{name: "room-off", path: "/g/" + closed + "/", status: 404, h1: "Not Found", text: []string{"There is no page here."}, hide: []string{"Closed guild story"}},
	}
	shots := os.Getenv(screenshotsEnv)
	docs := shots != ""
	if !docs {
		shots = filepath.Join(os.TempDir(), "briefbot-screenshots")
	}
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	links := map[string]int{} // internal link → status, each fetched once
	checked := 0
	for _, tab := range []struct {
		name  string
		ctx   context.Context
		width int
	}{{"desktop", desktop, 1280}, {"phone", phone, 390}} {
		for _, p := range pages {
			t.Run(tab.name+"/"+p.name, func(t *testing.T) {
				checkPage(t, tab.ctx, base, p, tab.width, links)
				checked++
				var problems []string
				for _, pr := range seen.take() {
					// A missing page's own 404 is what it should say.
					if p.status == 404 && strings.Contains(pr, "status of 404") && strings.HasSuffix(pr, " "+base+p.path) {
						continue
					}
					problems = append(problems, pr)
				}
				if len(problems) > 0 {
					t.Errorf("the browser reported problems:\n%s", strings.Join(problems, "\n"))
				}
				if docs && (!p.docs || tab.name == "phone" && !p.phone) {
					return
				}
				name := p.name + ".png"
				if tab.name == "phone" {
					name = p.name + "-phone.png"
				}
				shot, err := chromedp.Run(tab.ctx, chromedp.CaptureScreenshot())
				if err != nil {
					t.Fatal(err)
				}
				if cfg, err := png.DecodeConfig(strings.NewReader(string(shot))); err != nil || cfg.Width < tab.width {
					t.Errorf("screenshot %dx%d, %v", cfg.Width, cfg.Height, err)
				}
				if err := os.WriteFile(filepath.Join(shots, name), shot, 0o644); err != nil {
					t.Fatal(err)
				}
			})
		}
	}

	// A reader follows a link and uses the search form.
	t.Run("FollowAndSearch", func(t *testing.T) {
		if err := chromedp.Do(desktop, chromedp.Navigate(base+"/")); err != nil {
			t.Fatal(err)
		}
		resp, err := chromedp.RunResponse(desktop, chromedp.Click(chromedp.CSS(`main ul.topics a[href="/topics/alaska-summit"]`)))
		if err != nil || resp.Status != 200 {
			t.Fatalf("following the topic's link: %v %v", resp, err)
		}
		if h1, _ := chromedp.Run(desktop, chromedp.Text(chromedp.CSS("main h1"))); h1 != "Alaska summit" {
			t.Errorf("the link led to %q", h1)
		}
		if err := chromedp.Do(desktop, chromedp.SendKeys(chromedp.CSS("#q"), "Kursk troops")); err != nil {
			t.Fatal(err)
		}
		resp, err = chromedp.RunResponse(desktop, chromedp.Submit(chromedp.CSS("#q")))
		if err != nil || resp.Status != 200 {
			t.Fatalf("searching: %v %v", resp, err)
		}
		loc, _ := chromedp.Run(desktop, chromedp.Location())
		text, _ := chromedp.Run(desktop, chromedp.Text(chromedp.CSS("main")))
		if !strings.HasSuffix(loc, "/search?q=Kursk+troops") || !strings.Contains(text, "Kursk") {
			t.Errorf("the search form led to %s:\n%s", loc, text)
		}
		if problems := seen.take(); len(problems) > 0 {
			t.Errorf("the browser reported problems:\n%s", strings.Join(problems, "\n"))
		}
	})
	t.Logf("%d page loads in %s (Chromium started in %s), %d internal links followed; screenshots in %s",
		checked, time.Since(began).Round(time.Millisecond), started.Round(time.Millisecond), len(links), shots)
}

// checkPage loads p in the tab and checks what a reader sees.
func checkPage(t *testing.T, tab context.Context, base string, p browserPage, width int, links map[string]int) {
	t.Helper()
	resp, err := chromedp.Run(tab, chromedp.NavigateResponse(base+p.path))
	if err != nil {
		t.Fatal(err)
	}
	if int(resp.Status) != p.status {
		t.Fatalf("status %d, want %d", resp.Status, p.status)
	}
	if got := resp.Headers["Content-Security-Policy"]; got != web.ContentSecurityPolicy {
		t.Errorf("Content-Security-Policy %v", got)
	}
	h1, err := chromedp.Run(tab, chromedp.Text(chromedp.CSS("main h1")))
	if err != nil {
		t.Fatal(err)
	}
	if p.h1 != "" && h1 != p.h1 {
		t.Errorf("heading %q, want %q", h1, p.h1)
	}
	main, err := chromedp.Run(tab, chromedp.TextContent(chromedp.CSS("main")))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range p.text {
		if !strings.Contains(main, w) {
			t.Errorf("the reader does not see %q:\n%s", w, main)
		}
	}
	for _, h := range p.hide {
		if strings.Contains(main, h) {
			t.Errorf("the reader sees %q", h)
		}
	}
	if p.picture {
		w, err := chromedp.Run(tab, chromedp.Evaluate[int](`(() => { const i = document.querySelector("main figure img"); return i && i.complete ? i.naturalWidth : 0 })()`))
		if err != nil || w < 1200 {
			t.Errorf("the timeline picture did not load: naturalWidth %d, %v", w, err)
		}
		shown, _ := chromedp.Run(tab, chromedp.Evaluate[float64](`document.querySelector("main figure img").getBoundingClientRect().width`))
		if shown <= 0 || shown > float64(width) {
			t.Errorf("the picture is %.0f px wide on a %d px screen", shown, width)
		}
	}
	// Nothing may stick out past the screen's right edge, where a phone
	// would cut it off.
	if over, _ := chromedp.Run(tab, chromedp.Evaluate[[]string](`(() => {
		const w = document.documentElement.clientWidth;
		return Array.from(document.querySelectorAll("body *")).filter(e => e.getBoundingClientRect().right > w + 0.5).map(e => e.tagName + " " + Math.round(e.getBoundingClientRect().right) + " > " + w);
	})()`)); len(over) > 0 {
		t.Errorf("on a %d px screen, elements stick out: %q", width, over)
	}
	hrefs, err := chromedp.Run(tab, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("a[href]"), a => a.href)`))
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hrefs {
		if !strings.HasPrefix(h, base+"/") {
			continue // a source's address, which is not ours to check
		}
		status, ok := links[h]
		if !ok {
			r, err := http.Get(h)
			if err != nil {
				t.Fatal(err)
			}
			r.Body.Close()
			status, links[h] = r.StatusCode, r.StatusCode
		}
		if status != 200 {
			t.Errorf("the link %s leads to %d", strings.TrimPrefix(h, base), status)
		}
	}
}

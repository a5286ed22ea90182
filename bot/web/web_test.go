package web_test

import (
	"briefbot/internal/testlib"
	"context"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"briefbot/bot/web"
	"briefbot/briefings"
	"briefbot/db"
)

// Hostile text, each planted in a briefing where a reader sees it.
const (
	hostileTitle = `<script>alert("title")</script> Harbour strike`
	hostileFact  = `"><img src=x onerror=alert(1)> dockers walked out`
	hostileActor = `</li><iframe src="https://evil.example/"></iframe>Union`
	hostileURL   = `https://example.com/x?q="><script>alert(2)</script>`
)

// sampleLibrary opens a real library holding the sample, in the global
// library.
func sampleLibrary(t *testing.T) *db.DB {
	t.Helper()
	ctx := context.Background()
	store, err := db.Open(ctx, filepath.Join(t.TempDir(), "web.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if _, err := store.SaveBriefings(ctx, "", testlib.SampleBriefings(t), "test"); err != nil {
		t.Fatal(err)
	}
	return store
}

// library opens a real library with the sample, a hostile briefing, a
// draft and a retracted briefing, all global, and one guild's briefing.
func library(t *testing.T) *db.DB {
	t.Helper()
	ctx := context.Background()
	store := sampleLibrary(t)
	var bs []*briefings.Briefing
	brief := func(slug, title string, status briefings.Status) *briefings.Briefing {
		return &briefings.Briefing{Slug: slug, Title: title, Summary: "Summary of " + slug + ".",
			Published: briefings.DayOf(2025, 9, 1), Topics: []string{"harbour"}, Status: status,
			Source: briefings.Source{Name: "Wire", URL: "https://example.com/" + slug}}
	}
	hostile := brief("harbour-strike", hostileTitle, briefings.StatusPublished)
	hostile.Source.URL = hostileURL
	hostile.Facts = []briefings.Fact{{Text: hostileFact, Attribution: `<b>the union</b>`}}
	hostile.Actors = []briefings.Actor{{Name: hostileActor, Kind: briefings.KindGroup}}
	hostile.Events = []briefings.Event{{Name: `Strike <svg onload=alert(1)>`, Date: briefings.DayOf(2025, 9, 1), Participants: []string{hostileActor}}}
	draft := brief("secret-draft", "Secret draft about the harbour", briefings.StatusDraft)
	withdrawn := brief("withdrawn", "Withdrawn harbour story", briefings.StatusRetracted)
	withdrawn.Summary = "Withdrawn words nobody should read."
	withdrawn.RetractionReason = "the source recanted"
	bs = append(bs, hostile, draft, withdrawn)
	if _, err := store.SaveBriefings(ctx, "", bs, "test"); err != nil {
		t.Fatal(err)
	}
	guild := brief("guild-only", "Guild only briefing", briefings.StatusPublished)
	if _, err := store.SaveBriefings(ctx, "1100000000000000100", []*briefings.Briefing{guild}, "test"); err != nil {
		t.Fatal(err)
	}
	return store
}

func get(t *testing.T, srv *httptest.Server, path string) (*http.Response, string) {
	t.Helper()
	resp, err := srv.Client().Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

func newServer(t *testing.T, s *web.Server) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv
}

// TestPages_WhatAReaderSees loads each page kind and checks its status,
// what it says, and the headers every response carries.
func TestPages_WhatAReaderSees(t *testing.T) {
	srv := newServer(t, &web.Server{Store: library(t), Burst: 1000})
	for _, tt := range []struct {
		path   string
		status int
		want   []string
		hide   []string
	}{
		{"/", 200, []string{"<h1>The library</h1>", `href="/topics/alaska-summit"`, "Harbour"}, []string{"Guild only"}},
		{"/topics/alaska-summit", 200, []string{`<img src="/topics/alaska-summit/timeline.png" alt="Timeline of`, `href="/briefings/putin-kim-call-2025-08-12"`}, nil},
		{"/briefings/putin-kim-call-2025-08-12", 200, []string{"<h2>Key facts</h2>", "South Korean intelligence", "<h2>Events</h2>", "Alaska summit"}, nil},
		{"/search?q=Kursk", 200, []string{"<mark>", `href="/briefings/putin-kim-call-2025-08-12"`}, nil},
		{"/search?q=" + url.QueryEscape(strings.Repeat("x", 201)), 400, []string{"longer than 200 characters"}, nil},
		{"/briefings/secret-draft", 404, []string{"no such page"}, []string{"Secret draft"}},
		{"/briefings/guild-only", 404, nil, []string{"Guild only"}},
		{"/briefings/withdrawn", 200, []string{"This briefing was retracted: the source recanted"}, []string{"Withdrawn words"}},
		{"/topics/harbour", 200, nil, []string{"Secret draft", "Withdrawn words"}},
		{"/nowhere", 404, []string{"There is no page here."}, nil},
		{"/actors/" + url.PathEscape("Kim Jong Un"), 200, []string{"<h1>Kim Jong Un</h1>", "<h2>Key facts</h2>", `href="/events/Putin-Kim%20phone%20call"`, `href="/briefings/putin-kim-call-2025-08-12"`}, nil},
		{"/actors/nobody", 404, nil, nil},
		{"/events/" + url.PathEscape("Alaska summit"), 200, []string{"<h1>Alaska summit</h1>", "15 August 2025", "Anchorage", `href="/actors/`}, nil},
		{"/timeline", 200, []string{`<img src="/timeline.png"`, `href="/events/Alaska%20summit"`}, nil},
		{"/timeline?topic=alaska-summit", 200, []string{`<img src="/topics/alaska-summit/timeline.png"`, "Timeline: Alaska summit"}, nil},
		{"/timeline?topic=nothing-here", 404, nil, nil},
	} {
		t.Run(tt.path, func(t *testing.T) {
			resp, body := get(t, srv, tt.path)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d:\n%s", resp.StatusCode, tt.status, body)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("the page lacks %q:\n%s", w, body)
				}
			}
			for _, h := range tt.hide {
				if strings.Contains(body, h) {
					t.Errorf("the page shows %q, which readers must not see", h)
				}
			}
			if got := resp.Header.Get("Content-Security-Policy"); got != web.ContentSecurityPolicy {
				t.Errorf("Content-Security-Policy %q", got)
			}
			if c := resp.Header.Values("Set-Cookie"); len(c) > 0 {
				t.Errorf("the page sets cookies: %q", c)
			}
			checkAccessible(t, body)
			if strings.Contains(body, "<script") || strings.Contains(body, "style=") {
				t.Errorf("the page has a script or an inline style, which the policy blocks")
			}
		})
	}
}

// TestPages_HostileTextIsText renders a briefing whose title, fact,
// attribution, actor, event and source address are markup or script, on
// every page that shows them: each appears escaped, as text.
func TestPages_HostileTextIsText(t *testing.T) {
	srv := newServer(t, &web.Server{Store: library(t), Burst: 1000})
	for _, path := range []string{"/briefings/harbour-strike", "/topics/harbour", "/", "/search?q=" + url.QueryEscape("dockers walked"),
		"/actors/" + url.PathEscape(hostileActor), "/events/" + url.PathEscape(`Strike <svg onload=alert(1)>`), "/timeline?topic=harbour"} {
		t.Run(path, func(t *testing.T) {
			resp, body := get(t, srv, path)
			if resp.StatusCode != 200 {
				t.Fatalf("status %d", resp.StatusCode)
			}
			for _, bad := range []string{"<script>alert", "<img src=x", "<iframe", "<svg", "<b>the union", `href="javascript:`} {
				if strings.Contains(body, bad) {
					t.Errorf("%s renders %q as markup:\n%s", path, bad, body)
				}
			}
		})
	}
	_, body := get(t, srv, "/briefings/harbour-strike")
	for _, want := range []string{"&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt; Harbour strike", "&lt;img src=x onerror=alert(1)&gt; dockers walked out", "&lt;iframe"} {
		if !strings.Contains(body, want) {
			t.Errorf("the briefing does not show %q as text", want)
		}
	}
}

// TestTimelinePicture serves the pictures the pages show.
func TestTimelinePicture(t *testing.T) {
	srv := newServer(t, &web.Server{Store: library(t), Burst: 1000})
	for _, path := range []string{"/timeline.png", "/topics/alaska-summit/timeline.png"} {
		resp, body := get(t, srv, path)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		cfg, err := png.DecodeConfig(strings.NewReader(body))
		if err != nil || cfg.Width < 1200 {
			t.Errorf("%s: %dx%d, %v", path, cfg.Width, cfg.Height, err)
		}
	}
	if resp, _ := get(t, srv, "/topics/no-such-topic/timeline.png"); resp.StatusCode != 404 {
		t.Errorf("an unknown topic's picture: %d, want 404", resp.StatusCode)
	}
}

// TestLimits: a client past its burst waits, others don't; only GET and
// HEAD are served.
func TestLimits(t *testing.T) {
	srv := newServer(t, &web.Server{Store: library(t), Burst: 3, Rate: 0.001})
	for i := range 3 {
		if resp, _ := get(t, srv, "/"); resp.StatusCode != 200 {
			t.Fatalf("request %d: %d", i+1, resp.StatusCode)
		}
	}
	resp, body := get(t, srv, "/")
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" || !strings.Contains(body, "Too many requests") {
		t.Errorf("past the burst: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}

	srv = newServer(t, &web.Server{Store: library(t), Burst: 100})
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader("x=1"))
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /: %d, want 405", res.StatusCode)
	}
}

var (
	headingRE = regexp.MustCompile(`<h([1-6])[ >]`)
	imgRE     = regexp.MustCompile(`<img [^>]*>`)
	altRE     = regexp.MustCompile(`alt="[^"]{10,}"`)
	hrefRE    = regexp.MustCompile(`(?:href|src|action)="([^"]*)"`)
)

// checkAccessible checks the structure a screen reader relies on: one h1,
// headings that never skip a level on the way down, and a description on
// every image.
func checkAccessible(t *testing.T, body string) {
	t.Helper()
	prev, h1 := 0, 0
	for _, m := range headingRE.FindAllStringSubmatch(body, -1) {
		level := int(m[1][0] - '0')
		if level == 1 {
			h1++
		}
		if level > prev+1 {
			t.Errorf("heading h%d follows h%d: a level is skipped", level, prev)
		}
		prev = level
	}
	if h1 != 1 {
		t.Errorf("%d h1 headings, want 1", h1)
	}
	for _, img := range imgRE.FindAllString(body, -1) {
		if !altRE.MatchString(img) {
			t.Errorf("image without a description: %s", img)
		}
	}
}

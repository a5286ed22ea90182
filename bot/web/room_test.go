package web_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/url"
	"strings"
	"testing"

	"briefbot/bot/web"
	"briefbot/briefings"
	"briefbot/db"
)

// Guilds of the room tests: one whose room is on, one whose room is off.
const (
	roomGuild   = "1100000000000000100"
	closedGuild = "1100000000000000200"
)

// rooms gives the library's guild (see library) a room that is on, with a
// hostile briefing, a draft and a retracted briefing of its own, and a
// second guild a room that is off; it returns both keys.
func rooms(t *testing.T, store *db.DB) (open, closed string) {
	t.Helper()
	ctx := context.Background()
	brief := func(slug, title string, status briefings.Status) *briefings.Briefing {
		return &briefings.Briefing{Slug: slug, Title: title, Summary: "Summary of " + slug + ".",
			Published: briefings.DayOf(2025, 9, 2), Topics: []string{"port-news"}, Status: status,
			Source: briefings.Source{Name: "Wire", URL: "https://example.com/" + slug}}
	}
	hostile := brief("guild-strike", hostileTitle+" (guild)", briefings.StatusPublished)
	hostile.Source.URL = hostileURL
	hostile.Facts = []briefings.Fact{{Text: hostileFact + " (guild)", Attribution: `<b>the union</b>`}}
	hostile.Actors = []briefings.Actor{{Name: hostileActor + " guild", Kind: briefings.KindGroup}}
	hostile.Events = []briefings.Event{{Name: `Guild strike <svg onload=alert(1)>`, Date: briefings.DayOf(2025, 9, 2), Participants: []string{hostileActor + " guild"}}}
	draft := brief("guild-draft", "Guild secret draft", briefings.StatusDraft)
	gone := brief("guild-withdrawn", "Guild withdrawn story", briefings.StatusRetracted)
	gone.Summary, gone.RetractionReason = "Guild words nobody should read.", "it was wrong"
	if _, err := store.SaveBriefings(ctx, roomGuild, []*briefings.Briefing{hostile, draft, gone}, "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := store.SaveBriefings(ctx, closedGuild, []*briefings.Briefing{brief("closed-story", "Closed guild story", briefings.StatusPublished)}, "test"); err != nil {
		t.Fatal(err)
	}
	open, _ = briefings.NewRoomKey()
	closed, _ = briefings.NewRoomKey()
	for _, r := range []briefings.ReadingRoom{{GuildID: roomGuild, Key: open, On: true}, {GuildID: closedGuild, Key: closed, On: true}} {
		if err := store.SaveReadingRoom(ctx, r, "admin"); err != nil {
			t.Fatal(err)
		}
	}
	if err := store.SaveReadingRoom(ctx, briefings.ReadingRoom{GuildID: closedGuild, Key: closed, On: false}, "admin"); err != nil {
		t.Fatal(err)
	}
	return open, closed
}

// TestRoom_Pages loads each page kind of a server's room: its own
// briefings are there, with every link staying in the room; drafts are
// not, retracted ones only as a notice; the global pages never show them.
func TestRoom_Pages(t *testing.T) {
	store := library(t)
	key, _ := rooms(t, store)
	srv := newServer(t, &web.Server{Store: store, Burst: 1000})
	g := "/g/" + key
	for _, tt := range []struct {
		path   string
		status int
		want   []string
		hide   []string
	}{
		{g, 200, []string{"<h1>The library</h1>"}, nil},
		{g + "/", 200, []string{"<h1>The library</h1>", `href="` + g + `/topics/port-news"`, `href="` + g + `/topics/alaska-summit"`, `action="` + g + `/search"`, "this server's library"}, nil},
		{g + "/topics/port-news", 200, []string{`href="` + g + `/briefings/guild-strike"`, `<img src="` + g + `/topics/port-news/timeline.png"`}, []string{"Guild secret draft", "Guild words"}},
		{g + "/briefings/guild-only", 200, []string{"<h1>Guild only briefing</h1>", "<h2>History</h2>", "Version 1"}, nil},
		{g + "/briefings/putin-kim-call-2025-08-12", 200, []string{"South Korean intelligence", `href="` + g + `/actors/`}, nil},
		{g + "/briefings/guild-draft", 404, nil, []string{"Guild secret draft"}},
		{g + "/briefings/guild-withdrawn", 200, []string{"This briefing was retracted: it was wrong"}, []string{"Guild words"}},
		{g + "/briefings/closed-story", 404, nil, []string{"Closed guild story"}},
		{g + "/search?q=" + url.QueryEscape("guild only"), 200, []string{`href="` + g + `/briefings/guild-only"`}, []string{"Closed guild"}},
		{g + "/actors/" + url.PathEscape(hostileActor+" guild"), 200, []string{`href="` + g + `/briefings/guild-strike"`}, nil},
		{g + "/events/" + url.PathEscape("Guild strike <svg onload=alert(1)>"), 200, []string{`href="` + g + `/actors/`}, nil},
		{g + "/timeline", 200, []string{`<img src="` + g + `/timeline.png"`, `href="` + g + `/events/`}, nil},
		{g + "/timeline?topic=port-news", 200, []string{`<img src="` + g + `/topics/port-news/timeline.png"`}, nil},
		{"/briefings/guild-strike", 404, nil, []string{"Harbour strike (guild)"}},
		{"/search?q=" + url.QueryEscape("guild"), 200, nil, []string{"guild-strike", "guild-only"}},
	} {
		t.Run(strings.ReplaceAll(tt.path, key, "KEY"), func(t *testing.T) {
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
			if tt.status == 200 && strings.HasPrefix(tt.path, g) {
				for _, m := range hrefRE.FindAllStringSubmatch(body, -1) {
					if strings.HasPrefix(m[1], "/") && m[1] != "/style.css" && m[1] != "/favicon.svg" && !strings.HasPrefix(m[1], g+"/") {
						t.Errorf("a link leaves the room: %s", m[1])
					}
				}
			}
		})
	}
}

// TestRoom_OffIsLikeNoRoom: a room that is off, a key no room has, and a
// key that is not even a key all answer every page kind with the same
// missing page; so does the old key of a room given a new one.
func TestRoom_OffIsLikeNoRoom(t *testing.T) {
	store := library(t)
	open, closed := rooms(t, store)
	srv := newServer(t, &web.Server{Store: store, Burst: 1000})
	never, _ := briefings.NewRoomKey()
	_, want := get(t, srv, "/g/"+never+"/")
	if strings.Contains(want, never) {
		t.Fatalf("the missing page repeats the key")
	}
	for _, key := range []string{closed, never, "not-a-key", roomGuild} {
		for _, page := range []string{"", "/", "/topics/port-news", "/briefings/closed-story", "/search?q=closed", "/actors/x", "/events/x", "/timeline", "/timeline.png", "/topics/port-news/timeline.png"} {
			resp, body := get(t, srv, "/g/"+key+page)
			if resp.StatusCode != 404 || body != strings.ReplaceAll(want, never, key) {
				t.Errorf("%s under %q: %d, a different page from an unknown key's:\n%s", page, key, resp.StatusCode, body)
			}
		}
	}

	rotated, _ := briefings.NewRoomKey()
	if err := store.SaveReadingRoom(context.Background(), briefings.ReadingRoom{GuildID: roomGuild, Key: rotated, On: true}, "admin"); err != nil {
		t.Fatal(err)
	}
	if resp, _ := get(t, srv, "/g/"+open+"/briefings/guild-only"); resp.StatusCode != 404 {
		t.Errorf("the old key still opens the room: %d", resp.StatusCode)
	}
	if resp, body := get(t, srv, "/g/"+rotated+"/briefings/guild-only"); resp.StatusCode != 200 || !strings.Contains(body, "Guild only briefing") {
		t.Errorf("the new key: %d", resp.StatusCode)
	}
}

// TestRoom_HostileTextIsText is the XSS table on a room's pages.
func TestRoom_HostileTextIsText(t *testing.T) {
	store := library(t)
	key, _ := rooms(t, store)
	srv := newServer(t, &web.Server{Store: store, Burst: 1000})
	g := "/g/" + key
	for _, path := range []string{g + "/briefings/guild-strike", g + "/topics/port-news", g + "/", g + "/search?q=" + url.QueryEscape("dockers walked"),
		g + "/actors/" + url.PathEscape(hostileActor+" guild"), g + "/events/" + url.PathEscape(`Guild strike <svg onload=alert(1)>`), g + "/timeline?topic=port-news", g + "/timeline"} {
		t.Run(strings.ReplaceAll(path, key, "KEY"), func(t *testing.T) {
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
	_, body := get(t, srv, g+"/briefings/guild-strike")
	for _, want := range []string{"&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt; Harbour strike (guild)", "&lt;img src=x onerror=alert(1)&gt; dockers walked out (guild)", "&lt;iframe"} {
		if !strings.Contains(body, want) {
			t.Errorf("the briefing does not show %q as text", want)
		}
	}
}

// failingStore fails the reads of one guild's library, to make the
// server log.
type failingStore struct {
	*db.DB
	guildID string
}

func (f failingStore) Topics(ctx context.Context, guildID string) ([]briefings.TopicStats, error) {
	if guildID == f.guildID {
		return nil, errors.New("disk on fire")
	}
	return f.DB.Topics(ctx, guildID)
}

func (f failingStore) Events(ctx context.Context, q briefings.EventQuery) ([]briefings.EventRef, error) {
	if q.GuildID == f.guildID {
		return nil, errors.New("disk on fire")
	}
	return f.DB.Events(ctx, q)
}

// TestRoom_KeyNeverLogged: when a room's page or picture fails, the log
// has the details, and the path without the key.
func TestRoom_KeyNeverLogged(t *testing.T) {
	store := library(t)
	key, _ := rooms(t, store)
	var logs bytes.Buffer
	srv := newServer(t, &web.Server{Store: failingStore{store, roomGuild}, Burst: 1000, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	for _, path := range []string{"/", "/timeline.png"} {
		if resp, _ := get(t, srv, "/g/"+key+path); resp.StatusCode != 500 {
			t.Errorf("%s: %d, want 500", path, resp.StatusCode)
		}
	}
	if !strings.Contains(logs.String(), "disk on fire") || !strings.Contains(logs.String(), "/g/…/timeline.png") {
		t.Errorf("the log lacks the failure or the path:\n%s", logs.String())
	}
	if strings.Contains(logs.String(), key) {
		t.Errorf("the log holds the room's key:\n%s", logs.String())
	}
}

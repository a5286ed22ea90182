package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"briefbot/bot/discordtest"
	"briefbot/db"

	"github.com/bwmarrin/discordgo"
)

// newsFeed is an RSS 2.0 feed with one item, whose page the same site
// serves (articlePage).
func newsFeed(base string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Polar Ledger</title><link>` + base + `/</link>
<item><title>92 ships crossed the Northern Sea Route last year</title>
<link>` + base + `/arctic/route</link><guid isPermaLink="false">polar-77</guid>
<pubDate>Mon, 03 Mar 2025 07:00:00 +0000</pubDate>
<content:encoded><![CDATA[<p>The Northern Sea Route Authority said on Monday that 92 ships crossed the route last year.</p>]]></content:encoded>
</item></channel></rss>`
}

// From the console: follow a feed, poll it once, see the draft, poll again
// and get nothing new; list, pause, resume and remove it.
func TestFeedCommands(t *testing.T) {
	t.Parallel()
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/rss.xml":
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(w, newsFeed(srv.URL))
		case "/arctic/route":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, articlePage)
		case "/gone.xml":
			http.Error(w, "gone", http.StatusGone)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	dbPath := filepath.Join(t.TempDir(), "lib.db")
	env := map[string]string{"BRIEFBOT_DB": dbPath, "BRIEFBOT_FETCH_ALLOW_LOOPBACK": "1", "BRIEFBOT_SAMPLE": "off", "BRIEFBOT_FEEDS_PER_GUILD": "2"}
	const g = "600000000000000006"
	must := func(args ...string) string {
		t.Helper()
		out, errOut, err := run(t, env, "", args...)
		if err != nil {
			t.Fatalf("briefbot %s: %v\n%s", strings.Join(args, " "), err, errOut)
		}
		return out
	}
	newLibrary(t, env)
	out := must("feed", "add", "--guild", g, "--topic", "Arctic shipping", srv.URL+"/rss.xml")
	if !strings.Contains(out, "Following feed 1: "+srv.URL+"/rss.xml → Arctic shipping, every 15m0s") {
		t.Errorf("add: %s", out)
	}
	must("feed", "add", "--guild", g, "--topic", "Arctic shipping", "--interval", "5m", srv.URL+"/gone.xml")
	if _, _, err := run(t, env, "", "feed", "add", "--guild", g, "--topic", "X", srv.URL+"/third.xml"); err == nil ||
		!strings.Contains(err.Error(), "already follows 2 feeds, the most it may") {
		t.Errorf("third feed over BRIEFBOT_FEEDS_PER_GUILD=2: %v", err)
	}
	out = must("feed", "poll", "--once")
	if !strings.Contains(out, "feed 1 "+srv.URL+"/rss.xml: 1 new: 92-ships-crossed-northern-sea-route (draft)") ||
		!strings.Contains(out, "feed 2 "+srv.URL+"/gone.xml: failed (1 in a row): ") || !strings.Contains(out, "410 Gone") {
		t.Errorf("first poll:\n%s", out)
	}
	lib, err := db.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	drafts, n, err := lib.Drafts(context.Background(), g, 5)
	lib.Close()
	if err != nil || n != 1 || drafts[0].Title != "92 ships crossed the Northern Sea Route last year" || drafts[0].CreatedBy != "feed:1" {
		t.Errorf("drafts after the poll: %+v, %v; want the 1 draft by feed:1", drafts, err)
	}
	if out = must("feed", "poll", "--once"); out != "No feed is due.\n" {
		t.Errorf("second poll, before any is due:\n%s", out)
	}
	out = must("feed", "list", "--guild", g)
	if !strings.Contains(out, "1  "+srv.URL+"/rss.xml → Arctic shipping · every 15m0s · 1 drafted · last read ") ||
		!strings.Contains(out, "2  "+srv.URL+"/gone.xml → Arctic shipping · every 5m0s · 0 drafted\n   failing (1 in a row): ") {
		t.Errorf("list:\n%s", out)
	}
	must("feed", "pause", "--guild", g, "--reason", "Too noisy.", "2")
	out = must("feed", "list", "--guild", g)
	if !strings.Contains(out, "   PAUSED: Too noisy.\n   Resume it with `briefbot feed resume --guild "+g+" 2`.") {
		t.Errorf("list after pause:\n%s", out)
	}
	must("feed", "resume", "--guild", g, srv.URL+"/gone.xml")
	must("feed", "remove", "--guild", g, "2")
	if out = must("feed", "list", "--guild", g); strings.Contains(out, "gone.xml") {
		t.Errorf("list after remove:\n%s", out)
	}
	if _, _, err := run(t, env, "", "feed", "remove", "--guild", g, "9"); err == nil || !strings.Contains(err.Error(), "follows no feed 9") {
		t.Errorf("remove unknown: %v", err)
	}
	if _, _, err := run(t, env, "", "feed", "poll"); err == nil || !strings.Contains(err.Error(), "feed poll takes --once") {
		t.Errorf("poll without --once: %v", err)
	}
}

// TestRun_PollsFeeds: `briefbot run` polls the feeds beside the gateway
// bot and posts each draft's review card in the feed's review channel.
func TestRun_PollsFeeds(t *testing.T) {
	t.Parallel()
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/rss.xml":
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(w, newsFeed(srv.URL))
		case "/arctic/route":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, articlePage)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	fake := discordtest.New(t)
	token := "tok-" + strings.Repeat("f", 40)
	env := map[string]string{"BRIEFBOT_DB": filepath.Join(t.TempDir(), "lib.db"), "DISCORD_TOKEN": token, "DISCORD_GUILD_ID": discordtest.GuildID,
		"BRIEFBOT_DISCORD_API_BASE": fake.URL(), "BRIEFBOT_FETCH_ALLOW_LOOPBACK": "1"}
	newLibrary(t, env)
	if _, errOut, err := run(t, env, "", "feed", "add", "--guild", discordtest.GuildID, "--topic", "Arctic shipping", "--channel", discordtest.ChannelID, srv.URL+"/rss.xml"); err != nil {
		t.Fatalf("feed add: %v\n%s", err, errOut)
	}
	var logs bytes.Buffer
	m := NewMain()
	m.Stdout, m.Stderr = &logs, &logs
	m.DotEnv = ""
	m.Getenv = func(k string) string { return env[k] }
	m.ConfigureSession = fake.Attach
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- m.Run(runCtx, []string{"run"}) }()
	defer func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("run returned %v", err)
		}
		m.Close()
		if strings.Contains(logs.String(), token) {
			t.Errorf("the token appears in the logs")
		}
	}()
	card := func() *discordgo.Message {
		for _, msg := range fake.Messages(discordtest.ChannelID) {
			for _, e := range msg.Embeds {
				if strings.Contains(e.Title, "Draft: 92 ships crossed the Northern Sea Route last year") {
					return msg
				}
			}
		}
		return nil
	}
	if err := fake.Await(ctx, func() bool { return card() != nil }); err != nil {
		t.Fatalf("no review card: %v\nlogs:\n%s", err, logs.String())
	}
	if c := card(); len(c.Components) == 0 {
		t.Errorf("the review card has no buttons")
	}
	// /feed is registered with the rest
	if err := fake.Await(ctx, func() bool {
		for _, c := range fake.Commands(discordtest.GuildID) {
			if c.Name == "feed" {
				return true
			}
		}
		return false
	}); err != nil {
		t.Fatalf("/feed never registered: %v", err)
	}
}

// TestFeedCommands_ReviewCardsRefused: from the console, a poll whose
// review card Discord refuses (403 Missing Access) says so, `feed list`
// says how many cards wait and what to do, and after `feed resume` the
// next poll posts the card.
func TestFeedCommands_ReviewCardsRefused(t *testing.T) {
	t.Parallel()
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/rss.xml":
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(w, newsFeed(srv.URL))
		case "/arctic/route":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, articlePage)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	fake := discordtest.New(t)
	env := map[string]string{"BRIEFBOT_DB": filepath.Join(t.TempDir(), "lib.db"), "DISCORD_TOKEN": "tok-" + strings.Repeat("c", 40),
		"BRIEFBOT_DISCORD_API_BASE": fake.URL(), "BRIEFBOT_FETCH_ALLOW_LOOPBACK": "1", "BRIEFBOT_SAMPLE": "off"}
	must := func(args ...string) string {
		t.Helper()
		out, errOut, err := run(t, env, "", args...)
		if err != nil {
			t.Fatalf("briefbot %s: %v\n%s", strings.Join(args, " "), err, errOut)
		}
		return out
	}
	g, ch := discordtest.GuildID, discordtest.ChannelID
	newLibrary(t, env)
	must("feed", "add", "--guild", g, "--topic", "Arctic shipping", "--channel", ch, srv.URL+"/rss.xml")
	fake.FailNext("POST /channels/"+ch+"/messages", 1, http.StatusForbidden)
	const why = "Missing Access — give the bot View Channel, Send Messages and Embed Links there."
	out := must("feed", "poll", "--once")
	if !strings.Contains(out, "feed 1 "+srv.URL+"/rss.xml: 1 new: 92-ships-crossed-northern-sea-route (draft); 1 review card not posted: "+why) {
		t.Errorf("poll:\n%s", out)
	}
	out = must("feed", "list", "--guild", g)
	if want := "\n   1 review card not posted in channel " + ch + ": " + why + " The bot keeps trying; `briefbot feed resume --guild " + g + " 1` tries at once.\n"; !strings.Contains(out, want) {
		t.Errorf("list:\n%s\nwant it to say%s", out, want)
	}
	if n := len(fake.Messages(ch)); n != 0 {
		t.Fatalf("%d messages in the channel after the refusal", n)
	}
	must("feed", "resume", "--guild", g, "1")
	out = must("feed", "poll", "--once")
	if !strings.HasPrefix(out, "Review cards waiting from earlier polls: 1 posted.\n") {
		t.Errorf("poll after resume:\n%s", out)
	}
	if msgs := fake.Messages(ch); len(msgs) != 1 || len(msgs[0].Embeds) == 0 || !strings.Contains(msgs[0].Embeds[0].Title, "Draft: 92 ships crossed the Northern Sea Route last year") {
		t.Errorf("the channel after the retry: %+v", msgs)
	}
	if out = must("feed", "list", "--guild", g); strings.Contains(out, "not posted") {
		t.Errorf("list after the card was posted:\n%s", out)
	}
}

package bot_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"briefbot/bot/delivery"
	"briefbot/bot/discord"
	"briefbot/bot/discordtest"
	"briefbot/briefings/article"
	"briefbot/briefings/feed"
	"briefbot/commands"
	"briefbot/internal/testlib"

	"github.com/bwmarrin/discordgo"
)

// newsSite serves the feed fixtures of briefings/feed with its own address
// in place of the fictional one: the RSS feed at /world/rss, the ferry
// article's page (navigation, cookie banner, related links, comments,
// JSON-LD) and a feed that always fails at /broken.xml.
func newsSite(t *testing.T) *httptest.Server {
	t.Helper()
	read := func(name string) string {
		data, err := os.ReadFile(filepath.Join("..", "briefings", "feed", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	rss, ferry := read("rss2_content_encoded.xml"), read("article_ferry.html")
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/world/rss":
			w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
			w.Write([]byte(strings.ReplaceAll(rss, "https://courier.example", srv.URL)))
		case "/world/2026/03/ferry-crossings-suspended":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(ferry))
		case "/broken.xml":
			http.Error(w, "upstream exploded", http.StatusInternalServerError)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestGateway_FeedToDigest: a moderator follows a feed through the fake
// Discord; a poll drafts its items and posts review cards in the channel;
// a member's press is refused, a moderator's Publish publishes, and the
// item is in the next digest. Polling again posts nothing new. A feed
// that fails five times is paused, and /feed list says why.
func TestGateway_FeedToDigest(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		ctx := context.Background()
		clock := &dlClock{time.Date(2026, time.March, 5, 12, 0, 0, 0, time.UTC)}
		store := backend.OpenStore(t)
		store.Now = clock.now
		site := newsSite(t)
		fake := discordtest.New(t, discordtest.Token(testToken))
		t.Cleanup(func() { fake.RequireNoViolations(t) })
		router := commands.New(store, commands.Options{Now: clock.now, Curator: store, Subscriptions: store, Feeds: store})
		rg := startGateway(t, fake, &discord.Gateway{Router: router})
		poller := &feed.Poller{Store: store, Drafter: router, Now: clock.now,
			Web:      article.New(article.Config{AllowLoopback: true, Timeout: 5 * time.Second}),
			Reviewer: &delivery.FeedCards{Session: fake.Session(testToken), Router: router, Curator: store}}
		mod := func(i *discordgo.Interaction) *discordgo.Interaction {
			i.Member.Permissions |= discordgo.PermissionManageMessages | discordgo.PermissionManageChannels
			return i
		}
		say := func(i *discordgo.Interaction) string {
			t.Helper()
			_, resp := rg.ask(t, i)
			return strings.ReplaceAll(responseText(resp), `\`, "")
		}
		feedCmd := func(sub string, opts ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.Interaction {
			return discordtest.Command("feed", discordtest.SubCommand(sub, opts...))
		}

		if got := say(feedCmd("add", discordtest.String("url", site.URL+"/world/rss"), discordtest.String("topic", "Baltic ports"))); !strings.Contains(got, "Only moderators can manage feeds") {
			t.Fatalf("a member added a feed: %s", got)
		}
		if got := say(mod(feedCmd("add", discordtest.String("url", site.URL+"/world/rss"), discordtest.String("topic", "Baltic ports")))); !strings.Contains(got, "Following <"+site.URL+"/world/rss>") {
			t.Fatalf("/feed add: %s", got)
		}
		before := len(fake.Messages(discordtest.ChannelID))
		if _, err := poller.PollDue(ctx); err != nil {
			t.Fatal(err)
		}
		cards := fake.Messages(discordtest.ChannelID)[before:]
		if len(cards) != 2 {
			t.Fatalf("%d review cards in the channel, want 2", len(cards))
		}
		card := cards[0]
		if view := messageText(card.Content, card.Embeds, card.Components); !strings.Contains(view, "Draft: Ferry operators suspend Baltic crossings as storm nears") ||
			!strings.Contains(view, "4,000 passengers") || strings.Contains(view, "cookie") {
			t.Fatalf("review card:\n%s", view)
		}
		// the second item's page is missing: drafted from the feed's summary, and marked so
		if !strings.Contains(cards[1].Content, "Drafted from the feed's summary") {
			t.Errorf("second card: %s", cards[1].Content)
		}
		var publish string
		for _, b := range buttons(card.Components) {
			if b.Label == "Publish" {
				publish = b.CustomID
			}
		}
		if publish == "" {
			t.Fatalf("the card has no Publish button: %+v", card.Components)
		}
		press := func(perms int64) string {
			i := discordtest.Button(publish)
			i.Message = card
			i.Member.Permissions |= perms
			return say(i)
		}
		if got := press(0); !strings.Contains(got, "Only moderators") {
			t.Fatalf("a member published: %s", got)
		}
		if got := press(discordgo.PermissionManageMessages); !strings.Contains(got, "Published") {
			t.Fatalf("publish: %s", got)
		}
		if got := say(mod(discordtest.Command("briefing", discordtest.SubCommand("drafts")))); !strings.Contains(got, "Harbour authority approves dredging") || strings.Contains(got, "Ferry operators") {
			t.Errorf("/briefing drafts: %s", got)
		}

		// the next digest of the topic carries the published item
		if got := say(mod(discordtest.Command("subscribe", discordtest.String("topic", "baltic-ports"), discordtest.String("time", "13:00"), discordtest.String("timezone", "UTC")))); !strings.Contains(got, "Subscribed") {
			t.Fatalf("/subscribe: %s", got)
		}
		clock.t = time.Date(2026, time.March, 5, 13, 0, 5, 0, time.UTC)
		before = len(fake.Messages(discordtest.ChannelID))
		d := &delivery.Deliverer{Store: store, Source: store, Session: fake.Session(testToken), Backoff: 10 * time.Millisecond}
		if _, err := d.RunDue(ctx, clock.t); err != nil {
			t.Fatal(err)
		}
		digest := fake.Messages(discordtest.ChannelID)[before:]
		if len(digest) == 0 || !strings.Contains(messageText(digest[0].Content, digest[0].Embeds, nil), "Ferry operators suspend Baltic crossings as storm nears") {
			t.Fatalf("the digest lacks the published item: %+v", digest)
		}
		if strings.Contains(messageText(digest[0].Content, digest[0].Embeds, nil), "Harbour authority") {
			t.Errorf("the digest shows a draft")
		}

		// polling again brings nothing new
		clock.t = clock.t.Add(20 * time.Minute)
		before = len(fake.Messages(discordtest.ChannelID))
		rep, err := poller.PollDue(ctx)
		if err != nil || len(rep.Results) != 1 || len(rep.Results[0].Drafts) != 0 {
			t.Fatalf("second poll: %+v, %v", rep.Results, err)
		}
		if n := len(fake.Messages(discordtest.ChannelID)) - before; n != 0 {
			t.Errorf("the second poll posted %d messages", n)
		}

		// a feed failing five times in a row is paused, and /feed list says why
		if got := say(mod(feedCmd("add", discordtest.String("url", site.URL+"/broken.xml"), discordtest.String("topic", "Baltic ports")))); !strings.Contains(got, "Following") {
			t.Fatalf("/feed add broken: %s", got)
		}
		for i := 0; i < 5; i++ {
			if _, err := poller.PollDue(ctx); err != nil {
				t.Fatal(err)
			}
			clock.t = clock.t.Add(7 * time.Hour) // past any backoff
		}
		list := say(mod(feedCmd("list")))
		if !strings.Contains(list, "⏸ **Paused:** 5 polls in a row failed; the last: <"+site.URL+"/broken.xml> answered \"500 Internal Server Error\".") {
			t.Fatalf("/feed list:\n%s", list)
		}
	})
}

// TestGateway_FeedReviewCardsRefused: Discord refuses the review cards
// (403 Missing Access: the bot may not post in the review channel). The
// drafts are made, the cards wait, /feed list says how many and what to
// do, and later polls try again, once per round and after a growing wait,
// until Discord takes them; then /feed list no longer mentions them.
func TestGateway_FeedReviewCardsRefused(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		ctx := context.Background()
		clock := &dlClock{time.Date(2026, time.March, 5, 12, 0, 0, 0, time.UTC)}
		store := backend.OpenStore(t)
		store.Now = clock.now
		site := newsSite(t)
		fake := discordtest.New(t, discordtest.Token(testToken))
		t.Cleanup(func() { fake.RequireNoViolations(t) })
		router := commands.New(store, commands.Options{Now: clock.now, Curator: store, Feeds: store})
		rg := startGateway(t, fake, &discord.Gateway{Router: router})
		poller := &feed.Poller{Store: store, Drafter: router, Now: clock.now,
			Web:      article.New(article.Config{AllowLoopback: true, Timeout: 5 * time.Second}),
			Reviewer: &delivery.FeedCards{Session: fake.Session(testToken), Router: router, Curator: store}}
		list := func() string {
			t.Helper()
			i := discordtest.Command("feed", discordtest.SubCommand("list"))
			i.Member.Permissions |= discordgo.PermissionManageMessages
			_, resp := rg.ask(t, i)
			return strings.ReplaceAll(responseText(resp), `\`, "")
		}
		add := discordtest.Command("feed", discordtest.SubCommand("add", discordtest.String("url", site.URL+"/world/rss"), discordtest.String("topic", "Baltic ports")))
		add.Member.Permissions |= discordgo.PermissionManageMessages
		if _, resp := rg.ask(t, add); !strings.Contains(responseText(resp), "Following") {
			t.Fatalf("/feed add: %s", responseText(resp))
		}
		posts := func() int {
			n := 0
			for _, r := range fake.Requests() {
				if r.Method == http.MethodPost && r.Path == "/channels/"+discordtest.ChannelID+"/messages" {
					n++
				}
			}
			return n
		}
		cards := func() int {
			n := 0
			for _, m := range fake.Messages(discordtest.ChannelID) {
				if strings.HasPrefix(m.Content, "New draft from a feed") {
					n++
				}
			}
			return n
		}
		fake.FailNext("POST /channels/"+discordtest.ChannelID+"/messages", 2, http.StatusForbidden)

		rep, err := poller.PollDue(ctx)
		if err != nil || len(rep.Results) != 1 || len(rep.Results[0].Drafts) != 2 || rep.Results[0].CardsNotPosted != 2 {
			t.Fatalf("poll: %+v, %v", rep.Results, err)
		}
		if cards() != 0 || posts() != 1 {
			t.Fatalf("after the refusal: %d cards in the channel, %d posts tried; want 0 and 1 (the channel refused, so it is not asked again in the round)", cards(), posts())
		}
		want := "📭 2 review cards not posted in <#" + discordtest.ChannelID + ">: Missing Access — give the bot View Channel, Send Messages and Embed Links there. I keep trying; /feed resume tries at once."
		if got := list(); !strings.Contains(got, want) {
			t.Fatalf("/feed list:\n%s\nwant it to say\n%s", got, want)
		}

		// a minute later: tried again, refused again
		clock.t = clock.t.Add(time.Minute)
		if rep, err := poller.PollDue(ctx); err != nil || rep.Cards.NotPosted != 2 || posts() != 2 {
			t.Fatalf("first retry: %+v, %v, %d posts", rep.Cards, err, posts())
		}
		// the next retry waits two minutes
		clock.t = clock.t.Add(time.Minute)
		if rep, err := poller.PollDue(ctx); err != nil || rep.Cards.Posted+rep.Cards.NotPosted != 0 || posts() != 2 {
			t.Fatalf("retried too soon: %+v, %v, %d posts", rep.Cards, err, posts())
		}
		clock.t = clock.t.Add(time.Minute)
		rep, err = poller.PollDue(ctx)
		if err != nil || rep.Cards.Posted != 2 || cards() != 2 {
			t.Fatalf("once Discord takes them: %+v, %v, %d cards", rep.Cards, err, cards())
		}
		msgs := fake.Messages(discordtest.ChannelID)
		if view := messageText(msgs[len(msgs)-2].Content, msgs[len(msgs)-2].Embeds, nil); !strings.Contains(view, "Draft: Ferry operators suspend Baltic crossings as storm nears") {
			t.Errorf("first card posted late:\n%s", view)
		}
		if len(buttons(msgs[len(msgs)-2].Components)) == 0 {
			t.Errorf("the late card has no buttons")
		}
		if got := list(); strings.Contains(got, "not posted") {
			t.Errorf("/feed list after the cards were posted:\n%s", got)
		}
		// posted once
		clock.t = clock.t.Add(time.Hour)
		if _, err := poller.PollDue(ctx); err != nil || cards() != 2 {
			t.Errorf("a later poll: %v, %d cards", err, cards())
		}
	})
}

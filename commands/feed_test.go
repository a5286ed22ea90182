package commands_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"briefbot/briefings"
	"briefbot/commands"

	"github.com/bwmarrin/discordgo"
)

func newFeeds(t *testing.T, perGuild int) *curation {
	c := &curation{lib: openLibrary(t), files: map[string]string{}}
	c.r = commands.New(c.lib, commands.Options{Now: func() time.Time { return clock }, Curator: c.lib, Feeds: c.lib, FeedsPerGuild: perGuild})
	return c
}

// goldenJSON compares v's JSON with testdata/golden/name.json.
func goldenJSON(t *testing.T, name string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", "golden", name+".json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run with -update to create it): %v", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from the golden file; run with -update if the change is intended\ngot:\n%s", path, got)
	}
}

func TestFeed_Commands(t *testing.T) {
	t.Parallel()
	c := newFeeds(t, 2)
	feedCmd := func(user string, perms int64, s *discordgo.ApplicationCommandInteractionDataOption) string {
		t.Helper()
		i := as(command("feed", s), user, perms)
		i.ChannelID = "300"
		return textOf(t, c.handle(t, i))
	}
	// members may not, whatever Discord's permission settings say
	if got := feedCmd(readerX, 0, sub("add", opt("url", "https://courier.example/rss"), opt("topic", "Baltic ports"))); !strings.Contains(got, "Only moderators can manage feeds") {
		t.Errorf("member's /feed add: %s", got)
	}
	if got := feedCmd(readerX, 0, sub("list")); !strings.Contains(got, "Only moderators can manage feeds") {
		t.Errorf("member's /feed list: %s", got)
	}
	for _, tt := range []struct {
		s    *discordgo.ApplicationCommandInteractionDataOption
		want string
	}{
		{sub("add", opt("url", "file:///etc/passwd"), opt("topic", "Baltic ports")), "url: I only read http and https feeds"},
		{sub("add", opt("url", "https://courier.example/rss"), opt("topic", "Baltic ports"), intOpt("interval", 2)), "interval: 2m0s is not allowed; give 5 to 1440 minutes"},
		{sub("add", opt("url", "https://courier.example/rss"), opt("topic", "Baltic ports")),
			"Following <https://courier.example/rss>: its new items will be drafted under **Baltic ports** every 15 minutes, and each draft's review card posted in <#300>."},
		{sub("add", opt("url", "https://courier.example/rss"), opt("topic", "Baltic ports")), "already follows <https://courier.example/rss> (feed 1)"},
		{sub("add", opt("url", "https://orbit.example/feed.json"), opt("topic", "Space"), boolOpt("auto_publish", true), intOpt("interval", 60),
			&discordgo.ApplicationCommandInteractionDataOption{Name: "review_channel", Type: discordgo.ApplicationCommandOptionChannel, Value: "301"}),
			"will be published under **Space** at once, every 1 hour; <#301> is told of each"},
		{sub("add", opt("url", "https://ledger.example/atom.xml"), opt("topic", "City")), "already follows 2 feeds, the most it may"},
	} {
		if got := feedCmd(modID, modPerms, tt.s); !strings.Contains(got, tt.want) {
			t.Errorf("/feed %s: %s\nwant %q", commandLine(command("feed", tt.s)), got, tt.want)
		}
	}
	// autocomplete offers the server's feeds to moderators only
	ac := as(autocomplete("feed", sub("remove", focused("feed", "orbit"))), modID, modPerms)
	if got := c.handle(t, ac).Data.Choices; len(got) != 1 || got[0].Value != "2" {
		t.Errorf("autocomplete: %+v", got)
	}
	if got := c.handle(t, as(autocomplete("feed", sub("remove", focused("feed", ""))), readerX, 0)).Data.Choices; len(got) != 0 {
		t.Errorf("a member was offered feeds: %+v", got)
	}
	// a feed that failed five times is paused, and /feed list says why
	ctx := context.Background()
	if err := c.lib.RecordFeedPoll(ctx, briefings.FeedPoll{FeedID: 1, At: clock, Failures: 5, Pause: true, NextPoll: clock.Add(time.Hour),
		Error: "5 polls in a row failed; the last: <https://courier.example/rss> answered \"404 Not Found\"."}); err != nil {
		t.Fatal(err)
	}
	i := as(command("feed", sub("list")), modID, modPerms)
	list := c.handle(t, i)
	if !strings.Contains(textOf(t, list), "⏸ **Paused:** 5 polls in a row failed; the last: <https://courier.example/rss> answered \"404 Not Found\".") {
		t.Errorf("list: %s", textOf(t, list))
	}
	goldenJSON(t, "feed-list-paused", list)
	if got := feedCmd(modID, modPerms, sub("resume", opt("feed", "1"))); !strings.Contains(got, "Resumed <https://courier.example/rss>") {
		t.Errorf("resume: %s", got)
	}
	if got := feedCmd(modID, modPerms, sub("pause", opt("feed", "https://orbit.example/feed.json"), opt("reason", "Too many launches"))); !strings.Contains(got, "Paused <https://orbit.example/feed.json>") {
		t.Errorf("pause: %s", got)
	}
	if got := textOf(t, c.handle(t, as(command("feed", sub("list")), modID, modPerms))); strings.Contains(got, "Paused:** 5 polls") ||
		!strings.Contains(got, "Paused:** Too many launches (<@200>)") {
		t.Errorf("list after resume and pause: %s", got)
	}
	if got := feedCmd(modID, modPerms, sub("remove", opt("feed", "9"))); !strings.Contains(got, "follows no feed 9") {
		t.Errorf("remove unknown: %s", got)
	}
	if got := feedCmd(modID, modPerms, sub("remove", opt("feed", "2"))); !strings.Contains(got, "Stopped following <https://orbit.example/feed.json>") {
		t.Errorf("remove: %s", got)
	}
}

// A feed's draft is offered on a card whose buttons only moderators can
// use; Publish publishes it, with the feed in the audit log.
func TestFeed_ReviewCard(t *testing.T) {
	t.Parallel()
	c := newFeeds(t, 0)
	ctx := context.Background()
	f, err := c.lib.AddFeed(ctx, briefings.Feed{GuildID: guild, URL: "https://courier.example/rss", Topic: "Baltic ports", ReviewChannelID: "300", AddedBy: modID}, 20)
	if err != nil {
		t.Fatal(err)
	}
	a := &briefings.WebArticle{URL: "https://courier.example/world/ferries", Title: "Ferry operators suspend Baltic crossings as storm nears",
		SiteName: "Northsea Courier", Published: briefings.DateFromTime(clock),
		Text: "Three ferry operators suspended all crossings between Tallinn and Helsinki on Tuesday, as forecasters warned of gusts above 110 km/h.\n\nThe port of Tallinn said about 4,000 passengers had been rebooked, according to the port authority."}
	b, err := c.r.DraftFromFeed(ctx, *f, a, "From the feed <https://courier.example/rss>.", nil)
	if err != nil {
		t.Fatal(err)
	}
	if b.Status != briefings.StatusDraft || b.Topics[0] != "Baltic ports" || b.Source.URL != a.URL {
		t.Fatalf("draft: %+v", b)
	}
	card := c.r.ReviewCard(*f, b, "From the feed <https://courier.example/rss>.")
	goldenJSON(t, "feed-review-card", card)
	var publish string
	for _, row := range card.Components {
		for _, it := range row.(discordgo.ActionsRow).Components {
			if bt, ok := it.(discordgo.Button); ok && bt.Label == "Publish" {
				publish = bt.CustomID
			}
		}
	}
	if publish == "" {
		t.Fatalf("no Publish button: %+v", card.Components)
	}
	if got := textOf(t, c.handle(t, as(button(publish), readerX, 0))); !strings.Contains(got, "Only moderators") {
		t.Errorf("a member pressed Publish: %s", got)
	}
	resp := c.handle(t, as(button(publish), modID, modPerms))
	if resp.Type != discordgo.InteractionResponseUpdateMessage || !strings.Contains(textOf(t, resp), "Published") {
		t.Fatalf("publish: %s", textOf(t, resp))
	}
	log, err := c.lib.AuditLog(ctx, guild, 5)
	if err != nil {
		t.Fatal(err)
	}
	if log[1].Action != briefings.AuditDraft || log[1].UserID != "feed:1" || log[0].Action != briefings.AuditPublish || log[0].UserID != modID {
		t.Errorf("audit log: %+v", log[:2])
	}

	// auto_publish: published at once, by the feed
	auto, err := c.lib.AddFeed(ctx, briefings.Feed{GuildID: guild, URL: "https://courier.example/auto", Topic: "Baltic ports", AutoPublish: true}, 20)
	if err != nil {
		t.Fatal(err)
	}
	a.URL, a.Title = "https://courier.example/world/dredging", "Harbour authority approves dredging of main channel"
	a.Text = "The harbour authority's board voted 7 to 2 on Monday to dredge the port's main channel to a depth of 16 metres."
	pub, err := c.r.DraftFromFeed(ctx, *auto, a, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if pub.Status != briefings.StatusPublished {
		t.Fatalf("auto_publish left it %s", pub.Status)
	}
	if card := c.r.ReviewCard(*auto, pub, ""); len(card.Components) != 0 || !strings.Contains(card.Content, "Published at once") {
		t.Errorf("published card: %+v", card)
	}
	log, _ = c.lib.AuditLog(ctx, guild, 1)
	if log[0].Action != briefings.AuditPublish || log[0].UserID != "feed:2" {
		t.Errorf("auto_publish audit: %+v", log[0])
	}
}

package bot_test

import (
	"bytes"
	"context"
	"image/png"
	"strings"
	"testing"
	"time"

	"briefbot/bot/console"
	"briefbot/bot/delivery"
	"briefbot/bot/discordtest"
	"briefbot/briefings"
	"briefbot/commands"
	"briefbot/internal/testlib"

	"github.com/bwmarrin/discordgo"
)

// TestDeliverer_DigestCarriesTheWeeksPicture: a subscription made with
// picture:True gets the week's timeline attached to its digest, through
// the real discordgo client and the fake Discord, and sees it in the
// /digest preview; one without gets none.
func TestDeliverer_DigestCarriesTheWeeksPicture(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		ctx := context.Background()
		clock := &dlClock{time.Date(2025, 3, 8, 12, 0, 0, 0, time.UTC)}
		store := dlStore(t, backend, clock)
		clock.t = clock.t.Add(-30 * time.Minute)
		if _, err := store.SaveBriefings(ctx, "", []*briefings.Briefing{{
			Slug: "convoy", Title: "Convoy sets out", Summary: "A convoy sets out.",
			Published: briefings.DayOf(2025, 3, 7), Topics: []string{"arctic"}, Status: briefings.StatusPublished,
			Source: briefings.Source{Name: "Test Wire", URL: "https://example.com/convoy"},
			Actors: []briefings.Actor{{Name: "Northern Fleet", Kind: briefings.KindOrganization}},
			Events: []briefings.Event{
				{Name: "Convoy leaves Murmansk", Date: briefings.DayOf(2025, 3, 10), Participants: []string{"Northern Fleet"}},
				{Name: "Ice talks", Date: briefings.DayOf(2025, 3, 5), End: briefings.DayOf(2025, 3, 6)},
				{Name: "Last year's convoy", Date: briefings.DayOf(2024, 3, 10)},
			},
		}}, "test"); err != nil {
			t.Fatal(err)
		}
		clock.t = clock.t.Add(30 * time.Minute)
		fake := discordtest.New(t, discordtest.RateLimits(discordtest.DiscordLimits()))
		router := commands.New(store, commands.Options{Now: clock.now, Subscriptions: store})
		d := dlDeliverer(fake, store, delivery.DefaultDeliveryRate)

		got := dlAsk(t, router, "subscribe", dlOpt("topic", "arctic"), dlOpt("time", "08:00"), dlOpt("timezone", "UTC"), dlOpt("picture", true))
		if !strings.Contains(got, "picture of the week's timeline") {
			t.Fatalf("/subscribe picture:True said:\n%s", got)
		}
		fake.AddChannel("1100000000000000299")
		other := discordtest.Command("subscribe")
		other.ChannelID = "1100000000000000299"
		other.Data = discordgo.ApplicationCommandInteractionData{Name: "subscribe", CommandType: discordgo.ChatApplicationCommand,
			Options: []*discordgo.ApplicationCommandInteractionDataOption{dlOpt("topic", "arctic"), dlOpt("time", "08:00"), dlOpt("timezone", "UTC")}}
		other.Member.Permissions |= discordgo.PermissionManageChannels
		if got := console.RenderText(router.Handle(ctx, other), time.Time{}); strings.Contains(got, "picture") {
			t.Fatalf("a subscription without the option mentions a picture:\n%s", got)
		}
		if got := dlAsk(t, router, "subscriptions"); !strings.Contains(got, "with the week's timeline picture") {
			t.Errorf("/subscriptions does not show the picture option:\n%s", got)
		}

		// The preview shows the picture where the subscription asks for it.
		for _, tc := range []struct {
			channel string
			want    int
		}{{discordtest.ChannelID, 1}, {"1100000000000000299", 0}} {
			i := discordtest.Command("digest")
			i.ChannelID = tc.channel
			resp := router.Handle(ctx, i)
			if resp.Data == nil || len(resp.Data.Files) != tc.want {
				t.Errorf("/digest in %s: %+v, want %d files", tc.channel, resp.Data, tc.want)
			}
		}

		clock.t = time.Date(2025, 3, 9, 8, 0, 5, 0, time.UTC)
		if rep, err := d.RunDue(ctx, clock.t); err != nil || rep.Delivered != 2 {
			t.Fatalf("RunDue: %+v, %v; want 2 delivered", rep, err)
		}
		withFiles := map[string]int{}
		for _, r := range posts(fake) {
			withFiles[r.Path] += len(r.Files)
			for _, f := range r.Files {
				cfg, err := png.DecodeConfig(bytes.NewReader(f.Data))
				if f.Name != commands.TimelineFile || err != nil || cfg.Width < 1200 {
					t.Errorf("attached %q: %dx%d, %v; want %s, a PNG at least 1,200 px wide", f.Name, cfg.Width, cfg.Height, err, commands.TimelineFile)
				}
			}
		}
		if withFiles["/channels/"+discordtest.ChannelID+"/messages"] != 1 || withFiles["/channels/1100000000000000299/messages"] != 0 {
			t.Errorf("files per channel %v: want the picture with the subscription that asked for it only", withFiles)
		}
		msgs := fake.Messages(discordtest.ChannelID)
		if len(msgs) == 0 || len(msgs[len(msgs)-1].Attachments) != 1 {
			t.Errorf("the digest message carries no picture")
		}
		fake.RequireNoViolations(t)
	})
}

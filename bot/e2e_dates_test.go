package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"briefbot/bot/delivery"
	"briefbot/bot/discord"
	"briefbot/bot/discordtest"
	"briefbot/commands"

	"briefbot/internal/testlib"
	"github.com/bwmarrin/discordgo"
)

// The readers of the date tests, at both ends of the world's time zones.
var (
	honolulu   = mustZone("Pacific/Honolulu")   // UTC−10
	kiritimati = mustZone("Pacific/Kiritimati") // UTC+14
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// sameForEveryReader checks that readers in UTC−10 and UTC+14 read the
// embeds alike, and each reads every want.
func sameForEveryReader(t *testing.T, embeds []*discordgo.MessageEmbed, now time.Time, want ...string) {
	t.Helper()
	west := discordtest.EmbedsAsReader(embeds, honolulu, now)
	east := discordtest.EmbedsAsReader(embeds, kiritimati, now)
	if west != east {
		t.Errorf("readers in UTC−10 and UTC+14 read different things.\nUTC−10:\n%s\nUTC+14:\n%s", west, east)
	}
	for _, w := range want {
		if !strings.Contains(west, w) || !strings.Contains(east, w) {
			t.Errorf("readers do not both read %q.\nUTC−10:\n%s\nUTC+14:\n%s", w, west, east)
		}
	}
}

// TestGateway_DatesSameForEveryReader asks about the sample's events over
// the gateway and reads the messages the fake Discord holds as a reader in
// Honolulu and one in Kiritimati would: both must see the Putin–Kim call on
// 12 August 2025, the Alaska summit on 15 August 2025 and Kursk declared
// retaken in April 2025.
func TestGateway_DatesSameForEveryReader(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		fake := discordtest.New(t)
		rg := startGateway(t, fake, &discord.Gateway{Router: newRouterOn(t, backend)})
		for _, tc := range []struct {
			name string
			i    *discordgo.Interaction
			want []string
		}{
			{"event", discordtest.Command("event", discordtest.String("name", "Alaska summit")), []string{"**When:** 15 August 2025 ("}},
			{"event-call", discordtest.Command("event", discordtest.String("name", "Putin-Kim phone call")), []string{"**When:** 12 August 2025 ("}},
			{"event-month", discordtest.Command("event", discordtest.String("name", "Kursk region declared retaken")), []string{"**When:** April 2025 ("}},
			{"timeline", discordtest.Command("timeline", discordtest.String("topic", "alaska-summit")), []string{
				"April 2025 — **Kursk region declared retaken**", "12 August 2025 — **Putin-Kim phone call**", "15 August 2025 — **Alaska summit**"}},
			{"actor", discordtest.Command("actor", discordtest.String("name", "Kim Jong Un")), []string{"12 August 2025 — **Putin-Kim phone call**"}},
			{"ask-when", discordtest.Command("ask", discordtest.String("question", "When is the Alaska summit?")), []string{"15 August 2025"}},
			{"ask-typo", discordtest.Command("ask", discordtest.String("question", "when did putn call kim")), []string{"12 August 2025", "“putn” as “Putin”"}},
			{"brief", discordtest.Command("brief", discordtest.String("topic", "alaska-summit")), []string{
				"12 August 2025 — Putin-Kim phone call", "15 August 2025 — Alaska summit", "April 2025 — Kursk region declared retaken"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				id, _ := rg.ask(t, tc.i)
				m := rg.original(t, id)
				if m.Content != "" {
					t.Errorf("unexpected content %q", m.Content)
				}
				sameForEveryReader(t, m.Embeds, time.Now(), tc.want...)
			})
		}
		fake.RequireNoViolations(t)
	})
}

// TestDeliverer_DigestDatesSameForEveryReader delivers daily digests of the
// Alaska summit topic to the fake Discord in the week before the summit and
// reads them as a reader in Honolulu and one in Kiritimati would.
func TestDeliverer_DigestDatesSameForEveryReader(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		ctx := context.Background()
		clock := &dlClock{time.Date(2025, time.August, 1, 12, 0, 0, 0, time.UTC)}
		store := dlStore(t, backend, clock)
		if _, err := store.SaveBriefings(ctx, "", testlib.SampleBriefings(t), "test"); err != nil {
			t.Fatal(err)
		}
		fake := discordtest.New(t, discordtest.RateLimits(discordtest.DiscordLimits()))
		router := commands.New(store, commands.Options{Now: clock.now, Subscriptions: store})
		if got := dlAsk(t, router, "subscribe", dlOpt("topic", "alaska-summit"), dlOpt("time", "08:00"), dlOpt("timezone", "America/New_York")); !strings.Contains(got, "Subscribed") {
			t.Fatalf("/subscribe said:\n%s", got)
		}
		d := dlDeliverer(fake, store, delivery.DefaultDeliveryRate)
		for day := 2; day <= 14; day++ {
			clock.t = time.Date(2025, time.August, day, 12, 0, 5, 0, time.UTC) // 08:00 in New York
			if _, err := d.RunDue(ctx, clock.t); err != nil {
				t.Fatalf("RunDue(%s): %v", clock.t, err)
			}
		}
		// Each digest lists the events of its coming week; whichever it lists
		// must read as its calendar date for both readers.
		lines := map[string]string{
			"**Putin-Kim phone call**": "12 August 2025 — **Putin-Kim phone call**",
			"**Alaska summit**,":       "15 August 2025 — **Alaska summit**,",
		}
		seen := map[string]int{}
		msgs := fake.Messages(discordtest.ChannelID)
		for _, m := range msgs {
			sameForEveryReader(t, m.Embeds, m.Timestamp)
			view := discordtest.EmbedsAsReader(m.Embeds, honolulu, m.Timestamp)
			for event, line := range lines {
				if strings.Contains(view, event) {
					seen[event]++
					sameForEveryReader(t, m.Embeds, m.Timestamp, line)
				}
			}
		}
		if len(seen) != len(lines) {
			t.Fatalf("the %d digests announced %v, want both events", len(msgs), seen)
		}
		fake.RequireNoViolations(t)
	})
}

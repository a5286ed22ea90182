package commands_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"briefbot/bot/discordtest"
	"briefbot/briefings"
	"briefbot/commands"

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

// embedsText is what a user reads in embeds, decoded from the JSON a
// transport would send.
func embedsText(t *testing.T, embeds []*discordgo.MessageEmbed) string {
	w, _ := decode(t, &discordgo.InteractionResponse{Data: &discordgo.InteractionResponseData{Embeds: embeds}})
	return w.text()
}

// TestDates_SameForEveryReader renders every view that shows the dates of
// the sample library's events and checks that a reader in UTC−10 and one in
// UTC+14 both read the calendar dates the library holds: the Putin–Kim call
// on 12 August 2025, the Alaska summit on 15 August 2025, Kursk declared
// retaken in April 2025. Discord shows <t:…> timestamps in each reader's
// zone, so a date without a time of day sent as one (midnight UTC) reads as
// the day before west of UTC.
func TestDates_SameForEveryReader(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	lib := openLibrary(t)
	r := newRouter(lib)
	run := func(i *discordgo.Interaction) string {
		resp := r.Handle(ctx, i)
		w := checkLimits(t, "dates", resp)
		return w.text()
	}
	// A digest of the week before the summit: since 5 August, sent on 12
	// August, lists the call and the summit as coming up.
	digest := func(t *testing.T) *briefings.Digest {
		since := time.Date(2025, time.August, 5, 12, 0, 0, 0, time.UTC)
		d, err := briefings.ComposeDigest(ctx, lib, guild, "alaska-summit", since, since.AddDate(0, 0, 7))
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	// Drafting on Wednesday 13 August 2025: "Tuesday" is the 12th and
	// "Friday's summit" the 15th.
	drafting := time.Date(2025, time.August, 13, 9, 0, 0, 0, time.UTC)
	curator := commands.New(lib, commands.Options{Now: func() time.Time { return drafting }, Curator: lib})
	curate := func(i *discordgo.Interaction) string {
		resp := curator.Handle(ctx, as(i, modID, modPerms))
		w := checkLimits(t, "dates", resp)
		return w.text()
	}

	for _, tc := range []struct {
		name string
		// view returns the markup a reader gets, and the instant they read it.
		view func(t *testing.T) (string, time.Time)
		want []string
	}{
		{"event-day", func(t *testing.T) (string, time.Time) {
			return run(command("event", opt("name", "Alaska summit"))), clock
		}, []string{"**When:** 15 August 2025 (17 days ago)"}},
		{"event-call", func(t *testing.T) (string, time.Time) {
			return run(command("event", opt("name", "Putin-Kim phone call"))), clock
		}, []string{"**When:** 12 August 2025 (20 days ago)"}},
		{"event-month", func(t *testing.T) (string, time.Time) {
			return run(command("event", opt("name", "Kursk region declared retaken"))), clock
		}, []string{"**When:** April 2025 (5 months ago)"}},
		{"timeline", func(t *testing.T) (string, time.Time) {
			return run(command("timeline", opt("topic", "alaska-summit"))), clock
		}, []string{"19 June 2024 — **Russia-North Korea partnership treaty**", "April 2025 — **Kursk region declared retaken**",
			"12 August 2025 — **Putin-Kim phone call**", "15 August 2025 — **Alaska summit**"}},
		{"actor", func(t *testing.T) (string, time.Time) {
			return run(command("actor", opt("name", "Kim Jong Un"))), clock
		}, []string{"19 June 2024 — **Russia-North Korea partnership treaty**", "12 August 2025 — **Putin-Kim phone call**"}},
		{"brief", func(t *testing.T) (string, time.Time) {
			return run(command("brief", opt("topic", "alaska-summit"))), clock
		}, []string{"Published 12 August 2025", "12 August 2025 — Putin-Kim phone call", "15 August 2025 — Alaska summit",
			"April 2025 — Kursk region declared retaken", "13 August 2025: Correction"}},
		{"search", func(t *testing.T) (string, time.Time) {
			return run(command("search", opt("query", "Kursk"))), clock
		}, []string{"· 12 August 2025 ·"}},
		{"ask", func(t *testing.T) (string, time.Time) {
			return run(command("ask", opt("question", "How many North Korean troops are fighting for Russia?"))), clock
		}, []string{"· 12 August 2025 ·"}},
		{"topics", func(t *testing.T) (string, time.Time) {
			return run(command("topics")), clock
		}, []string{"latest 12 August 2025"}},
		{"digest", func(t *testing.T) (string, time.Time) {
			// The header's "since <t:…:f>" is an exact instant, rightly in
			// each reader's zone; the dates are in the embeds.
			msgs := commands.DigestMessages(digest(t))
			if len(msgs) == 0 {
				t.Fatal("no digest")
			}
			return embedsText(t, msgs[0].Embeds), time.Date(2025, time.August, 12, 12, 0, 0, 0, time.UTC)
		}, []string{"12 August 2025 — **Putin-Kim phone call**", "15 August 2025 — **Alaska summit**"}},
		{"digest-preview", func(t *testing.T) (string, time.Time) {
			return embedsText(t, commands.DigestPreview(digest(t)).Data.Embeds), time.Date(2025, time.August, 12, 12, 0, 0, 0, time.UTC)
		}, []string{"12 August 2025 — **Putin-Kim phone call**", "15 August 2025 — **Alaska summit**"}},
		{"curation-preview", func(t *testing.T) (string, time.Time) {
			return curate(modal("bf:add", map[string]string{
				"title":   "Putin calls Kim before the Alaska summit",
				"summary": "Vladimir Putin telephoned Kim Jong Un on Tuesday and thanked North Korea for its help.",
				"body":    "The call came before Friday's Alaska summit between Putin and Trump. Russia declared the Kursk region retaken in April 2025.",
				"topics":  "Alaska summit",
			})), drafting
		}, []string{"article dated 13 August 2025", "12 August 2025 — ", "15 August 2025 — ", "April 2025 — "}},
		{"curation-event-edit", func(t *testing.T) (string, time.Time) {
			return curate(command("briefing", sub("event", sub("edit", opt("name", "Stress **event**"), opt("date", "2025-08-15"), opt("end", "2025-08-16"))))), drafting
		}, []string{": 15 August 2025 to 16 August 2025."}},
		{"timeline-span", func(t *testing.T) (string, time.Time) {
			// After the edit above, the event spans two days.
			return run(command("timeline", opt("topic", "stress-test"))), clock
		}, []string{"15–16 August 2025 — **Stress \\*\\*event\\*\\***"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			markup, now := tc.view(t)
			west, east := discordtest.AsReader(markup, honolulu, now), discordtest.AsReader(markup, kiritimati, now)
			if west != east {
				t.Errorf("readers in UTC−10 and UTC+14 read different things.\nUTC−10:\n%s\nUTC+14:\n%s", west, east)
			}
			for _, want := range tc.want {
				for zone, got := range map[string]string{"UTC−10": west, "UTC+14": east} {
					if !strings.Contains(got, want) {
						t.Errorf("a reader in %s does not read %q:\n%s", zone, want, got)
					}
				}
			}
		})
	}
}

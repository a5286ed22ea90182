package bot_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"briefbot/bot/console"
	"briefbot/bot/discord"
	"briefbot/bot/discordtest"
	"briefbot/briefings"
	"briefbot/db"
	"briefbot/internal/testlib"

	"github.com/bwmarrin/discordgo"
)

// correctGuildNotes is a moderator's /briefing correct of the test guild's
// briefing.
func correctGuildNotes() *discordgo.Interaction {
	i := discordtest.Command("briefing", &discordgo.ApplicationCommandInteractionDataOption{
		Name: "correct", Type: discordgo.ApplicationCommandOptionSubCommand,
		Options: []*discordgo.ApplicationCommandInteractionDataOption{
			discordtest.String("briefing", "guild-notes"), discordtest.String("text", "The clerk keeps two sets of notes."),
		}})
	i.Member.Permissions = discordtest.MemberPermissions | console.ModeratorPermissions
	return i
}

// requireOneCorrection checks that the guild's briefing holds one
// correction and the audit log one entry for it.
func requireOneCorrection(t *testing.T, lib *db.DB) {
	t.Helper()
	ctx := context.Background()
	b, err := lib.Briefing(ctx, discordtest.GuildID, "guild-notes")
	if err != nil {
		t.Fatal(err)
	}
	if got := len(b.Corrections); got != 1 {
		t.Errorf("the briefing has %d corrections, want 1: %+v", got, b.Corrections)
	}
	es, err := lib.AuditLog(ctx, discordtest.GuildID, 50)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range es {
		if e.Action == briefings.AuditCorrect {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the audit log has %d corrections, want 1", n)
	}
}

// The same signed /briefing correct posted three times within 2 s is
// applied once; the replays get the first answer (or a refusal while it is
// being written) and are counted.
func TestHTTP_ReplayedInteractionIsHandledOnce(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		router, lib := fullRouterOn(t, backend)
		b := startHTTP(t, &discord.HTTPServer{Router: router})
		body := interactionBody(t, correctGuildNotes())
		ts := now(0)
		sig := sign(b.key, ts, body)

		status, first := b.post(t, body, sig, ts)
		if status != http.StatusOK || !strings.Contains(string(first), "Added the correction") {
			t.Fatalf("first: %d %s", status, first)
		}
		var wg sync.WaitGroup
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				status, again := b.post(t, body, sig, ts)
				if status != http.StatusOK {
					t.Errorf("replay: status %d %s", status, again)
				}
				if string(again) != string(first) && !strings.Contains(string(again), "already being handled") {
					t.Errorf("replay answered %s, want the first answer %s", again, first)
				}
			}()
		}
		wg.Wait()
		requireOneCorrection(t, lib)
		metrics := metricsText(t, b.url)
		if want := `briefbot_interactions_total{command="briefing",kind="command",outcome="replayed"} 2`; !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	})
}

// Over the gateway, an interaction delivered three times is applied once.
func TestGateway_ReplayedInteractionIsHandledOnce(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		fake := discordtest.New(t)
		router, lib := fullRouterOn(t, backend)
		rg := startGateway(t, fake, &discord.Gateway{Router: router})
		i := correctGuildNotes()
		_, resp := rg.ask(t, i)
		if text := responseText(resp); !strings.Contains(text, "Added the correction") {
			t.Fatalf("first answer: %s", text)
		}
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		for range 2 {
			again := *i
			fake.SendInteraction(ctx, &again)
		}
		// The replays are ignored once the gateway has logged them.
		for strings.Count(rg.logs.String(), "replayed interaction ignored") < 2 {
			if ctx.Err() != nil {
				t.Fatalf("the replays were not recognised:\n%s", rg.logs.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
		requireOneCorrection(t, lib)
		fake.RequireNoViolations(t)
	})
}

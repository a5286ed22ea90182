package discord

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"briefbot/commands"

	"github.com/bwmarrin/discordgo"
)

// An interaction is handled once. Discord may deliver one again (a resumed
// gateway session), and anyone who captured a signed HTTP request can send
// it again while its timestamp is fresh: a replayed /briefing correct would
// store the correction again. The dispatcher remembers every interaction ID
// for as long as its token lasts; a replay gets the first answer when it is
// known, a refusal while the first is still being handled, and never runs
// the handler.

// replayWindow is how long an interaction ID is remembered: its token's
// lifetime, after which Discord accepts no answer to it anyway.
const replayWindow = 15 * time.Minute

// msgReplayed answers a replay whose first answer is not known yet.
const msgReplayed = "That request is already being handled; its answer comes once."

// replayGuard remembers the interactions handled in the last replayWindow.
// Its zero value is ready to use.
type replayGuard struct {
	mu    sync.Mutex
	seen  map[string]*replayEntry
	swept time.Time
}

// replayEntry is one remembered interaction.
type replayEntry struct {
	at   time.Time
	resp *discordgo.InteractionResponse // nil until the handler answers
}

// claim records the interaction ID as handled and reports whether it was
// already, with its first answer when there is one.
func (g *replayGuard) claim(id string, now time.Time) (first *discordgo.InteractionResponse, replay bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.seen == nil {
		g.seen = map[string]*replayEntry{}
	}
	if now.Sub(g.swept) > time.Minute {
		for k, e := range g.seen {
			if now.Sub(e.at) > replayWindow {
				delete(g.seen, k)
			}
		}
		g.swept = now
	}
	if e, ok := g.seen[id]; ok && now.Sub(e.at) <= replayWindow {
		return e.resp, true
	}
	g.seen[id] = &replayEntry{at: now}
	return nil, false
}

// answered records the first answer to the interaction.
func (g *replayGuard) answered(id string, resp *discordgo.InteractionResponse) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if e, ok := g.seen[id]; ok && e.resp == nil {
		e.resp = resp
	}
}

// replayed answers i when it is a replay, without running the handler, and
// reports whether it was. Interactions without an ID are not checked.
func (d *dispatcher) replayed(ctx context.Context, log *slog.Logger, i *discordgo.Interaction, rep replier, kind, command string, start time.Time) bool {
	if i.ID == "" {
		return false
	}
	first, replay := d.replays.claim(i.ID, start)
	if !replay {
		return false
	}
	resp := first
	if resp == nil {
		resp = commands.Ephemeral(msgReplayed)
	}
	if resp.Type == discordgo.InteractionResponseModal {
		resp = commands.Ephemeral(msgReplayed)
	}
	// Over the gateway, Discord refuses a second answer to an interaction
	// (40060, already acknowledged), so a redelivered event gets none. Over
	// HTTP the request needs its response.
	if _, gateway := rep.(*sessionReplier); !gateway {
		if err := rep.reply(ctx, resp); err != nil {
			log.Info("replayed interaction not answered again", "err", err)
		}
	}
	d.metrics.observe(kind, command, OutcomeReplayed, time.Since(start))
	log.Warn("replayed interaction ignored", "first_answer_known", first != nil)
	return true
}

package bot_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"briefbot/bot/discord"
	"briefbot/bot/discordtest"
	"briefbot/commands"

	"briefbot/internal/testlib"
	"github.com/bwmarrin/discordgo"
)

// secret is in the private answer to /actor about an unknown name, and in
// no public message.
const secret = "Qwxzv"

// transport answers interactions through one of the bot's runtimes and
// returns each one's first response.
type transport struct {
	name string
	ask  func(t *testing.T, i *discordgo.Interaction) (string, *discordgo.InteractionResponse)
}

// transports starts the gateway and the HTTP runtime over router against
// fake, deferring after 50 ms.
func transports(t *testing.T, fake *discordtest.Server, router discord.Router) []transport {
	rg := startGateway(t, fake, &discord.Gateway{Router: router, DeferAfter: 50 * time.Millisecond})
	endpoint := fakeHTTPBot(t, fake, &discord.HTTPServer{Router: router, DeferAfter: 50 * time.Millisecond})
	return []transport{
		{"Gateway", rg.ask},
		{"HTTP", func(t *testing.T, i *discordgo.Interaction) (string, *discordgo.InteractionResponse) {
			t.Helper()
			ctx, cancel := context.WithTimeout(context.Background(), wait)
			defer cancel()
			resp, err := fake.PostInteraction(ctx, endpoint, i)
			if err != nil {
				t.Fatalf("%s: %v", describe(i), err)
			}
			return i.ID, resp
		}},
	}
}

// publicLeaks returns the text of every message the whole channel can see
// that contains the private answer.
func publicLeaks(fake *discordtest.Server) []string {
	var out []string
	for _, m := range fake.Messages(discordtest.ChannelID) {
		text := messageText(m.Content, m.Embeds, m.Components)
		if m.Flags&discordgo.MessageFlagsEphemeral == 0 && strings.Contains(text, secret) {
			out = append(out, text)
		}
	}
	return out
}

// TestPrivateAnswer_StaysPrivateWhateverFails answers a slow command whose
// answer turns out private, after a public deferral, with a fault on each
// step of the way: the private answer never reaches a message the channel
// can see, and it is delivered whenever the placeholder could be removed
// or replaced.
func TestPrivateAnswer_StaysPrivateWhateverFails(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	router := hookedRouter{Router: newRouter(t), before: func(i *discordgo.Interaction) {
		if slowActor(i) {
			time.Sleep(200 * time.Millisecond)
		}
	}}
	const (
		deleteOriginal = "DELETE /webhooks/*/*/messages/@original"
		editOriginal   = "PATCH /webhooks/*/*/messages/@original"
		followup       = "POST /webhooks/*/*"
	)
	tests := []struct {
		name          string
		fail          []string // patterns refused with 403
		wantDelivered bool     // the private answer reaches the asker
		wantNeutral   bool     // the placeholder now says the answer is private
	}{
		{"NoFault", nil, true, false},
		{"DeleteFails", []string{deleteOriginal}, true, true},
		{"DeleteAndReplaceFail", []string{deleteOriginal, editOriginal}, false, false},
		{"FollowupFails", []string{followup}, false, false},
		{"DeleteAndFollowupFail", []string{deleteOriginal, followup}, false, true},
	}
	for _, tr := range transports(t, fake, router) {
		for _, tt := range tests {
			t.Run(tr.name+"/"+tt.name, func(t *testing.T) {
				for _, p := range tt.fail {
					fake.FailNext(p, 1, http.StatusForbidden) // 403 is not retried
				}
				before := len(fake.Requests())
				id, resp := tr.ask(t, discordtest.Command("actor", discordtest.String("name", secret+" Nobody")))
				if resp.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
					t.Fatalf("first response type %d, want a deferral", resp.Type)
				}
				// The runtime is done once it has made the last call the
				// faults allow: wait for it, then for stragglers.
				ctx, cancel := context.WithTimeout(context.Background(), wait)
				defer cancel()
				last := "POST"
				if !tt.wantDelivered && slices.Contains(tt.fail, editOriginal) {
					last = "PATCH"
				}
				err := fake.Await(ctx, func() bool {
					for _, r := range fake.Requests()[before:] {
						if r.Method == last && strings.Contains(r.Path, "/webhooks/") && r.Status != 0 {
							return true
						}
					}
					return false
				})
				if err != nil {
					t.Fatalf("the runtime never got to its last step: %v", err)
				}
				time.Sleep(300 * time.Millisecond)

				if leaks := publicLeaks(fake); len(leaks) > 0 {
					t.Fatalf("the private answer is visible to the channel:\n%s", strings.Join(leaks, "\n---\n"))
				}
				fs := fake.Followups(id)
				if got := len(fs) == 1 && strings.Contains(messageText(fs[0].Content, fs[0].Embeds, fs[0].Components), secret); got != tt.wantDelivered {
					t.Errorf("private answer delivered=%v, want %v (follow-ups %+v)", got, tt.wantDelivered, fs)
				}
				for _, f := range fs {
					if f.Flags&discordgo.MessageFlagsEphemeral == 0 {
						t.Errorf("follow-up %q is public", f.Content)
					}
				}
				orig := fake.Original(id)
				neutral := orig != nil && orig.Flags&discordgo.MessageFlagsLoading == 0 &&
					strings.Contains(orig.Content, "only for the person who asked")
				if neutral != tt.wantNeutral {
					t.Errorf("placeholder replaced by the neutral line=%v, want %v (placeholder %+v)", neutral, tt.wantNeutral, orig)
				}
			})
		}
	}
	fake.RequireNoViolations(t)
}

// TestPrivateAnswer_EphemeralDeferral checks that a command known to answer
// privately is deferred privately: its placeholder is ephemeral from the
// start and the answer edits it, with nothing to remove.
func TestPrivateAnswer_EphemeralDeferral(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		fake := discordtest.New(t)
		store := backend.OpenLibrary(t)
		router := hookedRouter{Router: commands.New(store, commands.Options{Curator: store}), before: func(i *discordgo.Interaction) {
			if commandName(i) == "briefing" {
				time.Sleep(200 * time.Millisecond)
			}
		}}
		for _, tr := range transports(t, fake, router) {
			t.Run(tr.name, func(t *testing.T) {
				before := len(fake.Requests())
				i := discordtest.Command("briefing", discordtest.SubCommand("history", discordtest.String("briefing", "no-such-briefing")))
				i.Member.Permissions |= discordgo.PermissionManageMessages
				id, resp := tr.ask(t, i)
				if resp.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource ||
					resp.Data == nil || resp.Data.Flags&discordgo.MessageFlagsEphemeral == 0 {
					t.Fatalf("first response %+v, want an ephemeral deferral", resp)
				}
				ctx, cancel := context.WithTimeout(context.Background(), wait)
				defer cancel()
				m, err := fake.AwaitOriginal(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if m.Flags&discordgo.MessageFlagsEphemeral == 0 {
					t.Errorf("the answer is public (flags %d)", m.Flags)
				}
				for _, r := range fake.Requests()[before:] {
					if r.Method == http.MethodDelete || (r.Method == http.MethodPost && strings.HasPrefix(r.Path, "/webhooks/")) {
						t.Errorf("unexpected %s %s: an ephemeral deferral needs only an edit", r.Method, r.Path)
					}
				}
			})
		}
		fake.RequireNoViolations(t)
	})
}

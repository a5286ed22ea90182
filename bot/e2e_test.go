package bot_test

import (
	"bytes"
	"context"
	"encoding/json"

	"io"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"briefbot/bot/discord"
	"briefbot/bot/discordtest"
	"briefbot/internal/testlib"

	"github.com/bwmarrin/discordgo"
)

// sampleValues fills each option of the catalog with something the sample
// library knows, by command and option name ("" matches any command).
var sampleValues = map[[2]string]string{
	{"actor", "name"}:  "Kim Jong Un",
	{"event", "name"}:  "Alaska summit",
	{"", "topic"}:      "alaska-summit",
	{"", "actor"}:      "Kim Jong Un",
	{"", "query"}:      "Kursk",
	{"", "question"}:   "How many North Korean troops are fighting for Russia?",
	{"", "name"}:       "Kim Jong Un",
	{"brief", "topic"}: "alaska-summit",
}

// sampleValue is the value for an option of a command.
func sampleValue(command, option string) (string, bool) {
	if v, ok := sampleValues[[2]string{command, option}]; ok {
		return v, true
	}
	v, ok := sampleValues[[2]string{"", option}]
	return v, ok
}

// wantInAnswer is a word each command's answer about the sample must show.
// Only /help answers privately (ephemeral); any other command doing so means
// it took the sample values for a mistake.
var wantInAnswer = map[string]string{
	"brief":    "Putin",
	"actor":    "Kim Jong Un",
	"event":    "Alaska",
	"timeline": "Alaska summit",
	"search":   "Kursk",
	"ask":      "troops",
	"topics":   "Alaska",
	"help":     "/brief",
}

func TestGateway_RegistersTheCatalog(t *testing.T) {
	t.Parallel()
	t.Run("Global", func(t *testing.T) {
		fake := discordtest.New(t, discordtest.Token(testToken))
		router := newRouter(t)
		startGateway(t, fake, &discord.Gateway{Router: router})

		got := names(fake.Commands(""))
		want := names(router.Commands())
		if !slices.Equal(got, want) {
			t.Fatalf("registered %v, want %v", got, want)
		}
		if n := len(requestsTo(fake, "PUT", "/applications/"+discordtest.AppID+"/commands")); n != 1 {
			t.Fatalf("%d bulk overwrites, want 1", n)
		}
		ids := fake.Identifies()
		if len(ids) != 1 {
			t.Fatalf("%d identifies, want 1", len(ids))
		}
		if ids[0].Intents != discordgo.IntentsNone {
			t.Errorf("identified with intents %d, want none", ids[0].Intents)
		}
		if ids[0].Shard != nil {
			t.Errorf("identified as shard %v, want no sharding", *ids[0].Shard)
		}
		fake.RequireNoViolations(t)
	})
	t.Run("Guild", func(t *testing.T) {
		fake := discordtest.New(t)
		router := newRouter(t)
		startGateway(t, fake, &discord.Gateway{Router: router, GuildID: discordtest.GuildID})
		if got, want := len(fake.Commands(discordtest.GuildID)), len(router.Commands()); got != want {
			t.Fatalf("%d guild commands, want %d", got, want)
		}
		if got := len(fake.Commands("")); got != 0 {
			t.Fatalf("%d global commands, want 0", got)
		}
	})
	t.Run("SecondShardLeavesRegistrationToTheFirst", func(t *testing.T) {
		fake := discordtest.New(t)
		rg := startGateway(t, fake, &discord.Gateway{Router: newRouter(t), ShardID: 1, ShardCount: 2})
		ids := fake.Identifies()
		if len(ids) != 1 || ids[0].Shard == nil || *ids[0].Shard != [2]int{1, 2} {
			t.Fatalf("identifies %+v, want shard [1 2]", ids)
		}
		if n := len(fake.Commands("")); n != 0 {
			t.Fatalf("shard 1 registered %d commands, want none", n)
		}
		_, resp := rg.ask(t, discordtest.Command("topics"))
		if resp.Type != discordgo.InteractionResponseChannelMessageWithSource {
			t.Fatalf("shard 1 answered with type %d", resp.Type)
		}
	})
}

func TestGateway_AnswersEveryCommand(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		fake := discordtest.New(t)
		router := newRouterOn(t, backend)
		rg := startGateway(t, fake, &discord.Gateway{Router: router})

		for _, c := range router.Commands() {
			t.Run(c.Name, func(t *testing.T) {
				var opts []*discordgo.ApplicationCommandInteractionDataOption
				for _, o := range c.Options {
					if !o.Required {
						continue
					}
					v, ok := sampleValue(c.Name, o.Name)
					if !ok {
						t.Fatalf("no sample value for required option %q of /%s", o.Name, c.Name)
					}
					opts = append(opts, discordtest.String(o.Name, v))
				}
				id, resp := rg.ask(t, discordtest.Command(c.Name, opts...))
				if resp.Type != discordgo.InteractionResponseChannelMessageWithSource {
					t.Fatalf("response type %d, want a message", resp.Type)
				}
				text := responseText(resp)
				if resp.Data.Flags&discordgo.MessageFlagsEphemeral != 0 && c.Name != "help" {
					t.Fatalf("answered with an ephemeral message (a user error?): %s", text)
				}
				if want, ok := wantInAnswer[c.Name]; !ok {
					t.Errorf("no expectation for /%s: add one to wantInAnswer", c.Name)
				} else if !strings.Contains(text, want) {
					t.Errorf("answer lacks %q:\n%s", want, text)
				}
				if m := rg.original(t, id); m.ChannelID != discordtest.ChannelID {
					t.Errorf("message posted in %q, want %q", m.ChannelID, discordtest.ChannelID)
				}
			})
		}
		fake.RequireNoViolations(t)
	})
}

func TestGateway_AutocompleteAndButtons(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		fake := discordtest.New(t)
		rg := startGateway(t, fake, &discord.Gateway{Router: newRouterOn(t, backend)})

		t.Run("Autocomplete", func(t *testing.T) {
			_, resp := rg.ask(t, discordtest.Autocomplete("actor", discordtest.Focused(discordtest.String("name", "Kim"))))
			if resp.Type != discordgo.InteractionApplicationCommandAutocompleteResult {
				t.Fatalf("response type %d, want autocomplete result", resp.Type)
			}
			var got []string
			for _, c := range resp.Data.Choices {
				got = append(got, c.Name)
			}
			if !slices.Contains(got, "Kim Jong Un") {
				t.Fatalf("choices %q lack Kim Jong Un", got)
			}
		})
		t.Run("OlderButton", func(t *testing.T) {
			id, resp := rg.ask(t, discordtest.Command("brief"))
			first := responseText(resp)
			var older *discordgo.Button
			for _, b := range buttons(resp.Data.Components) {
				if strings.Contains(b.Label, "Older") {
					older = &b
				}
			}
			if older == nil || older.Disabled {
				t.Fatalf("/brief of two briefings has no enabled Older button:\n%s", first)
			}
			_, pressed := rg.ask(t, discordtest.Button(older.CustomID))
			if pressed.Type != discordgo.InteractionResponseUpdateMessage {
				t.Fatalf("button answered with type %d, want an update of its message", pressed.Type)
			}
			if got := responseText(pressed); !strings.Contains(got, "Earlier:") || got == first {
				t.Fatalf("the older page does not show the earlier briefing:\n%s", got)
			}
			_ = id
		})
		fake.RequireNoViolations(t)
	})
}

func TestGateway_DefersSlowHandlers(t *testing.T) {
	fake := discordtest.New(t)
	router := hookedRouter{Router: newRouter(t), before: func(i *discordgo.Interaction) {
		if commandName(i) == "search" || slowActor(i) || i.Type == discordgo.InteractionMessageComponent {
			time.Sleep(300 * time.Millisecond)
		}
	}}
	rg := startGateway(t, fake, &discord.Gateway{
		Router:     router,
		DeferAfter: 100 * time.Millisecond,
		DeferNow:   func(i *discordgo.Interaction) bool { return commandName(i) == "topics" },
	})

	t.Run("Command", func(t *testing.T) {
		id, resp := rg.ask(t, discordtest.Command("search", discordtest.String("query", "Kursk")))
		if resp.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
			t.Fatalf("first response type %d, want a deferral", resp.Type)
		}
		m := rg.original(t, id)
		if got := messageText(m.Content, m.Embeds, m.Components); !strings.Contains(got, "Kursk") {
			t.Fatalf("the edit lacks the search results:\n%s", got)
		}
		if n := len(requestsTo(fake, "PATCH", "/webhooks/"+discordtest.AppID+"/")); n == 0 {
			t.Fatal("no webhook edit completed the deferral")
		}
	})
	t.Run("Button", func(t *testing.T) {
		id, resp := rg.ask(t, discordtest.Command("brief"))
		if resp.Type != discordgo.InteractionResponseChannelMessageWithSource {
			t.Fatalf("/brief answered with type %d", resp.Type)
		}
		msg := rg.original(t, id)
		var older string
		for _, b := range buttons(resp.Data.Components) {
			if strings.Contains(b.Label, "Older") {
				older = b.CustomID
			}
		}
		press := discordtest.Button(older)
		press.Message = msg
		pid, presp := rg.ask(t, press)
		if presp.Type != discordgo.InteractionResponseDeferredMessageUpdate {
			t.Fatalf("first response to the slow button has type %d, want a deferred update", presp.Type)
		}
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		err := fake.Await(ctx, func() bool {
			m := fake.Original(pid)
			return m != nil && strings.Contains(messageText(m.Content, m.Embeds, m.Components), "Earlier:")
		})
		if err != nil {
			t.Fatalf("the button's message was not turned to the older page: %v", err)
		}
	})
	t.Run("PrivateAnswer", func(t *testing.T) {
		// A slow answer that only the asker may see can't be an edit of the
		// public placeholder: it comes as an ephemeral follow-up, and the
		// placeholder goes away.
		id, resp := rg.ask(t, discordtest.Command("actor", discordtest.String("name", "Qwxzv Nobody")))
		if resp.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
			t.Fatalf("first response type %d, want a deferral", resp.Type)
		}
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		if err := fake.Await(ctx, func() bool { return len(fake.Followups(id)) > 0 }); err != nil {
			t.Fatalf("no follow-up carried the private answer: %v", err)
		}
		f := fake.Followups(id)[0]
		if f.Flags&discordgo.MessageFlagsEphemeral == 0 {
			t.Errorf("the follow-up is public (flags %d)", f.Flags)
		}
		if got := messageText(f.Content, f.Embeds, f.Components); !strings.Contains(got, "Qwxzv Nobody") {
			t.Errorf("the follow-up lacks the answer about the unknown name:\n%s", got)
		}
		if n := len(requestsTo(fake, "DELETE", "/webhooks/"+discordtest.AppID+"/")); n != 1 {
			t.Errorf("%d deletions of the placeholder, want 1", n)
		}
	})
	t.Run("DeferNow", func(t *testing.T) {
		id, resp := rg.ask(t, discordtest.Command("topics"))
		if resp.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
			t.Fatalf("first response type %d, want a deferral", resp.Type)
		}
		if m := rg.original(t, id); !strings.Contains(messageText(m.Content, m.Embeds, m.Components), "Alaska") {
			t.Fatalf("the edit lacks the topics")
		}
	})
	fake.RequireNoViolations(t)
}

func TestGateway_PanicBecomesApology(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	router := hookedRouter{Router: newRouter(t), before: func(i *discordgo.Interaction) {
		if commandName(i) == "help" {
			panic("boom in the help handler")
		}
	}}
	rg := startGateway(t, fake, &discord.Gateway{Router: router})

	_, resp := rg.ask(t, discordtest.Command("help"))
	if resp.Type != discordgo.InteractionResponseChannelMessageWithSource || resp.Data.Flags&discordgo.MessageFlagsEphemeral == 0 {
		t.Fatalf("panic answered with type %d flags %d, want an ephemeral message", resp.Type, resp.Data.Flags)
	}
	text := resp.Data.Content
	_, after, ok := strings.Cut(text, "error ID ")
	if !ok || len(after) < 8 {
		t.Fatalf("the apology gives no error ID: %q", text)
	}
	errID := after[:8]
	if logs := rg.logs.String(); !strings.Contains(logs, errID) || !strings.Contains(logs, "boom in the help handler") {
		t.Fatalf("the logs lack the error ID %s and the panic", errID)
	}
	if _, resp := rg.ask(t, discordtest.Command("topics")); resp.Data.Flags&discordgo.MessageFlagsEphemeral != 0 {
		t.Fatalf("after the panic /topics failed: %q", resp.Data.Content)
	}
	// The outcome is counted once the reply has gone out, which may be a
	// moment after the fake received it.
	want := `briefbot_interactions_total{command="help",kind="command",outcome="panic"} 1`
	if got := awaitScrape(t, rg.metrics, want); !strings.Contains(got, want) {
		t.Fatalf("metrics do not count the panic:\n%s", got)
	}
	fake.RequireNoViolations(t)
}

func TestGateway_SurvivesGatewayTrouble(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	rg := startGateway(t, fake, &discord.Gateway{Router: newRouter(t)})
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()

	t.Run("DroppedSocket", func(t *testing.T) {
		before := fake.Resumes()
		fake.DropGateway()
		if err := fake.Await(ctx, func() bool { return fake.Resumes() > before }); err != nil {
			t.Fatalf("the bot did not resume after the dropped socket: %v", err)
		}
		if _, resp := rg.ask(t, discordtest.Command("topics")); resp.Type != discordgo.InteractionResponseChannelMessageWithSource {
			t.Fatalf("after resuming, /topics answered with type %d", resp.Type)
		}
		if n := len(fake.Identifies()); n != 1 {
			t.Fatalf("%d identifies, want 1: the session should resume, not start over", n)
		}
	})
	t.Run("Op7Reconnect", func(t *testing.T) {
		before := fake.Resumes()
		if err := fake.Reconnect(); err != nil {
			t.Fatal(err)
		}
		if err := fake.Await(ctx, func() bool { return fake.Resumes() > before }); err != nil {
			t.Fatalf("the bot did not resume after op 7: %v", err)
		}
		if _, resp := rg.ask(t, discordtest.Command("topics")); resp.Type != discordgo.InteractionResponseChannelMessageWithSource {
			t.Fatalf("after op 7, /topics answered with type %d", resp.Type)
		}
	})
	fake.RequireNoViolations(t)
}

func TestGateway_RateLimitsAndServerErrors(t *testing.T) {
	t.Parallel()
	const callback = "POST /interactions/*/*/callback"
	tests := []struct {
		name   string
		inject func(fake *discordtest.Server)
		// posts is how many callback POSTs reach the fake for one answer.
		posts int
	}{
		// discordgo waits out the retry_after and sends again.
		{"RateLimited", func(f *discordtest.Server) { f.RateLimit(callback, 1) }, 2},
		// discordgo itself resends after a 502.
		{"BadGateway", func(f *discordtest.Server) { f.FailNext(callback, 1, 502) }, 2},
		// Other 5xx come back to the bot, which retries once.
		{"InternalError", func(f *discordtest.Server) { f.FailNext(callback, 1, 500) }, 2},
		{"Unavailable", func(f *discordtest.Server) { f.FailNext(callback, 1, 503) }, 2},
	}
	fake := discordtest.New(t)
	rg := startGateway(t, fake, &discord.Gateway{Router: newRouter(t)})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.inject(fake)
			id, resp := rg.ask(t, discordtest.Command("topics"))
			if resp.Type != discordgo.InteractionResponseChannelMessageWithSource {
				t.Fatalf("answered with type %d", resp.Type)
			}
			if got := len(requestsTo(fake, "POST", "/interactions/"+id+"/")); got != tt.posts {
				t.Errorf("%d callback POSTs, want %d", got, tt.posts)
			}
		})
	}
	t.Run("EditAfterDeferralRetried", func(t *testing.T) {
		fake := discordtest.New(t)
		router := hookedRouter{Router: newRouter(t), before: func(i *discordgo.Interaction) {
			time.Sleep(150 * time.Millisecond)
		}}
		rg := startGateway(t, fake, &discord.Gateway{Router: router, DeferAfter: 50 * time.Millisecond})
		fake.FailNext("PATCH /webhooks/*/*/messages/@original", 1, 500)
		fake.RateLimit("PATCH /webhooks/*/*/messages/@original", 1)
		id, _ := rg.ask(t, discordtest.Command("topics"))
		if m := rg.original(t, id); !strings.Contains(messageText(m.Content, m.Embeds, m.Components), "Alaska") {
			t.Fatal("the retried edit lacks the topics")
		}
		fake.RequireNoViolations(t)
	})
	fake.RequireNoViolations(t)
}

func TestGateway_ShutdownFinishesInFlight(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	started, release := make(chan struct{}), make(chan struct{})
	router := hookedRouter{Router: newRouter(t), before: func(i *discordgo.Interaction) {
		if commandName(i) == "search" {
			close(started)
			<-release
		}
	}}
	// DeferAfter is long so the slow answer stays in flight undeferred.
	rg := startGateway(t, fake, &discord.Gateway{Router: router, DeferAfter: time.Minute})
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()

	slow := fake.SendInteraction(ctx, discordtest.Command("search", discordtest.String("query", "Kursk")))
	<-started
	rg.stop()
	// While draining, the bot turns new interactions away politely.
	_, resp := rg.ask(t, discordtest.Command("topics"))
	if resp.Data == nil || !strings.Contains(resp.Data.Content, "restarting") || resp.Data.Flags&discordgo.MessageFlagsEphemeral == 0 {
		t.Fatalf("during shutdown /topics got %+v, want an ephemeral restart notice", resp.Data)
	}
	close(release)
	resp, err := fake.AwaitResponse(ctx, slow)
	if err != nil {
		t.Fatalf("the in-flight answer was lost: %v", err)
	}
	if !strings.Contains(responseText(resp), "Kursk") {
		t.Fatalf("the in-flight answer lacks the results: %s", responseText(resp))
	}
	if err := rg.shutdown(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if err := fake.Await(ctx, func() bool { return !fake.Connected() }); err != nil {
		t.Fatalf("the gateway connection is still open after Run returned")
	}
	fake.RequireNoViolations(t)
}

func TestGateway_NeverRevealsTheToken(t *testing.T) {
	t.Parallel()
	// The fake accepts another token, so every request is refused with 401
	// and the bot must report that without printing its own.
	fake := discordtest.New(t, discordtest.Token("some-other-token"), discordtest.AllowViolations())
	log, logs := newLogger()
	g := &discord.Gateway{Token: "Bot " + testToken, Router: newRouter(t), Logger: log, Configure: fake.Attach}
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	err := g.Run(ctx)
	if err == nil {
		t.Fatal("Run succeeded with a refused token")
	}
	for what, text := range map[string]string{"error": err.Error(), "logs": logs.String()} {
		if strings.Contains(text, testToken) {
			t.Errorf("the %s contain the token: %s", what, text)
		}
	}
	if !strings.Contains(err.Error(), "401") {
		t.Errorf("the error does not say the token was refused: %v", err)
	}
}

func TestGateway_RefusesBadConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		g    discord.Gateway
		want string
	}{
		{"NoToken", discord.Gateway{Router: newRouter(t)}, "DISCORD_TOKEN"},
		{"ShardOutOfRange", discord.Gateway{Token: testToken, Router: newRouter(t), ShardID: 2, ShardCount: 2}, "shard 2"},
		{"NoRouter", discord.Gateway{Token: testToken}, "router"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.g.Run(context.Background())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Run = %v, want an error about %q", err, tt.want)
			}
		})
	}
}

// names lists command names in order.
func names(cmds []*discordgo.ApplicationCommand) []string {
	var out []string
	for _, c := range cmds {
		out = append(out, c.Name)
	}
	return out
}

// scrape returns the metrics as Prometheus serves them.
// awaitScrape scrapes the metrics until they contain want, for a few
// seconds at most, and returns the last scrape.
func awaitScrape(t *testing.T, m *discord.Metrics, want string) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := scrape(t, m)
		if strings.Contains(got, want) || time.Now().After(deadline) {
			return got
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func scrape(t *testing.T, m *discord.Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	b, err := io.ReadAll(rec.Result().Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestRegisterCommands(t *testing.T) {
	t.Parallel()
	router := newRouter(t)
	ctx := context.Background()
	t.Run("Guild", func(t *testing.T) {
		fake := discordtest.New(t, discordtest.Token(testToken))
		n, err := discord.RegisterCommands(ctx, testToken, discordtest.AppID, discordtest.GuildID, router.Commands(), fake.Attach)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := names(fake.Commands(discordtest.GuildID)), names(router.Commands()); n != len(want) || !slices.Equal(got, want) {
			t.Fatalf("registered %d: %v, want %v", n, got, want)
		}
		fake.RequireNoViolations(t)
	})
	t.Run("RefusedTokenStaysSecret", func(t *testing.T) {
		fake := discordtest.New(t, discordtest.Token("another-token"), discordtest.AllowViolations())
		_, err := discord.RegisterCommands(ctx, testToken, discordtest.AppID, "", router.Commands(), fake.Attach)
		if err == nil || strings.Contains(err.Error(), testToken) || !strings.Contains(err.Error(), "401") {
			t.Fatalf("RegisterCommands = %v, want a 401 error without the token", err)
		}
	})
	t.Run("NoAppID", func(t *testing.T) {
		if _, err := discord.RegisterCommands(ctx, testToken, "", "", router.Commands(), nil); err == nil || !strings.Contains(err.Error(), "DISCORD_APP_ID") {
			t.Fatalf("RegisterCommands = %v, want an error naming DISCORD_APP_ID", err)
		}
	})
}

// slowActor picks the /actor question the deferral tests make slow: one
// about a name the library doesn't know, whose answer is private.
func slowActor(i *discordgo.Interaction) bool {
	data, _ := json.Marshal(i.Data)
	return commandName(i) == "actor" && bytes.Contains(data, []byte("Qwxzv"))
}

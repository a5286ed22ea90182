package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"briefbot/bot/discord"
	"briefbot/bot/discordtest"
	"briefbot/briefings/llm"
	"briefbot/briefings/llm/llmtest"
	"briefbot/commands"

	"briefbot/internal/testlib"
	"github.com/bwmarrin/discordgo"
)

// TestGateway_GroundedAskStreams runs /ask with a model through the real
// gateway runtime against the fake Discord, with the real go-openai client
// against the fake model server streaming its answer over about 2.5 s: the
// command is deferred at once, the original response is edited with
// checked partial answers no more than once a second, and the last edit is
// the grounded answer with its sources and feedback buttons.
func TestGateway_GroundedAskStreams(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		model := llmtest.New(t)
		model.Push(llmtest.Reply{ChunkDelay: 300 * time.Millisecond, Chunks: []string{
			"At least 10,000 North Korean troops ", "are fighting alongside Russian forces, ", "according to South Korean intelligence [1]. ",
			"Putin thanked North Korea ", "for helping push Ukrainian troops ", "out of the Kursk region [2]. ",
			"North Korea has also sent ", "missiles and artillery shells [3]. ", "Ping @everyone now.",
		}})
		m, err := llm.New(llm.Config{BaseURL: model.URL(), APIKey: "k", Model: "fake-model", Timeout: 10 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		lib := backend.OpenLibrary(t)
		router := commands.New(lib, commands.Options{Model: m, Feedback: lib})
		fake := discordtest.New(t)
		rg := startGateway(t, fake, &discord.Gateway{Router: router, DeferNow: router.DeferNow})

		start := time.Now()
		id, resp := rg.ask(t, discordtest.Command("ask", discordtest.String("question", "How many North Korean troops are fighting for Russia?")))
		if resp.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
			t.Fatalf("first response type %d, want a deferral", resp.Type)
		}
		if took := time.Since(start); took > 2*time.Second {
			t.Errorf("the deferral took %v; it should go out at once", took)
		}
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		final := func() string {
			if o := fake.Original(id); o != nil {
				return messageText(o.Content, o.Embeds, o.Components)
			}
			return ""
		}
		if err := fake.Await(ctx, func() bool { return strings.Contains(final(), "Written by a language model") }); err != nil {
			t.Fatalf("the original was never edited with the grounded answer: %v\n%s", err, final())
		}
		text := final()
		for _, want := range []string{"10,000 North Korean troops", "Kursk region", "artillery shells", "Sources", "[Helpful]", "[Not helpful]"} {
			if !strings.Contains(text, want) {
				t.Errorf("the answer lacks %q:\n%s", want, text)
			}
		}
		if strings.Contains(text, "@everyone") || strings.Contains(text, "Ping") {
			t.Errorf("the uncited, hostile sentence reached the answer:\n%s", text)
		}

		edits := requestsTo(fake, "PATCH", "/webhooks/"+discordtest.AppID+"/")
		if len(edits) < 2 {
			t.Fatalf("%d edits, want partial answers before the final one", len(edits))
		}
		if !strings.Contains(string(edits[0].Body), "Writing") {
			t.Errorf("the first edit is not a partial answer: %s", edits[0].Body)
		}
		for k := 1; k < len(edits); k++ {
			if gap := edits[k].Time.Sub(edits[k-1].Time); gap < discord.ProgressEvery {
				t.Errorf("edits %d and %d are %v apart, less than %v", k, k+1, gap, discord.ProgressEvery)
			}
		}
		if n := len(model.Requests()); n != 1 || !model.Requests()[0].Stream() {
			t.Errorf("%d model requests (stream %v), want one streamed", n, n > 0 && model.Requests()[0].Stream())
		}
		fake.RequireNoViolations(t)
	})
}

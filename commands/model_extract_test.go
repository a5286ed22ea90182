package commands_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"briefbot/briefings"
	"briefbot/briefings/llm"
	"briefbot/briefings/llm/llmtest"
	"briefbot/commands"

	"github.com/bwmarrin/discordgo"
)

// curationWithModel is the moderators' router with a model.
func curationWithModel(t *testing.T, fake *llmtest.Server) *curation {
	t.Helper()
	m, err := llm.New(llm.Config{BaseURL: fake.URL(), Model: "fake-model", Timeout: time.Second, Retries: -1})
	if err != nil {
		t.Fatal(err)
	}
	c := &curation{lib: openLibrary(t), files: map[string]string{}}
	c.r = commands.New(c.lib, commands.Options{Now: func() time.Time { return clock }, Curator: c.lib,
		OwnerIDs: []string{ownerID}, Attachments: c, Model: m, Feedback: c.lib})
	return c
}

func TestBriefingAdd_WithModel(t *testing.T) {
	t.Parallel()
	reply, _ := json.Marshal(map[string]any{
		"title": "ignored", "summary": "ignored", "topics": []string{"x"},
		"actors": []map[string]any{
			{"name": "South Korea's spy agency", "kind": "organization", "aliases": []string{"South Korean intelligence"}, "description": ""},
			{"name": "Kim", "kind": "person", "aliases": []string{"Kim Jong Un"}, "description": ""},
			{"name": "Brand New Actor", "kind": "person", "aliases": []string{}, "description": ""},
		},
		"events": []map[string]any{{"name": "Putin-Kim call of Tuesday", "date": "2025-08-26", "location": "", "participants": []string{"Kim", "Brand New Actor"}, "description": "The call."}},
		"facts": []map[string]any{
			{"text": "At least 10,000 North Korean troops fight for Russia.", "attribution": "South Korean intelligence",
				"quote": "At least 10,000 North Korean troops fight for Russia according to South Korean intelligence.", "actors": []string{"South Korea's spy agency", "Brand New Actor"}, "event": ""},
			{"text": "Putin promised Kim 20 fighter jets.", "attribution": "Kremlin", "quote": "Putin promised Kim 20 fighter jets on the call.", "actors": []string{"Kim"}, "event": ""},
		},
	})
	fake := llmtest.New(t)
	fake.Push(llmtest.Reply{Content: string(reply)})
	c := curationWithModel(t, fake)
	preview := c.handle(t, as(modal("bf:add", article), modID, modPerms))
	text := textOf(t, preview)
	if !strings.Contains(text, "10,000 North Korean troops fight for Russia") || strings.Contains(text, "fighter jets") {
		t.Fatalf("preview:\n%s", text)
	}
	draft, err := c.lib.BriefingWithStatus(context.Background(), guild, "putin-calls-kim-before-the-alaska-summit", briefings.StatusDraft)
	if err != nil {
		t.Fatal(err)
	}
	if len(draft.Facts) != 1 || draft.Facts[0].Attribution != "South Korean intelligence" {
		t.Fatalf("facts %+v", draft.Facts)
	}
	if len(draft.Events) != 1 || draft.Events[0].Date.String() != "2025-08-26" {
		t.Fatalf("events %+v", draft.Events)
	}
	if draft.Title != article["title"] || draft.Summary != article["summary"] {
		t.Errorf("the model changed what the moderator typed: %q / %q", draft.Title, draft.Summary)
	}
	if n := len(fake.Requests()); n != 1 {
		t.Errorf("%d model requests, want 1", n)
	}
}

func TestBriefingAdd_ModelFailureUsesTheExtractor(t *testing.T) {
	t.Parallel()
	fake := llmtest.New(t)
	fake.Always(llmtest.Reply{Status: 500, Content: "down"})
	c := curationWithModel(t, fake)
	text := textOf(t, c.handle(t, as(modal("bf:add", article), modID, modPerms)))
	if !strings.Contains(text, "South Korean intelligence") || !strings.Contains(text, "[Publish]") {
		t.Fatalf("preview:\n%s", text)
	}
}

func TestBriefingFeedback_IsASubcommandOfBriefing(t *testing.T) {
	t.Parallel()
	c := curationWithModel(t, llmtest.New(t))
	var briefing *discordgo.ApplicationCommand
	for _, cmd := range c.r.Commands() {
		switch cmd.Name {
		case "feedback":
			t.Error("/feedback is registered beside /briefing")
		case "briefing":
			briefing = cmd
		}
	}
	if briefing == nil {
		t.Fatal("no /briefing")
	}
	found := false
	for _, o := range briefing.Options {
		found = found || o.Name == "feedback"
	}
	if !found {
		t.Fatal("/briefing has no feedback subcommand")
	}
	c.handle(t, pressOn("fb:down:m", "m7", "Who hosts the Alaska summit?"))
	text := textOf(t, c.handle(t, as(command("briefing", sub("feedback")), modID, modPerms)))
	if !strings.Contains(text, "Who hosts the Alaska summit?") {
		t.Fatalf("/briefing feedback:\n%s", text)
	}
	if text := textOf(t, c.handle(t, as(command("briefing", sub("feedback")), readerX, 0))); !strings.Contains(text, "Only moderators") {
		t.Fatalf("a reader saw the list:\n%s", text)
	}
	// the other subcommands still work
	if form := c.handle(t, as(command("briefing", sub("add")), modID, modPerms)); form.Type != discordgo.InteractionResponseModal {
		t.Fatalf("/briefing add answered with type %d", form.Type)
	}
}

package commands_test

import (
	"context"
	"strings"
	"testing"

	"briefbot/briefings/llm/llmtest"

	"github.com/bwmarrin/discordgo"
)

// pressOn builds a press of the button customID on an answer message.
func pressOn(customID, messageID, question string) *discordgo.Interaction {
	i := button(customID)
	i.ChannelID = "c1"
	i.Message = &discordgo.Message{ID: messageID, ChannelID: "c1", Embeds: []*discordgo.MessageEmbed{{Title: question, Description: "the answer"}}}
	return i
}

// asModerator gives the interaction's member Manage Messages.
func asModerator(i *discordgo.Interaction) *discordgo.Interaction {
	i.Member.Permissions = discordgo.PermissionManageMessages
	return i
}

func TestFeedback(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	lib := openLibrary(t)
	r := modelRouter(t, lib, llmtest.New(t))
	see := func(i *discordgo.Interaction) wire {
		t.Helper()
		resp := r.Handle(ctx, i)
		checkLimits(t, "feedback", resp)
		w, _ := decode(t, resp)
		return w
	}

	if w := see(pressOn("fb:up:m", "m1", "How many troops?")); !w.ephemeral() || !strings.Contains(w.text(), "Thanks") {
		t.Fatalf("👍: %s", w.text())
	}
	w := see(pressOn("fb:down:m", "m2", "Who won the Alaska summit?"))
	if !w.ephemeral() || !strings.Contains(w.text(), "review list") {
		t.Fatalf("👎: %s", w.text())
	}
	see(pressOn("fb:down:q", "m3", "What is the capital of Peru?"))

	t.Run("MembersCannotSeeTheList", func(t *testing.T) {
		w := see(command("feedback"))
		if !w.ephemeral() || !strings.Contains(w.text(), "Only moderators") {
			t.Fatalf("%s", w.text())
		}
	})
	var done string
	t.Run("ModeratorsSeeThe👎", func(t *testing.T) {
		w := see(asModerator(command("feedback")))
		text := w.text()
		for _, want := range []string{"2 questions to review", "Who won the Alaska summit?", "What is the capital of Peru?", "(quoted answer)",
			"https://discord.com/channels/g1/c1/m2", "[Mark these 2 reviewed]"} {
			if !strings.Contains(text, want) {
				t.Errorf("the list lacks %q:\n%s", want, text)
			}
		}
		if strings.Contains(text, "How many troops?") {
			t.Errorf("a 👍 is on the review list:\n%s", text)
		}
		if b := w.buttons(); len(b) == 1 {
			done = b[0]
		}
	})
	t.Run("MarkReviewed", func(t *testing.T) {
		if done == "" {
			t.Skip("no button")
		}
		if w := see(button(done)); !strings.Contains(w.text(), "Only moderators") {
			t.Fatalf("a member marked feedback reviewed: %s", w.text())
		}
		w := see(asModerator(button(done)))
		if w.Type != int(discordgo.InteractionResponseUpdateMessage) || !strings.Contains(w.text(), "No question is waiting") {
			t.Fatalf("type %d: %s", w.Type, w.text())
		}
	})
	t.Run("ForgedButtons", func(t *testing.T) {
		for _, id := range []string{"fb:sideways:m", "fb:down:x"} {
			if w := see(pressOn(id, "m9", "q")); !strings.Contains(w.text(), "don't recognise") {
				t.Errorf("%s: %s", id, w.text())
			}
		}
		if w := see(asModerator(button("fbok:1.x"))); !strings.Contains(w.text(), "don't recognise") {
			t.Errorf("fbok:1.x: %s", w.text())
		}
	})
	t.Run("InTheCatalogOnlyWithAModel", func(t *testing.T) {
		has := func(cmds []*discordgo.ApplicationCommand) bool {
			for _, c := range cmds {
				if c.Name == "feedback" {
					return true
				}
			}
			return false
		}
		if !has(r.Commands()) || has(newRouter(lib).Commands()) {
			t.Error("/feedback should be registered with a model and feedback store only")
		}
	})
}

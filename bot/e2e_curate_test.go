package bot_test

import (
	"strings"
	"testing"

	"briefbot/bot"
	"briefbot/bot/discordtest"
	"briefbot/commands"

	"github.com/bwmarrin/discordgo"
)

// TestGateway_CurateAddPreviewPublish runs /briefing add through the fake
// Discord: the form, the private preview, a refused press by a member
// without permissions, and the publish.
func TestGateway_CurateAddPreviewPublish(t *testing.T) {
	fake := discordtest.New(t, discordtest.Token(testToken))
	lib := openLibrary(t)
	router := commands.New(lib, commands.Options{Curator: lib})
	rg := startGateway(t, fake, &bot.Gateway{Router: router})

	mod := func(i *discordgo.Interaction) *discordgo.Interaction {
		i.Member.Permissions |= discordgo.PermissionManageMessages
		return i
	}
	_, form := rg.ask(t, mod(discordtest.Command("briefing", discordtest.SubCommand("add"))))
	if form.Type != discordgo.InteractionResponseModal {
		t.Fatalf("add answered %v, want the form", form.Type)
	}
	_, preview := rg.ask(t, mod(discordtest.ModalSubmit("bf:add",
		discordtest.Field("title", "Grain corridor reopens"),
		discordtest.Field("summary", "Ships left Odesa on Friday, according to the port authority."),
		discordtest.Field("source_url", "https://example.com/grain"),
		discordtest.Field("topics", "Black Sea"))))
	text := responseText(preview)
	if !strings.Contains(text, "Draft: Grain corridor reopens") || !strings.Contains(text, "port authority") {
		t.Fatalf("preview=%s", text)
	}
	var publish string
	for _, b := range buttons(preview.Data.Components) {
		if b.Label == "Publish" {
			publish = b.CustomID
		}
	}
	_, refused := rg.ask(t, discordtest.Button(publish))
	if !strings.Contains(responseText(refused), "Only moderators") {
		t.Fatalf("a member without permissions published: %s", responseText(refused))
	}
	_, done := rg.ask(t, mod(discordtest.Button(publish)))
	if !strings.Contains(responseText(done), "Published") {
		t.Fatalf("publish=%s", responseText(done))
	}
	_, brief := rg.ask(t, discordtest.Command("brief", discordtest.String("topic", "black-sea")))
	if !strings.Contains(responseText(brief), "Grain corridor reopens") {
		t.Errorf("/brief does not show the published briefing: %s", responseText(brief))
	}
	fake.RequireNoViolations(t)
}

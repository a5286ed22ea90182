package bot_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"briefbot/bot/discord"
	"briefbot/bot/discordtest"
	"briefbot/briefings"
	"briefbot/commands"

	"briefbot/internal/testlib"
	"github.com/bwmarrin/discordgo"
)

// TestGateway_FactNumbersAndMoreFacts runs the fact views on the fake
// Discord: a moderator's /brief numbers the facts, More facts answers
// privately and then turns its own page, and the fact number autocompletes
// with integer choices Discord accepts.
func TestGateway_FactNumbersAndMoreFacts(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		fake := discordtest.New(t, discordtest.Token(testToken))
		lib := backend.OpenLibrary(t)
		local := &briefings.Briefing{Slug: "grain-corridor", Title: "Grain corridor reopens", Summary: "Ships left Odesa.",
			Published: briefings.DayOf(2025, 8, 13), Topics: []string{"Black Sea"}, Status: briefings.StatusPublished}
		for i := 1; i <= 30; i++ {
			local.Facts = append(local.Facts, briefings.Fact{Text: fmt.Sprintf("Convoy %d left Odesa with grain for export, escorted along the western Black Sea coast towards the Bosporus and beyond.", i), Attribution: "port authority"})
		}
		if _, err := lib.SaveBriefings(context.Background(), discordtest.GuildID, []*briefings.Briefing{local}, "test"); err != nil {
			t.Fatal(err)
		}
		rg := startGateway(t, fake, &discord.Gateway{Router: commands.New(lib, commands.Options{Curator: lib})})
		mod := func(i *discordgo.Interaction) *discordgo.Interaction {
			i.Member.Permissions |= discordgo.PermissionManageMessages
			return i
		}
		moreFacts := func(resp *discordgo.InteractionResponse) string {
			for _, b := range buttons(resp.Data.Components) {
				if strings.HasPrefix(b.Label, "More facts") {
					return b.CustomID
				}
			}
			return ""
		}

		_, brief := rg.ask(t, mod(discordtest.Command("brief", discordtest.String("topic", "black sea"))))
		if text := responseText(brief); !strings.Contains(text, "**1.** Convoy 1 left") {
			t.Fatalf("a moderator's /brief doesn't number the facts:\n%s", text)
		}
		id := moreFacts(brief)
		if id == "" {
			t.Fatalf("/brief of 30 facts has no More facts button:\n%s", responseText(brief))
		}
		_, page := rg.ask(t, mod(discordtest.Button(id)))
		if page.Type != discordgo.InteractionResponseChannelMessageWithSource || page.Data.Flags&discordgo.MessageFlagsEphemeral == 0 {
			t.Fatalf("More facts on /brief answered type %d flags %d, want a private message", page.Type, page.Data.Flags)
		}
		seen := responseText(page)
		for next := moreFacts(page); next != ""; next = moreFacts(page) {
			press := mod(discordtest.Button(next))
			press.Message.Flags |= discordgo.MessageFlagsEphemeral
			_, page = rg.ask(t, press)
			if page.Type != discordgo.InteractionResponseUpdateMessage {
				t.Fatalf("More facts on a facts page answered type %d, want an update", page.Type)
			}
			seen += responseText(page)
		}
		if !strings.Contains(seen, "**30.** Convoy 30 left") {
			t.Errorf("the facts pages never show fact 30:\n%s", seen)
		}

		_, choices := rg.ask(t, mod(discordtest.Autocomplete("briefing", discordtest.SubCommandGroup("fact",
			discordtest.SubCommand("edit", discordtest.String("briefing", "grain-corridor"),
				discordtest.Focused(&discordgo.ApplicationCommandInteractionDataOption{Name: "number", Type: discordgo.ApplicationCommandOptionInteger, Value: "2"}))))))
		var got []string
		for _, c := range choices.Data.Choices {
			got = append(got, fmt.Sprintf("%v=%s", c.Value, c.Name))
		}
		if len(got) < 2 || got[0] != "2=2. Convoy 2 left Odesa with grain for export, escorted along the western Black Sea coast towards th…" || !strings.HasPrefix(got[1], "20=20. Convoy 20") {
			t.Errorf("number choices=%q, want facts 2, 20, … cut to 100 characters", got)
		}
		fake.RequireNoViolations(t)
	})
}

// TestGateway_NamesResolveAlike runs name resolution on the fake Discord:
// part of a topic's name finds it in /brief as in /event, and a typo gets
// one suggestion button per actor.
func TestGateway_NamesResolveAlike(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		fake := discordtest.New(t, discordtest.Token(testToken))
		rg := startGateway(t, fake, &discord.Gateway{Router: newRouterOn(t, backend)})

		_, brief := rg.ask(t, discordtest.Command("brief", discordtest.String("topic", "alaska")))
		if text := responseText(brief); !strings.Contains(text, "the only match for “alaska”") || !strings.Contains(text, "on Alaska summit") {
			t.Errorf("/brief topic:alaska answered:\n%s", text)
		}
		_, typo := rg.ask(t, discordtest.Command("actor", discordtest.String("name", "Putn")))
		var labels []string
		for _, b := range buttons(typo.Data.Components) {
			labels = append(labels, b.Label)
		}
		if len(labels) != 1 || labels[0] != "Vladimir Putin" || typo.Data.Flags&discordgo.MessageFlagsEphemeral == 0 {
			t.Errorf("/actor name:Putn offers %q (flags %d), want one private Vladimir Putin", labels, typo.Data.Flags)
		}
		fake.RequireNoViolations(t)
	})
}

package bot_test

import (
	"strings"
	"testing"

	"briefbot/bot/discord"
	"briefbot/bot/discordtest"
	"briefbot/commands"

	"briefbot/internal/testlib"
	"github.com/bwmarrin/discordgo"
)

// TestGateway_HelpByContext sends /help through the real client and the
// fake Discord from a member, a moderator and a DM: each answer is accepted
// by the fake and lists what works for that reader there.
func TestGateway_HelpByContext(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		fake := discordtest.New(t)
		store := backend.OpenLibrary(t)
		router := commands.New(store, commands.Options{Curator: store, Subscriptions: store})
		rg := startGateway(t, fake, &discord.Gateway{Router: router})

		moderator := discordtest.Command("help")
		moderator.Member.Permissions |= discordgo.PermissionManageMessages | discordgo.PermissionManageChannels
		dm := discordtest.Command("help")
		dm.GuildID, dm.User, dm.Member = "", dm.Member.User, nil
		for _, tc := range []struct {
			name      string
			i         *discordgo.Interaction
			want, not []string
		}{
			{"member", discordtest.Command("help"), []string{"/brief", "Digests", "dm:True"}, []string{"/briefing add", "For admins"}},
			{"moderator", moderator, []string{"Digests", "[channel]", "For moderators", "/briefing fact add"}, []string{"For admins"}},
			{"direct message", dm, []string{"Digests", "sent to you here by DM"}, []string{"/briefing", "dm:True"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, resp := rg.ask(t, tc.i)
				if resp.Data == nil || resp.Data.Flags&discordgo.MessageFlagsEphemeral == 0 {
					t.Fatalf("help is not private: %+v", resp)
				}
				text := responseText(resp)
				for _, s := range tc.want {
					if !strings.Contains(text, s) {
						t.Errorf("help lacks %q:\n%s", s, text)
					}
				}
				for _, s := range tc.not {
					if strings.Contains(text, s) {
						t.Errorf("help shows %q:\n%s", s, text)
					}
				}
			})
		}
		fake.RequireNoViolations(t)
	})
}

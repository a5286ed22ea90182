package commands_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"briefbot/briefings"
	"briefbot/commands"

	"github.com/bwmarrin/discordgo"
)

// TestHelp_Context: /help covers the reading commands everywhere, digests
// as /subscribe works for the reader there, the /briefing commands only for
// those who may curate there, and /settings only for admins.
func TestHelp_Context(t *testing.T) {
	t.Parallel()
	lib := openLibrary(t)
	r := commands.New(lib, commands.Options{Now: func() time.Time { return clock }, Curator: lib, Subscriptions: lib, OwnerIDs: []string{ownerID}})
	ctx := context.Background()
	if err := lib.SaveSettings(ctx, briefings.GuildSettings{GuildID: guild, ModeratorRoleID: "777"}, "300"); err != nil {
		t.Fatal(err)
	}
	withRole := as(command("help"), readerX, 0)
	withRole.Member.Roles = []string{"777"}
	for _, tc := range []struct {
		name      string
		i         *discordgo.Interaction
		want, not []string
	}{
		{"member in a server", as(command("help"), readerX, discordgo.PermissionSendMessages),
			[]string{"**/brief**", "**/ask**", "**/subscribe** topic dm:True", "needs the Manage Channels permission", "**/subscriptions** — this server's digests and yours", "**/unsubscribe**", "**/digest**", "mon,thu"},
			[]string{"/briefing", "/settings", "For moderators"}},
		{"channel manager", as(command("help"), readerX, discordgo.PermissionManageChannels),
			[]string{"**/subscribe** topic [channel]", "in this channel"},
			[]string{"/briefing", "/settings"}},
		{"moderator by permission", as(command("help"), modID, modPerms),
			[]string{"For moderators", "**/briefing add**", "**/briefing fact add|edit|remove**", "**/briefing actor add|edit|rename|merge|delete**", "**/briefing retract**", "**/briefing import**",
				"**/briefing redraft** — Draw a draft's facts, events and actors afresh from its text", "**/briefing event add|edit|rename|merge|delete** — Add, edit, rename, merge or delete an event"},
			[]string{"/settings"}},
		{"moderator by role", withRole,
			[]string{"For moderators", "**/briefing correct**"},
			[]string{"/settings"}},
		{"admin", as(command("help"), "300", discordgo.PermissionManageGuild),
			[]string{"For admins", "**/settings** [moderator_role] [clear_moderator_role] [timezone]"},
			[]string{"/briefing"}},
		{"direct message", inDM(command("help")),
			[]string{"**/brief**", "sent to you here by DM", "**/subscriptions** — your digests", "shared library only"},
			[]string{"/briefing", "/settings", "dm:True", "Manage Channels"}},
		{"operator in a direct message", func() *discordgo.Interaction {
			i := inDM(command("help"))
			i.User.ID = ownerID
			return i
		}(),
			[]string{"For the bot's operators", "**/briefing add**"},
			[]string{"/settings"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := handle(t, r, tc.name, tc.i)
			text := w.text()
			if !w.ephemeral() {
				t.Errorf("/help is public")
			}
			for _, s := range tc.want {
				if !strings.Contains(text, s) {
					t.Errorf("help lacks %q:\n%s", s, text)
				}
			}
			for _, s := range tc.not {
				if strings.Contains(text, s) {
					t.Errorf("help shows %q, which does not work for this reader here:\n%s", s, text)
				}
			}
		})
	}
}

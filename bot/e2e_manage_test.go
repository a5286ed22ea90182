package bot_test

import (
	"context"
	"strings"
	"testing"

	"briefbot/bot/discordtest"
	"briefbot/briefings"

	"briefbot/internal/testlib"
	"github.com/bwmarrin/discordgo"
)

func libraryCmd(group, sub string, opts ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.Interaction {
	return discordtest.Command("briefing", discordtest.SubCommandGroup(group, discordtest.SubCommand(sub, opts...)))
}

// TestGateway_ManageLibrary adds, renames, merges and deletes actors and
// events through the real client and the fake Discord: private answers in
// Discord's terms, names completing as a moderator types, and nothing of
// one server's library within reach of another server's moderators.
func TestGateway_ManageLibrary(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		g := startCurateGateway(t, backend)
		ctx := context.Background()
		if got := g.mod(t, g.importFile("curate_good.yaml", readTestdata(t, "curate_good.yaml"))); !strings.Contains(got, "1 created") {
			t.Fatalf("import: %s", got)
		}
		modB := func(i *discordgo.Interaction) string {
			return g.say(t, from(i, testlib.GuildB, testlib.ModA2, discordgo.PermissionManageMessages))
		}
		choices := func(i *discordgo.Interaction) []string {
			_, resp := g.rg.ask(t, i)
			var out []string
			for _, c := range resp.Data.Choices {
				out = append(out, c.Name)
			}
			return out
		}

		typing := discordtest.Autocomplete("briefing", discordtest.SubCommandGroup("actor", discordtest.SubCommand("rename",
			discordtest.Focused(discordtest.String("name", "odesa")))))
		if got := choices(from(typing, testlib.GuildA, testlib.ModA, discordgo.PermissionManageMessages)); len(got) == 0 || got[0] != "Odesa port authority" {
			t.Errorf("a moderator typing odesa is offered %v", got)
		}
		typing = discordtest.Autocomplete("briefing", discordtest.SubCommandGroup("actor", discordtest.SubCommand("rename",
			discordtest.Focused(discordtest.String("name", "odesa")))))
		if got := choices(from(typing, testlib.GuildB, testlib.ModA2, discordgo.PermissionManageMessages)); len(got) != 0 {
			t.Errorf("another server's moderator is offered %v", got)
		}

		steps := []struct {
			name string
			say  func(*discordgo.Interaction) string
			i    *discordgo.Interaction
			want []string
		}{
			{"add", nil, libraryCmd("actor", "add", discordtest.String("name", "Oleh Kiper"), discordtest.String("kind", "person"),
				discordtest.String("aliases", "Kiper")),
				[]string{"Added **Oleh Kiper** (person) to this server's library. Aliases: Kiper."}},
			{"look-alike", nil, libraryCmd("actor", "add", discordtest.String("name", "Оleh Kiper"), discordtest.String("kind", "person")),
				[]string{"/briefing actor add name: “Оleh Kiper” looks like **Oleh Kiper**"}},
			{"rename", nil, libraryCmd("actor", "rename", discordtest.String("name", "Odesa port authority"), discordtest.String("new_name", "Odesa Sea Port Authority")),
				[]string{"Renamed **Odesa port authority** to **Odesa Sea Port Authority**", "“Odesa port authority” still finds it."}},
			{"other server renames", modB, libraryCmd("actor", "rename", discordtest.String("name", "Odesa Sea Port Authority"), discordtest.String("new_name", "Mine")),
				[]string{"/briefing actor rename name: there is no actor called “Odesa Sea Port Authority” in this server's library."}},
			{"delete in use", nil, libraryCmd("actor", "delete", discordtest.String("name", "port of Odesa")),
				[]string{"I did not delete **Odesa Sea Port Authority**: it is in 1 published briefing:",
					"• **Grain ships leave Odesa under a new corridor deal** (`" + odesa + "`, published)"}},
			{"add another", nil, libraryCmd("actor", "add", discordtest.String("name", "USPA"), discordtest.String("kind", "organization")), []string{"Added **USPA**"}},
			{"merge", nil, libraryCmd("actor", "merge", discordtest.String("name", "USPA"), discordtest.String("into", "Odesa Sea Port Authority")),
				[]string{"Merged **USPA** into **Odesa Sea Port Authority**", "“USPA” is one of its aliases."}},
			{"event bad date", nil, libraryCmd("event", "add", discordtest.String("name", "Second sailing"), discordtest.String("date", "12/08/2025")),
				[]string{"/briefing event add date: “12/08/2025” is not a date. Type YYYY, YYYY-MM or YYYY-MM-DD"}},
			{"event add", nil, libraryCmd("event", "add", discordtest.String("name", "Second sailing"), discordtest.String("date", "2025-08-12"),
				discordtest.String("participants", "USPA")),
				[]string{"Added **Second sailing** (12 August 2025) to this server's library."}},
			{"event merge", nil, libraryCmd("event", "merge", discordtest.String("name", "Second sailing"), discordtest.String("into", "First corridor sailing")),
				[]string{"Merged **Second sailing** into **First corridor sailing**: 0 briefings and 0 facts"}},
			{"member", func(i *discordgo.Interaction) string { return g.say(t, from(i, testlib.GuildA, testlib.ReaderA, 0)) }, libraryCmd("actor", "delete", discordtest.String("name", "Oleh Kiper")),
				[]string{"Only moderators can change briefings"}},
			{"delete", nil, libraryCmd("actor", "delete", discordtest.String("name", "Kiper")),
				[]string{"Deleted **Oleh Kiper** from this server's library."}},
		}
		for _, s := range steps {
			var got string
			if s.say != nil {
				got = s.say(s.i)
			} else {
				// The answer is private from the first response on.
				id, resp := g.rg.ask(t, from(s.i, testlib.GuildA, testlib.ModA, discordgo.PermissionManageMessages))
				if resp.Data == nil || resp.Data.Flags&discordgo.MessageFlagsEphemeral == 0 {
					t.Errorf("%s: the answer is public: %+v", s.name, resp)
				}
				if m := g.rg.original(t, id); m.Flags&discordgo.MessageFlagsEphemeral == 0 {
					t.Errorf("%s: the message is public", s.name)
				}
				got = strings.ReplaceAll(responseText(resp), `\`, "")
			}
			for _, w := range s.want {
				if !strings.Contains(got, w) {
					t.Errorf("%s: want %q in:\n%s", s.name, w, got)
				}
			}
		}

		// Members read the renamed actor under its new name and the merged
		// event with its new participant.
		if got := g.say(t, from(discordtest.Command("actor", discordtest.String("name", "USPA")), testlib.GuildA, testlib.ReaderA, 0)); !strings.Contains(got, "Odesa Sea Port Authority") {
			t.Errorf("/actor USPA: %s", got)
		}
		if got := g.say(t, from(discordtest.Command("event", discordtest.String("name", "First corridor sailing")), testlib.GuildA, testlib.ReaderA, 0)); !strings.Contains(got, "Odesa Sea Port Authority") {
			t.Errorf("/event: %s", got)
		}
		es, err := g.lib.AuditLog(ctx, testlib.GuildA, 20)
		if err != nil {
			t.Fatal(err)
		}
		actions := map[briefings.AuditAction]int{}
		for _, e := range es {
			actions[e.Action]++
			if e.UserID != testlib.ModA {
				t.Errorf("audit entry by %s: %+v", e.UserID, e)
			}
		}
		for _, a := range []briefings.AuditAction{briefings.AuditActorAdd, briefings.AuditActorRename, briefings.AuditActorMerge,
			briefings.AuditActorDelete, briefings.AuditEventAdd, briefings.AuditEventMerge} {
			if actions[a] == 0 {
				t.Errorf("no %s in the audit log: %v", a, actions)
			}
		}
	})
}

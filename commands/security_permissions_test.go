package commands_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// commandJSON is a slash command from guild B's member without
// permissions, as Discord sends it.
func commandJSON(data string) []byte {
	return fmt.Appendf(nil, `{"id":"500000000000000001","application_id":"500000000000000002","type":2,"token":"tok",`+
		`"guild_id":%q,"channel_id":"500000000000000003","version":1,`+
		`"member":{"user":{"id":%q},"permissions":"0","roles":[%q]},"data":%s}`, guildB, memberB, roleA, data)
}

func subJSON(cmd, sub string, opts ...string) string {
	return fmt.Sprintf(`{"name":%q,"options":[{"name":%q,"type":1,"options":[%s]}]}`, cmd, sub, strings.Join(opts, ","))
}

func strJSON(name, value string) string {
	return fmt.Sprintf(`{"name":%q,"type":3,"value":%q}`, name, value)
}

// TestSecurity_PermissionBypass tries, as a member of guild B without
// permissions (holding a role whose ID is A's moderator role), every way
// into guild A's library and every moderator's action. Each is refused
// with a message, shows nothing of A's, and changes nothing.
func TestSecurity_PermissionBypass(t *testing.T) {
	t.Parallel()
	g := openTwoGuilds(t, t.TempDir())
	draft := fmt.Sprintf("%d:%d", g.draftID, g.draftVersion)
	tests := []struct {
		name string
		raw  []byte
		want string
	}{
		{"BriefingAdd", commandJSON(subJSON("briefing", "add")), "Only moderators"},
		{"BriefingEditOwnGuild", commandJSON(subJSON("briefing", "edit", strJSON("briefing", "b-harbour"))), "Only moderators"},
		{"BriefingCorrectOtherGuild", commandJSON(subJSON("briefing", "correct", strJSON("briefing", "quillwort-report"), strJSON("text", "x"))), "Only moderators"},
		{"BriefingRetract", commandJSON(subJSON("briefing", "retract", strJSON("briefing", "b-harbour"), strJSON("reason", "x"))), "Only moderators"},
		{"BriefingHistoryOtherGuild", commandJSON(subJSON("briefing", "history", strJSON("briefing", "quillwort-report"))), "Only moderators"},
		{"BriefingExport", commandJSON(subJSON("briefing", "export")), "Only moderators"},
		{"Settings", commandJSON(`{"name":"settings","options":[{"name":"timezone","type":3,"value":"Europe/Paris"}]}`), "Manage Server"},
		{"ChannelSubscribe", commandJSON(`{"name":"subscribe","options":[{"name":"topic","type":3,"value":"harbour"},{"name":"channel","type":7,"value":"500000000000000003"}]}`), "Manage Channels"},
		{"UnsubscribeOtherGuildsID", commandJSON(fmt.Sprintf(`{"name":"unsubscribe","options":[{"name":"subscription","type":3,"value":"%d"}]}`, g.subscriptionID)), "can't find that subscription"},
		{"ForgedPublish", componentJSON("bpub:"+draft, 2, nil), ""},
		{"ForgedDiscard", componentJSON("bdis:"+draft, 2, nil), ""},
		{"ForgedEditButton", componentJSON("bedit:"+draft, 2, nil), ""},
		{"ForgedRetryOfAnotherMembersForm", componentJSON(fmt.Sprintf("bretry:%d", g.formID), 2, nil), ""},
		{"ForgedMarkReviewed", componentJSON(fmt.Sprintf("fbok:%d", g.feedbackID), 2, nil), "Only moderators"},
		{"ForgedEditFormSubmit", modalJSON("bf:edit:"+draft, "title", "Taken over"), ""},
		{"ForgedAddFormSubmit", modalJSON("bf:add", "title", "Planted"), ""},
		{"PageThroughOtherGuildsTopic", componentJSON("brief:quillwort-affairs:0", 2, nil), ""},
		{"SuggestionOfOtherGuildsActor", componentJSON("actor:Actor "+secretA+" quillwort-report", 2, nil), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := g.state(t)
			// The raw payload is the attacker's input: an echo of it is
			// not a leak, but A's own texts are.
			g.attack(t, tt.raw, string(tt.raw))
			var i discordgo.Interaction
			if err := json.Unmarshal(tt.raw, &i); err != nil {
				t.Fatal(err)
			}
			i.GuildID, i.Member = guildB, &discordgo.Member{GuildID: guildB, User: &discordgo.User{ID: memberB}, Roles: []string{roleA}}
			resp := g.router.Handle(t.Context(), &i)
			if resp.Type == discordgo.InteractionResponseModal {
				t.Fatalf("opened a form: %+v", resp.Data)
			}
			w, _ := decode(t, resp)
			if !w.ephemeral() && !strings.HasPrefix(tt.name, "PageThrough") {
				t.Errorf("the refusal is public: %s", w.text())
			}
			for _, own := range []string{"Who " + secretA, "Fact " + secretA, "Summary " + secretA, "Question " + secretA, "Form " + secretA} {
				if strings.Contains(w.text(), own) {
					t.Errorf("shows guild A's %q: %s", own, w.text())
				}
			}
			if !strings.Contains(w.text(), tt.want) {
				t.Errorf("got %q, want it to say %q", w.text(), tt.want)
			}
			if after := g.state(t); after != before {
				t.Fatalf("changed the store:\n%s\n%s", before, after)
			}
		})
	}
	// The same presses by A's moderator do act: the checks above would
	// have seen it.
	t.Run("ModeratorOfAStillActs", func(t *testing.T) {
		before := g.state(t)
		var i discordgo.Interaction
		if err := json.Unmarshal(componentJSON("bdis:"+draft, 2, nil), &i); err != nil {
			t.Fatal(err)
		}
		i.GuildID, i.Member = guildA, &discordgo.Member{GuildID: guildA, User: &discordgo.User{ID: modA}, Permissions: discordgo.PermissionManageMessages}
		w, _ := decode(t, g.router.Handle(t.Context(), &i))
		if g.state(t) == before {
			t.Fatalf("A's moderator discarding A's draft changed nothing: %s", w.text())
		}
	})
}

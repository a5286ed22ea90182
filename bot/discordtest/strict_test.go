package discordtest_test

import (
	"encoding/json"
	"strings"
	"testing"

	"briefbot/bot/discordtest"

	"github.com/bwmarrin/discordgo"
)

// raw sends body as it is (no discordgo marshalling) to a REST endpoint of
// the fake and returns Discord's error code, 0 on success.
func raw(t *testing.T, sess *discordgo.Session, method, endpoint, body string) int {
	t.Helper()
	_, err := sess.RequestWithBucketID(method, endpoint, json.RawMessage(body), endpoint)
	return code(err)
}

// rows returns n action rows of one button each, as JSON.
func rows(n int) string {
	var out []string
	for i := range n {
		out = append(out, `{"type":1,"components":[{"type":2,"style":1,"label":"b","custom_id":"b`+string(rune('0'+i))+`"}]}`)
	}
	return "[" + strings.Join(out, ",") + "]"
}

// inputs returns n modal rows of one text input each, as JSON.
func inputs(n int) string {
	var out []string
	for i := range n {
		out = append(out, `{"type":1,"components":[{"type":4,"custom_id":"f`+string(rune('0'+i))+`","label":"F","style":1}]}`)
	}
	return "[" + strings.Join(out, ",") + "]"
}

// TestServer_RefusesWhatDiscordRefuses sends one callback per rule that
// Discord enforces on interaction responses, first in a form Discord
// accepts and then in one it refuses.
func TestServer_RefusesWhatDiscordRefuses(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t, discordtest.AllowViolations())
	sess, got := open(t, fake)
	const quietJSON = `"allowed_mentions":{"parse":[]}`
	tests := []struct {
		name        string
		interaction func() *discordgo.Interaction
		ok, refused string // callback bodies
		wantField   string // what the refusal names
	}{
		{"AutocompleteWithoutChoices",
			func() *discordgo.Interaction {
				return discordtest.Autocomplete("actor", discordtest.Focused(discordtest.String("name", "q")))
			},
			`{"type":8,"data":{"choices":[]}}`, `{"type":8,"data":{}}`, "data.choices"},
		{"AutocompleteWithoutData",
			func() *discordgo.Interaction {
				return discordtest.Autocomplete("actor", discordtest.Focused(discordtest.String("name", "q")))
			},
			`{"type":8,"data":{"choices":[{"name":"Kim","value":"Kim"}]}}`, `{"type":8}`, "missing property 'data'"},
		{"MoreThanFiveActionRows",
			func() *discordgo.Interaction { return discordtest.Command("brief") },
			`{"type":4,"data":{"content":"x",` + quietJSON + `,"components":` + rows(5) + `}}`,
			`{"type":4,"data":{"content":"x",` + quietJSON + `,"components":` + rows(6) + `}}`, "data.components"},
		{"MoreThanFiveModalInputs",
			func() *discordgo.Interaction { return discordtest.Command("brief") },
			`{"type":9,"data":{"custom_id":"m","title":"T","components":` + inputs(5) + `}}`,
			`{"type":9,"data":{"custom_id":"m","title":"T","components":` + inputs(6) + `}}`, "data.components"},
		{"DeferralWithInvalidFlags",
			func() *discordgo.Interaction { return discordtest.Command("brief") },
			`{"type":5,"data":{"flags":64}}`, `{"type":5,"data":{"flags":128}}`, "data.flags"},
		{"MessageWithInvalidFlags",
			func() *discordgo.Interaction { return discordtest.Command("brief") },
			`{"type":4,"data":{"content":"x","flags":4,` + quietJSON + `}}`,
			`{"type":4,"data":{"content":"x","flags":2,` + quietJSON + `}}`, "data.flags"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, body := range []string{tt.ok, tt.refused} {
				fake.SendInteraction(ctx(t), tt.interaction())
				i := receive(t, got)
				c := raw(t, sess, "POST", discordgo.EndpointInteractionResponse(i.ID, i.Token), body)
				switch body {
				case tt.ok:
					if c != 0 {
						t.Fatalf("%s: code %d, want it accepted", body, c)
					}
				case tt.refused:
					if c != 50035 {
						t.Fatalf("%s: code %d, want 50035 Invalid Form Body", body, c)
					}
					vs := fake.Violations()
					if last := vs[len(vs)-1]; !strings.Contains(last.Reason, tt.wantField) {
						t.Errorf("violation %q does not name %s", last.Reason, tt.wantField)
					}
				}
			}
		})
	}
}

// TestServer_FollowupAfterDeferralIsAnEdit checks Discord's rule that the
// first follow-up after a deferred channel message edits the loading
// placeholder and ignores the ephemeral flag, and that the fake flags the
// leak when the deferral was public.
func TestServer_FollowupAfterDeferralIsAnEdit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		deferral  string
		wantLeak  bool
		wantFlags discordgo.MessageFlags
	}{
		{"PublicDeferral", `{"type":5}`, true, 0},
		{"EphemeralDeferral", `{"type":5,"data":{"flags":64}}`, false, discordgo.MessageFlagsEphemeral},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake := discordtest.New(t, discordtest.AllowViolations())
			sess, got := open(t, fake)
			id := fake.SendInteraction(ctx(t), discordtest.Command("briefing"))
			i := receive(t, got)
			if c := raw(t, sess, "POST", discordgo.EndpointInteractionResponse(i.ID, i.Token), tt.deferral); c != 0 {
				t.Fatalf("deferral refused: %d", c)
			}
			m, err := sess.FollowupMessageCreate(i, true, &discordgo.WebhookParams{
				Content: "draft preview", Flags: discordgo.MessageFlagsEphemeral, AllowedMentions: quiet})
			if err != nil {
				t.Fatalf("follow-up: %v", err)
			}
			orig := fake.Original(id)
			if orig == nil || m.ID != orig.ID || orig.Content != "draft preview" {
				t.Fatalf("follow-up made message %+v; want it to edit the placeholder %+v", m, orig)
			}
			if got := orig.Flags; got != tt.wantFlags {
				t.Errorf("placeholder flags=%d, want %d (the ephemeral flag of a follow-up is ignored)", got, tt.wantFlags)
			}
			if n := len(fake.Followups(id)); n != 0 {
				t.Errorf("%d follow-up messages, want none: the follow-up was an edit", n)
			}
			leaked := false
			for _, v := range fake.Violations() {
				leaked = leaked || strings.Contains(v.Reason, "visible to the whole channel")
			}
			if leaked != tt.wantLeak {
				t.Errorf("leak recorded=%v, want %v (violations %v)", leaked, tt.wantLeak, fake.Violations())
			}
			// Once the placeholder is no longer loading, a follow-up is a
			// message of its own, and an ephemeral one stays private.
			if _, err := sess.FollowupMessageCreate(i, true, &discordgo.WebhookParams{
				Content: "second", Flags: discordgo.MessageFlagsEphemeral, AllowedMentions: quiet}); err != nil {
				t.Fatalf("second follow-up: %v", err)
			}
			if f := fake.Followups(id); len(f) != 1 || f[0].Flags&discordgo.MessageFlagsEphemeral == 0 {
				t.Errorf("follow-ups=%+v, want one ephemeral message", f)
			}
		})
	}
}

// TestServer_CommandRules covers registration rules: guild commands may
// not carry the bot-DM context, and the fake is no stricter than Discord
// on names (apostrophes) and size (8,000 characters).
func TestServer_CommandRules(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t, discordtest.AllowViolations())
	sess := fake.Session("test-token")
	withContexts := func(ctxs ...discordgo.InteractionContextType) []*discordgo.ApplicationCommand {
		return []*discordgo.ApplicationCommand{{Name: "brief", Description: "Show a briefing", Contexts: &ctxs}}
	}
	long := func(n int) []*discordgo.ApplicationCommand {
		c := &discordgo.ApplicationCommand{Name: "big", Description: strings.Repeat("d", 100)}
		for i := range n {
			c.Options = append(c.Options, &discordgo.ApplicationCommandOption{
				Type: discordgo.ApplicationCommandOptionString, Name: "o" + string(rune('a'+i)), Description: strings.Repeat("d", 100),
				Choices: []*discordgo.ApplicationCommandOptionChoice{
					{Name: strings.Repeat("n", 100), Value: strings.Repeat("v", 100)},
					{Name: strings.Repeat("m", 100), Value: strings.Repeat("w", 100)},
				}})
		}
		return []*discordgo.ApplicationCommand{c}
	}
	tests := []struct {
		name    string
		guildID string
		cmds    []*discordgo.ApplicationCommand
		want    int // Discord error code, 0 for accepted
	}{
		{"GuildWithBotDM", discordtest.GuildID, withContexts(discordgo.InteractionContextGuild, discordgo.InteractionContextBotDM), 50035},
		{"GuildWithGuildOnly", discordtest.GuildID, withContexts(discordgo.InteractionContextGuild), 0},
		{"GlobalWithBotDM", "", withContexts(discordgo.InteractionContextGuild, discordgo.InteractionContextBotDM), 0},
		{"Apostrophe", "", []*discordgo.ApplicationCommand{{Name: "what's-new", Description: "News"}}, 0},
		{"Size6600", "", long(13), 0}, // 103 + 13×502 characters: over the old 4,000
		{"SizeOver8000", "", long(17), 50035},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := sess.ApplicationCommandBulkOverwrite(discordtest.AppID, tt.guildID, tt.cmds)
			if got := code(err); got != tt.want {
				t.Fatalf("code=%d (%v), want %d", got, err, tt.want)
			}
		})
	}
}

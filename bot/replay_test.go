package bot_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"briefbot/bot/discord"
	"briefbot/bot/discordtest"

	"github.com/bwmarrin/discordgo"
)

// examplesDir holds the example payloads of Discord's documentation, with
// their sources (SOURCES.json), beside the module root.
const examplesDir = "../../shared/discord-examples"

// example reads one of Discord's example payloads. Without them the test
// is skipped, or fails in CI (CI=true).
func example(t *testing.T, name string) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(examplesDir, name+".json"))
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("Discord's examples are required in CI: %v", err)
		}
		t.Skipf("no Discord examples: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("example %s: %v", name, err)
	}
	return m
}

// inContext completes an example interaction with every field of today's
// Interaction Structure, as Discord sends it in one context: "guild" (a
// member in a server channel), "dm" (a DM with the bot) or "user-install"
// (the app installed to the user, used in a group DM).
func inContext(ex map[string]any, where string) []byte {
	m := map[string]any{}
	for k, v := range ex {
		m[k] = v
	}
	user := map[string]any{"id": discordtest.UserID, "username": discordtest.Username, "discriminator": "0", "global_name": "Reader", "avatar": nil, "public_flags": 0}
	if mem, ok := m["member"].(map[string]any); ok {
		if u, ok := mem["user"].(map[string]any); ok {
			user = u
		}
	}
	m["version"] = 1
	m["locale"] = "ja"
	m["entitlements"] = []any{}
	m["attachment_size_limit"] = 10485760
	delete(m, "guild")
	switch where {
	case "guild":
		m["guild_id"] = discordtest.GuildID
		m["guild"] = map[string]any{"id": discordtest.GuildID, "locale": "en-US", "features": []any{}}
		m["guild_locale"] = "en-US"
		m["channel_id"] = discordtest.ChannelID
		m["channel"] = map[string]any{"id": discordtest.ChannelID, "type": 0, "guild_id": discordtest.GuildID, "name": "briefings",
			"permissions": "2248473465835073", "flags": 0, "nsfw": false, "position": 0, "rate_limit_per_user": 0, "topic": nil}
		mem, _ := m["member"].(map[string]any)
		if mem == nil {
			mem = map[string]any{"roles": []any{}, "joined_at": "2024-01-02T03:04:05+00:00", "deaf": false, "mute": false, "pending": false, "flags": 0}
		}
		mem["user"], mem["permissions"] = user, "2147485696"
		m["member"] = mem
		delete(m, "user")
		m["app_permissions"] = "2248473465835073"
		m["context"] = 0
		m["authorizing_integration_owners"] = map[string]any{"0": discordtest.GuildID}
	case "dm", "user-install":
		delete(m, "guild_id")
		delete(m, "guild_locale")
		delete(m, "member")
		m["user"] = user
		channel := "1100000000000000400"
		ch := map[string]any{"id": channel, "type": 1, "flags": 0, "last_message_id": nil,
			"recipients": []any{user}}
		m["context"] = 1
		m["authorizing_integration_owners"] = map[string]any{"0": discordtest.GuildID}
		if where == "user-install" {
			channel = "1100000000000000500"
			ch = map[string]any{"id": channel, "type": 3, "flags": 0, "name": "friends", "owner_id": user["id"],
				"recipients": []any{user}}
			m["context"] = 2
			m["authorizing_integration_owners"] = map[string]any{"1": user["id"]}
		}
		m["channel_id"], m["channel"] = channel, ch
		m["app_permissions"] = "559623605571137"
	}
	if msg, ok := m["message"].(map[string]any); ok {
		msg["channel_id"] = m["channel_id"]
		msg["author"] = map[string]any{"id": discordtest.BotUserID, "username": discordtest.BotUsername, "discriminator": "0", "bot": true, "avatar": nil}
	}
	raw, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return raw
}

// replayCase is one example interaction and what its answer must be.
type replayCase struct {
	name string
	ex   func(t *testing.T) map[string]any
	// check judges the first response; the fake has already checked it
	// against the OpenAPI document and Discord's limits.
	check func(t *testing.T, resp *discordgo.InteractionResponse)
}

// private fails unless resp is an ephemeral message: what an interaction
// the bot cannot serve gets.
func mustBePrivate(t *testing.T, resp *discordgo.InteractionResponse) {
	t.Helper()
	if resp.Type != discordgo.InteractionResponseChannelMessageWithSource || resp.Data == nil ||
		resp.Data.Flags&discordgo.MessageFlagsEphemeral == 0 {
		t.Fatalf("answer %+v, want an ephemeral message", resp)
	}
}

func replayCases() []replayCase {
	withData := func(envelope, data string) func(t *testing.T) map[string]any {
		return func(t *testing.T) map[string]any {
			m := example(t, envelope)
			m["data"] = example(t, data)["data"]
			return m
		}
	}
	plain := func(name string) func(t *testing.T) map[string]any {
		return func(t *testing.T) map[string]any { return example(t, name) }
	}
	return []replayCase{
		{"SlashCommand", func(t *testing.T) map[string]any {
			m := example(t, "slash_command_interaction")
			data := m["data"].(map[string]any)
			data["name"] = "actor"
			data["options"] = []any{map[string]any{"type": 3, "name": "name", "value": "Kim Jong Un"}}
			return m
		}, func(t *testing.T, resp *discordgo.InteractionResponse) {
			if resp.Type != discordgo.InteractionResponseChannelMessageWithSource || resp.Data == nil ||
				len(resp.Data.Embeds) == 0 || !strings.Contains(resp.Data.Embeds[0].Title, "Kim Jong Un") {
				t.Fatalf("answer %+v, want the actor page of Kim Jong Un", resp)
			}
		}},
		{"SlashCommandUnknown", plain("slash_command_interaction"), mustBePrivate},
		{"Autocomplete", func(t *testing.T) map[string]any {
			m := example(t, "autocomplete_interaction")
			data := m["data"].(map[string]any)
			data["name"] = "actor"
			data["options"] = []any{map[string]any{"type": 3, "name": "name", "value": "Kim", "focused": true}}
			return m
		}, func(t *testing.T, resp *discordgo.InteractionResponse) {
			if resp.Type != discordgo.InteractionApplicationCommandAutocompleteResult || resp.Data == nil || len(resp.Data.Choices) == 0 {
				t.Fatalf("answer %+v, want choices", resp)
			}
		}},
		{"AutocompleteUnknown", plain("autocomplete_interaction"), func(t *testing.T, resp *discordgo.InteractionResponse) {
			if resp.Type != discordgo.InteractionApplicationCommandAutocompleteResult {
				t.Fatalf("answer type %d, want an autocomplete result", resp.Type)
			}
		}},
		{"UserCommand", plain("user_command_interaction"), mustBePrivate},
		{"MessageCommand", plain("message_command_interaction"), mustBePrivate},
		{"Component", plain("component_interaction_full"), mustBePrivate},
		{"Button", withData("component_interaction_full", "button_interaction_data"), mustBePrivate},
		{"ModalSubmit", plain("modal_submit_full_legacy"), mustBePrivate},
		// discordgo cannot decode Label components (type 18): the
		// interaction arrives without its data, and the asker alone is
		// told to try again.
		{"ModalSubmitLabelText", withData("modal_submit_full_legacy", "modal_submit_label_text_data"), mustBePrivate},
		{"ModalSubmitLabelSelect", withData("modal_submit_full_legacy", "modal_submit_label_select_data"), mustBePrivate},
	}
}

// TestReplay_DiscordExamples replays the example interactions of Discord's
// documentation, completed with every field of today's Interaction
// Structure in guild, DM and user-install contexts, through the gateway and
// through HTTP interactions. The fake checks every answer against the
// OpenAPI document and Discord's limits; the cases check what they say.
func TestReplay_DiscordExamples(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	router := newRouter(t)
	rg := startGateway(t, fake, &discord.Gateway{Router: router})
	endpoint := fakeHTTPBot(t, fake, &discord.HTTPServer{Router: router})
	send := map[string]func(ctx context.Context, raw []byte) (string, *discordgo.InteractionResponse, error){
		"Gateway": func(ctx context.Context, raw []byte) (string, *discordgo.InteractionResponse, error) {
			id, err := fake.SendRawInteraction(ctx, raw)
			if err != nil {
				return "", nil, err
			}
			resp, err := fake.AwaitResponse(ctx, id)
			return id, resp, err
		},
		"HTTP": func(ctx context.Context, raw []byte) (string, *discordgo.InteractionResponse, error) {
			return fake.PostRawInteraction(ctx, endpoint, raw)
		},
	}
	for _, transport := range []string{"Gateway", "HTTP"} {
		for _, where := range []string{"guild", "dm", "user-install"} {
			for _, c := range replayCases() {
				t.Run(transport+"/"+where+"/"+c.name, func(t *testing.T) {
					ctx, cancel := context.WithTimeout(context.Background(), wait)
					defer cancel()
					_, resp, err := send[transport](ctx, inContext(c.ex(t), where))
					if err != nil {
						t.Fatalf("no valid answer: %v\nlogs:\n%s", err, rg.logs)
					}
					c.check(t, resp)
				})
			}
		}
	}
	time.Sleep(100 * time.Millisecond) // stragglers: follow-ups, edits
	fake.RequireNoViolations(t)
}

package bot_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"briefbot/bot/discord"
	"briefbot/bot/discordtest"
	"briefbot/briefings"
	"briefbot/briefings/fileformat"
	"briefbot/commands"

	"briefbot/internal/testlib"

	"github.com/bwmarrin/discordgo"
)

// callbackBody returns the body of the first response the fake recorded for
// an interaction.
func callbackBody(t *testing.T, fake *discordtest.Server, id string) map[string]json.RawMessage {
	t.Helper()
	for _, r := range fake.Requests() {
		if r.Method == http.MethodPost && strings.HasPrefix(r.Path, "/interactions/"+id+"/") {
			var body map[string]json.RawMessage
			if err := json.Unmarshal(r.Body, &body); err != nil {
				t.Fatalf("callback body %s: %v", r.Body, err)
			}
			return body
		}
	}
	t.Fatalf("no callback recorded for %s", id)
	return nil
}

// TestAutocomplete_CarriesChoicesOnly checks the autocomplete result on the
// wire, through both runtimes: choices always, an empty list when nothing
// matches, and no message fields.
func TestAutocomplete_CarriesChoicesOnly(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	for _, tr := range transports(t, fake, newRouter(t)) {
		for _, text := range []string{"Kim", "Qwxzv"} {
			t.Run(tr.name+"/"+text, func(t *testing.T) {
				id, resp := tr.ask(t, discordtest.Autocomplete("actor", discordtest.Focused(discordtest.String("name", text))))
				if resp.Type != discordgo.InteractionApplicationCommandAutocompleteResult {
					t.Fatalf("response type %d, want an autocomplete result", resp.Type)
				}
				var data map[string]json.RawMessage
				if err := json.Unmarshal(callbackBody(t, fake, id)["data"], &data); err != nil {
					t.Fatal(err)
				}
				keys := slices.Sorted(func(yield func(string) bool) {
					for k := range data {
						if !yield(k) {
							return
						}
					}
				})
				if !slices.Equal(keys, []string{"choices"}) {
					t.Errorf("data fields %v, want only choices", keys)
				}
				var choices []json.RawMessage
				if err := json.Unmarshal(data["choices"], &choices); err != nil || choices == nil {
					t.Fatalf("choices %s, want a list", data["choices"])
				}
				if wantAny := text == "Kim"; (len(choices) > 0) != wantAny {
					t.Errorf("%d choices for %q", len(choices), text)
				}
			})
		}
	}
	fake.RequireNoViolations(t)
}

// TestRegister_GuildCommandsHaveNoBotDMContext registers the catalog in a
// guild and globally: only the global commands work in DMs with the bot.
func TestRegister_GuildCommandsHaveNoBotDMContext(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	store := testlib.OpenLibrary(t)
	router := commands.New(store, commands.Options{Curator: store, Subscriptions: store})
	for _, guildID := range []string{discordtest.GuildID, ""} {
		n, err := discord.RegisterCommands(context.Background(), testToken, discordtest.AppID, guildID, router.Commands(), fake.Attach)
		if err != nil {
			t.Fatalf("register in %q: %v", guildID, err)
		}
		if n != len(router.Commands()) {
			t.Fatalf("registered %d commands in %q, want %d", n, guildID, len(router.Commands()))
		}
	}
	for _, c := range fake.Commands(discordtest.GuildID) {
		if c.Contexts != nil && slices.Contains(*c.Contexts, discordgo.InteractionContextBotDM) {
			t.Errorf("guild command /%s has the bot-DM context", c.Name)
		}
	}
	dm := 0
	for _, c := range fake.Commands("") {
		if c.Contexts != nil && slices.Contains(*c.Contexts, discordgo.InteractionContextBotDM) {
			dm++
		}
	}
	if dm == 0 {
		t.Error("no global command works in DMs with the bot")
	}
	for _, c := range router.Commands() {
		if c.Name == "brief" && !slices.Contains(*c.Contexts, discordgo.InteractionContextBotDM) {
			t.Error("registering in a guild changed the router's catalog")
		}
	}
	fake.RequireNoViolations(t)
}

// TestHTTP_ExportIsDeferredThenFollowedUp runs /briefing export over HTTP
// interactions: the file can't ride in the HTTP answer, so the answer is an
// ephemeral deferral and the file comes in the follow-up, privately.
func TestHTTP_ExportIsDeferredThenFollowedUp(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		fake := discordtest.New(t)
		store := backend.OpenLibrary(t)
		bs := testlib.SampleBriefings(t)
		if _, err := store.SaveBriefings(context.Background(), discordtest.GuildID, bs, "test"); err != nil {
			t.Fatalf("save into the guild: %v", err)
		}
		router := commands.New(store, commands.Options{Curator: store})
		endpoint := fakeHTTPBot(t, fake, &discord.HTTPServer{Router: router})
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()

		i := discordtest.Command("briefing", discordtest.SubCommand("export"))
		i.Member.Permissions |= discordgo.PermissionManageMessages
		resp, err := fake.PostInteraction(ctx, endpoint, i)
		if err != nil {
			t.Fatal(err)
		}
		if resp.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource || resp.Data == nil ||
			resp.Data.Flags&discordgo.MessageFlagsEphemeral == 0 {
			t.Fatalf("first answer %+v, want an ephemeral deferral", resp)
		}
		var upload *discordtest.Request
		err = fake.Await(ctx, func() bool {
			for _, r := range fake.Requests() {
				if r.Method == http.MethodPost && strings.HasPrefix(r.Path, "/webhooks/") && len(r.Files) > 0 {
					upload = &r
					return true
				}
			}
			return false
		})
		if err != nil {
			t.Fatalf("no follow-up carried the file: %v", err)
		}
		if got := upload.Files[0]; !strings.HasSuffix(got.Name, ".yaml") || len(got.Data) == 0 {
			t.Errorf("uploaded %q (%d bytes), want the YAML export", got.Name, len(got.Data))
		}
		m, err := fake.AwaitOriginal(ctx, i.ID)
		if err != nil {
			t.Fatal(err)
		}
		if m.Flags&discordgo.MessageFlagsEphemeral == 0 || len(m.Attachments) != 1 || !strings.Contains(m.Content, "export") {
			t.Errorf("the export message: flags %d, %d attachments, %q; want it private with the file", m.Flags, len(m.Attachments), m.Content)
		}
		if leaks := publicLeaks(fake); len(leaks) > 0 {
			t.Errorf("public messages: %v", leaks)
		}
		var got []*briefings.Briefing
		got, err = fileformat.Decode(strings.NewReader(string(upload.Files[0].Data)), upload.Files[0].Name)
		if err != nil || len(got) != len(bs) {
			t.Errorf("the export decodes to %d briefings (%v), want %d", len(got), err, len(bs))
		}
		fake.RequireNoViolations(t)
	})
}

package discordtest_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"briefbot/bot/discordtest"

	"github.com/bwmarrin/discordgo"
)

var quiet = &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return c
}

func receive(t *testing.T, got <-chan *discordgo.Interaction) *discordgo.Interaction {
	t.Helper()
	select {
	case i := <-got:
		return i
	case <-time.After(5 * time.Second):
		t.Fatal("no interaction reached the session")
		return nil
	}
}

// code returns the Discord error code of a REST error, or 0.
func code(err error) int {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Message != nil {
		return re.Message.Code
	}
	return 0
}

func reply(content string) *discordgo.InteractionResponse {
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: content, AllowedMentions: quiet},
	}
}

func TestServer_ReadyAndSlashCommand(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	c := dial(t, fake.GatewayURL())
	c.send(2, testIdentify("test-token", discordgo.IntentsGuilds))
	var ready struct {
		User      discordgo.User `json:"user"`
		SessionID string         `json:"session_id"`
		Guilds    []any          `json:"guilds"`
	}
	if err := json.Unmarshal(c.dispatch("READY").Data, &ready); err != nil {
		t.Fatal(err)
	}
	if got, want := ready.User.ID, discordtest.BotUserID; got != want {
		t.Errorf("READY user=%s, want %s", got, want)
	}
	if ready.SessionID == "" || len(ready.Guilds) != 1 {
		t.Errorf("READY %+v, want a session and one guild", ready)
	}
	ids := fake.Identifies()
	if len(ids) != 1 || ids[0].Intents != discordgo.IntentsGuilds || ids[0].Token != "test-token" ||
		ids[0].Properties != (discordtest.IdentifyProperties{OS: "linux", Browser: "discordtest", Device: "discordtest"}) {
		t.Fatalf("identifies=%+v, want the one sent", ids)
	}
	c.dispatch("GUILD_CREATE")
	c.send(1, nil)
	if f := c.read(); f.Op != 11 {
		t.Fatalf("answer to a heartbeat: op %d, want 11", f.Op)
	}
	sess := fake.Session("test-token") // REST only
	id := fake.SendInteraction(ctx(t), discordtest.Command("brief", discordtest.String("slug", "ukraine-talks")))
	var i *discordgo.Interaction
	if err := json.Unmarshal(c.dispatch("INTERACTION_CREATE").Data, &i); err != nil {
		t.Fatal(err)
	}
	data := i.ApplicationCommandData()
	if got, want := data.Name+" "+data.GetOption("slug").StringValue(), "brief ukraine-talks"; got != want {
		t.Errorf("command=%q, want %q", got, want)
	}
	if i.Member == nil || i.Member.Permissions != discordtest.MemberPermissions || i.GuildID != discordtest.GuildID {
		t.Errorf("member=%+v guild=%s, want the default member in the default guild", i.Member, i.GuildID)
	}
	if err := sess.InteractionRespond(i, reply("Talks resume in Geneva.")); err != nil {
		t.Fatalf("respond: %v", err)
	}
	resp, err := fake.AwaitResponse(ctx(t), id)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := resp.Data.Content, "Talks resume in Geneva."; got != want {
		t.Errorf("response content=%q, want %q", got, want)
	}
	msgs := fake.Messages(discordtest.ChannelID)
	if len(msgs) != 1 || msgs[0].Content != "Talks resume in Geneva." || msgs[0].Type != discordgo.MessageTypeChatInputCommand {
		t.Errorf("channel messages=%+v, want the response", msgs)
	}
	if fake.Heartbeats() != 1 {
		t.Errorf("heartbeats=%d, want the one sent", fake.Heartbeats())
	}
	fake.RequireNoViolations(t)
}

func TestServer_BulkOverwrite(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t, discordtest.AllowViolations())
	sess := fake.Session("test-token")
	perm := int64(discordgo.PermissionManageGuild)
	valid := []*discordgo.ApplicationCommand{{
		Name: "brief", Description: "Show a briefing", DefaultMemberPermissions: &perm,
		Options: []*discordgo.ApplicationCommandOption{{
			Type: discordgo.ApplicationCommandOptionString, Name: "slug", Description: "Which briefing", Required: true, Autocomplete: true,
		}},
	}}
	cmds, err := sess.ApplicationCommandBulkOverwrite(discordtest.AppID, discordtest.GuildID, valid)
	if err != nil {
		t.Fatalf("valid overwrite: %v", err)
	}
	if len(cmds) != 1 || cmds[0].ID == "" || cmds[0].ApplicationID != discordtest.AppID || *cmds[0].DefaultMemberPermissions != perm {
		t.Fatalf("stored=%+v, want the command with an ID", cmds)
	}
	listed, err := sess.ApplicationCommands(discordtest.AppID, discordtest.GuildID)
	if err != nil || len(listed) != 1 || listed[0].ID != cmds[0].ID {
		t.Fatalf("list=%+v err=%v, want the stored command", listed, err)
	}
	if len(fake.Violations()) != 0 {
		t.Fatalf("violations=%v, want none for a valid command", fake.Violations())
	}

	invalid := []*discordgo.ApplicationCommand{{Name: "Brief", Description: "Show a briefing"}}
	_, err = sess.ApplicationCommandBulkOverwrite(discordtest.AppID, "", invalid)
	if got, want := code(err), 50035; got != want {
		t.Fatalf("uppercase name: code=%d (%v), want %d", got, err, want)
	}
	vs := fake.Violations()
	if len(vs) != 1 || !strings.Contains(vs[0].Reason, "lowercase") {
		t.Errorf("violations=%v, want one about the uppercase name", vs)
	}
	if got := fake.Commands(""); len(got) != 0 {
		t.Errorf("global commands=%+v, want none after a rejected overwrite", got)
	}
}

func TestServer_MessageLimits(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t, discordtest.AllowViolations())
	sess := fake.Session("test-token")
	big := &discordgo.MessageEmbed{Title: "Digest", Description: strings.Repeat("d", 4000)}
	for range 3 {
		big.Fields = append(big.Fields, &discordgo.MessageEmbedField{Name: "Fact", Value: strings.Repeat("v", 1000)})
	}
	_, err := sess.ChannelMessageSendComplex(discordtest.ChannelID, &discordgo.MessageSend{Embeds: []*discordgo.MessageEmbed{big}, AllowedMentions: quiet})
	if got, want := code(err), 50035; got != want {
		t.Fatalf("7,018-character embed: code=%d (%v), want %d", got, err, want)
	}
	_, err = sess.ChannelMessageSendComplex(discordtest.ChannelID, &discordgo.MessageSend{
		Content:         "hi",
		AllowedMentions: &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{discordgo.AllowedMentionTypeUsers}, Users: []string{discordtest.UserID}},
	})
	if got, want := code(err), 50035; got != want {
		t.Fatalf("parse users with a users list: code=%d (%v), want %d", got, err, want)
	}
	_, err = sess.ChannelMessageSend("1999999999999999999", "hello")
	if got, want := code(err), 10003; got != want {
		t.Fatalf("unknown channel: code=%d (%v), want %d", got, err, want)
	}
	if got := len(fake.Messages(discordtest.ChannelID)); got != 0 {
		t.Errorf("messages=%d, want none stored from rejected requests", got)
	}
	reasons := ""
	for _, v := range fake.Violations() {
		reasons += v.Reason + "\n"
	}
	for _, want := range []string{"6000", "mutually exclusive", "Unknown Channel"} {
		if !strings.Contains(reasons, want) {
			t.Errorf("violations %q lack %q", reasons, want)
		}
	}
}

func TestServer_SpecRejectsWrongTypes(t *testing.T) {
	t.Parallel()
	doc := os.Getenv("BRIEFBOT_DISCORD_SPEC")
	if doc == "" {
		doc = "../../../shared/discord-api-spec/openapi.json"
	}
	if _, err := os.Stat(doc); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no OpenAPI document, which CI requires: %v", err)
		}
		t.Skipf("no OpenAPI document: %v", err)
	}
	fake := discordtest.New(t, discordtest.AllowViolations())
	sess := fake.Session("test-token")
	// Only the schema knows tts is a boolean; the hand-written rules do not look at it.
	_, err := sess.Request("POST", discordgo.EndpointChannelMessages(discordtest.ChannelID), map[string]any{
		"content": "hi", "tts": "yes", "allowed_mentions": map[string]any{"parse": []string{}},
	})
	if got, want := code(err), 50035; got != want {
		t.Fatalf("string tts: code=%d (%v), want %d", got, err, want)
	}
	if vs := fake.Violations(); len(vs) != 1 || !strings.Contains(vs[0].Reason, "OpenAPI") {
		t.Errorf("violations=%v, want the schema mismatch", vs)
	}
}

func TestServer_ResponseRules(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t, discordtest.AllowViolations())
	sess, got := open(t, fake)

	t.Run("MissingAllowedMentions", func(t *testing.T) {
		fake.SendInteraction(ctx(t), discordtest.Command("brief"))
		i := receive(t, got)
		resp := &discordgo.InteractionResponse{Type: 4, Data: &discordgo.InteractionResponseData{Content: "@everyone look"}}
		if err := sess.InteractionRespond(i, resp); err != nil {
			t.Fatalf("respond: %v (Discord accepts it; the fake only flags it)", err)
		}
		vs := fake.Violations()
		if len(vs) != 1 || !strings.Contains(vs[0].Reason, "allowed_mentions is missing") {
			t.Fatalf("violations=%v, want the missing allowed_mentions", vs)
		}
	})
	t.Run("DoubleResponse", func(t *testing.T) {
		fake.SendInteraction(ctx(t), discordtest.Command("brief"))
		i := receive(t, got)
		if err := sess.InteractionRespond(i, reply("first")); err != nil {
			t.Fatalf("first: %v", err)
		}
		err := sess.InteractionRespond(i, reply("second"))
		if got, want := code(err), 40060; got != want {
			t.Fatalf("second: code=%d (%v), want %d", got, err, want)
		}
	})
	t.Run("LateResponse", func(t *testing.T) {
		id := fake.SendInteraction(ctx(t), discordtest.Command("brief"))
		i := receive(t, got)
		fake.Advance(discordtest.ResponseDeadline + time.Second)
		err := sess.InteractionRespond(i, reply("too late"))
		if got, want := code(err), 10062; got != want {
			t.Fatalf("late: code=%d (%v), want %d", got, err, want)
		}
		if _, err := fake.AwaitResponse(ctx(t), id); err == nil || !strings.Contains(err.Error(), "after dispatch") {
			t.Errorf("await=%v, want the deadline rejection", err)
		}
	})
	t.Run("DeferEditExpire", func(t *testing.T) {
		id := fake.SendInteraction(ctx(t), discordtest.Command("digest"))
		i := receive(t, got)
		defer_ := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}
		if err := sess.InteractionRespond(i, defer_); err != nil {
			t.Fatalf("defer: %v", err)
		}
		if m := fake.Original(id); m == nil || m.Flags&discordgo.MessageFlagsLoading == 0 {
			t.Fatalf("original after deferral=%+v, want a loading message", m)
		}
		content := "Three briefings today."
		if _, err := sess.InteractionResponseEdit(i, &discordgo.WebhookEdit{Content: &content, AllowedMentions: quiet}); err != nil {
			t.Fatalf("edit: %v", err)
		}
		m, err := fake.AwaitOriginal(ctx(t), id)
		if err != nil || m.Content != content {
			t.Fatalf("original=%+v err=%v, want the edited content", m, err)
		}
		if _, err := sess.FollowupMessageCreate(i, true, &discordgo.WebhookParams{Content: "More tomorrow.", AllowedMentions: quiet}); err != nil {
			t.Fatalf("follow-up: %v", err)
		}
		if f := fake.Followups(id); len(f) != 1 || f[0].Content != "More tomorrow." {
			t.Fatalf("follow-ups=%+v, want one", f)
		}
		fake.Advance(discordtest.TokenLifetime)
		_, err = sess.InteractionResponseEdit(i, &discordgo.WebhookEdit{Content: &content, AllowedMentions: quiet})
		if got, want := code(err), 50027; got != want {
			t.Fatalf("edit after 15 minutes: code=%d (%v), want %d", got, err, want)
		}
	})
}

func TestServer_MultipartResponse(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	sess, got := open(t, fake)
	id := fake.SendInteraction(ctx(t), discordtest.Command("export"))
	i := receive(t, got)
	resp := reply("Your export.")
	resp.Data.Files = []*discordgo.File{{Name: "briefings.yaml", ContentType: "application/yaml", Reader: strings.NewReader("briefings: []\n")}}
	if err := sess.InteractionRespond(i, resp); err != nil {
		t.Fatalf("respond: %v", err)
	}
	var files []discordtest.File
	for _, r := range fake.Requests() {
		if strings.HasSuffix(r.Path, "/callback") {
			files = r.Files
		}
	}
	if len(files) != 1 || files[0].Name != "briefings.yaml" || string(files[0].Data) != "briefings: []\n" {
		t.Fatalf("files=%+v, want the upload", files)
	}
	if m := fake.Original(id); m == nil || len(m.Attachments) != 1 || m.Content != "Your export." {
		t.Fatalf("original=%+v, want content and one attachment", m)
	}
}

func TestServer_InteractionShapes(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	sess, got := open(t, fake)

	fake.SendInteraction(ctx(t), discordtest.Autocomplete("brief", discordtest.String("slug", "ukr")))
	i := receive(t, got)
	if opt := i.ApplicationCommandData().Options[0]; i.Type != discordgo.InteractionApplicationCommandAutocomplete || !opt.Focused {
		t.Errorf("autocomplete type=%v focused=%v, want a focused option", i.Type, opt.Focused)
	}
	choices := &discordgo.InteractionResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: []*discordgo.ApplicationCommandOptionChoice{{Name: "Ukraine talks", Value: "ukraine-talks"}}}}
	if err := sess.InteractionRespond(i, choices); err != nil {
		t.Fatalf("autocomplete result: %v", err)
	}

	fake.SendInteraction(ctx(t), discordtest.Button("brief:more:ukraine-talks"))
	i = receive(t, got)
	if got, want := i.MessageComponentData().CustomID, "brief:more:ukraine-talks"; got != want || i.Message == nil {
		t.Errorf("button custom_id=%q message=%v, want %q on a message", got, i.Message, want)
	}
	update := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseUpdateMessage,
		Data: &discordgo.InteractionResponseData{Content: "Expanded.", AllowedMentions: quiet}}
	if err := sess.InteractionRespond(i, update); err != nil {
		t.Fatalf("update: %v", err)
	}

	fake.SendInteraction(ctx(t), discordtest.ModalSubmit("suggest", discordtest.Field("title", "New talks")))
	i = receive(t, got)
	row := i.ModalSubmitData().Components[0].(*discordgo.ActionsRow)
	if got, want := row.Components[0].(*discordgo.TextInput).Value, "New talks"; got != want {
		t.Errorf("modal value=%q, want %q", got, want)
	}
	fake.RequireNoViolations(t)
}

func TestServer_RateLimitThenSuccess(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	sess := fake.Session("test-token")
	fake.RateLimit("POST /channels/*/messages", 1)
	m, err := sess.ChannelMessageSendComplex(discordtest.ChannelID, &discordgo.MessageSend{Content: "Digest", AllowedMentions: quiet})
	if err != nil {
		t.Fatalf("send: %v", err)
	}
	var statuses []int
	for _, r := range fake.Requests() {
		statuses = append(statuses, r.Status)
	}
	if len(statuses) != 2 || statuses[0] != 429 || statuses[1] != 200 || m.Content != "Digest" {
		t.Fatalf("statuses=%v message=%+v, want 429 then 200", statuses, m)
	}
	dm, err := sess.UserChannelCreate(discordtest.UserID)
	if err != nil || fake.DMChannel(discordtest.UserID) != dm.ID {
		t.Fatalf("DM channel=%+v err=%v", dm, err)
	}
	fake.RequireNoViolations(t)
}

func TestServer_GatewayFaults(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault func(*discordtest.Server) error
	}{
		{"Drop", func(f *discordtest.Server) error { f.DropGateway(); return nil }},
		{"Reconnect", (*discordtest.Server).Reconnect},
		{"Close4000", func(f *discordtest.Server) error { return f.CloseGateway(4000) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := discordtest.New(t)
			c := startClient(t, fake)
			if err := tc.fault(fake); err != nil {
				t.Fatal(err)
			}
			// Sent while the client is away or reconnecting: the resume replays it if needed.
			id := fake.SendInteraction(ctx(t), discordtest.Command("brief"))
			i := receive(t, c.got)
			if i.ID != id {
				t.Fatalf("interaction=%s, want %s", i.ID, id)
			}
			select {
			case <-c.resumed:
			case <-time.After(5 * time.Second):
				t.Fatal("no RESUMED")
			}
			if got := len(fake.Identifies()); got != 1 {
				t.Errorf("identifies=%d, want 1 (resumed, not re-identified)", got)
			}
			id = fake.SendInteraction(ctx(t), discordtest.Command("brief"))
			if i := receive(t, c.got); i.ID != id {
				t.Fatalf("after resume: interaction=%s, want %s", i.ID, id)
			}
		})
	}
}

func TestServer_InvalidSession(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	c := startClient(t, fake)
	// Nothing is in flight: move the clock past the identify rate limit
	// instead of waiting it out.
	fake.Advance(discordtest.IdentifyInterval)
	if err := fake.InvalidateSession(false); err != nil {
		t.Fatal(err)
	}
	if err := fake.Await(ctx(t), func() bool { return len(fake.Identifies()) == 2 }); err != nil {
		t.Fatalf("no second identify: %v", err)
	}
	id := fake.SendInteraction(ctx(t), discordtest.Command("brief"))
	if i := receive(t, c.got); i.ID != id {
		t.Fatalf("interaction=%s, want %s", i.ID, id)
	}
}

func TestServer_PostInteraction(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	endpoint := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !discordgo.VerifyInteraction(r, fake.PublicKey()) {
			http.Error(w, "invalid request signature", http.StatusUnauthorized)
			return
		}
		var i discordgo.Interaction
		if err := json.NewDecoder(r.Body).Decode(&i); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(reply("Briefing: " + i.ApplicationCommandData().Options[0].StringValue()))
	}))
	t.Cleanup(endpoint.Close)
	i := discordtest.Command("brief", discordtest.String("slug", "ukraine-talks"))
	resp, err := fake.PostInteraction(ctx(t), endpoint.URL, i)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := resp.Data.Content, "Briefing: ukraine-talks"; got != want {
		t.Errorf("content=%q, want %q", got, want)
	}
	if m := fake.Original(i.ID); m == nil || m.Content != "Briefing: ukraine-talks" {
		t.Errorf("original=%+v, want the answer", m)
	}
	fake.RequireNoViolations(t)
}

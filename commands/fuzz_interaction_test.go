package commands_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"briefbot/briefings"
	"briefbot/commands"
	"briefbot/db"

	"github.com/bwmarrin/discordgo"
)

// The two guilds of the security tests: A holds secrets; a member of B with
// no permissions attacks it.
const (
	guildA  = "400000000000000001"
	guildB  = "400000000000000002"
	modA    = "400000000000000010"
	memberB = "400000000000000020"
	roleA   = "400000000000000777"
	// secretA is in every text of guild A's library; no answer given in
	// guild B may contain it.
	secretA = "Quillwort7Secret"
)

// failingModel is a model that never answers, so /ask takes its
// deterministic path while the feedback buttons stay registered.
type failingModel struct{}

func (failingModel) Complete(context.Context, briefings.Prompt) (string, error) {
	return "", errors.New("model offline in tests")
}
func (failingModel) Name() string { return "offline" }

// logRecorder keeps what the router logs, to catch panics and internal
// errors that Handle turns into apologies.
type logRecorder struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logRecorder) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// take returns what was logged since the last call and forgets it.
func (l *logRecorder) take() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.buf.String()
	l.buf.Reset()
	return s
}

// twoGuilds is a real library holding guild A's secrets (a published
// briefing, a draft, settings, a kept form, a channel subscription and a 👎
// on an answer) and a router with every feature on.
type twoGuilds struct {
	lib    *db.DB
	raw    *sql.DB
	router *commands.Router
	logs   *logRecorder
	// draftID and draftVersion name A's draft; formID A's kept form;
	// feedbackID A's 👎; subscriptionID A's channel subscription.
	draftID, formID, feedbackID, subscriptionID int64
	draftVersion                                int
}

// secretBriefing is a briefing of guild A in which every text holds secretA.
func secretBriefing(slug string, status briefings.Status) *briefings.Briefing {
	actor := "Actor " + secretA + " " + slug
	event := "Event " + secretA + " " + slug
	return &briefings.Briefing{
		Slug:      slug,
		Title:     "Title " + secretA + " " + slug,
		Summary:   "Summary " + secretA + ".",
		Published: briefings.DayOf(2025, time.August, 10),
		Source:    briefings.Source{Name: "Wire " + secretA},
		Topics:    []string{"quillwort-affairs"},
		Status:    status,
		Actors:    []briefings.Actor{{Name: actor, Kind: briefings.KindPerson, Description: "Who " + secretA + " is."}},
		Events:    []briefings.Event{{Name: event, Date: briefings.DayOf(2025, time.August, 9), Participants: []string{actor}}},
		Facts:     []briefings.Fact{{Text: "Fact " + secretA + ".", Attribution: "Source " + secretA, Actors: []string{actor}, Event: event}},
	}
}

// openTwoGuilds builds the library in dir and the router over it.
func openTwoGuilds(tb testing.TB, dir string) *twoGuilds {
	tb.Helper()
	ctx := context.Background()
	path := filepath.Join(dir, "two-guilds.db")
	lib, err := db.Open(ctx, path)
	if err != nil {
		tb.Fatalf("open library: %v", err)
	}
	tb.Cleanup(func() { lib.Close() })
	lib.Now = func() time.Time { return clock }
	g := &twoGuilds{lib: lib, logs: &logRecorder{}}

	must := func(what string, err error) {
		tb.Helper()
		if err != nil {
			tb.Fatalf("%s: %v", what, err)
		}
	}
	_, err = lib.SaveBriefings(ctx, guildA, []*briefings.Briefing{secretBriefing("quillwort-report", briefings.StatusPublished)}, "seed")
	must("save A's briefing", err)
	_, err = lib.SaveCurated(ctx, briefings.Write{GuildID: guildA, Briefing: secretBriefing("quillwort-draft", briefings.StatusDraft), By: modA, Action: briefings.AuditDraft})
	must("save A's draft", err)
	draft, err := lib.BriefingWithStatus(ctx, guildA, "quillwort-draft", briefings.StatusDraft)
	must("read A's draft", err)
	g.draftID, g.draftVersion = draft.ID, draft.Version
	_, err = lib.SaveBriefings(ctx, guildB, []*briefings.Briefing{{
		Slug: "b-harbour", Title: "Harbour works in B", Summary: "The harbour reopens.", Published: briefings.DayOf(2025, time.August, 1),
		Topics: []string{"harbour"}, Status: briefings.StatusPublished,
		Facts: []briefings.Fact{{Text: "The harbour reopens in May.", Attribution: "port office"}},
	}}, "seed")
	must("save B's briefing", err)
	must("save A's settings", lib.SaveSettings(ctx, briefings.GuildSettings{GuildID: guildA, ModeratorRoleID: roleA, TimeZone: "Asia/Tokyo"}, modA))
	g.formID, err = lib.SaveFormDraft(ctx, briefings.FormDraft{GuildID: guildA, UserID: modA, Kind: "add",
		Fields: map[string]string{"title": "Form " + secretA, "summary": "Kept " + secretA}, CreatedAt: clock})
	must("save A's form", err)
	must("record A's feedback", lib.RecordFeedback(ctx, briefings.AnswerFeedback{GuildID: guildA, ChannelID: "400000000000000100",
		MessageID: "400000000000000101", UserID: modA, Question: "Question " + secretA + "?", Answer: "Answer " + secretA, Model: "offline", CreatedAt: clock}))
	list, _, err := lib.FeedbackToReview(ctx, guildA, 10)
	must("list A's feedback", err)
	if len(list) != 1 {
		tb.Fatalf("A has %d 👎 to review, want 1", len(list))
	}
	g.feedbackID = list[0].ID
	sub, _, err := lib.SaveSubscription(ctx, &briefings.Subscription{GuildID: guildA, ChannelID: "400000000000000100", Topic: "quillwort-affairs",
		Times: []briefings.Clock{{Hour: 8}}, Zone: "Asia/Tokyo", Days: briefings.DaysDaily}, clock)
	must("save A's subscription", err)
	g.subscriptionID = sub.ID

	g.raw, err = sql.Open("sqlite3", "file:"+path+"?mode=ro")
	must("open raw reader", err)
	tb.Cleanup(func() { g.raw.Close() })
	log := slog.New(slog.NewTextHandler(g.logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	g.router = commands.New(lib, commands.Options{Now: func() time.Time { return clock }, Logger: log,
		Curator: lib, Subscriptions: lib, Model: failingModel{}, Feedback: lib, OwnerIDs: []string{"400000000000000999"}})
	return g
}

// state fingerprints everything only a moderator, an operator or guild A
// may change: the audit log, briefings and their versions, settings, kept
// forms, reviews of feedback and every subscription but the attacker's own
// by DM.
func (g *twoGuilds) state(tb testing.TB) string {
	tb.Helper()
	var s string
	err := g.raw.QueryRow(`SELECT
		(SELECT count(*) || '/' || ifnull(max(id), 0) FROM audit_log) || ' ' ||
		(SELECT count(*) FROM briefing_versions) || ' ' ||
		(SELECT ifnull(group_concat(id || ':' || guild_id || ':' || version || ':' || status || ':' || title, ','), '') FROM briefings) || ' ' ||
		(SELECT ifnull(group_concat(guild_id || ':' || moderator_role_id || ':' || time_zone, ','), '') FROM guild_settings) || ' ' ||
		(SELECT count(*) || '/' || ifnull(max(id), 0) FROM form_drafts) || ' ' ||
		(SELECT count(*) FROM answer_feedback WHERE reviewed_at != '') || ' ' ||
		(SELECT ifnull(group_concat(id || ':' || guild_id || ':' || channel_id || ':' || topic || ':' || hour || ':' || zone, ','), '')
			FROM subscriptions WHERE NOT (dm = 1 AND user_id = ?))`, memberB).Scan(&s)
	if err != nil {
		tb.Fatalf("fingerprint the store: %v", err)
	}
	return s
}

// attack runs one interaction, decoded from JSON as discordgo decodes it,
// and checks what guild B's member gets back and that nothing a moderator
// guards changed. input is what the attacker typed, to tell an echo of
// their own words from a leak.
func (g *twoGuilds) attack(t *testing.T, raw []byte, input string) {
	t.Helper()
	var i discordgo.Interaction
	if err := json.Unmarshal(raw, &i); err != nil {
		return // discordgo would drop it before the router saw it
	}
	// The gateway and the HTTP server only pass interactions from a guild
	// with a member; whatever the data says, the sender stays B's member.
	// The member even holds a role whose ID is guild A's moderator role.
	i.GuildID, i.Member = guildB, &discordgo.Member{GuildID: guildB, User: &discordgo.User{ID: memberB}, Roles: []string{roleA}}
	i.User = nil
	before := g.state(t)
	resp := g.router.Handle(context.Background(), &i)
	if resp == nil {
		t.Fatalf("no response to %s", raw)
	}
	out, err := json.Marshal(resp)
	if err != nil {
		t.Fatalf("marshal response: %v", err)
	}
	if logs := g.logs.take(); strings.Contains(logs, "panic") || strings.Contains(logs, "interaction failed") {
		t.Fatalf("%s\nmade the router fail:\n%s", raw, logs)
	}
	switch resp.Type {
	case discordgo.InteractionResponsePong:
	case discordgo.InteractionResponseModal:
		checkModal(t, resp)
	default:
		checkLimits(t, string(raw), resp)
	}
	if strings.Contains(strings.ToLower(string(out)), strings.ToLower(secretA)) && !strings.Contains(strings.ToLower(input), strings.ToLower(secretA)) {
		t.Fatalf("%s\nrevealed guild A's library: %s", raw, out)
	}
	if after := g.state(t); after != before {
		t.Fatalf("%s\nchanged what only moderators may change:\nbefore %s\nafter  %s", raw, before, after)
	}
}

// componentJSON is a button press or menu pick as Discord sends it, on a
// message of the bot.
func componentJSON(customID string, componentType int, values []string) []byte {
	raw, _ := json.Marshal(map[string]any{
		"id": "500000000000000001", "application_id": "500000000000000002", "type": 3, "token": "tok",
		"guild_id": guildB, "channel_id": "500000000000000003", "version": 1,
		"member": map[string]any{"user": map[string]any{"id": memberB, "username": "b"}, "permissions": "0", "roles": []string{}},
		"data":   map[string]any{"custom_id": customID, "component_type": componentType, "values": values},
		"message": map[string]any{"id": "500000000000000004", "channel_id": "500000000000000003", "content": "Answer to: what is new?",
			"author": map[string]any{"id": "500000000000000002", "bot": true}, "interaction_metadata": map[string]any{"user": map[string]any{"id": memberB}}},
	})
	return raw
}

// modalJSON is a modal submit with one text field.
func modalJSON(customID, field, value string) []byte {
	raw, _ := json.Marshal(map[string]any{
		"id": "500000000000000001", "application_id": "500000000000000002", "type": 5, "token": "tok",
		"guild_id": guildB, "channel_id": "500000000000000003", "version": 1,
		"member": map[string]any{"user": map[string]any{"id": memberB, "username": "b"}, "permissions": "0"},
		"data": map[string]any{"custom_id": customID, "components": []any{
			map[string]any{"type": 1, "components": []any{map[string]any{"type": 4, "custom_id": field, "value": value}}}}},
	})
	return raw
}

// FuzzCustomID presses buttons and submits forms with arbitrary custom IDs
// as a member of guild B without permissions. No ID may reach guild A's
// library or perform a moderator's action.
func FuzzCustomID(f *testing.F) {
	g := openTwoGuilds(f, f.TempDir())
	for _, s := range []string{
		"brief::0", "brief:quillwort-affairs:0", "brief:harbour:1", "brief::999999", "brief::01", "actor:Kim Jong Un", "event:Alaska summit", "topic:harbour",
		"actor:Actor " + secretA, "topic:quillwort-affairs",
		fmt.Sprintf("bpub:%d:%d", g.draftID, g.draftVersion), fmt.Sprintf("bedit:%d:%d", g.draftID, g.draftVersion),
		fmt.Sprintf("bdis:%d:%d", g.draftID, g.draftVersion), fmt.Sprintf("bretry:%d", g.formID),
		"bf:add", fmt.Sprintf("bf:edit:%d:%d", g.draftID, g.draftVersion), "bf:edit:1:1",
		"fb:up:m", "fb:down:q", fmt.Sprintf("fbok:%d", g.feedbackID), fmt.Sprintf("fbok:%d.%d", g.feedbackID, g.feedbackID+1),
		"bpub:-1:0", "bpub:9223372036854775807:1", "bretry:", ":", "", "brief:a:b:c", "actor:\x00", "fbok:1.2.3.x",
	} {
		f.Add(s, uint8(0), "value")
	}
	f.Fuzz(func(t *testing.T, customID string, kind uint8, value string) {
		var raw []byte
		switch kind % 3 {
		case 0:
			raw = componentJSON(customID, int(discordgo.ButtonComponent), nil)
		case 1:
			raw = componentJSON(customID, int(discordgo.SelectMenuComponent), []string{value})
		default:
			raw = modalJSON(customID, "title", value)
		}
		g.attack(t, raw, customID+" "+value)
	})
}

// FuzzInteractionOptions decodes arbitrary command data (names, subcommands,
// option types and values) as discordgo does and runs it as a slash command
// or an autocomplete request from guild B's member without permissions.
func FuzzInteractionOptions(f *testing.F) {
	g := openTwoGuilds(f, f.TempDir())
	for _, c := range g.router.Commands() {
		for _, data := range optionSeeds(c) {
			f.Add(data, false)
			f.Add(data, true)
		}
	}
	for _, s := range []string{`{}`, `null`, `{"name":"brief","options":null}`, `{"name":"actor","options":[null]}`,
		`{"name":"actor","options":[{"name":"name","type":3,"value":12}]}`,
		`{"name":"briefing","options":[{"name":"fact","type":2,"options":[{"name":"add","type":1,"options":[{"name":"number","type":4,"value":1e308}]}]}]}`,
		`{"name":"subscribe","options":[{"name":"topic","type":3,"value":"harbour"},{"name":"time","type":3,"value":"25:61"},{"name":"timezone","type":3,"value":"Mars/Olympus"}]}`,
		`{"name":"unsubscribe","options":[{"name":"subscription","type":3,"value":"1"}]}`,
		`{"name":"settings","options":[{"name":"moderator_role","type":8,"value":"` + roleA + `"}]}`} {
		f.Add([]byte(s), false)
	}
	f.Fuzz(func(t *testing.T, data []byte, autocomplete bool) {
		typ := discordgo.InteractionApplicationCommand
		if autocomplete {
			typ = discordgo.InteractionApplicationCommandAutocomplete
		}
		if !json.Valid(data) {
			return
		}
		raw := fmt.Appendf(nil, `{"id":"500000000000000001","application_id":"500000000000000002","type":%d,"token":"tok",`+
			`"guild_id":%q,"channel_id":"500000000000000003","version":1,`+
			`"member":{"user":{"id":%q,"username":"b"},"permissions":"0","roles":[]},"data":%s}`, typ, guildB, memberB, data)
		g.attack(t, raw, string(data))
	})
}

// optionSeeds returns, for a catalog entry, one data object per subcommand
// with every option filled: strings with guild A's names, integers with 1.
func optionSeeds(c *discordgo.ApplicationCommand) [][]byte {
	var out [][]byte
	var walk func(path []map[string]any, opts []*discordgo.ApplicationCommandOption)
	walk = func(path []map[string]any, opts []*discordgo.ApplicationCommandOption) {
		var leaves []any
		for _, o := range opts {
			switch o.Type {
			case discordgo.ApplicationCommandOptionSubCommand, discordgo.ApplicationCommandOptionSubCommandGroup:
				walk(append(path, map[string]any{"name": o.Name, "type": int(o.Type)}), o.Options)
				continue
			case discordgo.ApplicationCommandOptionString:
				leaves = append(leaves, map[string]any{"name": o.Name, "type": int(o.Type), "value": "quillwort-draft", "focused": o.Autocomplete})
			case discordgo.ApplicationCommandOptionInteger, discordgo.ApplicationCommandOptionNumber:
				leaves = append(leaves, map[string]any{"name": o.Name, "type": int(o.Type), "value": 1})
			case discordgo.ApplicationCommandOptionBoolean:
				leaves = append(leaves, map[string]any{"name": o.Name, "type": int(o.Type), "value": true})
			default:
				leaves = append(leaves, map[string]any{"name": o.Name, "type": int(o.Type), "value": roleA})
			}
		}
		if len(leaves) == 0 && len(opts) > 0 && len(path) == 0 {
			return
		}
		var node any = leaves
		for k := len(path) - 1; k >= 0; k-- {
			p := path[k]
			p["options"] = node
			node = []any{p}
		}
		raw, _ := json.Marshal(map[string]any{"id": "600000000000000001", "name": c.Name, "type": 1, "options": node})
		out = append(out, raw)
	}
	walk(nil, c.Options)
	return out
}

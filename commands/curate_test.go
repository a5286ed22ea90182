package commands_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"briefbot/briefings"
	"briefbot/commands"
	"briefbot/db"

	"github.com/bwmarrin/discordgo"
)

// The people of the moderation tests.
const (
	modID   = "200"
	readerX = "201"
	ownerID = "999"
)

// curation is a router with a Curator over a real library, and the files
// an import can fetch.
type curation struct {
	lib   *db.DB
	r     *commands.Router
	files map[string]string
}

// Fetch serves the test's files by attachment ID, like a transport would.
func (c *curation) Fetch(_ context.Context, a *discordgo.MessageAttachment, max int64) ([]byte, error) {
	s, ok := c.files[a.ID]
	if !ok {
		return nil, briefings.Errorf(briefings.ENOTFOUND, "no such file")
	}
	if int64(len(s)) > max {
		return nil, briefings.Errorf(briefings.EINVALID, "too big")
	}
	return []byte(s), nil
}

func newCuration(t *testing.T) *curation {
	c := &curation{lib: openLibrary(t), files: map[string]string{}}
	c.r = commands.New(c.lib, commands.Options{Now: func() time.Time { return clock }, Curator: c.lib, OwnerIDs: []string{ownerID}, Attachments: c})
	return c
}

// as sets who sends i: a user with permissions in guild g1.
func as(i *discordgo.Interaction, user string, perms int64) *discordgo.Interaction {
	i.Member = &discordgo.Member{User: &discordgo.User{ID: user}, Permissions: perms}
	return i
}

const modPerms = discordgo.PermissionManageMessages

func sub(name string, opts ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionSubCommand, Options: opts}
}

func intOpt(name string, v int) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionInteger, Value: float64(v)}
}

func modal(customID string, values map[string]string) *discordgo.Interaction {
	var rows []discordgo.MessageComponent
	for k, v := range values {
		rows = append(rows, &discordgo.ActionsRow{Components: []discordgo.MessageComponent{&discordgo.TextInput{CustomID: k, Value: v}}})
	}
	return &discordgo.Interaction{ID: "i1", Type: discordgo.InteractionModalSubmit, GuildID: guild, Member: member(),
		Data: discordgo.ModalSubmitInteractionData{CustomID: customID, Components: rows}}
}

// handle runs i and checks the response against Discord's limits.
func (c *curation) handle(t *testing.T, i *discordgo.Interaction) *discordgo.InteractionResponse {
	t.Helper()
	resp := c.r.Handle(context.Background(), i)
	raw, _ := json.Marshal(resp)
	if !strings.Contains(string(raw), `"allowed_mentions":{"parse":[]`) {
		t.Errorf("response mentions people: %s", raw)
	}
	if resp.Type == discordgo.InteractionResponseModal {
		checkModal(t, resp)
	} else {
		checkLimits(t, "curation", resp)
	}
	return resp
}

// checkModal checks a modal against Discord's limits.
func checkModal(t *testing.T, resp *discordgo.InteractionResponse) {
	t.Helper()
	d := resp.Data
	if d.CustomID == "" || units(d.CustomID) > 100 || d.Title == "" || units(d.Title) > 45 || len(d.Components) == 0 || len(d.Components) > 5 {
		t.Fatalf("invalid modal: %+v", d)
	}
	for _, row := range d.Components {
		for _, it := range row.(discordgo.ActionsRow).Components {
			ti := it.(discordgo.TextInput)
			if units(ti.Label) > 45 || units(ti.Value) > 4000 || (ti.MaxLength > 0 && units(ti.Value) > ti.MaxLength) {
				t.Errorf("invalid text input %+v", ti)
			}
		}
	}
}

// modalValues returns a modal's prefilled values.
func modalValues(resp *discordgo.InteractionResponse) map[string]string {
	out := map[string]string{}
	for _, row := range resp.Data.Components {
		for _, it := range row.(discordgo.ActionsRow).Components {
			ti := it.(discordgo.TextInput)
			out[ti.CustomID] = ti.Value
		}
	}
	return out
}

func textOf(t *testing.T, resp *discordgo.InteractionResponse) string {
	w, _ := decode(t, resp)
	return w.text()
}

func buttonsOf(t *testing.T, resp *discordgo.InteractionResponse) []string {
	w, _ := decode(t, resp)
	return w.buttons()
}

var article = map[string]string{
	"title":      "Putin calls Kim before the Alaska summit",
	"summary":    "Vladimir Putin telephoned Kim Jong Un on Tuesday and thanked North Korea for its help.",
	"body":       "The timing underscores coordination before Friday's Alaska summit between Putin and Trump. At least 10,000 North Korean troops fight for Russia according to South Korean intelligence. Russia recaptured the Kursk region last year.",
	"source_url": "https://www.example.com/putin-kim",
	"topics":     "Alaska summit, Korea watch",
}

func TestCuration_AddPreviewPublish(t *testing.T) {
	t.Parallel()
	c := newCuration(t)
	form := c.handle(t, as(command("briefing", sub("add")), modID, modPerms))
	if form.Type != discordgo.InteractionResponseModal || form.Data.CustomID != "bf:add" {
		t.Fatalf("add did not open the form: %+v", form)
	}
	preview := c.handle(t, as(modal("bf:add", article), modID, modPerms))
	text := textOf(t, preview)
	for _, want := range []string{"Draft: Putin calls Kim", "South Korean intelligence", "Kim Jong Un", "[Publish]", "[Edit]", "[Discard]", "nobody else can see"} {
		if !strings.Contains(strings.ToLower(text), strings.ToLower(want)) {
			t.Errorf("preview lacks %q:\n%s", want, text)
		}
	}
	if w, _ := decode(t, preview); !w.ephemeral() {
		t.Error("the preview is public")
	}
	draft, err := c.lib.BriefingWithStatus(context.Background(), guild, "putin-calls-kim-before-the-alaska-summit", briefings.StatusDraft)
	if err != nil {
		t.Fatal(err)
	}
	var friday, lastYear bool
	for _, e := range draft.Events {
		friday = friday || e.Date.String() == "2025-08-29"
		lastYear = lastYear || e.Date.String() == "2024"
	}
	if !friday || !lastYear {
		t.Errorf("candidate events=%+v, want the Friday nearest Monday 1 September 2025 and 2024", draft.Events)
	}
	if _, err := c.lib.Briefing(context.Background(), guild, draft.Slug); err == nil {
		t.Fatal("readers see the draft")
	}
	btns := buttonsOf(t, preview)
	if len(btns) != 5 {
		t.Fatalf("buttons=%v", btns)
	}
	// A reader pressing a forged Publish button is refused.
	if got := textOf(t, c.handle(t, as(button(btns[0]), readerX, 0))); !strings.Contains(got, "Only moderators") {
		t.Errorf("a reader published: %s", got)
	}
	// The same button pressed from another guild finds nothing.
	other := as(button(btns[0]), modID, modPerms)
	other.GuildID = otherGuild
	if got := textOf(t, c.handle(t, other)); !strings.Contains(got, "no such briefing") {
		t.Errorf("another guild published: %s", got)
	}
	pub := c.handle(t, as(button(btns[0]), modID, modPerms))
	if pub.Type != discordgo.InteractionResponseUpdateMessage || !strings.Contains(textOf(t, pub), "Published") {
		t.Fatalf("publish=%s", textOf(t, pub))
	}
	if _, err := c.lib.Briefing(context.Background(), guild, draft.Slug); err != nil {
		t.Fatalf("published briefing not visible: %v", err)
	}
	if _, err := c.lib.Briefing(context.Background(), otherGuild, draft.Slug); err == nil {
		t.Error("another guild sees g1's briefing")
	}
	log, _ := c.lib.AuditLog(context.Background(), guild, 5)
	if len(log) != 2 || log[0].Action != briefings.AuditPublish || log[0].UserID != modID {
		t.Errorf("audit=%+v", log)
	}
}

func TestCuration_InvalidFormKeepsTheText(t *testing.T) {
	t.Parallel()
	c := newCuration(t)
	bad := map[string]string{"body": "An article I took time to paste. It says a lot.", "title": "Ok title", "published": "2025-08-12",
		"source": "Nope Weekly ftp://nope", "topics": ""}
	resp := c.handle(t, as(modal("bf:add", bad), modID, modPerms))
	text := textOf(t, resp)
	if !strings.Contains(text, "Source link:") || !strings.Contains(text, "Topics: required") {
		t.Fatalf("errors not listed: %s", text)
	}
	btns := buttonsOf(t, resp)
	if len(btns) != 1 || !strings.HasPrefix(btns[0], "bretry:") {
		t.Fatalf("no Try again button: %v", btns)
	}
	if got := textOf(t, c.handle(t, as(button(btns[0]), readerX, modPerms))); !strings.Contains(got, "someone else's") {
		t.Errorf("another moderator reopened the form: %s", got)
	}
	again := c.handle(t, as(button(btns[0]), modID, modPerms))
	if again.Type != discordgo.InteractionResponseModal || modalValues(again)["body"] != bad["body"] || modalValues(again)["source"] != bad["source"] ||
		modalValues(again)["published"] != bad["published"] {
		t.Fatalf("reopened form lost the text: %+v", modalValues(again))
	}
}

func TestCuration_EditsCorrectionsRetraction(t *testing.T) {
	t.Parallel()
	c := newCuration(t)
	ctx := context.Background()
	// markup-stress is g1's own briefing.
	form := c.handle(t, as(command("briefing", sub("edit", opt("briefing", "markup-stress"))), modID, modPerms))
	if form.Type != discordgo.InteractionResponseModal || !strings.HasPrefix(form.Data.CustomID, "bf:edit:") {
		t.Fatalf("edit form=%+v", form)
	}
	values := modalValues(form)
	values["summary"] = "A calmer summary."
	// A second moderator changes a fact first: the form's edit is stale.
	if got := textOf(t, c.handle(t, as(command("briefing", sub("fact", sub("remove", opt("briefing", "markup-stress"), intOpt("number", 100)))), "202", modPerms))); !strings.Contains(got, "Removed fact 100") {
		t.Fatalf("fact remove: %s", got)
	}
	stale := c.handle(t, as(modal(form.Data.CustomID, values), modID, modPerms))
	if got := textOf(t, stale); !strings.Contains(got, "changed this briefing after you started") || !strings.Contains(got, `facts\[100\]`) {
		t.Fatalf("stale edit not refused with what changed: %s", got)
	}
	if b, _ := c.lib.Briefing(ctx, guild, "markup-stress"); b.Summary == "A calmer summary." {
		t.Fatal("the stale edit was saved")
	}
	retry := c.handle(t, as(button(buttonsOf(t, stale)[0]), modID, modPerms))
	saved := c.handle(t, as(modal(retry.Data.CustomID, modalValues(retry)), modID, modPerms))
	if got := textOf(t, saved); !strings.Contains(got, "version 3") {
		t.Fatalf("edit over the current version: %s", got)
	}

	steps := []struct {
		i    *discordgo.Interaction
		want string
	}{
		{command("briefing", sub("fact", sub("add", opt("briefing", "markup-stress"), opt("text", "Calm returned."), opt("attribution", "Stress Wire")))), "Added fact 100"},
		{command("briefing", sub("fact", sub("edit", opt("briefing", "markup-stress"), intOpt("number", 100), opt("text", "Calm returned at last.")))), "Changed fact 100"},
		{command("briefing", sub("fact", sub("edit", opt("briefing", "markup-stress"), intOpt("number", 500)))), "pick a number from 1 to 100"},
		{command("briefing", sub("correct", opt("briefing", "markup-stress"), opt("text", "The date was wrong."))), "Added the correction"},
		{command("briefing", sub("actor", sub("edit", opt("name", "Stress @everyone"), opt("aliases", "Stressors"), opt("description", "A test group.")))), "Aliases: Stressors"},
		{command("briefing", sub("event", sub("edit", opt("name", "Stress **event**"), opt("date", "2024-03-05"), opt("end", "-")))), "5 March 2024"},
		{command("briefing", sub("history", opt("briefing", "markup-stress"))), "corrections"},
		{command("briefing", sub("retract", opt("briefing", "markup-stress"), opt("reason", "Fabricated."))), "Retracted"},
		{command("briefing", sub("retract", opt("briefing", "markup-stress"), opt("reason", "Again."))), "not published"},
	}
	for _, s := range steps {
		if got := textOf(t, c.handle(t, as(s.i, modID, modPerms))); !strings.Contains(got, s.want) {
			t.Errorf("%s: want %q in\n%s", commandLine(s.i), s.want, got)
		}
	}
	if _, err := c.lib.Briefing(ctx, guild, "markup-stress"); err == nil {
		t.Error("the retracted briefing still answers")
	}
	notices, _ := c.lib.Notices(ctx, guild, clock.Add(-1))
	if len(notices) != 2 || notices[0].Action != briefings.AuditCorrect || notices[1].Text != "Fabricated." {
		t.Errorf("notices=%+v", notices)
	}
}

func TestCuration_Permissions(t *testing.T) {
	t.Parallel()
	c := newCuration(t)
	for _, tc := range []struct {
		name string
		i    *discordgo.Interaction
		want string
	}{
		{"CraftedWithoutPermissions", as(command("briefing", sub("retract", opt("briefing", "markup-stress"), opt("reason", "x"))), readerX, 0), "Only moderators"},
		{"GlobalByModerator", as(command("briefing", sub("correct", opt("briefing", "arctic-shipping-01"), opt("text", "x"))), modID, modPerms), "only the bot's operators"},
		{"SampleByModerator", as(command("briefing", sub("edit", opt("briefing", "putin-kim-call-2025-08-12"))), modID, modPerms), "only the bot's operators"},
		{"OtherGuildsBriefing", as(command("briefing", sub("edit", opt("briefing", "zanzibar-ferry"))), modID, modPerms), "there is no briefing titled or with the slug"},
		{"ForgedEditForm", as(modal("bf:edit:99999:1", article), modID, modPerms), "no longer exists"},
		{"SettingsByModerator", as(command("settings", opt("timezone", "Europe/Paris")), modID, modPerms), "Manage Server"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := textOf(t, c.handle(t, tc.i)); !strings.Contains(got, tc.want) {
				t.Errorf("want %q in %s", tc.want, got)
			}
		})
	}
	// The operator may edit the global sample; a moderator role works once set.
	if got := textOf(t, c.handle(t, as(command("briefing", sub("correct", opt("briefing", "putin-kim-call-2025-08-12"), opt("text", "Spelling."))), ownerID, 0))); !strings.Contains(got, "Added the correction") {
		t.Errorf("owner correction: %s", got)
	}
	if got := textOf(t, c.handle(t, as(command("settings", &discordgo.ApplicationCommandInteractionDataOption{Name: "moderator_role", Type: discordgo.ApplicationCommandOptionRole, Value: "777"}, opt("timezone", "Europe/Paris")), "300", discordgo.PermissionManageGuild))); !strings.Contains(got, "<@&777>") || !strings.Contains(got, "Europe/Paris") {
		t.Fatalf("settings: %s", got)
	}
	withRole := as(command("briefing", sub("history", opt("briefing", "markup-stress"))), readerX, 0)
	withRole.Member.Roles = []string{"777"}
	if got := textOf(t, c.handle(t, withRole)); !strings.Contains(got, "History of") {
		t.Errorf("moderator role refused: %s", got)
	}
}

func TestCuration_ImportExport(t *testing.T) {
	t.Parallel()
	c := newCuration(t)
	ctx := context.Background()
	c.files["bad"] = "slug: ok-one\ntitle: One\nsummary: s\npublished: 2025-08-01\ntopics: [t]\n---\nslug: bad-two\ntitle: Two\npublished: nope\ntopics: [t]\n"
	attach := func(id string) *discordgo.Interaction {
		return as(command("briefing", sub("import", &discordgo.ApplicationCommandInteractionDataOption{Name: "file", Type: discordgo.ApplicationCommandOptionAttachment, Value: id})), modID, modPerms)
	}
	if got := textOf(t, c.handle(t, attach("bad"))); !strings.Contains(got, "Nothing was imported") || !strings.Contains(got, "published") {
		t.Fatalf("bad import: %s", got)
	}
	if _, err := c.lib.BriefingWithStatus(ctx, guild, "ok-one"); err == nil {
		t.Fatal("a bad file wrote its good briefing")
	}
	export := c.handle(t, as(command("briefing", sub("export")), modID, modPerms))
	if len(export.Data.Files) != 1 || !strings.HasSuffix(export.Data.Files[0].Name, ".yaml") {
		t.Fatalf("export files=%+v", export.Data.Files)
	}
	var buf strings.Builder
	if _, err := fmt.Fprint(&buf, readAll(t, export.Data.Files[0])); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "markup-stress") || strings.Contains(buf.String(), "zanzibar") || strings.Contains(buf.String(), "putin-kim-call") {
		t.Errorf("export holds other libraries:\n%.300s", buf.String())
	}
	c.files["good"] = strings.Replace(buf.String(), "slug: markup-stress", "slug: markup-stress-copy", 1)
	if got := textOf(t, c.handle(t, attach("good"))); !strings.Contains(got, "1 created") {
		t.Fatalf("good import: %s", got)
	}
	if _, err := c.lib.Briefing(ctx, guild, "markup-stress-copy"); err != nil {
		t.Fatal(err)
	}
}

func readAll(t *testing.T, f *discordgo.File) string {
	data, err := io.ReadAll(f.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func commandLine(i *discordgo.Interaction) string {
	raw, _ := json.Marshal(i.Data)
	return string(raw)
}

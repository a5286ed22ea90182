package bot_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"briefbot/bot/discord"
	"briefbot/bot/discordtest"
	"briefbot/commands"
	"briefbot/db"

	"briefbot/internal/testlib"
	"github.com/bwmarrin/discordgo"
)

// TestGateway_CurateAddPreviewPublish runs /briefing add through the fake
// Discord: the form, the private preview, a refused press by a member
// without permissions, and the publish.
func TestGateway_CurateAddPreviewPublish(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		fake := discordtest.New(t, discordtest.Token(testToken))
		lib := backend.OpenLibrary(t)
		router := commands.New(lib, commands.Options{Curator: lib})
		rg := startGateway(t, fake, &discord.Gateway{Router: router})

		mod := func(i *discordgo.Interaction) *discordgo.Interaction {
			i.Member.Permissions |= discordgo.PermissionManageMessages
			return i
		}
		_, form := rg.ask(t, mod(discordtest.Command("briefing", discordtest.SubCommand("add"))))
		if form.Type != discordgo.InteractionResponseModal {
			t.Fatalf("add answered %v, want the form", form.Type)
		}
		_, preview := rg.ask(t, mod(discordtest.ModalSubmit("bf:add",
			discordtest.Field("title", "Grain corridor reopens"),
			discordtest.Field("summary", "Ships left Odesa on Friday, according to the port authority."),
			discordtest.Field("source_url", "https://example.com/grain"),
			discordtest.Field("topics", "Black Sea"))))
		text := responseText(preview)
		if !strings.Contains(text, "Draft: Grain corridor reopens") || !strings.Contains(text, "port authority") {
			t.Fatalf("preview=%s", text)
		}
		var publish string
		for _, b := range buttons(preview.Data.Components) {
			if b.Label == "Publish" {
				publish = b.CustomID
			}
		}
		_, refused := rg.ask(t, discordtest.Button(publish))
		if !strings.Contains(responseText(refused), "Only moderators") {
			t.Fatalf("a member without permissions published: %s", responseText(refused))
		}
		_, done := rg.ask(t, mod(discordtest.Button(publish)))
		if !strings.Contains(responseText(done), "Published") {
			t.Fatalf("publish=%s", responseText(done))
		}
		_, brief := rg.ask(t, discordtest.Command("brief", discordtest.String("topic", "black-sea")))
		if !strings.Contains(responseText(brief), "Grain corridor reopens") {
			t.Errorf("/brief does not show the published briefing: %s", responseText(brief))
		}
		fake.RequireNoViolations(t)
	})
}

// curateGateway is the bot on the fake Discord with moderation on, over the
// sample library in a store of a backend, downloading attachments from a fake CDN.
type curateGateway struct {
	rg  *runningGateway
	lib *db.DB
	cdn *discordtest.CDN
}

func startCurateGateway(t *testing.T, b testlib.Backend) *curateGateway {
	t.Helper()
	fake := discordtest.New(t, discordtest.Token(testToken))
	cdn := discordtest.NewCDN(t)
	router, lib := b.CurateRouter(t, &discord.AttachmentFetcher{Client: cdn.Client(), Hosts: []string{cdn.Host()}})
	t.Cleanup(func() { fake.RequireNoViolations(t) })
	return &curateGateway{rg: startGateway(t, fake, &discord.Gateway{Router: router}), lib: lib, cdn: cdn}
}

// from makes i come from user in guild with these permissions and roles.
func from(i *discordgo.Interaction, guild, user string, perms int64, roles ...string) *discordgo.Interaction {
	i.GuildID = guild
	i.Member.GuildID, i.Member.User.ID, i.Member.Permissions, i.Member.Roles = guild, user, perms, append([]string{}, roles...)
	i.AuthorizingIntegrationOwners[discordgo.ApplicationIntegrationGuildInstall] = guild
	return i
}

// say sends i and returns what the user reads in the answer, with
// Markdown's escaping backslashes removed as Discord shows it.
func (g *curateGateway) say(t *testing.T, i *discordgo.Interaction) string {
	t.Helper()
	_, resp := g.rg.ask(t, i)
	return strings.ReplaceAll(responseText(resp), `\`, "")
}

// mod sends i as moderator testlib.ModA of guild A.
func (g *curateGateway) mod(t *testing.T, i *discordgo.Interaction) string {
	t.Helper()
	return g.say(t, from(i, testlib.GuildA, testlib.ModA, discordgo.PermissionManageMessages))
}

// importFile attaches a file to /briefing import.
func (g *curateGateway) importFile(name string, content []byte) *discordgo.Interaction {
	a := g.cdn.AddAttachment(name, content)
	return discordtest.Resolve(discordtest.Command("briefing", discordtest.SubCommand("import", discordtest.Attachment("file", a))), a)
}

func briefingCmd(sub string, opts ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.Interaction {
	return discordtest.Command("briefing", discordtest.SubCommand(sub, opts...))
}

func factCmd(sub string, opts ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.Interaction {
	return discordtest.Command("briefing", discordtest.SubCommandGroup("fact", discordtest.SubCommand(sub, opts...)))
}

// formFields reads a modal's text inputs, as the fake decoded them.
func formFields(resp *discordgo.InteractionResponse) map[string]string {
	out := map[string]string{}
	var walk func(cs []discordgo.MessageComponent)
	walk = func(cs []discordgo.MessageComponent) {
		for _, c := range cs {
			switch c := c.(type) {
			case discordgo.ActionsRow:
				walk(c.Components)
			case *discordgo.ActionsRow:
				walk(c.Components)
			case discordgo.TextInput:
				out[c.CustomID] = c.Value
			case *discordgo.TextInput:
				out[c.CustomID] = c.Value
			}
		}
	}
	if resp.Data != nil {
		walk(resp.Data.Components)
	}
	return out
}

// submit sends the modal back with values changed, each text input in its
// own action row as Discord sends them.
func submit(resp *discordgo.InteractionResponse, changes map[string]string) *discordgo.Interaction {
	values := formFields(resp)
	for k, v := range changes {
		values[k] = v
	}
	var fields []discordgo.MessageComponent
	for _, id := range []string{"url", "body", "title", "summary", "published", "source", "source_url", "topics"} {
		if v, ok := values[id]; ok {
			fields = append(fields, discordtest.Field(id, v))
		}
	}
	return discordtest.ModalSubmit(resp.Data.CustomID, fields...)
}

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "console", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

const odesa = "odesa-grain-ships-2025-08-10"

func TestGateway_CurateImportEditsRetraction(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		g := startCurateGateway(t, backend)
		before := testlib.AuditCount(t, g.lib, testlib.GuildA)
		if got := g.mod(t, g.importFile("curate_bad.yaml", readTestdata(t, "curate_bad.yaml"))); !strings.Contains(got, "Nothing was imported") ||
			!strings.Contains(got, "curate_bad.yaml:doc 2: titel: unknown field") || !strings.Contains(got, "doc 1: facts[1].attribution: required") {
			t.Errorf("bad import: %s", got)
		}
		gone := g.importFile("gone.yaml", []byte("x"))
		g.cdn.Remove(gone.ApplicationCommandData().Resolved.Attachments[gone.ApplicationCommandData().Options[0].Options[0].Value.(string)])
		if got := g.mod(t, gone); !strings.Contains(got, "Discord no longer has gone.yaml") {
			t.Errorf("expired attachment: %s", got)
		}
		if n := testlib.AuditCount(t, g.lib, testlib.GuildA); n != before {
			t.Fatalf("failed imports wrote %d audit entries", n-before)
		}
		if got := g.mod(t, g.importFile("curate_good.yaml", readTestdata(t, "curate_good.yaml"))); !strings.Contains(got, "Imported 1 briefing from curate_good.yaml: 1 created") {
			t.Fatalf("good import: %s", got)
		}

		// The edit form comes prefilled and goes back as legacy action rows.
		_, form := g.rg.ask(t, from(briefingCmd("edit", discordtest.String("briefing", odesa)), testlib.GuildA, testlib.ModA, discordgo.PermissionManageMessages))
		if form.Type != discordgo.InteractionResponseModal || formFields(form)["title"] != "Grain ships leave Odesa under a new corridor deal" {
			t.Fatalf("edit form: %+v", form.Data)
		}
		if got := g.mod(t, submit(form, map[string]string{"summary": "Three grain ships left Odesa on Sunday, the first under the deal."})); !strings.Contains(got, "Saved **"+odesa+"** as version 2") {
			t.Fatalf("edit submit: %s", got)
		}
		steps := []struct {
			i    *discordgo.Interaction
			want string
		}{
			{factCmd("add", discordtest.String("briefing", odesa), discordtest.String("text", "Insurers cover the ships."), discordtest.String("attribution", "Lloyd's")), "Added fact 3"},
			{factCmd("edit", discordtest.String("briefing", odesa), discordtest.Integer("number", 3), discordtest.String("text", "War-risk insurers cover the ships.")), "Changed fact 3"},
			{factCmd("remove", discordtest.String("briefing", odesa), discordtest.Integer("number", 2)), "Removed fact 2"},
			{libraryCmd("actor", "edit", discordtest.String("name", "Odesa port authority"), discordtest.String("aliases", "port of Odesa, Odesa port")), "Aliases: port of Odesa, Odesa port"},
			{libraryCmd("event", "edit", discordtest.String("name", "First corridor sailing"), discordtest.String("location", "Chornomorsk")), "Saved **First corridor sailing**"},
			{briefingCmd("correct", discordtest.String("briefing", odesa), discordtest.String("text", "Two ships left, not three.")), "Two ships left, not three."},
		}
		for _, s := range steps {
			if got := g.mod(t, s.i); !strings.Contains(got, s.want) {
				t.Errorf("%s: %s", describe(s.i), got)
			}
		}
		if got := g.say(t, from(discordtest.Command("brief", discordtest.String("topic", "black-sea")), testlib.GuildA, testlib.ReaderA, discordtest.MemberPermissions)); !strings.Contains(got, "Two ships left, not three.") {
			t.Errorf("/brief lacks the correction: %s", got)
		}
		if got := g.say(t, from(discordtest.Command("event", discordtest.String("name", "First corridor sailing")), testlib.GuildA, testlib.ReaderA, discordtest.MemberPermissions)); !strings.Contains(got, "Chornomorsk") {
			t.Errorf("the event edit did not last: %s", got)
		}
		if got := g.mod(t, briefingCmd("retract", discordtest.String("briefing", odesa), discordtest.String("reason", "Withdrawn by the port."))); !strings.Contains(got, "Retracted") {
			t.Fatalf("retract: %s", got)
		}
		for _, i := range []*discordgo.Interaction{
			discordtest.Command("brief", discordtest.String("topic", "black-sea")),
			discordtest.Command("search", discordtest.String("query", "insurers")),
			discordtest.Command("actor", discordtest.String("name", "Odesa port authority")),
		} {
			if got := g.say(t, from(i, testlib.GuildA, testlib.ReaderA, discordtest.MemberPermissions)); strings.Contains(got, "Three grain ships") || strings.Contains(got, "insurers cover") {
				t.Errorf("%s still shows the retracted briefing: %s", describe(i), got)
			}
		}
		got := g.mod(t, briefingCmd("history", discordtest.String("briefing", odesa)))
		for _, want := range []string{"**v9**", "status, retraction_reason", "**v8**", "· corrections\n", "**v7**", "· event edited: First corridor sailing\n",
			"**v6**", "· actor edited: Odesa port authority\n", "**v1**", "created", "retracted · 9 versions", "<@" + testlib.ModA + ">",
			"summary: “Three grain ships left Odesa on Sunday under a corridor deal, the port authority said.” → “Three grain ships left Odesa on Sunday, the first under the deal.”"} {
			if !strings.Contains(got, want) {
				t.Errorf("history lacks %q: %s", want, got)
			}
		}
	})
}

// A crafted payload without permissions (permissions "0", no moderator
// role) is refused by every /briefing subcommand, button and form; the
// server's moderator role, set with /settings, lets a member in.
func TestGateway_CuratePermissions(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		g := startCurateGateway(t, backend)
		g.mod(t, g.importFile("curate_good.yaml", readTestdata(t, "curate_good.yaml")))
		_, form := g.rg.ask(t, from(briefingCmd("add"), testlib.GuildA, testlib.ModA, discordgo.PermissionManageMessages))
		_, preview := g.rg.ask(t, from(submit(form, map[string]string{"title": "Ferry returns to Kherson",
			"summary": "A ferry crossed the Dnipro on Monday, officials said.", "topics": "Black Sea"}), testlib.GuildA, testlib.ModA, discordgo.PermissionManageMessages))
		var pressable []string
		for _, b := range buttons(preview.Data.Components) {
			pressable = append(pressable, b.CustomID)
		}
		if len(pressable) != 5 || !strings.HasPrefix(pressable[2], "bdet:") || !strings.HasPrefix(pressable[3], "bredraft:") {
			t.Fatalf("preview buttons: %v", pressable)
		}
		before := testlib.AuditCount(t, g.lib, testlib.GuildA)
		crafted := func(i *discordgo.Interaction) *discordgo.Interaction {
			return from(i, testlib.GuildA, testlib.ReaderA, 0)
		}
		all := []*discordgo.Interaction{
			briefingCmd("add"),
			briefingCmd("edit", discordtest.String("briefing", odesa)),
			factCmd("add", discordtest.String("briefing", odesa), discordtest.String("text", "x"), discordtest.String("attribution", "y")),
			factCmd("edit", discordtest.String("briefing", odesa), discordtest.Integer("number", 1), discordtest.String("text", "x")),
			factCmd("remove", discordtest.String("briefing", odesa), discordtest.Integer("number", 1)),
			libraryCmd("actor", "edit", discordtest.String("name", "Odesa port authority"), discordtest.String("description", "x")),
			libraryCmd("event", "edit", discordtest.String("name", "First corridor sailing"), discordtest.String("location", "x")),
			briefingCmd("correct", discordtest.String("briefing", odesa), discordtest.String("text", "x")),
			briefingCmd("retract", discordtest.String("briefing", odesa), discordtest.String("reason", "x")),
			briefingCmd("history", discordtest.String("briefing", odesa)),
			briefingCmd("redraft", discordtest.String("briefing", odesa)),
			discordtest.Button("bredraftok:" + strings.TrimPrefix(pressable[3], "bredraft:")),
			discordtest.Button("bredraftno:" + strings.TrimPrefix(pressable[3], "bredraft:")),
			g.importFile("curate_good.yaml", readTestdata(t, "curate_good.yaml")),
			briefingCmd("export"),
			submit(form, map[string]string{"title": "Hijacked", "summary": "x", "topics": "x"}),
			discordtest.ModalSubmit("bf:details:"+strings.TrimPrefix(pressable[2], "bdet:"),
				discordtest.Field("published", "2025-01-01"), discordtest.Field("topics", "Hijacked")),
		}
		for _, id := range pressable {
			all = append(all, discordtest.Button(id))
		}
		for _, i := range all {
			if got := g.say(t, crafted(i)); !strings.Contains(got, "Only moderators can change briefings") {
				t.Errorf("%s without permissions: %s", describe(i), got)
			}
		}
		if n := testlib.AuditCount(t, g.lib, testlib.GuildA); n != before {
			t.Errorf("refused interactions wrote %d audit entries", n-before)
		}

		const role = "400000000000000001"
		setRole := discordtest.Command("settings", &discordgo.ApplicationCommandInteractionDataOption{Name: "moderator_role", Type: discordgo.ApplicationCommandOptionRole, Value: role})
		g.say(t, from(setRole, testlib.GuildA, testlib.ModA, discordgo.PermissionManageGuild))
		if got := g.say(t, from(briefingCmd("history", discordtest.String("briefing", odesa)), testlib.GuildA, testlib.ReaderA, 0, role)); !strings.Contains(got, "History of") {
			t.Errorf("a member with the moderator role: %s", got)
		}
	})
}

// Guild B neither sees nor edits guild A's briefing, even with forged
// custom IDs; the global library is the operators' alone.
func TestGateway_CurateIsolationAndOwners(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		g := startCurateGateway(t, backend)
		g.mod(t, g.importFile("curate_good.yaml", readTestdata(t, "curate_good.yaml")))
		b, err := g.lib.BriefingWithStatus(context.Background(), testlib.GuildA, odesa)
		if err != nil {
			t.Fatal(err)
		}
		target := strconv.FormatInt(b.ID, 10) + ":" + strconv.Itoa(b.Version)
		modB := func(i *discordgo.Interaction) *discordgo.Interaction {
			return from(i, testlib.GuildB, testlib.ModA2, discordgo.PermissionManageMessages)
		}
		for _, tt := range []struct {
			i    *discordgo.Interaction
			want string
		}{
			{briefingCmd("edit", discordtest.String("briefing", odesa)), "there is no briefing titled or with the slug"},
			{briefingCmd("retract", discordtest.String("briefing", odesa), discordtest.String("reason", "x")), "there is no briefing titled or with the slug"},
			{discordtest.Button("bpub:" + target), "There is no such briefing in this server"},
			{discordtest.Button("bedit:" + target), "There is no such briefing in this server"},
			{discordtest.ModalSubmit("bf:edit:"+target, discordtest.Field("title", "Forged"), discordtest.Field("summary", "x"), discordtest.Field("topics", "x")), "There is no such briefing in this server"},
			{discordtest.Command("brief", discordtest.String("topic", "black-sea")), "I don't know a topic called “black-sea”"},
		} {
			if got := g.say(t, modB(tt.i)); !strings.Contains(got, tt.want) || strings.Contains(got, "Grain ships leave Odesa") || strings.Contains(got, "Black Sea") {
				t.Errorf("%s from guild B: %s", describe(tt.i), got)
			}
		}
		if after, _ := g.lib.EditableBriefing(context.Background(), b.ID); after.Version != b.Version || after.Title != b.Title {
			t.Errorf("guild B changed guild A's briefing: %+v", after)
		}

		addFact := factCmd("add", discordtest.String("briefing", "putin-kim-call-2025-08-12"),
			discordtest.String("text", "The call lasted about an hour."), discordtest.String("attribution", "Kremlin"))
		if got := g.mod(t, addFact); !strings.Contains(got, "only the bot's operators can change") {
			t.Errorf("a moderator edited the global library: %s", got)
		}
		addFact = factCmd("add", discordtest.String("briefing", "putin-kim-call-2025-08-12"),
			discordtest.String("text", "The call lasted about an hour."), discordtest.String("attribution", "Kremlin"))
		if got := g.say(t, from(addFact, testlib.GuildB, testlib.OwnerUser, 0)); !strings.Contains(got, "Added fact") {
			t.Errorf("an operator could not edit the global library: %s", got)
		}
	})
}

// Two moderators open the edit form at version 1; the second submit is
// refused saying what changed, and Try again reopens it with their text.
func TestGateway_CurateStaleEdit(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		g := startCurateGateway(t, backend)
		g.mod(t, g.importFile("curate_good.yaml", readTestdata(t, "curate_good.yaml")))
		open := func(user string) *discordgo.InteractionResponse {
			_, form := g.rg.ask(t, from(briefingCmd("edit", discordtest.String("briefing", odesa)), testlib.GuildA, user, discordgo.PermissionManageMessages))
			return form
		}
		first, second := open(testlib.ModA), open(testlib.ModA2)
		if got := g.say(t, from(submit(first, map[string]string{"summary": "Three ships left on Sunday."}), testlib.GuildA, testlib.ModA, discordgo.PermissionManageMessages)); !strings.Contains(got, "as version 2") {
			t.Fatalf("first save: %s", got)
		}
		_, refused := g.rg.ask(t, from(submit(second, map[string]string{"title": "Grain ships sail from Odesa again"}), testlib.GuildA, testlib.ModA2, discordgo.PermissionManageMessages))
		got := strings.ReplaceAll(responseText(refused), `\`, "")
		for _, want := range []string{"you had version 1; it is now at version 2", "version 2 by <@" + testlib.ModA + ">", ": summary", "[Try again]"} {
			if !strings.Contains(got, want) {
				t.Errorf("stale submit lacks %q: %s", want, got)
			}
		}
		retry := buttons(refused.Data.Components)
		if len(retry) != 1 {
			t.Fatalf("buttons: %+v", retry)
		}
		_, reopened := g.rg.ask(t, from(discordtest.Button(retry[0].CustomID), testlib.GuildA, testlib.ModA2, discordgo.PermissionManageMessages))
		if v := formFields(reopened); v["title"] != "Grain ships sail from Odesa again" || !strings.HasSuffix(reopened.Data.CustomID, ":2") {
			t.Fatalf("Try again: %s %v", reopened.Data.CustomID, v)
		}
		if got := g.say(t, from(submit(reopened, nil), testlib.GuildA, testlib.ModA2, discordgo.PermissionManageMessages)); !strings.Contains(got, "as version 3") {
			t.Errorf("retried save: %s", got)
		}
	})
}

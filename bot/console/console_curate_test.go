package console_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"briefbot/bot/console"
	"briefbot/bot/discord"
	"briefbot/briefings"

	"briefbot/internal/testlib"
	"github.com/bwmarrin/discordgo"
)

const curateScript = `# A moderator writes a briefing, previews it and publishes it
/briefing add
body: Ships left Odesa on Friday, according to the port authority. The port handled 1.2 million tonnes last year.
title: Grain corridor reopens
source: https://example.com/grain
topics: Black Sea
submit
press 1
/brief topic:black-sea
# Edits through the form and the fact commands
/briefing edit briefing:grain-corridor-reopens
summary: Ships left Odesa on Friday, the port authority said, the first since the corridor closed.
submit
/briefing fact add briefing:grain-corridor-reopens text:The corridor hugs the western Black Sea coast. attribution:Ukrainian navy
/briefing fact edit briefing:grain-corridor-reopens number:1 attribution:Odesa port authority
/briefing fact remove briefing:grain-corridor-reopens number:2
# Imports: a bad file writes nothing, a good one is saved whole
/briefing import file:testdata/console/curate_bad.yaml
/brief topic:black-sea
/briefing import file:testdata/console/curate_good.yaml
/briefing actor edit name:Odesa port authority aliases:port of Odesa, Odesa port description:The authority that runs the port of Odesa.
/briefing event edit name:First corridor sailing end:2025-08-11 location:Odesa and Chornomorsk
# Corrections and retractions
/briefing correct briefing:odesa-grain-ships-2025-08-10 text:Two ships left on 10 August, not three.
/brief topic:black-sea
/search query:wheat
/actor name:port of Odesa
/event name:First corridor sailing
/briefing retract briefing:odesa-grain-ships-2025-08-10 reason:The port authority withdrew its statement.
/brief topic:black-sea
/search query:wheat
/actor name:Odesa port authority
/briefing history briefing:odesa-grain-ships-2025-08-10
# The global library is the operators'
/briefing fact add briefing:putin-kim-call-2025-08-12 text:Nothing. attribution:Nobody
/briefing actor edit name:Kim Jong Un description:Changed.
`

func TestConsole_CurateTour(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		router, lib := backend.CurateRouter(t, discord.LocalFiles{})
		got := testlib.RunScript(t, router, console.Options{GuildID: testlib.GuildA, UserID: testlib.ModA, Moderator: true}, curateScript)
		golden(t, "curate.transcript", got)

		sections := testlib.TranscriptSections(got)
		presses := pressSections(got)
		if len(presses) != 1 || !strings.Contains(presses[0], "Published grain-corridor-reopens (version 2)") {
			t.Errorf("pressing Publish on the preview: %q", presses)
		}
		for _, tt := range []struct {
			line string
			want []string
		}{
			{"submit", []string{"Here is your draft. Nobody else can see it", "[1] Publish  [2] Edit  [3] Date, source, topics  [4] Re-draft from text  [5] Discard", "— the port authority"}},
			{"/briefing edit briefing:grain-corridor-reopens", []string{"Form: Edit: Grain corridor reopens", "[now: Black Sea]"}},
			{"/briefing fact add briefing:grain-corridor-reopens text:The corridor hugs the western Black Sea coast. attribution:Ukrainian navy", []string{"Added fact 3", "version 4"}},
			{"/briefing fact edit briefing:grain-corridor-reopens number:1 attribution:Odesa port authority", []string{"Changed fact 1", "— Odesa port authority"}},
			{"/briefing fact remove briefing:grain-corridor-reopens number:2", []string{"Removed fact 2", "version 6"}},
			{"/briefing import file:testdata/console/curate_bad.yaml", []string{"Nothing was imported", "curate_bad.yaml:doc 1: facts[1].attribution: required", `curate_bad.yaml:doc 2: titel: unknown field "titel"`}},
			{"/briefing import file:testdata/console/curate_good.yaml", []string{"Imported 1 briefing from curate_good.yaml: 1 created"}},
			{"/briefing correct briefing:odesa-grain-ships-2025-08-10 text:Two ships left on 10 August, not three.", []string{"Corrections: 13 August 2025: Two ships left"}},
			{"/actor name:port of Odesa", []string{"The authority that runs the port of Odesa.", "port of Odesa, Odesa port", "Key facts: • Three grain ships"}},
			{"/event name:First corridor sailing", []string{"Until: 11 August 2025", "Where: Odesa and Chornomorsk"}},
			{"/briefing retract briefing:odesa-grain-ships-2025-08-10 reason:The port authority withdrew its statement.", []string{"Retracted", "version 5"}},
			// only the retracted briefing mentioned the port authority
			{"/actor name:Odesa port authority", []string{"I don't know an actor called “Odesa port authority”."}},
			{"/briefing history briefing:odesa-grain-ships-2025-08-10", []string{"v5 ·", "status, retraction_reason", "v4 ·", "· corrections\n", "v3 · 13 August 2025 09:00 UTC · @user:" + testlib.ModA + " · event edited: First corridor sailing",
				"v2 ·", "actor edited: Odesa port authority", "v1 ·", "created", "retracted · 5 versions"}},
			{"/briefing actor edit name:Kim Jong Un description:Changed.", []string{"only the bot's operators can change"}},
		} {
			sec := sections[tt.line]
			for _, w := range tt.want {
				if !strings.Contains(sec, w) {
					t.Errorf("output of %q lacks %q:\n%s", tt.line, w, sec)
				}
			}
		}
		// The retracted briefing left the answers; the history keeps it.
		for line, absent := range map[string]string{
			"/brief topic:black-sea":           "Grain ships leave Odesa", // the last /brief, after the retraction
			"/search query:wheat":              "90,000 tonnes",
			"/actor name:Odesa port authority": "The authority that runs the port of Odesa.",
			"/briefing fact add briefing:putin-kim-call-2025-08-12 text:Nothing. attribution:Nobody": "now at version",
		} {
			if sec := lastSection(got, line); strings.Contains(sec, absent) {
				t.Errorf("output of %q still shows %q:\n%s", line, absent, sec)
			}
		}
		for _, slug := range []string{"kherson-ferry-2025-08-11"} {
			if _, err := lib.BriefingWithStatus(context.Background(), testlib.GuildA, slug); briefings.ErrorCode(err) != briefings.ENOTFOUND {
				t.Errorf("the bad import wrote %s: %v", slug, err)
			}
		}
		es, err := lib.AuditLog(context.Background(), testlib.GuildA, 100)
		if err != nil {
			t.Fatal(err)
		}
		actions := map[briefings.AuditAction]int{}
		for _, e := range es {
			if e.UserID != testlib.ModA {
				t.Errorf("audit entry %+v is not by the moderator", e)
			}
			actions[e.Action]++
		}
		for _, a := range []briefings.AuditAction{briefings.AuditDraft, briefings.AuditPublish, briefings.AuditEdit, briefings.AuditFactAdd,
			briefings.AuditFactEdit, briefings.AuditFactRemove, briefings.AuditImport, briefings.AuditActorEdit, briefings.AuditEventEdit,
			briefings.AuditCorrect, briefings.AuditRetract} {
			if actions[a] != 1 {
				t.Errorf("audit log has %d %s entries, want 1 (all: %v)", actions[a], a, actions)
			}
		}
	})
}

// lastSection is the output of the last time line was typed.
func lastSection(transcript, line string) string {
	i := strings.LastIndex(transcript, "> "+line+"\n")
	if i < 0 {
		return ""
	}
	rest := transcript[i+len(line)+3:]
	if j := strings.Index(rest, "\n> "); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

// A console without --moderator is refused every /briefing subcommand and
// every button and form of a moderator's preview; nothing is written.
func TestConsole_CurateRefusesNonModerators(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		router, lib := backend.CurateRouter(t, discord.LocalFiles{})
		mod := testlib.NewConsoleUser(router, testlib.GuildA, testlib.ModA, true)
		mod.Run("/briefing import file:testdata/console/curate_good.yaml", "/briefing add", "title: Ferry returns to Kherson",
			"body: A ferry crossed the Dnipro on Monday, officials said.", "topics: Black Sea", "submit")
		draft, err := lib.BriefingWithStatus(context.Background(), testlib.GuildA, "ferry-returns-to-kherson", briefings.StatusDraft)
		if err != nil {
			t.Fatalf("the moderator's draft: %v", err)
		}
		before := testlib.AuditCount(t, lib, testlib.GuildA)

		reader := testlib.NewConsoleUser(router, testlib.GuildA, testlib.ReaderA, false)
		const slug = "odesa-grain-ships-2025-08-10"
		for _, line := range []string{
			"/briefing add",
			"/briefing edit briefing:" + slug,
			"/briefing fact add briefing:" + slug + " text:x attribution:y",
			"/briefing fact edit briefing:" + slug + " number:1 text:x",
			"/briefing fact remove briefing:" + slug + " number:1",
			"/briefing actor edit name:Odesa port authority description:x",
			"/briefing event edit name:First corridor sailing location:x",
			"/briefing correct briefing:" + slug + " text:x",
			"/briefing retract briefing:" + slug + " reason:x",
			"/briefing history briefing:" + slug,
			"/briefing import file:testdata/console/curate_good.yaml",
			"/briefing export",
		} {
			if out := reader.Run(line); !strings.Contains(out, "Only moderators can change briefings") {
				t.Errorf("%s by a member without permissions:\n%s", line, out)
			}
		}
		id, v := strconv.FormatInt(draft.ID, 10), strconv.Itoa(draft.Version)
		for _, customID := range []string{"bpub:" + id + ":" + v, "bdis:" + id + ":" + v, "bedit:" + id + ":" + v} {
			showButton(reader.C, customID)
			if out := reader.Run("press 1"); !strings.Contains(out, "Only moderators") {
				t.Errorf("pressing %s without permissions:\n%s", customID, out)
			}
		}
		for _, customID := range []string{"bf:add", "bf:edit:" + id + ":" + v} {
			console.ConsoleShow(reader.C, formResponse(customID))
			if out := reader.Run("title: Hijacked", "summary: x", "topics: x", "submit"); !strings.Contains(out, "Only moderators") {
				t.Errorf("submitting %s without permissions:\n%s", customID, out)
			}
		}
		if after := testlib.AuditCount(t, lib, testlib.GuildA); after != before {
			t.Errorf("refused members wrote %d audit entries", after-before)
		}
		if b, err := lib.EditableBriefing(context.Background(), draft.ID); err != nil || b.Status != briefings.StatusDraft || b.Title != "Ferry returns to Kherson" {
			t.Errorf("the draft changed: %+v %v", b, err)
		}
	})
}

// showButton puts a message with one button on c's screen, as if a
// message carrying it had been shown.
func showButton(c *console.Console, customID string) {
	console.ConsoleShow(c, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: "A message", Components: []discordgo.MessageComponent{
			discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.Button{Label: "Go", Style: discordgo.PrimaryButton, CustomID: customID}}},
		}}})
}

// formResponse is the briefing form with a custom ID of the test's choice.
func formResponse(customID string) *discordgo.InteractionResponse {
	input := func(id string) discordgo.MessageComponent {
		return discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.TextInput{CustomID: id, Label: id, Style: discordgo.TextInputShort}}}
	}
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseModal, Data: &discordgo.InteractionResponseData{
		CustomID: customID, Title: "Form", Components: []discordgo.MessageComponent{input("title"), input("summary"), input("topics")}}}
}

// Two moderators open the edit form at the same version; the second
// submit is refused saying what changed, and Try again keeps their text.
func TestConsole_CurateStaleEdit(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		router, lib := backend.CurateRouter(t, discord.LocalFiles{})
		first := testlib.NewConsoleUser(router, testlib.GuildA, testlib.ModA, true)
		second := testlib.NewConsoleUser(router, testlib.GuildA, testlib.ModA2, true)
		first.Run("/briefing import file:testdata/console/curate_good.yaml")
		const edit = "/briefing edit briefing:odesa-grain-ships-2025-08-10"
		first.Run(edit)
		second.Run(edit)
		if out := first.Run("summary: Three ships left Odesa on Sunday.", "submit"); !strings.Contains(out, "as version 2") {
			t.Fatalf("the first save:\n%s", out)
		}
		out := second.Run("title: Grain ships sail from Odesa again", "submit")
		for _, want := range []string{"Someone changed this briefing after you started editing (you had version 1; it is now at version 2)",
			"version 2 by @user:" + testlib.ModA, "summary", "[1] Try again"} {
			if !strings.Contains(out, want) {
				t.Errorf("the stale submit lacks %q:\n%s", want, out)
			}
		}
		b, err := lib.BriefingWithStatus(context.Background(), testlib.GuildA, "odesa-grain-ships-2025-08-10")
		if err != nil || b.Title != "Grain ships leave Odesa under a new corridor deal" || b.Summary != "Three ships left Odesa on Sunday." {
			t.Fatalf("the stale edit was saved: %+v %v", b, err)
		}
		out = second.Run("press 1")
		if !strings.Contains(out, "[now: Grain ships sail from Odesa again]") {
			t.Fatalf("Try again lost the typed title:\n%s", out)
		}
		if out := second.Run("submit"); !strings.Contains(out, "as version 3") {
			t.Fatalf("the retried edit:\n%s", out)
		}
	})
}

// A moderator of guild B sees nothing of guild A and cannot edit it, even
// with a forged custom ID carrying A's briefing ID; the operators may edit
// the global library from any guild.
func TestConsole_CurateIsolation(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		router, lib := backend.CurateRouter(t, discord.LocalFiles{})
		testlib.NewConsoleUser(router, testlib.GuildA, testlib.ModA, true).Run("/briefing import file:testdata/console/curate_good.yaml")
		b, err := lib.BriefingWithStatus(context.Background(), testlib.GuildA, "odesa-grain-ships-2025-08-10")
		if err != nil {
			t.Fatal(err)
		}
		other := testlib.NewConsoleUser(router, testlib.GuildB, testlib.ModA, true)
		for line, want := range map[string]string{
			"/brief topic:black-sea":                                           "I don't know a topic called “black-sea”",
			"/briefing edit briefing:odesa-grain-ships-2025-08-10":             "there is no briefing titled or with the slug",
			"/briefing retract briefing:odesa-grain-ships-2025-08-10 reason:x": "there is no briefing titled or with the slug",
			"/briefing actor edit name:Odesa port authority description:x":     "",
		} {
			out := other.Run(line)
			if strings.Contains(out, "Grain ships leave Odesa") || strings.Contains(out, "Black Sea") || strings.Contains(out, "Saved") || !strings.Contains(out, want) {
				t.Errorf("%s in guild B:\n%s", line, out)
			}
		}
		forged := "bf:edit:" + strconv.FormatInt(b.ID, 10) + ":" + strconv.Itoa(b.Version)
		console.ConsoleShow(other.C, formResponse(forged))
		if out := other.Run("title: Forged", "summary: x", "topics: x", "submit"); !strings.Contains(out, "There is no such briefing in this server") {
			t.Errorf("a forged form from guild B:\n%s", out)
		}
		showButton(other.C, "bedit:"+strconv.FormatInt(b.ID, 10)+":1")
		if out := other.Run("press 1"); !strings.Contains(out, "There is no such briefing in this server") {
			t.Errorf("a forged button from guild B:\n%s", out)
		}
		if after, _ := lib.EditableBriefing(context.Background(), b.ID); after.Version != b.Version {
			t.Errorf("guild B changed guild A's briefing to version %d", after.Version)
		}

		owner := testlib.NewConsoleUser(router, testlib.GuildB, testlib.OwnerUser, false)
		out := owner.Run("/briefing fact add briefing:putin-kim-call-2025-08-12 text:Putin and Kim spoke for about an hour. attribution:Kremlin")
		if !strings.Contains(out, "Added fact") {
			t.Errorf("an operator editing the global library:\n%s", out)
		}
		es, _ := lib.AuditLog(context.Background(), "", 10)
		if len(es) == 0 || es[0].UserID != testlib.OwnerUser || es[0].Action != briefings.AuditFactAdd {
			t.Errorf("the global library's audit log: %+v", es)
		}
	})
}

// An attachment option takes a local path: the command gets the file in
// its resolved data, as Discord sends attachments; a missing file is an
// error about the line.
func TestParseLine_Attachment(t *testing.T) {
	t.Parallel()
	router, _ := testlib.CurateRouter(t, discord.LocalFiles{})
	cl, err := console.ParseLine(router.Commands(), "/briefing import file:testdata/console/curate_good.yaml")
	if err != nil {
		t.Fatal(err)
	}
	opt := cl.Data.Options[0].Options[0]
	id, _ := opt.Value.(string)
	a := cl.Data.Resolved.Attachments[id]
	if opt.Type != discordgo.ApplicationCommandOptionAttachment || a == nil {
		t.Fatalf("option=%+v resolved=%+v", opt, cl.Data.Resolved)
	}
	if a.Filename != "curate_good.yaml" || a.Size == 0 || !strings.HasPrefix(a.URL, "file:///") || !strings.HasSuffix(a.URL, "/testdata/console/curate_good.yaml") {
		t.Errorf("attachment=%+v", a)
	}
	if _, err := console.ParseLine(router.Commands(), "/briefing import file:testdata/none.yaml"); err == nil || !strings.Contains(err.Error(), "option file: there is no file at") {
		t.Errorf("a missing file: %v", err)
	}
	if _, err := console.ParseLine(router.Commands(), "/briefing import file:testdata"); err == nil || !strings.Contains(err.Error(), "is a folder") {
		t.Errorf("a folder: %v", err)
	}
}

// The trial's scenario: moderator A opens the edit form at version 2,
// moderator B saves a new summary (version 3) and a fact (version 4), A
// submits a new title and is refused; Try again reopens the form on
// version 4 with B's summary and A's title, and saving it keeps both.
func TestConsole_CurateStaleEditKeepsOthersWork(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		router, lib := backend.CurateRouter(t, discord.LocalFiles{})
		a := testlib.NewConsoleUser(router, testlib.GuildA, testlib.ModA, true)
		b := testlib.NewConsoleUser(router, testlib.GuildA, testlib.ModA2, true)
		const slug = "odesa-grain-ships-2025-08-10"
		const edit = "/briefing edit briefing:" + slug
		a.Run("/briefing import file:testdata/console/curate_good.yaml")
		if out := a.Run(edit, "topics: Black Sea, Grain", "submit"); !strings.Contains(out, "as version 2") {
			t.Fatalf("version 2:\n%s", out)
		}
		a.Run(edit)
		b.Run(edit)
		if out := b.Run("summary: B's summary: three ships left on Sunday.", "submit"); !strings.Contains(out, "as version 3") {
			t.Fatalf("B's summary:\n%s", out)
		}
		if out := b.Run("/briefing fact add briefing:" + slug + " text:The corridor is insured. attribution:Test desk"); !strings.Contains(out, "version 4") {
			t.Fatalf("B's fact:\n%s", out)
		}
		out := a.Run("title: A's new title for the grain ships", "submit")
		for _, want := range []string{"you had version 2; it is now at version 4", "version 3 by @user:" + testlib.ModA2, "summary",
			"reopen the form on version 4 with your changes (title) kept", "[1] Try again"} {
			if !strings.Contains(out, want) {
				t.Errorf("the stale submit lacks %q:\n%s", want, out)
			}
		}
		if strings.Contains(out, "changed by you and by someone else") {
			t.Errorf("a field only one of them changed is called a conflict:\n%s", out)
		}
		out = a.Run("press 1")
		for _, want := range []string{"[now: A's new title for the grain ships]", "[now: B's summary: three ships left on Sunday.]"} {
			if !strings.Contains(out, want) {
				t.Errorf("Try again's form lacks %q:\n%s", want, out)
			}
		}
		if out := a.Run("submit"); !strings.Contains(out, "as version 5") {
			t.Fatalf("the retried edit:\n%s", out)
		}
		got, err := lib.BriefingWithStatus(context.Background(), testlib.GuildA, slug)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != "A's new title for the grain ships" || got.Summary != "B's summary: three ships left on Sunday." ||
			strings.Join(got.Topics, ",") != "Black Sea,Grain" || len(got.Facts) != 3 {
			t.Fatalf("the retried edit undid B's work: title %q, summary %q, topics %v, %d facts", got.Title, got.Summary, got.Topics, len(got.Facts))
		}
	})
}

// When both moderators change the summary, the refusal shows both values,
// the reopened form keeps the typed one and marks the field, and the
// moderator's deliberate submit saves it.
func TestConsole_CurateStaleEditConflict(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		router, lib := backend.CurateRouter(t, discord.LocalFiles{})
		a := testlib.NewConsoleUser(router, testlib.GuildA, testlib.ModA, true)
		b := testlib.NewConsoleUser(router, testlib.GuildA, testlib.ModA2, true)
		const slug = "odesa-grain-ships-2025-08-10"
		const edit = "/briefing edit briefing:" + slug
		a.Run("/briefing import file:testdata/console/curate_good.yaml")
		a.Run(edit)
		b.Run(edit)
		b.Run("summary: B's summary.", "title: B's title", "submit")
		out := a.Run("summary: A's summary.", "submit")
		for _, want := range []string{"Summary was changed by you and by someone else", "Yours: “A's summary.”", "Version 2: “B's summary.”"} {
			if !strings.Contains(out, want) {
				t.Errorf("the conflict lacks %q:\n%s", want, out)
			}
		}
		out = a.Run("press 1")
		for _, want := range []string{"Summary (changed by both; see message)", "[now: A's summary.]", "[now: B's title]"} {
			if !strings.Contains(out, want) {
				t.Errorf("the reopened form lacks %q:\n%s", want, out)
			}
		}
		a.Run("submit")
		got, err := lib.BriefingWithStatus(context.Background(), testlib.GuildA, slug)
		if err != nil || got.Summary != "A's summary." || got.Title != "B's title" {
			t.Fatalf("after the conflict: %+v %v", got, err)
		}
	})
}

// /briefing drafts says to type a draft's title in /briefing edit: the
// briefing option takes a slug or a title (any case), offers the closest
// titles for part of one or a typo, lists the slugs when a title is
// shared, and finds nothing of another server's library.
func TestConsole_CurateBriefingByTitle(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		router, _ := backend.CurateRouter(t, discord.LocalFiles{})
		mod := testlib.NewConsoleUser(router, testlib.GuildA, testlib.ModA, true)
		mod.Run("/briefing import file:testdata/console/curate_good.yaml")
		mod.Run("/briefing add", "body: Ships left Odesa on Friday, according to the port authority.", "title: Grain corridor reopens",
			"source: https://example.com/grain", "topics: Black Sea", "submit")
		if out := mod.Run("/briefing drafts"); !strings.Contains(out, "Grain corridor reopens") || !strings.Contains(out, "type its title in /briefing edit") {
			t.Fatalf("drafts:\n%s", out)
		}
		for line, want := range map[string]string{
			"/briefing edit briefing:Grain corridor reopens":                                         "Form: Edit: Grain corridor reopens",
			"/briefing edit briefing:grain CORRIDOR reopens":                                         "Form: Edit: Grain corridor reopens",
			"/briefing edit briefing:Grain ships leave Odesa under a new corridor deal":              "Form: Edit: Grain ships leave Odesa",
			"/briefing history briefing:Grain ships leave Odesa under a new corridor deal":           "History of Grain ships leave Odesa",
			"/briefing fact add briefing:grain corridor reopens text:Insured. attribution:Test desk": "Added fact",
			"/briefing edit briefing:Grain corridor":                                                 "Did you mean Grain corridor reopens?",
			"/briefing edit briefing:Grain coridor reopens":                                          "Did you mean Grain corridor reopens?",
			"/briefing edit briefing:Nothing like it":                                                "there is no briefing titled or with the slug “Nothing like it”",
		} {
			lines := []string{line}
			if strings.HasPrefix(want, "Form:") {
				lines = append(lines, "cancel")
			}
			if out := mod.Run(lines...); !strings.Contains(out, want) {
				t.Errorf("%s: want %q in\n%s", line, want, out)
			}
		}
		other := testlib.NewConsoleUser(router, testlib.GuildB, testlib.ModA, true)
		if out := other.Run("/briefing edit briefing:Grain corridor reopens"); !strings.Contains(out, "there is no briefing titled or with the slug") ||
			strings.Contains(out, "Did you mean") {
			t.Errorf("another server's moderator found guild A's draft:\n%s", out)
		}
		mod.Run("/briefing add", "body: Ships left Odesa again on Saturday.", "title: Grain corridor reopens",
			"source: https://example.com/grain2", "topics: Black Sea", "submit")
		if out := mod.Run("/briefing edit briefing:Grain corridor reopens"); !strings.Contains(out, "2 briefings are titled “Grain corridor reopens”") ||
			!strings.Contains(out, "grain-corridor-reopens-2") {
			t.Errorf("a shared title:\n%s", out)
		}
	})
}

// A rename is a version of every briefing that mentions the actor or
// event, saying so with who and when; facts attributed to the old name
// show the new one; the next edit's version names only what it changed;
// and history shows a changed title or summary as before → after.
func TestConsole_CurateRenameHistory(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		router, lib := backend.CurateRouter(t, discord.LocalFiles{})
		mod := testlib.NewConsoleUser(router, testlib.GuildA, testlib.ModA, true)
		const slug = "odesa-grain-ships-2025-08-10"
		mod.Run("/briefing import file:testdata/console/curate_good.yaml")
		mod.Run("/briefing actor rename name:Odesa port authority new_name:Odesa Sea Port Authority")
		mod.Run("/briefing event rename name:First corridor sailing new_name:First sailing of the corridor")
		if out := mod.Run("/brief topic:black-sea"); !strings.Contains(out, "— Odesa Sea Port Authority") || strings.Contains(out, "— Odesa port authority") {
			t.Errorf("the facts keep the old name:\n%s", out)
		}
		mod.Run("/briefing fact add briefing:"+slug+" text:The corridor is insured. attribution:Test desk",
			"/briefing edit briefing:"+slug, "title: Grain ships sail from Odesa", "submit")
		out := mod.Run("/briefing history briefing:" + slug)
		for _, want := range []string{
			"v2 · ", "@user:" + testlib.ModA + " · actor renamed: Odesa port authority → Odesa Sea Port Authority",
			"v3 · ", "event renamed: First corridor sailing → First sailing of the corridor",
			"v4 · ", " · facts[3]\n",
			"v5 · ", "title: “Grain ships leave Odesa under a new corridor deal” → “Grain ships sail from Odesa”",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("history lacks %q:\n%s", want, out)
			}
		}
		b, err := lib.BriefingWithStatus(context.Background(), testlib.GuildA, slug)
		if err != nil || b.Facts[0].Attribution != "Odesa Sea Port Authority" || b.Facts[0].Event != "First sailing of the corridor" {
			t.Fatalf("stored facts: %+v %v", b.Facts, err)
		}
	})
}

// A draft changed with /briefing fact is shown as a draft: its header,
// no publication, and a footer saying members see it only once published.
func TestConsole_CurateDraftCardStaysDraft(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		router, _ := backend.CurateRouter(t, discord.LocalFiles{})
		mod := testlib.NewConsoleUser(router, testlib.GuildA, testlib.ModA, true)
		mod.Run("/briefing add", "body: Ships left Odesa on Friday, according to the port authority.", "title: Grain corridor reopens",
			"published: 2025-08-10", "source: https://example.com/grain", "topics: Black Sea", "submit")
		for _, line := range []string{
			"/briefing fact add briefing:grain-corridor-reopens text:The corridor is insured. attribution:Test desk",
			"/briefing fact edit briefing:grain-corridor-reopens number:1 attribution:Odesa port",
		} {
			out := mod.Run(line)
			for _, want := range []string{"== Draft: Grain corridor reopens ==", "Not published yet · article dated 10 August 2025",
				"Draft grain-corridor-reopens, version", "members see it only once published"} {
				if !strings.Contains(out, want) {
					t.Errorf("%s: the card lacks %q:\n%s", line, want, out)
				}
			}
			if strings.Contains(out, "Published 10 August 2025") {
				t.Errorf("%s: a draft's card says it is published:\n%s", line, out)
			}
		}
	})
}

// /briefing add refuses, all at once, every field typed wrong: a title
// over the limit is refused naming the limit, as /briefing edit does, never
// cut; Try again keeps the typed text.
func TestConsole_CurateAddRefusesEveryBadField(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		router, lib := backend.CurateRouter(t, discord.LocalFiles{})
		mod := testlib.NewConsoleUser(router, testlib.GuildA, testlib.ModA, true)
		long := strings.TrimSpace(strings.Repeat("Long title ", 30))
		out := mod.Run("/briefing add", "body: Ships left Odesa on Friday, according to the port authority.", "title: "+long,
			"published: 2025-02-30", "source: https://example.com/grain", "topics: Black Sea", "submit")
		for _, want := range []string{"Some fields need fixing", "Title: is 329 characters; the limit is 256", "Published: ", "2025-02-30", "[1] Try again"} {
			if !strings.Contains(out, want) {
				t.Errorf("the refusal lacks %q:\n%s", want, out)
			}
		}
		if out := mod.Run("press 1"); !strings.Contains(out, "[now: 2025-02-30]") || !strings.Contains(out, "[now: Long title Long title") {
			t.Errorf("Try again lost the typed text:\n%s", out)
		}
		if ds, _, err := lib.Drafts(context.Background(), testlib.GuildA, 10); err != nil || len(ds) != 0 {
			t.Fatalf("a refused add saved a draft: %v %v", ds, err)
		}
	})
}

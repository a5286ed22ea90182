package bot_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"briefbot/bot/console"
	"briefbot/bot/discord"
	"briefbot/bot/discordtest"
	"briefbot/briefings"

	"briefbot/internal/testlib"
	"github.com/bwmarrin/discordgo"
)

// railArticle is an article of the extraction evaluation set: a regional
// news story with a masthead line.
func railArticle(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "briefings", "testdata", "extract-eval", "12-rail-strike.txt"))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// railSlug is the slug the rail story's draft gets.
const railSlug = "rail-strike-halts-regional-trains-pay"

// steps splits a console transcript into each typed line and what followed
// it, in order.
func steps(transcript string) [][2]string {
	var out [][2]string
	for _, sec := range strings.Split(transcript, "\n> ")[1:] {
		line, rest, _ := strings.Cut(sec, "\n")
		out = append(out, [2]string{line, rest})
	}
	return out
}

// TestConsole_Redraft: at the console, a moderator pastes an article, asks
// to re-draft the untouched draft from the preview (nothing to do), curates
// it by hand, asks again with /briefing redraft, reads what would be
// replaced and lost, cancels, asks again and re-drafts. One new version
// holds the fresh candidates; the title, date, source and topics stay.
func TestConsole_Redraft(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		router, lib := backend.CurateRouter(t, discord.LocalFiles{})
		script := strings.Join([]string{
			"# A draft re-drafted from its text, at the console",
			"/briefing add",
			formLine("body", railArticle(t)),
			"source: Northern Ledger",
			"topics: Rail",
			"submit",
			"press 4",
			"press 1",
			"/briefing fact edit briefing:" + railSlug + " number:2 attribution:A hand-picked source",
			"/briefing fact add briefing:" + railSlug + " text:Drivers will rally in Kendal. attribution:Union newsletter",
			"/briefing redraft briefing:" + railSlug,
			"press 2",
			"/briefing redraft briefing:" + railSlug,
			"press 1",
			"/briefing redraft briefing:" + railSlug,
			"/briefing history briefing:" + railSlug,
		}, "\n") + "\n"
		got := testlib.RunScript(t, router, console.Options{GuildID: testlib.GuildA, UserID: testlib.ModA, Moderator: true}, script)
		golden(t, "redraft.transcript", got)

		st := steps(got)
		find := func(n int, line string) string {
			t.Helper()
			seen := 0
			for _, s := range st {
				if s[0] == line {
					seen++
					if seen == n {
						return s[1]
					}
				}
			}
			t.Fatalf("no %d. %q in the transcript", n, line)
			return ""
		}
		for _, tt := range []struct {
			n    int
			line string
			want []string
		}{
			{1, "submit", []string{"Here is your draft.", "[4] Re-draft from text  [5] Discard"}},
			{1, "press 4", []string{"(message updated)", "A fresh reading gives the draft as it is: there is nothing to re-draft.", "[1] Back to the draft"}},
			{1, "press 1", []string{"(message updated)", "Nothing was re-drafted. Here is your draft as it is.", "== Draft: Rail strike halts regional trains as pay talks stall =="}},
			{1, "/briefing redraft briefing:" + railSlug, []string{"(only you can see this)", "This replaces 10 facts, 5 events and 9 actors with 9 facts, 5 events and 9 actors drawn afresh from the draft's text.",
				"the source (Northern Ledger) and the topics (Rail)", "fact 2's attribution: A hand-picked source (the fresh reading says Rail managers)",
				"fact 10, which the text does not give as it stands: “Drivers will rally in Kendal.” — Union newsletter", "[1] Re-draft  [2] Cancel"}},
			{1, "press 2", []string{"(message updated)", "Nothing was re-drafted."}},
			{2, "press 1", []string{"(message updated)", "Re-drafted from its text as version 4: 9 facts, 5 events and 9 actors replaced 10 facts, 5 events and 9 actors."}},
			{3, "/briefing redraft briefing:" + railSlug, []string{"there is nothing to re-draft"}},
			{1, "/briefing history briefing:" + railSlug, []string{"v4 ·", "facts[2]", "v3 ·", "v2 ·", "v1 ·", "draft · 4 versions"}},
		} {
			sec := find(tt.n, tt.line)
			for _, w := range tt.want {
				if !strings.Contains(sec, w) {
					t.Errorf("output of %q (%d.) lacks %q:\n%s", tt.line, tt.n, w, sec)
				}
			}
		}
		b, err := lib.BriefingWithStatus(context.Background(), testlib.GuildA, railSlug)
		if err != nil {
			t.Fatal(err)
		}
		if b.Version != 4 || b.Status != briefings.StatusDraft || b.Source.Name != "Northern Ledger" || strings.Join(b.Topics, ",") != "Rail" ||
			b.Title != "Rail strike halts regional trains as pay talks stall" {
			t.Errorf("after the re-draft: version %d %s, source %+v, topics %v, title %q", b.Version, b.Status, b.Source, b.Topics, b.Title)
		}
		for _, f := range b.Facts {
			if f.Attribution == "A hand-picked source" || strings.Contains(f.Text, "rally in Kendal") {
				t.Errorf("hand curation survived the re-draft: %+v", f)
			}
		}
		if _, err := lib.Briefing(context.Background(), testlib.GuildA, railSlug); err == nil {
			t.Error("members see the re-drafted draft")
		}
	})
}

// TestGateway_Redraft: the same through the fake Discord, every request
// checked against Discord's rules: a preview's button pressed after the
// draft changed re-drafts nothing, /briefing redraft offers drafts only
// and asks privately, and Re-draft replaces the candidates in place of the
// question.
func TestGateway_Redraft(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		g := startCurateGateway(t, backend)
		mod := func(i *discordgo.Interaction) *discordgo.Interaction {
			return from(i, testlib.GuildA, testlib.ModA, discordgo.PermissionManageMessages)
		}
		_, form := g.rg.ask(t, mod(briefingCmd("add")))
		_, preview := g.rg.ask(t, mod(submit(form, map[string]string{"body": railArticle(t), "source": "Northern Ledger", "topics": "Rail"})))
		var redraftBtn string
		for _, b := range buttons(preview.Data.Components) {
			if b.Label == "Re-draft from text" {
				redraftBtn = b.CustomID
			}
		}
		if redraftBtn == "" {
			t.Fatalf("the draft preview has no Re-draft from text button:\n%s", responseText(preview))
		}
		if got := g.mod(t, factCmd("edit", discordtest.String("briefing", railSlug), discordtest.Integer("number", 2),
			discordtest.String("attribution", "A hand-picked source"))); !strings.Contains(got, "Changed fact 2") {
			t.Fatalf("fact edit: %s", got)
		}
		// the preview was shown at version 1; the draft is at version 2
		if got := g.mod(t, discordtest.Button(redraftBtn)); !strings.Contains(got, "changed after this message was shown (it was version 1, it is now version 2), so I did nothing") {
			t.Errorf("a stale preview's button: %s", got)
		}

		_, choices := g.rg.ask(t, mod(discordtest.Autocomplete("briefing", discordtest.SubCommand("redraft", discordtest.Focused(discordtest.String("briefing", ""))))))
		var offered []string
		for _, c := range choices.Data.Choices {
			offered = append(offered, fmt.Sprint(c.Name, " = ", c.Value))
		}
		if len(offered) != 1 || offered[0] != "Rail strike halts regional trains as pay talks stall · draft = "+railSlug {
			t.Errorf("/briefing redraft offers %q, want the one draft (the sample library's published briefings are not re-drafted)", offered)
		}

		_, ask := g.rg.ask(t, mod(briefingCmd("redraft", discordtest.String("briefing", railSlug))))
		if ask.Data.Flags&discordgo.MessageFlagsEphemeral == 0 {
			t.Error("the question is public")
		}
		question := strings.ReplaceAll(responseText(ask), `\`, "")
		for _, w := range []string{"Re-draft “Rail strike halts regional trains as pay talks stall” from its text?", "This replaces 9 facts, 5 events and 9 actors",
			"fact 2's attribution: A hand-picked source", "[Re-draft]", "[Cancel]"} {
			if !strings.Contains(question, w) {
				t.Errorf("the question lacks %q:\n%s", w, question)
			}
		}
		var confirm string
		for _, b := range buttons(ask.Data.Components) {
			if b.Label == "Re-draft" {
				confirm = b.CustomID
			}
		}
		if got := g.say(t, from(discordtest.Button(confirm), testlib.GuildA, testlib.ReaderA, 0)); !strings.Contains(got, "Only moderators can change briefings") {
			t.Errorf("a member's press: %s", got)
		}
		_, done := g.rg.ask(t, mod(discordtest.Button(confirm)))
		if done.Type != discordgo.InteractionResponseUpdateMessage {
			t.Errorf("Re-draft answered %v, want the question replaced by the draft", done.Type)
		}
		if text := responseText(done); !strings.Contains(text, "Re-drafted from its text as version 3") || !strings.Contains(text, "[Publish]") {
			t.Errorf("after Re-draft:\n%s", text)
		}
		b, err := g.lib.BriefingWithStatus(context.Background(), testlib.GuildA, railSlug)
		if err != nil {
			t.Fatal(err)
		}
		if b.Version != 3 || b.Facts[1].Attribution == "A hand-picked source" || b.Source.Name != "Northern Ledger" {
			t.Errorf("after Re-draft: version %d, fact 2 by %q, source %+v", b.Version, b.Facts[1].Attribution, b.Source)
		}
		// published, it is not re-drafted
		if got := g.mod(t, discordtest.Button("bpub:"+fmt.Sprint(b.ID)+":3")); !strings.Contains(got, "Published") {
			t.Fatalf("publish: %s", got)
		}
		if got := g.mod(t, briefingCmd("redraft", discordtest.String("briefing", railSlug))); !strings.Contains(got, "is published, and members read its facts as they are") {
			t.Errorf("/briefing redraft of a published briefing: %s", got)
		}
	})
}

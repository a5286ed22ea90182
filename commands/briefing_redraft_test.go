package commands_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"briefbot/briefings"

	"github.com/bwmarrin/discordgo"
)

// wireArticle is the wire story of the extraction evaluation set.
func wireArticle(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "briefings", "testdata", "extract-eval", "01-wire.txt"))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// draftOf pastes the article into /briefing add and returns the draft.
func (c *curation) draftOf(t *testing.T, text, topics string) *briefings.Briefing {
	t.Helper()
	resp := c.handle(t, as(modal("bf:add", map[string]string{"body": text, "topics": topics}), modID, modPerms))
	if got := textOf(t, resp); !strings.Contains(got, "Here is your draft") {
		t.Fatalf("no draft:\n%s", got)
	}
	list, _, err := c.lib.Drafts(context.Background(), guild, 1)
	if err != nil || len(list) != 1 {
		t.Fatalf("drafts %+v %v", list, err)
	}
	return c.current(t, list[0].Slug)
}

// current loads the briefing with the slug as it now stands.
func (c *curation) current(t *testing.T, slug string) *briefings.Briefing {
	t.Helper()
	b, err := c.lib.BriefingWithStatus(context.Background(), guild, slug)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// briefingCommand runs /briefing <path…> with the options as the
// moderator of g1.
func (c *curation) briefingCommand(t *testing.T, path []string, opts ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.InteractionResponse {
	t.Helper()
	o := sub(path[len(path)-1], opts...)
	for i := len(path) - 2; i >= 0; i-- {
		o = sub(path[i], o)
	}
	return c.handle(t, as(command("briefing", o), modID, modPerms))
}

// goldenText compares what a moderator reads with testdata/golden/name.
func goldenText(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, []byte(got+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run with -update to create it): %v", err)
	}
	if string(want) != got+"\n" {
		t.Errorf("%s differs from the golden file; run with -update if the change is intended\ngot:\n%s", path, got)
	}
}

// TestRedraft_AsksReplacesAndKeeps: a moderator curates a draft by hand,
// asks to re-draft it from its text, reads what would be replaced and
// lost, cancels, then confirms. The facts, events and actors are drawn
// afresh in one new version; the title, published date, source and topics
// they set stay.
func TestRedraft_AsksReplacesAndKeeps(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := newCuration(t)
	d := c.draftOf(t, wireArticle(t), "Cholera")
	drafted := len(d.Facts)

	// hand curation: a title, a source, a fact, an attribution
	edit := c.handle(t, as(button("bedit:"+itoa(int(d.ID))+":1"), modID, modPerms))
	values := modalValues(edit)
	values["title"] = "Cholera: donors pledge $40 million"
	if got := textOf(t, c.handle(t, as(modal(edit.Data.CustomID, values), modID, modPerms))); !strings.Contains(got, "Draft saved") {
		t.Fatalf("edit: %s", got)
	}
	d = c.current(t, d.Slug)
	d.Source.Name = "Sahel Desk"
	if _, err := c.lib.SaveCurated(ctx, briefings.Write{GuildID: guild, Briefing: d, By: modID, BaseVersion: d.Version, Action: briefings.AuditEdit}); err != nil {
		t.Fatal(err)
	}
	wants(t, textOf(t, c.briefingCommand(t, []string{"fact", "add"}, opt("briefing", d.Slug), opt("text", "Niger closed two border crossings."),
		opt("attribution", "Niger's interior ministry"))), "Added fact")
	wants(t, textOf(t, c.briefingCommand(t, []string{"fact", "edit"}, opt("briefing", d.Slug), intOpt("number", 1),
		opt("attribution", "A hand-picked source"))), "Changed fact 1")
	before := c.current(t, d.Slug)

	// the question: what it replaces, what would be lost; nothing changes
	ask := c.briefingCommand(t, []string{"redraft"}, opt("briefing", d.Slug))
	if w, _ := decode(t, ask); !w.ephemeral() {
		t.Error("the question is public")
	}
	question := textOf(t, ask)
	goldenText(t, "redraft-question.txt", question)
	wants(t, question, "This replaces "+itoa(drafted+1)+" facts,", "It keeps the title, summary and text, the published date (4 March 2025), the source (Sahel Desk) and the topics (Cholera).",
		"fact 1's attribution: A hand-picked source", "Niger closed two border crossings.", "[Re-draft]", "[Cancel]")
	btns := buttonsOf(t, ask)
	if len(btns) != 2 || btns[0] != "bredraftok:"+itoa(int(d.ID))+":"+itoa(before.Version) {
		t.Fatalf("buttons %v", btns)
	}
	if now := c.current(t, d.Slug); now.Version != before.Version {
		t.Fatalf("asking changed the draft: version %d → %d", before.Version, now.Version)
	}

	// Cancel: the preview again, unchanged
	cancel := c.handle(t, as(button(btns[1]), modID, modPerms))
	if cancel.Type != discordgo.InteractionResponseUpdateMessage {
		t.Errorf("Cancel answered %v, want the message updated", cancel.Type)
	}
	wants(t, textOf(t, cancel), "Nothing was re-drafted.", "Draft: Cholera: donors pledge $40 million", "[Re-draft from text]")
	if now := c.current(t, d.Slug); now.Version != before.Version || len(now.Facts) != len(before.Facts) {
		t.Fatalf("Cancel changed the draft")
	}

	// a reader's forged press is refused and changes nothing
	forged := c.handle(t, as(button(btns[0]), readerX, discordgo.PermissionSendMessages))
	wants(t, textOf(t, forged), "Only moderators can change briefings")
	if now := c.current(t, d.Slug); now.Version != before.Version {
		t.Fatal("a reader re-drafted the draft")
	}

	// Re-draft: one new version with fresh candidates, the rest kept
	done := c.handle(t, as(button(btns[0]), modID, modPerms))
	if done.Type != discordgo.InteractionResponseUpdateMessage {
		t.Errorf("Re-draft answered %v, want the message updated", done.Type)
	}
	wants(t, textOf(t, done), "Re-drafted from its text as version "+itoa(before.Version+1), "replaced "+itoa(drafted+1)+" facts", "[Publish]")
	after := c.current(t, d.Slug)
	if after.Version != before.Version+1 || after.Status != briefings.StatusDraft {
		t.Fatalf("version %d status %s, want %d draft", after.Version, after.Status, before.Version+1)
	}
	if after.Title != before.Title || after.Source != before.Source || after.Published != before.Published ||
		strings.Join(after.Topics, ",") != strings.Join(before.Topics, ",") || after.Body != before.Body || after.Summary != before.Summary {
		t.Errorf("re-drafting changed what it keeps:\nbefore %q %+v %s %v\nafter  %q %+v %s %v",
			before.Title, before.Source, before.Published, before.Topics, after.Title, after.Source, after.Published, after.Topics)
	}
	for _, f := range after.Facts {
		if f.Attribution == "A hand-picked source" || strings.Contains(f.Text, "border crossings") {
			t.Errorf("the hand curation survived the re-draft: %+v", f)
		}
	}
	if len(after.Facts) != drafted || len(after.Events) == 0 || len(after.Actors) == 0 {
		t.Errorf("re-drafted to %d facts, %d events, %d actors; drafted %d facts", len(after.Facts), len(after.Events), len(after.Actors), drafted)
	}
	log, err := c.lib.AuditLog(ctx, guild, 1)
	if err != nil || len(log) != 1 || log[0].Action != briefings.AuditEdit || log[0].Target != "briefing:"+d.Slug {
		t.Errorf("audit %+v %v", log, err)
	}

	// asked again, the draft is as a fresh reading gives it
	again := textOf(t, c.briefingCommand(t, []string{"redraft"}, opt("briefing", d.Slug)))
	wants(t, again, "A fresh reading gives the draft as it is: there is nothing to re-draft.", "[Back to the draft]")
}

// TestRedraft_StaleAndPublished: a question answered after the draft
// changed re-drafts nothing; published and retracted briefings are not
// re-drafted; autocomplete offers drafts only.
func TestRedraft_StaleAndPublished(t *testing.T) {
	t.Parallel()
	c := newCuration(t)
	d := c.draftOf(t, wireArticle(t), "Cholera")

	wants(t, textOf(t, c.briefingCommand(t, []string{"fact", "edit"}, opt("briefing", d.Slug), intOpt("number", 2),
		opt("attribution", "A hand-picked source"))), "Changed fact 2")
	// the preview's button asks in place of the preview
	ask := c.handle(t, as(button("bredraft:"+itoa(int(d.ID))+":2"), modID, modPerms))
	if ask.Type != discordgo.InteractionResponseUpdateMessage {
		t.Errorf("the preview's button answered %v, want the preview replaced by the question", ask.Type)
	}
	wants(t, textOf(t, ask), "Re-draft “Donors pledge $40 million as cholera spreads across three Sahel countries” from its text?", "[Re-draft]")
	confirm := buttonsOf(t, ask)[0]

	wants(t, textOf(t, c.briefingCommand(t, []string{"fact", "add"}, opt("briefing", d.Slug), opt("text", "A later fact."), opt("attribution", "Desk"))), "Added fact")
	stale := c.handle(t, as(button(confirm), modID, modPerms))
	wants(t, textOf(t, stale), "changed after this message was shown (it was version 2, it is now version 3), so I did nothing",
		"/briefing redraft briefing:"+d.Slug)
	if now := c.current(t, d.Slug); now.Version != 3 || now.Facts[len(now.Facts)-1].Text != "A later fact." || now.Facts[1].Attribution != "A hand-picked source" {
		t.Fatalf("a stale Re-draft changed the draft: version %d", now.Version)
	}

	choices := func(sub string) string {
		resp := c.handle(t, as(autocomplete("briefing", subOpt(sub, focused("briefing", ""))), modID, modPerms))
		return textOf(t, resp)
	}
	wants(t, choices("redraft"), "Donors pledge $40 million as cholera spreads across three Sahel countries · draft")
	if got := choices("redraft"); strings.Contains(got, "published") {
		t.Errorf("/briefing redraft offers published briefings:\n%s", got)
	}
	wants(t, choices("edit"), "· published")

	publish := c.handle(t, as(button("bpub:"+itoa(int(d.ID))+":3"), modID, modPerms))
	wants(t, textOf(t, publish), "Published")
	refused := textOf(t, c.briefingCommand(t, []string{"redraft"}, opt("briefing", d.Slug)))
	wants(t, refused, "is published, and members read its facts as they are", "/briefing fact edit briefing:"+d.Slug, "/briefing add")
	if now := c.current(t, d.Slug); now.Version != 4 || now.Status != briefings.StatusPublished {
		t.Fatalf("refusing changed the briefing: version %d %s", now.Version, now.Status)
	}
	// the published briefing's forged button is refused too
	wants(t, textOf(t, c.handle(t, as(button("bredraftok:"+itoa(int(d.ID))+":4"), modID, modPerms))), "is published")
}

// subOpt wraps options in a subcommand for autocomplete.
func subOpt(name string, opts ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.ApplicationCommandInteractionDataOption {
	return sub(name, opts...)
}

// TestRedraft_UntouchedDraftIsItsOwnRedraft: for every article of the
// extraction evaluation set, re-drafting a draft nobody touched finds the
// same facts, attributions, events and actors: the stored text, read again
// with the draft's date and source, gives back what the paste gave.
func TestRedraft_UntouchedDraftIsItsOwnRedraft(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("..", "briefings", "testdata", "extract-eval", "*.txt"))
	if err != nil || len(files) < 8 {
		t.Fatalf("articles %v %v", files, err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			text, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			c := newCuration(t)
			d := c.draftOf(t, string(text), "Evaluation")
			wants(t, textOf(t, c.briefingCommand(t, []string{"redraft"}, opt("briefing", d.Slug))), "there is nothing to re-draft")
		})
	}
}

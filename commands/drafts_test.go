package commands_test

import (
	"context"
	"strings"
	"testing"

	"briefbot/briefings"

	"github.com/bwmarrin/discordgo"
)

// TestDrafts_ListAndAutocomplete lists a guild's drafts newest first with
// who started each, and offers moderators by title the briefings they may
// change, drafts included, and nothing else.
func TestDrafts_ListAndAutocomplete(t *testing.T) {
	t.Parallel()
	c := newCuration(t)
	if got := textOf(t, c.handle(t, as(command("briefing", sub("drafts")), modID, modPerms))); !strings.Contains(got, "no drafts here") {
		t.Fatalf("empty list: %s", got)
	}
	first := map[string]string{"title": "Ferry strike ends", "summary": "The ferry strike ended on Monday.", "topics": "ferries"}
	second := map[string]string{"title": "Harbour dredging starts", "summary": "Dredging of the harbour began.", "topics": "ports"}
	c.handle(t, as(modal("bf:add", first), modID, modPerms))
	clock2 := as(modal("bf:add", second), "202", modPerms)
	c.handle(t, clock2)

	list := c.handle(t, as(command("briefing", sub("drafts")), modID, modPerms))
	w, _ := decode(t, list)
	got := w.text()
	if !w.ephemeral() {
		t.Error("the drafts list is public")
	}
	for _, want := range []string{"Drafts (2)", "Ferry strike ends", "`ferry-strike-ends`", "started by <@200>", "Harbour dredging starts", "started by <@202>"} {
		if !strings.Contains(got, want) {
			t.Errorf("drafts list lacks %q:\n%s", want, got)
		}
	}
	// same clock: the later draft (higher ID) comes first
	if strings.Index(got, "Harbour dredging") > strings.Index(got, "Ferry strike") {
		t.Errorf("drafts are not newest first:\n%s", got)
	}
	if got := textOf(t, c.handle(t, as(command("briefing", sub("drafts")), readerX, 0))); !strings.Contains(got, "Only moderators") {
		t.Errorf("a member listed the drafts: %s", got)
	}

	complete := func(user string, perms int64, text string) []string {
		t.Helper()
		resp := c.handle(t, as(autocomplete("briefing", sub("edit", focused("briefing", text))), user, perms))
		w, _ := decode(t, resp)
		var out []string
		for _, ch := range w.Data.Choices {
			out = append(out, ch.Name+" = "+ch.Value.(string))
		}
		return out
	}
	for _, tc := range []struct {
		name, user string
		perms      int64
		text       string
		want, not  []string
	}{
		{"ModeratorByTitle", modID, modPerms, "ferry", []string{"Ferry strike ends · draft = ferry-strike-ends"}, nil},
		{"ModeratorWordInside", modID, modPerms, "dredging", []string{"Harbour dredging starts · draft = harbour-dredging-starts"}, nil},
		{"ModeratorNoGlobal", modID, modPerms, "putin", nil, []string{"putin-kim-call-2025-08-12"}},
		{"ModeratorNoOtherGuild", modID, modPerms, "zanzibar", nil, []string{"zanzibar"}},
		{"ModeratorPublished", modID, modPerms, "markup", []string{"· published = markup-stress"}, nil},
		{"Member", readerX, 0, "", nil, []string{"ferry", "markup"}},
		{"OwnerSeesGlobal", ownerID, 0, "putin", []string{"global library = putin-kim-call-2025-08-12"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := strings.Join(complete(tc.user, tc.perms, tc.text), "\n")
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("choices lack %q:\n%s", w, got)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(strings.ToLower(got), n) {
					t.Errorf("choices offer %q:\n%s", n, got)
				}
			}
		})
	}
	// The slug a choice gives opens the draft's form.
	form := c.handle(t, as(command("briefing", sub("edit", opt("briefing", "ferry-strike-ends"))), modID, modPerms))
	if form.Type != discordgo.InteractionResponseModal {
		t.Errorf("the chosen draft did not open: %s", textOf(t, form))
	}
}

// TestDrafts_EditKeepsCuration edits a draft's title and text through the
// form: the curated facts, attributions and source name stay.
func TestDrafts_EditKeepsCuration(t *testing.T) {
	t.Parallel()
	c := newCuration(t)
	c.handle(t, as(modal("bf:add", article), modID, modPerms))
	slug := "putin-calls-kim-before-the-alaska-summit"
	if got := textOf(t, c.handle(t, as(command("briefing", sub("fact", sub("add", opt("briefing", slug), opt("text", "A hand-written fact."), opt("attribution", "Curated Wire")))), modID, modPerms))); !strings.Contains(got, "Added fact") {
		t.Fatalf("fact add: %s", got)
	}
	before, err := c.lib.BriefingWithStatus(context.Background(), guild, slug)
	if err != nil {
		t.Fatal(err)
	}
	before.Source.Name = "Curated Source"
	if _, err := c.lib.SaveCurated(context.Background(), briefings.Write{GuildID: guild, Briefing: before, By: modID, BaseVersion: before.Version, Action: briefings.AuditEdit}); err != nil {
		t.Fatal(err)
	}
	for _, change := range []map[string]string{{"title": "A new title only"}, {"summary": "A rewritten summary about something else entirely."}} {
		form := c.handle(t, as(command("briefing", sub("edit", opt("briefing", slug))), modID, modPerms))
		values := modalValues(form)
		for k, v := range change {
			values[k] = v
		}
		if got := textOf(t, c.handle(t, as(modal(form.Data.CustomID, values), modID, modPerms))); !strings.Contains(got, "Draft saved") {
			t.Fatalf("edit %v: %s", change, got)
		}
		after, err := c.lib.BriefingWithStatus(context.Background(), guild, slug)
		if err != nil {
			t.Fatal(err)
		}
		if len(after.Facts) != len(before.Facts) || after.Facts[len(after.Facts)-1].Attribution != "Curated Wire" || after.Source.Name != "Curated Source" {
			t.Errorf("edit %v destroyed curation: facts %d→%d, source %q", change, len(before.Facts), len(after.Facts), after.Source.Name)
		}
	}
}

// TestDrafts_FactErrorsInDiscordTerms adds a fact naming an actor nobody
// knows: the refusal names the option and what to type, not the file
// format's fields.
func TestDrafts_FactErrorsInDiscordTerms(t *testing.T) {
	t.Parallel()
	c := newCuration(t)
	c.handle(t, as(modal("bf:add", map[string]string{"title": "Ferry strike ends", "summary": "The ferry strike ended.", "topics": "ferries"}), modID, modPerms))
	got := textOf(t, c.handle(t, as(command("briefing", sub("fact", sub("add", opt("briefing", "ferry-strike-ends"), opt("text", "A fact."),
		opt("attribution", "Wire"), opt("actors", "Nobody Known")))), modID, modPerms)))
	if !strings.Contains(got, "option actors") || strings.Contains(got, "facts[") || strings.Contains(got, "declare it under") {
		t.Errorf("the refusal is in the file format's terms:\n%s", got)
	}
}

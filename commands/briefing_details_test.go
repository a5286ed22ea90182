package commands_test

import (
	"context"
	"strings"
	"testing"

	"briefbot/briefings"
	fetch "briefbot/briefings/article"
	"briefbot/commands"

	"github.com/bwmarrin/discordgo"
)

// The preview's "Date, source, topics" button sets what the add form left
// to the article; a new date re-reads the article's relative dates while
// the draft is as drafted, and keeps a moderator's work after that.
func TestCuration_DetailsFromThePreview(t *testing.T) {
	t.Parallel()
	c := newCuration(t)
	ctx := context.Background()
	preview := c.handle(t, as(modal("bf:add", map[string]string{
		"body":  "Three grain ships left Odesa on Friday, the port authority said. The port handled 1.2 million tonnes last year.",
		"title": "Grain ships leave Odesa", "topics": "Black Sea",
	}), modID, modPerms))
	if text := textOf(t, preview); !strings.Contains(text, "states no publication date") {
		t.Errorf("the preview does not say the date was assumed: %s", text)
	}
	eventOn := func(b *briefings.Briefing) string {
		for _, e := range b.Events {
			return e.Date.String()
		}
		return ""
	}
	draft, err := c.lib.BriefingWithStatus(ctx, guild, "grain-ships-leave-odesa", briefings.StatusDraft)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := eventOn(draft), "2025-08-29"; got != want {
		t.Fatalf("drafted on Monday 1 September with no date, the Friday event is on %s, want %s", got, want)
	}
	details := func(preview *discordgo.InteractionResponse) *discordgo.InteractionResponse {
		t.Helper()
		for _, b := range buttonsOf(t, preview) {
			if strings.HasPrefix(b, "bdet:") {
				return c.handle(t, as(button(b), modID, modPerms))
			}
		}
		t.Fatalf("no details button: %v", buttonsOf(t, preview))
		return nil
	}
	form := details(preview)
	if form.Type != discordgo.InteractionResponseModal || !strings.HasPrefix(form.Data.CustomID, "bf:details:") {
		t.Fatalf("details answered %+v", form)
	}
	if v := modalValues(form); v["published"] != "2025-09-01" || v["topics"] != "Black Sea" {
		t.Errorf("details form values %v", v)
	}
	if got := textOf(t, c.handle(t, as(modal(form.Data.CustomID, map[string]string{"published": "12/08/2025", "topics": "Black Sea"}), readerX, 0))); !strings.Contains(got, "Only moderators") {
		t.Errorf("a member without permissions changed the details: %s", got)
	}
	bad := c.handle(t, as(modal(form.Data.CustomID, map[string]string{"published": "12/08/2025", "source_name": "Port Gazette", "topics": "Black Sea"}), modID, modPerms))
	if got := textOf(t, bad); !strings.Contains(got, "Published:") || !strings.Contains(got, "Try again") {
		t.Errorf("a bad date: %s", got)
	}

	saved := c.handle(t, as(modal(form.Data.CustomID, map[string]string{"published": "2025-08-11", "source_name": "Port Gazette",
		"source_url": "https://gazette.example/odesa", "topics": "Black Sea, Grain"}), modID, modPerms))
	if got := textOf(t, saved); !strings.Contains(got, "Draft saved as version 2") || !strings.Contains(got, "now read from 11 August 2025") {
		t.Errorf("details saved: %s", got)
	}
	draft, _ = c.lib.BriefingWithStatus(ctx, guild, "grain-ships-leave-odesa", briefings.StatusDraft)
	if draft.Published.String() != "2025-08-11" || draft.Source.Name != "Port Gazette" || draft.Source.URL != "https://gazette.example/odesa" ||
		strings.Join(draft.Topics, ",") != "Black Sea,Grain" {
		t.Errorf("draft after details: published %s, source %+v, topics %v", draft.Published, draft.Source, draft.Topics)
	}
	if got, want := eventOn(draft), "2025-08-08"; got != want {
		t.Errorf("published on Monday 11 August, the Friday event is on %s, want %s", got, want)
	}

	// once the moderator has worked on the facts, a new date keeps them
	c.handle(t, as(command("briefing", sub("fact", sub("edit", opt("briefing", draft.Slug), intOpt("number", 1), opt("attribution", "Odesa port authority")))), modID, modPerms))
	again := c.handle(t, as(modal(strings.Replace(form.Data.CustomID, ":1", ":3", 1), map[string]string{"published": "2025-08-04", "source_name": "Port Gazette", "topics": "Black Sea"}), modID, modPerms))
	if got := textOf(t, again); !strings.Contains(got, "were kept as they are") || !strings.Contains(got, "press Re-draft from text to draw them afresh with the new date") {
		t.Errorf("details after a fact edit: %s", got)
	}
	draft, _ = c.lib.BriefingWithStatus(ctx, guild, "grain-ships-leave-odesa", briefings.StatusDraft)
	if draft.Published.String() != "2025-08-04" || draft.Facts[0].Attribution != "Odesa port authority" || eventOn(draft) != "2025-08-08" {
		t.Errorf("after a fact edit, details changed the candidates: published %s, facts %+v, events %+v", draft.Published, draft.Facts, draft.Events)
	}
	// re-drafted on purpose, the dates read from the new published date
	ask := c.briefingCommand(t, []string{"redraft"}, opt("briefing", draft.Slug))
	wants(t, textOf(t, ask), "the published date (4 August 2025)", "fact 1's attribution: Odesa port authority")
	c.handle(t, as(button(buttonsOf(t, ask)[0]), modID, modPerms))
	draft, _ = c.lib.BriefingWithStatus(ctx, guild, "grain-ships-leave-odesa", briefings.StatusDraft)
	if got, want := eventOn(draft), "2025-08-01"; got != want || draft.Published.String() != "2025-08-04" {
		t.Errorf("re-drafted with the published date of Monday 4 August, the Friday event is on %s, want %s", got, want)
	}
}

// A link with topics is fetched at once, so it is deferred at once; a
// link alone answers with the link form, which cannot follow a deferral,
// and that form's submit is deferred instead.
func TestRouter_DeferNowFetches(t *testing.T) {
	t.Parallel()
	lib := openLibrary(t)
	r := commands.New(lib, commands.Options{Curator: lib, Articles: fetch.New(fetch.Config{})})
	add := func(opts ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.Interaction {
		return command("briefing", sub("add", opts...))
	}
	for _, tt := range []struct {
		name string
		i    *discordgo.Interaction
		want bool
	}{
		{"LinkAndTopics", add(opt("url", "https://example.com/a"), opt("topics", "x")), true},
		{"LinkAlone", add(opt("url", "https://example.com/a")), false},
		{"Form", add(), false},
		{"LinkForm", modal("bf:url", map[string]string{"url": "https://example.com/a", "topics": "x"}), true},
		{"AddForm", modal("bf:add", map[string]string{"body": "x", "topics": "x"}), false},
	} {
		if got := r.DeferNow(tt.i); got != tt.want {
			t.Errorf("%s: DeferNow=%v, want %v", tt.name, got, tt.want)
		}
	}
	if newCuration(t).r.DeferNow(add(opt("url", "https://example.com/a"), opt("topics", "x"))) {
		t.Error("without a fetcher nothing is fetched, so nothing is deferred at once")
	}
}

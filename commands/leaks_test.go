package commands_test

import (
	"context"
	"strings"
	"testing"

	"briefbot/briefings"

	"github.com/bwmarrin/discordgo"
)

// leakSecrets are names only a draft, a replaced version or a retracted
// briefing of g1 mention, and a name only g2 has; members must never read
// them.
var leakSecrets = []string{"zora", "quill", "old harbour", "retracta", "vance", "zanzibar"}

// withHiddenThings saves into g1's library a draft, a briefing whose second
// version replaced its event, and a retracted briefing, each with actors
// and events nothing published mentions.
func withHiddenThings(t *testing.T, c *curation) {
	t.Helper()
	ctx := context.Background()
	draft := &briefings.Briefing{Slug: "quill-plans", Title: "Quill plans a summit", Summary: "Zora Quill plans the Quill summit.",
		Published: briefings.DayOf(2025, 8, 20), Topics: []string{"quill-affairs"}, Status: briefings.StatusDraft,
		Actors: []briefings.Actor{{Name: "Zora Quill", Kind: briefings.KindPerson, Aliases: []string{"Z. Quill"}}},
		Events: []briefings.Event{{Name: "Quill summit", Date: briefings.DayOf(2025, 9, 20), Participants: []string{"Zora Quill"}}},
		Facts:  []briefings.Fact{{Text: "Zora Quill will host the Quill summit.", Attribution: "Quill Wire", Actors: []string{"Zora Quill"}, Event: "Quill summit"}}}
	pact := func(event string) *briefings.Briefing {
		return &briefings.Briefing{Slug: "harbour-pact", Title: "Harbour pact signed", Summary: "The ports sign a pact.",
			Published: briefings.DayOf(2025, 8, 21), Topics: []string{"harbour-watch"}, Status: briefings.StatusPublished,
			Events: []briefings.Event{{Name: event, Date: briefings.DayOf(2025, 8, 25)}},
			Facts:  []briefings.Fact{{Text: "The talks open on 25 August.", Attribution: "Port office", Event: event}}}
	}
	rally := &briefings.Briefing{Slug: "rally-report", Title: "Rally report", Summary: "Retracta Vance holds the Vance rally.",
		Published: briefings.DayOf(2025, 8, 22), Topics: []string{"harbour-watch"}, Status: briefings.StatusPublished,
		Actors: []briefings.Actor{{Name: "Retracta Vance", Kind: briefings.KindPerson}},
		Events: []briefings.Event{{Name: "Vance rally", Date: briefings.DayOf(2025, 8, 23), Participants: []string{"Retracta Vance"}}},
		Facts:  []briefings.Fact{{Text: "Retracta Vance spoke at the Vance rally.", Attribution: "Rally Wire", Actors: []string{"Retracta Vance"}, Event: "Vance rally"}}}
	for _, bs := range [][]*briefings.Briefing{{draft, pact("Old harbour talks"), rally}, {pact("New harbour talks")}} {
		if _, err := c.lib.SaveBriefings(ctx, guild, bs, "test"); err != nil {
			t.Fatal(err)
		}
	}
	saved, err := c.lib.BriefingWithStatus(ctx, guild, "rally-report")
	if err != nil {
		t.Fatal(err)
	}
	saved.Status, saved.RetractionReason = briefings.StatusRetracted, "Made up."
	if _, err := c.lib.SaveCurated(ctx, briefings.Write{GuildID: guild, Briefing: saved, By: modID, BaseVersion: saved.Version, Action: briefings.AuditRetract}); err != nil {
		t.Fatal(err)
	}
}

// TestLeaks_MembersSeeOnlyPublished reads g1's library through every
// reading command and every autocomplete as a member, and finds nothing
// that only drafts, replaced versions, retracted briefings or another
// guild mention.
func TestLeaks_MembersSeeOnlyPublished(t *testing.T) {
	t.Parallel()
	c := newCuration(t)
	withHiddenThings(t, c)
	reads := map[string]*discordgo.Interaction{}
	for _, n := range []string{"Zora Quill", "zora", "Z. Quill", "Zora Quil", "Retracta Vance", "vance", "Retracta Vanse", "xyzzy"} {
		reads["actor "+n] = command("actor", opt("name", n))
		reads["timeline actor "+n] = command("timeline", opt("actor", n))
	}
	for _, n := range []string{"Quill summit", "quill", "Quill sumit", "Old harbour talks", "old harbour", "Old harbor talks", "Vance rally", "Vance ralli", "xyzzy"} {
		reads["event "+n] = command("event", opt("name", n))
	}
	for _, q := range []string{"Quill", "Zora Quill summit", "Vance rally", "harbour talks", "Zanzibar"} {
		reads["search "+q] = command("search", opt("query", q))
		reads["ask "+q] = command("ask", opt("question", "What do the briefings say about "+q+"?"))
	}
	for _, topic := range []string{"harbour-watch", "quill"} {
		reads["brief "+topic] = command("brief", opt("topic", topic))
		reads["timeline topic "+topic] = command("timeline", opt("topic", topic))
	}
	reads["brief"] = command("brief")
	reads["timeline"] = command("timeline")
	reads["topics"] = command("topics")
	for _, text := range []string{"", "q", "zo", "quil", "old", "harbour", "vance", "retr", "zanz"} {
		reads["complete actor "+text] = autocomplete("actor", focused("name", text))
		reads["complete event "+text] = autocomplete("event", focused("name", text))
		reads["complete timeline actor "+text] = autocomplete("timeline", focused("actor", text))
		reads["complete timeline topic "+text] = autocomplete("timeline", opt("actor", ""), focused("topic", text))
		reads["complete brief topic "+text] = autocomplete("brief", focused("topic", text))
		// a member without Manage Messages who sends /briefing anyway
		reads["complete briefing "+text] = autocomplete("briefing", sub("edit", focused("briefing", text)))
		reads["complete briefing actor "+text] = autocomplete("briefing", sub("actor", sub("edit", focused("name", text))))
	}
	for name, i := range reads {
		as(i, readerX, 0)
		got := strings.ToLower(textOf(t, c.handle(t, i)))
		// an answer may quote what the member typed
		for _, typed := range typedText(i) {
			got = strings.ReplaceAll(got, strings.ToLower(typed), "…")
		}
		for _, secret := range leakSecrets {
			if strings.Contains(got, secret) {
				t.Errorf("%s: a member reads %q:\n%s", name, secret, got)
			}
		}
	}

	// The published version's event answers, so the reads above could
	// have found the rest.
	for name, want := range map[string]struct {
		i    *discordgo.Interaction
		want string
	}{
		"event":          {command("event", opt("name", "New harbour talks")), "Harbour pact signed"},
		"complete event": {autocomplete("event", focused("name", "harbour")), "New harbour talks"},
		"timeline":       {command("timeline", opt("topic", "harbour-watch")), "New harbour talks"},
		"search":         {command("search", opt("query", "harbour pact")), "Harbour pact"},
	} {
		if got := textOf(t, c.handle(t, as(want.i, readerX, 0))); !strings.Contains(got, want.want) {
			t.Errorf("%s: want %q in\n%s", name, want.want, got)
		}
	}
}

// TestLeaks_ModeratorsCurateDrafts checks that what members cannot see is
// still in reach of the moderators who curate it.
func TestLeaks_ModeratorsCurateDrafts(t *testing.T) {
	t.Parallel()
	c := newCuration(t)
	withHiddenThings(t, c)
	for name, tc := range map[string]struct {
		i    *discordgo.Interaction
		want string
	}{
		"complete actor":  {autocomplete("briefing", sub("actor", sub("edit", focused("name", "zo")))), "Zora Quill"},
		"complete event":  {autocomplete("briefing", sub("event", sub("edit", focused("name", "quill")))), "Quill summit"},
		"edit actor":      {command("briefing", sub("actor", sub("edit", opt("name", "Zora Quill"), opt("description", "A planner.")))), "Saved **Zora Quill**"},
		"edit event":      {command("briefing", sub("event", sub("edit", opt("name", "Quill summit"), opt("location", "Oslo")))), "Saved **Quill summit**"},
		"complete drafts": {autocomplete("briefing", sub("edit", focused("briefing", "quill"))), "Quill plans a summit · draft"},
	} {
		if got := textOf(t, c.handle(t, as(tc.i, modID, modPerms))); !strings.Contains(got, tc.want) {
			t.Errorf("%s: want %q in\n%s", name, tc.want, got)
		}
	}
}

// typedText returns the text options of a command or autocomplete request.
func typedText(i *discordgo.Interaction) []string {
	var out []string
	var walk func(opts []*discordgo.ApplicationCommandInteractionDataOption)
	walk = func(opts []*discordgo.ApplicationCommandInteractionDataOption) {
		for _, o := range opts {
			if s, ok := o.Value.(string); ok && s != "" {
				out = append(out, s)
			}
			walk(o.Options)
		}
	}
	walk(i.Data.(discordgo.ApplicationCommandInteractionData).Options)
	return out
}

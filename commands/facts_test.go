package commands_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"briefbot/briefings"

	"github.com/bwmarrin/discordgo"
)

// sampleSlug is the sample briefing, whose key facts overflow /brief.
const sampleSlug = "putin-kim-call-2025-08-12"

// TestRouter_FactNumbersAndMoreFacts checks that moderators see facts
// numbered as /briefing fact edit and remove count them, members see
// bullets, and the More facts button shows every fact /brief left out.
func TestRouter_FactNumbersAndMoreFacts(t *testing.T) {
	t.Parallel()
	c := newCuration(t)
	ctx := context.Background()
	b, err := c.lib.Briefing(ctx, guild, sampleSlug)
	if err != nil {
		t.Fatal(err)
	}
	last := b.Facts[len(b.Facts)-1].Text
	brief := func() *discordgo.Interaction { return command("brief", opt("topic", "Alaska summit")) }

	// moreFacts presses every More facts button in turn, as the sender of
	// mk, and returns what the pages showed.
	moreFacts := func(t *testing.T, w wire, perms int64) string {
		t.Helper()
		var shown strings.Builder
		for pages := 0; ; pages++ {
			var next string
			for _, id := range w.buttons() {
				if strings.HasPrefix(id, "facts:") {
					next = id
				}
			}
			if next == "" {
				return shown.String()
			}
			if pages == 60 {
				t.Fatalf("More facts never ends: %s", next)
			}
			i := as(button(next), readerX, perms)
			if pages > 0 {
				// later presses come from the private page itself
				i.Message = &discordgo.Message{Flags: discordgo.MessageFlagsEphemeral}
			}
			p, _ := decode(t, c.handle(t, i))
			if !p.ephemeral() {
				t.Errorf("the facts page of %s is public", next)
			}
			if pages > 0 && p.Type != int(discordgo.InteractionResponseUpdateMessage) {
				t.Errorf("pressing More facts on a facts page gave type %d, want it updated", p.Type)
			}
			shown.WriteString(p.text())
			w = p
		}
	}
	t.Run("Member", func(t *testing.T) {
		w, _ := decode(t, c.handle(t, as(brief(), readerX, 0)))
		text := w.text()
		if strings.Contains(text, "**1.**") {
			t.Errorf("a member sees fact numbers:\n%s", text)
		}
		if strings.Contains(text, last) {
			t.Fatalf("the sample's facts no longer overflow /brief; the test needs a longer briefing")
		}
		pages := moreFacts(t, w, 0)
		if !strings.Contains(pages, last) {
			t.Errorf("More facts never shows the last fact %q:\n%s", last, pages)
		}
		if strings.Contains(pages, "**1.**") {
			t.Errorf("a member sees fact numbers on the facts pages:\n%s", pages)
		}
	})

	t.Run("Moderator", func(t *testing.T) {
		w, _ := decode(t, c.handle(t, as(brief(), modID, modPerms)))
		text := w.text()
		if !strings.Contains(text, "**1.** "+b.Facts[0].Text) {
			t.Errorf("a moderator doesn't see fact 1 numbered:\n%s", text)
		}
		pages := moreFacts(t, w, modPerms)
		if want := fmt.Sprintf("**%d.** %s", len(b.Facts), last); !strings.Contains(pages, want) {
			t.Errorf("More facts doesn't show %q:\n%s", want, pages)
		}
	})

	t.Run("LongBriefingLosesNoFact", func(t *testing.T) {
		// The stress briefing's summary and corrections leave no room for
		// all three fields of facts: those Discord's limits drop must come
		// on the More facts pages.
		w, _ := decode(t, c.handle(t, as(command("brief", opt("topic", "stress-test")), readerX, 0)))
		seen := w.text() + moreFacts(t, w, 0)
		for i := 0; i < briefings.MaxFacts; i++ {
			if !strings.Contains(seen, fmt.Sprintf("Fact %d:", i)) {
				t.Errorf("fact %d never shows on /brief or its More facts pages", i+1)
			}
		}
	})

	t.Run("ForgedButton", func(t *testing.T) {
		// another guild's briefing stays out of reach whatever the ID says
		w, _ := decode(t, c.handle(t, as(button("facts:zanzibar-ferry:0"), readerX, 0)))
		if !w.ephemeral() || strings.Contains(w.text(), "Zanzibar") {
			t.Errorf("a forged button showed another guild's briefing:\n%s", w.text())
		}
		w, _ = decode(t, c.handle(t, as(button("facts:../x:01"), readerX, 0)))
		if !w.ephemeral() || !strings.Contains(w.text(), "recognise") {
			t.Errorf("a malformed button gave:\n%s", w.text())
		}
	})

	t.Run("DraftPreview", func(t *testing.T) {
		preview := textOf(t, c.handle(t, as(modal("bf:add", article), modID, modPerms)))
		if !strings.Contains(preview, "**1.** ") {
			t.Errorf("the draft's preview doesn't number its facts:\n%s", preview)
		}
	})

	t.Run("DraftFactsOnlyForModerators", func(t *testing.T) {
		d := hostileBriefing()
		d.Slug, d.Status = "long-draft", briefings.StatusDraft
		if _, err := c.lib.SaveBriefings(ctx, guild, []*briefings.Briefing{d}, "test"); err != nil {
			t.Fatal(err)
		}
		w, _ := decode(t, c.handle(t, as(button("facts:long-draft:3"), readerX, 0)))
		if strings.Contains(w.text(), "Fact 3:") || !strings.Contains(w.text(), "no longer in the library") {
			t.Errorf("a member pressing a draft's More facts got:\n%s", w.text())
		}
		w, _ = decode(t, c.handle(t, as(button("facts:long-draft:3"), modID, modPerms)))
		if !w.ephemeral() || !strings.Contains(w.text(), "**4.** Fact 3:") {
			t.Errorf("a moderator pressing a draft's More facts got:\n%s", w.text())
		}
	})
}

// TestCuration_FactNumberAutocomplete checks that /briefing fact edit and
// remove offer the briefing's facts by number, filtered by what is typed,
// and only to those who may edit the briefing.
func TestCuration_FactNumberAutocomplete(t *testing.T) {
	t.Parallel()
	c := newCuration(t)
	ask := func(subcommand string, typed any, perms int64) wire {
		num := &discordgo.ApplicationCommandInteractionDataOption{Name: "number", Type: discordgo.ApplicationCommandOptionInteger, Value: typed, Focused: true}
		i := autocomplete("briefing", sub("fact", sub(subcommand, opt("briefing", "markup-stress"), num)))
		w, _ := decode(t, c.handle(t, as(i, modID, perms)))
		return w
	}
	for _, tt := range []struct {
		name   string
		sub    string
		typed  any
		perms  int64
		values []float64 // the choices' values, in order; nil for none
	}{
		{"Empty", "edit", "", modPerms, []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25}},
		{"Digits", "remove", "9", modPerms, []float64{9, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99,
			// then the other facts whose text holds a 9 (fact 10 is "Fact 9: …")
			10, 20, 30, 40, 50, 60, 70, 80, 100}},
		{"SentAsNumber", "edit", float64(42), modPerms, []float64{42, 43}},
		{"Words", "edit", "fact 57:", modPerms, []float64{58}},
		{"Member", "edit", "", 0, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := ask(tt.sub, tt.typed, tt.perms)
			var got []float64
			for _, ch := range w.Data.Choices {
				v, _ := ch.Value.(float64)
				got = append(got, v)
				if n := len([]rune(ch.Name)); n > 100 || !strings.HasPrefix(ch.Name, fmt.Sprintf("%g. Fact %g:", v, v-1)) {
					t.Errorf("choice %q (%d characters) for %g", ch.Name, n, v)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.values) {
				t.Errorf("values=%v, want %v", got, tt.values)
			}
		})
	}
}

// TestRouter_ActorFactsOverflow checks that an actor page with more facts
// than it shows points to the briefings instead of miscounting ("…and 1
// more" when the store was asked for one more than the page holds).
func TestRouter_ActorFactsOverflow(t *testing.T) {
	t.Parallel()
	r := newRouter(openLibrary(t))
	// the generated actor is in 12 briefings of 2 facts each
	w := handle(t, r, "/actor Baltic Grid Operator", command("actor", opt("name", "Baltic Grid Operator")))
	text := w.text()
	if strings.Contains(text, "…and 1 more") || !strings.Contains(text, "…more in the briefings") {
		t.Errorf("the page of an actor with 24 facts says:\n%s", text)
	}
}

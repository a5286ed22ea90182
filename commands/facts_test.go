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
			if pages == 10 {
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

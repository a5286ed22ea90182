package commands_test

import (
	"context"
	"strings"
	"testing"
)

// portArticle is a pasted article with a dateline line and a byline.
const portArticle = "WELLINGTON, Thursday 3 December 2026 (Harbour Times) — By Jane Doe\n\n" +
	"Dockworkers at the Port of Wellington walked off the job on Tuesday over new night rosters and pay.\n\n" +
	"The Port of Wellington said 12 ships were waiting to berth. The company said crossings resume on Monday.\n"

// TestAdd_SameArticleAgainWarns: pasting an article the guild already has
// (published, or as a draft; the same text with other spacing, or the
// same title) still drafts it, and the preview says which briefing it
// looks like and how to open it; another article gets no such warning.
func TestAdd_SameArticleAgainWarns(t *testing.T) {
	t.Parallel()
	c := newCuration(t)
	first := c.draftOf(t, portArticle, "Ports")
	if first.Source.Name != "Harbour Times" || first.Published.String() != "2026-12-03" {
		t.Fatalf("first draft: source %q, published %s", first.Source.Name, first.Published)
	}
	wants(t, textOf(t, c.handle(t, as(button("bpub:"+itoa(int(first.ID))+":1"), modID, modPerms))), "Published")

	again := textOf(t, c.handle(t, as(modal("bf:add", map[string]string{"body": strings.ReplaceAll(portArticle, "\n\n", "\n\n\n"), "topics": "Ports"}), modID, modPerms)))
	wants(t, again, "Here is your draft", "This looks like “"+first.Title+"” (published 3 December 2026)",
		"/briefing edit briefing:"+first.Slug, "or publish this as a separate briefing")
	list, _, err := c.lib.Drafts(context.Background(), guild, 5)
	if err != nil || len(list) != 1 || list[0].Slug != first.Slug+"-2" {
		t.Fatalf("the second paste is not its own draft: %+v %v", list, err)
	}
	// drafted again with the library knowing its actors, it reads the same
	second := c.current(t, list[0].Slug)
	for i, f := range second.Facts {
		if i < len(first.Facts) && f.Attribution != first.Facts[i].Attribution {
			t.Errorf("fact %d attributed to %q, at first to %q", i+1, f.Attribution, first.Facts[i].Attribution)
		}
	}

	// a draft with the same title, pasted with a headline
	third := textOf(t, c.handle(t, as(modal("bf:add", map[string]string{"body": second.Title + "\n\nOther words about the same dispute, written up again by another desk for the evening edition.\n", "topics": "Ports"}), modID, modPerms)))
	wants(t, third, "This looks like “"+second.Title+"”")

	other := textOf(t, c.handle(t, as(modal("bf:add", map[string]string{"body": "Ferry fares rise\n\nFares on the Cook Strait ferries rise by 4 percent from January, the operator said on Wednesday.\n", "topics": "Ports"}), modID, modPerms)))
	if strings.Contains(other, "This looks like") {
		t.Errorf("another article is taken for one the guild has:\n%s", other)
	}
}

package commands_test

import (
	"strings"
	"testing"
)

// TestRouter_ActorManyMentions checks that an actor in more briefings than
// the page lists counts them all but cites only the newest.
func TestRouter_ActorManyMentions(t *testing.T) {
	t.Parallel()
	r := newRouter(openLibrary(t))
	w := handle(t, r, "/actor Baltic Grid Operator", command("actor", opt("name", "Baltic Grid Operator")))
	if w.ephemeral() || len(w.Data.Embeds) != 1 {
		t.Fatalf("want one public embed, got %s", w.text())
	}
	var name, value string
	for _, f := range w.Data.Embeds[0].Fields {
		if strings.HasPrefix(f.Name, "Briefings") {
			name, value = f.Name, f.Value
		}
	}
	// 12 briefings mention the operator; the page cites the 10 newest, of
	// which the field has room for 9, and counts the other 3.
	if name != "Briefings (12)" {
		t.Errorf("briefings field=%q, want Briefings (12)", name)
	}
	for _, want := range []string{"[1] ", "update number 12]", "[9] ", "update number 4]", "…and 3 more"} {
		if !strings.Contains(value, want) {
			t.Errorf("briefings lack %q:\n%s", want, value)
		}
	}
	for _, unwanted := range []string{"[10] ", "update number 3]", "update number 2]", "…and 1 more"} {
		if strings.Contains(value, unwanted) {
			t.Errorf("briefings show %q beyond the 10 newest:\n%s", unwanted, value)
		}
	}
}

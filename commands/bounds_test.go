package commands_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"briefbot/briefings"

	"github.com/bwmarrin/discordgo"
)

// TestSettings_TimeZone: /settings reads a time zone as /subscribe does,
// suggesting the full name for a city and saving the zone's own spelling.
func TestSettings_TimeZone(t *testing.T) {
	t.Parallel()
	c := newCuration(t)
	admin := func(zone string) *discordgo.Interaction {
		return as(command("settings", opt("timezone", zone)), "300", discordgo.PermissionManageGuild)
	}
	got := textOf(t, c.handle(t, admin("Berlin")))
	if !strings.Contains(got, "did you mean Europe/Berlin") || strings.Contains(got, "Saved") {
		t.Errorf("settings timezone:Berlin says %q, want a suggestion of Europe/Berlin and nothing saved", got)
	}
	s, err := c.lib.Settings(context.Background(), guild)
	if err != nil {
		t.Fatal(err)
	}
	if s.TimeZone != "" {
		t.Errorf("stored time zone %q after a refused one, want none", s.TimeZone)
	}
	if got := textOf(t, c.handle(t, admin("europe/berlin"))); !strings.Contains(got, "Saved") || !strings.Contains(got, "**Digest time zone:** Europe/Berlin") {
		t.Errorf("settings timezone:europe/berlin says %q, want Europe/Berlin saved", got)
	}
	resp := c.r.Handle(context.Background(), as(autocomplete("settings", focused("timezone", "berl")), "300", discordgo.PermissionManageGuild))
	if resp.Data == nil || len(resp.Data.Choices) == 0 || resp.Data.Choices[0].Value != "Europe/Berlin" {
		t.Errorf("settings timezone autocomplete for berl: %+v", resp.Data)
	}
}

// TestRouter_BoundsOptionText: an option longer than the catalog allows is
// refused at once, naming the option and its limit, whichever transport it
// came through; autocomplete on such text offers nothing, quickly. It
// times the answers, so it does not run in parallel with other tests.
func TestRouter_BoundsOptionText(t *testing.T) {
	r, _ := subsRouter(t)
	huge := strings.Repeat("Europe/Berlinx", 100_000/14)
	for _, tc := range []struct {
		name string
		i    *discordgo.Interaction
		want string
	}{
		{"timezone", manager(command("subscribe", opt("topic", "arctic-shipping"), opt("timezone", huge))), "The timezone option takes at most 64 characters; yours has 99988"},
		{"time", manager(command("subscribe", opt("topic", "arctic-shipping"), opt("time", huge))), "The time option takes at most"},
		{"topic", command("brief", opt("topic", huge)), "The topic option takes at most 100 characters"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			w := handle(t, r, tc.name, tc.i)
			if took := time.Since(start); took > 500*time.Millisecond {
				t.Errorf("took %v", took)
			}
			if !strings.Contains(w.text(), tc.want) || !w.ephemeral() {
				t.Errorf("response %q, want a private %q", briefings.Truncate(w.text(), 300), tc.want)
			}
		})
	}
	start := time.Now()
	resp := r.Handle(context.Background(), autocomplete("subscribe", opt("topic", "x"), focused("timezone", huge)))
	if took := time.Since(start); took > 500*time.Millisecond || len(resp.Data.Choices) != 0 {
		t.Errorf("autocomplete on 100 KB: %d choices in %v", len(resp.Data.Choices), took)
	}
}

package commands_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"briefbot/commands"
)

// TestPublicURL_LinksToTheReadingRoom: with a reading room, a global
// briefing's embed and the citations [n] of /timeline, /actor and /event
// link to its page there, with the date and source after; without one,
// they link to the source as before.
func TestPublicURL_LinksToTheReadingRoom(t *testing.T) {
	t.Parallel()
	lib := openLibrary(t)
	const page = "https://room.example/briefings/putin-kim-call-2025-08-12"
	with := commands.New(lib, commands.Options{Now: func() time.Time { return clock }, PublicURL: "https://room.example/"})
	without := newRouter(lib)
	if e := with.Handle(context.Background(), command("brief")).Data.Embeds[0]; e.URL != page {
		t.Errorf("/brief links its title to %q, want %q", e.URL, page)
	}
	if e := without.Handle(context.Background(), command("brief")).Data.Embeds[0]; strings.Contains(e.URL, "room.example") {
		t.Errorf("without a reading room, /brief links to %q", e.URL)
	}
	for _, i := range []struct {
		name string
		cmd  string
		opt  string
		val  string
	}{
		{"timeline", "timeline", "topic", "Alaska summit"},
		{"actor", "actor", "name", "Kim Jong Un"},
		{"event", "event", "name", "Alaska summit"},
	} {
		t.Run(i.name, func(t *testing.T) {
			got := with.Handle(context.Background(), command(i.cmd, opt(i.opt, i.val)))
			text := embedsText(t, got.Data.Embeds)
			if !strings.Contains(text, "[1] [") || !strings.Contains(text, "]("+page+")") {
				t.Errorf("the citations do not link to the briefing's page:\n%s", text)
			}
			if !strings.Contains(text, "· 12 August 2025 · Seed article (briefbot sample)") {
				t.Errorf("the citation lost its date or source:\n%s", text)
			}
			plain := embedsText(t, without.Handle(context.Background(), command(i.cmd, opt(i.opt, i.val))).Data.Embeds)
			if strings.Contains(plain, "room.example") {
				t.Errorf("without a reading room the citations link to it:\n%s", plain)
			}
		})
	}
}

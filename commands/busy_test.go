package commands_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"briefbot/briefings"
	"briefbot/commands"
	"briefbot/db"

	"github.com/bwmarrin/discordgo"
)

// busyLibrary is a library whose moderator writes find it busy (EBUSY)
// the first failures times, as the store says when a large import holds
// the write lock for longer than it waits.
type busyLibrary struct {
	*db.DB
	failures int
	tries    int
}

func (b *busyLibrary) SaveCurated(ctx context.Context, w briefings.Write) (briefings.SaveOutcome, error) {
	b.tries++
	if b.tries <= b.failures {
		return briefings.SaveOutcome{}, briefings.Errorf(briefings.EBUSY, "The library is busy saving other changes, such as an import.")
	}
	return b.DB.SaveCurated(ctx, w)
}

// TestRouter_BusyLibrary: a moderator's write that finds the library busy
// is tried again, and when it stays busy the answer says so and keeps the
// text. It changes the package's pauses between tries, so it does not run
// in parallel with other tests.
func TestRouter_BusyLibrary(t *testing.T) {
	commands.SetBusyRetries(t, time.Millisecond, time.Millisecond, time.Millisecond)
	correct := func() *discordgo.Interaction {
		return as(command("briefing", sub("correct", opt("briefing", "putin-kim-call-2025-08-12"), opt("text", "The call lasted 90 minutes."))), ownerID, 0)
	}
	tests := []struct {
		name     string
		failures int
		want     []string
	}{
		{"RetriedUntilSaved", 2, []string{"Added the correction"}},
		{"StillBusyKeepsTheText", 10, []string{"still busy", "Run the command again", "The call lasted 90 minutes."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lib := &busyLibrary{DB: openLibrary(t), failures: tt.failures}
			var notes []string
			r := commands.New(lib, commands.Options{Now: func() time.Time { return clock }, Curator: lib, OwnerIDs: []string{ownerID}})
			progress := func(p *discordgo.InteractionResponse) { notes = append(notes, p.Data.Content) }
			got := textOf(t, r.HandleWithProgress(context.Background(), correct(), progress))
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("answer lacks %q: %s", w, got)
				}
			}
			if strings.Contains(got, "went wrong") {
				t.Errorf("a busy library got the generic apology: %s", got)
			}
			if len(notes) == 0 || !strings.Contains(notes[0], "busy") || !strings.Contains(notes[0], "retrying") {
				t.Errorf("no \"busy, retrying\" note while waiting: %q", notes)
			}
		})
	}
}

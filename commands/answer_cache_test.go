package commands_test

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"briefbot/briefings"
	"briefbot/commands"

	"github.com/bwmarrin/discordgo"
)

// harbourStrike is a briefing of g1's own library that the answer cache
// tests edit through the moderators' commands.
func harbourStrike() *briefings.Briefing {
	union := "Harbour Pilots Union"
	vote := "Harbour pilots strike vote"
	return &briefings.Briefing{
		Slug:      "harbour-strike",
		Title:     "Harbour pilots vote to strike",
		Summary:   "The harbour pilots voted to strike over night shifts.",
		Published: briefings.DayOf(2025, time.August, 28),
		Topics:    []string{"harbour-labour"},
		Status:    briefings.StatusPublished,
		Actors:    []briefings.Actor{{Name: union, Kind: briefings.KindGroup, Description: "The pilots' trade union."}},
		Events:    []briefings.Event{{Name: vote, Date: briefings.DayOf(2025, time.August, 27), Participants: []string{union}}},
		Facts: []briefings.Fact{
			{Text: "The pilots walked out at dawn.", Attribution: "union spokesperson", Actors: []string{union}, Event: vote},
		},
	}
}

// TestAnswerCache_NeverStaleAfterAWrite answers read-only commands through
// a Router with the answer cache, changes the library through the
// moderators' commands, and asks again: every answer after a write shows
// it, and an unchanged library is answered from the cache.
func TestAnswerCache_NeverStaleAfterAWrite(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	lib := openLibrary(t)
	if _, err := lib.SaveBriefings(ctx, guild, []*briefings.Briefing{harbourStrike()}, "test"); err != nil {
		t.Fatal(err)
	}
	r := commands.New(lib, commands.Options{Now: func() time.Time { return clock }, Curator: lib, AnswerCache: commands.DefaultAnswerCache})
	moderate := func(t *testing.T, i *discordgo.Interaction, want string) {
		t.Helper()
		if got := textOf(t, r.Handle(ctx, as(i, modID, modPerms))); !strings.Contains(got, want) {
			t.Fatalf("moderator's command answered %q, want %q", got, want)
		}
	}
	ask := func(t *testing.T, i *discordgo.Interaction) string {
		t.Helper()
		return textOf(t, r.Handle(ctx, i))
	}
	event := func() *discordgo.Interaction { return command("event", opt("name", "Harbour pilots strike vote")) }
	actor := func() *discordgo.Interaction { return command("actor", opt("name", "Harbour Pilots Union")) }
	search := func() *discordgo.Interaction { return command("search", opt("query", "harbour pilots")) }
	complete := func() *discordgo.Interaction { return autocomplete("actor", focused("name", "Harbour")) }

	steps := []struct {
		name string
		ask  func() *discordgo.Interaction
		// write, when set, runs as a moderator between the two answers.
		write     *discordgo.Interaction
		writeSays string
		// before and after must be in the answers before and after the
		// write; gone must not be in the second (nor in the first with
		// goneBefore).
		before, after, gone string
		goneBefore          bool
		// notKept: the answer is not one the cache keeps.
		notKept bool
	}{
		{name: "FactEdited", ask: event,
			write:     command("briefing", sub("fact", sub("edit", opt("briefing", "harbour-strike"), intOpt("number", 1), opt("text", "The pilots returned at noon.")))),
			writeSays: "Changed fact 1",
			before:    "walked out at dawn", after: "returned at noon", gone: "walked out at dawn"},
		{name: "ActorEdited", ask: actor,
			write:     command("briefing", sub("actor", sub("edit", opt("name", "Harbour Pilots Union"), opt("description", "A union of harbour pilots since 1911.")))),
			writeSays: "since 1911",
			before:    "trade union", after: "since 1911", gone: "trade union"},
		// /search keeps the briefing's answer, then a retraction by way
		// of another command must reach it too.
		{name: "Unchanged", ask: search, before: "Harbour pilots vote to strike", after: "Harbour pilots vote to strike"},
		{name: "RetractedFromAutocomplete", ask: complete,
			write:     command("briefing", sub("retract", opt("briefing", "harbour-strike"), opt("reason", "Wrong harbour."))),
			writeSays: "Retracted",
			before:    "Harbour Pilots Union", gone: "Harbour Pilots Union"},
		// Nothing found is a user's error, which is made anew each time.
		{name: "RetractedFromSearch", ask: search, gone: "Harbour pilots vote to strike", goneBefore: true, notKept: true},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			first := ask(t, s.ask())
			hits0, _ := r.AnswerCacheCounts()
			if again := ask(t, s.ask()); again != first {
				t.Errorf("the same request in an unchanged library answered\n%s\nthen\n%s", first, again)
			}
			want := hits0 + 1
			if s.notKept {
				want = hits0
			}
			if hits, _ := r.AnswerCacheCounts(); hits != want {
				t.Errorf("cache hits went from %d to %d on a repeated request, want %d", hits0, hits, want)
			}
			if s.write != nil {
				moderate(t, s.write, s.writeSays)
			}
			second := ask(t, s.ask())
			if !strings.Contains(first, s.before) {
				t.Errorf("before: %q is not in\n%s", s.before, first)
			}
			if !strings.Contains(second, s.after) {
				t.Errorf("after: %q is not in\n%s", s.after, second)
			}
			if s.gone != "" && strings.Contains(second, s.gone) {
				t.Errorf("after the write, %q is still in\n%s", s.gone, second)
			}
			if s.goneBefore && strings.Contains(first, s.gone) {
				t.Errorf("after the write, %q is still in\n%s", s.gone, first)
			}
		})
	}
}

// TestAnswerCache_PerGuild checks that an answer kept for one guild is
// never shown to another, whose library differs.
func TestAnswerCache_PerGuild(t *testing.T) {
	t.Parallel()
	lib := openLibrary(t)
	r := commands.New(lib, commands.Options{Now: func() time.Time { return clock }, AnswerCache: commands.DefaultAnswerCache})
	in := func(g string) *discordgo.Interaction {
		i := command("topics")
		i.GuildID = g
		return i
	}
	for _, g := range []string{otherGuild, guild, otherGuild, guild} {
		got := textOf(t, r.Handle(context.Background(), in(g)))
		if sees := strings.Contains(got, "Ferries"); sees != (g == otherGuild) {
			t.Errorf("guild %s: sees g2's topic %v, want %v:\n%s", g, sees, g == otherGuild, got)
		}
	}
	if hits, misses := r.AnswerCacheCounts(); hits != 2 || misses != 2 {
		t.Errorf("hits %d, misses %d; want 2 and 2", hits, misses)
	}
}

// TestAnswerCache_TimelinePicture checks that a timeline answered from the
// cache still carries its picture, whole, each time it is sent.
func TestAnswerCache_TimelinePicture(t *testing.T) {
	t.Parallel()
	lib := openLibrary(t)
	r := commands.New(lib, commands.Options{Now: func() time.Time { return clock }, AnswerCache: commands.DefaultAnswerCache})
	var pictures [][]byte
	for range 3 {
		resp := r.Handle(context.Background(), command("timeline"))
		if resp.Data == nil || len(resp.Data.Files) != 1 {
			t.Fatalf("timeline without its picture: %+v", resp.Data)
		}
		data, err := io.ReadAll(resp.Data.Files[0].Reader)
		if err != nil {
			t.Fatal(err)
		}
		pictures = append(pictures, data)
	}
	if len(pictures[0]) == 0 || !bytes.Equal(pictures[0], pictures[1]) || !bytes.Equal(pictures[0], pictures[2]) {
		t.Errorf("pictures of %d, %d and %d bytes, want the same picture each time", len(pictures[0]), len(pictures[1]), len(pictures[2]))
	}
	if hits, misses := r.AnswerCacheCounts(); hits != 2 || misses != 1 {
		t.Errorf("hits %d, misses %d; want 2 and 1", hits, misses)
	}
}

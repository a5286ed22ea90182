package commands_test

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"briefbot/briefings"
	"briefbot/commands"

	"github.com/bwmarrin/discordgo"
)

var roomLinkRE = regexp.MustCompile(`https://room\.example/g/([A-Za-z0-9_-]+)/`)

// TestSettings_ReadingRoom: only admins turn a server's reading room on;
// the reply is private, mentions no one, and gives the link; citations of
// the server's briefings in /search and /ask link to its room while it is
// on, and stop when it is off; a new link replaces the old one.
func TestSettings_ReadingRoom(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	lib := openLibrary(t)
	own := &briefings.Briefing{Slug: "quay-repairs", Title: "Quay repairs start", Summary: "Repairs to the north quay start in October.",
		Published: briefings.DayOf(2025, 9, 5), Topics: []string{"harbour"}, Source: briefings.Source{Name: "Wire", URL: "https://example.com/quay"},
		Facts: []briefings.Fact{{Text: "Repairs to the north quay take eleven weeks.", Attribution: "the port"}}}
	if _, err := lib.SaveBriefings(ctx, guild, []*briefings.Briefing{own}, "test"); err != nil {
		t.Fatal(err)
	}
	r := commands.New(lib, commands.Options{Now: func() time.Time { return clock }, Curator: lib, Rooms: lib, PublicURL: "https://room.example"})
	admin := func(opts ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.Interaction {
		return as(command("settings", opts...), "300", discordgo.PermissionManageGuild)
	}
	on := func(name string, v bool) *discordgo.ApplicationCommandInteractionDataOption {
		return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionBoolean, Value: v}
	}
	searchText := func() string {
		return textOf(t, r.Handle(ctx, command("search", opt("query", "north quay"))))
	}
	askText := func() string {
		return textOf(t, r.Handle(ctx, command("ask", opt("question", "How long do the north quay repairs take?"))))
	}
	if s := searchText(); strings.Contains(s, "/g/") || !strings.Contains(s, "Quay repairs start") {
		t.Fatalf("with the room off, /search links to it, or lacks the briefing:\n%s", s)
	}

	refused := r.Handle(ctx, as(command("settings", on("reading_room", true)), modID, modPerms))
	if got := textOf(t, refused); !strings.Contains(got, "Manage Server") {
		t.Errorf("a moderator without Manage Server: %s", got)
	}
	if room, _ := lib.ReadingRoom(ctx, guild); room.On {
		t.Fatal("a moderator without Manage Server turned the room on")
	}

	resp := r.Handle(ctx, admin(on("reading_room", true)))
	raw, _ := json.Marshal(resp)
	text := textOf(t, resp)
	m := roomLinkRE.FindStringSubmatch(text)
	if resp.Data.Flags&discordgo.MessageFlagsEphemeral == 0 || !strings.Contains(string(raw), `"allowed_mentions":{"parse":[],`) || m == nil {
		t.Fatalf("turning the room on: not private, mentions allowed, or no link:\n%s", raw)
	}
	key := m[1]
	if !briefings.ValidRoomKey(key) || strings.Contains(key, guild) {
		t.Fatalf("the link's key %q is not a room key", key)
	}
	want := "https://room.example/g/" + key + "/briefings/quay-repairs"
	if s := searchText(); !strings.Contains(s, "]("+want+")") {
		t.Errorf("/search does not link the server's briefing to its room:\n%s", s)
	}
	if s := askText(); !strings.Contains(s, "]("+want+")") {
		t.Errorf("/ask does not link its source to the room:\n%s", s)
	}
	if s := textOf(t, r.Handle(ctx, command("search", opt("query", "Kursk")))); !strings.Contains(s, "](https://room.example/briefings/") {
		t.Errorf("/search does not link a global briefing to the global pages:\n%s", s)
	}
	if got := textOf(t, r.Handle(ctx, admin())); !strings.Contains(got, "https://room.example/g/"+key+"/") {
		t.Errorf("/settings does not show the room's link:\n%s", got)
	}

	rotated := textOf(t, r.Handle(ctx, admin(on("new_reading_room_link", true))))
	m = roomLinkRE.FindStringSubmatch(rotated)
	if m == nil || m[1] == key || !strings.Contains(rotated, "the old one no longer works") {
		t.Fatalf("a new link: %s", rotated)
	}
	if s := searchText(); strings.Contains(s, key) || !strings.Contains(s, "/g/"+m[1]+"/briefings/quay-repairs") {
		t.Errorf("/search after a new link:\n%s", s)
	}

	off := textOf(t, r.Handle(ctx, admin(on("reading_room", false))))
	if !strings.Contains(off, "**Reading room:** off") || strings.Contains(off, m[1]) {
		t.Errorf("turning the room off: %s", off)
	}
	if s := searchText(); strings.Contains(s, "/g/") || !strings.Contains(s, "(https://example.com/quay)") {
		t.Errorf("with the room off, /search still links to it:\n%s", s)
	}
	if room, _ := lib.ReadingRoom(ctx, guild); room.On || room.Key != m[1] {
		t.Errorf("stored room %+v, want off with the last key", room)
	}
}

// TestSettings_RoomOptionsOnlyWithRooms: /settings offers the reading
// room's options only when the bot keeps reading rooms.
func TestSettings_RoomOptionsOnlyWithRooms(t *testing.T) {
	t.Parallel()
	lib := openLibrary(t)
	for _, tt := range []struct {
		opts commands.Options
		want bool
	}{
		{commands.Options{Curator: lib}, false},
		{commands.Options{Curator: lib, Rooms: lib}, true},
	} {
		found := false
		for _, c := range commands.New(lib, tt.opts).Commands() {
			if c.Name != "settings" {
				continue
			}
			for _, o := range c.Options {
				found = found || o.Name == "reading_room"
			}
		}
		if found != tt.want {
			t.Errorf("Rooms set %v: reading_room offered %v", tt.opts.Rooms != nil, found)
		}
	}
}

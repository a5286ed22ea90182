package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"briefbot/bot/discordtest"
	"briefbot/briefings"
	"briefbot/db"

	"github.com/bwmarrin/discordgo"
)

// TestServe_ServerReadingRoom runs `briefbot serve` with the reading room
// and the fake Discord: the catalog with the room's options registers
// cleanly; an admin turns the server's room on with /settings over signed
// HTTP interactions and gets its link; the link opens the server's
// briefings, and /search links to them; turned off, the link answers as
// an unknown key does; the key never reaches the logs.
func TestServe_ServerReadingRoom(t *testing.T) {
	t.Parallel()
	token := "tok-" + strings.Repeat("r", 40)
	fake := discordtest.New(t, discordtest.Token(token))
	addr, webAddr := freeAddr(t), freeAddr(t)
	public := "http://" + webAddr
	var logs bytes.Buffer
	m := NewMain()
	m.Stdout, m.Stderr = &logs, &logs
	m.DotEnv = ""
	m.ConfigureSession = fake.Attach
	path := filepath.Join(t.TempDir(), "lib.db")
	env := map[string]string{"BRIEFBOT_DB": path, "DISCORD_PUBLIC_KEY": hex.EncodeToString(fake.PublicKey()),
		"DISCORD_TOKEN": token, "DISCORD_APP_ID": discordtest.AppID, "BRIEFBOT_WEB_ADDR": webAddr,
		"BRIEFBOT_PUBLIC_URL": public, "BRIEFBOT_LOG_LEVEL": "debug"}
	m.Getenv = func(k string) string { return env[k] }
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- m.Run(runCtx, []string{"serve", "--addr", addr}) }()
	defer func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("serve returned %v", err)
		}
		m.Close()
	}()

	endpoint := "http://" + addr + "/interactions"
	post := func(i *discordgo.Interaction) string {
		t.Helper()
		var resp *discordgo.InteractionResponse
		var err error
		for ctx.Err() == nil {
			if resp, err = fake.PostInteraction(ctx, endpoint, i); err == nil {
				break
			}
			time.Sleep(20 * time.Millisecond) // still starting
		}
		if err != nil || resp.Data == nil {
			t.Fatalf("no answer from serve: %v\nlogs:\n%s", err, logs.String())
		}
		text := resp.Data.Content
		for _, e := range resp.Data.Embeds {
			text += "\n" + e.Title + "\n" + e.Description
			for _, f := range e.Fields {
				text += "\n" + f.Value
			}
		}
		if resp.Data.AllowedMentions == nil || len(resp.Data.AllowedMentions.Parse) != 0 {
			t.Errorf("an answer allows mentions: %+v", resp.Data.AllowedMentions)
		}
		return text
	}
	fetch := func(url string) (int, string) {
		t.Helper()
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	settings := func(perms int64, opts ...*discordgo.ApplicationCommandInteractionDataOption) string {
		i := discordtest.Command("settings", opts...)
		i.Member.Permissions = perms
		return post(i)
	}
	admin := int64(discordtest.MemberPermissions | discordgo.PermissionManageGuild)

	// The first answer means serve is up, with its commands registered.
	if got := settings(admin); !strings.Contains(got, "**Reading room:** off") {
		t.Fatalf("/settings on a new server: %s", got)
	}
	var registered bool
	for _, c := range fake.Commands("") {
		registered = registered || c.Name == "settings" && slices.ContainsFunc(c.Options, func(o *discordgo.ApplicationCommandOption) bool { return o.Name == "reading_room" })
	}
	if !registered {
		t.Error("/settings was registered without the reading room's option")
	}
	fake.RequireNoViolations(t)

	lib, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lib.SaveBriefings(ctx, discordtest.GuildID, []*briefings.Briefing{{Slug: "quay-repairs", Title: "Quay repairs start",
		Summary: "Repairs to the north quay start in October.", Published: briefings.DayOf(2025, 9, 5), Topics: []string{"harbour"},
		Source: briefings.Source{Name: "Wire", URL: "https://example.com/quay"}}}, "test"); err != nil {
		t.Fatal(err)
	}
	lib.Close()

	if got := settings(discordtest.MemberPermissions|discordgo.PermissionManageMessages, discordtest.Bool("reading_room", true)); !strings.Contains(got, "Manage Server") {
		t.Errorf("a member without Manage Server: %s", got)
	}
	on := settings(admin, discordtest.Bool("reading_room", true))
	link := regexp.MustCompile(regexp.QuoteMeta(public) + `/g/([A-Za-z0-9_-]{24})/`).FindStringSubmatch(on)
	if link == nil {
		t.Fatalf("turning the room on gave no link: %s", on)
	}
	if status, body := fetch(link[0]); status != 200 || !strings.Contains(body, "Harbour") {
		t.Errorf("the room's home: %d\n%s", status, body)
	}
	page := link[0] + "briefings/quay-repairs"
	if status, body := fetch(page); status != 200 || !strings.Contains(body, "Quay repairs start") {
		t.Errorf("the server's briefing in its room: %d\n%s", status, body)
	}
	if status, _ := fetch(public + "/briefings/quay-repairs"); status != 404 {
		t.Errorf("the server's briefing on the global pages: %d, want 404", status)
	}
	if got := post(discordtest.Command("search", discordtest.String("query", "north quay"))); !strings.Contains(got, "]("+page+")") {
		t.Errorf("/search does not link to the room:\n%s", got)
	}

	settings(admin, discordtest.Bool("reading_room", false))
	never, _ := briefings.NewRoomKey()
	_, unknown := fetch(public + "/g/" + never + "/briefings/quay-repairs")
	status, body := fetch(page)
	if status != 404 || body != strings.ReplaceAll(unknown, never, link[1]) {
		t.Errorf("a room turned off: %d, not the unknown key's page:\n%s", status, body)
	}
	if strings.Contains(logs.String(), link[1]) {
		t.Errorf("the logs hold the room's key:\n%s", logs.String())
	}
	fake.RequireNoViolations(t)
}

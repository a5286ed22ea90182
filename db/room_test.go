package db_test

import (
	"context"
	"strings"
	"testing"

	"briefbot/briefings"
	"briefbot/db"
)

// TestReadingRoom: a guild's room is off with no key until saved; on, its
// key opens it; off, or under a key it no longer has, the key opens
// nothing; the audit log says what changed but never holds the key.
func TestReadingRoom(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {
		room, err := d.ReadingRoom(ctx, "g1")
		if err != nil || room.On || room.Key != "" || room.GuildID != "g1" {
			t.Fatalf("a new guild's room: %+v, %v; want off without a key", room, err)
		}
		key, _ := briefings.NewRoomKey()
		if err := d.SaveReadingRoom(ctx, briefings.ReadingRoom{GuildID: "g1", Key: key, On: true}, "admin"); err != nil {
			t.Fatal(err)
		}
		if got, err := d.OpenReadingRoom(ctx, key); err != nil || got.GuildID != "g1" || !got.On {
			t.Fatalf("open by key: %+v, %v", got, err)
		}
		if got, _ := d.ReadingRoom(ctx, "g1"); got.Key != key || !got.On {
			t.Fatalf("room after saving: %+v", got)
		}

		rotated, _ := briefings.NewRoomKey()
		if err := d.SaveReadingRoom(ctx, briefings.ReadingRoom{GuildID: "g1", Key: rotated, On: true}, "admin"); err != nil {
			t.Fatal(err)
		}
		if _, err := d.OpenReadingRoom(ctx, key); codeOf(err) != briefings.ENOTFOUND {
			t.Errorf("the old key still opens the room: %v", err)
		}
		if got, err := d.OpenReadingRoom(ctx, rotated); err != nil || got.GuildID != "g1" {
			t.Errorf("the new key: %+v, %v", got, err)
		}

		if err := d.SaveReadingRoom(ctx, briefings.ReadingRoom{GuildID: "g1", Key: rotated, On: false}, "admin"); err != nil {
			t.Fatal(err)
		}
		_, offErr := d.OpenReadingRoom(ctx, rotated)
		never, _ := briefings.NewRoomKey()
		_, unknownErr := d.OpenReadingRoom(ctx, never)
		if codeOf(offErr) != briefings.ENOTFOUND || offErr.Error() != unknownErr.Error() {
			t.Errorf("a room turned off: %v; an unknown key: %v; want the same not-found", offErr, unknownErr)
		}
		for _, bad := range []string{"", "g1", "../../etc", strings.Repeat("A", 25)} {
			if _, err := d.OpenReadingRoom(ctx, bad); codeOf(err) != briefings.ENOTFOUND {
				t.Errorf("OpenReadingRoom(%q): %v, want not found", bad, err)
			}
		}
		if err := d.SaveReadingRoom(ctx, briefings.ReadingRoom{GuildID: "g1", Key: "short", On: true}, "admin"); codeOf(err) != briefings.EINVALID {
			t.Errorf("a malformed key was saved: %v", err)
		}

		log, err := d.AuditLog(ctx, "g1", 10)
		if err != nil || len(log) != 3 {
			t.Fatalf("audit log: %d entries, %v; want 3", len(log), err)
		}
		if !strings.Contains(log[1].After, `"new_key":true`) || !strings.Contains(log[0].After, `"reading_room":false`) {
			t.Errorf("the log does not say what changed: %+v", log)
		}
		for _, e := range log {
			for _, k := range []string{key, rotated} {
				if strings.Contains(e.Before+e.After+e.Target, k) {
					t.Errorf("the audit log holds a key: %+v", e)
				}
			}
		}
	})
}

// TestLibraryVersion: every write to the briefings or topics moves the
// version on; reading does not.
func TestLibraryVersion(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {
		v0, err := d.LibraryVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		out, err := d.SaveBriefings(ctx, "", []*briefings.Briefing{kimPutin()}, "test")
		if err != nil {
			t.Fatal(err)
		}
		v1, _ := d.LibraryVersion(ctx)
		if v1 <= v0 {
			t.Fatalf("saving a briefing left the version at %d", v1)
		}
		if _, err := d.Briefing(ctx, "", out[0].Slug); err != nil {
			t.Fatal(err)
		}
		if v, _ := d.LibraryVersion(ctx); v != v1 {
			t.Errorf("reading moved the version from %d to %d", v1, v)
		}
		b, _ := d.Briefing(ctx, "", out[0].Slug)
		b.Status, b.RetractionReason = briefings.StatusRetracted, "withdrawn"
		if _, err := d.SaveCurated(ctx, briefings.Write{Briefing: b, By: "mod", BaseVersion: b.Version, Action: briefings.AuditRetract, Note: "withdrawn"}); err != nil {
			t.Fatal(err)
		}
		v2, _ := d.LibraryVersion(ctx)
		if v2 <= v1 {
			t.Errorf("a retraction left the version at %d", v2)
		}
		if err := d.SaveTopic(ctx, "", briefings.Topic{Slug: "korea", Name: "The Koreas"}); err != nil {
			t.Fatal(err)
		}
		if v, _ := d.LibraryVersion(ctx); v <= v2 {
			t.Errorf("renaming a topic left the version at %d", v)
		}
	})
}

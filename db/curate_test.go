package db_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"briefbot/briefings"
	"briefbot/db"
)

func TestDB_SaveCurated(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {
		draft := kimPutin()
		draft.Status = briefings.StatusDraft
		out, err := d.SaveCurated(ctx, briefings.Write{GuildID: "g1", Briefing: draft, By: "mod1", Action: briefings.AuditDraft})
		if err != nil {
			t.Fatalf("create draft: %v", err)
		}
		if out.Action != "created" || out.Version != 1 {
			t.Fatalf("outcome=%+v, want created v1", out)
		}
		if _, err := d.Briefing(ctx, "g1", out.Slug); codeOf(err) != briefings.ENOTFOUND {
			t.Fatalf("a draft is visible to readers: %v", err)
		}

		t.Run("SlugTaken", func(t *testing.T) {
			_, err := d.SaveCurated(ctx, briefings.Write{GuildID: "g1", Briefing: kimPutin(), By: "mod2", Action: briefings.AuditDraft})
			if codeOf(err) != briefings.ECONFLICT {
				t.Fatalf("err=%v, want conflict", err)
			}
		})

		found, err := d.BriefingWithStatus(ctx, "g1", out.Slug)
		if err != nil {
			t.Fatal(err)
		}
		b, err := d.EditableBriefing(ctx, found.ID)
		if err != nil {
			t.Fatal(err)
		}
		if b.Version != 1 || b.GuildID != "g1" || b.Status != briefings.StatusDraft || len(b.Actors) != 2 {
			t.Fatalf("editable=%+v", b)
		}
		b.Status = briefings.StatusPublished
		if _, err := d.SaveCurated(ctx, briefings.Write{GuildID: "g1", Briefing: b, By: "mod1", BaseVersion: 1, Action: briefings.AuditPublish}); err != nil {
			t.Fatalf("publish: %v", err)
		}
		if _, err := d.Briefing(ctx, "g1", out.Slug); err != nil {
			t.Fatalf("published briefing not visible: %v", err)
		}

		t.Run("Stale", func(t *testing.T) {
			old := *b
			old.Summary = "A summary typed on version 1."
			_, err := d.SaveCurated(ctx, briefings.Write{GuildID: "g1", Briefing: &old, By: "mod2", BaseVersion: 1, Action: briefings.AuditEdit})
			var stale *briefings.StaleError
			if !errors.As(err, &stale) || codeOf(err) != briefings.ECONFLICT {
				t.Fatalf("err=%v, want a stale error", err)
			}
			msg := briefings.ErrorMessage(err)
			if !strings.Contains(msg, "version 2 by mod1") || !strings.Contains(msg, "status") {
				t.Errorf("message does not say what changed: %s", msg)
			}
		})

		t.Run("AtVersion", func(t *testing.T) {
			v1, err := d.BriefingAtVersion(ctx, found.ID, 1)
			if err != nil || v1.Version != 1 || v1.Status != briefings.StatusDraft || v1.Slug != out.Slug || v1.Title != b.Title {
				t.Fatalf("version 1: %+v %v", v1, err)
			}
			v2, err := d.BriefingAtVersion(ctx, found.ID, 2)
			if err != nil || v2.Version != 2 || v2.Status != briefings.StatusPublished {
				t.Fatalf("version 2: %+v %v", v2, err)
			}
			if _, err := d.BriefingAtVersion(ctx, found.ID, 9); codeOf(err) != briefings.ENOTFOUND {
				t.Fatalf("a version never saved: %v", err)
			}
		})

		t.Run("Invalid", func(t *testing.T) {
			bad := *b
			bad.Title = ""
			bad.Facts = append([]briefings.Fact(nil), b.Facts...)
			bad.Facts[0].Attribution = ""
			_, err := d.SaveCurated(ctx, briefings.Write{GuildID: "g1", Briefing: &bad, By: "mod1", BaseVersion: 2, Action: briefings.AuditEdit})
			if codeOf(err) != briefings.EINVALID || !strings.Contains(briefings.ErrorMessage(err), "title: required") ||
				!strings.Contains(briefings.ErrorMessage(err), "facts[1].attribution") {
				t.Fatalf("err=%v, want every failure listed", err)
			}
		})

		t.Run("RetractStampsAndAnnounces", func(t *testing.T) {
			r, _ := d.EditableBriefing(ctx, found.ID)
			r.Status, r.RetractionReason = briefings.StatusRetracted, "The meeting never took place."
			if _, err := d.SaveCurated(ctx, briefings.Write{GuildID: "g1", Briefing: r, By: "mod1", BaseVersion: r.Version,
				Action: briefings.AuditRetract, Note: r.RetractionReason}); err != nil {
				t.Fatal(err)
			}
			if _, err := d.Briefing(ctx, "g1", out.Slug); codeOf(err) != briefings.ENOTFOUND {
				t.Fatalf("retracted briefing still answers: %v", err)
			}
			notices, err := d.Notices(ctx, "g1", now.Add(-time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			if len(notices) != 1 || notices[0].Action != briefings.AuditRetract || notices[0].Text != "The meeting never took place." || notices[0].Briefing.Slug != out.Slug {
				t.Fatalf("notices=%+v", notices)
			}
			if other, _ := d.Notices(ctx, "g2", now.Add(-time.Hour)); len(other) != 0 {
				t.Errorf("another guild sees g1's notices: %+v", other)
			}
			hist, err := d.BriefingHistory(ctx, "g1", out.Slug)
			if err != nil || len(hist) != 3 || hist[0].Changes != "status, retraction_reason" {
				t.Fatalf("history=%+v %v", hist, err)
			}
		})

		t.Run("AuditLog", func(t *testing.T) {
			log, err := d.AuditLog(ctx, "g1", 0)
			if err != nil {
				t.Fatal(err)
			}
			var actions []string
			for _, e := range log {
				actions = append(actions, string(e.Action))
			}
			if got, want := strings.Join(actions, ","), "retract,publish,draft"; got != want {
				t.Fatalf("actions=%s, want %s", got, want)
			}
			if log[1].Before == "" || log[1].After == "" || log[2].Before != "" || log[1].UserID != "mod1" || !log[1].At.Equal(now) {
				t.Errorf("publish entry=%+v", log[1])
			}
		})
	})
}

func TestDB_DiscardDraft(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {
		draft := simple("Draft with an event", briefings.DayOf(2025, 8, 12))
		draft.Status = briefings.StatusDraft
		draft.Events = []briefings.Event{{Name: "Only in the draft", Date: briefings.DayOf(2025, 8, 15)}}
		out, err := d.SaveCurated(ctx, briefings.Write{GuildID: "g1", Briefing: draft, By: "m", Action: briefings.AuditDraft})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := d.BriefingWithStatus(ctx, "g1", out.Slug)
		if err := d.DiscardDraft(ctx, "g2", b.ID, 1, "m"); codeOf(err) != briefings.ENOTFOUND {
			t.Fatalf("another guild discarded it: %v", err)
		}
		if err := d.DiscardDraft(ctx, "g1", b.ID, 1, "m"); err != nil {
			t.Fatal(err)
		}
		rows := countRowsIn(t, d, "briefings", "events", "audit_log")
		if rows["briefings"] != 0 || rows["events"] != 0 || rows["audit_log"] != 2 {
			t.Fatalf("rows after discard=%v", rows)
		}
		if err := d.DiscardDraft(ctx, "g1", b.ID, 1, "m"); codeOf(err) != briefings.ENOTFOUND {
			t.Fatalf("second discard: %v", err)
		}
	})
}

func TestDB_ImportBriefings(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {
		bad := missileTest()
		bad.Facts[0].Actors = []string{"Nobody Known"}
		_, err := d.ImportBriefings(ctx, "g1", []*briefings.Briefing{kimPutin(), bad}, "m")
		var batch *briefings.BatchError
		if !errors.As(err, &batch) || len(batch.Items) != 1 || batch.Items[0].Index != 1 {
			t.Fatalf("err=%v, want the second briefing refused", err)
		}
		if rows := countRowsIn(t, d, "briefings", "actors", "audit_log"); rows["briefings"]+rows["actors"]+rows["audit_log"] != 0 {
			t.Fatalf("a failed import wrote %v", rows)
		}
		out, err := d.ImportBriefings(ctx, "g1", []*briefings.Briefing{kimPutin(), missileTest()}, "m")
		if err != nil || len(out) != 2 {
			t.Fatalf("import=%v %v", out, err)
		}
		if _, err := d.ImportBriefings(ctx, "g1", []*briefings.Briefing{kimPutin()}, "m"); err != nil {
			t.Fatal(err)
		}
		if rows := countRowsIn(t, d, "audit_log"); rows["audit_log"] != 2 {
			t.Errorf("audit entries=%d, want 2 (an unchanged briefing writes none)", rows["audit_log"])
		}
	})
}

func TestDB_UpdateActorAndEvent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {
		mustSave(t, d, "g1", kimPutin())
		mustSave(t, d, "", simple("Global", briefings.DayOf(2025, 1, 1)))
		kim, err := d.Actor(ctx, "g1", "kim")
		if err != nil {
			t.Fatal(err)
		}
		kim.Aliases = []string{"Kim Jong-un", "Chairman Kim"}
		kim.Description = "Supreme Leader of North Korea"
		if err := d.UpdateActor(ctx, "g2", *kim, "m"); codeOf(err) != briefings.ENOTFOUND {
			t.Fatalf("another guild edited the actor: %v", err)
		}
		if err := d.UpdateActor(ctx, "g1", *kim, "m"); err != nil {
			t.Fatal(err)
		}
		if got, err := d.Actor(ctx, "g1", "chairman kim"); err != nil || got.Description != "Supreme Leader of North Korea" {
			t.Fatalf("actor by new alias=%+v %v", got, err)
		}
		if _, err := d.Actor(ctx, "g1", "kim"); codeOf(err) != briefings.ENOTFOUND {
			t.Errorf("the removed alias still names the actor: %v", err)
		}
		kim.Aliases = []string{"Putin"}
		if err := d.UpdateActor(ctx, "g1", *kim, "m"); codeOf(err) != briefings.ECONFLICT {
			t.Errorf("alias of another actor: %v", err)
		}

		ev, err := d.Event(ctx, "g1", "Vladivostok summit")
		if err != nil {
			t.Fatal(err)
		}
		ev.Date, ev.End = briefings.DayOf(2025, 8, 12), briefings.DayOf(2025, 8, 11)
		if err := d.UpdateEvent(ctx, "g1", *ev, "m"); codeOf(err) != briefings.EINVALID {
			t.Fatalf("end before date: %v", err)
		}
		ev.End = briefings.DayOf(2025, 8, 13)
		if err := d.UpdateEvent(ctx, "g1", *ev, "m"); err != nil {
			t.Fatal(err)
		}
		if got, _ := d.Event(ctx, "g1", "Vladivostok summit"); got.Date.String() != "2025-08-12" || got.End.String() != "2025-08-13" {
			t.Errorf("event=%+v", got)
		}
		log, _ := d.AuditLog(ctx, "g1", 10)
		if len(log) != 2 || log[0].Action != briefings.AuditEventEdit || log[1].Action != briefings.AuditActorEdit ||
			!strings.Contains(log[1].Before, `"Kim"`) || !strings.Contains(log[1].After, "Chairman Kim") {
			t.Errorf("audit=%+v", log)
		}
	})
}

func TestDB_Settings(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {
		s, err := d.Settings(ctx, "g1")
		if err != nil || s.ModeratorRoleID != "" || s.Location() != time.UTC {
			t.Fatalf("default settings=%+v %v", s, err)
		}
		for _, bad := range []briefings.GuildSettings{
			{GuildID: "g1", TimeZone: "Mars/Olympus"},
			{GuildID: "g1", TimeZone: "Local"},
			{GuildID: "g1", ModeratorRoleID: "<@&12>"},
		} {
			if err := d.SaveSettings(ctx, bad, "admin"); codeOf(err) != briefings.EINVALID {
				t.Errorf("SaveSettings(%+v)=%v, want invalid", bad, err)
			}
		}
		if err := d.SaveSettings(ctx, briefings.GuildSettings{GuildID: "g1", ModeratorRoleID: "42", TimeZone: "Europe/Paris"}, "admin"); err != nil {
			t.Fatal(err)
		}
		s, _ = d.Settings(ctx, "g1")
		if s.ModeratorRoleID != "42" || s.TimeZone != "Europe/Paris" || s.UpdatedBy != "admin" || s.Location().String() != "Europe/Paris" {
			t.Errorf("settings=%+v", s)
		}
		if other, _ := d.Settings(ctx, "g2"); other.ModeratorRoleID != "" {
			t.Errorf("g2 sees g1's settings: %+v", other)
		}
		if log, _ := d.AuditLog(ctx, "g1", 1); len(log) != 1 || log[0].Action != briefings.AuditSettings || !strings.Contains(log[0].After, "Europe/Paris") {
			t.Errorf("audit=%+v", log)
		}
	})
}

func TestDB_FormDrafts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {
		id, err := d.SaveFormDraft(ctx, briefings.FormDraft{GuildID: "g1", UserID: "u1", Kind: "add", Fields: map[string]string{"title": "Typed"}})
		if err != nil {
			t.Fatal(err)
		}
		got, err := d.FormDraft(ctx, id)
		if err != nil || got.Fields["title"] != "Typed" || got.UserID != "u1" {
			t.Fatalf("form=%+v %v", got, err)
		}
		d.Now = func() time.Time { return now.Add(briefings.FormDraftTTL + time.Minute) }
		if _, err := d.FormDraft(ctx, id); codeOf(err) != briefings.ENOTFOUND {
			t.Errorf("an expired form reopened: %v", err)
		}
	})
}

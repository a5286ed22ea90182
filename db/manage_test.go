package db_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"strings"
	"testing"

	"briefbot/briefings"
	"briefbot/db"
)

// saveDraft saves b as a draft of the guild's library and returns its id.
func saveDraft(tb testing.TB, d *db.DB, guildID string, b *briefings.Briefing) int64 {
	tb.Helper()
	ctx := context.Background()
	b.Status = briefings.StatusDraft
	out, err := d.SaveCurated(ctx, briefings.Write{GuildID: guildID, Briefing: b, By: "mod", Action: briefings.AuditDraft})
	if err != nil {
		tb.Fatalf("save draft: %v", err)
	}
	found, err := d.BriefingWithStatus(ctx, guildID, out.Slug)
	if err != nil {
		tb.Fatal(err)
	}
	return found.ID
}

// resave saves the briefing again as it stands for editing, as every
// moderator command does, and fails on a refusal.
func resave(tb testing.TB, d *db.DB, id int64) *briefings.Briefing {
	tb.Helper()
	ctx := context.Background()
	b, err := d.EditableBriefing(ctx, id)
	if err != nil {
		tb.Fatal(err)
	}
	b.Summary += " Edited."
	if _, err := d.SaveCurated(ctx, briefings.Write{GuildID: b.GuildID, Briefing: b, By: "mod", BaseVersion: b.Version, Action: briefings.AuditEdit}); err != nil {
		tb.Fatalf("save %q again: %v", b.Slug, err)
	}
	return b
}

// lastAudit returns the newest audit entry of the guild's library.
func lastAudit(tb testing.TB, d *db.DB, guildID string) briefings.AuditEntry {
	tb.Helper()
	log, err := d.AuditLog(context.Background(), guildID, 1)
	if err != nil || len(log) != 1 {
		tb.Fatalf("audit log: %v %v", log, err)
	}
	return log[0]
}

func TestDB_AddActor(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {
		mustSave(t, d, "g1", kimPutin())
		mustSave(t, d, "", &briefings.Briefing{Title: "Global", Summary: "S.", Published: briefings.DayOf(2025, 1, 1), Topics: []string{"general"},
			Actors: []briefings.Actor{{Name: "United Nations", Kind: briefings.KindOrganization}}})

		a, err := d.AddActor(ctx, "g1", briefings.Actor{Name: " Sergei Shoigu ", Kind: briefings.KindPerson, Aliases: []string{"Shoigu", "shoigu", ""}}, "mod")
		if err != nil {
			t.Fatal(err)
		}
		if a.Name != "Sergei Shoigu" || a.GuildID != "g1" || len(a.Aliases) != 1 {
			t.Fatalf("added=%+v", a)
		}
		if got, err := d.ActorToCurate(ctx, "g1", "shoigu"); err != nil || got.ID != a.ID {
			t.Fatalf("moderators do not find the new actor by its alias: %+v %v", got, err)
		}
		if _, err := d.Actor(ctx, "g1", "Shoigu"); codeOf(err) != briefings.ENOTFOUND {
			t.Errorf("members see an actor no published briefing mentions: %v", err)
		}
		if _, err := d.ActorToCurate(ctx, "g2", "Shoigu"); codeOf(err) != briefings.ENOTFOUND {
			t.Errorf("another guild sees the actor: %v", err)
		}
		if e := lastAudit(t, d, "g1"); e.Action != briefings.AuditActorAdd || e.Before != "" || !strings.Contains(e.After, "Sergei Shoigu") || e.UserID != "mod" {
			t.Errorf("audit=%+v", e)
		}

		for name, tc := range map[string]struct {
			a                  briefings.Actor
			code, existing, of string
		}{
			"NameIsAnAlias":  {briefings.Actor{Name: "kim jong-un"}, briefings.ECONFLICT, "Kim Jong-un", "Kim Jong Un"},
			"AliasTaken":     {briefings.Actor{Name: "Someone", Aliases: []string{"Putin"}}, briefings.ECONFLICT, "Putin", "Vladimir Putin"},
			"GlobalName":     {briefings.Actor{Name: "United Nations"}, briefings.ECONFLICT, "United Nations", "United Nations"},
			"LooksAlike":     {briefings.Actor{Name: "Кim Jong Un"}, briefings.ECONFLICT, "Kim Jong Un", "Kim Jong Un"},
			"BadKind":        {briefings.Actor{Name: "Someone", Kind: "robot"}, briefings.EINVALID, "", ""},
			"NoName":         {briefings.Actor{Name: "  "}, briefings.EINVALID, "", ""},
			"NameTooLong":    {briefings.Actor{Name: strings.Repeat("x", briefings.MaxName+1)}, briefings.EINVALID, "", ""},
			"TwoLines":       {briefings.Actor{Name: "Some\none"}, briefings.EINVALID, "", ""},
			"Control":        {briefings.Actor{Name: "Some\x1b[31mone"}, briefings.EINVALID, "", ""},
			"BidiAlias":      {briefings.Actor{Name: "Someone", Aliases: []string{"\u202eenoemos"}}, briefings.EINVALID, "", ""},
			"DescriptionBig": {briefings.Actor{Name: "Someone", Description: strings.Repeat("x", briefings.MaxDescription+1)}, briefings.EINVALID, "", ""},
		} {
			t.Run(name, func(t *testing.T) {
				_, err := d.AddActor(ctx, "g1", tc.a, "mod")
				if got := codeOf(err); got != tc.code {
					t.Fatalf("code=%q, want %q (%v)", got, tc.code, err)
				}
				var taken *briefings.NameTakenError
				if tc.existing != "" && (!errors.As(err, &taken) || taken.Existing != tc.existing || taken.Of != tc.of) {
					t.Errorf("err=%v, want it to name %q of %q", err, tc.existing, tc.of)
				}
			})
		}
		if got := countRowsIn(t, d, "actors")["actors"]; got != 4 {
			t.Errorf("actors=%d, want 4: a refused add wrote something", got)
		}
	})
}

func TestDB_AddEvent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {
		mustSave(t, d, "g1", kimPutin())
		e, err := d.AddEvent(ctx, "g1", briefings.Event{Name: "Alaska summit", Date: briefings.DayOf(2025, 8, 15), Location: "Anchorage",
			Participants: []string{"putin"}}, "mod")
		if err != nil {
			t.Fatal(err)
		}
		if e.Date.String() != "2025-08-15" || len(e.Participants) != 1 || e.Participants[0] != "Vladimir Putin" {
			t.Fatalf("added=%+v", e)
		}
		if e := lastAudit(t, d, "g1"); e.Action != briefings.AuditEventAdd || !strings.Contains(e.After, "Anchorage") {
			t.Errorf("audit=%+v", e)
		}
		month, _ := briefings.ParseDate("2025-08")
		for name, tc := range map[string]struct {
			e    briefings.Event
			code string
		}{
			"Taken":              {briefings.Event{Name: "vladivostok SUMMIT", Date: month}, briefings.ECONFLICT},
			"LooksAlike":         {briefings.Event{Name: "Аlaska summit", Date: month}, briefings.ECONFLICT},
			"NoDate":             {briefings.Event{Name: "Talks"}, briefings.EINVALID},
			"EndBeforeDate":      {briefings.Event{Name: "Talks", Date: briefings.DayOf(2025, 8, 2), End: briefings.DayOf(2025, 8, 1)}, briefings.EINVALID},
			"UnknownParticipant": {briefings.Event{Name: "Talks", Date: month, Participants: []string{"Nobody"}}, briefings.EINVALID},
		} {
			t.Run(name, func(t *testing.T) {
				if _, err := d.AddEvent(ctx, "g1", tc.e, "mod"); codeOf(err) != tc.code {
					t.Fatalf("err=%v, want %s", err, tc.code)
				}
			})
		}
		if _, err := d.AddEvent(ctx, "g2", briefings.Event{Name: "Alaska summit", Date: month}, "mod"); err != nil {
			t.Errorf("another guild cannot have its own event of the same name: %v", err)
		}
	})
}

func TestDB_RenameActor(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {
		mustSave(t, d, "g1", kimPutin())
		draft := saveDraft(t, d, "g1", missileTest())
		kim, err := d.ActorToCurate(ctx, "g1", "Kim Jong Un")
		if err != nil {
			t.Fatal(err)
		}
		before := countRowsIn(t, d, "actors", "fact_actors", "briefing_actors")

		if _, err := d.RenameActor(ctx, "g2", kim.ID, "Kim Jong-un II", true, "mod"); codeOf(err) != briefings.ENOTFOUND {
			t.Fatalf("a moderator of another guild renamed the actor: %v", err)
		}
		if _, err := d.RenameActor(ctx, "g1", kim.ID, "Putin", true, "mod"); codeOf(err) != briefings.ECONFLICT {
			t.Fatalf("renamed to another actor's alias: %v", err)
		}
		got, err := d.RenameActor(ctx, "g1", kim.ID, "Kim Jong-un", true, "mod")
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "Kim Jong-un" || strings.Join(got.Aliases, ",") != "Kim,Kim Jong Un" {
			t.Fatalf("renamed=%+v, want the alias promoted and the old name kept", got)
		}
		if a, err := d.Actor(ctx, "g1", "Kim Jong Un"); err != nil || a.ID != kim.ID {
			t.Errorf("the old name no longer finds the actor: %+v %v", a, err)
		}
		b, err := d.Briefing(ctx, "g1", "kim-meets-putin-in-vladivostok")
		if err != nil {
			t.Fatal(err)
		}
		if b.Facts[0].Actors[0] != "Kim Jong-un" || b.Facts[1].Actors[0] != "Kim Jong-un" {
			t.Errorf("facts=%+v, want them to name the actor by its new name", b.Facts)
		}
		edited := resave(t, d, draft)
		if edited.Facts[0].Actors[0] != "Kim Jong-un" {
			t.Errorf("the draft's snapshot still says %q", edited.Facts[0].Actors[0])
		}
		pub, _ := d.BriefingWithStatus(ctx, "g1", "kim-meets-putin-in-vladivostok")
		if e := resave(t, d, pub.ID); e.Actors[0].Name != "Kim Jong-un" {
			t.Errorf("the published briefing declares %+v", e.Actors[0])
		}
		if after := countRowsIn(t, d, "actors", "fact_actors", "briefing_actors"); after["actors"] != before["actors"] ||
			after["fact_actors"] != before["fact_actors"] || after["briefing_actors"] != before["briefing_actors"] {
			t.Errorf("rows before %v, after the rename and two saves %v", before, after)
		}
		e := lastAudit(t, d, "g1")
		log, _ := d.AuditLog(ctx, "g1", 5)
		for _, l := range log {
			if l.Action == briefings.AuditActorRename {
				e = l
			}
		}
		if e.Action != briefings.AuditActorRename || !strings.Contains(e.Before, `"Kim Jong Un"`) || !strings.Contains(e.After, `"Kim Jong-un"`) {
			t.Errorf("audit=%+v", e)
		}

		t.Run("DropOldName", func(t *testing.T) {
			if _, err := d.RenameActor(ctx, "g1", kim.ID, "Kim Jong Un", false, "mod"); err != nil {
				t.Fatal(err)
			}
			if _, err := d.ActorToCurate(ctx, "g1", "Kim Jong-un"); codeOf(err) != briefings.ENOTFOUND {
				t.Errorf("the dropped name still finds the actor: %v", err)
			}
			resave(t, d, draft)
			if n := countRowsIn(t, d, "actors")["actors"]; n != before["actors"] {
				t.Errorf("actors=%d, want %d: a save brought the dropped name back", n, before["actors"])
			}
		})
	})
}

func TestDB_RenameEvent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {
		mustSave(t, d, "g1", kimPutin())
		ev, _ := d.EventToCurate(ctx, "g1", "Vladivostok summit")
		if _, err := d.RenameEvent(ctx, "g2", ev.ID, "Vostochny summit", "mod"); codeOf(err) != briefings.ENOTFOUND {
			t.Fatalf("another guild renamed the event: %v", err)
		}
		if _, err := d.RenameEvent(ctx, "g1", ev.ID, "Vostochny summit", "mod"); err != nil {
			t.Fatal(err)
		}
		b, _ := d.Briefing(ctx, "g1", "kim-meets-putin-in-vladivostok")
		if b.Facts[0].Event != "Vostochny summit" || b.Events[0].Name != "Vostochny summit" {
			t.Errorf("briefing=%+v %+v", b.Facts[0], b.Events)
		}
		if e := resave(t, d, b.ID); e.Facts[0].Event != "Vostochny summit" {
			t.Errorf("snapshot fact=%+v", e.Facts[0])
		}
		if _, err := d.EventToCurate(ctx, "g1", "Vladivostok summit"); codeOf(err) != briefings.ENOTFOUND {
			t.Errorf("a save brought the old event back: %v", err)
		}
		if e := lastAudit(t, d, "g1"); e.Action != briefings.AuditEdit {
			t.Errorf("audit=%+v", e)
		}
	})
}

func TestDB_MergeActors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {
		mustSave(t, d, "g1", kimPutin())
		dup := &briefings.Briefing{Title: "Pyongyang statement", Summary: "S.", Published: briefings.DayOf(2025, 8, 14), Topics: []string{"korea"},
			Actors: []briefings.Actor{{Name: "Kim J.U.", Description: "Spelled another way"}},
			Events: []briefings.Event{{Name: "Statement", Date: briefings.DayOf(2025, 8, 14), Participants: []string{"Kim J.U.", "Putin"}}},
			Facts:  []briefings.Fact{{Text: "He spoke.", Attribution: "KCNA", Actors: []string{"Kim J.U.", "Kim Jong Un"}}}}
		draft := saveDraft(t, d, "g1", dup)
		from, _ := d.ActorToCurate(ctx, "g1", "Kim J.U.")
		into, _ := d.ActorToCurate(ctx, "g1", "Kim Jong Un")

		if _, err := d.MergeActors(ctx, "g2", from.ID, into.ID, "mod"); codeOf(err) != briefings.ENOTFOUND {
			t.Fatalf("another guild merged: %v", err)
		}
		if _, err := d.MergeActors(ctx, "g1", into.ID, into.ID, "mod"); codeOf(err) != briefings.EINVALID {
			t.Fatalf("merged into itself: %v", err)
		}
		out, err := d.MergeActors(ctx, "g1", from.ID, into.ID, "mod")
		if err != nil {
			t.Fatal(err)
		}
		if out.Briefings != 1 || out.Facts != 1 {
			t.Errorf("outcome=%+v", out)
		}
		if got, err := d.ActorToCurate(ctx, "g1", "kim j.u."); err != nil || got.ID != into.ID || got.Description != "Leader of North Korea" {
			t.Fatalf("the merged name finds %+v %v", got, err)
		}
		b, err := d.BriefingWithStatus(ctx, "g1", "pyongyang-statement")
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Facts[0].Actors) != 1 || b.Facts[0].Actors[0] != "Kim Jong Un" || b.Events[0].Participants[0] != "Kim Jong Un" {
			t.Errorf("draft=%+v %+v", b.Facts, b.Events)
		}
		e := resave(t, d, draft)
		if len(e.Actors) != 1 || e.Actors[0].Name != "Kim Jong Un" || len(e.Facts[0].Actors) != 1 {
			t.Errorf("snapshot=%+v %+v", e.Actors, e.Facts)
		}
		if n := countRowsIn(t, d, "actors")["actors"]; n != 2 {
			t.Errorf("actors=%d, want 2", n)
		}
		log, _ := d.AuditLog(ctx, "g1", 3)
		found := false
		for _, l := range log {
			if l.Action == briefings.AuditActorMerge && strings.Contains(l.Before, "Spelled another way") && strings.Contains(l.After, "Kim J.U.") {
				found = true
			}
		}
		if !found {
			t.Errorf("no merge in the audit log: %+v", log)
		}
	})
}

func TestDB_MergeEvents(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {
		mustSave(t, d, "g1", kimPutin())
		dup := &briefings.Briefing{Title: "Summit recap", Summary: "S.", Published: briefings.DayOf(2025, 8, 14), Topics: []string{"korea"},
			Actors: []briefings.Actor{{Name: "Sergei Lavrov"}},
			Events: []briefings.Event{{Name: "Vostochny meeting", Date: briefings.DayOf(2025, 8, 11), Participants: []string{"Sergei Lavrov"}}},
			Facts:  []briefings.Fact{{Text: "They met.", Attribution: "TASS", Event: "Vostochny meeting"}}}
		mustSave(t, d, "g1", dup)
		from, _ := d.EventToCurate(ctx, "g1", "Vostochny meeting")
		into, _ := d.EventToCurate(ctx, "g1", "Vladivostok summit")
		out, err := d.MergeEvents(ctx, "g1", from.ID, into.ID, "mod")
		if err != nil {
			t.Fatal(err)
		}
		if out.Briefings != 1 || out.Facts != 1 {
			t.Errorf("outcome=%+v", out)
		}
		b, _ := d.Briefing(ctx, "g1", "summit-recap")
		if b.Facts[0].Event != "Vladivostok summit" || len(b.Events) != 1 || b.Events[0].Name != "Vladivostok summit" {
			t.Errorf("briefing=%+v %+v", b.Facts, b.Events)
		}
		if got, _ := d.EventToCurate(ctx, "g1", "Vladivostok summit"); len(got.Participants) != 3 {
			t.Errorf("participants=%v, want Kim, Putin and Lavrov", got.Participants)
		}
		// Kim takes part in the merged event, so the recap now mentions him.
		if refs, n, err := d.BriefingsMentioning(ctx, "g1", mustActor(t, d, "Kim").ID, 0, 10); err != nil || n != 2 {
			t.Errorf("briefings mentioning Kim: %v %d %v", refs, n, err)
		}
		if e := resave(t, d, b.ID); e.Facts[0].Event != "Vladivostok summit" {
			t.Errorf("snapshot=%+v", e.Facts)
		}
		if _, err := d.EventToCurate(ctx, "g1", "Vostochny meeting"); codeOf(err) != briefings.ENOTFOUND {
			t.Errorf("the merged event is back: %v", err)
		}
	})
}

func mustActor(tb testing.TB, d *db.DB, name string) *briefings.Actor {
	tb.Helper()
	a, err := d.ActorToCurate(context.Background(), "g1", name)
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

func TestDB_DeleteActor(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {
		mustSave(t, d, "g1", kimPutin())
		draft := saveDraft(t, d, "g1", &briefings.Briefing{Title: "Lavrov visits", Summary: "S.", Published: briefings.DayOf(2025, 8, 14), Topics: []string{"russia"},
			Actors: []briefings.Actor{{Name: "Sergei Lavrov"}},
			Events: []briefings.Event{{Name: "Lavrov visit", Date: briefings.DayOf(2025, 8, 14), Participants: []string{"Sergei Lavrov", "Putin"}}},
			Facts:  []briefings.Fact{{Text: "He flew in.", Attribution: "TASS", Actors: []string{"Sergei Lavrov", "Putin"}}}})
		putin := mustActor(t, d, "Putin")
		before := countRowsIn(t, d, "actors", "audit_log")

		_, err := d.DeleteActor(ctx, "g1", putin.ID, "mod")
		var inUse *briefings.InUseError
		if !errors.As(err, &inUse) || codeOf(err) != briefings.ECONFLICT || len(inUse.Briefings) != 1 ||
			inUse.Briefings[0].Slug != "kim-meets-putin-in-vladivostok" || inUse.Briefings[0].Title != "Kim meets Putin in Vladivostok" {
			t.Fatalf("err=%v, want it refused naming the published briefing only", err)
		}
		if after := countRowsIn(t, d, "actors", "audit_log"); after["actors"] != before["actors"] || after["audit_log"] != before["audit_log"] {
			t.Fatalf("a refused delete changed %v into %v", before, after)
		}
		if _, err := d.DeleteActor(ctx, "g2", putin.ID, "mod"); codeOf(err) != briefings.ENOTFOUND {
			t.Fatalf("another guild: %v", err)
		}

		lavrov := mustActor(t, d, "Sergei Lavrov")
		out, err := d.DeleteActor(ctx, "g1", lavrov.ID, "mod")
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Drafts) != 1 || out.Drafts[0].Slug != "lavrov-visits" {
			t.Errorf("outcome=%+v", out)
		}
		if _, err := d.ActorToCurate(ctx, "g1", "Sergei Lavrov"); codeOf(err) != briefings.ENOTFOUND {
			t.Errorf("still there: %v", err)
		}
		e := resave(t, d, draft)
		if len(e.Actors) != 0 || strings.Join(e.Facts[0].Actors, ",") != "Putin" || strings.Join(e.Events[0].Participants, ",") != "Putin" {
			t.Errorf("draft snapshot=%+v %+v %+v", e.Actors, e.Facts, e.Events)
		}
		if _, err := d.ActorToCurate(ctx, "g1", "Sergei Lavrov"); codeOf(err) != briefings.ENOTFOUND {
			t.Errorf("a save of the draft brought it back: %v", err)
		}
		log, _ := d.AuditLog(ctx, "g1", 2)
		if log[1].Action != briefings.AuditActorDelete || !strings.Contains(log[1].Before, "Sergei Lavrov") || log[1].After != "" {
			t.Errorf("audit=%+v", log[1])
		}
	})
}

func TestDB_DeleteEvent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {
		mustSave(t, d, "g1", kimPutin())
		draft := saveDraft(t, d, "g1", &briefings.Briefing{Title: "Lavrov visits", Summary: "S.", Published: briefings.DayOf(2025, 8, 14), Topics: []string{"russia"},
			Events: []briefings.Event{{Name: "Lavrov visit", Date: briefings.DayOf(2025, 8, 14), Participants: []string{"Putin"}}},
			Facts:  []briefings.Fact{{Text: "He flew in.", Attribution: "TASS", Event: "Lavrov visit"}, {Text: "Again.", Attribution: "TASS", Event: "Vladivostok summit"}}})
		summit, _ := d.EventToCurate(ctx, "g1", "Vladivostok summit")
		_, err := d.DeleteEvent(ctx, "g1", summit.ID, "mod")
		var inUse *briefings.InUseError
		if !errors.As(err, &inUse) || len(inUse.Briefings) != 1 || !strings.Contains(briefings.ErrorMessage(err), "Kim meets Putin in Vladivostok") {
			t.Fatalf("err=%v", err)
		}
		visit, _ := d.EventToCurate(ctx, "g1", "Lavrov visit")
		if _, err := d.DeleteEvent(ctx, "g1", visit.ID, "mod"); err != nil {
			t.Fatal(err)
		}
		b, _ := d.BriefingWithStatus(ctx, "g1", "lavrov-visits")
		if len(b.Events) != 1 || b.Facts[0].Event != "" || b.Facts[1].Event != "Vladivostok summit" {
			t.Errorf("draft=%+v %+v", b.Events, b.Facts)
		}
		if e := resave(t, d, draft); len(e.Events) != 0 || e.Facts[0].Event != "" {
			t.Errorf("snapshot=%+v %+v", e.Events, e.Facts)
		}
		if _, err := d.EventToCurate(ctx, "g1", "Lavrov visit"); codeOf(err) != briefings.ENOTFOUND {
			t.Errorf("a save brought it back: %v", err)
		}
	})
}

// TestDB_ManageWaitsForAnImport refuses to change the library's actors and
// events while an import is being staged, whose undo needs them as it left
// them.
func TestDB_ManageWaitsForAnImport(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d, path := mustOpen(t)
	mustSave(t, d, "g1", kimPutin())
	kim := mustActor(t, d, "Kim")
	conn, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	host, _ := os.Hostname()
	at := now.UTC().Format("2006-01-02T15:04:05.000000000Z")
	if _, err := conn.Exec(`INSERT INTO import_stagings (guild_id, by, started_at, heartbeat_at, host, pid) VALUES ('g1', 'op', ?, ?, ?, ?)`,
		at, at, host, os.Getpid()); err != nil {
		t.Fatal(err)
	}
	if _, err := d.RenameActor(ctx, "g1", kim.ID, "Kim Jong-un II", true, "mod"); codeOf(err) != briefings.EBUSY {
		t.Fatalf("rename during an import: %v", err)
	}
	if _, err := d.AddActor(ctx, "g1", briefings.Actor{Name: "Someone"}, "mod"); codeOf(err) != briefings.EBUSY {
		t.Fatalf("add during an import: %v", err)
	}
}

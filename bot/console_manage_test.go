package bot_test

import (
	"context"
	"strings"
	"testing"

	"briefbot/bot/console"
	"briefbot/bot/discord"
	"briefbot/briefings"
	"briefbot/internal/testlib"
)

// manageScript adds, renames, merges and deletes actors and events of a
// server's library at a moderator's console.
const manageScript = `# The library's actors and events
/briefing import file:testdata/console/curate_good.yaml
/briefing add
body: The governor of the Odesa region visited the port on Monday.
title: Odesa governor inspects the port
topics: Black Sea
submit
/briefing actor add name:Oleh Kiper kind:person aliases:Kiper description:Governor of the Odesa region.
/briefing actor add name:port of odesa kind:organization
/briefing actor add name:Оdesa port authority kind:organization
/briefing fact add briefing:odesa-governor-inspects-the-port text:The governor toured the grain terminal. attribution:Regional administration actors:Kiper, Odesa port authority
/briefing event add name:Governor's port visit date:2025-08 participants:Kiper, Nobody Known
/briefing event add name:Governor's port visit date:Aug 2025 participants:Kiper
/briefing event add name:Governor's port visit date:2025-08 location:Odesa participants:Kiper
/briefing actor rename name:Odesa port authority new_name:Odesa Sea Port Authority
/actor name:Odesa port authority
/briefing actor add name:USPA kind:organization description:Ukrainian Sea Ports Authority.
/briefing actor merge name:USPA into:Odesa Sea Port Authority
/briefing actor delete name:Odesa Sea Port Authority
/briefing actor delete name:Oleh Kiper
/briefing event delete name:First corridor sailing
/briefing event rename name:Governor's port visit new_name:Governor's visit to the port
/briefing event delete name:Governor's visit to the port
/briefing fact edit briefing:odesa-governor-inspects-the-port number:1 text:The governor toured the grain terminal on Monday.
`

func TestConsole_ManageLibrary(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		router, lib := backend.CurateRouter(t, discord.LocalFiles{})
		got := testlib.RunScript(t, router, console.Options{GuildID: testlib.GuildA, UserID: testlib.ModA, Moderator: true}, manageScript)
		golden(t, "manage.transcript", got)

		sections := testlib.TranscriptSections(got)
		for _, tt := range []struct {
			line string
			want []string
		}{
			{"/briefing actor add name:Oleh Kiper kind:person aliases:Kiper description:Governor of the Odesa region.",
				[]string{"(only you can see this)", "Added Oleh Kiper (person) to this server's library. Aliases: Kiper."}},
			{"/briefing actor add name:port of odesa kind:organization",
				[]string{"/briefing actor add name: “port of odesa” is already “port of Odesa”, a name of Odesa port authority."}},
			{"/briefing actor add name:Оdesa port authority kind:organization",
				[]string{"looks like Odesa port authority, but is written with different characters"}},
			{"/briefing fact add briefing:odesa-governor-inspects-the-port text:The governor toured the grain terminal. attribution:Regional administration actors:Kiper, Odesa port authority",
				[]string{"Added fact 1.", "— Regional administration"}},
			{"/briefing event add name:Governor's port visit date:2025-08 participants:Kiper, Nobody Known",
				[]string{"/briefing event add participants: “Nobody Known” is not an actor in this server's library. Add it first with /briefing actor add name:Nobody Known"}},
			{"/briefing event add name:Governor's port visit date:Aug 2025 participants:Kiper",
				[]string{"/briefing event add date: “Aug 2025” is not a date. Type YYYY, YYYY-MM or YYYY-MM-DD"}},
			{"/briefing event add name:Governor's port visit date:2025-08 location:Odesa participants:Kiper",
				[]string{"Added Governor's port visit (August 2025) to this server's library."}},
			{"/briefing actor rename name:Odesa port authority new_name:Odesa Sea Port Authority",
				[]string{"Renamed Odesa port authority to Odesa Sea Port Authority", "“Odesa port authority” still finds it."}},
			{"/actor name:Odesa port authority", []string{"Odesa Sea Port Authority", "Grain ships leave Odesa"}},
			{"/briefing actor merge name:USPA into:Odesa Sea Port Authority",
				[]string{"Merged USPA into Odesa Sea Port Authority: 0 briefings and 0 facts now name Odesa Sea Port Authority instead, and “USPA” is one of its aliases."}},
			{"/briefing actor delete name:Odesa Sea Port Authority",
				[]string{"/briefing actor delete: I did not delete Odesa Sea Port Authority: it is in 1 published briefing:",
					"• Grain ships leave Odesa under a new corridor deal (`odesa-grain-ships-2025-08-10`, published)"}},
			{"/briefing actor delete name:Oleh Kiper",
				[]string{"Deleted Oleh Kiper from this server's library. It is gone from 1 draft too: Odesa governor inspects the port (`odesa-governor-inspects-the-port`)."}},
			{"/briefing event delete name:First corridor sailing",
				[]string{"I did not delete First corridor sailing", "`odesa-grain-ships-2025-08-10`, published"}},
			{"/briefing event delete name:Governor's visit to the port", []string{"Deleted Governor's visit to the port from this server's library."}},
			{"/briefing fact edit briefing:odesa-governor-inspects-the-port number:1 text:The governor toured the grain terminal on Monday.",
				[]string{"Changed fact 1.", "— Regional administration"}},
		} {
			sec, ok := sections[tt.line]
			if !ok {
				t.Errorf("no output for %q", tt.line)
			}
			for _, w := range tt.want {
				if !strings.Contains(sec, w) {
					t.Errorf("output of %q lacks %q:\n%s", tt.line, w, sec)
				}
			}
		}

		ctx := context.Background()
		draft, err := lib.BriefingWithStatus(ctx, testlib.GuildA, "odesa-governor-inspects-the-port")
		if err != nil {
			t.Fatal(err)
		}
		if f := draft.Facts[0]; strings.Join(f.Actors, ",") != "Odesa Sea Port Authority" || f.Text != "The governor toured the grain terminal on Monday." {
			t.Errorf("the draft's fact=%+v", f)
		}
		if _, err := lib.ActorToCurate(ctx, testlib.GuildA, "Kiper"); briefings.ErrorCode(err) != briefings.ENOTFOUND {
			t.Errorf("the deleted actor is back: %v", err)
		}
		es, err := lib.AuditLog(ctx, testlib.GuildA, 100)
		if err != nil {
			t.Fatal(err)
		}
		actions := map[briefings.AuditAction]int{}
		for _, e := range es {
			actions[e.Action]++
		}
		for a, n := range map[briefings.AuditAction]int{briefings.AuditActorAdd: 2, briefings.AuditActorRename: 1, briefings.AuditActorMerge: 1,
			briefings.AuditActorDelete: 1, briefings.AuditEventAdd: 1, briefings.AuditEventRename: 1, briefings.AuditEventDelete: 1} {
			if actions[a] != n {
				t.Errorf("audit log has %d %s entries, want %d (all: %v)", actions[a], a, n, actions)
			}
		}

		// A moderator of another server can neither see nor change them.
		other := testlib.NewConsoleUser(router, testlib.GuildB, testlib.ModA, true)
		for _, line := range []string{
			"/briefing actor rename name:Odesa Sea Port Authority new_name:Mine",
			"/briefing actor merge name:USPA into:Odesa Sea Port Authority",
			"/briefing actor delete name:Odesa Sea Port Authority",
			"/briefing event rename name:First corridor sailing new_name:Mine",
		} {
			if out := other.Run(line); !strings.Contains(out, "in this server's library") || strings.Contains(out, "Renamed") {
				t.Errorf("%s in guild B:\n%s", line, out)
			}
		}
		if a, err := lib.ActorToCurate(ctx, testlib.GuildA, "USPA"); err != nil || a.Name != "Odesa Sea Port Authority" {
			t.Errorf("guild B changed guild A's actor: %+v %v", a, err)
		}
	})
}

// /briefing event add says members see a new event only once a published
// briefing's fact names it, and /event agrees; /briefing event edit takes
// participants as add does, replacing them, and members see the change.
func TestConsole_ManageEventParticipants(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		router, _ := backend.CurateRouter(t, discord.LocalFiles{})
		mod := testlib.NewConsoleUser(router, testlib.GuildA, testlib.ModA, true)
		reader := testlib.NewConsoleUser(router, testlib.GuildA, testlib.ReaderA, false)
		mod.Run("/briefing import file:testdata/console/curate_good.yaml")
		mod.Run("/briefing actor add name:Oleh Kiper kind:person")
		out := mod.Run("/briefing event add name:Governor's port visit date:2025-08")
		if !strings.Contains(out, "Members will see it once a published briefing's fact names it.") {
			t.Errorf("event add does not say when members see it:\n%s", out)
		}
		if out := reader.Run("/event name:Governor's port visit"); !strings.Contains(out, "I don't know an event called") {
			t.Errorf("a member sees an event no published briefing names:\n%s", out)
		}
		out = mod.Run("/briefing event edit name:First corridor sailing participants:Oleh Kiper, port of Odesa")
		if !strings.Contains(out, "Taking part: Oleh Kiper, Odesa port authority.") {
			t.Fatalf("event edit participants:\n%s", out)
		}
		if out := reader.Run("/event name:First corridor sailing"); !strings.Contains(out, "Oleh Kiper") {
			t.Errorf("members do not see the new participant:\n%s", out)
		}
		if out := reader.Run("/actor name:Oleh Kiper"); !strings.Contains(out, "Grain ships leave Odesa") {
			t.Errorf("the participant's briefings:\n%s", out)
		}
		mod.Run("/briefing event edit name:First corridor sailing participants:-")
		if out := reader.Run("/actor name:Oleh Kiper"); !strings.Contains(out, "I don't know an actor called") {
			t.Errorf("a participant taken out still shows:\n%s", out)
		}
		if out := mod.Run("/briefing event edit name:First corridor sailing participants:Nobody Known"); !strings.Contains(out, "“Nobody Known” is not an actor") {
			t.Errorf("an unknown participant:\n%s", out)
		}
	})
}

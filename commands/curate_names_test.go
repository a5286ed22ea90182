package commands_test

import (
	"context"
	"strings"
	"testing"

	"briefbot/briefings"

	"github.com/bwmarrin/discordgo"
)

// library runs /briefing <group> <sub> with the options as the moderator
// of g1 and returns what the moderator reads.
func (c *curation) library(t *testing.T, group, subcommand string, opts ...*discordgo.ApplicationCommandInteractionDataOption) string {
	t.Helper()
	resp := c.handle(t, as(command("briefing", sub(group, sub(subcommand, opts...))), modID, modPerms))
	if resp.Data == nil || resp.Data.Flags&discordgo.MessageFlagsEphemeral == 0 {
		t.Errorf("/briefing %s %s answers in public", group, subcommand)
	}
	return textOf(t, resp)
}

// wants fails unless got holds every one of want.
func wants(t *testing.T, got string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("want %q in:\n%s", w, got)
		}
	}
}

// shoiguDrafts saves, in g1, a published briefing and a draft whose facts
// name Sergei Shoigu, who must be in the library.
func shoiguDrafts(t *testing.T, c *curation) {
	t.Helper()
	ctx := context.Background()
	pub := &briefings.Briefing{Slug: "shoigu-in-pyongyang", Title: "Shoigu visits Pyongyang", Summary: "The Security Council secretary met Kim Jong Un.",
		Published: briefings.DayOf(2025, 6, 4), Topics: []string{"korea"},
		Facts: []briefings.Fact{{Text: "Shoigu met Kim Jong Un.", Attribution: "KCNA", Actors: []string{"Sergei Shoigu"}}}}
	if _, err := c.lib.SaveBriefings(ctx, guild, []*briefings.Briefing{pub}, "test"); err != nil {
		t.Fatal(err)
	}
	draft := &briefings.Briefing{Slug: "shoigu-returns", Title: "Shoigu returns", Summary: "He flew back.", Status: briefings.StatusDraft,
		Published: briefings.DayOf(2025, 6, 5), Topics: []string{"korea"},
		Facts: []briefings.Fact{{Text: "He landed in Moscow.", Attribution: "TASS", Actors: []string{"Shoigu"}}}}
	if _, err := c.lib.SaveCurated(ctx, briefings.Write{GuildID: guild, Briefing: draft, By: modID, Action: briefings.AuditDraft}); err != nil {
		t.Fatal(err)
	}
}

func TestLibrary_Actors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := newCuration(t)

	got := c.library(t, "actor", "add", opt("name", "Sergei Shoigu"), opt("kind", "person"), opt("aliases", "Shoigu"),
		opt("description", "Secretary of Russia's Security Council"))
	wants(t, got, "Added **Sergei Shoigu** (person) to this server's library.", "Aliases: Shoigu.", "/briefing fact add actors:Sergei Shoigu")
	if log, _ := c.lib.AuditLog(ctx, guild, 1); len(log) != 1 || log[0].Action != briefings.AuditActorAdd || log[0].UserID != modID {
		t.Errorf("audit=%+v", log)
	}
	shoiguDrafts(t, c)

	t.Run("Refusals", func(t *testing.T) {
		for name, tc := range map[string]struct {
			group, sub string
			opts       []*discordgo.ApplicationCommandInteractionDataOption
			want       []string
		}{
			"taken": {"actor", "add", []*discordgo.ApplicationCommandInteractionDataOption{opt("name", "shoigu"), opt("kind", "person")},
				[]string{"/briefing actor add name: “shoigu” is already “Shoigu”, a name of **Sergei Shoigu**. Facts can name it as it is"}},
			"alias of a global actor": {"actor", "edit", []*discordgo.ApplicationCommandInteractionDataOption{opt("name", "Shoigu"), opt("aliases", "Shoigu, Putin")},
				[]string{"/briefing actor edit aliases: “Putin” is already “Putin”, a name of **Vladimir Putin** in the global library."}},
			"looks alike": {"actor", "add", []*discordgo.ApplicationCommandInteractionDataOption{opt("name", "Ѕergei Shoigu"), opt("kind", "person")},
				[]string{"/briefing actor add name: “Ѕergei Shoigu” looks like **Sergei Shoigu**", "different characters"}},
			"global alias": {"actor", "add", []*discordgo.ApplicationCommandInteractionDataOption{opt("name", "Someone"), opt("kind", "person"), opt("aliases", "Vladimir Putin")},
				[]string{"/briefing actor add aliases: “Vladimir Putin” is already **Vladimir Putin** in the global library."}},
			"blank name": {"actor", "add", []*discordgo.ApplicationCommandInteractionDataOption{opt("name", "   "), opt("kind", "person")},
				[]string{"/briefing actor add name: A name needs 1 to 100 characters."}},
			"unknown": {"actor", "rename", []*discordgo.ApplicationCommandInteractionDataOption{opt("name", "Sergei Shoygu"), opt("new_name", "X")},
				[]string{"/briefing actor rename name: there is no actor called “Sergei Shoygu” in this server's library.", "Did you mean **Sergei Shoigu**", "pick one from the list"}},
			"global actor": {"actor", "rename", []*discordgo.ApplicationCommandInteractionDataOption{opt("name", "Vladimir Putin"), opt("new_name", "V. Putin")},
				[]string{"/briefing actor rename name: **Vladimir Putin** is in the global library, which only the bot's operators can change."}},
			"in use": {"actor", "delete", []*discordgo.ApplicationCommandInteractionDataOption{opt("name", "Shoigu")},
				[]string{"/briefing actor delete: I did not delete **Sergei Shoigu**: it is in 1 published briefing:",
					"• **Shoigu visits Pyongyang** (`shoigu-in-pyongyang`, published)", "/briefing actor merge"}},
			"merge into itself": {"actor", "merge", []*discordgo.ApplicationCommandInteractionDataOption{opt("name", "Shoigu"), opt("into", "Sergei Shoigu")},
				[]string{"/briefing actor merge into: “Shoigu” and “Sergei Shoigu” are the same actor"}},
		} {
			t.Run(name, func(t *testing.T) {
				wants(t, c.library(t, tc.group, tc.sub, tc.opts...), tc.want...)
			})
		}
		if a, err := c.lib.ActorToCurate(ctx, guild, "Sergei Shoigu"); err != nil || a.Name != "Sergei Shoigu" {
			t.Errorf("a refusal changed the actor: %+v %v", a, err)
		}
	})

	t.Run("Rename", func(t *testing.T) {
		got := c.library(t, "actor", "rename", opt("name", "Shoigu"), opt("new_name", "Sergei K. Shoigu"))
		wants(t, got, "Renamed **Sergei Shoigu** to **Sergei K. Shoigu**", "“Sergei Shoigu” still finds it.")
		member := textOf(t, c.handle(t, command("actor", opt("name", "Sergei Shoigu"))))
		wants(t, member, "Sergei K. Shoigu", "Shoigu visits Pyongyang")
		b, err := c.lib.Briefing(ctx, guild, "shoigu-in-pyongyang")
		if err != nil || b.Facts[0].Actors[0] != "Sergei K. Shoigu" {
			t.Errorf("briefing facts=%+v %v", b, err)
		}
		// The draft's next edit keeps the actor under its new name.
		wants(t, textOf(t, c.handle(t, as(command("briefing", sub("fact", sub("add", opt("briefing", "shoigu-returns"),
			opt("text", "He reported to Putin."), opt("attribution", "TASS"), opt("actors", "Sergei K. Shoigu")))), modID, modPerms))), "Added fact 2")
		got = c.library(t, "actor", "rename", opt("name", "Sergei K. Shoigu"), opt("new_name", "Sergei Shoigu"), boolOpt("keep_old_name", false))
		wants(t, got, "“Sergei K. Shoigu” is no longer a name of it.")
		if _, err := c.lib.ActorToCurate(ctx, guild, "Sergei K. Shoigu"); briefings.ErrorCode(err) != briefings.ENOTFOUND {
			t.Errorf("the dropped name still finds the actor: %v", err)
		}
	})

	t.Run("OtherServer", func(t *testing.T) {
		i := as(command("briefing", sub("actor", sub("rename", opt("name", "Sergei Shoigu"), opt("new_name", "Mine now")))), modID, modPerms)
		i.GuildID = otherGuild
		wants(t, textOf(t, c.handle(t, i)), "there is no actor called “Sergei Shoigu” in this server's library")
		i = autocomplete("briefing", sub("actor", sub("merge", opt("name", "x"), focused("into", "serg"))))
		i.GuildID = otherGuild
		i = as(i, modID, modPerms)
		if resp := c.handle(t, i); len(resp.Data.Choices) != 0 {
			t.Errorf("another server's moderator is offered %+v", resp.Data.Choices[0])
		}
		member := as(command("briefing", sub("actor", sub("delete", opt("name", "Sergei Shoigu")))), readerX, discordgo.PermissionSendMessages)
		wants(t, textOf(t, c.handle(t, member)), "Only moderators can change briefings")
		if _, err := c.lib.ActorToCurate(ctx, guild, "Sergei Shoigu"); err != nil {
			t.Errorf("the actor is gone: %v", err)
		}
	})

	t.Run("Merge", func(t *testing.T) {
		wants(t, c.library(t, "actor", "add", opt("name", "S. K. Shoigu"), opt("kind", "person")), "Added **S. K. Shoigu**")
		wants(t, textOf(t, c.handle(t, as(command("briefing", sub("fact", sub("add", opt("briefing", "shoigu-returns"),
			opt("text", "He spoke."), opt("attribution", "TASS"), opt("actors", "S. K. Shoigu")))), modID, modPerms))), "Added fact 3")
		resp := c.handle(t, as(autocomplete("briefing", sub("actor", sub("merge", opt("name", "S. K. Shoigu"), focused("into", "serg")))), modID, modPerms))
		if len(resp.Data.Choices) == 0 || resp.Data.Choices[0].Name != "Sergei Shoigu" {
			t.Errorf("into offers %+v", resp.Data.Choices)
		}
		got := c.library(t, "actor", "merge", opt("name", "S. K. Shoigu"), opt("into", "Sergei Shoigu"))
		wants(t, got, "Merged **S. K. Shoigu** into **Sergei Shoigu**: 1 briefing and 1 fact now name **Sergei Shoigu** instead, and “S. K. Shoigu” is one of its aliases.")
		b, _ := c.lib.BriefingWithStatus(ctx, guild, "shoigu-returns")
		if got := b.Facts[2].Actors; len(got) != 1 || got[0] != "Sergei Shoigu" {
			t.Errorf("fact 3 names %v", got)
		}
		log, _ := c.lib.AuditLog(ctx, guild, 1)
		if len(log) != 1 || log[0].Action != briefings.AuditActorMerge || !strings.Contains(log[0].Before, "S. K. Shoigu") {
			t.Errorf("audit=%+v", log)
		}
	})

	t.Run("DeleteFromDrafts", func(t *testing.T) {
		c.library(t, "actor", "add", opt("name", "Dmitry Peskov"), opt("kind", "person"))
		c.handle(t, as(command("briefing", sub("fact", sub("add", opt("briefing", "shoigu-returns"),
			opt("text", "The Kremlin confirmed it."), opt("attribution", "Kremlin"), opt("actors", "Dmitry Peskov, Sergei Shoigu")))), modID, modPerms))
		got := c.library(t, "actor", "delete", opt("name", "Dmitry Peskov"))
		wants(t, got, "Deleted **Dmitry Peskov** from this server's library. It is gone from 1 draft too: **Shoigu returns** (`shoigu-returns`).")
		b, _ := c.lib.BriefingWithStatus(ctx, guild, "shoigu-returns")
		if got := b.Facts[3].Actors; len(got) != 1 || got[0] != "Sergei Shoigu" {
			t.Errorf("fact 4 names %v", got)
		}
		wants(t, textOf(t, c.handle(t, as(command("briefing", sub("fact", sub("edit", opt("briefing", "shoigu-returns"), intOpt("number", 4),
			opt("text", "The Kremlin confirmed the trip.")))), modID, modPerms))), "Changed fact 4")
	})
}

func TestLibrary_Events(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := newCuration(t)
	c.library(t, "actor", "add", opt("name", "Sergei Shoigu"), opt("kind", "person"), opt("aliases", "Shoigu"))

	for name, tc := range map[string]struct {
		opts []*discordgo.ApplicationCommandInteractionDataOption
		want string
	}{
		"bad date":    {[]*discordgo.ApplicationCommandInteractionDataOption{opt("name", "Visit"), opt("date", "June 2025")}, "/briefing event add date: “June 2025” is not a date. Type YYYY, YYYY-MM or YYYY-MM-DD, such as 2025, 2025-08 or 2025-08-15."},
		"end first":   {[]*discordgo.ApplicationCommandInteractionDataOption{opt("name", "Visit"), opt("date", "2025-06-04"), opt("end", "2025-06")}, "/briefing event add end: June 2025 is before the date, 4 June 2025."},
		"participant": {[]*discordgo.ApplicationCommandInteractionDataOption{opt("name", "Visit"), opt("date", "2025-06"), opt("participants", "Shoigu, Nobody Known")}, "/briefing event add participants: “Nobody Known” is not an actor in this server's library. Add it first with /briefing actor add name:Nobody Known"},
		"global name": {[]*discordgo.ApplicationCommandInteractionDataOption{opt("name", "alaska summit"), opt("date", "2025")}, "/briefing event add name: “alaska summit” is already **Alaska summit** in the global library."},
	} {
		t.Run(name, func(t *testing.T) { wants(t, c.library(t, "event", "add", tc.opts...), tc.want) })
	}

	got := c.library(t, "event", "add", opt("name", "Shoigu in Pyongyang"), opt("date", "2025-06"), opt("participants", "shoigu"), opt("location", "Pyongyang"))
	wants(t, got, "Added **Shoigu in Pyongyang** (June 2025) to this server's library.", "/briefing fact add event:Shoigu in Pyongyang")
	e, err := c.lib.EventToCurate(ctx, guild, "Shoigu in Pyongyang")
	if err != nil || len(e.Participants) != 1 || e.Participants[0] != "Sergei Shoigu" || e.Date.P != briefings.PrecisionMonth {
		t.Fatalf("event=%+v %v", e, err)
	}
	pub := &briefings.Briefing{Slug: "shoigu-trip", Title: "Shoigu's trip", Summary: "S.", Published: briefings.DayOf(2025, 6, 5), Topics: []string{"korea"},
		Facts: []briefings.Fact{{Text: "He arrived.", Attribution: "KCNA", Event: "Shoigu in Pyongyang"}}}
	if _, err := c.lib.SaveBriefings(ctx, guild, []*briefings.Briefing{pub}, "test"); err != nil {
		t.Fatal(err)
	}
	wants(t, c.library(t, "event", "edit", opt("name", "Shoigu in Pyongyang"), opt("date", "2025-06-04")), "4 June 2025")
	wants(t, c.library(t, "event", "rename", opt("name", "Shoigu in Pyongyang"), opt("new_name", "Shoigu's Pyongyang visit")),
		"Renamed **Shoigu in Pyongyang** to **Shoigu's Pyongyang visit**")
	wants(t, c.library(t, "event", "delete", opt("name", "Shoigu's Pyongyang visit")),
		"I did not delete **Shoigu's Pyongyang visit**", "**Shoigu's trip** (`shoigu-trip`, published)")
	c.library(t, "event", "add", opt("name", "Shoigu visit"), opt("date", "2025-06-04"))
	wants(t, c.library(t, "event", "merge", opt("name", "Shoigu's Pyongyang visit"), opt("into", "Shoigu visit")),
		"Merged **Shoigu's Pyongyang visit** into **Shoigu visit**: 1 briefing and 1 fact now name **Shoigu visit** instead.")
	if e, err := c.lib.EventToCurate(ctx, guild, "Shoigu visit"); err != nil || len(e.Participants) != 1 || e.Location != "Pyongyang" {
		t.Errorf("merged event=%+v %v", e, err)
	}
	wants(t, textOf(t, c.handle(t, command("event", opt("name", "Shoigu visit")))), "Shoigu's trip")
	log, _ := c.lib.AuditLog(ctx, guild, 10)
	var actions []string
	for _, l := range log {
		actions = append(actions, string(l.Action))
	}
	if got := strings.Join(actions, " "); !strings.HasPrefix(got, "event_merge event_add event_rename event_edit") {
		t.Errorf("audit actions=%s", got)
	}
}

// TestLibrary_FactNamesUnknownActor names an actor the library lacks in a
// new fact: the refusal says, in Discord's terms, how to add it, and the
// fact goes in once it is added.
func TestLibrary_FactNamesUnknownActor(t *testing.T) {
	t.Parallel()
	c := newCuration(t)
	draft := &briefings.Briefing{Slug: "shoigu-returns", Title: "Shoigu returns", Summary: "He flew back.", Status: briefings.StatusDraft,
		Published: briefings.DayOf(2025, 6, 5), Topics: []string{"korea"}, Facts: []briefings.Fact{{Text: "He landed.", Attribution: "TASS"}}}
	if _, err := c.lib.SaveCurated(context.Background(), briefings.Write{GuildID: guild, Briefing: draft, By: modID, Action: briefings.AuditDraft}); err != nil {
		t.Fatal(err)
	}
	shoiguFact := func(actors, event string) string {
		opts := []*discordgo.ApplicationCommandInteractionDataOption{opt("briefing", "shoigu-returns"), opt("text", "He visited."), opt("attribution", "TASS")}
		if actors != "" {
			opts = append(opts, opt("actors", actors))
		}
		if event != "" {
			opts = append(opts, opt("event", event))
		}
		return textOf(t, c.handle(t, as(command("briefing", sub("fact", sub("add", opts...))), modID, modPerms)))
	}
	got := shoiguFact("Sergei Shoigu", "")
	wants(t, got, "/briefing fact add:", "Fact 2, option actors: the actor “Sergei Shoigu” is not in this server's library. Add it with /briefing actor add name:Sergei Shoigu kind:…, or pick one from the list.")
	if strings.Contains(got, "facts[") || strings.Contains(got, "declare it under") {
		t.Errorf("the refusal is in the file format's terms:\n%s", got)
	}
	got = shoiguFact("", "Shoigu's visit")
	wants(t, got, "Fact 2, option event: the event “Shoigu's visit” is not in this server's library. Add it with /briefing event add name:Shoigu's visit date:YYYY-MM-DD")
	c.library(t, "actor", "add", opt("name", "Sergei Shoigu"), opt("kind", "person"))
	c.library(t, "event", "add", opt("name", "Shoigu's visit"), opt("date", "2025-06-04"))
	wants(t, shoiguFact("Sergei Shoigu", "Shoigu's visit"), "Added fact 2.")
}

// TestLibrary_GlobalIsTheOperators' lets the bot's operators manage the
// global library from a direct message, and nobody else.
func TestLibrary_GlobalIsTheOperators(t *testing.T) {
	t.Parallel()
	c := newCuration(t)
	dm := func(user string, group, subcommand string, opts ...*discordgo.ApplicationCommandInteractionDataOption) string {
		i := inDM(command("briefing", sub(group, sub(subcommand, opts...))))
		i.User.ID = user
		return textOf(t, c.handle(t, i))
	}
	wants(t, dm(readerX, "actor", "add", opt("name", "Sergei Lavrov"), opt("kind", "person")), "only the bot's operators can change it")
	wants(t, dm(ownerID, "actor", "add", opt("name", "Sergei Lavrov"), opt("kind", "person")), "Added **Sergei Lavrov** (person) to the global library.")
	wants(t, dm(ownerID, "actor", "rename", opt("name", "Sergei Lavrov"), opt("new_name", "Sergey Lavrov")), "Renamed **Sergei Lavrov** to **Sergey Lavrov**")
	// A server's moderator finds it, but cannot change it.
	wants(t, c.library(t, "actor", "delete", opt("name", "Sergey Lavrov")), "/briefing actor delete name: **Sergey Lavrov** is in the global library, which only the bot's operators can change.")
	wants(t, dm(ownerID, "actor", "delete", opt("name", "Sergey Lavrov")), "Deleted **Sergey Lavrov** from the global library.")
}

// TestLibrary_AddListedInABriefing adds an actor and an event to the
// library and lists them in a draft in one command.
func TestLibrary_AddListedInABriefing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := newCuration(t)
	draft := &briefings.Briefing{Slug: "shoigu-returns", Title: "Shoigu returns", Summary: "He flew back.", Status: briefings.StatusDraft,
		Published: briefings.DayOf(2025, 6, 5), Topics: []string{"korea"}}
	if _, err := c.lib.SaveCurated(ctx, briefings.Write{GuildID: guild, Briefing: draft, By: modID, Action: briefings.AuditDraft}); err != nil {
		t.Fatal(err)
	}
	got := c.library(t, "actor", "add", opt("name", "Sergei Shoigu"), opt("kind", "person"), opt("briefing", "shoigu-returns"))
	wants(t, got, "Added **Sergei Shoigu** (person) to this server's library. It is listed in the briefing too: **shoigu-returns** is now at version 2.")
	got = c.library(t, "event", "add", opt("name", "Shoigu's return"), opt("date", "2025-06-05"), opt("participants", "Sergei Shoigu"),
		opt("briefing", "shoigu-returns"))
	wants(t, got, "Added **Shoigu's return** (5 June 2025) to this server's library. It is listed in the briefing too: **shoigu-returns** is now at version 3.")
	b, err := c.lib.EditableBriefing(ctx, mustBriefingID(t, c, "shoigu-returns"))
	if err != nil || len(b.Actors) != 1 || b.Actors[0].Name != "Sergei Shoigu" || len(b.Events) != 1 || b.Events[0].Participants[0] != "Sergei Shoigu" {
		t.Fatalf("draft=%+v %v", b, err)
	}
	wants(t, c.library(t, "actor", "add", opt("name", "Someone Else"), opt("kind", "person"), opt("briefing", "putin-kim-call-2025-08-12")),
		"only the bot's operators can change")
	operator := as(command("briefing", sub("actor", sub("add", opt("name", "Someone Else"), opt("kind", "person"),
		opt("briefing", "putin-kim-call-2025-08-12")))), ownerID, 0)
	wants(t, textOf(t, c.handle(t, operator)), "/briefing actor add briefing: **putin-kim-call-2025-08-12** is in another library than the one this adds to. Pick one of this server's briefings, or leave the option out.")
	if _, err := c.lib.ActorToCurate(ctx, guild, "Someone Else"); briefings.ErrorCode(err) != briefings.ENOTFOUND {
		t.Errorf("a refused add wrote the actor: %v", err)
	}
}

func mustBriefingID(t *testing.T, c *curation, slug string) int64 {
	t.Helper()
	b, err := c.lib.BriefingWithStatus(context.Background(), guild, slug)
	if err != nil {
		t.Fatal(err)
	}
	return b.ID
}

// TestLibrary_DeleteADraftsProposedActor: an actor a draft proposes, such
// as a place read wrongly from the text, is offered to moderators by
// /briefing actor delete and deleted from the library and the draft: its
// facts no longer name it, and a published briefing's actor is refused.
func TestLibrary_DeleteADraftsProposedActor(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := newCuration(t)
	d := c.draftOf(t, wireArticle(t), "Cholera")
	var named int
	for _, f := range d.Facts {
		for _, a := range f.Actors {
			if a == "Niamey" {
				named++
			}
		}
	}
	if named == 0 {
		t.Fatalf("no fact of the draft names Niamey: %+v", d.Facts)
	}
	resp := c.handle(t, as(autocomplete("briefing", sub("actor", sub("delete", focused("name", "niam")))), modID, modPerms))
	wants(t, textOf(t, resp), "Niamey")
	got := c.library(t, "actor", "delete", opt("name", "Niamey"))
	wants(t, got, "Deleted **Niamey** from this server's library. It is gone from 1 draft too: **Donors pledge $40 million as cholera spreads across three Sahel countries** (`"+d.Slug+"`).")
	after := c.current(t, d.Slug)
	for _, a := range after.Actors {
		if a.Name == "Niamey" {
			t.Errorf("the draft still proposes Niamey: %+v", after.Actors)
		}
	}
	for _, f := range after.Facts {
		for _, a := range f.Actors {
			if a == "Niamey" {
				t.Errorf("fact %q still names Niamey", f.Text)
			}
		}
	}
	if _, err := c.lib.ActorToCurate(ctx, guild, "Niamey"); err == nil {
		t.Error("Niamey is still in the library")
	}
	// published, an actor is not deleted from under members
	wants(t, textOf(t, c.handle(t, as(button("bpub:"+itoa(int(after.ID))+":"+itoa(after.Version)), modID, modPerms))), "Published")
	wants(t, c.library(t, "actor", "delete", opt("name", "Bamako")), "I did not delete **Bamako**: it is in 1 published briefing:")
}

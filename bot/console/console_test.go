package console_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"briefbot/bot/console"
	"briefbot/briefings/fileformat"
	"briefbot/commands"

	"briefbot/internal/testlib"
	"github.com/bwmarrin/discordgo"
)

// sampleRouter returns a router over a fresh library of backend b loaded
// with the sample briefings and a second, older briefing so that /brief has
// pages to press through, with the clock at testlib.ConsoleNow.
func sampleRouter(t *testing.T, b testlib.Backend) *commands.Router {
	t.Helper()
	extra, err := fileformat.Decode(strings.NewReader(olderBriefing), "older.yaml")
	if err != nil {
		t.Fatalf("decode the older briefing: %v", err)
	}
	store := b.OpenStore(t, append(testlib.SampleBriefings(t), extra...)...)
	store.Now = func() time.Time { return testlib.ConsoleNow }
	return commands.New(store, commands.Options{Now: func() time.Time { return testlib.ConsoleNow }})
}

const olderBriefing = `slug: kursk-retaken-2025-04
title: Russia says it has retaken the Kursk region
published: 2025-04-26
source: {name: "Test desk"}
topics: [ukraine-war]
summary: Moscow declared the Kursk region fully back under its control.
facts:
  - text: Russia declared the Kursk region fully retaken.
    attribution: Russian government
`

const tourScript = `# A tour of the sample library
/actor name:kim
/event name:alaska
/ask question:How many North Korean troops are fighting for Russia?
/actor name:ki?
/actr name:kim
this is not a command
/timeline topic:
/actor name:Kim Jong Im
press 1
/brief
press 1
press 2
press 1
press 9
press 3
/topics
help
/event name:alaska
`

func TestConsole_Tour(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		got := testlib.RunScript(t, sampleRouter(t, backend), console.Options{GuildID: "200000000000000001"}, tourScript)
		golden(t, "tour.transcript", got)

		sections := testlib.TranscriptSections(got)
		for _, tt := range []struct {
			line string
			want []string
		}{
			{"/actor name:kim", []string{"== Kim Jong Un ==", "Key facts:", "— Kremlin"}},
			{"/event name:alaska", []string{"15 August 2025"}},
			{"/ask question:How many North Korean troops are fighting for Russia?", []string{"South Korean intelligence", "troops"}},
			{"/actor name:ki?", []string{"Suggestions:", "Kim Jong Un"}},
			{"/actr name:kim", []string{"error: there is no command /actr; did you mean /actor?"}},
			{"this is not a command", []string{"error:", "not a command"}},
			{"/timeline topic:", []string{"error: option topic needs a value"}},
			{"/topics", []string{"Ukraine war — 2 briefings"}},
			{"help", []string{"/actor name:<text>", "/ask question:<text>"}},
		} {
			sec, ok := sections[tt.line]
			if !ok {
				t.Errorf("the transcript does not echo %q", tt.line)
				continue
			}
			for _, w := range tt.want {
				if !strings.Contains(sec, w) {
					t.Errorf("output of %q lacks %q:\n%s", tt.line, w, sec)
				}
			}
		}
		// Each press answers the message shown last: the suggestion buttons,
		// then the pages of /brief, whose Newer button starts disabled, and
		// its More facts button.
		presses := pressSections(got)
		for i, want := range []string{
			"== Kim Jong Un ==",
			"error: [1] ◀ Newer is unavailable",
			"Briefing 2 of 2",
			"Briefing 1 of 2",
			"error: press takes a number from 1 to 3",
			"Key facts 19–20 of 20",
		} {
			if i >= len(presses) || !strings.Contains(presses[i], want) {
				t.Errorf("press %d: want %q in:\n%s", i+1, want, strings.Join(presses, "\n---\n"))
			}
		}
		if sec := sections["/ask question:How many North Korean troops are fighting for Russia?"]; !strings.ContainsAny(sec, "0123456789") {
			t.Errorf("/ask gives no troop figure:\n%s", sec)
		}
	})
}

// pressSections returns the output of each press line, in order.
func pressSections(transcript string) []string {
	var out []string
	for _, sec := range strings.Split(transcript, "\n> ")[1:] {
		if strings.HasPrefix(sec, "press ") {
			out = append(out, sec)
		}
	}
	return out
}

func TestConsole_Interaction(t *testing.T) {
	t.Parallel()
	router := sampleRouter(t, testlib.SQLite)
	for _, tt := range []struct {
		name  string
		opts  console.Options
		perms int64
	}{
		{"Member", console.Options{GuildID: "42"}, 0},
		{"Moderator", console.Options{GuildID: "42", Moderator: true}, discordgo.PermissionManageMessages | discordgo.PermissionManageChannels | discordgo.PermissionAdministrator},
		{"DirectMessage", console.Options{Moderator: true}, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := console.New(router, tt.opts)
			i := console.ConsoleInteraction(c, discordgo.InteractionApplicationCommand)
			j := console.ConsoleInteraction(c, discordgo.InteractionApplicationCommand)
			if i.ID == "" || i.ID == j.ID || i.Token == "" || i.AppID == "" || i.ChannelID == "" {
				t.Errorf("interactions need distinct IDs, a token, app and channel: %+v, %+v", i, j)
			}
			if i.GuildID != tt.opts.GuildID {
				t.Errorf("GuildID=%q, want %q", i.GuildID, tt.opts.GuildID)
			}
			if tt.opts.GuildID == "" {
				if i.Member != nil || i.User == nil || i.User.ID != console.ConsoleUserID {
					t.Errorf("a DM has a User and no Member: member=%+v user=%+v", i.Member, i.User)
				}
				return
			}
			if i.User != nil || i.Member == nil || i.Member.User == nil || i.Member.User.ID != console.ConsoleUserID || i.Member.User.Username == "" {
				t.Fatalf("a guild interaction has a Member with a User and no User: member=%+v user=%+v", i.Member, i.User)
			}
			if i.Member.Permissions != tt.perms {
				t.Errorf("permissions=%b, want %b", i.Member.Permissions, tt.perms)
			}
		})
	}
}

func TestConsole_Form(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		var out bytes.Buffer
		c := console.New(sampleRouter(t, backend), console.Options{Out: &out, Err: &out, Now: func() time.Time { return testlib.ConsoleNow }})
		console.ConsoleShow(c, &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseModal,
			Data: &discordgo.InteractionResponseData{CustomID: "fact:add", Title: "Add a fact", Components: []discordgo.MessageComponent{
				discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.TextInput{CustomID: "text", Label: "Fact", Required: true}}},
				discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.TextInput{CustomID: "attribution", Label: "Who says so"}}},
			}},
		})
		ctx := context.Background()
		c.Exec(ctx, "submit")
		c.Exec(ctx, "/actor name:kim")
		c.Exec(ctx, "text: Talks began at 11:00 local time.\\nThey lasted three hours.")
		c.Exec(ctx, "ATTRIBUTION: Reuters")
		for _, want := range []string{
			"Form: Add a fact\n  text: Fact (required)\n  attribution: Who says so\n",
			"> submit\nerror: fill in text before submitting",
			"> /actor name:kim\nerror: a form is open: write one of text, attribution as field: value",
		} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("output lacks %q:\n%s", want, out.String())
			}
		}
		i, err := console.ConsoleFormInteraction(c)
		if err != nil {
			t.Fatal(err)
		}
		data := i.ModalSubmitData()
		if data.CustomID != "fact:add" || len(data.Components) != 2 {
			t.Fatalf("modal submit data = %+v", data)
		}
		values := map[string]string{}
		for _, row := range data.Components {
			for _, in := range row.(*discordgo.ActionsRow).Components {
				ti := in.(*discordgo.TextInput)
				values[ti.CustomID] = ti.Value
			}
		}
		if got, want := values["text"], "Talks began at 11:00 local time.\nThey lasted three hours."; got != want {
			t.Errorf("text=%q, want %q", got, want)
		}
		if got, want := values["attribution"], "Reuters"; got != want {
			t.Errorf("attribution=%q, want %q", got, want)
		}
		out.Reset()
		c.Exec(ctx, "submit")
		if s := out.String(); strings.Contains(s, "error:") || !strings.HasPrefix(s, "> submit\n") || len(s) < len("> submit\n")+2 {
			t.Errorf("submit should send the form and show the answer:\n%s", s)
		}
		out.Reset()
		c.Exec(ctx, "/actor name:kim")
		if !strings.Contains(out.String(), "== Kim Jong Un ==") {
			t.Errorf("after submit, commands run again:\n%s", out.String())
		}
	})
}

func TestConsole_SelectMenu(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	c := console.New(sampleRouter(t, testlib.SQLite), console.Options{Out: &out, Err: &out})
	console.ConsoleShow(c, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Components: []discordgo.MessageComponent{
			discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.SelectMenu{CustomID: "pick", Placeholder: "Pick", MaxValues: 1,
				Options: []discordgo.SelectMenuOption{{Label: "A", Value: "a"}, {Label: "B", Value: "b"}}}}},
		}},
	})
	ctx := context.Background()
	for line, want := range map[string]string{
		"press 1":     "error: choose an option of menu 1, such as press 1 1",
		"press 1 3":   "error: menu 1 has options 1 to 2",
		"press 1 1,2": "error: menu 1 takes one option",
	} {
		out.Reset()
		c.Exec(ctx, line)
		if !strings.Contains(out.String(), want) {
			t.Errorf("%s: output lacks %q:\n%s", line, want, out.String())
		}
	}
}

func TestConsole_QuitStopsReading(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		got := testlib.RunScript(t, sampleRouter(t, backend), console.Options{}, "/topics\nquit\n/actor name:kim\n")
		if !strings.Contains(got, "> /topics\n== Topics ==") || !strings.Contains(got, "> quit\n") {
			t.Errorf("transcript:\n%s", got)
		}
		if strings.Contains(got, "Kim Jong Un") {
			t.Errorf("lines after quit ran:\n%s", got)
		}
	})
}

func TestConsole_CancelledContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out bytes.Buffer
	c := console.New(sampleRouter(t, testlib.SQLite), console.Options{In: strings.NewReader("/topics\n"), Out: &out, Err: &out})
	if err := c.Run(ctx); err != nil {
		t.Errorf("Run with a cancelled context = %v, want nil", err)
	}
	if strings.Contains(out.String(), "Topics") {
		t.Errorf("a cancelled console still answered:\n%s", out.String())
	}
}

// Interactive mode reads through the line editor; without a terminal it
// still answers each line, shows bold as bold and echoes nothing.
func TestConsole_Interactive(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		var out bytes.Buffer
		c := console.New(sampleRouter(t, backend), console.Options{
			In: strings.NewReader("/ask question:How many North Korean troops are fighting for Russia?\n"), Out: &out, Err: &out,
			Interactive: true, HistoryFile: "-", Now: func() time.Time { return testlib.ConsoleNow },
		})
		if err := c.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		got := out.String()
		if !strings.Contains(got, "\x1b[1m") || !strings.Contains(got, "South Korean intelligence") {
			t.Errorf("interactive output lacks bold or the answer:\n%q", got)
		}
		if strings.Contains(got, "> /ask") {
			t.Errorf("interactive mode echoed the line:\n%s", got)
		}
	})
}

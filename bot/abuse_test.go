package bot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"briefbot/bot/console"
	"briefbot/bot/discord"
	"briefbot/bot/discordtest"
	"briefbot/briefings"
	"briefbot/commands"
	"briefbot/db"

	"briefbot/internal/testlib"
	"github.com/bwmarrin/discordgo"
)

// hostileInputs is what the abuse tests type into every string option.
var hostileInputs = []struct{ name, value string }{
	{"Empty", ""},
	{"100KB", strings.Repeat("Kursk troops ", 100<<10/13)},
	{"ControlCharacters", "a\x00b\x01c\x07d\x1be[31mred\x7f\u0085"},
	{"ZeroWidth", "K\u200bi\u200cm\u200d \ufeffJong\u2060Un"},
	{"RightToLeft", "\u202eKim Jong Un\u202c \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627"},
	{"Markdown", "**bold** __u__ ~~s~~ ||spoiler|| [link](https://evil.example) # heading\n> quote"},
	{"CodeFence", "```\n@everyone\n``` `inline` ````"},
	{"Everyone", "@everyone @here hello"},
	{"RoleMention", "<@&123> <@&1100000000000000100>"},
	{"UserMention", "<@123> <@!1100000000000000300> <#1100000000000000200>"},
	{"FTSSyntax", `"unbalanced * NEAR( a b OR - title: ^x AND NOT ( )`},
	{"SQL", "'; DROP TABLE briefings;--"},
	{"BadTimeZone", "Mars/Olympus_Mons"},
	{"BadTime", "25:61"},
	{"UnknownID", "999999999999999999"},
}

// goErrorText is text that must never reach a user: Go's and SQLite's
// errors, stack traces and formatting mistakes.
var goErrorText = []string{"runtime error", "goroutine ", "panic", "sql:", "sqlite", "SQLITE", ".go:", "%!", "<nil>",
	"database is locked", "no such table", "syntax error", "something went wrong on my side"}

// abuseGuildBriefing is a briefing of the test guild, so moderators'
// commands have something of their own to work on.
func abuseGuildBriefing() *briefings.Briefing {
	return &briefings.Briefing{
		Slug: "guild-notes", Title: "Guild notes", Summary: "Notes the guild keeps.",
		Published: briefings.DayOf(2025, time.August, 2), Topics: []string{"alaska-summit"}, Status: briefings.StatusPublished,
		Actors: []briefings.Actor{{Name: "Guild Clerk", Kind: briefings.KindPerson}},
		Facts:  []briefings.Fact{{Text: "The clerk keeps the notes.", Attribution: "the clerk", Actors: []string{"Guild Clerk"}}},
	}
}

// fullRouterOn is the router with every feature on (moderation, digests)
// over the sample library in a store of backend b, plus a briefing of
// discordtest.GuildID.
func fullRouterOn(t *testing.T, b testlib.Backend) (*commands.Router, *db.DB) {
	t.Helper()
	lib := b.OpenLibrary(t)
	if _, err := lib.SaveBriefings(context.Background(), discordtest.GuildID, []*briefings.Briefing{abuseGuildBriefing()}, "test"); err != nil {
		t.Fatal(err)
	}
	return commands.New(lib, commands.Options{Curator: lib, Subscriptions: lib}), lib
}

// abuseCall is one command of the catalog with one string option set to
// a hostile value and every other option filled sensibly.
type abuseCall struct {
	label string
	// path is the command and its subcommands, e.g. ["briefing" "fact" "add"].
	path []string
	// opts are the leaf options, the hostile one included.
	opts []abuseOpt
}

type abuseOpt struct {
	name  string
	typ   discordgo.ApplicationCommandOptionType
	value string
}

// defaultValue fills an option that is not under attack.
func defaultValue(path []string, o *discordgo.ApplicationCommandOption) (string, bool) {
	switch o.Type {
	case discordgo.ApplicationCommandOptionString:
		switch o.Name {
		case "actors":
			return "Guild Clerk", true
		case "event":
			return "", false
		case "name":
			if path[0] == "briefing" && len(path) > 1 && path[1] == "actor" {
				return "Guild Clerk", true
			}
			return "Kim Jong Un", true
		case "briefing":
			return "guild-notes", true
		case "topic":
			return "alaska-summit", true
		case "actor":
			return "Kim Jong Un", true
		case "query", "question":
			return "Kursk", true
		case "time":
			return "08:00", true
		case "timezone":
			return "Europe/Berlin", true
		case "days":
			return "daily", true
		case "as_of", "date", "end":
			return "2025-08-02", true
		case "kind":
			return "person", true
		}
		return "abuse", true
	case discordgo.ApplicationCommandOptionInteger, discordgo.ApplicationCommandOptionNumber:
		return "1", true
	}
	return "", false // channels, roles, files, booleans: left out
}

// abuseCalls walks the catalog: for every leaf (sub)command and each of
// its string options, one call per hostile input.
func abuseCalls(catalog []*discordgo.ApplicationCommand) []abuseCall {
	var out []abuseCall
	var walk func(path []string, opts []*discordgo.ApplicationCommandOption)
	walk = func(path []string, opts []*discordgo.ApplicationCommandOption) {
		var leaves []*discordgo.ApplicationCommandOption
		for _, o := range opts {
			if o.Type == discordgo.ApplicationCommandOptionSubCommand || o.Type == discordgo.ApplicationCommandOptionSubCommandGroup {
				walk(append(append([]string(nil), path...), o.Name), o.Options)
				continue
			}
			leaves = append(leaves, o)
		}
		if len(leaves) == 0 && hasSub(opts) {
			return
		}
		attacked := false
		for _, target := range leaves {
			if target.Type != discordgo.ApplicationCommandOptionString {
				continue
			}
			attacked = true
			for _, in := range hostileInputs {
				c := abuseCall{label: strings.Join(path, " ") + " " + target.Name + "=" + in.name, path: path}
				for _, o := range leaves {
					if o == target {
						c.opts = append(c.opts, abuseOpt{o.Name, o.Type, in.value})
					} else if v, ok := defaultValue(path, o); ok && (o.Required || o.Type == discordgo.ApplicationCommandOptionString) {
						c.opts = append(c.opts, abuseOpt{o.Name, o.Type, v})
					}
				}
				out = append(out, c)
			}
		}
		if !attacked {
			c := abuseCall{label: strings.Join(path, " "), path: path}
			for _, o := range leaves {
				if v, ok := defaultValue(path, o); ok && o.Required {
					c.opts = append(c.opts, abuseOpt{o.Name, o.Type, v})
				}
			}
			out = append(out, c)
		}
	}
	for _, c := range catalog {
		if c.Type == discordgo.ChatApplicationCommand || c.Type == 0 {
			walk([]string{c.Name}, c.Options)
		}
	}
	return out
}

func hasSub(opts []*discordgo.ApplicationCommandOption) bool {
	for _, o := range opts {
		if o.Type == discordgo.ApplicationCommandOptionSubCommand || o.Type == discordgo.ApplicationCommandOptionSubCommandGroup {
			return true
		}
	}
	return false
}

// line writes the call the way people type it at the console; a backslash
// keeps what follows literal.
func (c abuseCall) line() string {
	var b strings.Builder
	b.WriteString("/" + strings.Join(c.path, " "))
	esc := strings.NewReplacer(`\`, `\\`, ":", `\:`, "\n", " ", "\r", " ")
	for _, o := range c.opts {
		b.WriteString(" " + o.name + ":" + esc.Replace(o.value))
	}
	return b.String()
}

// interaction builds the call as Discord sends it.
func (c abuseCall) interaction(perms int64) *discordgo.Interaction {
	var leaves []*discordgo.ApplicationCommandInteractionDataOption
	for _, o := range c.opts {
		var v any = o.value
		if o.typ != discordgo.ApplicationCommandOptionString {
			v = float64(1)
		}
		leaves = append(leaves, &discordgo.ApplicationCommandInteractionDataOption{Name: o.name, Type: o.typ, Value: v})
	}
	opts := leaves
	for k := len(c.path) - 1; k >= 1; k-- {
		typ := discordgo.ApplicationCommandOptionSubCommand
		if k < len(c.path)-1 {
			typ = discordgo.ApplicationCommandOptionSubCommandGroup
		}
		opts = []*discordgo.ApplicationCommandInteractionDataOption{{Name: c.path[k], Type: typ, Options: opts}}
	}
	i := discordtest.Command(c.path[0], opts...)
	i.Member.Permissions = perms
	return i
}

// checkClear fails when what a user reads is empty or holds Go's error text.
func checkClear(t *testing.T, label, text string) {
	t.Helper()
	if strings.TrimSpace(text) == "" {
		t.Errorf("%s: empty answer", label)
		return
	}
	for _, bad := range goErrorText {
		if strings.Contains(text, bad) {
			t.Errorf("%s: the answer shows %q:\n%.600s", label, bad, text)
			return
		}
	}
}

// TestAbuse_Console runs on SQLite only: it types the calls of
// TestAbuse_Gateway, which runs on both backends, one by one twice over,
// and on PostgreSQL that took 40 s of a loaded machine for nothing more.
func TestAbuse_Console(t *testing.T) {
	t.Parallel()
	router, lib := fullRouterOn(t, testlib.SQLite)
	calls := abuseCalls(router.Commands())
	for _, moderator := range []bool{false, true} {
		var out, errs bytes.Buffer
		c := console.New(router, console.Options{GuildID: discordtest.GuildID, UserID: discordtest.UserID, Moderator: moderator,
			Out: &out, Err: &errs, HistoryFile: "-"})
		for _, call := range calls {
			out.Reset()
			errs.Reset()
			line := call.line()
			c.Exec(context.Background(), line)
			got := strings.TrimPrefix(out.String(), "> "+strings.TrimSpace(line)+"\n") + errs.String()
			if strings.Contains(got, "submit") {
				// A form is open: leave it, or it takes the next line.
				c.Exec(context.Background(), "cancel")
			}
			checkClear(t, fmt.Sprintf("console (moderator %v) %s", moderator, call.label), got)
		}
		t.Logf("console, moderator %v: %d lines", moderator, len(calls))
	}
	// The moderator's edits went in, but no control character did: they
	// would travel into every message, export and terminal.
	ctx := context.Background()
	b, err := lib.BriefingWithStatus(ctx, discordtest.GuildID, "guild-notes", briefings.StatusDraft, briefings.StatusPublished, briefings.StatusRetracted)
	if err != nil {
		t.Fatal(err)
	}
	a, err := lib.ActorToCurate(ctx, discordtest.GuildID, "Guild Clerk") // guild-notes may be retracted by now
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := json.Marshal([]any{b, a})
	if b.Version < 5 {
		t.Errorf("guild-notes is at version %d: the moderator's edits did not go in", b.Version)
	}
	for _, c := range []string{`\u0000`, `\u0001`, `\u0007`, `\u001b`, `\u007f`, `\u0085`} {
		if strings.Contains(string(stored), c) {
			t.Errorf("the library stored the control character %s", c)
		}
	}
}

func TestAbuse_Gateway(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		fake := discordtest.New(t)
		router, _ := fullRouterOn(t, backend)
		rg := startGateway(t, fake, &discord.Gateway{Router: router})
		calls := abuseCalls(router.Commands())
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		type job struct {
			label string
			i     *discordgo.Interaction
		}
		jobs := make(chan job)
		var wg sync.WaitGroup
		// Eight at a time: the fake answers each in a few milliseconds, and
		// waiting for them one by one would make the table slow.
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := range jobs {
					id := fake.SendInteraction(ctx, j.i)
					resp, err := fake.AwaitResponse(ctx, id)
					if err != nil {
						t.Errorf("%s: no answer: %v", j.label, err)
						continue
					}
					text := responseText(resp)
					switch resp.Type {
					case discordgo.InteractionResponseDeferredChannelMessageWithSource:
						// A slow answer comes as an edit of the deferral, or,
						// when only the asker should see it, as a follow-up.
						wctx, cancel := context.WithTimeout(ctx, wait)
						err := fake.Await(wctx, func() bool { return deferredText(fake, id) != "" })
						cancel()
						if err != nil {
							t.Errorf("%s: deferred and never answered: %v", j.label, err)
							continue
						}
						text = deferredText(fake, id)
					case discordgo.InteractionResponseModal:
						text = resp.Data.Title
					}
					checkClear(t, j.label, text)
				}
			}()
		}
		// Every call once, members and moderators in turn: the console runs
		// the whole table as both.
		for k, call := range calls {
			perms := int64(discordtest.MemberPermissions)
			if k%2 == 1 {
				perms |= console.ModeratorPermissions
			}
			jobs <- job{fmt.Sprintf("gateway (permissions %d) %s", perms, call.label), call.interaction(perms)}
		}
		close(jobs)
		wg.Wait()
		// Nothing pinged: the fake flags any message without an empty parse
		// list, and no message carries a raw @everyone that could ping.
		fake.RequireNoViolations(t)
		for _, r := range fake.Requests() {
			body := string(r.Body)
			if strings.Contains(body, "@everyone") && !strings.Contains(body, `"allowed_mentions":{"parse":[]`) {
				t.Errorf("%s %s sends @everyone without an empty parse list: %.300s", r.Method, r.Path, body)
			}
		}
		if logs := rg.logs.String(); strings.Contains(logs, `"level":"ERROR"`) {
			t.Errorf("hostile input caused internal errors:\n%.3000s", grepLines(logs, `"level":"ERROR"`))
		}
		t.Logf("gateway: %d interactions", len(calls))
	})
}

// deferredText is what a deferred interaction finally shows: the edited
// original or its follow-ups; "" while neither has come.
func deferredText(fake *discordtest.Server, id string) string {
	var b strings.Builder
	if m := fake.Original(id); m != nil {
		b.WriteString(messageText(m.Content, m.Embeds, m.Components))
	}
	for _, m := range fake.Followups(id) {
		b.WriteString(messageText(m.Content, m.Embeds, m.Components))
	}
	return b.String()
}

// grepLines returns the lines of s that contain sub.
func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

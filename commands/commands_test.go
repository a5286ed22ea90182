package commands_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"regexp"
	"strings"
	"testing"

	"briefbot/briefings"
	"briefbot/briefings/answer"
	"briefbot/commands"

	"github.com/bwmarrin/discordgo"
)

// handle runs one interaction through a router over lib and decodes the
// response after checking it against Discord's limits.
func handle(t *testing.T, r *commands.Router, label string, i *discordgo.Interaction) wire {
	t.Helper()
	return checkLimits(t, label, r.Handle(context.Background(), i))
}

func TestRouter_Commands(t *testing.T) {
	t.Parallel()
	lib := openLibrary(t)
	r := newRouter(lib)

	t.Run("ActorByAlias", func(t *testing.T) {
		w := handle(t, r, "/actor kim", command("actor", opt("name", "kim")))
		if w.ephemeral() || len(w.Data.Embeds) != 1 {
			t.Fatalf("want one public embed, got %s", w.text())
		}
		if got, want := w.Data.Embeds[0].Title, "Kim Jong Un"; got != want {
			t.Errorf("title=%q, want %q", got, want)
		}
		text := w.text()
		for _, want := range []string{"Leader of North Korea", "Kim Jong-un", "— Kremlin", "— the seed report", "Putin-Kim phone call", "[1] Putin thanks Kim"} {
			if !strings.Contains(text, want) {
				t.Errorf("/actor kim lacks %q:\n%s", want, text)
			}
		}
	})

	t.Run("ActorMisspelled", func(t *testing.T) {
		w := handle(t, r, "/actor Kim Jong Um", command("actor", opt("name", "Kim Jong Um")))
		if !w.ephemeral() || !strings.Contains(w.Data.Content, "Did you mean **Kim Jong Un**") {
			t.Fatalf("want an ephemeral suggestion of Kim Jong Un, got %s", w.text())
		}
		if got := w.buttons(); len(got) == 0 || got[0] != "actor:Kim Jong Un" {
			t.Fatalf("buttons=%q, want actor:Kim Jong Un first", got)
		}
		// pressing the suggestion shows the actor, publicly
		p := handle(t, r, "press", button(w.buttons()[0]))
		if p.ephemeral() || len(p.Data.Embeds) == 0 || p.Data.Embeds[0].Title != "Kim Jong Un" {
			t.Errorf("pressing the suggestion gave %s", p.text())
		}
	})

	t.Run("ActorNothingClose", func(t *testing.T) {
		w := handle(t, r, "/actor zzqxv", command("actor", opt("name", "zzqxv")))
		if !w.ephemeral() || !strings.Contains(w.Data.Content, "Some I know:") {
			t.Errorf("want a list of known actors, got %s", w.text())
		}
	})

	t.Run("EventDate", func(t *testing.T) {
		w := handle(t, r, "/event alaska", command("event", opt("name", "alaska")))
		if len(w.Data.Embeds) != 1 || w.Data.Embeds[0].Title != "Alaska summit" {
			t.Fatalf("want the Alaska summit, got %s", w.text())
		}
		desc := w.Data.Embeds[0].Description
		for _, want := range []string{"**When:** 15 August 2025 (17 days ago)", "Anchorage, Alaska", "Vladimir Putin, Donald Trump"} {
			if !strings.Contains(desc, want) {
				t.Errorf("description lacks %q:\n%s", want, desc)
			}
		}
		if strings.Contains(desc, "<t:") {
			t.Errorf("a date without a time of day is a Discord timestamp, which readers west of UTC see a day early:\n%s", desc)
		}
	})

	t.Run("EventMonthPrecision", func(t *testing.T) {
		w := handle(t, r, "/event kursk", command("event", opt("name", "Kursk region declared retaken")))
		desc := w.Data.Embeds[0].Description
		if !strings.Contains(desc, "April 2025 (5 months ago)") || strings.Contains(desc, "<t:") {
			t.Errorf("a month-precision date should read \"April 2025\" plus relative time:\n%s", desc)
		}
	})

	t.Run("AskTroops", func(t *testing.T) {
		w := handle(t, r, "/ask troops", command("ask", opt("question", "How many North Korean troops are fighting for Russia?")))
		desc := w.Data.Embeds[0].Description
		first := strings.SplitN(desc, "\n", 3)[1]
		if !strings.Contains(first, "10,000") || !strings.Contains(first, "South Korean intelligence") {
			t.Errorf("the first passage should give the figure and who gives it:\n%s", desc)
		}
		if !strings.Contains(w.text(), "[1] Putin thanks Kim") {
			t.Errorf("the answer does not cite its briefing:\n%s", w.text())
		}
	})

	t.Run("AskUncovered", func(t *testing.T) {
		for _, q := range []string{"What is the capital of Peru?", "How many troops does Peru have?"} {
			w := handle(t, r, "/ask "+q, command("ask", opt("question", q)))
			if !strings.Contains(w.text(), "The briefings don't cover that") || !strings.Contains(w.text(), "/search") {
				t.Errorf("%q: want a plain \"don't cover\" answer, got %s", q, w.text())
			}
		}
	})

	t.Run("AnswerIsReusable", func(t *testing.T) {
		res, err := answer.Answer(context.Background(), lib, guild, "How many North Korean laborers work in Russia?", answer.Options{Lines: 2})
		if err != nil {
			t.Fatal(err)
		}
		if all := res.All(); !res.Covered() || !strings.Contains(all[0].Text, "50,000") || all[0].Briefing.Slug != "putin-kim-call-2025-08-12" {
			t.Errorf("lines=%+v, want the 50,000 laborers fact first", all)
		}
	})

	t.Run("Search", func(t *testing.T) {
		for _, q := range []string{"Kursk", "laborers", "Alaska"} {
			w := handle(t, r, "/search "+q, command("search", opt("query", q)))
			desc := w.Data.Embeds[0].Description
			if !strings.Contains(desc, "**"+q+"**") || !strings.Contains(desc, "Putin thanks Kim") {
				t.Errorf("/search %s should highlight the word and find the sample:\n%s", q, desc)
			}
		}
	})

	t.Run("SearchSeesOnlyItsGuild", func(t *testing.T) {
		w := handle(t, r, "/search zanzibar", command("search", opt("query", "zanzibar")))
		if strings.Contains(w.text(), "Zanzibar ferry") {
			t.Errorf("g1 sees g2's briefing: %s", w.text())
		}
		other := command("search", opt("query", "zanzibar"))
		other.GuildID = otherGuild
		if w := handle(t, r, "g2 search", other); !strings.Contains(w.text(), "Zanzibar") {
			t.Errorf("g2 does not see its own briefing: %s", w.text())
		}
	})

	t.Run("SearchHostileAndEmpty", func(t *testing.T) {
		for _, q := range []string{`"NEAR( * OR`, "", "  ", "*"} {
			w := handle(t, r, "/search "+q, command("search", opt("query", q)))
			if !w.ephemeral() || w.Data.Content == "" {
				t.Errorf("%q: want an ephemeral explanation, got %s", q, w.text())
			}
		}
	})

	t.Run("BriefPaging", func(t *testing.T) {
		w := handle(t, r, "/brief energy", command("brief", opt("topic", "Energy markets")))
		if got, want := w.Data.Embeds[0].Title, "Baltic Grid Operator update number 12"; got != want {
			t.Fatalf("newest=%q, want %q", got, want)
		}
		if got := w.buttons(); len(got) != 1 || got[0] != "brief:energy-markets:1" {
			t.Fatalf("enabled buttons=%q, want only Older (brief:energy-markets:1)", got)
		}
		p := handle(t, r, "older", button("brief:energy-markets:1"))
		if discordgo.InteractionResponseType(p.Type) != discordgo.InteractionResponseUpdateMessage {
			t.Errorf("a page press answered with type %d, want UpdateMessage", p.Type)
		}
		if got, want := p.Data.Embeds[0].Title, "Baltic Grid Operator update number 11"; got != want {
			t.Errorf("page 2=%q, want %q", got, want)
		}
		last := handle(t, r, "last", button("brief:energy-markets:11"))
		if got := last.buttons(); len(got) != 1 || got[0] != "brief:energy-markets:10" {
			t.Errorf("at the oldest, enabled buttons=%q, want only Newer", got)
		}
		if !strings.Contains(last.text(), "Briefing 12 of 12 on Energy markets") {
			t.Errorf("footer should place the briefing: %s", last.text())
		}
	})

	t.Run("BriefCorrections", func(t *testing.T) {
		w := handle(t, r, "/brief", command("brief"))
		e := w.Data.Embeds[0]
		if e.URL != "" && !strings.HasPrefix(e.URL, "https://") {
			t.Errorf("title link %q", e.URL)
		}
		text := w.text()
		for _, want := range []string{"Corrections", "sitting president", "— South Korean intelligence", "Kim Jong Un", "Published 12 August 2025"} {
			if !strings.Contains(text, want) {
				t.Errorf("/brief lacks %q", want)
			}
		}
	})

	t.Run("ForgedButtons", func(t *testing.T) {
		for _, id := range []string{"admin:wipe", "brief:energy-markets:01", "brief:../x:0", "brief:energy-markets:-1", "brief:energy-markets:0:g2", "brief:ferries:0"} {
			w := handle(t, r, id, button(id))
			if !w.ephemeral() || w.Data.Content == "" || strings.Contains(w.text(), "Zanzibar") {
				t.Errorf("%q: want an ephemeral refusal, got %s", id, w.text())
			}
		}
	})

	t.Run("Autocomplete", func(t *testing.T) {
		w := handle(t, r, "ac ki", autocomplete("actor", focused("name", "ki")))
		if len(w.Data.Choices) == 0 || w.Data.Choices[0].Name != "Kim Jong Un" {
			t.Errorf("choices=%+v, want Kim Jong Un first", w.Data.Choices)
		}
		w = handle(t, r, "ac empty", autocomplete("timeline", opt("topic", "x"), focused("actor", "")))
		if len(w.Data.Choices) == 0 || len(w.Data.Choices) > 25 {
			t.Errorf("empty text should list some actors, got %d", len(w.Data.Choices))
		}
	})

	t.Run("EscapesMarkdown", func(t *testing.T) {
		w := handle(t, r, "/brief stress", command("brief", opt("topic", "stress-test")))
		e := w.Data.Embeds[0]
		if !strings.Contains(e.Description, `\*\*Bold\*\*`) || strings.Contains(e.Description, " **Bold**") {
			t.Errorf("summary markdown not escaped:\n%s", briefings.Truncate(e.Description, 300))
		}
		if !strings.Contains(e.Description, "@everyone") {
			t.Errorf("mentions should stay readable")
		}
	})
}

// failingLibrary is the real store with one method made to fail or panic,
// to see what users and logs get from an internal error.
type failingLibrary struct {
	briefings.Library
	panics bool
}

func (f failingLibrary) Topics(ctx context.Context, guildID string) ([]briefings.TopicStats, error) {
	if f.panics {
		panic("topics exploded")
	}
	return nil, errors.New("disk on fire")
}

func TestRouter_InternalErrors(t *testing.T) {
	t.Parallel()
	lib := openLibrary(t)
	for _, tc := range []struct {
		name   string
		panics bool
		detail string
	}{{"Error", false, "disk on fire"}, {"Panic", true, "topics exploded"}} {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			r := commands.New(failingLibrary{Library: lib, panics: tc.panics}, commands.Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
			w := handle(t, r, "/topics", command("topics"))
			m := regexp.MustCompile("error ID `([0-9a-f]{8})`").FindStringSubmatch(w.Data.Content)
			if !w.ephemeral() || m == nil {
				t.Fatalf("want an ephemeral apology with an error ID, got %q", w.Data.Content)
			}
			if strings.Contains(w.Data.Content, tc.detail) {
				t.Errorf("the apology leaks the detail: %q", w.Data.Content)
			}
			if !strings.Contains(logs.String(), m[1]) || !strings.Contains(logs.String(), tc.detail) {
				t.Errorf("the log lacks the ID %s or the detail:\n%s", m[1], logs.String())
			}
		})
	}
}

func TestRouter_Catalog(t *testing.T) {
	t.Parallel()
	name := regexp.MustCompile(`^[-_a-z0-9]{1,32}$`)
	cmds := newRouter(nil).Commands()
	if got, want := len(cmds), 8; got != want {
		t.Fatalf("%d commands, want %d", got, want)
	}
	seen := map[string]bool{}
	for _, c := range cmds {
		if !name.MatchString(c.Name) || seen[c.Name] {
			t.Errorf("bad or repeated command name %q", c.Name)
		}
		seen[c.Name] = true
		if n := units(c.Description); n < 1 || n > 100 {
			t.Errorf("/%s description is %d characters", c.Name, n)
		}
		for _, o := range c.Options {
			if !name.MatchString(o.Name) {
				t.Errorf("/%s option %q", c.Name, o.Name)
			}
			if n := units(o.Description); n < 1 || n > 100 {
				t.Errorf("/%s %s description is %d characters", c.Name, o.Name, n)
			}
		}
	}
	for _, want := range []string{"brief", "actor", "event", "timeline", "search", "ask", "topics", "help"} {
		if !seen[want] {
			t.Errorf("catalog lacks /%s", want)
		}
	}
}

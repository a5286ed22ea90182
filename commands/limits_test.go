package commands_test

import (
	"context"
	"strings"
	"testing"
	"unicode/utf16"

	"briefbot/briefings"
	"briefbot/commands"

	"github.com/bwmarrin/discordgo"
)

// units counts s as Discord does, in UTF-16 code units.
func units(s string) int { return len(utf16.Encode([]rune(s))) }

// checkLimits fails the test when resp would be rejected by Discord or could
// mention anyone.
func checkLimits(t *testing.T, label string, resp *discordgo.InteractionResponse) wire {
	t.Helper()
	w, raw := decode(t, resp)
	fail := func(format string, args ...any) {
		t.Helper()
		t.Errorf("%s: "+format+"\n%s", append([]any{label}, append(args, raw)...)...)
	}
	if am := w.Data.AllowedMentions; am == nil || am.Parse == nil || len(*am.Parse) != 0 {
		fail("allowed_mentions.parse is not an empty list")
	}
	if !strings.Contains(string(raw), `"allowed_mentions":{"parse":[]`) {
		fail(`JSON lacks "allowed_mentions":{"parse":[]`)
	}
	if strings.ContainsAny(string(raw), briefings.HighlightOpen+briefings.HighlightClose) {
		fail("highlight markers leaked")
	}
	d := w.Data
	switch discordgo.InteractionResponseType(w.Type) {
	case discordgo.InteractionResponseChannelMessageWithSource, discordgo.InteractionResponseUpdateMessage:
		if d.Content == "" && len(d.Embeds) == 0 {
			fail("empty message")
		}
	case discordgo.InteractionApplicationCommandAutocompleteResult:
		// no choices serialize as no "choices" key, which Discord shows as
		// "no options match"; an empty list would be rejected
	default:
		fail("unexpected response type %d", w.Type)
	}
	if n := units(d.Content); n > 2000 {
		fail("content is %d characters", n)
	}
	if len(d.Embeds) > 10 {
		fail("%d embeds", len(d.Embeds))
	}
	total := 0
	for _, e := range d.Embeds {
		total += units(e.Title) + units(e.Description)
		if n := units(e.Title); n > 256 {
			fail("embed title is %d characters", n)
		}
		if n := units(e.Description); n > 4096 {
			fail("embed description is %d characters", n)
		}
		if len(e.Fields) > 25 {
			fail("%d fields", len(e.Fields))
		}
		for _, f := range e.Fields {
			total += units(f.Name) + units(f.Value)
			if n := units(f.Name); n == 0 || n > 256 {
				fail("field name is %d characters", n)
			}
			if n := units(f.Value); n == 0 || n > 1024 {
				fail("field %q value is %d characters", f.Name, n)
			}
		}
		if e.Footer != nil {
			total += units(e.Footer.Text)
			if n := units(e.Footer.Text); n > 2048 {
				fail("footer is %d characters", n)
			}
		}
		if e.Author != nil {
			total += units(e.Author.Name)
			if n := units(e.Author.Name); n > 256 {
				fail("author is %d characters", n)
			}
		}
	}
	if total > 6000 {
		fail("embeds total %d characters", total)
	}
	if len(d.Components) > 5 {
		fail("%d component rows", len(d.Components))
	}
	ids := map[string]bool{}
	for _, row := range d.Components {
		if row.Type != int(discordgo.ActionsRowComponent) || len(row.Components) == 0 || len(row.Components) > 5 {
			fail("bad action row: type %d with %d items", row.Type, len(row.Components))
		}
		for _, c := range row.Components {
			if units(c.Label) > 80 {
				fail("button label is %d characters", units(c.Label))
			}
			if c.URL == "" && (c.CustomID == "" || units(c.CustomID) > 100 || ids[c.CustomID]) {
				fail("bad or repeated custom ID %q", c.CustomID)
			}
			ids[c.CustomID] = true
		}
	}
	if len(d.Choices) > 25 {
		fail("%d choices", len(d.Choices))
	}
	for _, c := range d.Choices {
		// an integer option's choices carry numbers
		v, isText := c.Value.(string)
		if _, isNumber := c.Value.(float64); isNumber && !isText {
			v = "number"
		}
		if n := units(c.Name); n == 0 || n > 100 || units(v) == 0 || units(v) > 100 {
			fail("choice %q=%q out of limits", c.Name, v)
		}
	}
	return w
}

// TestRouter_EveryResponseFits runs every command with every kind of input
// over the library, presses every button the answers carry (and the buttons
// those answers carry), and checks each response against Discord's limits.
func TestRouter_EveryResponseFits(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	lib := openLibrary(t)
	r := newRouter(lib)

	names := map[briefings.NameKind][]string{}
	for _, k := range []briefings.NameKind{briefings.NameTopic, briefings.NameActor, briefings.NameEvent} {
		ns, err := lib.Names(ctx, guild, k)
		if err != nil {
			t.Fatalf("names of %s: %v", k, err)
		}
		if len(ns) == 0 {
			t.Fatalf("no %s names in the test library", k)
		}
		names[k] = ns
	}
	odd := []string{"nope", "Kim Jong Um", "Ukrane war", "🎉", `"NEAR( * OR`, strings.Repeat("long ", 20), "   ", "@everyone"}
	type tc struct {
		label string
		i     *discordgo.Interaction
	}
	var cases []tc
	add := func(label string, i *discordgo.Interaction) { cases = append(cases, tc{label, i}) }

	add("/help", command("help"))
	add("/topics", command("topics"))
	add("/brief", command("brief"))
	add("/timeline", command("timeline"))
	add("/nonexistent", command("nonexistent"))
	for _, n := range append(names[briefings.NameTopic], odd...) {
		add("/brief topic:"+n, command("brief", opt("topic", n)))
		add("/timeline topic:"+n, command("timeline", opt("topic", n)))
		for _, a := range []string{"Kim", "Baltic Grid Operator", "nope"} {
			add("/timeline topic:"+n+" actor:"+a, command("timeline", opt("topic", n), opt("actor", a)))
		}
	}
	for _, n := range append(names[briefings.NameActor], odd...) {
		add("/actor name:"+n, command("actor", opt("name", n)))
		add("/timeline actor:"+n, command("timeline", opt("actor", n)))
		add("/search query:"+n, command("search", opt("query", n)))
	}
	for _, n := range append(names[briefings.NameEvent], odd...) {
		add("/event name:"+n, command("event", opt("name", n)))
	}
	queries := append([]string{"Kursk", "laborers", "Alaska", "tonnes review", "markup stress", "zanzibar", "", "*", "the"}, odd...)
	for _, s := range queries {
		add("/search query:"+s, command("search", opt("query", s)))
	}
	questions := append([]string{
		"How many North Korean troops are fighting for Russia?",
		"When did Putin meet Trump in Alaska?",
		"What is the capital of Peru?",
		"How many tonnes did the Baltic Grid Operator handle?",
		"Who is Kim?",
		"?",
		"What does the markup stress actor do?",
	}, odd...)
	for _, s := range questions {
		add("/ask question:"+s, command("ask", opt("question", s)))
	}
	for _, ac := range []struct{ cmd, opt string }{{"brief", "topic"}, {"actor", "name"}, {"event", "name"}, {"timeline", "topic"}, {"timeline", "actor"}, {"search", "query"}} {
		for _, s := range []string{"", "k", "ki", "a", "m", "zz", "🎉", strings.Repeat("x", 100)} {
			add("autocomplete /"+ac.cmd+" "+ac.opt+":"+s, autocomplete(ac.cmd, focused(ac.opt, s)))
		}
	}
	for _, id := range []string{"brief::0", "brief::1", "brief::999999", "brief:ukraine-war:1", "brief:no-such-topic:0",
		"brief:Bad Slug:0", "brief::01", "brief::-1", "brief::1e3", "actor:Kim", "event:Alaska summit", "topic:Ukraine war",
		"actor:", "admin:delete", "", strings.Repeat("x", 200)} {
		add("button "+id, button(id))
	}
	add("nil interaction", nil)
	add("bare component", &discordgo.Interaction{Type: discordgo.InteractionMessageComponent})
	add("modal submit", &discordgo.Interaction{Type: discordgo.InteractionModalSubmit, Data: discordgo.ModalSubmitInteractionData{CustomID: "x"}})

	pressed := map[string]bool{}
	var queue []tc
	run := func(c tc) {
		w := checkLimits(t, c.label, r.Handle(ctx, c.i))
		for _, id := range w.buttons() {
			if !pressed[id] {
				pressed[id] = true
				queue = append(queue, tc{c.label + " → " + id, button(id)})
			}
		}
	}
	for _, c := range cases {
		run(c)
	}
	for n := 0; len(queue) > 0 && n < 500; n++ {
		c := queue[0]
		queue = queue[1:]
		run(c)
	}
	if len(pressed) < 5 {
		t.Errorf("only %d distinct buttons were offered; paging and suggestions should offer more", len(pressed))
	}
}

// TestFit clips and drops what a handler may overfill.
func TestFit(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("é🎉", 3000)
	var fs []*discordgo.MessageEmbedField
	for range 40 {
		fs = append(fs, &discordgo.MessageEmbedField{Name: big, Value: big})
	}
	fs = append(fs, &discordgo.MessageEmbedField{Name: "empty", Value: "  "})
	var embeds []*discordgo.MessageEmbed
	for range 12 {
		embeds = append(embeds, &discordgo.MessageEmbed{Title: big, Description: big, Fields: fs, Footer: &discordgo.MessageEmbedFooter{Text: big}, Author: &discordgo.MessageEmbedAuthor{Name: big}})
	}
	var choices []*discordgo.ApplicationCommandOptionChoice
	for range 30 {
		choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: big, Value: big})
	}
	resp := commands.Fit(&discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: big, Embeds: embeds},
	})
	w := checkLimits(t, "overfull message", resp)
	if got := w.Data.Content; !strings.HasSuffix(got, "…") || units(got) > 2000 || units(got) < 1990 {
		t.Errorf("content not clipped to the limit with an ellipsis: %d characters", units(got))
	}
	if len(w.Data.Embeds) == 0 {
		t.Errorf("every embed was dropped; the first should survive, shortened")
	}
	ac := commands.Fit(&discordgo.InteractionResponse{
		Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: choices},
	})
	if got := len(checkLimits(t, "overfull autocomplete", ac).Data.Choices); got != 25 {
		t.Errorf("choices=%d, want 25", got)
	}
	if got := checkLimits(t, "nil", commands.Fit(nil)); got.Data.Content == "" {
		t.Errorf("a nil response became a blank message")
	}
}

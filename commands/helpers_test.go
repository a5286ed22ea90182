package commands_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"briefbot/briefings"
	"briefbot/commands"
	"briefbot/db"

	"briefbot/internal/testlib"
	"github.com/bwmarrin/discordgo"
)

// clock is the fixed time every test router sees.
var clock = time.Date(2025, 9, 1, 12, 0, 0, 0, time.UTC)

// The guilds of the tests: g1 asks; g2 has a library g1 must never see.
const (
	guild      = "g1"
	otherGuild = "g2"
)

// generatedTopics are the topics of the generated briefings, with how many
// briefings each gets.
var generatedTopics = []struct {
	slug  string
	count int
	actor string
}{
	{"energy-markets", 12, "Baltic Grid Operator"},
	{"arctic-shipping", 10, "Northern Sea Route Authority"},
	{"space-launches", 8, "Kourou Spaceport"},
}

// openLibrary opens a real SQLite library in a temporary directory holding
// the sample library (global), 30 generated briefings on three topics
// (global), a briefing full of markup and oversized text in g1's library, and
// a briefing only g2 can see.
func openLibrary(tb testing.TB) *db.DB {
	tb.Helper()
	ctx := context.Background()
	lib := testlib.OpenStore(tb)
	lib.Now = func() time.Time { return clock }
	global := append(testlib.SampleBriefings(tb), generatedBriefings()...)
	if _, err := lib.SaveBriefings(ctx, "", global, "test"); err != nil {
		tb.Fatalf("save global briefings: %v", err)
	}
	if _, err := lib.SaveBriefings(ctx, guild, []*briefings.Briefing{hostileBriefing()}, "test"); err != nil {
		tb.Fatalf("save g1 briefing: %v", err)
	}
	if _, err := lib.SaveBriefings(ctx, otherGuild, []*briefings.Briefing{privateBriefing()}, "test"); err != nil {
		tb.Fatalf("save g2 briefing: %v", err)
	}
	return lib
}

// generatedBriefings returns 30 briefings, one a day from 1 January 2025,
// spread over generatedTopics, each with an actor, a dated event and two
// attributed facts, one with a figure.
func generatedBriefings() []*briefings.Briefing {
	var out []*briefings.Briefing
	n := 0
	for _, gt := range generatedTopics {
		for i := 1; i <= gt.count; i++ {
			n++
			day := briefings.DayOf(2025, time.January, n)
			event := fmt.Sprintf("%s review %d", gt.actor, i)
			out = append(out, &briefings.Briefing{
				Slug:      fmt.Sprintf("%s-%02d", gt.slug, i),
				Title:     fmt.Sprintf("%s update number %d", gt.actor, i),
				Summary:   fmt.Sprintf("Issue %d of the %s series: the %s reports on quarterly volumes and schedules.", i, gt.slug, gt.actor),
				Published: day,
				Source:    briefings.Source{Name: "Test Wire", URL: fmt.Sprintf("https://example.com/%s/%d", gt.slug, i)},
				Topics:    []string{gt.slug},
				Status:    briefings.StatusPublished,
				Actors: []briefings.Actor{{
					Name: gt.actor, Kind: briefings.KindOrganization,
					Description: "A generated organisation for tests.",
				}},
				Events: []briefings.Event{{
					Name: event, Date: day, Location: "Test city",
					Participants: []string{gt.actor}, Description: "A generated review meeting.",
				}},
				Facts: []briefings.Fact{
					{Text: fmt.Sprintf("The %s handled %d,000 tonnes in review %d.", gt.actor, 10+i, i), Attribution: "quarterly filing", Actors: []string{gt.actor}, Event: event},
					{Text: fmt.Sprintf("Review %d of the %s went ahead as planned.", i, gt.actor), Attribution: "Test Wire", Actors: []string{gt.actor}},
				},
			})
		}
	}
	return out
}

// hostileBriefing is full of markdown, mentions and text at every limit.
func hostileBriefing() *briefings.Briefing {
	long := strings.Repeat("**Bold** _under_ ~~strike~~ `code` ||spoiler|| @everyone <@&123> 🎉 ", 60)
	b := &briefings.Briefing{
		Slug:      "markup-stress",
		Title:     briefings.Truncate("**Markup** stress @everyone <@&123> [link](https://evil.example) "+strings.Repeat("🎉", 200), briefings.MaxTitle),
		Summary:   briefings.Truncate("> quoted\n# heading\n- item\n"+long, briefings.MaxSummary),
		Published: briefings.DayOf(2024, time.March, 1),
		Source:    briefings.Source{Name: "Stress *Wire*", URL: "https://example.com/a_(b)"},
		Topics:    []string{"stress-test"},
		Status:    briefings.StatusPublished,
	}
	longName := briefings.Truncate("Markup Stress Actor "+strings.Repeat("x", 200), briefings.MaxName)
	b.Actors = append(b.Actors, briefings.Actor{Name: longName, Kind: briefings.KindGroup, Description: briefings.Truncate(long, briefings.MaxDescription), Aliases: []string{"Stress @everyone"}})
	b.Events = append(b.Events, briefings.Event{Name: "Stress **event**", Date: briefings.MustParseDate("2024-03-01T14:30:00Z"), End: briefings.MustParseDate("2024-03-02"), Location: briefings.Truncate(long, briefings.MaxLocation), Participants: []string{longName}, Description: briefings.Truncate(long, briefings.MaxDescription)})
	for i := 0; i < briefings.MaxFacts; i++ {
		b.Facts = append(b.Facts, briefings.Fact{
			Text:        briefings.Truncate(fmt.Sprintf("Fact %d: %s", i, long), briefings.MaxFactText),
			Attribution: briefings.Truncate("Source *"+long, briefings.MaxAttribution),
			Actors:      []string{longName},
			Event:       "Stress **event**",
		})
	}
	for i := 0; i < 5; i++ {
		b.Corrections = append(b.Corrections, briefings.Correction{Date: briefings.DayOf(2024, time.March, 2), Text: briefings.Truncate(long, briefings.MaxCorrection)})
	}
	return b
}

// privateBriefing is visible to g2 only, with a word nobody else has.
func privateBriefing() *briefings.Briefing {
	return &briefings.Briefing{
		Slug:      "zanzibar-ferry",
		Title:     "Zanzibar ferry timetable changes",
		Summary:   "The Zanzibar ferry moves to a winter timetable.",
		Published: briefings.DayOf(2025, time.August, 20),
		Topics:    []string{"ferries"},
		Status:    briefings.StatusPublished,
		Facts:     []briefings.Fact{{Text: "The Zanzibar ferry runs twice a day in winter.", Attribution: "ferry operator"}},
	}
}

// newRouter returns a router over lib with the test clock.
func newRouter(lib briefings.Library) *commands.Router {
	return commands.New(lib, commands.Options{Now: func() time.Time { return clock }})
}

// opt is a string option of a slash command.
func opt(name, value string) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionString, Value: value}
}

// focused is the option being typed in an autocomplete request.
func focused(name, value string) *discordgo.ApplicationCommandInteractionDataOption {
	o := opt(name, value)
	o.Focused = true
	return o
}

// member is who presses and types in the tests.
func member() *discordgo.Member { return &discordgo.Member{User: &discordgo.User{ID: "u1"}} }

// command builds a slash command interaction in g1.
func command(name string, opts ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.Interaction {
	return &discordgo.Interaction{
		ID: "i1", Type: discordgo.InteractionApplicationCommand, GuildID: guild, Member: member(),
		Data: discordgo.ApplicationCommandInteractionData{Name: name, CommandType: discordgo.ChatApplicationCommand, Options: opts},
	}
}

// autocomplete builds an autocomplete request in g1.
func autocomplete(name string, opts ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.Interaction {
	i := command(name, opts...)
	i.Type = discordgo.InteractionApplicationCommandAutocomplete
	return i
}

// button builds a button press in g1.
func button(customID string) *discordgo.Interaction {
	return &discordgo.Interaction{
		ID: "i1", Type: discordgo.InteractionMessageComponent, GuildID: guild, Member: member(),
		Data: discordgo.MessageComponentInteractionData{CustomID: customID, ComponentType: discordgo.ButtonComponent},
	}
}

// wire is the part of a response's JSON the checks read, decoded from what
// a transport would send.
type wire struct {
	Type int `json:"type"`
	Data *struct {
		Content string `json:"content"`
		Flags   int    `json:"flags"`
		Embeds  []struct {
			Title       string `json:"title"`
			URL         string `json:"url"`
			Description string `json:"description"`
			Fields      []struct {
				Name  string `json:"name"`
				Value string `json:"value"`
			} `json:"fields"`
			Footer *struct {
				Text string `json:"text"`
			} `json:"footer"`
			Author *struct {
				Name string `json:"name"`
			} `json:"author"`
		} `json:"embeds"`
		Components []struct {
			Type       int `json:"type"`
			Components []struct {
				Type     int    `json:"type"`
				Label    string `json:"label"`
				Style    int    `json:"style"`
				CustomID string `json:"custom_id"`
				URL      string `json:"url"`
				Disabled bool   `json:"disabled"`
			} `json:"components"`
		} `json:"components"`
		Choices []struct {
			Name  string `json:"name"`
			Value any    `json:"value"`
		} `json:"choices"`
		AllowedMentions *struct {
			Parse *[]string `json:"parse"`
		} `json:"allowed_mentions"`
	} `json:"data"`
}

// decode marshals resp as a transport would and decodes the JSON back.
func decode(tb testing.TB, resp *discordgo.InteractionResponse) (wire, []byte) {
	tb.Helper()
	raw, err := json.Marshal(resp)
	if err != nil {
		tb.Fatalf("marshal response: %v", err)
	}
	var w wire
	if err := json.Unmarshal(raw, &w); err != nil {
		tb.Fatalf("unmarshal response: %v\n%s", err, raw)
	}
	if w.Data == nil {
		tb.Fatalf("response has no data: %s", raw)
	}
	return w, raw
}

// text returns everything a user reads in a response, for assertions.
func (w wire) text() string {
	var b strings.Builder
	b.WriteString(w.Data.Content)
	for _, e := range w.Data.Embeds {
		b.WriteString("\n" + e.Title + "\n" + e.Description)
		for _, f := range e.Fields {
			b.WriteString("\n" + f.Name + "\n" + f.Value)
		}
		if e.Footer != nil {
			b.WriteString("\n" + e.Footer.Text)
		}
	}
	for _, r := range w.Data.Components {
		for _, c := range r.Components {
			b.WriteString("\n[" + c.Label + "]")
		}
	}
	for _, c := range w.Data.Choices {
		b.WriteString("\n" + c.Name)
	}
	return b.String()
}

// ephemeral reports whether only the asker sees the response.
func (w wire) ephemeral() bool {
	return w.Data.Flags&int(discordgo.MessageFlagsEphemeral) != 0
}

// buttons returns the custom IDs of the enabled buttons.
func (w wire) buttons() []string {
	var ids []string
	for _, r := range w.Data.Components {
		for _, c := range r.Components {
			if c.CustomID != "" && !c.Disabled {
				ids = append(ids, c.CustomID)
			}
		}
	}
	return ids
}

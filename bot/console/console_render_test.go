package console_test

import (
	"flag"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"briefbot/bot/console"
	"briefbot/briefings"

	"briefbot/internal/testlib"
	"github.com/bwmarrin/discordgo"
)

// update rewrites the golden files under testdata/console.
var update = flag.Bool("update", false, "rewrite golden files under testdata")

// golden compares got with testdata/console/name.golden, or rewrites it
// under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	testlib.Golden(t, filepath.Join("testdata", "console", name+".golden"), got, *update)
}

// renderNow is the fixed clock of the renderer tests: 12 August 2025 12:00 UTC.
var renderNow = time.Date(2025, 8, 12, 12, 0, 0, 0, time.UTC)

func TestRenderText(t *testing.T) {
	t.Parallel()
	summit := time.Date(2025, 8, 15, 19, 0, 0, 0, time.UTC).Unix()
	for _, tt := range []struct {
		name string
		resp *discordgo.InteractionResponse
	}{
		{"embed", &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{
				Content: "Found **2** events.",
				Embeds: []*discordgo.MessageEmbed{{
					Title:       "Alaska summit",
					URL:         "https://example.com/alaska",
					Description: "Trump and Putin meet at <t:" + itoa(summit) + ":F> in Anchorage (<t:" + itoa(summit) + ":R>).",
					Fields: []*discordgo.MessageEmbedField{
						{Name: "Date", Value: "<t:" + itoa(summit) + ":D>", Inline: true},
						{Name: "Facts", Value: "• Putin and Trump meet in person — *White House*\n• Talks last three hours — __Reuters__"},
						{Name: "Source", Value: "[Reuters](https://reuters.com/x)"},
					},
					Footer:    &discordgo.MessageEmbedFooter{Text: "alaska-summit · version 2"},
					Timestamp: "2025-08-12T09:30:00Z",
				}, {
					Title:       "Second section",
					Description: "Mentioned in `alaska-summit`.",
				}},
				Components: []discordgo.MessageComponent{
					discordgo.ActionsRow{Components: []discordgo.MessageComponent{
						discordgo.Button{Label: "Older", CustomID: "page:older", Style: discordgo.SecondaryButton, Disabled: true},
						discordgo.Button{Label: "Newer", CustomID: "page:newer", Style: discordgo.SecondaryButton},
						discordgo.Button{Label: "Source", URL: "https://reuters.com/x", Style: discordgo.LinkButton},
					}},
					&discordgo.ActionsRow{Components: []discordgo.MessageComponent{
						&discordgo.SelectMenu{CustomID: "pick", Placeholder: "Open a briefing", Options: []discordgo.SelectMenuOption{
							{Label: "Alaska summit", Value: "alaska-summit", Description: "15 August 2025"},
							{Label: "Kursk", Value: "kursk", Default: true},
						}},
					}},
				},
			},
		}},
		{"ephemeral", &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{
				Flags:   discordgo.MessageFlagsEphemeral,
				Content: "No actor called **Kim Jong Im**. Did you mean *Kim Jong Un*? Try </actor:123> again.",
			},
		}},
		{"mentions", &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{
				Content: "## Subscribed\n<@123> will get **kursk** in <#456>, pinging <@&789> <@!321>.\n" +
					"Read [the briefing](<https://example.com/kursk>) or <https://example.com/raw>.\n" +
					`Escaped: \*not bold\* and 5 * 3 * 2, a\_slug\_name, ` + "||spoiler|| :flag_kp: <:kim:42>\n" +
					"-# updated <t:" + itoa(summit-3*86400-86400*90) + ":R>\n" +
					"```yaml\nslug: kursk\n**kept**\n```",
			},
		}},
		{"update", &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseUpdateMessage,
			Data: &discordgo.InteractionResponseData{
				Embeds: []*discordgo.MessageEmbed{{Title: "Page 2", Description: "Search hit: Russia " + briefings.HighlightOpen + "Kursk" + briefings.HighlightClose + " region"}},
			},
		}},
		{"suggestions", &discordgo.InteractionResponse{
			Type: discordgo.InteractionApplicationCommandAutocompleteResult,
			Data: &discordgo.InteractionResponseData{Choices: []*discordgo.ApplicationCommandOptionChoice{
				{Name: "Kim Jong Un", Value: "Kim Jong Un"},
				{Name: "Alaska summit (15 August 2025)", Value: "alaska-summit"},
			}},
		}},
		{"modal", &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseModal,
			Data: &discordgo.InteractionResponseData{
				CustomID: "fact:add:alaska",
				Title:    "Add a fact",
				Components: []discordgo.MessageComponent{
					discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.TextInput{CustomID: "text", Label: "Fact", Style: discordgo.TextInputParagraph, Required: true}}},
					discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.TextInput{CustomID: "attribution", Label: "Who says so", Placeholder: "Reuters", Style: discordgo.TextInputShort}}},
				},
			},
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			golden(t, "render_"+tt.name, console.RenderText(tt.resp, renderNow))
		})
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestRenderText_Nothing(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		resp *discordgo.InteractionResponse
		want string
	}{
		{nil, "(no response)\n"},
		{&discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource}, "(an empty message)\n"},
		{&discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}, "(briefbot is thinking…)\n"},
		{&discordgo.InteractionResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult, Data: &discordgo.InteractionResponseData{}}, "No suggestions.\n"},
	} {
		if got := console.RenderText(tt.resp, renderNow); got != tt.want {
			t.Errorf("RenderText(%+v) = %q, want %q", tt.resp, got, tt.want)
		}
	}
}

func TestRenderMessage(t *testing.T) {
	t.Parallel()
	got := console.RenderMessage(&discordgo.MessageSend{
		Content: "Your **weekly** digest",
		Embed:   &discordgo.MessageEmbed{Title: "Kursk", Description: "Published <t:1755216000:D>"},
	}, renderNow)
	if want := "Your weekly digest\n\n== Kursk ==\nPublished 15 August 2025\n"; got != want {
		t.Errorf("RenderMessage = %q, want %q", got, want)
	}
}

// A reader's zone shows timestamps as Discord shows them to a reader
// there: the instant of an exact time, in their own calendar day and hour.
func TestTextRenderer_Zone(t *testing.T) {
	t.Parallel()
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	newYork, _ := time.LoadLocation("America/New_York")
	const in = "<t:1754956800:F> · <t:1754956800:t> · <t:1754956800:D>" // 2025-08-12 00:00 UTC
	for _, tt := range []struct {
		name string
		zone *time.Location
		want string
	}{
		{"UTC", nil, "Tuesday, 12 August 2025 00:00 UTC · 00:00 UTC · 12 August 2025"},
		{"Tokyo", tokyo, "Tuesday, 12 August 2025 09:00 JST · 09:00 JST · 12 August 2025"},
		{"NewYork", newYork, "Monday, 11 August 2025 20:00 EDT · 20:00 EDT · 11 August 2025"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := console.TextRenderer{Now: renderNow, Zone: tt.zone}
			if got := r.Markup(in); got != tt.want {
				t.Errorf("Markup = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTextRenderer_ANSI(t *testing.T) {
	t.Parallel()
	r := console.TextRenderer{Now: renderNow, ANSI: true}
	if got, want := r.Markup("a **bold** word"), "a \x1b[1mbold\x1b[22m word"; got != want {
		t.Errorf("Markup = %q, want %q", got, want)
	}
	plain := console.TextRenderer{}
	if got, want := plain.Markup("a **bold** word"), "a bold word"; got != want {
		t.Errorf("plain Markup = %q, want %q", got, want)
	}
}

func TestRelative(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		d    time.Duration
		want string
	}{
		{10 * time.Second, "in a few seconds"},
		{-time.Minute, "a minute ago"},
		{-10 * time.Minute, "10 minutes ago"},
		{time.Hour, "in an hour"},
		{5 * time.Hour, "in 5 hours"},
		{24 * time.Hour, "in a day"},
		{3 * 24 * time.Hour, "in 3 days"},
		{-30 * 24 * time.Hour, "a month ago"},
		{-92 * 24 * time.Hour, "3 months ago"},
		{400 * 24 * time.Hour, "in a year"},
		{-3 * 365 * 24 * time.Hour, "3 years ago"},
	} {
		if got := console.Relative(renderNow.Add(tt.d), renderNow); got != tt.want {
			t.Errorf("Relative(now%+v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

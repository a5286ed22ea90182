package console_test

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"

	"briefbot/bot/console"

	"github.com/bwmarrin/discordgo"
)

func ptr[T any](v T) *T { return &v }

// testCatalog has the shapes the real catalog uses: plain options,
// autocomplete, integers, numbers, booleans, choices, users, subcommands
// and subcommand groups.
func testCatalog() []*discordgo.ApplicationCommand {
	str := discordgo.ApplicationCommandOptionString
	return []*discordgo.ApplicationCommand{
		{Name: "actor", Description: "Who someone is", Options: []*discordgo.ApplicationCommandOption{
			{Type: str, Name: "name", Description: "Actor name", Required: true, Autocomplete: true},
		}},
		{Name: "ask", Description: "Ask a question", Options: []*discordgo.ApplicationCommandOption{
			{Type: str, Name: "question", Description: "Your question", Required: true, MaxLength: 300},
			{Type: discordgo.ApplicationCommandOptionBoolean, Name: "public", Description: "Show to everyone"},
		}},
		{Name: "search", Description: "Search briefings", Options: []*discordgo.ApplicationCommandOption{
			{Type: str, Name: "query", Description: "Words", Required: true},
			{Type: discordgo.ApplicationCommandOptionInteger, Name: "limit", Description: "How many", MinValue: ptr(1.0), MaxValue: 25},
			{Type: discordgo.ApplicationCommandOptionNumber, Name: "weight", Description: "Score weight"},
			{Type: str, Name: "kind", Description: "What to find", Choices: []*discordgo.ApplicationCommandOptionChoice{
				{Name: "Briefings", Value: "briefing"}, {Name: "Facts", Value: "fact"},
			}},
		}},
		{Name: "subscribe", Description: "Follow a topic", Options: []*discordgo.ApplicationCommandOption{
			{Type: str, Name: "topic", Description: "Topic", Required: true, Autocomplete: true},
			{Type: discordgo.ApplicationCommandOptionChannel, Name: "channel", Description: "Where"},
			{Type: discordgo.ApplicationCommandOptionUser, Name: "for", Description: "Who"},
		}},
		{Name: "briefing", Description: "Manage briefings", Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "show", Description: "Show one", Options: []*discordgo.ApplicationCommandOption{
				{Type: str, Name: "briefing", Description: "Slug", Required: true, Autocomplete: true},
			}},
			{Type: discordgo.ApplicationCommandOptionSubCommandGroup, Name: "fact", Description: "Facts", Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "add", Description: "Add a fact", Options: []*discordgo.ApplicationCommandOption{
					{Type: str, Name: "briefing", Description: "Slug", Required: true, Autocomplete: true},
					{Type: str, Name: "text", Description: "The fact", Required: true},
					{Type: str, Name: "attribution", Description: "Who says so", Required: true},
				}},
			}},
		}},
		{Name: "ping", Description: "Check the bot is alive"},
	}
}

type opt = discordgo.ApplicationCommandInteractionDataOption

func TestParseLine(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name    string
		line    string
		command string
		options []*opt
		focused string
	}{
		{"OneOption", "/actor name:Kim Jong Un", "actor",
			[]*opt{{Name: "name", Type: 3, Value: "Kim Jong Un"}}, ""},
		{"SpacesAround", "  /actor   name:  Kim Jong Un  ", "actor",
			[]*opt{{Name: "name", Type: 3, Value: "Kim Jong Un"}}, ""},
		{"CaseInsensitiveNames", "/Actor NAME:Kim", "actor",
			[]*opt{{Name: "name", Type: 3, Value: "Kim"}}, ""},
		{"ValueWithColons", "/ask question:What happened at 12:30 UTC?", "ask",
			[]*opt{{Name: "question", Type: 3, Value: "What happened at 12:30 UTC?"}}, ""},
		{"URLValue", "/search query:https://example.com/a?b=c limit:5", "search",
			[]*opt{{Name: "query", Type: 3, Value: "https://example.com/a?b=c"}, {Name: "limit", Type: 4, Value: 5.0}}, ""},
		{"UnknownWordInsideValue", "/ask question:note: is this true public:yes", "ask",
			[]*opt{{Name: "question", Type: 3, Value: "note: is this true"}, {Name: "public", Type: 5, Value: true}}, ""},
		{"OptionsInAnyOrder", "/search limit:3 query:kursk weight:0.5", "search",
			[]*opt{{Name: "limit", Type: 4, Value: 3.0}, {Name: "query", Type: 3, Value: "kursk"}, {Name: "weight", Type: 10, Value: 0.5}}, ""},
		{"ChoiceByName", "/search query:x kind:Facts", "search",
			[]*opt{{Name: "query", Type: 3, Value: "x"}, {Name: "kind", Type: 3, Value: "fact"}}, ""},
		{"Boolean", "/ask question:why public:false", "ask",
			[]*opt{{Name: "question", Type: 3, Value: "why"}, {Name: "public", Type: 5, Value: false}}, ""},
		{"Mentions", "/subscribe topic:kursk channel:<#123> for:<@!456>", "subscribe",
			[]*opt{{Name: "topic", Type: 3, Value: "kursk"}, {Name: "channel", Type: 7, Value: "123"}, {Name: "for", Type: 6, Value: "456"}}, ""},
		{"Subcommand", "/briefing show briefing:alaska", "briefing",
			[]*opt{{Name: "show", Type: 1, Options: []*opt{{Name: "briefing", Type: 3, Value: "alaska"}}}}, ""},
		{"SubcommandGroup", "/briefing fact add briefing:x text:Troops arrived at 04:00 attribution:Reuters", "briefing",
			[]*opt{{Name: "fact", Type: 2, Options: []*opt{{Name: "add", Type: 1, Options: []*opt{
				{Name: "briefing", Type: 3, Value: "x"},
				{Name: "text", Type: 3, Value: "Troops arrived at 04:00"},
				{Name: "attribution", Type: 3, Value: "Reuters"},
			}}}}}, ""},
		{"EscapedOptionName", `/briefing fact add briefing:x text:see \attribution: below attribution:me`, "briefing",
			[]*opt{{Name: "fact", Type: 2, Options: []*opt{{Name: "add", Type: 1, Options: []*opt{
				{Name: "briefing", Type: 3, Value: "x"},
				{Name: "text", Type: 3, Value: "see attribution: below"},
				{Name: "attribution", Type: 3, Value: "me"},
			}}}}}, ""},
		{"EscapedSpaceAndBackslash", `/actor name:\ Kim\\Jong\ `, "actor",
			[]*opt{{Name: "name", Type: 3, Value: ` Kim\Jong `}}, ""},
		{"Unicode", "/actor name:Łukasz Ñandú 金正恩", "actor",
			[]*opt{{Name: "name", Type: 3, Value: "Łukasz Ñandú 金正恩"}}, ""},
		{"NoOptions", "/ping", "ping", nil, ""},
		{"Autocomplete", "/actor name:ki?", "actor",
			[]*opt{{Name: "name", Type: 3, Value: "ki", Focused: true}}, "name"},
		{"AutocompleteEmpty", "/actor name:?", "actor",
			[]*opt{{Name: "name", Type: 3, Value: "", Focused: true}}, "name"},
		{"AutocompleteBare", "/actor ?", "actor",
			[]*opt{{Name: "name", Type: 3, Value: "", Focused: true}}, "name"},
		{"AutocompleteSkipsRequired", "/briefing fact add briefing:ala?", "briefing",
			[]*opt{{Name: "fact", Type: 2, Options: []*opt{{Name: "add", Type: 1, Options: []*opt{
				{Name: "briefing", Type: 3, Value: "ala", Focused: true},
			}}}}}, "briefing"},
		{"QuestionMarkWithoutAutocomplete", "/ask question:How many?", "ask",
			[]*opt{{Name: "question", Type: 3, Value: "How many?"}}, ""},
		{"EscapedQuestionMark", `/actor name:who\?`, "actor",
			[]*opt{{Name: "name", Type: 3, Value: "who?"}}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := console.ParseLine(testCatalog(), tt.line)
			if err != nil {
				t.Fatalf("ParseLine(%q): %v", tt.line, err)
			}
			if got.Data.Name != tt.command || got.Data.CommandType != discordgo.ChatApplicationCommand {
				t.Errorf("command=%q type=%d, want %q chat", got.Data.Name, got.Data.CommandType, tt.command)
			}
			if !reflect.DeepEqual(got.Data.Options, tt.options) {
				g, _ := json.Marshal(got.Data.Options)
				w, _ := json.Marshal(tt.options)
				t.Errorf("options=%s\nwant    %s", g, w)
			}
			if got.Focused != tt.focused || got.Autocomplete() != (tt.focused != "") {
				t.Errorf("focused=%q autocomplete=%v, want %q", got.Focused, got.Autocomplete(), tt.focused)
			}
		})
	}
}

// The options must survive a trip through Discord's JSON unchanged: that is
// what the gateway and HTTP transports hand the router.
func TestParseLine_MatchesDiscordJSON(t *testing.T) {
	t.Parallel()
	got, err := console.ParseLine(testCatalog(), "/search query:kursk limit:7 weight:1.5 kind:briefing")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(discordgo.Interaction{Type: discordgo.InteractionApplicationCommand, Data: got.Data})
	if err != nil {
		t.Fatal(err)
	}
	var decoded discordgo.Interaction
	if err := json.Unmarshal(raw, &decoded); err != nil {
		t.Fatal(err)
	}
	if d := decoded.ApplicationCommandData(); !reflect.DeepEqual(d.Options, got.Data.Options) {
		t.Errorf("decoded options differ: %s", raw)
	}
	if v := got.Data.GetOption("limit").IntValue(); v != 7 {
		t.Errorf("limit=%d, want 7", v)
	}
}

func TestParseLine_Errors(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, line string
		want       []string // every part must appear in the error
	}{
		{"NoSlash", "actor name:x", []string{"start with /"}},
		{"EmptyCommand", "/", []string{"command name"}},
		{"UnknownCommand", "/actr name:x", []string{"/actr", "did you mean /actor"}},
		{"UnknownOption", "/actor nam:Kim", []string{`no option "nam"`, "name"}},
		{"NotNameValue", "/actor Kim Jong Un", []string{"name:value", "/actor name:<text>"}},
		{"MissingRequired", "/search limit:3", []string{"needs query", "/search query:<text>"}},
		{"MissingSeveral", "/briefing fact add briefing:x", []string{"text and attribution"}},
		{"EmptyValue", "/actor name:", []string{"option name needs a value"}},
		{"NotInteger", "/search query:x limit:five", []string{"option limit", "whole number", `"five"`}},
		{"FractionForInteger", "/search query:x limit:2.5", []string{"option limit", "whole number"}},
		{"BelowMin", "/search query:x limit:0", []string{"option limit", "at least 1"}},
		{"AboveMax", "/search query:x limit:26", []string{"option limit", "at most 25"}},
		{"NotNumber", "/search query:x weight:heavy", []string{"option weight", "number"}},
		{"NaN", "/search query:x weight:NaN", []string{"option weight", "number"}},
		{"NotBoolean", "/ask question:x public:maybe", []string{"option public", "true or false"}},
		{"NotChoice", "/search query:x kind:people", []string{"option kind", "briefing, fact"}},
		{"BadMention", "/subscribe topic:x channel:general", []string{"option channel", "mention"}},
		{"TooLong", "/ask question:" + strings.Repeat("a", 301), []string{"option question", "at most 300"}},
		{"Twice", "/actor name:a name:b", []string{"name is given twice"}},
		{"MissingSubcommand", "/briefing", []string{"/briefing needs one of", "show, fact"}},
		{"UnknownSubcommand", "/briefing fact remove", []string{`no subcommand "remove"`, "add"}},
		{"OptionWhereSubcommandGoes", "/briefing briefing:x", []string{"/briefing needs one of"}},
		{"NoOptionsTaken", "/ping now", []string{"/ping takes no options"}},
		{"NoAutocomplete", "/ping ?", []string{"/ping has no option to suggest"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := console.ParseLine(testCatalog(), tt.line)
			if err == nil {
				t.Fatalf("ParseLine(%q) = %+v, want an error", tt.line, got.Data)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestHelpText(t *testing.T) {
	t.Parallel()
	got := console.HelpText(testCatalog())
	for _, want := range []string{
		"/actor name:<text>\n    Who someone is\n",
		"/search query:<text> [limit:<number>] [weight:<decimal>] [kind:<briefing|fact>]\n",
		"/briefing fact add briefing:<text> text:<text> attribution:<text>\n    Add a fact\n",
		"/ping\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("help lacks %q:\n%s", want, got)
		}
	}
	if got := console.HelpText(nil); !strings.Contains(got, "No commands") {
		t.Errorf("empty catalog help = %q", got)
	}
}

func FuzzParseLine(f *testing.F) {
	for _, s := range []string{"/actor name:Kim", "/briefing fact add briefing:x text:a:b attribution:c", "/search query:x limit:3?", `/actor name:\`, "/ ?"} {
		f.Add(s)
	}
	catalog := testCatalog()
	f.Fuzz(func(t *testing.T, line string) {
		got, err := console.ParseLine(catalog, line)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		var check func([]*opt)
		check = func(opts []*opt) {
			for _, o := range opts {
				switch o.Type {
				case discordgo.ApplicationCommandOptionSubCommand, discordgo.ApplicationCommandOptionSubCommandGroup:
					check(o.Options)
				case discordgo.ApplicationCommandOptionInteger:
					if v, ok := o.Value.(float64); !o.Focused && (!ok || v != math.Trunc(v)) {
						t.Fatalf("integer option %s = %#v", o.Name, o.Value)
					}
				case discordgo.ApplicationCommandOptionBoolean:
					if _, ok := o.Value.(bool); !ok {
						t.Fatalf("boolean option %s = %#v", o.Name, o.Value)
					}
				default:
					if _, ok := o.Value.(string); !ok && o.Type != discordgo.ApplicationCommandOptionNumber {
						t.Fatalf("option %s = %#v", o.Name, o.Value)
					}
				}
			}
		}
		check(got.Data.Options)
		if _, err := json.Marshal(got.Data); err != nil {
			t.Fatalf("marshal: %v", err)
		}
	})
}

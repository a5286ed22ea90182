package commands_test

import (
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// TestRouter_NameResolution checks that every command that takes a name
// reads it the same way: exact, alias, folded, prefix and part resolve;
// typos get one suggestion per actor, event or topic.
func TestRouter_NameResolution(t *testing.T) {
	t.Parallel()
	r, _ := subsRouter(t)
	inDMWithTZ := func(i *discordgo.Interaction) *discordgo.Interaction {
		i = inDM(i)
		i.Data = addOpt(i.Data, opt("timezone", "Asia/Tokyo"))
		return i
	}
	for _, tt := range []struct {
		name string
		i    *discordgo.Interaction
		want []string // texts the answer must hold
		not  []string // texts it must not
	}{
		// part of a topic's name finds the topic, as /event finds an event
		{"BriefTopicPart", command("brief", opt("topic", "alaska")),
			[]string{"on Alaska summit", "the only match for “alaska”"}, []string{"Did you mean"}},
		{"BriefTopicFolded", command("brief", opt("topic", "ALASKA SUMMIT")), []string{"on Alaska summit"}, []string{"only match"}},
		{"TimelineTopicPart", command("timeline", opt("topic", "alaska")), []string{"Timeline: Alaska summit"}, []string{"Did you mean"}},
		{"TimelineActorPart", command("timeline", opt("actor", "vladimir")), []string{"Timeline: Vladimir Putin"}, []string{"Did you mean"}},
		{"TimelineActorAccents", command("timeline", opt("actor", "KIM JONG-ÜN")), []string{"Timeline: Kim Jong Un"}, nil},
		{"SubscribeTopicPart", inDMWithTZ(command("subscribe", opt("topic", "alaska"))), []string{"Alaska summit"}, []string{"Did you mean", "I don't know"}},
		{"DigestTopicPart", inDM(command("digest", opt("topic", "alaska"))), []string{"Alaska summit"}, []string{"Did you mean", "I don't know"}},
		{"ActorPart", command("actor", opt("name", "vladimir")), []string{"Vladimir Putin", "the only match"}, nil},
		{"EventPart", command("event", opt("name", "alaska")), []string{"Alaska summit"}, nil},

		// typos are suggested in every command, once per actor however
		// many of its aliases come close ("Putin", "Vladimir Putin")
		{"ActorTypo", command("actor", opt("name", "Putn")), []string{"Did you mean **Vladimir Putin**?"}, []string{"**Putin**"}},
		{"TimelineActorTypo", command("timeline", opt("actor", "Putn")), []string{"Did you mean **Vladimir Putin**?"}, []string{"**Putin**"}},
		{"BriefTopicTypo", command("brief", opt("topic", "Ukrane war")), []string{"Did you mean **Ukraine war**?"}, nil},
		{"TimelineTopicTypo", command("timeline", opt("topic", "Ukrane war")), []string{"Did you mean **Ukraine war**?"}, nil},
		{"SubscribeTopicTypo", inDMWithTZ(command("subscribe", opt("topic", "Ukrane war"))), []string{"Did you mean **Ukraine war**?"}, nil},
		{"DigestTopicTypo", inDM(command("digest", opt("topic", "Ukrane war"))), []string{"Did you mean **Ukraine war**?"}, nil},
		{"EventTypo", command("event", opt("name", "Alaska sumit")), []string{"Did you mean **Alaska summit** (15 August 2025, Anchorage, Alaska)?"}, nil},
		// "Korea" is in both Koreas' names and aliases: one entry each
		{"ActorAmbiguous", command("actor", opt("name", "korea")),
			[]string{"Did you mean", "**North Korea**", "**South Korea**"}, []string{"**DPRK**", "Republic of Korea**", "Korean Central"}},

		// with nothing close, the best-known names, not aliases A to Z
		{"ActorNothingClose", command("actor", opt("name", "zzqxv")),
			[]string{"Some I know: **Baltic Grid Operator**, **Northern Sea Route Authority**, **Kourou Spaceport**, "}, []string{"British Broadcasting Corporation", "Kim Jong-un"}},
		{"TopicNothingClose", command("brief", opt("topic", "volcanoes")),
			[]string{"Some I know: **Energy markets**, **Arctic shipping**, **Space launches**, "}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := handle(t, r, tt.name, tt.i)
			text := w.text()
			for _, want := range tt.want {
				if !strings.Contains(text, want) {
					t.Errorf("answer lacks %q:\n%s", want, text)
				}
			}
			for _, not := range tt.not {
				if strings.Contains(text, not) {
					t.Errorf("answer holds %q:\n%s", not, text)
				}
			}
		})
	}

	// events that share a name are told apart by their dates and places,
	// in the message and on the buttons
	t.Run("AmbiguousEventsShowDatesAndPlaces", func(t *testing.T) {
		w := handle(t, r, "/event operator review", command("event", opt("name", "grid operator review")))
		text := w.text()
		for _, want := range []string{"Did you mean **Baltic Grid Operator review 1** (1 January 2025, Test city)",
			"**Baltic Grid Operator review 2** (2 January 2025, Test city)"} {
			if !strings.Contains(text, want) {
				t.Errorf("answer lacks %q:\n%s", want, text)
			}
		}
		var labels []string
		for _, row := range w.Data.Components {
			for _, c := range row.Components {
				labels = append(labels, c.Label)
			}
		}
		if len(labels) < 2 || labels[0] != "Baltic Grid Operator review 1 · 1 January 2025 · Test city" {
			t.Errorf("button labels %q, want the date and place on each", labels)
		}
		if got := w.buttons(); len(got) < 2 || got[0] != "event:Baltic Grid Operator review 1" {
			t.Errorf("buttons %q, want them to open the events by name", got)
		}
	})
	t.Run("OneButtonPerActor", func(t *testing.T) {
		w := handle(t, r, "/actor Putn", command("actor", opt("name", "Putn")))
		if got := w.buttons(); len(got) != 1 || got[0] != "actor:Vladimir Putin" {
			t.Errorf("buttons=%q, want only actor:Vladimir Putin", got)
		}
	})
}

// TestRouter_AutocompleteTypos checks that autocomplete offers the names
// within typing distance when nothing starts with or contains the text.
func TestRouter_AutocompleteTypos(t *testing.T) {
	t.Parallel()
	r, _ := subsRouter(t)
	for _, tt := range []struct {
		name string
		i    *discordgo.Interaction
		want []string
	}{
		{"Actor", autocomplete("actor", focused("name", "Putn")), []string{"Vladimir Putin"}},
		{"TimelineActor", autocomplete("timeline", focused("actor", "Vladmir Putin")), []string{"Vladimir Putin"}},
		{"Event", autocomplete("event", focused("name", "Alaska sumit")), []string{"Alaska summit"}},
		{"BriefTopic", autocomplete("brief", focused("topic", "Ukrane war")), []string{"Ukraine war"}},
		{"SubscribeTopic", autocomplete("subscribe", focused("topic", "Ukrane war")), []string{"Ukraine war"}},
		{"DigestTopic", autocomplete("digest", focused("topic", "Ukrane war")), []string{"Ukraine war"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := handle(t, r, tt.name, tt.i)
			var got []string
			for _, c := range w.Data.Choices {
				got = append(got, c.Name)
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("choices=%q, want %q", got, tt.want)
			}
		})
	}
}

// addOpt returns command data with one more option.
func addOpt(data discordgo.InteractionData, o *discordgo.ApplicationCommandInteractionDataOption) discordgo.InteractionData {
	d := data.(discordgo.ApplicationCommandInteractionData)
	d.Options = append(d.Options, o)
	return d
}

package commands

import (
	"strings"
	"testing"

	"briefbot/briefings"

	"github.com/bwmarrin/discordgo"
)

// TestDiscordTerms rewrites each line of the store's and the validator's
// refusals that names the file format's fields.
func TestDiscordTerms(t *testing.T) {
	t.Parallel()
	b := &briefings.Briefing{Actors: []briefings.Actor{{Name: "Kim Jong Un"}}, Events: []briefings.Event{{Name: "Alaska summit"}},
		Facts: make([]briefings.Fact, 18)}
	slash := func(sub string) *request {
		return &request{command: cmdBriefing, sub: sub, i: &discordgo.Interaction{Type: discordgo.InteractionApplicationCommand}}
	}
	form := &request{command: idForm, i: &discordgo.Interaction{Type: discordgo.InteractionModalSubmit}}
	for _, tc := range []struct {
		name string
		q    *request
		in   string
		want string
	}{
		{"new fact's actor", slash("fact add"), `facts[18].actors[1]: "Ri Son-gwon" is not an actor of this briefing or the library; declare it under actors`,
			"/briefing fact add:\nFact 18, option actors: the actor “Ri Son-gwon” is not in this server's library. Add it with /briefing actor add name:Ri Son-gwon kind:…, or pick one from the list."},
		{"another fact's event", slash("fact edit"), `facts[17].event: "Moon \"landing\"" is not an event of this briefing or the library; declare it under events`,
			"/briefing fact edit:\nFact 17: the event “Moon \"landing\"” is not in this server's library. Add it with /briefing event add name:Moon \"landing\" date:YYYY-MM-DD, or pick one from the list."},
		{"participant", nil, `events[1].participants[2]: "Nobody" is not an actor of this briefing or the library; declare it under actors`,
			"The event “Alaska summit” lists “Nobody” as taking part, but the actor “Nobody” is not in this server's library. Add it with /briefing actor add name:Nobody kind:…, or pick one from the list."},
		{"alias", nil, `actors[1].aliases[2]: "Putin" already names "Vladimir Putin" in the library, a different actor from "Kim Jong Un"; remove it or use one actor`,
			"The actor “Kim Jong Un”, aliases: \"Putin\" already names \"Vladimir Putin\" in the library, a different actor from \"Kim Jong Un\"; remove it or use one actor. Fix it with /briefing actor edit, or merge look-alikes with /briefing actor merge."},
		{"fact text", nil, "facts[3].attribution: required",
			"Fact 3, attribution: required. Fix it with /briefing fact edit number:3, or remove it with /briefing fact remove number:3."},
		{"form fields", form, "title: required\nsource.url: \"ftp://x\" is not an http or https URL\ntopics[2]: is 120 characters; the limit is 100",
			"Title: required\nSource link: \"ftp://x\" is not an http or https URL\nTopic 2: is 120 characters; the limit is 100. Change the topics with /briefing edit."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := discordTerms(tc.q, b, briefings.Errorf(briefings.EINVALID, "%s", tc.in))
			if !ok || got != tc.want {
				t.Errorf("got  %q (%v)\nwant %q", got, ok, tc.want)
			}
			if strings.Contains(got, "[") {
				t.Errorf("a file-format path is left: %s", got)
			}
		})
	}
	for _, in := range []error{briefings.Errorf(briefings.EINVALID, "There is no briefing with the slug %q here.", "x"),
		briefings.Errorf(briefings.ECONFLICT, "facts[1].text: required")} {
		if got, ok := discordTerms(slash("fact add"), b, in); ok {
			t.Errorf("%v rewritten as %q", in, got)
		}
	}
}

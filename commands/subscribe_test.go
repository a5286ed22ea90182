package commands_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"briefbot/briefings"
	"briefbot/commands"
	"briefbot/db"

	"github.com/bwmarrin/discordgo"
)

// subsRouter returns a router with subscriptions over a fresh library.
func subsRouter(t *testing.T) (*commands.Router, *db.DB) {
	lib := openLibrary(t)
	return commands.New(lib, commands.Options{Now: func() time.Time { return clock }, Subscriptions: lib}), lib
}

// manager is a member allowed to manage the channel's subscriptions.
func manager(i *discordgo.Interaction) *discordgo.Interaction {
	i.ChannelID = "c1"
	i.Member.Permissions = discordgo.PermissionManageChannels | discordgo.PermissionSendMessages
	return i
}

// inDM moves an interaction into a direct message with user u1.
func inDM(i *discordgo.Interaction) *discordgo.Interaction {
	i.GuildID, i.Member, i.User, i.ChannelID = "", nil, &discordgo.User{ID: "u1"}, "dm1"
	return i
}

func boolOpt(name string, v bool) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionBoolean, Value: v}
}

// TestSubscriptions_Golden runs a conversation of subscription commands in
// order (later steps see what earlier ones stored) and compares each
// response with its golden file.
func TestSubscriptions_Golden(t *testing.T) {
	t.Parallel()
	r, _ := subsRouter(t)
	inChannel := func(i *discordgo.Interaction) *discordgo.Interaction { i.ChannelID = "c1"; return i }
	for _, tc := range []struct {
		name string
		i    *discordgo.Interaction
		want string // text the response must contain
	}{
		{"subscribe-forbidden", inChannel(command("subscribe", opt("topic", "arctic-shipping"))), "Manage Channels"},
		{"subscribe-channel", manager(command("subscribe", opt("topic", "Arctic shipping"), opt("time", "07:30"), opt("timezone", "Europe/Berlin"), opt("days", "weekdays"))), "Subscribed <#c1>"},
		{"subscribe-channel-again", manager(command("subscribe", opt("topic", "arctic-shipping"), opt("time", "9:00"), opt("timezone", "Europe/Berlin"))), "Updated"},
		{"subscribe-dm", inDM(command("subscribe", opt("topic", "energy-markets"), opt("timezone", "America/New_York"), boolOpt("nothing_new", true))), "by DM"},
		{"subscribe-dm-flag", inChannel(command("subscribe", opt("topic", "space-launches"), boolOpt("dm", true))), "by DM"},
		{"subscribe-bad-time", manager(command("subscribe", opt("topic", "arctic-shipping"), opt("time", "25:00"))), "HH:MM"},
		{"subscribe-bad-zone", manager(command("subscribe", opt("topic", "arctic-shipping"), opt("timezone", "Europe/Berln"))), "Europe/Berlin"},
		{"subscribe-unknown-topic", manager(command("subscribe", opt("topic", "Artic shiping"))), "Arctic"},
		{"subscribe-autocomplete-timezone", autocomplete("subscribe", opt("topic", "x"), focused("timezone", "new yo")), "America/New_York"},
		{"subscribe-list", inChannel(command("subscriptions")), "Next: <t:"},
		{"subscribe-list-dm", inDM(command("subscriptions")), "Energy markets"},
		{"digest-channel", inChannel(command("digest")), "Preview"},
		{"subscribe-unsubscribe-autocomplete", inChannel(autocomplete("unsubscribe", focused("subscription", "arctic"))), "this channel"},
		{"subscribe-unsubscribe-forbidden", inChannel(command("unsubscribe", opt("subscription", "1"))), "Manage Channels"},
		{"subscribe-unsubscribe", manager(command("unsubscribe", opt("subscription", "1"))), "Stopped"},
		{"subscribe-list-after-unsubscribe", inChannel(command("subscriptions")), "Space launches"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := r.Handle(context.Background(), tc.i)
			w := checkLimits(t, tc.name, resp)
			if !strings.Contains(w.text(), tc.want) {
				t.Errorf("response lacks %q:\n%s", tc.want, w.text())
			}
			if resp.Type != discordgo.InteractionApplicationCommandAutocompleteResult && !w.ephemeral() {
				t.Errorf("response is public; subscription answers are only for the asker")
			}
			compareGolden(t, tc.name, resp)
		})
	}
	t.Run("digest-quiet-topic", func(t *testing.T) {
		// Two days on, nothing in the library has changed.
		lib := openLibrary(t)
		later := commands.New(lib, commands.Options{Now: func() time.Time { return clock.Add(48 * time.Hour) }, Subscriptions: lib})
		resp := later.Handle(context.Background(), inChannel(command("digest", opt("topic", "arctic-shipping"))))
		if w := checkLimits(t, "digest-quiet-topic", resp); !strings.Contains(w.text(), "Nothing new on **Arctic shipping**") {
			t.Errorf("quiet digest preview says:\n%s", w.text())
		}
		compareGolden(t, "digest-quiet-topic", resp)
	})
}

// compareGolden compares resp's JSON with testdata/golden/name.json.
func compareGolden(t *testing.T, name string, resp *discordgo.InteractionResponse) {
	t.Helper()
	got, err := json.MarshalIndent(resp, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", "golden", name+".json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run with -update to create it): %v", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from the golden file; run with -update if the change is intended\ngot:\n%s", path, got)
	}
}

// TestDigestMessages_Split checks that a long digest splits into messages
// that each fit Discord's limits and together list every briefing once.
func TestDigestMessages_Split(t *testing.T) {
	t.Parallel()
	var bs []*briefings.Briefing
	for i := 0; i < 60; i++ {
		bs = append(bs, &briefings.Briefing{
			Slug: "b", Title: strings.Repeat("Long title ", 12) + string(rune('A'+i%26)), Summary: strings.Repeat("A summary sentence. ", 20),
			Published: briefings.DayOf(2025, 8, 1+i%28), Source: briefings.Source{Name: "Wire", URL: "https://example.com/x"},
		})
	}
	d := &briefings.Digest{Topic: briefings.Topic{Slug: "t", Name: "Test"}, Since: clock.Add(-24 * time.Hour), Until: clock, Published: bs}
	msgs := commands.DigestMessages(d)
	if len(msgs) < 2 {
		t.Fatalf("%d messages, want the digest split", len(msgs))
	}
	items := 0
	for n, m := range msgs {
		resp := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Content: m.Content, Embeds: m.Embeds, AllowedMentions: m.AllowedMentions}}
		checkLimits(t, "part", resp)
		if !strings.Contains(m.Content, "of "+itoa(len(msgs))+")") {
			t.Errorf("part %d content %q does not say which part it is", n+1, m.Content)
		}
		for _, e := range m.Embeds {
			items += strings.Count(e.Description, "](https://example.com/x)")
		}
	}
	if items != len(bs) {
		t.Errorf("%d briefings across the parts, want %d", items, len(bs))
	}
	if got := commands.DigestMessages(&briefings.Digest{}); got != nil {
		t.Errorf("an empty digest rendered %d messages", len(got))
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// TestSubscribe_Schedules: several times per topic and place, weekends and
// lists of days, "noon" and "08.30"; each time of a subscription can be
// stopped alone.
func TestSubscribe_Schedules(t *testing.T) {
	t.Parallel()
	r, lib := subsRouter(t)
	steps := []struct {
		name string
		i    *discordgo.Interaction
		want string
	}{
		{"two times", manager(command("subscribe", opt("topic", "Arctic shipping"), opt("time", "08:00, 18:30"), opt("timezone", "Europe/Berlin"))),
			"every day at 08:00 and 18:30 (Europe/Berlin)"},
		{"another time adds it", manager(command("subscribe", opt("topic", "arctic-shipping"), opt("time", "noon"))),
			"every day at 08:00, 12:00 and 18:30 (Europe/Berlin)"},
		{"a new zone moves every time, and says so", manager(command("subscribe", opt("topic", "arctic-shipping"), opt("time", "18:30"), opt("timezone", "Europe/Lisbon"))),
			"so 08:00, 12:00 and 18:30 now follow Europe/Lisbon too, not Europe/Berlin"},
		{"back to Berlin", manager(command("subscribe", opt("topic", "arctic-shipping"), opt("timezone", "Europe/Berlin"))),
			"every day at 08:00, 12:00 and 18:30 (Europe/Berlin)"},
		{"days change, times stay", manager(command("subscribe", opt("topic", "arctic-shipping"), opt("days", "mon,thu"))),
			"on Mondays and Thursdays at 08:00, 12:00 and 18:30 (Europe/Berlin)"},
		{"weekends and 08.30", inDM(command("subscribe", opt("topic", "energy-markets"), opt("time", "08.30"), opt("days", "weekends"), opt("timezone", "Asia/Tokyo"))),
			"at weekends at 08:30 (Asia/Tokyo)"},
		{"bad time in a list", manager(command("subscribe", opt("topic", "arctic-shipping"), opt("time", "08:00, 25:00"))),
			`"25:00" is not a time of day`},
		{"bad day in a list", manager(command("subscribe", opt("topic", "arctic-shipping"), opt("days", "mon,funday"))),
			"mon,thu"},
		{"list shows every time", manager(command("subscriptions")), "08:00, 12:00 and 18:30 Europe/Berlin, on Mondays and Thursdays"},
		{"stop one time", manager(command("unsubscribe", opt("subscription", "1@12:00"))),
			"Stopped the 12:00 **Arctic shipping** digest for <#c1>. The 08:00 and 18:30 ones continue (Europe/Berlin, on Mondays and Thursdays)"},
	}
	for _, tc := range steps {
		t.Run(tc.name, func(t *testing.T) {
			if w := handle(t, r, tc.name, tc.i); !strings.Contains(w.text(), tc.want) {
				t.Errorf("response lacks %q:\n%s", tc.want, w.text())
			}
		})
	}
	list, err := lib.ListSubscriptions(context.Background(), briefings.SubscriptionQuery{GuildID: guild, UserID: "u1"})
	if err != nil || len(list) != 1 {
		t.Fatalf("ListSubscriptions=%d %v, want the channel's one", len(list), err)
	}
	if got := briefings.FormatClocks(list[0].Times); list[0].Topic != "arctic-shipping" || got != "08:00,18:30" || list[0].Days != "monday,thursday" {
		t.Errorf("stored %s at %s on %s, want arctic-shipping at 08:00,18:30 on monday,thursday", list[0].Topic, got, list[0].Days)
	}

	choices := func(i *discordgo.Interaction) []string {
		resp := r.Handle(context.Background(), i)
		checkLimits(t, "autocomplete", resp)
		var out []string
		for _, c := range resp.Data.Choices {
			out = append(out, c.Value.(string))
		}
		return out
	}
	if got := choices(autocomplete("subscribe", opt("topic", "x"), focused("days", "mon,th"))); len(got) == 0 || got[0] != "monday,thursday" {
		t.Errorf("days autocomplete for mon,th = %v, want monday,thursday first", got)
	}
	if got := choices(autocomplete("subscribe", opt("topic", "x"), focused("days", ""))); len(got) < 3 || got[2] != "weekends" {
		t.Errorf("days autocomplete with nothing typed = %v, want daily, weekdays, weekends first", got)
	}
	got := choices(manager(autocomplete("unsubscribe", focused("subscription", "arctic"))))
	if strings.Join(got, " ") != "1 1@08:00 1@18:30" {
		t.Errorf("unsubscribe choices=%v, want the subscription and each of its times", got)
	}
}

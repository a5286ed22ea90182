package db_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"briefbot/briefings"
	"briefbot/db"
)

// withTopicLibraries saves a global briefing on Arctic, g1's published
// briefing on its private topic "Project Falcon Layoffs" (alias "Operation
// Kestrel") and on the global Arctic, and g1's draft on a topic nothing
// else is on.
func withTopicLibraries(t *testing.T) *db.DB {
	t.Helper()
	ctx := context.Background()
	d, _ := mustOpen(t)
	mustSave(t, d, "", simple("Sea ice shrinks", briefings.DayOf(2025, 8, 1), "Arctic"))
	// "ARCTIC" is the global topic: a guild does not rename it.
	mustSave(t, d, "g1", simple("Falcon cuts jobs", briefings.DayOf(2025, 8, 2), "Project Falcon Layoffs", "ARCTIC"))
	draft := simple("Quiet plan", briefings.DayOf(2025, 8, 3), "Draft Only Topic")
	draft.Status = briefings.StatusDraft
	mustSave(t, d, "g1", draft)
	if err := d.SaveTopic(ctx, "g1", briefings.Topic{Slug: "project-falcon-layoffs", Name: "Project Falcon Layoffs", Aliases: []string{"Operation Kestrel"}}); err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDB_TopicsBelongToTheirLibrary(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := withTopicLibraries(t)

	type lookup struct {
		guild, text string
		curate      bool
		want        string // "guild/slug/name", "" for ENOTFOUND
	}
	for _, tt := range []lookup{
		{"g1", "project-falcon-layoffs", false, "g1/project-falcon-layoffs/Project Falcon Layoffs"},
		{"g1", "operation kestrel", false, "g1/project-falcon-layoffs/Project Falcon Layoffs"},
		{"g1", "arctic", false, "/arctic/Arctic"},
		{"g2", "arctic", false, "/arctic/Arctic"},
		{"", "Arctic", false, "/arctic/Arctic"},
		// Another guild's topic is unknown, however it is named.
		{"g2", "project-falcon-layoffs", false, ""},
		{"g2", "Project Falcon Layoffs", false, ""},
		{"g2", "Operation Kestrel", false, ""},
		{"g2", "project-falcon-layoffs", true, ""},
		{"", "project-falcon-layoffs", false, ""},
		{"", "project-falcon-layoffs", true, ""},
		// A topic only a draft is on: unknown to members, not to moderators.
		{"g1", "draft-only-topic", false, ""},
		{"g1", "draft-only-topic", true, "g1/draft-only-topic/Draft Only Topic"},
		{"g2", "draft-only-topic", true, ""},
	} {
		find := d.Topic
		if tt.curate {
			find = d.TopicToCurate
		}
		got := ""
		tp, err := find(ctx, tt.guild, tt.text)
		switch {
		case err == nil:
			got = tp.GuildID + "/" + tp.Slug + "/" + tp.Name
		case codeOf(err) != briefings.ENOTFOUND:
			t.Fatalf("%+v: %v", tt, err)
		}
		if got != tt.want {
			t.Errorf("%+v: got %q", tt, got)
		}
	}

	// Lists and suggestions in g2 and in direct messages name only the
	// global topic.
	for _, guild := range []string{"g2", ""} {
		stats, err := d.Topics(ctx, guild)
		if err != nil {
			t.Fatal(err)
		}
		var listed []string
		for _, s := range stats {
			listed = append(listed, s.Name)
		}
		complete, err := d.CompleteNames(ctx, guild, briefings.NameTopic, "", 25)
		if err != nil {
			t.Fatal(err)
		}
		names, err := d.Names(ctx, guild, briefings.NameTopic)
		if err != nil {
			t.Fatal(err)
		}
		known, err := d.KnownNames(ctx, guild, briefings.NameTopic)
		if err != nil {
			t.Fatal(err)
		}
		var knownNames []string
		for _, k := range known {
			knownNames = append(knownNames, k.Name)
		}
		for what, got := range map[string][]string{"Topics": listed, "CompleteNames": complete, "Names": names, "KnownNames": knownNames} {
			if !reflect.DeepEqual(got, []string{"Arctic"}) {
				t.Errorf("%s(%q) = %q, want only Arctic", what, guild, got)
			}
		}
		for _, text := range []string{"falcon", "kestrel", "project", "draft"} {
			if got, err := d.CompleteNames(ctx, guild, briefings.NameTopic, text, 25); err != nil || len(got) != 0 {
				t.Errorf("CompleteNames(%q, %q) = %q %v", guild, text, got, err)
			}
		}
	}
	stats, err := d.Topics(ctx, "g1")
	if err != nil {
		t.Fatal(err)
	}
	var g1 []string
	for _, s := range stats {
		g1 = append(g1, s.Name+":"+s.Latest.String()+":"+strings.Join(s.Aliases, ","))
	}
	if want := []string{"Arctic:2025-08-02:", "Project Falcon Layoffs:2025-08-02:Operation Kestrel"}; !reflect.DeepEqual(g1, want) {
		t.Errorf("Topics(g1) = %q, want %q", g1, want)
	}
	if got, err := d.CompleteNames(ctx, "g1", briefings.NameTopic, "kest", 25); err != nil || !reflect.DeepEqual(got, []string{"Project Falcon Layoffs"}) {
		t.Errorf("CompleteNames(g1, kest) = %q %v", got, err)
	}

	// g2 names a topic of its own with the slug: it gets its own name, and
	// g1 keeps its own.
	mustSave(t, d, "g2", simple("Our falcon", briefings.DayOf(2025, 8, 4), "project-falcon-layoffs"))
	for guild, want := range map[string]string{"g1": "Project Falcon Layoffs", "g2": "Project falcon layoffs"} {
		if tp, err := d.Topic(ctx, guild, "project-falcon-layoffs"); err != nil || tp.Name != want || tp.GuildID != guild {
			t.Errorf("Topic(%s) = %+v %v, want %q", guild, tp, err, want)
		}
	}
	if _, err := d.Topic(ctx, "g2", "Operation Kestrel"); codeOf(err) != briefings.ENOTFOUND {
		t.Errorf("g2 finds g1's alias: %v", err)
	}
	b, err := d.Briefing(ctx, "g1", "falcon-cuts-jobs")
	if err != nil || !reflect.DeepEqual(b.Topics, []string{"Project Falcon Layoffs", "Arctic"}) {
		t.Errorf("g1's briefing topics = %q %v", b.Topics, err)
	}
	// The guild did not rename the global topic.
	if tp, err := d.Topic(ctx, "", "arctic"); err != nil || tp.Name != "Arctic" {
		t.Errorf("global Arctic = %+v %v", tp, err)
	}

	// An alias is checked against the topics the guild sees only.
	if err := d.SaveTopic(ctx, "g2", briefings.Topic{Slug: "project-falcon-layoffs", Name: "Falcon", Aliases: []string{"Operation Kestrel"}}); err != nil {
		t.Errorf("g2's alias clashes with g1's: %v", err)
	}
	if err := d.SaveTopic(ctx, "g1", briefings.Topic{Slug: "arctic-two", Name: "Arctic two", Aliases: []string{"operation kestrel"}}); codeOf(err) != briefings.ECONFLICT {
		t.Errorf("g1 alias of its own topic: err=%v, want conflict", err)
	}
	// A guild's own topic of a global slug hides the global one from it.
	if err := d.SaveTopic(ctx, "g1", briefings.Topic{Slug: "arctic", Name: "Our Arctic"}); err != nil {
		t.Fatal(err)
	}
	for guild, want := range map[string]string{"g1": "Our Arctic", "g2": "Arctic"} {
		if tp, err := d.Topic(ctx, guild, "arctic"); err != nil || tp.Name != want {
			t.Errorf("Topic(%s, arctic) = %+v %v, want %q", guild, tp, err, want)
		}
	}
	if _, err := d.Topic(ctx, "g2", "Our Arctic"); codeOf(err) != briefings.ENOTFOUND {
		t.Errorf("g2 finds g1's name of Arctic: %v", err)
	}
}

func TestDB_SubscriptionsReachTheTopicsTheirGuildSees(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := withTopicLibraries(t)
	at := time.Date(2025, 9, 1, 6, 0, 0, 0, time.UTC)
	sub := func(guild, channel, topic string) (*briefings.Subscription, error) {
		s := &briefings.Subscription{GuildID: guild, ChannelID: channel, UserID: "u1", DM: channel == "", Topic: topic,
			Zone: "UTC", Days: briefings.DaysDaily}
		out, _, err := d.SaveSubscription(ctx, s, at)
		return out, err
	}
	for _, tt := range []struct{ guild, channel, topic, want string }{
		{"g1", "c1", "project-falcon-layoffs", "Project Falcon Layoffs"},
		{"g1", "", "project-falcon-layoffs", "Project Falcon Layoffs"},
		{"g2", "c2", "arctic", "Arctic"},
		{"", "", "arctic", "Arctic"},
		{"g2", "c2", "project-falcon-layoffs", ""},
		{"", "", "project-falcon-layoffs", ""},
	} {
		s, err := sub(tt.guild, tt.channel, tt.topic)
		if tt.want == "" {
			if codeOf(err) != briefings.EINVALID || !strings.Contains(briefings.ErrorMessage(err), `There is no topic "project-falcon-layoffs"`) {
				t.Errorf("%+v: err=%v, want no such topic", tt, err)
			}
			continue
		}
		if err != nil || s.TopicName != tt.want {
			t.Errorf("%+v: %+v %v", tt, s, err)
		}
	}
	// The name each subscription shows is its guild's.
	if err := d.SaveTopic(ctx, "g2", briefings.Topic{Slug: "arctic", Name: "Arctic (g2)"}); err != nil {
		t.Fatal(err)
	}
	subs, err := d.ListSubscriptions(ctx, briefings.SubscriptionQuery{UserID: "u1"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range subs {
		got = append(got, s.GuildID+":"+s.TopicName)
	}
	if want := []string{":Arctic", "g1:Project Falcon Layoffs"}; !reflect.DeepEqual(got, want) {
		t.Errorf("personal subscriptions = %q, want %q", got, want)
	}
	subs, err = d.ListSubscriptions(ctx, briefings.SubscriptionQuery{GuildID: "g2"})
	if err != nil || len(subs) != 1 || subs[0].TopicName != "Arctic (g2)" {
		t.Errorf("g2's subscriptions = %+v %v", subs, err)
	}
}

package db_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"briefbot/briefings"
	"briefbot/db"
)

// withActor is a briefing declaring one actor with the name.
func withActor(title, actor string) *briefings.Briefing {
	b := simple(title, briefings.DayOf(2025, 9, 2))
	b.Actors = []briefings.Actor{{Name: actor, Kind: briefings.KindPerson}}
	b.Facts = []briefings.Fact{{Text: "A fact.", Attribution: "a source", Actors: []string{actor}}}
	return b
}

func TestDB_SaveBriefings_RefusesLookalikes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		guild string
		b     *briefings.Briefing
		field string // "" when the save succeeds
		names string // the existing name or slug the refusal names
	}{
		{"CyrillicO", "g1", withActor("Leader visits a factory", "Kim J\u043eng Un"), "actors[1].name", "Kim Jong Un"},
		{"GreekOmicronAlias", "g1", func() *briefings.Briefing {
			b := withActor("Leader visits a farm", "The Leader")
			b.Actors[0].Aliases = []string{"Vladimir Put\u0456n"}
			return b
		}(), "actors[1].aliases[1]", "Vladimir Putin"},
		{"CyrillicSlug", "g1", func() *briefings.Briefing {
			b := simple("Another", briefings.DayOf(2025, 9, 3))
			b.Slug = "k\u0456m-meets-putin-in-vladivostok"
			return b
		}(), "slug", "kim-meets-putin-in-vladivostok"},
		{"CyrillicNameFirstThenLatin", "g1", withActor("Sister speaks", "Kim Yo Jong"), "actors[1].name", "K\u0456m Yo Jong"},
		{"SameNameIsTheSameActor", "g1", withActor("Leader visits a port", "kim jong un"), "", ""},
		{"AnotherGuildIsNotCompared", "g2", withActor("Leader visits a school", "Kim J\u043eng Un"), "", ""},
		{"DifferentName", "g1", withActor("Minister speaks", "Choe Son Hui"), "", ""},
		// Topics: new ones are compared with the guild's and the global
		// library's, by slug, and the refusal gives the existing name.
		{"CyrillicTopic", "g1", simple("Talks resume", briefings.DayOf(2025, 9, 4), "Russia", "Kor\u0435a"), "topics[2]", "Korea"},
		{"LatinTopicAfterCyrillic", "g1", simple("Grid news", briefings.DayOf(2025, 9, 4), "Baltic Grid"), "topics[1]", "B\u0430ltic Grid"},
		{"GlobalTopic", "g1", simple("Ice news", briefings.DayOf(2025, 9, 4), "\u0410rctic"), "topics[1]", "Arctic"},
		{"SameTopicIsTheSameTopic", "g1", simple("Talks go on", briefings.DayOf(2025, 9, 5), "KOREA"), "", ""},
		{"AnotherGuildsTopicIsNotCompared", "g2", simple("Talks elsewhere", briefings.DayOf(2025, 9, 4), "Kor\u0435a"), "", ""},
	}
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {
		mustSave(t, d, "g1", kimPutin(), withActor("Sister writes", "K\u0456m Yo Jong"),
			simple("Grid opens", briefings.DayOf(2025, 9, 1), "B\u0430ltic Grid"))
		mustSave(t, d, "", simple("Ice melts", briefings.DayOf(2025, 9, 1), "Arctic"))
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := d.SaveBriefings(ctx, tt.guild, []*briefings.Briefing{tt.b}, "moderator")
				if tt.field == "" {
					if err != nil {
						t.Fatalf("save: %v", err)
					}
					return
				}
				var batch *briefings.BatchError
				if !errors.As(err, &batch) || len(batch.Items) != 1 {
					t.Fatalf("err = %v, want a refusal of %s", err, tt.field)
				}
				f := batch.Items[0].Fields[0]
				if f.Field != tt.field || !strings.Contains(f.Message, `"`+tt.names+`"`) || !strings.Contains(f.Message, "looks like") {
					t.Fatalf("refusal %s: %s, want %s naming %q", f.Field, f.Message, tt.field, tt.names)
				}
			})
		}
	})
}

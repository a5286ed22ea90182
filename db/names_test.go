package db_test

import (
	"context"
	"reflect"
	"testing"

	"briefbot/briefings"
	"briefbot/db"
)

func TestDB_KnownNames(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {
		with := func(title string, day int, status briefings.Status, actors ...briefings.Actor) *briefings.Briefing {
			b := simple(title, briefings.DayOf(2025, 1, day), "World news")
			b.Status, b.Actors = status, actors
			return b
		}
		putin := briefings.Actor{Name: "Vladimir Putin", Aliases: []string{"Putin"}}
		kim := briefings.Actor{Name: "Kim Jong Un", Aliases: []string{"Kim"}}
		mustSave(t, d, "", with("Call", 1, briefings.StatusPublished, kim, putin), with("Talks", 2, briefings.StatusPublished, putin))
		mustSave(t, d, "guild-a", with("Draft", 3, briefings.StatusDraft, briefings.Actor{Name: "Draft Person"}))
		mustSave(t, d, "guild-b", with("Secret", 4, briefings.StatusPublished, briefings.Actor{Name: "Secret Agent"}))

		for _, tt := range []struct {
			name  string
			guild string
			kind  briefings.NameKind
			want  []briefings.KnownName
		}{
			// most mentioned first, aliases after their actor's name; drafts'
			// and other guilds' actors stay out
			{"Actors", "guild-a", briefings.NameActor, []briefings.KnownName{
				{Name: "Vladimir Putin", Of: "Vladimir Putin", Mentions: 2}, {Name: "Putin", Of: "Vladimir Putin", Mentions: 2},
				{Name: "Kim Jong Un", Of: "Kim Jong Un", Mentions: 1}, {Name: "Kim", Of: "Kim Jong Un", Mentions: 1},
			}},
			{"OtherGuild", "guild-b", briefings.NameActor, []briefings.KnownName{
				{Name: "Vladimir Putin", Of: "Vladimir Putin", Mentions: 2}, {Name: "Putin", Of: "Vladimir Putin", Mentions: 2},
				{Name: "Kim Jong Un", Of: "Kim Jong Un", Mentions: 1}, {Name: "Kim", Of: "Kim Jong Un", Mentions: 1},
				{Name: "Secret Agent", Of: "Secret Agent", Mentions: 1},
			}},
			{"Topics", "guild-a", briefings.NameTopic, []briefings.KnownName{{Name: "World news", Of: "World news", Mentions: 2}}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				got, err := d.KnownNames(ctx, tt.guild, tt.kind)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, tt.want) {
					t.Errorf("KnownNames(%s, %s)=%+v, want %+v", tt.guild, tt.kind, got, tt.want)
				}
			})
		}
	})
}

package db_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"briefbot/briefings"
)

// TestDB_CappedMentions checks that capping the briefings returned with an
// event or for an actor keeps the newest ones and still counts them all,
// leaving out drafts.
func TestDB_CappedMentions(t *testing.T) {
	ctx := context.Background()
	d, _ := mustOpen(t)
	var bs []*briefings.Briefing
	for day := 1; day <= 5; day++ {
		b := simple(fmt.Sprintf("Harbour talks day %d", day), briefings.DayOf(2025, 6, day), "ports")
		b.Actors = []briefings.Actor{{Name: "Ana Ferro", Kind: briefings.KindPerson}}
		b.Events = []briefings.Event{{Name: "Harbour talks", Date: briefings.DayOf(2025, 7, 1), Participants: []string{"Ana Ferro"}}}
		bs = append(bs, b)
	}
	other := simple("Dock strike", briefings.DayOf(2025, 6, 9), "ports")
	other.Events = []briefings.Event{{Name: "Dock strike", Date: briefings.DayOf(2025, 8, 1)}}
	draft := simple("Harbour talks draft", briefings.DayOf(2025, 6, 30), "ports")
	draft.Status = briefings.StatusDraft
	draft.Events = bs[0].Events
	mustSave(t, d, "", append(bs, other, draft)...)

	newest := []string{"harbour-talks-day-5", "harbour-talks-day-4", "harbour-talks-day-3", "harbour-talks-day-2", "harbour-talks-day-1"}
	t.Run("Events", func(t *testing.T) {
		tests := []struct {
			name     string
			per      int
			want     []string
			count    int
			strikeNs int
		}{
			{"All", 0, newest, 5, 1},
			{"Capped", 2, newest[:2], 5, 1},
			{"CapAboveCount", 9, newest, 5, 1},
			{"CountOnly", -1, nil, 5, 0},
		}
		for _, tt := range tests {
			refs, err := d.Events(ctx, briefings.EventQuery{Topic: "ports", BriefingsPerEvent: tt.per})
			if err != nil {
				t.Fatal(err)
			}
			if len(refs) != 2 || refs[0].Name != "Harbour talks" || refs[1].Name != "Dock strike" {
				t.Fatalf("%s: events=%+v, want Harbour talks and Dock strike", tt.name, refs)
			}
			if got := slugsOf(refs[0].Briefings); !reflect.DeepEqual(got, tt.want) || refs[0].BriefingCount != tt.count {
				t.Errorf("%s: harbour talks briefings=%q count=%d, want %q count %d", tt.name, got, refs[0].BriefingCount, tt.want, tt.count)
			}
			if len(refs[1].Briefings) != tt.strikeNs || refs[1].BriefingCount != 1 {
				t.Errorf("%s: dock strike briefings=%d count=%d, want %d count 1", tt.name, len(refs[1].Briefings), refs[1].BriefingCount, tt.strikeNs)
			}
		}
	})

	t.Run("BriefingsMentioning", func(t *testing.T) {
		ana, err := d.Actor(ctx, "", "Ana Ferro")
		if err != nil {
			t.Fatal(err)
		}
		talks, err := d.Event(ctx, "", "Harbour talks")
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name             string
			actorID, eventID int64
			limit            int
			want             []string
			total            int
		}{
			{"ActorAll", ana.ID, 0, 0, newest, 5},
			{"ActorCapped", ana.ID, 0, 3, newest[:3], 5},
			{"ActorCapAboveTotal", ana.ID, 0, 10, newest, 5},
			{"EventCapped", 0, talks.ID, 1, newest[:1], 5},
			{"EventCapEqualsTotal", 0, talks.ID, 5, newest, 5},
		}
		for _, tt := range tests {
			refs, total, err := d.BriefingsMentioning(ctx, "", tt.actorID, tt.eventID, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			if got := slugsOf(refs); !reflect.DeepEqual(got, tt.want) || total != tt.total {
				t.Errorf("%s: briefings=%q total=%d, want %q total %d", tt.name, got, total, tt.want, tt.total)
			}
		}
		if _, _, err := d.BriefingsMentioning(ctx, "", ana.ID, 0, -1); codeOf(err) != briefings.EINVALID {
			t.Errorf("negative limit: err=%v, want EINVALID", err)
		}
	})
}

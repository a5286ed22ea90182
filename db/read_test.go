package db_test

import (
	"context"
	"reflect"
	"testing"

	"briefbot/briefings"
	"briefbot/db"
)

func TestDB_Reads(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {
		mustSave(t, d, "", kimPutin(), missileTest())
		later := simple("Kim and Putin meet again", briefings.DayOf(2026, 3, 1), "russia")
		later.Events = []briefings.Event{{Name: "Moscow visit", Date: briefings.MustParseDate("2026-02"), Participants: []string{"kim"}}}
		draft := simple("Draft summit", briefings.DayOf(2025, 10, 1), "korea")
		draft.Status = briefings.StatusDraft
		draft.Events = []briefings.Event{{Name: "Secret summit", Date: briefings.DayOf(2025, 10, 1)}}
		mustSave(t, d, "", later, draft)
		kim, err := d.Actor(ctx, "", "Kim")
		if err != nil {
			t.Fatal(err)
		}

		t.Run("BriefingsPaging", func(t *testing.T) {
			list, total, err := d.Briefings(ctx, briefings.BriefingQuery{Offset: 1, Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			if total != 3 || len(list) != 1 || list[0].Slug != "north-korea-tests-a-cruise-missile" || len(list[0].Facts) != 1 {
				t.Errorf("page=%+v total=%d", list, total)
			}
			list, total, err = d.Briefings(ctx, briefings.BriefingQuery{Topic: "korea", Statuses: []briefings.Status{briefings.StatusDraft, briefings.StatusPublished}})
			if err != nil {
				t.Fatal(err)
			}
			var slugs []string
			for _, b := range list {
				slugs = append(slugs, b.Slug)
			}
			if want := []string{"draft-summit", "north-korea-tests-a-cruise-missile", "kim-meets-putin-in-vladivostok"}; total != 3 || !reflect.DeepEqual(slugs, want) {
				t.Errorf("korea with drafts=%q total=%d, want %q", slugs, total, want)
			}
		})

		t.Run("EventTopics", func(t *testing.T) {
			all, err := d.Events(ctx, briefings.EventQuery{})
			if err != nil {
				t.Fatal(err)
			}
			ids := []int64{}
			for _, e := range all {
				ids = append(ids, e.ID)
			}
			got, err := d.EventTopics(ctx, "", ids, 20)
			if err != nil {
				t.Fatal(err)
			}
			names := map[string][]string{}
			for _, e := range all {
				for _, tp := range got[e.ID] {
					names[e.Name] = append(names[e.Name], tp.Name)
				}
			}
			want := map[string][]string{"Vladivostok summit": {"Korea", "Russia"}, "Moscow visit": {"Russia"}}
			if !reflect.DeepEqual(names, want) {
				t.Errorf("EventTopics names=%q, want %q", names, want)
			}
			if none, err := d.EventTopics(ctx, "", ids, 0); err != nil || len(none) != 0 {
				t.Errorf("EventTopics with no briefings per event=%v %v, want none", none, err)
			}
		})

		t.Run("Events", func(t *testing.T) {
			tests := []struct {
				name string
				q    briefings.EventQuery
				want []string
			}{
				{"All", briefings.EventQuery{}, []string{"Vladivostok summit", "Moscow visit"}},
				{"Range", briefings.EventQuery{From: briefings.DayOf(2026, 1, 1), To: briefings.DayOf(2027, 1, 1)}, []string{"Moscow visit"}},
				{"Topic", briefings.EventQuery{Topic: "korea"}, []string{"Vladivostok summit"}},
				{"Actor", briefings.EventQuery{ActorID: kim.ID}, []string{"Vladivostok summit", "Moscow visit"}},
				{"Limit", briefings.EventQuery{Limit: 1}, []string{"Vladivostok summit"}},
				{"TopicRange", briefings.EventQuery{Topic: "russia", From: briefings.DayOf(2026, 1, 1), To: briefings.DayOf(2027, 1, 1)}, []string{"Moscow visit"}},
				{"TopicBefore", briefings.EventQuery{Topic: "russia", To: briefings.DayOf(2026, 1, 1)}, []string{"Vladivostok summit"}},
				{"TopicActor", briefings.EventQuery{Topic: "Russia", ActorID: kim.ID}, []string{"Vladivostok summit", "Moscow visit"}},
				{"TopicLimit", briefings.EventQuery{Topic: "russia", Limit: 1}, []string{"Vladivostok summit"}},
				{"TopicNone", briefings.EventQuery{Topic: "korea", From: briefings.DayOf(2026, 1, 1)}, nil},
			}
			for _, tt := range tests {
				refs, err := d.Events(ctx, tt.q)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, r := range refs {
					got = append(got, r.Name)
					if len(r.Briefings) == 0 {
						t.Errorf("%s: event %q has no briefings", tt.name, r.Name)
					}
				}
				if !reflect.DeepEqual(got, tt.want) {
					t.Errorf("%s: events=%q, want %q", tt.name, got, tt.want)
				}
				if n, err := d.CountEvents(ctx, tt.q); err != nil || n != len(tt.want) {
					t.Errorf("%s: CountEvents=%d %v, want %d", tt.name, n, err, len(tt.want))
				}
			}
			e, err := d.Event(ctx, "", "VLADIVOSTOK Summit")
			if err != nil || e.Location != "Vladivostok" || !reflect.DeepEqual(e.Participants, []string{"Kim Jong Un", "Vladimir Putin"}) {
				t.Errorf("Event=%+v %v", e, err)
			}
			refs, _, err := d.BriefingsMentioning(ctx, "", 0, e.ID, 0)
			if err != nil || !reflect.DeepEqual(slugsOf(refs), []string{"kim-meets-putin-in-vladivostok"}) {
				t.Errorf("mentioning the summit=%q %v", slugsOf(refs), err)
			}
			// Only a draft mentions the Secret summit: members never find it,
			// moderators do.
			found, err := d.FindEvents(ctx, "", "summ", 5)
			if err != nil || len(found) != 1 || found[0].Name != "Vladivostok summit" {
				t.Errorf("FindEvents(summ)=%+v %v", found, err)
			}
			found, err = d.FindEventsToCurate(ctx, "", "summ", 5)
			if err != nil || len(found) != 2 || found[0].Name != "Secret summit" {
				t.Errorf("FindEventsToCurate(summ)=%+v %v", found, err)
			}
		})

		t.Run("Facts", func(t *testing.T) {
			e, _ := d.Event(ctx, "", "Vladivostok summit")
			facts, err := d.Facts(ctx, briefings.FactQuery{EventID: e.ID, Topic: "korea"})
			if err != nil || len(facts) != 1 || facts[0].Attribution != "Kremlin" || facts[0].Event != "Vladivostok summit" {
				t.Errorf("facts=%+v %v", facts, err)
			}
			facts, err = d.Facts(ctx, briefings.FactQuery{Topic: "russia", Limit: 1})
			if err != nil || len(facts) != 1 || facts[0].Briefing.Slug != "kim-meets-putin-in-vladivostok" {
				t.Errorf("facts on russia=%+v %v", facts, err)
			}
		})

		t.Run("Topics", func(t *testing.T) {
			topics, err := d.Topics(ctx, "")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range topics {
				got = append(got, s.Name+":"+s.Latest.String())
			}
			if want := []string{"Russia:2026-03-01", "Korea:2025-09-01"}; !reflect.DeepEqual(got, want) {
				t.Errorf("topics=%q, want %q", got, want)
			}
			if err := d.SaveTopic(ctx, "", briefings.Topic{Slug: "korea", Name: "Korean peninsula", Aliases: []string{"DPRK"}}); err != nil {
				t.Fatal(err)
			}
			for _, text := range []string{"korea", "Korean Peninsula", "dprk"} {
				tp, err := d.Topic(ctx, "", text)
				if err != nil || tp.Slug != "korea" || !reflect.DeepEqual(tp.Aliases, []string{"DPRK"}) {
					t.Errorf("Topic(%q)=%+v %v", text, tp, err)
				}
			}
			if _, err := d.Topic(ctx, "", "nowhere"); codeOf(err) != briefings.ENOTFOUND {
				t.Errorf("Topic(nowhere) err=%v", err)
			}
			if err := d.SaveTopic(ctx, "", briefings.Topic{Slug: "russia", Name: "Russia", Aliases: []string{"dprk"}}); codeOf(err) != briefings.ECONFLICT {
				t.Errorf("alias of another topic: err=%v, want conflict", err)
			}
		})

		t.Run("CompleteNames", func(t *testing.T) {
			tests := []struct {
				kind  briefings.NameKind
				text  string
				limit int
				want  []string
			}{
				{briefings.NameBriefing, "kim", 25, []string{"kim-and-putin-meet-again", "kim-meets-putin-in-vladivostok"}},
				{briefings.NameBriefing, "", 1, []string{"kim-and-putin-meet-again"}},
				{briefings.NameTopic, "kor", 25, []string{"Korean peninsula"}},
				{briefings.NameTopic, "", 25, []string{"Korean peninsula", "Russia"}},
				{briefings.NameEvent, "visit", 25, []string{"Moscow visit"}},
				{briefings.NameActor, "vlad", 25, []string{"Vladimir Putin"}},
			}
			for _, tt := range tests {
				got, err := d.CompleteNames(ctx, "", tt.kind, tt.text, tt.limit)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, tt.want) {
					t.Errorf("CompleteNames(%s, %q)=%q, want %q", tt.kind, tt.text, got, tt.want)
				}
			}
			names, err := d.Names(ctx, "", briefings.NameActor)
			if err != nil {
				t.Fatal(err)
			}
			if want := []string{"Kim", "Kim Jong Un", "Kim Jong-un", "Putin", "Vladimir Putin"}; !reflect.DeepEqual(names, want) {
				t.Errorf("Names(actor)=%q, want %q", names, want)
			}
		})

		if err := d.Ping(ctx); err != nil {
			t.Errorf("ping: %v", err)
		}
	})
}

package db_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"briefbot/briefings"
	"briefbot/db"
)

// fillSubsDB gives d one published briefing on "arctic", saved at saved,
// and leaves d's clock at saved.
func fillSubsDB(t *testing.T, d *db.DB, saved time.Time) {
	t.Helper()
	d.Now = func() time.Time { return saved }
	if _, err := d.SaveBriefings(context.Background(), "", []*briefings.Briefing{{
		Slug: "ice-route", Title: "Ice route opens", Summary: "The northern route opens early.",
		Published: briefings.DayOf(2025, 3, 1), Topics: []string{"arctic"}, Status: briefings.StatusPublished,
	}}, "test"); err != nil {
		t.Fatal(err)
	}
}

func TestSubscriptions_SaveClaimFinish(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := time.Date(2025, 3, 3, 6, 0, 0, 0, time.UTC) // Monday 07:00 in Berlin
	eachBackend(t, func(t *testing.T, d *db.DB) {
		fillSubsDB(t, d, now.Add(-time.Hour))
		sub := &briefings.Subscription{GuildID: "1", ChannelID: "c1", UserID: "u1", Topic: "arctic", Times: []briefings.Clock{{Hour: 8, Minute: 0}}, Zone: "Europe/Berlin", Days: briefings.DaysDaily}

		t.Run("OK", func(t *testing.T) {
			s, created, err := d.SaveSubscription(ctx, sub, now)
			if err != nil || !created {
				t.Fatalf("SaveSubscription created=%v err=%v", created, err)
			}
			if got, want := s.NextRun, time.Date(2025, 3, 3, 7, 0, 0, 0, time.UTC); !got.Equal(want) {
				t.Errorf("NextRun=%v, want %v", got, want)
			}
			if got, want := s.Since, time.Date(2025, 3, 2, 7, 0, 0, 0, time.UTC); !got.Equal(want) {
				t.Errorf("Since=%v, want the slot before subscribing %v", got, want)
			}
			if s.TopicName != "Arctic" {
				t.Errorf("TopicName=%q", s.TopicName)
			}
		})
		t.Run("UpdateAddsTime", func(t *testing.T) {
			// Subscribing the same place to the same topic at another time adds
			// that time to the one subscription.
			again := *sub
			again.Times = []briefings.Clock{{Hour: 9}}
			s, created, err := d.SaveSubscription(ctx, &again, now)
			if err != nil || created {
				t.Fatalf("second SaveSubscription created=%v err=%v, want an update", created, err)
			}
			if got, want := briefings.FormatClocks(s.Times), "08:00,09:00"; got != want {
				t.Errorf("Times=%s, want %s", got, want)
			}
			list, err := d.ListSubscriptions(ctx, briefings.SubscriptionQuery{GuildID: "1", UserID: "u1"})
			if err != nil || len(list) != 1 {
				t.Fatalf("ListSubscriptions=%d %v, want 1", len(list), err)
			}
		})
		t.Run("ErrUnknownTopic", func(t *testing.T) {
			bad := *sub
			bad.Topic = "volcanoes"
			if _, _, err := d.SaveSubscription(ctx, &bad, now); briefings.ErrorCode(err) != briefings.EINVALID {
				t.Errorf("err=%v, want invalid", err)
			}
		})
		t.Run("ClaimOnceAndFinish", func(t *testing.T) {
			at := time.Date(2025, 3, 3, 8, 0, 10, 0, time.UTC) // 09:00:10 Berlin
			rep, err := d.ClaimDue(ctx, at, briefings.DefaultGrace, briefings.Shard{})
			if err != nil || rep.Claimed != 1 {
				t.Fatalf("ClaimDue=%+v %v, want 1 claimed", rep, err)
			}
			rep, err = d.ClaimDue(ctx, at, briefings.DefaultGrace, briefings.Shard{})
			if err != nil || rep.Claimed != 0 {
				t.Fatalf("second ClaimDue=%+v %v, want nothing", rep, err)
			}
			pend, err := d.PendingDeliveries(ctx, briefings.Shard{})
			if err != nil || len(pend) != 1 {
				t.Fatalf("PendingDeliveries=%d %v", len(pend), err)
			}
			if err := d.RecordPart(ctx, pend[0].ID, 0, "m1"); err != nil {
				t.Fatal(err)
			}
			if err := d.RecordPart(ctx, pend[0].ID, 0, "m1-again"); err != nil {
				t.Fatal(err)
			}
			pend, _ = d.PendingDeliveries(ctx, briefings.Shard{})
			if got := pend[0].MessageIDs; len(got) != 1 || got[0] != "m1" || pend[0].PartsSent != 1 {
				t.Fatalf("after recording part 0 twice: sent=%d ids=%v", pend[0].PartsSent, got)
			}
			if err := d.FinishDelivery(ctx, pend[0].ID, briefings.OutcomeDelivered, "", at); err != nil {
				t.Fatal(err)
			}
			s, _ := d.Subscription(ctx, pend[0].Subscription.ID)
			if s.LastOutcome != briefings.OutcomeDelivered || s.LastMessageID != "m1" || !s.Since.Equal(pend[0].Slot) {
				t.Errorf("after delivery: outcome=%s message=%s since=%v, want delivered m1 %v", s.LastOutcome, s.LastMessageID, s.Since, pend[0].Slot)
			}
			if pend, _ := d.PendingDeliveries(ctx, briefings.Shard{}); len(pend) != 0 {
				t.Errorf("%d deliveries still pending", len(pend))
			}
		})
		t.Run("MissedPastGrace", func(t *testing.T) {
			late := time.Date(2025, 3, 4, 16, 0, 0, 0, time.UTC) // 7 h after Tuesday's 09:00 Berlin
			rep, err := d.ClaimDue(ctx, late, briefings.DefaultGrace, briefings.Shard{})
			if err != nil || rep.Claimed != 0 || rep.Missed != 1 {
				t.Fatalf("ClaimDue=%+v %v, want 1 missed", rep, err)
			}
			list, _ := d.ListSubscriptions(ctx, briefings.SubscriptionQuery{GuildID: "1"})
			if s := list[0]; s.LastOutcome != briefings.OutcomeMissed || s.LastReason == "" || !s.NextRun.After(late) {
				t.Errorf("outcome=%s reason=%q next=%v", s.LastOutcome, s.LastReason, s.NextRun)
			}
		})
		t.Run("FailurePauses", func(t *testing.T) {
			at := time.Date(2025, 3, 5, 8, 1, 0, 0, time.UTC)
			if _, err := d.ClaimDue(ctx, at, briefings.DefaultGrace, briefings.Shard{}); err != nil {
				t.Fatal(err)
			}
			pend, _ := d.PendingDeliveries(ctx, briefings.Shard{})
			if err := d.FinishDelivery(ctx, pend[0].ID, briefings.OutcomeFailed, "channel deleted", at); err != nil {
				t.Fatal(err)
			}
			s, _ := d.Subscription(ctx, pend[0].Subscription.ID)
			if !s.Paused() || s.PausedReason != "channel deleted" {
				t.Errorf("paused=%q, want the reason", s.PausedReason)
			}
			if rep, _ := d.ClaimDue(ctx, at.Add(48*time.Hour), briefings.DefaultGrace, briefings.Shard{}); rep.Claimed != 0 {
				t.Errorf("a paused subscription was claimed")
			}
			if s, _, _ := d.SaveSubscription(ctx, sub, at); s.Paused() {
				t.Errorf("subscribing again did not resume")
			}
		})
	})
}

func TestSubscriptions_ShardsAndDigests(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := time.Date(2025, 3, 3, 6, 0, 0, 0, time.UTC)
	eachBackend(t, func(t *testing.T, d *db.DB) {
		fillSubsDB(t, d, now.Add(-time.Hour))
		// Guild 1<<22 is on shard 1 of 2; guild 2<<22 on shard 0; DMs on 0.
		for _, s := range []*briefings.Subscription{
			{GuildID: "4194304", ChannelID: "a", Topic: "arctic", Times: []briefings.Clock{{Hour: 6}}, Zone: "UTC", Days: "daily"},
			{GuildID: "8388608", ChannelID: "b", Topic: "arctic", Times: []briefings.Clock{{Hour: 6}}, Zone: "UTC", Days: "daily"},
			{GuildID: "4194304", DM: true, UserID: "u9", Topic: "arctic", Times: []briefings.Clock{{Hour: 6}}, Zone: "UTC", Days: "daily"},
		} {
			if _, _, err := d.SaveSubscription(ctx, s, now.Add(-time.Minute)); err != nil {
				t.Fatal(err)
			}
		}
		got := map[int]int{}
		for shard := 0; shard < 2; shard++ {
			rep, err := d.ClaimDue(ctx, now, time.Hour, briefings.Shard{ID: shard, Count: 2})
			if err != nil {
				t.Fatal(err)
			}
			got[shard] = rep.Claimed
		}
		if got[0] != 2 || got[1] != 1 {
			t.Errorf("claimed per shard=%v, want shard 0: 2 (a guild and the DM), shard 1: 1", got)
		}

		key := briefings.DigestKey{GuildID: "1", Topic: "arctic", Since: now.Add(-24 * time.Hour), Until: now}
		first, err := d.SaveDigest(ctx, key, []string{`{"content":"one"}`})
		if err != nil {
			t.Fatal(err)
		}
		second, err := d.SaveDigest(ctx, key, []string{`{"content":"two"}`})
		if err != nil || second.ID != first.ID || second.Parts[0] != `{"content":"one"}` {
			t.Errorf("second SaveDigest=%+v %v, want the first composition", second, err)
		}
		changed, err := d.ChangedBriefings(ctx, "1", "arctic", now.Add(-2*time.Hour), now)
		if err != nil || len(changed) != 1 || changed[0].Slug != "ice-route" {
			t.Errorf("ChangedBriefings=%d %v, want ice-route", len(changed), err)
		}
		if changed, _ := d.ChangedBriefings(ctx, "1", "arctic", now.Add(-time.Hour), now); len(changed) != 0 {
			t.Errorf("a briefing saved exactly at since counted as changed")
		}
	})
}

// TestSubscriptions_SeveralTimes runs the claim loop every five minutes
// across a DST change for a subscription with two times a day: each slot is
// claimed exactly once (the one in the spring-forward gap at the next valid
// minute, the one in the repeated hour at its first occurrence), and each
// digest's period starts at the slot before it.
func TestSubscriptions_SeveralTimes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, tc := range []struct {
		name, times, from, to string
		want                  []string
	}{
		{"NewYork/spring-forward", "02:30, 18:30", "2025-03-08T06:00:00Z", "2025-03-10T12:00:00Z",
			[]string{"2025-03-08T07:30:00Z", "2025-03-08T23:30:00Z", "2025-03-09T07:00:00Z", "2025-03-09T22:30:00Z", "2025-03-10T06:30:00Z"}},
		{"NewYork/fall-back", "01:30, 18:30", "2025-11-01T06:00:00Z", "2025-11-03T12:00:00Z",
			[]string{"2025-11-01T22:30:00Z", "2025-11-02T05:30:00Z", "2025-11-02T23:30:00Z", "2025-11-03T06:30:00Z"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			from, _ := time.Parse(time.RFC3339, tc.from)
			to, _ := time.Parse(time.RFC3339, tc.to)
			eachBackend(t, func(t *testing.T, d *db.DB) {
				fillSubsDB(t, d, from.Add(-time.Hour))
				times, err := briefings.ParseTimes(tc.times)
				if err != nil {
					t.Fatal(err)
				}
				s, _, err := d.SaveSubscription(ctx, &briefings.Subscription{GuildID: "1", ChannelID: "c1", UserID: "u1", Topic: "arctic",
					Times: times, Zone: "America/New_York", Days: briefings.DaysDaily}, from)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				since := s.Since
				for now := from; !now.After(to); now = now.Add(5 * time.Minute) {
					if _, err := d.ClaimDue(ctx, now, briefings.DefaultGrace, briefings.Shard{}); err != nil {
						t.Fatal(err)
					}
					pend, err := d.PendingDeliveries(ctx, briefings.Shard{})
					if err != nil {
						t.Fatal(err)
					}
					for _, p := range pend {
						got = append(got, p.Slot.UTC().Format(time.RFC3339))
						if !p.Since.Equal(since) {
							t.Errorf("slot %v covers since %v, want since the slot before, %v", p.Slot, p.Since, since)
						}
						since = p.Slot
						if err := d.FinishDelivery(ctx, p.ID, briefings.OutcomeDelivered, "", now); err != nil {
							t.Fatal(err)
						}
					}
				}
				if strings.Join(got, " ") != strings.Join(tc.want, " ") {
					t.Errorf("slots delivered:\n%v\nwant\n%v", got, tc.want)
				}
			})
		})
	}
}

func TestSubscriptions_RemoveTime(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := time.Date(2025, 3, 3, 6, 0, 0, 0, time.UTC) // 07:00 Berlin
	eachBackend(t, func(t *testing.T, d *db.DB) {
		fillSubsDB(t, d, now.Add(-time.Hour))
		s, _, err := d.SaveSubscription(ctx, &briefings.Subscription{GuildID: "1", ChannelID: "c1", UserID: "u1", Topic: "arctic",
			Times: []briefings.Clock{{Hour: 8}, {Hour: 18, Minute: 30}}, Zone: "Europe/Berlin", Days: briefings.DaysWeekdays}, now)
		if err != nil {
			t.Fatal(err)
		}
		left, err := d.RemoveSubscriptionTime(ctx, s.ID, briefings.Clock{Hour: 8}, now)
		if err != nil {
			t.Fatal(err)
		}
		if got := briefings.FormatClocks(left.Times); got != "18:30" {
			t.Errorf("Times=%s, want 18:30", got)
		}
		if want := time.Date(2025, 3, 3, 17, 30, 0, 0, time.UTC); !left.NextRun.Equal(want) {
			t.Errorf("NextRun=%v, want the 18:30 slot %v", left.NextRun, want)
		}
		if !left.Since.Equal(s.Since) || left.Days != briefings.DaysWeekdays {
			t.Errorf("since=%v days=%s, want them kept (%v, weekdays)", left.Since, left.Days, s.Since)
		}
		for _, c := range []briefings.Clock{{Hour: 8}, {Hour: 18, Minute: 30}} {
			if _, err := d.RemoveSubscriptionTime(ctx, s.ID, c, now); briefings.ErrorCode(err) != briefings.EINVALID {
				t.Errorf("removing %s: err=%v, want invalid (not a time, or the only one)", c, err)
			}
		}
		many := &briefings.Subscription{GuildID: "1", ChannelID: "c1", UserID: "u1", Topic: "arctic", Zone: "Europe/Berlin", Days: briefings.DaysDaily}
		for h := 1; h <= 5; h++ {
			many.Times = []briefings.Clock{{Hour: h}}
			if _, _, err := d.SaveSubscription(ctx, many, now); err != nil {
				t.Fatalf("adding time %d: %v", h, err)
			}
		}
		many.Times = []briefings.Clock{{Hour: 6}}
		if _, _, err := d.SaveSubscription(ctx, many, now); !strings.Contains(briefings.ErrorMessage(err), "at most 6 times") {
			t.Errorf("a seventh time: err=%v, want the limit named", err)
		}
	})
}

// TestSubscriptions_DueDeliveries: the read-only list a dry run shows
// matches what ClaimDue would claim, includes pending deliveries once, and
// changes nothing.
func TestSubscriptions_DueDeliveries(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := time.Date(2025, 3, 3, 6, 0, 0, 0, time.UTC)
	eachBackend(t, func(t *testing.T, d *db.DB) {
		fillSubsDB(t, d, now.Add(-time.Hour))
		sub := &briefings.Subscription{GuildID: "1", ChannelID: "c1", UserID: "u1", Topic: "arctic", Times: []briefings.Clock{{Hour: 8}}, Zone: "Europe/Berlin", Days: briefings.DaysDaily}
		s, _, err := d.SaveSubscription(ctx, sub, now)
		if err != nil {
			t.Fatal(err)
		}
		due := func(at time.Time) []*briefings.Delivery {
			t.Helper()
			list, err := d.DueDeliveries(ctx, at, briefings.DefaultGrace, briefings.Shard{})
			if err != nil {
				t.Fatal(err)
			}
			return list
		}
		if got := due(now); len(got) != 0 {
			t.Fatalf("%d due before the slot, want none", len(got))
		}
		at := time.Date(2025, 3, 3, 7, 0, 30, 0, time.UTC) // 08:00:30 Berlin
		// Asking twice gives the same: nothing was claimed.
		for range 2 {
			got := due(at)
			if len(got) != 1 || got[0].ID != 0 || !got[0].Slot.Equal(s.NextRun) || !got[0].Since.Equal(s.Since) {
				t.Fatalf("DueDeliveries=%+v, want the unclaimed slot %v", got, s.NextRun)
			}
		}
		if after, _ := d.Subscription(ctx, s.ID); !after.NextRun.Equal(s.NextRun) {
			t.Fatalf("NextRun moved from %v to %v", s.NextRun, after.NextRun)
		}
		if rep, err := d.ClaimDue(ctx, at, briefings.DefaultGrace, briefings.Shard{}); err != nil || rep.Claimed != 1 {
			t.Fatalf("ClaimDue=%+v %v, want the slot DueDeliveries showed", rep, err)
		}
		got := due(at)
		if len(got) != 1 || got[0].ID == 0 {
			t.Fatalf("after the claim: %+v, want the one pending delivery", got)
		}
		if err := d.FinishDelivery(ctx, got[0].ID, briefings.OutcomeDelivered, "", at); err != nil {
			t.Fatal(err)
		}
		if got := due(at); len(got) != 0 {
			t.Fatalf("%d due after delivering, want none", len(got))
		}
	})
}

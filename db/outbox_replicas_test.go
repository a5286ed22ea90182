package db_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"briefbot/briefings"
	"briefbot/db"
)

// TestOutbox_ReplicasDeliverEachSlotOnce: on PostgreSQL, two stores on one
// database stand for two deliver processes. With 1,000 subscriptions due at
// once, both claim and take pending deliveries at the same time: every slot
// is claimed once and each delivery goes to one of them. Then one dies
// mid-run without finishing what it took: the other does not touch those
// deliveries while the dead one's lease lasts, takes them all once it runs
// out, and in the end every slot is delivered exactly once.
//
// SQLite has one process per library file, so this is PostgreSQL's alone.
func TestOutbox_ReplicasDeliverEachSlotOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := newPostgresDatabase(t)
	saved := time.Date(2025, 3, 3, 6, 0, 0, 0, time.UTC)
	at := time.Date(2025, 3, 3, 8, 0, 10, 0, time.UTC)
	setup := mustOpenAt(t, url)
	fillSubsDB(t, setup, saved)
	const n = 1000
	for i := range n {
		sub := &briefings.Subscription{GuildID: "1", ChannelID: fmt.Sprintf("c%d", i), UserID: "u1", Topic: "arctic",
			Times: []briefings.Clock{{Hour: 8, Minute: 0}}, Zone: "UTC", Days: briefings.DaysDaily}
		if _, created, err := setup.SaveSubscription(ctx, sub, saved); err != nil || !created {
			t.Fatalf("subscription %d: created=%v err=%v", i, created, err)
		}
	}
	setup.Close()

	a, b := mustOpenAt(t, url), mustOpenAt(t, url)
	for _, d := range []*db.DB{a, b} {
		d.Now = func() time.Time { return at }
	}
	both := func(fn func(d *db.DB) (int, []*briefings.Delivery, error)) (counts [2]int, got [2][]*briefings.Delivery) {
		var wg sync.WaitGroup
		for i, d := range []*db.DB{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var err error
				counts[i], got[i], err = fn(d)
				if err != nil {
					t.Errorf("store %d: %v", i, err)
				}
			}()
		}
		wg.Wait()
		return counts, got
	}

	claims, _ := both(func(d *db.DB) (int, []*briefings.Delivery, error) {
		rep, err := d.ClaimDue(ctx, at, briefings.DefaultGrace, briefings.Shard{})
		return rep.Claimed, nil, err
	})
	if claims[0]+claims[1] != n {
		t.Fatalf("claimed %d + %d slots, want %d in all", claims[0], claims[1], n)
	}
	_, taken := both(func(d *db.DB) (int, []*briefings.Delivery, error) {
		p, err := d.PendingDeliveries(ctx, briefings.Shard{})
		return len(p), p, err
	})
	seen := map[int64]int{}
	for i := range taken {
		for _, p := range taken[i] {
			seen[p.ID]++
		}
	}
	if len(seen) != n || len(taken[0])+len(taken[1]) != n {
		t.Fatalf("the two stores took %d + %d deliveries of %d distinct ones, want %d, each once", len(taken[0]), len(taken[1]), len(seen), n)
	}
	// Each store sees its own deliveries again while its lease lasts (as a
	// single process does on SQLite); the other sees none of them.
	if again, err := a.PendingDeliveries(ctx, briefings.Shard{}); err != nil || len(again) != len(taken[0]) {
		t.Fatalf("store a again: %d deliveries, %v; want its own %d", len(again), err, len(taken[0]))
	}

	// a dies mid-run: it delivers half of what it took and finishes nothing
	// else; b finishes all of its own.
	finish := func(d *db.DB, ps []*briefings.Delivery) {
		for _, p := range ps {
			if err := d.RecordPart(ctx, p.ID, 0, fmt.Sprintf("m%d", p.ID)); err != nil {
				t.Fatal(err)
			}
			if err := d.FinishDelivery(ctx, p.ID, briefings.OutcomeDelivered, "", at); err != nil {
				t.Fatal(err)
			}
		}
	}
	half := len(taken[0]) / 2
	finish(a, taken[0][:half])
	a.Close()
	finish(b, taken[1])
	if p, err := b.PendingDeliveries(ctx, briefings.Shard{}); err != nil || len(p) != 0 {
		t.Fatalf("b took %d deliveries, %v, while a's lease lasts; want none", len(p), err)
	}
	b.Now = func() time.Time { return at.Add(11 * time.Minute) }
	rest, err := b.PendingDeliveries(ctx, briefings.Shard{})
	if err != nil || len(rest) != len(taken[0])-half {
		t.Fatalf("after a's lease ran out b took %d deliveries, %v; want the %d a left", len(rest), err, len(taken[0])-half)
	}
	finish(b, rest)

	c := mustOpenAt(t, url)
	var delivered, pending, subs int
	if err := c.CountForTest(ctx, `SELECT count(*) FILTER (WHERE status = 'delivered'), count(*) FILTER (WHERE status = 'pending'),
		count(DISTINCT subscription_id) FROM outbox`, &delivered, &pending, &subs); err != nil {
		t.Fatal(err)
	}
	if delivered != n || pending != 0 || subs != n {
		t.Fatalf("outbox: %d delivered, %d pending, over %d subscriptions; want %d delivered, none pending, %d subscriptions",
			delivered, pending, subs, n, n)
	}
	var parts int
	if err := c.CountForTest(ctx, `SELECT count(*) FROM outbox WHERE parts_sent = 1 AND message_ids = '["m' || id || '"]'`, &parts); err != nil {
		t.Fatal(err)
	}
	if parts != n {
		t.Fatalf("%d deliveries hold exactly their one message, want %d", parts, n)
	}
}

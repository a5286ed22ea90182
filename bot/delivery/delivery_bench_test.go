package delivery_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"briefbot/bot/delivery"
	"briefbot/bot/discordtest"
	"briefbot/briefings"
	"briefbot/commands"
	"briefbot/db"
	"briefbot/internal/gen"
)

// benchEnv reads a positive integer from the environment, or def.
func benchEnv(b *testing.B, name string, def int) int {
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		b.Fatalf("%s=%q: want a positive number", name, s)
	}
	return n
}

// subscribedLibrary imports a synthetic library of n briefings into a
// temporary directory and subscribes subs channels, spread over its topics,
// to a daily digest due at the next full hour (UTC). It returns the store and the time the
// digests are due. The library is imported afresh rather than copied from
// internal/gen's cache, so that its schema is the one the store creates today.
func subscribedLibrary(b *testing.B, n, subs int) (*db.DB, time.Time) {
	b.Helper()
	ctx := context.Background()
	store, err := db.Open(ctx, filepath.Join(b.TempDir(), "library.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	// The library was there before the subscriptions; the day before the
	// first digest brings dayNews new briefings over the 50 topics.
	due := time.Now().UTC().Truncate(time.Hour).Add(time.Hour)
	subscribedAt := due.Add(-25 * time.Hour)
	g := gen.New(n)
	store.Now = func() time.Time { return due.Add(-72 * time.Hour) }
	for done := 0; done < n; {
		batch := g.Next(min(gen.BatchSize, n-dayNews-done))
		if done >= n-dayNews {
			store.Now = func() time.Time { return due.Add(-2 * time.Hour) }
			batch = g.Next(dayNews)
		}
		if _, err := store.SaveBriefings(ctx, "", batch, "bench"); err != nil {
			b.Fatal(err)
		}
		done += len(batch)
	}
	store.Now = time.Now
	topics := g.Topics()
	for i := range subs {
		s := &briefings.Subscription{
			ChannelID: benchChannel(i), UserID: "1300000000000000001",
			Topic: briefings.Slugify(topics[i%len(topics)]), Times: []briefings.Clock{{Hour: due.Hour()}}, Zone: "UTC", Days: briefings.DaysDaily, NothingNew: true,
		}
		if _, _, err := store.SaveSubscription(ctx, s, subscribedAt); err != nil {
			b.Fatalf("subscribe %d: %v", i, err)
		}
	}
	return store, due
}

// dayNews is how many briefings are new in the period of the first digest.
const dayNews = 100

// benchChannel is the channel of subscription i.
func benchChannel(i int) string { return fmt.Sprintf("12%017d", i) }

// BenchmarkDigestCompose claims the due slots of BRIEFBOT_BENCH_SUBS
// (10,000) subscriptions over the 50 topics of a library of
// BRIEFBOT_BENCH_N (10,000) briefings and composes and renders the digest
// of each topic once, as a delivery run does before it posts anything.
func BenchmarkDigestCompose(b *testing.B) {
	ctx := context.Background()
	store, due := subscribedLibrary(b, benchEnv(b, "BRIEFBOT_BENCH_N", 10_000), benchEnv(b, "BRIEFBOT_BENCH_SUBS", 10_000))
	for b.Loop() {
		if _, err := store.ClaimDue(ctx, due, time.Hour, briefings.Shard{}); err != nil {
			b.Fatal(err)
		}
		pending, err := store.PendingDeliveries(ctx, briefings.Shard{})
		if err != nil {
			b.Fatal(err)
		}
		composed := map[string]bool{}
		for _, d := range pending {
			key := d.Subscription.GuildID + "/" + d.Subscription.Topic
			if composed[key] {
				continue
			}
			composed[key] = true
			dg, err := briefings.ComposeDigest(ctx, store, d.Subscription.GuildID, d.Subscription.Topic, d.Since, due)
			if err != nil {
				b.Fatal(err)
			}
			commands.DigestMessages(dg)
		}
		b.ReportMetric(float64(len(pending)), "deliveries")
		b.ReportMetric(float64(len(composed)), "digests")
	}
}

// BenchmarkDeliveryPacing delivers the digests of BRIEFBOT_BENCH_DELIVER
// (500) channel subscriptions to the fake Discord, which enforces Discord's
// global limit of 50 requests a second, and reports the requests per second
// achieved and the 429s received.
func BenchmarkDeliveryPacing(b *testing.B) {
	ctx := context.Background()
	subs := benchEnv(b, "BRIEFBOT_BENCH_DELIVER", 500)
	for b.Loop() {
		b.StopTimer()
		store, due := subscribedLibrary(b, 1000, subs)
		fake := discordtest.New(b, discordtest.RateLimits(discordtest.DiscordLimits()))
		for i := range subs {
			fake.AddChannel(benchChannel(i))
		}
		d := &delivery.Deliverer{Store: store, Source: store, Session: fake.Session("bench-token")}
		b.StartTimer()
		start := time.Now()
		rep, err := d.RunDue(ctx, due)
		elapsed := time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		if rep.Delivered+rep.NothingNew != subs {
			b.Fatalf("delivered %d and nothing new %d of %d: %+v", rep.Delivered, rep.NothingNew, subs, rep)
		}
		requests := len(fake.Requests())
		b.ReportMetric(float64(requests)/elapsed.Seconds(), "req/s")
		b.ReportMetric(float64(fake.LimitHits().Global), "global-429s")
		b.ReportMetric(float64(fake.LimitHits().Channel), "channel-429s")
	}
}

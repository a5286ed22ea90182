// Command deliverbot delivers the digests due at a fixed instant and exits,
// as `briefbot deliver --once` does. The crash test in package bot starts it
// against a fake Discord (BRIEFBOT_DISCORD_API_BASE) and kills it with
// SIGKILL at random points.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"briefbot/bot/delivery"
	"briefbot/bot/discord"
	"briefbot/db"
)

func main() {
	path := flag.String("db", "", "the SQLite database")
	at := flag.String("now", "", "the instant to deliver at (RFC 3339)")
	rate := flag.Float64("rate", delivery.DefaultDeliveryRate, "requests per second")
	flag.Parse()
	if err := run(*path, *at, *rate); err != nil {
		fmt.Fprintln(os.Stderr, "deliverbot:", err)
		os.Exit(1)
	}
}

func run(path, at string, rate float64) error {
	ctx := context.Background()
	now, err := time.Parse(time.RFC3339, at)
	if err != nil {
		return err
	}
	store, err := db.Open(ctx, path)
	if err != nil {
		return err
	}
	defer store.Close()
	sess, err := discord.NewRESTSession("test-token", os.Getenv(discord.APIBaseEnv))
	if err != nil {
		return err
	}
	d := &delivery.Deliverer{Store: store, Source: store, Session: sess, Rate: rate, Backoff: 20 * time.Millisecond}
	rep, err := d.RunDue(ctx, now)
	if err != nil {
		return err
	}
	if rep.Retrying > 0 || rep.Failed > 0 {
		return fmt.Errorf("%d deliveries left for a retry, %d failed", rep.Retrying, rep.Failed)
	}
	return nil
}

package main

import (
	"context"
	"fmt"
	"time"

	"briefbot/bot/delivery"
	"briefbot/bot/discord"
	"briefbot/briefings"
)

// deliverer builds the digest deliverer for this process's shard, posting
// through a REST session (BRIEFBOT_DISCORD_API_BASE redirects it, for
// tests).
func (m *Main) deliverer() (*delivery.Deliverer, error) {
	sess, err := discord.NewRESTSession(m.Config.DiscordToken, m.Config.DiscordAPIBase)
	if err != nil {
		return nil, err
	}
	return &delivery.Deliverer{
		Store: m.DB, Source: m.DB, Session: sess, Logger: m.Logger,
		Shard: briefings.Shard{ID: m.Config.ShardID, Count: m.Config.ShardCount},
	}, nil
}

// runDeliver implements `briefbot deliver [--once] [--dry-run]`: deliver
// the digests that are due (once, then exit; or every minute until
// stopped), or with --dry-run print what would be posted, and where.
func (m *Main) runDeliver(ctx context.Context, args []string) error {
	fs := m.subFlags("deliver", "[--once] [--dry-run]")
	once := fs.Bool("once", false, "deliver what is due now, then exit")
	dryRun := fs.Bool("dry-run", false, "print what is due now and where it would be posted, without Discord; nothing is marked delivered")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return usageErr(err)
	}
	if len(rest) > 0 {
		return fmt.Errorf("deliver takes no arguments (got %q): %w", rest[0], errUsage)
	}
	if !*dryRun && m.Config.DiscordToken == "" {
		return fmt.Errorf("briefbot deliver needs DISCORD_TOKEN: create a bot in the Discord Developer Portal and set it (see README.md), or run `briefbot deliver --dry-run` to see what would be posted")
	}
	if err := m.openExistingDB(ctx); err != nil {
		return err
	}
	if *dryRun {
		return m.deliverDryRun(ctx, time.Now())
	}
	d, err := m.deliverer()
	if err != nil {
		return err
	}
	if !*once {
		return (&delivery.Scheduler{Runner: d, Logger: m.Logger}).Run(ctx)
	}
	rep, err := d.RunDue(ctx, time.Now())
	if err != nil {
		return fmt.Errorf("deliver: %w", err)
	}
	fmt.Fprintf(m.Stdout, "claimed %d, delivered %d, nothing new %d, failed %d, retrying later %d, missed %d\n",
		rep.Claimed, rep.Delivered, rep.NothingNew, rep.Failed, rep.Retrying, rep.Missed)
	if rep.Retrying > 0 {
		return fmt.Errorf("deliver: %d deliveries are left for the next run", rep.Retrying)
	}
	return nil
}

// startScheduler delivers due digests every minute beside the gateway bot,
// until ctx ends; the returned channel closes when it has stopped.
func (m *Main) startScheduler(ctx context.Context, metrics *discord.Metrics) (<-chan struct{}, error) {
	d, err := m.deliverer()
	if err != nil {
		return nil, err
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := (&delivery.Scheduler{Runner: d, Logger: m.Logger, Metrics: metrics}).Run(ctx); err != nil && ctx.Err() == nil {
			m.Logger.Error("digest scheduler stopped", "err", err)
		}
	}()
	return done, nil
}

package main

import (
	"context"
	"fmt"
	"time"

	_ "time/tzdata" // subscriptions' time zones work on machines without zoneinfo

	"briefbot/bot/console"
	"briefbot/briefings"
	"briefbot/commands"
)

// runDigest implements `briefbot digest --topic T [--guild ID] [--since 24h]`:
// the digest a subscription would receive now, printed as text.
func (m *Main) runDigest(ctx context.Context, args []string) error {
	fs := m.subFlags("digest", "--topic T [--guild ID] [--since DURATION]")
	topic := fs.String("topic", "", "the topic (slug, name or alias)")
	guild := fs.String("guild", "", "read this guild's library as well as the global one")
	since := fs.Duration("since", 24*time.Hour, "how far back the digest looks")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return usageErr(err)
	}
	if *topic == "" || len(rest) > 0 {
		return fmt.Errorf("digest needs --topic and takes no arguments: %w", errUsage)
	}
	if err := m.openExistingDB(ctx); err != nil {
		return err
	}
	now := time.Now()
	d, err := briefings.ComposeDigest(ctx, m.DB, *guild, *topic, now.Add(-*since), now)
	if err != nil {
		if briefings.ErrorCode(err) != briefings.EINTERNAL {
			return fmt.Errorf("%s", briefings.ErrorMessage(err))
		}
		return fmt.Errorf("compose digest: %w", err)
	}
	msgs := commands.DigestMessages(d)
	if len(msgs) == 0 {
		fmt.Fprint(m.Stdout, console.RenderText(commands.DigestPreview(d), now))
		return nil
	}
	for i, msg := range msgs {
		if i > 0 {
			fmt.Fprintln(m.Stdout)
		}
		fmt.Fprint(m.Stdout, console.RenderMessage(msg, now))
	}
	return nil
}

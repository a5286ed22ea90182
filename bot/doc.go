// Package bot holds briefbot's adapters to the world outside the library,
// one package each, named after what it adapts to:
//
//   - bot/discord: the gateway and HTTP interaction runtimes, their shared
//     dispatcher and replies, attachments and metrics;
//   - bot/console: the local console (parse, render, readline);
//   - bot/delivery: digests, feed review cards and their cron trigger;
//   - bot/web: the reading room, a server's public web pages;
//   - bot/discordtest: a fake Discord, as strict as Discord, for tests.
//
// Each turns what arrives into calls of the commands router and carries the
// answers back out; imports run cmd → bot → commands → briefings. This
// package itself holds no code: its tests drive the adapters end to end
// against the fake Discord.
package bot

// Package discord connects briefbot to Discord: the gateway runtime (our
// own gateway client), the HTTP interactions endpoint, and the dispatcher
// they share, which defers slow answers, keeps Discord's deadlines, drains
// on shutdown and edits progress into a deferred answer. Both reply through
// discordgo's REST calls (the HTTP endpoint through the interaction
// webhook), retried by internal/retry. It also downloads attachments,
// makes REST-only sessions for delivery, and exports Prometheus metrics.
package discord

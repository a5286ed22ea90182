// Package discord connects briefbot to Discord: the gateway runtime (our
// own gateway client), the HTTP interactions endpoint, and the dispatcher
// they share, which defers slow answers, keeps Discord's deadlines, drains
// on shutdown and edits progress into a deferred answer. The first answer
// goes back as the HTTP response or through discordgo's REST callback; both
// runtimes complete deferred answers through the interaction's webhook with
// discordgo's calls (webhook.go), retried by internal/retry. It also
// downloads attachments, makes REST-only sessions for delivery, and exports
// Prometheus metrics.
package discord

package commands

import (
	"context"

	"github.com/bwmarrin/discordgo"
)

// progressKey carries a Progress in a context.
type progressKey struct{}

// Progress shows a partial answer while a handler is still working, e.g.
// a model's answer as it streams. A transport that deferred the
// interaction implements it by editing the original response, at most once
// a second, dropping the updates in between; the handler's final response
// always replaces what it showed. It must not be called after the handler
// returns.
type Progress func(partial *discordgo.InteractionResponse)

// WithProgress returns a context under which Handle may show partial
// answers through p. Transports that cannot edit a response (the console)
// leave it out, and handlers then answer once.
func WithProgress(ctx context.Context, p Progress) context.Context {
	return context.WithValue(ctx, progressKey{}, p)
}

// progressFrom returns the context's Progress, or nil.
func progressFrom(ctx context.Context) Progress {
	p, _ := ctx.Value(progressKey{}).(Progress)
	return p
}

// DeferNow reports whether a transport should defer i at once rather than
// wait to see if the answer is quick: /ask when a language model writes
// the answers, which takes seconds and streams. Gateway.DeferNow and
// HTTP.DeferNow take it as it is.
func (r *Router) DeferNow(i *discordgo.Interaction) bool {
	if r.opts.Model == nil || i == nil || i.Type != discordgo.InteractionApplicationCommand {
		return false
	}
	data, ok := i.Data.(discordgo.ApplicationCommandInteractionData)
	return ok && data.Name == cmdAsk
}

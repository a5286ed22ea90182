// Package commands is briefbot's slash-command catalog and its handlers: an
// interaction in, a response out. It speaks Discord's data model through
// discordgo's plain structs, never holds a session and never does network
// I/O, so every transport (gateway, HTTP interactions, console) shares it.
package commands

import (
	"context"
	"log/slog"
	"time"

	"briefbot/briefings"

	"github.com/bwmarrin/discordgo"
)

// Options configures a Router.
type Options struct {
	// Logger receives internal errors in detail; nil discards them.
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Router answers interactions from the library.
type Router struct {
	lib briefings.Library
	log *slog.Logger
	now func() time.Time
}

// New returns a Router over lib.
func New(lib briefings.Library, opts Options) *Router {
	r := &Router{lib: lib, log: opts.Logger, now: opts.Now}
	if r.log == nil {
		r.log = slog.New(slog.DiscardHandler)
	}
	if r.now == nil {
		r.now = time.Now
	}
	return r
}

// Commands returns the catalog as application-command definitions, ready for
// a bulk overwrite.
func (r *Router) Commands() []*discordgo.ApplicationCommand {
	return nil // filled in by the catalog
}

// Handle answers one interaction: a slash command, an autocomplete request, a
// button press or a modal submit. It always returns a response that fits
// Discord's limits and mentions nobody.
func (r *Router) Handle(ctx context.Context, i *discordgo.Interaction) *discordgo.InteractionResponse {
	return nil // filled in by the handlers
}

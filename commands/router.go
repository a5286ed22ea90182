// Package commands is briefbot's slash-command catalog and its handlers: an
// interaction in, a response out. It speaks Discord's data model through
// discordgo's plain structs, never holds a session and never does network
// I/O, so every transport (gateway, HTTP interactions, console) shares it.
package commands

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
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
	lib      briefings.Library
	log      *slog.Logger
	now      func() time.Time
	handlers map[string]handler
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
	r.handlers = map[string]handler{
		cmdBrief:    r.brief,
		cmdActor:    r.actor,
		cmdEvent:    r.event,
		cmdTimeline: r.timeline,
		cmdSearch:   r.search,
		cmdAsk:      r.ask,
		cmdTopics:   r.topics,
		cmdHelp:     r.help,
	}
	return r
}

// Commands returns the catalog as application-command definitions, ready for
// a bulk overwrite.
func (r *Router) Commands() []*discordgo.ApplicationCommand {
	return catalog()
}

// request is one interaction as the handlers see it: where it comes from and
// what it asks, decoded once.
type request struct {
	// guildID selects the library; empty in direct messages (global only).
	guildID string
	// userID is who asked, for logs only.
	userID string
	// command is the slash command's name, or the custom ID's kind.
	command string
	// opts are the command's options by name.
	opts map[string]*discordgo.ApplicationCommandInteractionDataOption
}

// str returns the string value of the named option, or "" when it is absent
// or not a string.
func (q *request) str(name string) string {
	o := q.opts[name]
	if o == nil {
		return ""
	}
	s, _ := o.Value.(string)
	return s
}

// handler answers one slash command. A returned *briefings.Error is shown
// to the user; any other error is internal.
type handler func(ctx context.Context, q *request) (*discordgo.InteractionResponse, error)

// Handle answers one interaction: a slash command, an autocomplete request, a
// button press or a modal submit. It always returns a response that fits
// Discord's limits and mentions nobody.
//
// Slash commands come back as InteractionResponseChannelMessageWithSource
// (ephemeral for user errors), autocomplete as
// InteractionApplicationCommandAutocompleteResult, a page button as
// InteractionResponseUpdateMessage, and a ping as InteractionResponsePong.
func (r *Router) Handle(ctx context.Context, i *discordgo.Interaction) (resp *discordgo.InteractionResponse) {
	q := &request{}
	defer func() {
		if p := recover(); p != nil {
			resp = r.internal(ctx, q, fmt.Errorf("panic: %v\n%s", p, debug.Stack()))
		}
		resp = fit(resp)
	}()
	if i == nil {
		return Ephemeral("That interaction was empty. Try the command again.")
	}
	q.guildID = i.GuildID
	if i.Member != nil && i.Member.User != nil {
		q.userID = i.Member.User.ID
	} else if i.User != nil {
		q.userID = i.User.ID
	}
	switch i.Type {
	case discordgo.InteractionPing:
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong}
	case discordgo.InteractionApplicationCommand:
		data, ok := i.Data.(discordgo.ApplicationCommandInteractionData)
		if !ok {
			return Ephemeral("That command arrived without its data. Try it again.")
		}
		q.command = data.Name
		q.opts = optionMap(data.Options)
		h, ok := r.handlers[data.Name]
		if !ok {
			return Ephemeral(fmt.Sprintf("I don't know the command /%s. Type /help to see what I can do.", escape(data.Name)))
		}
		return r.answer(ctx, q, h)
	case discordgo.InteractionApplicationCommandAutocomplete:
		data, ok := i.Data.(discordgo.ApplicationCommandInteractionData)
		if !ok {
			return autocompleteResult(nil)
		}
		q.command = data.Name
		q.opts = optionMap(data.Options)
		return r.autocomplete(ctx, q, data.Options)
	case discordgo.InteractionMessageComponent:
		data, ok := i.Data.(discordgo.MessageComponentInteractionData)
		if !ok {
			return Ephemeral("That button arrived without its data. Run the command again.")
		}
		q.command = "component"
		return r.component(ctx, q, data)
	}
	return Ephemeral("I can't answer that kind of interaction. Type /help to see what I can do.")
}

// answer runs a handler and turns its error into a response.
func (r *Router) answer(ctx context.Context, q *request, h handler) *discordgo.InteractionResponse {
	resp, err := h(ctx, q)
	if err != nil {
		return r.failure(ctx, q, err)
	}
	return resp
}

// optionMap indexes options by name, flattening nothing: the catalog has no
// subcommands.
func optionMap(opts []*discordgo.ApplicationCommandInteractionDataOption) map[string]*discordgo.ApplicationCommandInteractionDataOption {
	m := make(map[string]*discordgo.ApplicationCommandInteractionDataOption, len(opts))
	for _, o := range opts {
		if o != nil {
			m[o.Name] = o
		}
	}
	return m
}

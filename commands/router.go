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
	"strings"
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
	// OwnerIDs are the operators who may edit the global library.
	OwnerIDs []string
	// Curator stores moderators' work (drafts, audit log, settings); nil
	// leaves the moderation commands out of the catalog.
	Curator briefings.Curator
	// Subscriptions stores digest subscriptions; nil leaves the
	// subscription commands out of the catalog.
	Subscriptions briefings.Subscriptions
	// Model phrases answers and drafts; nil keeps the deterministic answers.
	Model briefings.Model
	// Embedder adds to /ask the records nearest a question in meaning
	// (hybrid retrieval) when the library keeps vectors; nil finds them by
	// words alone.
	Embedder briefings.Embedder
	// Feedback keeps members' 👍 and 👎 on model answers and the review
	// list; nil (or no Model) leaves the buttons out.
	Feedback briefings.FeedbackStore
	// Attachments fetches files attached to commands (/briefing import);
	// nil turns importing from Discord off.
	Attachments Attachments
	// Articles fetches articles from links (/briefing add url:); nil
	// leaves the option out of the catalog.
	Articles Articles
	// Feeds stores the news feeds servers follow; nil (or no Curator)
	// leaves /feed out of the catalog.
	Feeds briefings.FeedStore
	// FeedsPerGuild caps the feeds one server may follow; 0 means
	// briefings.DefaultFeedsPerGuild.
	FeedsPerGuild int
	// PublicURL is the reading room's public address, such as
	// https://briefs.example.org; when set, a global briefing's embed
	// links to its page there, and so do citations [n] of /timeline,
	// /actor and /event. Empty means no links to the reading room.
	PublicURL string
	// Rooms stores the servers' reading rooms, which /settings turns on
	// and off; nil (or no Curator) leaves those options out, and only the
	// global library is linked to.
	Rooms briefings.ReadingRooms
	// AnswerCache is how many rendered answers of the read-only commands
	// (and autocomplete lists) to keep and serve again until the library
	// changes, such as DefaultAnswerCache; 0 keeps none. It needs a
	// library that counts its writes (LibraryVersion, as db.DB does), and
	// is off without one.
	AnswerCache int
}

// Router answers interactions from the library.
type Router struct {
	lib      briefings.Library
	log      *slog.Logger
	now      func() time.Time
	opts     Options
	handlers map[string]handler
	// components and modals answer custom IDs by their kind (the part
	// before the first colon) for features that own their IDs.
	components map[string]handler
	modals     map[string]handler
	// completers answer autocomplete for "command option" keys beyond the
	// library's names.
	completers map[string]completer
	// extra are the catalog entries of the optional features.
	extra []*discordgo.ApplicationCommand // maxLen is the longest text each string option takes, by "command
	// sub option" key, as the catalog declares it.
	maxLen map[string]int
	// answers keeps rendered answers (Options.AnswerCache); nil when off.
	answers *answerCache
}

// completer returns the choices for a focused option's text, best first.
type completer func(ctx context.Context, q *request, text string) ([]*discordgo.ApplicationCommandOptionChoice, error)

// New returns a Router over lib.
func New(lib briefings.Library, opts Options) *Router {
	r := &Router{lib: lib, log: opts.Logger, now: opts.Now, opts: opts,
		components: map[string]handler{}, modals: map[string]handler{}, completers: map[string]completer{}}
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
	r.components[idFacts] = r.factsPage
	r.registerCuration()
	r.registerSubscriptions()
	r.registerModel()
	r.registerFeeds()
	r.maxLen = optionLimits(r.Commands())
	if _, ok := lib.(versioned); ok && opts.AnswerCache > 0 {
		r.answers = newAnswerCache(opts.AnswerCache)
	}
	return r
}

// Commands returns the catalog as application-command definitions, ready for
// a bulk overwrite.
func (r *Router) Commands() []*discordgo.ApplicationCommand {
	return append(catalog(), r.extra...)
}

// request is one interaction as the handlers see it: where it comes from and
// what it asks, decoded once.
type request struct {
	// progress shows partial answers; nil when the transport can't.
	progress Progress
	// guildID selects the library; empty in direct messages (global only).
	guildID string
	// userID is who asked, for logs only.
	userID string
	// command is the slash command's name, or the custom ID's kind.
	command string
	// sub is the subcommand path under command, e.g. "fact add"; empty for
	// commands without subcommands.
	sub string
	// opts are the (sub)command's options by name.
	opts map[string]*discordgo.ApplicationCommandInteractionDataOption
	// i is the whole interaction, for the member's permissions, the
	// channel, and component or modal data.
	i *discordgo.Interaction
	// arg is what follows the kind in a feature's custom ID.
	arg string
}

// member returns the guild member who sent the interaction, or nil in a DM.
func (q *request) member() *discordgo.Member { return q.i.Member }

// channelID returns the channel the interaction came from.
func (q *request) channelID() string { return q.i.ChannelID }

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
// It answers once, showing no partial answer (see HandleWithProgress).
func (r *Router) Handle(ctx context.Context, i *discordgo.Interaction) *discordgo.InteractionResponse {
	return r.HandleWithProgress(ctx, i, nil)
}

// HandleWithProgress answers i as Handle does; a transport that deferred
// the interaction passes progress to show partial answers while the
// handler works (nil shows none).
func (r *Router) HandleWithProgress(ctx context.Context, i *discordgo.Interaction, progress Progress) (resp *discordgo.InteractionResponse) {
	q := &request{progress: progress}
	defer func() {
		if p := recover(); p != nil {
			resp = r.internal(ctx, q, fmt.Errorf("panic: %v\n%s", p, debug.Stack()))
		}
		resp = fit(resp)
	}()
	if i == nil {
		return Ephemeral("That interaction was empty. Try the command again.")
	}
	q.i = i
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
		q.sub, q.opts = flattenOptions(data.Options)
		h, ok := r.handlers[data.Name]
		if !ok {
			return Ephemeral(fmt.Sprintf("I don't know the command /%s. Type /help to see what I can do.", escape(data.Name)))
		}
		if err := r.checkLengths(q, false); err != nil {
			return r.failure(ctx, q, err)
		}
		return r.answerCached(ctx, q, h)
	case discordgo.InteractionApplicationCommandAutocomplete:
		data, ok := i.Data.(discordgo.ApplicationCommandInteractionData)
		if !ok {
			return autocompleteResult(nil)
		}
		q.command = data.Name
		q.sub, q.opts = flattenOptions(data.Options)
		if r.checkLengths(q, true) != nil {
			return autocompleteResult(nil) // nothing matches text that long
		}
		return r.autocomplete(ctx, q)
	case discordgo.InteractionMessageComponent:
		data, ok := i.Data.(discordgo.MessageComponentInteractionData)
		if !ok {
			return Ephemeral("That button arrived without its data. Run the command again.")
		}
		q.command = "component"
		return r.component(ctx, q, data)
	case discordgo.InteractionModalSubmit:
		data, ok := i.Data.(discordgo.ModalSubmitInteractionData)
		if !ok {
			return Ephemeral("That form arrived without its data. Open it again.")
		}
		kind, arg, _ := strings.Cut(data.CustomID, ":")
		h, ok := r.modals[kind]
		if !ok {
			return Ephemeral("I don't recognise that form; it may come from an older version of me. Run the command again.")
		}
		q.command, q.arg = kind, arg
		return r.answer(ctx, q, h)
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

// flattenOptions descends through subcommand groups and subcommands,
// returning their path ("fact add") and the leaf options by name.
func flattenOptions(opts []*discordgo.ApplicationCommandInteractionDataOption) (string, map[string]*discordgo.ApplicationCommandInteractionDataOption) {
	var path []string
	for len(opts) == 1 && opts[0] != nil &&
		(opts[0].Type == discordgo.ApplicationCommandOptionSubCommand || opts[0].Type == discordgo.ApplicationCommandOptionSubCommandGroup) {
		path = append(path, opts[0].Name)
		opts = opts[0].Options
	}
	return strings.Join(path, " "), optionMap(opts)
}

// optionMap indexes options by name.
func optionMap(opts []*discordgo.ApplicationCommandInteractionDataOption) map[string]*discordgo.ApplicationCommandInteractionDataOption {
	m := make(map[string]*discordgo.ApplicationCommandInteractionDataOption, len(opts))
	for _, o := range opts {
		if o != nil {
			m[o.Name] = o
		}
	}
	return m
}

// maxOptionText is Discord's own limit on a string option's value, which
// stands for options the catalog sets no limit on.
const maxOptionText = 6000

// optionLimits indexes the declared maximum length of every string option
// of cmds by "command sub option".
func optionLimits(cmds []*discordgo.ApplicationCommand) map[string]int {
	m := map[string]int{}
	var walk func(path string, opts []*discordgo.ApplicationCommandOption)
	walk = func(path string, opts []*discordgo.ApplicationCommandOption) {
		for _, o := range opts {
			switch o.Type {
			case discordgo.ApplicationCommandOptionSubCommand, discordgo.ApplicationCommandOptionSubCommandGroup:
				walk(path+" "+o.Name, o.Options)
			case discordgo.ApplicationCommandOptionString:
				if o.MaxLength > 0 {
					m[path+" "+o.Name] = o.MaxLength
				}
			}
		}
	}
	for _, c := range cmds {
		walk(c.Name, c.Options)
	}
	return m
}

// checkLengths refuses a string option longer than the catalog allows,
// before any handler parses it: Discord enforces the limits for its own
// clients, but the console and crafted payloads do not pass through it. The
// option being typed into (focused, for autocomplete) is held to the same
// limit.
func (r *Router) checkLengths(q *request, onlyFocused bool) error {
	path := q.command
	if q.sub != "" {
		path += " " + q.sub
	}
	for name, o := range q.opts {
		s, ok := o.Value.(string)
		if !ok || (onlyFocused && !o.Focused) {
			continue
		}
		limit := maxOptionText
		if n, ok := r.maxLen[path+" "+name]; ok {
			limit = n
		}
		if len(s) <= limit {
			continue
		}
		if n := textLen(s); n > limit {
			return userError("The %s option takes at most %d characters; yours has %d. Shorten it and try again.", name, limit, n)
		}
	}
	return nil
}

// AnswersPrivately reports whether every answer to i is ephemeral, so that
// a transport can make its deferral ephemeral too and a slow answer never
// passes through a placeholder the whole channel sees: the moderators'
// /briefing (drafts, previews, history, exports), the admins' /settings,
// and the submitted briefing form, whose answer is an unpublished draft.
func (r *Router) AnswersPrivately(i *discordgo.Interaction) bool {
	if i == nil {
		return false
	}
	switch i.Type {
	case discordgo.InteractionApplicationCommand:
		data, ok := i.Data.(discordgo.ApplicationCommandInteractionData)
		return ok && (data.Name == cmdBriefing || data.Name == cmdSettings)
	case discordgo.InteractionModalSubmit:
		data, ok := i.Data.(discordgo.ModalSubmitInteractionData)
		kind, _, _ := strings.Cut(data.CustomID, ":")
		return ok && kind == idForm
	}
	return false
}

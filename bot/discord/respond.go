package discord

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"sync"
	"time"

	"briefbot/commands"

	"github.com/bwmarrin/discordgo"
)

// Router is what the Discord runtimes need from the command router;
// *commands.Router implements it. Tests wrap it to slow down or break
// handlers.
type Router interface {
	// Commands returns the catalog, registered with a bulk overwrite.
	Commands() []*discordgo.ApplicationCommand
	// HandleWithProgress answers one interaction, showing partial
	// answers through progress while it works.
	HandleWithProgress(ctx context.Context, i *discordgo.Interaction, progress commands.Progress) *discordgo.InteractionResponse
}

// privacyOracle is implemented by routers that can tell, before a handler
// has finished, that its answer will be private. The runtimes then make the
// deferral itself ephemeral, so that the answer never passes through a
// placeholder everyone can see. *commands.Router implements it.
type privacyOracle interface {
	// AnswersPrivately reports whether every answer to i is ephemeral.
	AnswersPrivately(i *discordgo.Interaction) bool
}

// Defaults of the runtimes' timing knobs.
const (
	// DefaultDeferAfter is how long a handler may run before the runtime
	// sends a deferral: Discord drops an interaction that has no first
	// response after 3 s, and the deferral itself needs a round trip.
	DefaultDeferAfter = 2 * time.Second
	// AutocompleteBudget is how long autocomplete may take before the
	// runtime answers an empty list instead and cancels the handler:
	// Discord cannot defer autocomplete and drops it after 3 s, and a
	// list that arrives a second after the keystroke is already stale.
	// It is less than a second because the answer still has to get back
	// on a busy machine: with a budget of 1 s, serve at concurrency 128
	// had lists reach the client up to 1.09 s after they were asked for.
	AutocompleteBudget = 800 * time.Millisecond
	// DefaultHandlerTimeout bounds one handler. An interaction token stays
	// valid for 15 minutes; nothing the bot does should take this long.
	DefaultHandlerTimeout = 5 * time.Minute
	// DefaultDrainTimeout bounds how long a shutdown waits for in-flight
	// interactions.
	DefaultDrainTimeout = 10 * time.Second
)

// Messages the runtimes send on their own, written for the person who
// pressed the button.
const (
	msgRestarting = "I'm restarting right now. Try again in a minute."
	msgTooSlow    = "That took too long and I gave up. Try again, or narrow it down."
	msgCantModal  = "That needed a form I could no longer open. Run the command again."
	// msgPrivateAnswer replaces a public placeholder that could not be
	// removed when the answer turns out to be private.
	msgPrivateAnswer = "The answer to this is only for the person who asked."
)

// replier carries the responses of one interaction back to Discord: over the
// gateway's REST calls, or as the HTTP response and then the webhook.
type replier interface {
	// reply sends the interaction's first response.
	reply(ctx context.Context, resp *discordgo.InteractionResponse) error
	// edit replaces the original response, after a deferral.
	edit(ctx context.Context, resp *discordgo.InteractionResponse) error
	// followup sends resp as a new message under the interaction; the
	// private answer to a deferral that everyone could see goes this way.
	followup(ctx context.Context, resp *discordgo.InteractionResponse) error
	// deleteOriginal removes the original response.
	deleteOriginal(ctx context.Context) error
}

// dispatcher runs interactions through the router within Discord's
// deadline, deferring when the router is slow, and records the outcome.
type dispatcher struct {
	router     Router
	log        *slog.Logger
	metrics    *Metrics
	deferAfter time.Duration
	deferNow   func(*discordgo.Interaction) bool
	// privately, when set, says which interactions get an ephemeral
	// deferral (see privacyOracle).
	privately func(*discordgo.Interaction) bool
	timeout   time.Duration
	// names are the catalog's command names, so that metric labels stay
	// bounded whatever arrives.
	names map[string]bool

	// replays remembers the interactions handled (replay.go).
	replays replayGuard

	// mu guards closing against wg.Add racing wg.Wait.
	mu      sync.Mutex
	closing bool
	wg      sync.WaitGroup
}

// newDispatcher builds a dispatcher, filling in defaults.
func newDispatcher(router Router, log *slog.Logger, m *Metrics, deferAfter, timeout time.Duration, deferNow func(*discordgo.Interaction) bool) *dispatcher {
	if deferAfter <= 0 {
		deferAfter = DefaultDeferAfter
	}
	if timeout <= 0 {
		timeout = DefaultHandlerTimeout
	}
	d := &dispatcher{router: router, log: log, metrics: m, deferAfter: deferAfter, timeout: timeout,
		deferNow: deferNow, names: map[string]bool{}}
	if router != nil {
		for _, c := range router.Commands() {
			d.names[c.Name] = true
		}
	}
	if o, ok := router.(privacyOracle); ok {
		d.privately = o.AnswersPrivately
	}
	return d
}

// begin registers one in-flight interaction; it reports false once the
// dispatcher is draining. Every true must be matched by end.
func (d *dispatcher) begin() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closing {
		return false
	}
	d.wg.Add(1)
	return true
}

// end marks one in-flight interaction done.
func (d *dispatcher) end() { d.wg.Done() }

// stopTaking turns every new interaction away from now on, politely.
func (d *dispatcher) stopTaking() {
	d.mu.Lock()
	d.closing = true
	d.mu.Unlock()
}

// drain stops new interactions and waits for the in-flight ones until ctx
// ends. It reports whether all of them finished.
func (d *dispatcher) drain(ctx context.Context) bool {
	d.stopTaking()
	done := make(chan struct{})
	go func() {
		d.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return true
	case <-ctx.Done():
		return false
	}
}

// result is what a handler produced.
type result struct {
	resp     *discordgo.InteractionResponse
	panicked bool
}

// dispatch answers one interaction through rep. ctx bounds the work (it
// outlives the HTTP request or gateway event that brought the interaction).
// It returns once the final response is delivered or has failed.
func (d *dispatcher) dispatch(ctx context.Context, i *discordgo.Interaction, rep replier) {
	start := time.Now()
	kind, command := d.labels(i)
	log := d.log.With("interaction", i.ID, "kind", kind, "command", command, "guild", i.GuildID)
	if d.replayed(ctx, log, i, rep, kind, command, start) {
		return
	}

	if !d.begin() {
		err := rep.reply(ctx, rejection(i))
		d.finish(log, kind, command, OutcomeRejected, start, err, "respond")
		return
	}
	defer d.end()

	ctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	progress := &progressEditor{rep: rep, every: ProgressEvery}
	show := func(partial *discordgo.InteractionResponse) { progress.show(ctx, partial) }
	done := make(chan result, 1)
	go func() {
		r := d.call(ctx, log, i, show)
		d.replays.answered(i.ID, r.resp)
		done <- r
	}()

	deferNow := d.deferNow != nil && d.deferNow(i) && canDefer(i)
	if !deferNow {
		wait := d.deferAfter
		if !canDefer(i) {
			wait = min(wait, AutocompleteBudget)
		}
		timer := time.NewTimer(wait)
		select {
		case r := <-done:
			timer.Stop()
			d.finish(log, kind, command, outcome(r, OutcomeAnswered), start, rep.reply(ctx, r.resp), "respond")
			return
		case <-timer.C:
		}
		if !canDefer(i) {
			// Autocomplete can't be deferred, and a list that comes after
			// the member has typed on is no use: under load, shed the work
			// (cancel the handler's queries) and answer an empty list in
			// time rather than a full one late.
			cancel()
			d.finish(log, kind, command, OutcomeShed, start, rep.reply(context.WithoutCancel(ctx), noChoices()), "respond")
			return
		}
	}

	privateFirst := d.privately != nil && d.privately(i)
	if err := rep.reply(ctx, deferral(i, privateFirst)); err != nil {
		d.finish(log, kind, command, OutcomeFailed, start, fmt.Errorf("send deferral: %w", err), "respond")
		return
	}
	log.Debug("interaction deferred", "after", time.Since(start), "ephemeral", privateFirst)
	progress.begin()
	var r result
	select {
	case r = <-done:
	case <-ctx.Done():
		r = result{resp: commands.Ephemeral(msgTooSlow)}
		log.Warn("handler did not finish in time", "timeout", d.timeout)
	}
	resp := r.resp
	if resp.Type == discordgo.InteractionResponseModal {
		resp = commands.Ephemeral(msgCantModal)
	}
	// The edit gets its own short deadline: the handler may have used up
	// ctx, and the user is still waiting for the message.
	ectx, ecancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer ecancel()
	progress.finish(ectx)
	switch {
	case !private(resp) || privateFirst:
		// An ephemeral placeholder keeps whatever replaces it private.
		d.finish(log, kind, command, outcome(r, OutcomeDeferred), start, rep.edit(ectx, resp), "edit")
	case i.Type == discordgo.InteractionMessageComponent:
		// A button's silent deferral made no message: the follow-up is
		// a message of its own, and the button's message stays as it was.
		d.finish(log, kind, command, outcome(r, OutcomeDeferred), start, rep.followup(ectx, resp), "followup")
	default:
		d.finish(log, kind, command, outcome(r, OutcomeDeferred), start, sendPrivately(ectx, log, rep, resp), "followup")
	}
}

// sendPrivately delivers a private answer (an error, a preview only the
// moderator may see) after a public deferral. Neither a deferral nor an
// edit can be made private afterwards, so the answer goes as an ephemeral
// follow-up. But while the placeholder is still loading, Discord turns that
// follow-up into an edit of the placeholder and ignores the ephemeral flag:
// the placeholder must be gone first. It is deleted, or if that fails,
// replaced by a neutral public line; if that fails too, nothing private is
// sent, whatever the user then sees.
func sendPrivately(ctx context.Context, log *slog.Logger, rep replier, resp *discordgo.InteractionResponse) error {
	if err := rep.deleteOriginal(ctx); err != nil {
		log.Warn("could not remove the public placeholder; replacing it before answering privately", "err", err)
		neutral := &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Content: msgPrivateAnswer},
		}
		if eerr := rep.edit(ctx, neutral); eerr != nil {
			return fmt.Errorf("private answer withheld: the public placeholder could be neither removed (%v) nor replaced: %w", err, eerr)
		}
	}
	return rep.followup(ctx, resp)
}

// private reports whether resp is a message only its recipient may see.
func private(resp *discordgo.InteractionResponse) bool {
	return resp != nil && resp.Data != nil && resp.Data.Flags&discordgo.MessageFlagsEphemeral != 0 &&
		(resp.Type == discordgo.InteractionResponseChannelMessageWithSource || resp.Type == discordgo.InteractionResponseUpdateMessage)
}

// followupOf turns a response into a follow-up message with mentions off,
// ephemeral when the response is private.
func followupOf(resp *discordgo.InteractionResponse) *discordgo.WebhookParams {
	var d discordgo.InteractionResponseData
	if resp != nil && resp.Data != nil {
		d = *resp.Data
	}
	return &discordgo.WebhookParams{
		Content:         d.Content,
		Embeds:          d.Embeds,
		Components:      d.Components,
		Files:           d.Files,
		Flags:           d.Flags & (discordgo.MessageFlagsEphemeral | discordgo.MessageFlagsSuppressEmbeds),
		AllowedMentions: noMentions(),
	}
}

// outcome is the metric outcome of a result that was delivered.
func outcome(r result, delivered string) string {
	if r.panicked {
		return OutcomePanic
	}
	return delivered
}

// finish logs and counts the end of one interaction.
func (d *dispatcher) finish(log *slog.Logger, kind, command, out string, start time.Time, err error, where string) {
	took := time.Since(start)
	if err != nil {
		d.metrics.Fail(where)
		d.metrics.observe(kind, command, OutcomeFailed, took)
		log.Error("interaction response failed", "outcome", out, "took", took, "err", err)
		return
	}
	d.metrics.observe(kind, command, out, took)
	log.Info("interaction answered", "outcome", out, "took", took)
}

// call runs the router, turning a panic into an apology with an error ID
// that is also logged, so a user's report can be matched to the stack.
func (d *dispatcher) call(ctx context.Context, log *slog.Logger, i *discordgo.Interaction, progress commands.Progress) (r result) {
	defer func() {
		if p := recover(); p != nil {
			id := commands.ErrorID()
			d.metrics.Fail("panic")
			log.Error("handler panicked", "error_id", id, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			r = result{resp: apology(i, id), panicked: true}
		}
	}()
	resp := d.router.HandleWithProgress(ctx, i, progress)
	if resp == nil {
		panic(errors.New("router returned no response"))
	}
	return result{resp: resp}
}

// labels names an interaction for metrics and logs: its kind and, for
// commands, the command's name when it is in the catalog.
func (d *dispatcher) labels(i *discordgo.Interaction) (kind, command string) {
	name := func() string {
		data, ok := i.Data.(discordgo.ApplicationCommandInteractionData)
		if ok && d.names[data.Name] {
			return data.Name
		}
		return "unknown"
	}
	switch i.Type {
	case discordgo.InteractionPing:
		return "ping", "ping"
	case discordgo.InteractionApplicationCommand:
		return "command", name()
	case discordgo.InteractionApplicationCommandAutocomplete:
		return "autocomplete", name()
	case discordgo.InteractionMessageComponent:
		return "component", "component"
	case discordgo.InteractionModalSubmit:
		return "modal", "modal"
	}
	return "unknown", "unknown"
}

// canDefer reports whether Discord accepts a deferral for the interaction:
// autocomplete and pings must be answered directly.
func canDefer(i *discordgo.Interaction) bool {
	switch i.Type {
	case discordgo.InteractionApplicationCommand, discordgo.InteractionMessageComponent, discordgo.InteractionModalSubmit:
		return true
	}
	return false
}

// deferral is the placeholder first response: "thinking…" for a command or
// a modal, only the asker sees when ephemeral; a silent acknowledgement for
// a button, whose message the final response then edits in place.
func deferral(i *discordgo.Interaction, ephemeral bool) *discordgo.InteractionResponse {
	if i.Type == discordgo.InteractionMessageComponent {
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}
	}
	resp := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}
	if ephemeral {
		resp.Data = &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral}
	}
	return resp
}

// wireResponse is resp as it goes to Discord. discordgo sends every field
// of its response data, message fields included, and leaves out an empty
// choices list; an autocomplete result must carry choices, an empty list
// when nothing matches, and nothing else. A deferral carries at most its
// flags.
func wireResponse(resp *discordgo.InteractionResponse) any {
	type choicesData struct {
		Choices []*discordgo.ApplicationCommandOptionChoice `json:"choices"`
	}
	type flagsData struct {
		Flags discordgo.MessageFlags `json:"flags"`
	}
	switch resp.Type {
	case discordgo.InteractionApplicationCommandAutocompleteResult:
		choices := []*discordgo.ApplicationCommandOptionChoice{}
		if resp.Data != nil && resp.Data.Choices != nil {
			choices = resp.Data.Choices
		}
		return struct {
			Type discordgo.InteractionResponseType `json:"type"`
			Data choicesData                       `json:"data"`
		}{resp.Type, choicesData{choices}}
	case discordgo.InteractionResponseDeferredChannelMessageWithSource, discordgo.InteractionResponseDeferredMessageUpdate:
		out := struct {
			Type discordgo.InteractionResponseType `json:"type"`
			Data *flagsData                        `json:"data,omitempty"`
		}{Type: resp.Type}
		if resp.Data != nil && resp.Data.Flags != 0 {
			out.Data = &flagsData{resp.Data.Flags}
		}
		return out
	}
	return resp
}

// respondREST sends resp as the interaction's first response through the
// session's REST API, in wireResponse's shape.
func respondREST(ctx context.Context, s *discordgo.Session, i *discordgo.Interaction, resp *discordgo.InteractionResponse, opts ...discordgo.RequestOption) error {
	opts = append(opts, discordgo.WithContext(ctx))
	body := wireResponse(resp)
	if body == any(resp) {
		return s.InteractionRespond(i, resp, opts...)
	}
	endpoint := discordgo.EndpointInteractionResponse(i.ID, i.Token)
	_, err := s.RequestWithBucketID(http.MethodPost, endpoint, body, endpoint, opts...)
	return err
}

// rejection answers an interaction that arrives while the bot shuts down.
func rejection(i *discordgo.Interaction) *discordgo.InteractionResponse {
	switch i.Type {
	case discordgo.InteractionPing:
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong}
	case discordgo.InteractionApplicationCommandAutocomplete:
		return noChoices()
	}
	return commands.Ephemeral(msgRestarting)
}

// apology answers an interaction whose handler panicked.
func apology(i *discordgo.Interaction, id string) *discordgo.InteractionResponse {
	if i.Type == discordgo.InteractionApplicationCommandAutocomplete {
		return noChoices()
	}
	return commands.Ephemeral(fmt.Sprintf("Sorry, something went wrong on my side (error ID %s). "+
		"Try again in a moment; if it keeps happening, give this ID to whoever runs the bot.", id))
}

// noChoices is an empty autocomplete result.
func noChoices() *discordgo.InteractionResponse {
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: []*discordgo.ApplicationCommandOptionChoice{}},
	}
}

// noMentions allows no mention to ping anyone.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// editOf turns a response into the edit that completes a deferral. An edit
// replaces content, embeds and components, so they are always sent (empty
// rather than absent) and nothing of the placeholder survives; mentions stay
// off whatever the response said.
func editOf(resp *discordgo.InteractionResponse) *discordgo.WebhookEdit {
	var d discordgo.InteractionResponseData
	if resp != nil && resp.Data != nil {
		d = *resp.Data
	}
	content := d.Content
	embeds := d.Embeds
	if embeds == nil {
		embeds = []*discordgo.MessageEmbed{}
	}
	components := d.Components
	if components == nil {
		components = []discordgo.MessageComponent{}
	}
	return &discordgo.WebhookEdit{
		Content:         &content,
		Embeds:          &embeds,
		Components:      &components,
		Files:           d.Files,
		Attachments:     d.Attachments,
		AllowedMentions: noMentions(),
	}
}

// withNoMentions returns resp with mentions switched off, copying the data
// rather than changing the router's value.
func withNoMentions(resp *discordgo.InteractionResponse) *discordgo.InteractionResponse {
	if resp == nil || resp.Data == nil {
		return resp
	}
	switch resp.Type {
	case discordgo.InteractionResponseChannelMessageWithSource, discordgo.InteractionResponseUpdateMessage,
		discordgo.InteractionResponseDeferredChannelMessageWithSource:
	default:
		return resp
	}
	data := *resp.Data
	data.AllowedMentions = noMentions()
	return &discordgo.InteractionResponse{Type: resp.Type, Data: &data}
}

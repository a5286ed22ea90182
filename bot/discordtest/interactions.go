package discordtest

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Interaction deadlines Discord enforces.
const (
	// ResponseDeadline is how long after dispatch the first response may come.
	ResponseDeadline = 3 * time.Second
	// TokenLifetime is how long the interaction token allows edits and follow-ups.
	TokenLifetime = 15 * time.Minute
)

// interaction is the fake's record of one dispatched interaction.
type interaction struct {
	i        *discordgo.Interaction
	sentAt   time.Time
	response *discordgo.InteractionResponse // the accepted first response
	failure  string                         // why the first response attempt was rejected
	// answering is set while PostInteraction waits for the bot's HTTP
	// answer, whose webhook calls then wait for it to be recorded.
	answering bool
	original  *discordgo.Message
	followups []*discordgo.Message
}

// prepare fills the IDs and token the fake owns and records the interaction.
func (s *Server) prepare(i *discordgo.Interaction) *interaction {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i.ID == "" {
		i.ID = s.newID()
	}
	if i.Token == "" {
		i.Token = "aW50ZXJhY3Rpb246" + i.ID + ":" + s.newID()
	}
	if i.AppID == "" {
		i.AppID = AppID
	}
	if i.Version == 0 {
		i.Version = 1
	}
	in := &interaction{i: i, sentAt: s.opts.now().Add(s.offset)}
	s.inters[i.ID] = in
	s.byToken[i.Token] = in
	return in
}

// SendInteraction dispatches INTERACTION_CREATE with i over the gateway
// (waiting for a session to be READY) and returns the interaction's ID. It
// fills ID, Token and AppID when empty. The 3-second response deadline
// starts now. It fails the test if ctx ends first, so call it from the test
// goroutine.
func (s *Server) SendInteraction(ctx context.Context, i *discordgo.Interaction) string {
	s.t.Helper()
	s.prepare(i)
	if err := s.Dispatch(ctx, "INTERACTION_CREATE", interactionJSON(i)); err != nil {
		s.t.Fatalf("discordtest: send interaction: %v", err)
	}
	return i.ID
}

// AwaitResponse waits for the first response to an interaction (the
// callback) and returns it. If the first attempt was rejected (too late,
// invalid), it returns an error saying why.
func (s *Server) AwaitResponse(ctx context.Context, interactionID string) (*discordgo.InteractionResponse, error) {
	var resp *discordgo.InteractionResponse
	var failure string
	err := s.Await(ctx, func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		in := s.inters[interactionID]
		if in == nil {
			return false
		}
		resp, failure = in.response, in.failure
		return resp != nil || failure != ""
	})
	if err != nil {
		return nil, fmt.Errorf("await response to %s: %w", interactionID, err)
	}
	if resp == nil {
		return nil, fmt.Errorf("response to %s rejected: %s", interactionID, failure)
	}
	return resp, nil
}

// Original returns the interaction's original response message as it stands
// now (after edits), or nil when there is none: no response yet, a response
// that makes no message (autocomplete, modal), or a deleted one. After a
// deferred response it has the Loading flag until the first edit.
func (s *Server) Original(interactionID string) *discordgo.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	if in := s.inters[interactionID]; in != nil && in.original != nil {
		cp := *in.original
		return &cp
	}
	return nil
}

// AwaitOriginal waits until the interaction's original message exists and is
// no longer loading (a message response, or a deferred one that was
// edited), and returns it.
func (s *Server) AwaitOriginal(ctx context.Context, interactionID string) (*discordgo.Message, error) {
	var m *discordgo.Message
	err := s.Await(ctx, func() bool {
		m = s.Original(interactionID)
		return m != nil && m.Flags&discordgo.MessageFlagsLoading == 0
	})
	if err != nil {
		return nil, fmt.Errorf("await original of %s: %w", interactionID, err)
	}
	return m, nil
}

// Followups returns the follow-up messages of an interaction, oldest first.
func (s *Server) Followups(interactionID string) []*discordgo.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	if in := s.inters[interactionID]; in != nil {
		return slices.Clone(in.followups)
	}
	return nil
}

// interactionJSON renders an interaction as Discord sends it. discordgo's
// types do not marshal modal components (they are tagged "-"), so the data
// is rendered here.
func interactionJSON(i *discordgo.Interaction) json.RawMessage {
	type plain discordgo.Interaction
	var data any = i.Data
	if d, ok := i.Data.(discordgo.ModalSubmitInteractionData); ok {
		data = map[string]any{"custom_id": d.CustomID, "components": d.Components}
	}
	raw, err := json.Marshal(struct {
		*plain
		Data           any    `json:"data,omitempty"`
		AppPermissions string `json:"app_permissions"`
	}{(*plain)(i), data, fmt.Sprint(i.AppPermissions)})
	if err != nil {
		panic(fmt.Sprintf("discordtest: marshal interaction: %v", err))
	}
	return raw
}

// allowedResponses lists the callback types Discord accepts per interaction type.
func allowedResponses(i *discordgo.Interaction) []discordgo.InteractionResponseType {
	switch i.Type {
	case discordgo.InteractionPing:
		return []discordgo.InteractionResponseType{discordgo.InteractionResponsePong}
	case discordgo.InteractionApplicationCommand:
		return []discordgo.InteractionResponseType{4, 5, 9}
	case discordgo.InteractionMessageComponent:
		return []discordgo.InteractionResponseType{4, 5, 6, 7, 9}
	case discordgo.InteractionApplicationCommandAutocomplete:
		return []discordgo.InteractionResponseType{8}
	case discordgo.InteractionModalSubmit:
		if i.Message != nil {
			return []discordgo.InteractionResponseType{4, 5, 6, 7}
		}
		return []discordgo.InteractionResponseType{4, 5}
	}
	return nil
}

func (s *Server) callback(c *call) reply {
	id, token := c.seg[1], c.seg[2]
	s.mu.Lock()
	in := s.inters[id]
	now := s.opts.now().Add(s.offset)
	s.mu.Unlock()
	if in == nil || in.i.Token != token {
		return reject(plainError(http.StatusNotFound, 10062, "Unknown interaction"))
	}
	fail := func(e *apiError) reply {
		s.mu.Lock()
		if in.response == nil && in.failure == "" {
			in.failure = e.reason()
		}
		s.mu.Unlock()
		return reject(e)
	}
	if late := now.Sub(in.sentAt); late > ResponseDeadline {
		e := plainError(http.StatusNotFound, 10062, "Unknown interaction")
		e.reasons = []string{fmt.Sprintf("first response came %v after dispatch; Discord allows %v (defer first when work is slow)", late.Round(time.Millisecond), ResponseDeadline)}
		return fail(e)
	}
	body, e := object(c.body)
	if e != nil {
		return fail(e)
	}
	var typ discordgo.InteractionResponseType
	if err := json.Unmarshal(body["type"], &typ); err != nil {
		return fail(formError([]string{"type"}, "BASE_TYPE_REQUIRED", "This field is required"))
	}
	if !slices.Contains(allowedResponses(in.i), typ) {
		return fail(formError([]string{"type"}, "INTERACTION_RESPONSE_TYPE_INVALID",
			fmt.Sprintf("Response type %d is not valid for an interaction of type %s.", typ, in.i.Type)))
	}
	data := map[string]json.RawMessage{}
	if raw, ok := body["data"]; ok && string(raw) != "null" {
		if data, e = object(raw); e != nil {
			return fail(e)
		}
	}
	var notes []string
	if typ == discordgo.InteractionResponseChannelMessageWithSource || typ == discordgo.InteractionResponseUpdateMessage {
		e, notes = checkMessage([]string{"data"}, data, typ == discordgo.InteractionResponseChannelMessageWithSource, len(c.files))
		if e != nil {
			return fail(e)
		}
	}
	if e := checkResponseData(typ, data); e != nil {
		return fail(e)
	}
	if typ == discordgo.InteractionApplicationCommandAutocompleteResult {
		var d struct {
			Choices []json.RawMessage `json:"choices"`
		}
		_ = json.Unmarshal(body["data"], &d)
		if len(d.Choices) > maxChoices {
			return fail(formError([]string{"data", "choices"}, "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", maxChoices)))
		}
	}
	resp, err := decodeResponse(typ, data)
	if err != nil {
		return fail(formError([]string{"data"}, "BASE_TYPE_INVALID", err.Error()))
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if in.response != nil {
		return reject(plainError(http.StatusBadRequest, 40060, "Interaction has already been acknowledged."))
	}
	in.response = resp
	if err := s.applyResponse(in, typ, data, c.files); err != nil {
		return reject(formError([]string{"data"}, "BASE_TYPE_INVALID", err.Error()))
	}
	rp := reply{status: http.StatusNoContent, notes: notes}
	if c.r.URL.Query().Get("with_response") == "true" {
		res := map[string]any{"type": typ}
		if in.original != nil {
			res["message"] = in.original
		}
		rp = reply{status: http.StatusOK, notes: notes, body: map[string]any{
			"interaction": map[string]any{"id": in.i.ID, "type": in.i.Type, "response_message_loading": typ == 5},
			"resource":    res,
		}}
	}
	return rp
}

// applyResponse makes the messages a first response creates or changes;
// the caller holds s.mu.
func (s *Server) applyResponse(in *interaction, typ discordgo.InteractionResponseType, data map[string]json.RawMessage, files []File) error {
	i := in.i
	switch typ {
	case discordgo.InteractionResponseChannelMessageWithSource, discordgo.InteractionResponseDeferredChannelMessageWithSource:
		msg, err := s.newMessage(i.ChannelID, i.GuildID, data, files)
		if err != nil {
			return err
		}
		s.fromInteraction(msg, i)
		if typ == discordgo.InteractionResponseDeferredChannelMessageWithSource {
			msg.Content, msg.Embeds, msg.Components = "", nil, nil
			msg.Flags = msg.Flags&discordgo.MessageFlagsEphemeral | discordgo.MessageFlagsLoading
		}
		in.original = msg
		s.messages[i.ChannelID] = append(s.messages[i.ChannelID], msg)
	case discordgo.InteractionResponseDeferredMessageUpdate, discordgo.InteractionResponseUpdateMessage:
		target := s.findMessage(i.ChannelID, i.Message.ID)
		if target == nil {
			cp := *i.Message
			target = &cp
			s.messages[i.ChannelID] = append(s.messages[i.ChannelID], target)
		}
		if typ == discordgo.InteractionResponseUpdateMessage {
			if err := applyEdit(target, data); err != nil {
				return err
			}
			s.attach(target, files)
		}
		in.original = target
	}
	return nil
}

func (s *Server) fromInteraction(msg *discordgo.Message, i *discordgo.Interaction) {
	msg.Author = botUser()
	msg.WebhookID = AppID
	if i.Type == discordgo.InteractionApplicationCommand {
		msg.Type = discordgo.MessageTypeChatInputCommand
	}
	user := i.User
	if i.Member != nil {
		user = i.Member.User
	}
	meta := &discordgo.MessageInteractionMetadata{ID: i.ID, Type: i.Type, User: user}
	msg.InteractionMetadata = meta
}

// findMessage returns a channel's message by ID; the caller holds s.mu.
func (s *Server) findMessage(channelID, id string) *discordgo.Message {
	for _, m := range s.messages[channelID] {
		if m.ID == id {
			return m
		}
	}
	return nil
}

// decodeResponse turns a callback body into discordgo's type, whose
// components do not unmarshal on their own.
func decodeResponse(typ discordgo.InteractionResponseType, data map[string]json.RawMessage) (*discordgo.InteractionResponse, error) {
	resp := &discordgo.InteractionResponse{Type: typ}
	if len(data) == 0 {
		return resp, nil
	}
	raw, _ := json.Marshal(data)
	var d struct {
		TTS             bool                                        `json:"tts"`
		Content         string                                      `json:"content"`
		Embeds          []*discordgo.MessageEmbed                   `json:"embeds"`
		AllowedMentions *discordgo.MessageAllowedMentions           `json:"allowed_mentions"`
		Flags           discordgo.MessageFlags                      `json:"flags"`
		Choices         []*discordgo.ApplicationCommandOptionChoice `json:"choices"`
		CustomID        string                                      `json:"custom_id"`
		Title           string                                      `json:"title"`
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, fmt.Errorf("decode response data: %w", err)
	}
	var m discordgo.Message
	if c, ok := data["components"]; ok {
		if err := json.Unmarshal([]byte(`{"components":`+string(c)+`}`), &m); err != nil {
			return nil, fmt.Errorf("decode response components: %w", err)
		}
	}
	resp.Data = &discordgo.InteractionResponseData{
		TTS: d.TTS, Content: d.Content, Embeds: d.Embeds, AllowedMentions: d.AllowedMentions,
		Flags: d.Flags, Choices: d.Choices, CustomID: d.CustomID, Title: d.Title, Components: m.Components,
	}
	return resp, nil
}

// webhookInteraction finds the interaction behind an application webhook
// and checks that its token is still alive.
func (s *Server) webhookInteraction(c *call) (*interaction, *apiError) {
	if c.seg[1] != AppID {
		return nil, plainError(http.StatusNotFound, 10015, "Unknown Webhook (interaction webhooks use the application ID)")
	}
	s.mu.Lock()
	in := s.byToken[c.seg[2]]
	now := s.opts.now().Add(s.offset)
	s.mu.Unlock()
	if in == nil {
		return nil, plainError(http.StatusNotFound, 10015, "Unknown Webhook")
	}
	// A webhook call sent as soon as the bot's HTTP answer left may arrive
	// while PostInteraction is still reading that answer; Discord has
	// taken the answer by then, so wait for the fake to catch up.
	ctx, cancel := context.WithTimeout(c.r.Context(), time.Second)
	defer cancel()
	_ = s.Await(ctx, func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		return !in.answering || in.response != nil || in.failure != ""
	})
	if age := now.Sub(in.sentAt); age > TokenLifetime {
		e := plainError(http.StatusUnauthorized, 50027, "Invalid Webhook Token")
		e.reasons = []string{fmt.Sprintf("the interaction token expired: %v old, tokens live %v", age.Round(time.Second), TokenLifetime)}
		return nil, e
	}
	return in, nil
}

// followup creates a follow-up message. Right after a deferred channel
// message (type 5) whose placeholder still loads, Discord makes it an edit
// of the placeholder instead, keeping the placeholder's visibility and
// ignoring the ephemeral flag; the fake does the same, and records a
// violation when that turns a private follow-up into a public message.
func (s *Server) followup(c *call) reply {
	in, e := s.webhookInteraction(c)
	if e != nil {
		return reject(e)
	}
	body, e := object(c.body)
	if e != nil {
		return reject(e)
	}
	e, notes := checkMessage(nil, body, true, len(c.files))
	if e != nil {
		return reject(e)
	}
	var fe fieldErrors
	checkRows(&fe, nil, shapeOf(body))
	if fe.err != nil {
		return reject(fe.err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if in.response == nil {
		e := plainError(http.StatusNotFound, 10015, "Unknown Webhook")
		e.reasons = []string{"a follow-up came before the first response"}
		return reject(e)
	}
	if orig := in.original; orig != nil && orig.Flags&discordgo.MessageFlagsLoading != 0 &&
		in.response.Type == discordgo.InteractionResponseDeferredChannelMessageWithSource {
		edit := maps.Clone(body)
		delete(edit, "flags")
		if err := applyEdit(orig, edit); err != nil {
			return reject(formError(nil, "BASE_TYPE_INVALID", err.Error()))
		}
		s.attach(orig, c.files)
		orig.Flags &^= discordgo.MessageFlagsLoading
		t := s.opts.now().Add(s.offset).UTC()
		orig.EditedTimestamp = &t
		rp := reply{status: http.StatusOK, body: orig, notes: notes}
		if c.r.URL.Query().Get("wait") != "true" {
			rp.status, rp.body = http.StatusNoContent, nil
		}
		if shapeOf(body).Flags != nil && *shapeOf(body).Flags&discordgo.MessageFlagsEphemeral != 0 &&
			orig.Flags&discordgo.MessageFlagsEphemeral == 0 {
			rp.leak = "an ephemeral follow-up right after a public deferral edits the public placeholder: " +
				"the private message is now visible to the whole channel (remove or replace the placeholder first)"
		}
		return rp
	}
	msg, err := s.newMessage(in.i.ChannelID, in.i.GuildID, body, c.files)
	if err != nil {
		return reject(formError(nil, "BASE_TYPE_INVALID", err.Error()))
	}
	s.fromInteraction(msg, in.i)
	in.followups = append(in.followups, msg)
	s.messages[msg.ChannelID] = append(s.messages[msg.ChannelID], msg)
	if c.r.URL.Query().Get("wait") != "true" {
		return reply{status: http.StatusNoContent, notes: notes}
	}
	return reply{status: http.StatusOK, body: msg, notes: notes}
}

func (s *Server) webhookMessage(c *call) reply {
	in, e := s.webhookInteraction(c)
	if e != nil {
		return reject(e)
	}
	var body map[string]json.RawMessage
	var notes []string
	if c.r.Method == http.MethodPatch {
		if body, e = object(c.body); e != nil {
			return reject(e)
		}
		if e, notes = checkMessage(nil, body, false, len(c.files)); e != nil {
			return reject(e)
		}
		var fe fieldErrors
		if checkRows(&fe, nil, shapeOf(body)); fe.err != nil {
			return reject(fe.err)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	msg := in.original
	if id := c.seg[4]; id != "@original" {
		msg = nil
		for _, f := range in.followups {
			if f.ID == id {
				msg = f
			}
		}
		if in.original != nil && in.original.ID == id {
			msg = in.original
		}
	}
	if msg == nil {
		return reject(plainError(http.StatusNotFound, 10008, "Unknown Message"))
	}
	switch c.r.Method {
	case http.MethodGet:
		return ok(msg)
	case http.MethodDelete:
		s.deleteMessage(in, msg)
		return reply{status: http.StatusNoContent}
	}
	if err := applyEdit(msg, body); err != nil {
		return reject(formError(nil, "BASE_TYPE_INVALID", err.Error()))
	}
	s.attach(msg, c.files)
	msg.Flags &^= discordgo.MessageFlagsLoading
	t := s.opts.now().Add(s.offset).UTC()
	msg.EditedTimestamp = &t
	return reply{status: http.StatusOK, body: msg, notes: notes}
}

// deleteMessage removes a message everywhere; the caller holds s.mu.
func (s *Server) deleteMessage(in *interaction, msg *discordgo.Message) {
	if in.original == msg {
		in.original = nil
	}
	in.followups = slices.DeleteFunc(in.followups, func(m *discordgo.Message) bool { return m == msg })
	s.messages[msg.ChannelID] = slices.DeleteFunc(s.messages[msg.ChannelID], func(m *discordgo.Message) bool { return m == msg })
}

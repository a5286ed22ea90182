package discordtest

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

// apiError is a Discord-shaped error answer: {"code", "message", "errors"}.
type apiError struct {
	status  int
	Code    int            `json:"code"`
	Message string         `json:"message"`
	Errors  map[string]any `json:"errors,omitempty"`
	reasons []string       // what the violation says, for people
}

func (e *apiError) reason() string {
	if len(e.reasons) == 0 {
		return e.Message
	}
	return e.Message + ": " + strings.Join(e.reasons, "; ")
}

// formError starts a 400 Invalid Form Body (50035) error with one field error
// at path (nil for the whole body), nested as Discord nests them.
func formError(path []string, code, msg string) *apiError {
	e := &apiError{status: 400, Code: 50035, Message: "Invalid Form Body", Errors: map[string]any{}}
	e.add(path, code, msg)
	return e
}

// add records one more field error at path.
func (e *apiError) add(path []string, code, msg string) {
	node := e.Errors
	for _, k := range path {
		next, ok := node[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			node[k] = next
		}
		node = next
	}
	errs, _ := node["_errors"].([]any)
	node["_errors"] = append(errs, map[string]string{"code": code, "message": msg})
	where := strings.Join(path, ".")
	if where == "" {
		where = "body"
	}
	e.reasons = append(e.reasons, where+": "+msg)
}

// plainError is an error without field details, such as Unknown Channel.
func plainError(status, code int, msg string) *apiError {
	return &apiError{status: status, Code: code, Message: msg}
}

// fieldErrors collects field errors before deciding whether to reject.
type fieldErrors struct{ err *apiError }

func (f *fieldErrors) add(path []string, code, msg string) {
	if f.err == nil {
		f.err = formError(path, code, msg)
		return
	}
	f.err.add(path, code, msg)
}

// Message limits that Discord enforces and the OpenAPI document leaves out
// or states only per field.
const (
	maxContent     = 2000
	maxEmbeds      = 10
	maxEmbedTotal  = 6000
	maxEmbedTitle  = 256
	maxEmbedDesc   = 4096
	maxEmbedFields = 25
	maxFieldName   = 256
	maxFieldValue  = 1024
	maxFooterText  = 2048
	maxAuthorName  = 256
)

func runes(s string) int { return utf8.RuneCountInString(s) }

func sub(path []string, more ...string) []string {
	return append(slices.Clone(path), more...)
}

// checkMessage enforces content and embed limits and allowed_mentions on a
// message body (a new message, an edit, or an interaction response's data)
// found at prefix in the request. It returns the rejection, if any, and the
// house-rule findings that do not reject.
func checkMessage(prefix []string, body map[string]json.RawMessage, create bool, files int) (*apiError, []string) {
	var fe fieldErrors
	var m struct {
		Content    *string                   `json:"content"`
		Embeds     []*discordgo.MessageEmbed `json:"embeds"`
		Components []json.RawMessage         `json:"components"`
		StickerIDs []string                  `json:"sticker_ids"`
		Poll       json.RawMessage           `json:"poll"`
	}
	raw, _ := json.Marshal(body)
	if err := json.Unmarshal(raw, &m); err != nil {
		fe.add(prefix, "BASE_TYPE_INVALID", "cannot decode the message: "+err.Error())
		return fe.err, nil
	}
	if m.Content != nil && runes(*m.Content) > maxContent {
		fe.add(sub(prefix, "content"), "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", maxContent))
	}
	if len(m.Embeds) > maxEmbeds {
		fe.add(sub(prefix, "embeds"), "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", maxEmbeds))
	}
	total := 0
	for i, e := range m.Embeds {
		if e == nil {
			continue
		}
		at := sub(prefix, "embeds", strconv.Itoa(i))
		limit := func(field string, s string, max int) {
			if runes(s) > max {
				fe.add(sub(at, strings.Split(field, ".")...), "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", max))
			}
			total += runes(s)
		}
		limit("title", e.Title, maxEmbedTitle)
		limit("description", e.Description, maxEmbedDesc)
		if e.Footer != nil {
			limit("footer.text", e.Footer.Text, maxFooterText)
		}
		if e.Author != nil {
			limit("author.name", e.Author.Name, maxAuthorName)
		}
		if len(e.Fields) > maxEmbedFields {
			fe.add(sub(at, "fields"), "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", maxEmbedFields))
		}
		for j, f := range e.Fields {
			if f == nil {
				continue
			}
			fat := "fields." + strconv.Itoa(j)
			if f.Name == "" || f.Value == "" {
				fe.add(sub(at, "fields", strconv.Itoa(j)), "BASE_TYPE_REQUIRED", "Field name and value are required.")
			}
			limit(fat+".name", f.Name, maxFieldName)
			limit(fat+".value", f.Value, maxFieldValue)
		}
	}
	if total > maxEmbedTotal {
		fe.add(sub(prefix, "embeds"), "MAX_EMBED_SIZE_EXCEEDED", fmt.Sprintf("Embed size exceeds maximum size of %d (got %d).", maxEmbedTotal, total))
	}
	if create && (m.Content == nil || *m.Content == "") && len(m.Embeds) == 0 && len(m.Components) == 0 &&
		len(m.StickerIDs) == 0 && len(m.Poll) == 0 && files == 0 {
		return plainError(400, 50006, "Cannot send an empty message"), nil
	}
	var house []string
	am, present := body["allowed_mentions"]
	if !present || string(am) == "null" {
		house = append(house, "allowed_mentions is missing: send {\"parse\": []} so nobody is pinged")
	} else {
		var a struct {
			Parse []string `json:"parse"`
			Users []string `json:"users"`
			Roles []string `json:"roles"`
		}
		if err := json.Unmarshal(am, &a); err != nil {
			fe.add(sub(prefix, "allowed_mentions"), "BASE_TYPE_INVALID", "cannot decode allowed_mentions: "+err.Error())
		}
		if slices.Contains(a.Parse, "users") && len(a.Users) > 0 {
			fe.add(sub(prefix, "allowed_mentions"), "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE", `parse:["users"] and users: [ids...] are mutually exclusive.`)
		}
		if slices.Contains(a.Parse, "roles") && len(a.Roles) > 0 {
			fe.add(sub(prefix, "allowed_mentions"), "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE", `parse:["roles"] and roles: [ids...] are mutually exclusive.`)
		}
		if len(a.Parse) > 0 {
			house = append(house, fmt.Sprintf("allowed_mentions.parse is %q: send an empty list so nobody is pinged", a.Parse))
		}
	}
	return fe.err, house
}

// Command limits that the OpenAPI document leaves out. Names follow
// Discord's documented pattern, apostrophe included.
var commandName = regexp.MustCompile(`^[-_'\p{L}\p{N}\p{Devanagari}\p{Thai}]{1,32}$`)

const (
	maxOptions      = 25
	maxChoices      = 25
	maxCommandChars = 8000
	maxChatCommands = 100
)

// checkCommands enforces what Discord checks on a bulk overwrite beyond the
// schema: names, descriptions, option and choice counts, option order, and,
// for a guild's commands (guild true), no bot-DM context: a guild command
// exists only in its guild.
func checkCommands(cmds []*discordgo.ApplicationCommand, guild bool) *apiError {
	var fe fieldErrors
	seen := map[string]bool{}
	chat := 0
	for i, c := range cmds {
		at := []string{strconv.Itoa(i)}
		if c == nil {
			fe.add(at, "BASE_TYPE_REQUIRED", "This field is required")
			continue
		}
		typ := c.Type
		if typ == 0 {
			typ = discordgo.ChatApplicationCommand
		}
		key := strconv.Itoa(int(typ)) + ":" + c.Name
		if seen[key] {
			fe.add(at, "APPLICATION_COMMANDS_DUPLICATE_NAME", fmt.Sprintf("Application command names must be unique: %q appears twice", c.Name))
		}
		seen[key] = true
		if guild && c.Contexts != nil && slices.Contains(*c.Contexts, discordgo.InteractionContextBotDM) {
			fe.add(sub(at, "contexts"), "APPLICATION_COMMAND_CONTEXTS_INVALID",
				"Guild commands cannot be used in bot DMs: register them without the BOT_DM context (1).")
		}
		if typ != discordgo.ChatApplicationCommand {
			if n := runes(c.Name); n < 1 || n > 32 {
				fe.add(sub(at, "name"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 32 in length.")
			}
			if c.Description != "" {
				fe.add(sub(at, "description"), "APPLICATION_COMMAND_DESCRIPTION_INVALID", "Context menu commands cannot have a description.")
			}
			continue
		}
		chat++
		checkName(&fe, sub(at, "name"), c.Name)
		checkDescription(&fe, sub(at, "description"), c.Description)
		chars := runes(c.Name) + runes(c.Description) + checkOptions(&fe, sub(at, "options"), c.Options, 0)
		if chars > maxCommandChars {
			fe.add(at, "APPLICATION_COMMAND_TOO_LARGE", fmt.Sprintf("Command exceeds maximum size (%d > %d characters).", chars, maxCommandChars))
		}
	}
	if chat > maxChatCommands {
		fe.add(nil, "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer chat input commands.", maxChatCommands))
	}
	return fe.err
}

func checkName(fe *fieldErrors, at []string, name string) {
	switch {
	case !commandName.MatchString(name):
		fe.add(at, "APPLICATION_COMMAND_INVALID_NAME", fmt.Sprintf("Command name %q is invalid: 1-32 letters, digits, -, _ or '.", name))
	case strings.ToLower(name) != name:
		fe.add(at, "APPLICATION_COMMAND_INVALID_NAME", fmt.Sprintf("Command name %q is invalid: it must be lowercase.", name))
	}
}

func checkDescription(fe *fieldErrors, at []string, d string) {
	if n := runes(d); n < 1 || n > 100 {
		fe.add(at, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
	}
}

// checkOptions checks one level of options and returns their characters,
// which count towards the command's size.
func checkOptions(fe *fieldErrors, at []string, opts []*discordgo.ApplicationCommandOption, depth int) int {
	if len(opts) > maxOptions {
		fe.add(at, "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", maxOptions))
	}
	chars := 0
	optional := false
	names := map[string]bool{}
	for i, o := range opts {
		oat := sub(at, strconv.Itoa(i))
		if o == nil {
			fe.add(oat, "BASE_TYPE_REQUIRED", "This field is required")
			continue
		}
		checkName(fe, sub(oat, "name"), o.Name)
		checkDescription(fe, sub(oat, "description"), o.Description)
		if names[o.Name] {
			fe.add(sub(oat, "name"), "APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS", fmt.Sprintf("Option name %q is already used.", o.Name))
		}
		names[o.Name] = true
		chars += runes(o.Name) + runes(o.Description)
		switch o.Type {
		case discordgo.ApplicationCommandOptionSubCommand, discordgo.ApplicationCommandOptionSubCommandGroup:
			if depth >= 2 || (depth == 1 && o.Type == discordgo.ApplicationCommandOptionSubCommandGroup) {
				fe.add(oat, "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", "Sub-commands nest at most in one group.")
			}
			chars += checkOptions(fe, sub(oat, "options"), o.Options, depth+1)
			continue
		}
		if o.Required && optional {
			fe.add(sub(oat, "required"), "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID", "Required options must be placed before non-required options.")
		}
		if !o.Required {
			optional = true
		}
		if len(o.Choices) > 0 && o.Autocomplete {
			fe.add(sub(oat, "autocomplete"), "APPLICATION_COMMAND_AUTOCOMPLETE_INVALID", "Autocomplete cannot be set with choices.")
		}
		if len(o.Choices) > maxChoices {
			fe.add(sub(oat, "choices"), "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", maxChoices))
		}
		for j, c := range o.Choices {
			cat := sub(oat, "choices", strconv.Itoa(j))
			if c == nil {
				continue
			}
			if n := runes(c.Name); n < 1 || n > 100 {
				fe.add(sub(cat, "name"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
			}
			chars += runes(c.Name)
			if v, ok := c.Value.(string); ok {
				if runes(v) > 100 {
					fe.add(sub(cat, "value"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
				}
				chars += runes(v)
			}
		}
	}
	return chars
}

// Component and flag limits of interaction responses.
const (
	maxActionRows  = 5 // top-level rows of a message without IS_COMPONENTS_V2
	maxModalInputs = 5 // top-level components of a modal
	// responseFlags are the flags an interaction response may set:
	// SUPPRESS_EMBEDS, EPHEMERAL, SUPPRESS_NOTIFICATIONS, IS_VOICE_MESSAGE
	// and IS_COMPONENTS_V2.
	responseFlags = discordgo.MessageFlagsSuppressEmbeds | discordgo.MessageFlagsEphemeral |
		discordgo.MessageFlagsSuppressNotifications | discordgo.MessageFlagsIsVoiceMessage | discordgo.MessageFlagsIsComponentsV2
)

// shape is the part of a message body that the component and flag rules read.
type shape struct {
	Flags      *discordgo.MessageFlags `json:"flags"`
	Components []json.RawMessage       `json:"components"`
}

func shapeOf(body map[string]json.RawMessage) shape {
	var d shape
	raw, _ := json.Marshal(body)
	_ = json.Unmarshal(raw, &d)
	return d
}

// checkRows adds an error when a message body at prefix has more than 5
// action rows; IS_COMPONENTS_V2 messages have their own, larger limit.
func checkRows(fe *fieldErrors, prefix []string, d shape) {
	if (d.Flags == nil || *d.Flags&discordgo.MessageFlagsIsComponentsV2 == 0) && len(d.Components) > maxActionRows {
		fe.add(sub(prefix, "components"), "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", maxActionRows))
	}
}

// checkResponseData enforces what Discord checks on an interaction
// response's data beyond the message limits: the flags a response may set
// (a deferral included), at most 5 action rows in a message and 5 inputs in
// a modal, and choices in every autocomplete result.
func checkResponseData(typ discordgo.InteractionResponseType, data map[string]json.RawMessage) *apiError {
	var fe fieldErrors
	d := shapeOf(data)
	at := []string{"data"}
	switch typ {
	case discordgo.InteractionResponseChannelMessageWithSource, discordgo.InteractionResponseDeferredChannelMessageWithSource,
		discordgo.InteractionResponseUpdateMessage:
		if d.Flags != nil && *d.Flags&^responseFlags != 0 {
			fe.add(sub(at, "flags"), "INTERACTION_RESPONSE_FLAGS_INVALID",
				fmt.Sprintf("Flags %d are not valid for a response: only SUPPRESS_EMBEDS, EPHEMERAL, SUPPRESS_NOTIFICATIONS, IS_VOICE_MESSAGE and IS_COMPONENTS_V2 may be set.", *d.Flags))
		}
		checkRows(&fe, at, d)
	case discordgo.InteractionResponseModal:
		if len(d.Components) > maxModalInputs {
			fe.add(sub(at, "components"), "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", maxModalInputs))
		}
	case discordgo.InteractionApplicationCommandAutocompleteResult:
		if c, ok := data["choices"]; !ok || string(c) == "null" {
			fe.add(sub(at, "choices"), "BASE_TYPE_REQUIRED", "This field is required (send an empty list when nothing matches).")
		}
	}
	return fe.err
}

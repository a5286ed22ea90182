package commands

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"briefbot/briefings"

	"github.com/bwmarrin/discordgo"
)

// Ephemeral returns a plain message only the user who asked can see, for
// user errors and notices. Its mentions are disabled like every response.
func Ephemeral(msg string) *discordgo.InteractionResponse {
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{
			Content:         msg,
			Flags:           discordgo.MessageFlagsEphemeral,
			AllowedMentions: noMentions(),
		},
	}
}

// noMentions allows no mentions at all: it serializes as {"parse":[]}.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// failure turns a handler's error into a response: application errors show
// their message to the user; anything else is an internal error.
func (r *Router) failure(ctx context.Context, q *request, err error) *discordgo.InteractionResponse {
	switch briefings.ErrorCode(err) {
	case briefings.EINTERNAL:
		return r.internal(ctx, q, err)
	case briefings.EBUSY:
		// Not a fault, but operators want to know when writers wait.
		r.log.WarnContext(ctx, "library busy", "command", q.command, "guild", q.guildID, "user", q.userID, "err", err)
	}
	return Ephemeral(briefings.ErrorMessage(err))
}

// internal logs err in detail under a short random ID and returns an apology
// that quotes the ID, so a report can be matched with the log.
func (r *Router) internal(ctx context.Context, q *request, err error) *discordgo.InteractionResponse {
	id := ErrorID()
	r.log.ErrorContext(ctx, "interaction failed",
		"error_id", id, "command", q.command, "guild", q.guildID, "user", q.userID, "err", err)
	return Ephemeral(fmt.Sprintf("Sorry, something went wrong on my side. Try again in a moment; if it keeps happening, give an admin the error ID `%s`.", id))
}

// ErrorID returns eight random hex digits, the ID that ties an apology to
// its log line; the transports use it for their own apologies too.
func ErrorID() string {
	var b [4]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}

// userError is an EINVALID application error with a message for people.
func userError(format string, args ...any) error {
	return briefings.Errorf(briefings.EINVALID, format, args...)
}

// notFound reports whether err is the store's ENOTFOUND.
func notFound(err error) bool {
	return briefings.ErrorCode(err) == briefings.ENOTFOUND
}

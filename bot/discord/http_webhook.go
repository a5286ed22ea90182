package discord

import (
	"context"
	"errors"
	"fmt"

	"github.com/bwmarrin/discordgo"
)

// httpReplier answers one HTTP interaction: the first response becomes the
// HTTP response, and a deferred one is completed through the webhook.
type httpReplier struct {
	// first hands the first response to the request's goroutine, which
	// reports on written whether it went out; gone closes when the request
	// is over.
	first   chan *discordgo.InteractionResponse
	written chan error
	gone    chan struct{}
	i       *discordgo.Interaction
	// webhook edits, follows up and deletes.
	*webhook
}

// reply hands the first response to the waiting HTTP request. A message
// with files (an export) is not sent inline: it is deferred, as privately
// as the message is, and the files follow through the webhook, the way
// Discord documents for uploads.
func (r *httpReplier) reply(ctx context.Context, resp *discordgo.InteractionResponse) error {
	if resp != nil && resp.Type == discordgo.InteractionResponseChannelMessageWithSource &&
		resp.Data != nil && len(resp.Data.Files) > 0 {
		if err := r.answer(ctx, deferral(r.i, private(resp))); err != nil {
			return fmt.Errorf("defer an answer with files: %w", err)
		}
		return r.followup(ctx, resp)
	}
	return r.answer(ctx, resp)
}

// answer writes resp as the HTTP response. It returns once the request's
// handler is done, so that the answer is on its way before any webhook
// call that follows it.
func (r *httpReplier) answer(ctx context.Context, resp *discordgo.InteractionResponse) error {
	select {
	case r.first <- resp:
		err := <-r.written
		<-r.gone
		return err
	case <-r.gone:
		return errors.New("the HTTP request ended before the answer was ready")
	case <-ctx.Done():
		return ctx.Err()
	}
}

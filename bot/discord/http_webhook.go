package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/bwmarrin/discordgo"

	"briefbot/internal/retry"
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
	h       *HTTPServer
	i       *discordgo.Interaction
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

// webhookRetries is the retry policy for the webhook. Edits and deletes
// are idempotent, so server errors are retried; a follow-up is retried only
// when rate limited. A rate limit waits what Discord asks, up to Max.
var webhookRetries = retry.Policy{Attempts: 4, Backoff: 250 * time.Millisecond, Max: 10 * time.Second}

// edit completes a deferred answer by editing the original response through
// the interaction's webhook, which needs no bot token: the interaction
// token in the URL is the credential. Rate limits are waited out and
// server errors retried.
func (r *httpReplier) edit(ctx context.Context, resp *discordgo.InteractionResponse) error {
	e := editOf(resp)
	ctype, body, err := webhookBody(e, e.Files)
	if err != nil {
		return fmt.Errorf("edit original response: encode: %w", err)
	}
	return r.send(ctx, "edit original response", http.MethodPatch, "/messages/@original", ctype, body, true)
}

// followup posts a follow-up message through the webhook. Only
// rate limits are retried: after a server error the message may have been
// posted, and a retry could post it twice.
func (r *httpReplier) followup(ctx context.Context, resp *discordgo.InteractionResponse) error {
	p := followupOf(resp)
	ctype, body, err := webhookBody(p, p.Files)
	if err != nil {
		return fmt.Errorf("send follow-up: encode: %w", err)
	}
	return r.send(ctx, "send follow-up", http.MethodPost, "", ctype, body, false)
}

// deleteOriginal removes the original response through the webhook.
func (r *httpReplier) deleteOriginal(ctx context.Context) error {
	return r.send(ctx, "delete original response", http.MethodDelete, "/messages/@original", "", nil, true)
}

// webhookBody encodes a webhook payload as JSON, or as multipart when it
// carries files.
func webhookBody(v any, files []*discordgo.File) (string, []byte, error) {
	if len(files) > 0 {
		return discordgo.MultipartBodyWithJSON(v, files)
	}
	body, err := json.Marshal(v)
	return "application/json", body, err
}

// send makes one call to the interaction's webhook, which needs no bot
// token: the interaction token in the URL is the credential. Rate limits
// are waited out; server errors are retried as webhookRetries says when
// the call is idempotent.
func (r *httpReplier) send(ctx context.Context, what, method, suffix, ctype string, body []byte, idempotent bool) error {
	appID := r.i.AppID
	if appID == "" {
		appID = r.h.AppID
	}
	if appID == "" || r.i.Token == "" {
		return fmt.Errorf("%s: the interaction has no application ID or token", what)
	}
	u := r.h.APIBase + "/webhooks/" + url.PathEscape(appID) + "/" + url.PathEscape(r.i.Token) + suffix
	var last error
	tries := 0
	err := webhookRetries.Do(ctx, func(attempt int) error {
		tries = attempt
		last = r.do(ctx, method, u, ctype, body)
		return last
	}, func(err error) retry.Verdict {
		var we *webhookError
		if !errors.As(err, &we) || (!idempotent && !we.v.Limited) {
			return retry.Verdict{}
		}
		return we.v
	}, func(_ int, wait time.Duration, err error) {
		r.h.log.Warn("webhook call will be retried", "what", what, "interaction", r.i.ID, "in", wait, "err", err)
	})
	switch {
	case err == nil:
		return nil
	case err != last:
		return fmt.Errorf("%s: %w", what, last) // the context ended while waiting
	}
	r.h.Metrics.Fail("webhook")
	return fmt.Errorf("%s (attempt %d): %w", what, tries, err)
}

// webhookError is a failed webhook call and whether it may be repeated.
type webhookError struct {
	err error
	v   retry.Verdict
}

func (e *webhookError) Error() string { return e.err.Error() }
func (e *webhookError) Unwrap() error { return e.err }

// do sends one webhook request. A failure is a *webhookError that says
// whether the call may be repeated, and whether a rate limit refused it, so
// that it certainly did nothing.
func (r *httpReplier) do(ctx context.Context, method, u, ctype string, body []byte) error {
	fail := func(v retry.Verdict, format string, args ...any) error {
		return &webhookError{err: fmt.Errorf(format, args...), v: v}
	}
	req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
	if err != nil {
		return fail(retry.Verdict{}, "build request: %w", err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.Header.Set("User-Agent", "DiscordBot (https://github.com/briefbot, 1)")
	res, err := r.h.WebhookClient.Do(req)
	if err != nil {
		// The URL holds the interaction token; keep it out of the error.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fail(retry.Verdict{Again: true}, "send: %w", err)
	}
	defer res.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(res.Body, 2048))
	switch {
	case res.StatusCode < 300:
		return nil
	case res.StatusCode == http.StatusTooManyRequests:
		return fail(retry.Verdict{Again: true, Limited: true, After: retry.DiscordAfter(res.Header, msg)}, "rate limited: %s", bytes.TrimSpace(msg))
	case res.StatusCode >= 500:
		return fail(retry.Verdict{Again: true}, "discord answered %s", res.Status)
	case res.StatusCode == http.StatusNotFound && restErrorCode(msg) == discordgo.ErrCodeUnknownWebhook:
		// Unknown Webhook: a call right after the HTTP answer can reach
		// Discord before the answer has been processed. Nothing was done.
		return fail(retry.Verdict{Again: true, Limited: true, After: webhookRetries.Backoff}, "discord answered %s: %s", res.Status, bytes.TrimSpace(msg))
	}
	return fail(retry.Verdict{}, "discord answered %s: %s", res.Status, bytes.TrimSpace(msg))
}

// restErrorCode is the code of a Discord error body, or 0.
func restErrorCode(body []byte) int {
	var e struct {
		Code int `json:"code"`
	}
	_ = json.Unmarshal(body, &e)
	return e.Code
}

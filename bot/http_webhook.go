package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

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

// Retry policy for the webhook. Edits and deletes are idempotent, so server
// errors are retried; a follow-up is retried only when rate limited.
const (
	webhookAttempts   = 4
	webhookBackoff    = 250 * time.Millisecond
	webhookMaxRetryIn = 10 * time.Second
)

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
	return r.send(ctx, "edit original response", http.MethodPatch, "/messages/@original", ctype, body, webhookAttempts)
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
	return r.send(ctx, "send follow-up", http.MethodPost, "", ctype, body, 1)
}

// deleteOriginal removes the original response through the webhook.
func (r *httpReplier) deleteOriginal(ctx context.Context) error {
	return r.send(ctx, "delete original response", http.MethodDelete, "/messages/@original", "", nil, webhookAttempts)
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
// are waited out; server errors are retried up to attempts tries in all.
func (r *httpReplier) send(ctx context.Context, what, method, suffix, ctype string, body []byte, attempts int) error {
	appID := r.i.AppID
	if appID == "" {
		appID = r.h.AppID
	}
	if appID == "" || r.i.Token == "" {
		return fmt.Errorf("%s: the interaction has no application ID or token", what)
	}
	u := r.h.APIBase + "/webhooks/" + url.PathEscape(appID) + "/" + url.PathEscape(r.i.Token) + suffix
	failures := 0
	for attempt := 1; ; attempt++ {
		wait, limited, err := r.do(ctx, method, u, ctype, body)
		if err == nil {
			return nil
		}
		if !limited {
			failures++
		}
		if wait < 0 || failures >= attempts || attempt == webhookAttempts {
			r.h.Metrics.fail("webhook")
			return fmt.Errorf("%s (attempt %d): %w", what, attempt, err)
		}
		if !limited {
			wait <<= failures - 1
		}
		r.h.log.Warn("webhook call will be retried", "what", what, "interaction", r.i.ID, "in", wait, "err", err)
		if serr := sleep(ctx, wait); serr != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
	}
}

// do sends one webhook request. On failure it says how long to wait before
// retrying (a negative duration when retrying is pointless) and whether the
// request was refused by a rate limit, so it certainly did nothing.
func (r *httpReplier) do(ctx context.Context, method, u, ctype string, body []byte) (retryIn time.Duration, limited bool, err error) {
	req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
	if err != nil {
		return -1, false, fmt.Errorf("build request: %w", err)
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
		return webhookBackoff, false, fmt.Errorf("send: %w", err)
	}
	defer res.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(res.Body, 2048))
	switch {
	case res.StatusCode < 300:
		return 0, false, nil
	case res.StatusCode == http.StatusTooManyRequests:
		return min(retryAfter(res.Header, msg), webhookMaxRetryIn), true, fmt.Errorf("rate limited: %s", bytes.TrimSpace(msg))
	case res.StatusCode >= 500:
		return webhookBackoff, false, fmt.Errorf("discord answered %s", res.Status)
	case res.StatusCode == http.StatusNotFound && restErrorCode(msg) == discordgo.ErrCodeUnknownWebhook:
		// Unknown Webhook: a call right after the HTTP answer can reach
		// Discord before the answer has been processed. Nothing was done.
		return webhookBackoff, true, fmt.Errorf("discord answered %s: %s", res.Status, bytes.TrimSpace(msg))
	}
	return -1, false, fmt.Errorf("discord answered %s: %s", res.Status, bytes.TrimSpace(msg))
}

// retryAfter reads how long a 429 asks to wait: the JSON body's
// retry_after (seconds, fractional) or else the Retry-After header.
func retryAfter(h http.Header, body []byte) time.Duration {
	var rl struct {
		RetryAfter float64 `json:"retry_after"`
	}
	if json.Unmarshal(body, &rl) == nil && rl.RetryAfter > 0 {
		return time.Duration(rl.RetryAfter * float64(time.Second))
	}
	if s, err := strconv.ParseFloat(h.Get("Retry-After"), 64); err == nil && s > 0 {
		return time.Duration(s * float64(time.Second))
	}
	return time.Second
}

// restErrorCode is the code of a Discord error body, or 0.
func restErrorCode(body []byte) int {
	var e struct {
		Code int `json:"code"`
	}
	_ = json.Unmarshal(body, &e)
	return e.Code
}

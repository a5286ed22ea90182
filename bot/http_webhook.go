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

// reply hands the first response to the waiting HTTP request.
func (r *httpReplier) reply(ctx context.Context, resp *discordgo.InteractionResponse) error {
	select {
	case r.first <- resp:
		return <-r.written
	case <-r.gone:
		return errors.New("the HTTP request ended before the answer was ready")
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Retry policy for the webhook: it is an edit, so retrying is safe.
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
	appID := r.i.AppID
	if appID == "" {
		appID = r.h.AppID
	}
	if appID == "" || r.i.Token == "" {
		return errors.New("edit original response: the interaction has no application ID or token")
	}
	e := editOf(resp)
	ctype, body := "application/json", []byte(nil)
	var err error
	if len(e.Files) > 0 {
		ctype, body, err = discordgo.MultipartBodyWithJSON(e, e.Files)
	} else {
		body, err = json.Marshal(e)
	}
	if err != nil {
		return fmt.Errorf("edit original response: encode: %w", err)
	}
	u := r.h.APIBase + "/webhooks/" + url.PathEscape(appID) + "/" + url.PathEscape(r.i.Token) + "/messages/@original"

	for attempt := 1; ; attempt++ {
		wait, err := r.patch(ctx, u, ctype, body)
		if err == nil {
			return nil
		}
		if wait < 0 || attempt == webhookAttempts {
			r.h.Metrics.fail("webhook")
			return fmt.Errorf("edit original response (attempt %d): %w", attempt, err)
		}
		if wait == webhookBackoff {
			wait <<= attempt - 1
		}
		r.h.log.Warn("webhook edit will be retried", "interaction", r.i.ID, "in", wait, "err", err)
		if serr := sleep(ctx, wait); serr != nil {
			return fmt.Errorf("edit original response: %w", err)
		}
	}
}

// patch sends one webhook edit. On failure it says how long to wait before
// retrying, or a negative duration when retrying is pointless.
func (r *httpReplier) patch(ctx context.Context, u, ctype string, body []byte) (retryIn time.Duration, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPatch, u, bytes.NewReader(body))
	if err != nil {
		return -1, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("User-Agent", "DiscordBot (https://github.com/briefbot, 1)")
	res, err := r.h.WebhookClient.Do(req)
	if err != nil {
		// The URL holds the interaction token; keep it out of the error.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return webhookBackoff, fmt.Errorf("send: %w", err)
	}
	defer res.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(res.Body, 2048))
	switch {
	case res.StatusCode < 300:
		return 0, nil
	case res.StatusCode == http.StatusTooManyRequests:
		return min(retryAfter(res.Header, msg), webhookMaxRetryIn), fmt.Errorf("rate limited: %s", bytes.TrimSpace(msg))
	case res.StatusCode >= 500:
		return webhookBackoff, fmt.Errorf("discord answered %s", res.Status)
	}
	return -1, fmt.Errorf("discord answered %s: %s", res.Status, bytes.TrimSpace(msg))
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

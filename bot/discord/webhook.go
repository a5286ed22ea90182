package discord

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"briefbot/internal/retry"
)

// webhookRetries is the retry policy for an interaction's webhook. Edits
// and deletes are idempotent, so server errors are retried; a follow-up is
// retried only when Discord certainly did nothing (a rate limit, an
// unknown webhook). A rate limit waits what Discord asks, up to Max.
var webhookRetries = retry.Policy{Attempts: 4, Backoff: 250 * time.Millisecond, Max: 10 * time.Second}

// webhookClient returns the HTTP client of interaction webhooks: client
// with discordgo's requests, which it addresses to its own API version
// (discordgo.EndpointAPI, v9), sent to apiBase, such as DefaultAPIBase.
func webhookClient(client *http.Client, apiBase string) (*http.Client, error) {
	u := httpBase(apiBase)
	if u == nil {
		return nil, fmt.Errorf("the API base %q is not an http(s) URL", apiBase)
	}
	c := *client
	next := c.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	c.Transport = &redirect{base: u, path: true, next: next}
	return &c, nil
}

// webhook completes an interaction through its webhook with discordgo's
// REST calls. It needs no bot token: the interaction token in the URL is
// the credential, and no Authorization header is sent. Only
// webhookRetries retries: discordgo's own retries are off, and its rate
// limiter is kept from sleeping (exchange).
type webhook struct {
	// s has no token and a rate limiter of its own: discordgo keys
	// buckets by URL (the token in it) or puts every edit in one bucket,
	// whose lock is held for the whole request, so a shared session would
	// keep a bucket per interaction forever and serialize all edits.
	s      *discordgo.Session
	client *http.Client
	// i is the interaction as discordgo's calls read it: its application
	// ID and token.
	i       *discordgo.Interaction
	id      string
	red     redactor
	log     *slog.Logger
	metrics *Metrics
	// err, when set, is why no call can be made.
	err error
}

// newWebhook returns the webhook of interaction i through client (from
// webhookClient; when nil, clientErr says why there is none). appID stands
// in when the interaction does not carry its application ID.
func newWebhook(client *http.Client, clientErr error, i *discordgo.Interaction, appID string, log *slog.Logger, m *Metrics) *webhook {
	w := &webhook{client: client, id: i.ID, red: redactor{i.Token}, log: log, metrics: m, err: clientErr}
	if i.AppID != "" {
		appID = i.AppID
	}
	if appID == "" || i.Token == "" {
		w.err = errors.New("the interaction has no application ID or token")
	}
	if w.err != nil {
		return w
	}
	w.i = &discordgo.Interaction{AppID: appID, Token: i.Token}
	w.s, _ = discordgo.New("") // no token: no Authorization header
	w.s.StateEnabled = false
	w.s.MaxRestRetries = 0
	w.s.ShouldRetryOnRateLimit = false
	w.s.Client = client
	return w
}

// edit completes a deferred answer by editing the original response.
func (w *webhook) edit(ctx context.Context, resp *discordgo.InteractionResponse) error {
	e := editOf(resp)
	return w.call(ctx, "edit original response", true, e.Files, func(opts ...discordgo.RequestOption) error {
		_, err := w.s.InteractionResponseEdit(w.i, e, opts...)
		return err
	})
}

// followup posts a follow-up message. After a server error the message
// may have been posted, so only a refusal that certainly did nothing is
// retried: a retry could post it twice.
func (w *webhook) followup(ctx context.Context, resp *discordgo.InteractionResponse) error {
	p := followupOf(resp)
	return w.call(ctx, "send follow-up", false, p.Files, func(opts ...discordgo.RequestOption) error {
		_, err := w.s.FollowupMessageCreate(w.i, true, p, opts...)
		return err
	})
}

// deleteOriginal removes the original response.
func (w *webhook) deleteOriginal(ctx context.Context) error {
	return w.call(ctx, "delete original response", true, nil, func(opts ...discordgo.RequestOption) error {
		return w.s.InteractionResponseDelete(w.i, opts...)
	})
}

// call makes one webhook call through do, retried as webhookRetries says:
// rate limits are waited out, server errors retried when the call is
// idempotent. Errors and logs never show the interaction token.
func (w *webhook) call(ctx context.Context, what string, idempotent bool, files []*discordgo.File, do func(...discordgo.RequestOption) error) error {
	if w.err != nil {
		return fmt.Errorf("%s: %w", what, w.err)
	}
	var last error
	tries := 0
	err := webhookRetries.Do(ctx, func(attempt int) error {
		tries = attempt
		rewind(files)
		x := &exchange{next: w.client.Transport}
		c := *w.client
		c.Transport = x
		last = w.red.err(x.outcome(do(discordgo.WithContext(ctx), discordgo.WithClient(&c))))
		return last
	}, func(err error) retry.Verdict {
		var we *webhookError
		if !errors.As(err, &we) || (!idempotent && !we.v.Limited) {
			return retry.Verdict{}
		}
		return we.v
	}, func(_ int, wait time.Duration, err error) {
		w.log.Warn("webhook call will be retried", "what", what, "interaction", w.id, "in", wait, "err", err)
	})
	switch {
	case err == nil:
		return nil
	case err != last:
		return fmt.Errorf("%s: %w", what, last) // the context ended while waiting
	}
	w.metrics.Fail("webhook")
	return fmt.Errorf("%s (attempt %d): %w", what, tries, err)
}

// webhookError is a failed webhook call and whether it may be repeated.
type webhookError struct {
	err error
	v   retry.Verdict
}

func (e *webhookError) Error() string { return e.err.Error() }
func (e *webhookError) Unwrap() error { return e.err }

// exchange carries one webhook request and keeps what discordgo's errors
// lose: the answer's status and headers, and the start of a failure's
// body (discordgo turns a 502 into bare text and a 429 without a JSON body
// into a decoding error). It also hides Discord's X-RateLimit headers from
// discordgo, whose rate limiter would otherwise sleep before the next call
// on the bucket, deaf to the context; a 429 is waited out by
// webhookRetries instead.
type exchange struct {
	next   http.RoundTripper
	sent   bool
	status int
	text   string // such as "404 Not Found"
	header http.Header
	body   []byte
}

// RoundTrip sends req on and notes the answer.
func (x *exchange) RoundTrip(req *http.Request) (*http.Response, error) {
	x.sent = true
	res, err := x.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	x.status, x.text, x.header = res.StatusCode, res.Status, res.Header.Clone()
	for k := range res.Header {
		if strings.HasPrefix(k, "X-Ratelimit-") {
			res.Header.Del(k)
		}
	}
	if res.StatusCode >= 300 {
		x.body, _ = io.ReadAll(io.LimitReader(res.Body, 2048))
		_ = res.Body.Close()
		res.Body = io.NopCloser(bytes.NewReader(x.body))
	}
	return res, nil
}

// outcome judges a call from what x saw and the error discordgo returned:
// nil, or a *webhookError that says whether the call may be repeated, and
// whether Discord refused it so that it certainly did nothing.
func (x *exchange) outcome(err error) error {
	fail := func(v retry.Verdict, format string, args ...any) error {
		return &webhookError{err: fmt.Errorf(format, args...), v: v}
	}
	// An url.Error holds the URL, and with it the interaction token.
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	msg := bytes.TrimSpace(x.body)
	switch {
	case !x.sent && err != nil:
		return fail(retry.Verdict{}, "build request: %w", err)
	case x.status == 0 && err != nil:
		return fail(retry.Verdict{Again: true}, "send: %w", err)
	case x.status < 300:
		return nil // a body discordgo cannot decode does not undo the call
	case x.status == http.StatusTooManyRequests:
		return fail(retry.Verdict{Again: true, Limited: true, After: retry.DiscordAfter(x.header, x.body)}, "rate limited: %s", msg)
	case x.status >= 500:
		return fail(retry.Verdict{Again: true}, "discord answered %s", x.text)
	case x.status == http.StatusNotFound && restErrorCode(x.body) == discordgo.ErrCodeUnknownWebhook:
		// Unknown Webhook: a call right after the HTTP answer can reach
		// Discord before the answer has been processed. Nothing was done.
		return fail(retry.Verdict{Again: true, Limited: true, After: webhookRetries.Backoff}, "discord answered %s: %s", x.text, msg)
	}
	return fail(retry.Verdict{}, "discord answered %s: %s", x.text, msg)
}

// restErrorCode is the code of a Discord error body, or 0.
func restErrorCode(body []byte) int {
	var e discordgo.APIErrorMessage
	_ = discordgo.Unmarshal(body, &e)
	return e.Code
}

package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// doer is the HTTP client go-openai calls. It does two things go-openai's
// own does not:
//
//   - Temperature 0. ChatCompletionRequest.Temperature is a float32 tagged
//     omitempty, so 0 never leaves go-openai and the server applies its own
//     default (1 at OpenAI, 0.8 at Ollama). A tiny non-zero value would be
//     sent instead of 0 and not every server treats it alike, so the doer
//     adds "temperature" to a chat-completions body that lacks it, which
//     happens exactly when the configured value is 0.
//
//   - Retries. A completion has no side effect, so it is safe to repeat
//     when the server answered 429 or a 5xx, or when the attempt timed out
//     or the connection failed before any reply. The doer only repeats
//     before it hands a response back: a stream that has started reaching
//     the user is never repeated.
type doer struct {
	client      *http.Client
	retries     int
	backoff     time.Duration
	temperature float32
	log         *slog.Logger
}

// Do sends req, retrying as described on doer.
func (d *doer) Do(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		var err error
		body, err = io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("read request body: %w", err)
		}
	}
	if req.Method == http.MethodPost && strings.HasSuffix(req.URL.Path, "/chat/completions") {
		body = withTemperature(body, d.temperature)
	}
	ctx := req.Context()
	for attempt := 0; ; attempt++ {
		r := req.Clone(ctx)
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		resp, err := d.client.Do(r)
		wait, retry := d.retryable(resp, err, attempt)
		if !retry || ctx.Err() != nil {
			return resp, err
		}
		if resp != nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
			resp.Body.Close()
		}
		d.log.Warn("model request will be retried", "attempt", attempt+1, "in", wait, "status", status(resp), "err", err)
		if !sleep(ctx, wait) {
			return nil, ctx.Err()
		}
	}
}

// retryable says whether an attempt's outcome may be retried, and after how
// long.
func (d *doer) retryable(resp *http.Response, err error, attempt int) (time.Duration, bool) {
	if attempt >= d.retries {
		return 0, false
	}
	wait := d.backoff << attempt
	if err != nil {
		// a timeout or a connection that failed before any reply; the
		// caller's own cancellation is not retried
		return wait, !isCanceled(err)
	}
	if resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode < 500 {
		return 0, false
	}
	if s, perr := strconv.Atoi(strings.TrimSpace(resp.Header.Get("Retry-After"))); perr == nil && s >= 0 {
		wait = max(wait, min(time.Duration(s)*time.Second, maxRetryAfter))
	}
	return wait, true
}

// isCanceled reports whether err is the caller's cancellation.
func isCanceled(err error) bool {
	return errors.Is(err, context.Canceled)
}

// status is resp's status code, or 0.
func status(resp *http.Response) int {
	if resp == nil {
		return 0
	}
	return resp.StatusCode
}

// withTemperature adds "temperature" to a JSON object that lacks it.
func withTemperature(body []byte, t float32) []byte {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return body
	}
	if _, ok := m["temperature"]; ok {
		return body
	}
	m["temperature"] = json.RawMessage(strconv.FormatFloat(float64(t), 'g', -1, 32))
	out, err := json.Marshal(m)
	if err != nil {
		return body
	}
	return out
}

// sleep waits d or until ctx ends; it reports whether the wait completed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

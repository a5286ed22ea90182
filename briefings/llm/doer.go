package llm

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"briefbot/internal/retry"
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

// Do sends req, retrying as described on doer, with the policy of every
// outbound call (retry.Policy): the backoff doubles, and a Retry-After
// that says more wins, up to maxRetryAfter.
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
	policy := retry.Policy{Attempts: d.retries + 1, Backoff: d.backoff, Max: maxRetryAfter}
	return policy.HTTP(ctx, func() (*http.Response, error) {
		r := req.Clone(ctx)
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		return d.client.Do(r)
	}, func(attempt int, wait time.Duration, status int, err error) {
		d.log.Warn("model request will be retried", "attempt", attempt, "in", wait, "status", status, "err", err)
	})
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

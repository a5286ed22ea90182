package discord

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"briefbot/bot/discordtest"
)

// wire sits between the webhook's client and the fake Discord: it notes
// every request as it leaves, and answers the first ones itself when told
// to (a transient Unknown Webhook, a connection that fails).
type wire struct {
	next http.RoundTripper

	mu   sync.Mutex
	seen []*http.Request
	// script answers the first requests instead of the fake: a status
	// with a body, or a status of 0 for a connection failure.
	script []scripted
}

type scripted struct {
	status int
	body   string
	header http.Header
}

func (w *wire) RoundTrip(req *http.Request) (*http.Response, error) {
	w.mu.Lock()
	w.seen = append(w.seen, req)
	var s *scripted
	if len(w.script) > 0 {
		s, w.script = &w.script[0], w.script[1:]
	}
	w.mu.Unlock()
	if s == nil {
		return w.next.RoundTrip(req)
	}
	if req.Body != nil {
		_ = req.Body.Close()
	}
	if s.status == 0 {
		return nil, errors.New("connection reset by peer")
	}
	h := http.Header{"Content-Type": {"application/json"}}
	for k, v := range s.header {
		h[k] = v
	}
	return &http.Response{
		StatusCode: s.status, Status: http.StatusText(s.status), Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:  h,
		Body:    io.NopCloser(strings.NewReader(s.body)),
		Request: req,
	}, nil
}

func (w *wire) requests() []*http.Request {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]*http.Request(nil), w.seen...)
}

// TestWebhook_RetriesAsDiscordAllows drives the webhook, discordgo's calls
// underneath, against the fake Discord: what is retried, how long a rate
// limit waits, and that the interaction token stays out of errors and logs.
func TestWebhook_RetriesAsDiscordAllows(t *testing.T) {
	t.Parallel()
	const (
		edit     = "PATCH /webhooks/*/*/messages/@original"
		followup = "POST /webhooks/*/*"
		remove   = "DELETE /webhooks/*/*/messages/@original"
	)
	unknownWebhook := scripted{status: http.StatusNotFound, body: `{"message": "Unknown Webhook", "code": 10015}`}
	tests := []struct {
		name   string
		call   string // edit, followup or delete
		fault  string // a pattern the fake fails once with status
		status int
		script []scripted
		// twice makes the call twice in a row.
		twice bool
		// want is how many requests the calls make; fails, whether the
		// last returns an error holding failText; atLeast and atMost bound
		// the time they take.
		want     int
		fails    bool
		failText string
		atLeast  time.Duration
		atMost   time.Duration
	}{
		{name: "rate limited edit waits retry_after, then lands", call: "edit", fault: edit, status: http.StatusTooManyRequests, want: 2, atLeast: 50 * time.Millisecond},
		{name: "rate limited follow-up is sent again", call: "followup", fault: followup, status: http.StatusTooManyRequests, want: 2, atLeast: 50 * time.Millisecond},
		{name: "server error on edit is retried", call: "edit", fault: edit, status: http.StatusInternalServerError, want: 2, atLeast: webhookRetries.Backoff},
		{name: "bad gateway on delete is retried", call: "delete", fault: remove, status: http.StatusBadGateway, want: 2, atLeast: webhookRetries.Backoff},
		{name: "server error on follow-up is not retried", call: "followup", fault: followup, status: http.StatusInternalServerError, want: 1, fails: true, failText: "500"},
		{name: "bad gateway on follow-up is not retried", call: "followup", fault: followup, status: http.StatusBadGateway, want: 1, fails: true, failText: "502"},
		{name: "unknown webhook right after the answer is retried", call: "followup", script: []scripted{unknownWebhook}, want: 2, atLeast: webhookRetries.Backoff},
		{name: "unknown webhook to the end fails", call: "edit", script: []scripted{unknownWebhook, unknownWebhook, unknownWebhook, unknownWebhook}, want: webhookRetries.Attempts, fails: true, failText: "10015"},
		{name: "refused edit is not retried", call: "edit", script: []scripted{{status: http.StatusBadRequest, body: `{"message": "Invalid Form Body", "code": 50035}`}}, want: 1, fails: true, failText: "50035"},
		{name: "connection failure on follow-up is not retried", call: "followup", script: []scripted{{}}, want: 1, fails: true, failText: "connection reset"},
		{name: "connection failure on edit is retried", call: "edit", script: []scripted{{}}, want: 2, atLeast: webhookRetries.Backoff},
		{name: "an exhausted bucket does not hold the next edit back", call: "edit", twice: true, script: []scripted{{status: http.StatusOK, body: `{}`, header: http.Header{
			"X-Ratelimit-Limit": {"5"}, "X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset-After": {"30"}, "X-Ratelimit-Bucket": {"edits"},
		}}}, want: 2, atMost: 5 * time.Second},
	}
	fake := discordtest.New(t)
	bot := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"type":5}`) // a deferral
	}))
	t.Cleanup(bot.Close)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			i := discordtest.Command("search", discordtest.String("query", "Kursk"))
			if _, err := fake.PostInteraction(ctx, bot.URL, i); err != nil {
				t.Fatal(err)
			}
			if tt.fault != "" {
				// The fake keeps one queue of faults; the subtests run one
				// at a time.
				if tt.status == http.StatusTooManyRequests {
					fake.RateLimit(tt.fault, 1)
				} else {
					fake.FailNext(tt.fault, 1, tt.status)
				}
			}
			wr := &wire{next: fake.Transport(), script: tt.script}
			client, err := webhookClient(&http.Client{Transport: wr, Timeout: 10 * time.Second}, DefaultAPIBase)
			if err != nil {
				t.Fatal(err)
			}
			var logs bytes.Buffer
			m := NewMetrics()
			w := newWebhook(client, nil, i, "", slog.New(slog.NewTextHandler(&logs, nil)), m)
			answer := &discordgo.InteractionResponse{
				Type: discordgo.InteractionResponseChannelMessageWithSource,
				Data: &discordgo.InteractionResponseData{Content: "Results for Kursk"},
			}

			start := time.Now()
			calls := 1
			if tt.twice {
				calls = 2
			}
			for range calls {
				switch tt.call {
				case "edit":
					err = w.edit(ctx, answer)
				case "followup":
					err = w.followup(ctx, answer)
				case "delete":
					err = w.deleteOriginal(ctx)
				}
			}
			took := time.Since(start)

			sent := wr.requests()
			if len(sent) != tt.want {
				t.Errorf("%d requests, want %d", len(sent), tt.want)
			}
			for _, r := range sent {
				if a, ok := r.Header["Authorization"]; ok {
					t.Errorf("%s %s carries an Authorization header %q; a webhook needs none", r.Method, r.URL.Path, a)
				}
				if !strings.HasPrefix(r.URL.Path, "/api/v10/webhooks/"+discordtest.AppID+"/") {
					t.Errorf("%s went to %s, want Discord's API v10", r.Method, r.URL.Path)
				}
			}
			if took < tt.atLeast || (tt.atMost > 0 && took > tt.atMost) {
				t.Errorf("took %v, want between %v and %v", took, tt.atLeast, tt.atMost)
			}
			rec := httptest.NewRecorder()
			m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
			counted := strings.Contains(rec.Body.String(), `briefbot_errors_total{where="webhook"} 1`)
			switch {
			case tt.fails && (err == nil || !strings.Contains(err.Error(), tt.failText)):
				t.Fatalf("error %v, want one saying %q", err, tt.failText)
			case !tt.fails && err != nil:
				t.Fatalf("error %v, want the call to land", err)
			case counted != tt.fails:
				t.Errorf("webhook failure counted: %v, want %v", counted, tt.fails)
			}
			if err != nil && strings.Contains(err.Error(), i.Token) {
				t.Errorf("the error shows the interaction token: %v", err)
			}
			if strings.Contains(logs.String(), i.Token) {
				t.Errorf("the logs show the interaction token:\n%s", logs.String())
			}
			if !tt.fails && tt.call != "delete" {
				if m := fake.Original(i.ID); m == nil || m.Content != "Results for Kursk" {
					t.Errorf("the original response is %+v, want the answer", m)
				}
			}
		})
	}
	fake.RequireNoViolations(t)
}

package bot_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"briefbot/bot/discord"
	"briefbot/bot/discordtest"

	"briefbot/internal/testlib"
	"github.com/bwmarrin/discordgo"
)

// httpBot is an HTTPServer behind a real loopback listener, with the key
// pair Discord would sign with.
type httpBot struct {
	srv  *discord.HTTPServer
	url  string
	key  ed25519.PrivateKey
	logs *logBuffer
}

// startHTTP serves srv (with a fresh key pair, logger and metrics filled
// in) on loopback for the test.
func startHTTP(t *testing.T, srv *discord.HTTPServer) *httpBot {
	t.Helper()
	pub, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	log, logs := newLogger()
	srv.PublicKey = pub
	srv.Logger = log
	if srv.Metrics == nil {
		srv.Metrics = discord.NewMetrics()
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return &httpBot{srv: srv, url: ts.URL, key: key, logs: logs}
}

// interactionIDs numbers the interactions of the tests: every one has an
// ID of its own, as on Discord, so none is taken for a replay of another.
var interactionIDs atomic.Int64

// interactionBody renders an interaction as Discord posts it, filling the
// IDs and token a real one has.
func interactionBody(t *testing.T, i *discordgo.Interaction) []byte {
	t.Helper()
	if i.ID == "" {
		i.ID = strconv.FormatInt(1300000000000000000+interactionIDs.Add(1), 10)
	}
	if i.Token == "" {
		i.Token = "aW50ZXJhY3Rpb24tdG9rZW4"
	}
	b, err := json.Marshal(i)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// post sends body to /interactions with the given signature headers and
// returns the status and body of the answer.
func (b *httpBot) post(t *testing.T, body []byte, sig, ts string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.url+"/interactions", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if sig != "" {
		req.Header.Set("X-Signature-Ed25519", sig)
	}
	if ts != "" {
		req.Header.Set("X-Signature-Timestamp", ts)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, out
}

// sign signs timestamp+body with key, as Discord does.
func sign(key ed25519.PrivateKey, ts string, body []byte) string {
	return hex.EncodeToString(ed25519.Sign(key, append([]byte(ts), body...)))
}

// now is the current Unix time as Discord sends it.
func now(offset time.Duration) string {
	return strconv.FormatInt(time.Now().Add(offset).Unix(), 10)
}

func TestHTTP_Signatures(t *testing.T) {
	t.Parallel()
	b := startHTTP(t, &discord.HTTPServer{Router: newRouter(t)})
	_, otherKey, _ := ed25519.GenerateKey(rand.Reader)
	topics := interactionBody(t, discordtest.Command("topics"))
	ping := []byte(`{"id":"1300000000000000009","application_id":"` + discordtest.AppID + `","type":1,"token":"tok","version":1}`)
	ts := now(0)

	tests := []struct {
		name     string
		body     []byte
		sig, ts  string
		status   int
		wantBody string
	}{
		{"Valid", topics, sign(b.key, ts, topics), ts, 200, "Alaska"},
		{"Ping", ping, sign(b.key, ts, ping), ts, 200, `{"type":1}`},
		{"OtherKey", topics, sign(otherKey, ts, topics), ts, 401, "invalid request signature"},
		{"TamperedBody", append(bytes.Clone(topics[:len(topics)-1]), ' ', '}'), sign(b.key, ts, topics), ts, 401, ""},
		{"SignatureForAnotherTimestamp", topics, sign(b.key, now(-time.Second), topics), ts, 401, ""},
		{"MalformedSignature", topics, "not-hex", ts, 401, ""},
		{"MissingSignature", topics, "", ts, 401, ""},
		{"MissingTimestamp", topics, sign(b.key, ts, topics), "", 401, ""},
		{"MissingBoth", topics, "", "", 401, ""},
		{"StaleTimestamp", topics, sign(b.key, now(-6*time.Minute), topics), now(-6 * time.Minute), 401, ""},
		{"FutureTimestamp", topics, sign(b.key, now(6*time.Minute), topics), now(6 * time.Minute), 401, ""},
		{"SlightlyOldTimestamp", topics, sign(b.key, now(-4*time.Minute), topics), now(-4 * time.Minute), 200, "Alaska"},
		{"NotAnInteraction", []byte("[1,2]"), sign(b.key, ts, []byte("[1,2]")), ts, 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := b.post(t, tt.body, tt.sig, tt.ts)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %s", status, tt.status, body)
			}
			if !strings.Contains(string(body), tt.wantBody) {
				t.Fatalf("body %s lacks %q", body, tt.wantBody)
			}
		})
	}

	t.Run("BodyTooLarge", func(t *testing.T) {
		big := bytes.Repeat([]byte(" "), 2<<20)
		if status, _ := b.post(t, big, sign(b.key, ts, big), ts); status != http.StatusRequestEntityTooLarge {
			t.Fatalf("status %d, want 413", status)
		}
	})
	t.Run("GetIsNotAllowed", func(t *testing.T) {
		res, err := http.Get(b.url + "/interactions")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusMethodNotAllowed {
			t.Fatalf("status %d, want 405", res.StatusCode)
		}
	})
}

func TestHTTP_AnswersInline(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		b := startHTTP(t, &discord.HTTPServer{Router: newRouterOn(t, backend)})
		tests := []struct {
			name     string
			i        *discordgo.Interaction
			wantType discordgo.InteractionResponseType
			want     string
		}{
			{"Command", discordtest.Command("actor", discordtest.String("name", "Kim Jong Un")),
				discordgo.InteractionResponseChannelMessageWithSource, "Kim Jong Un"},
			{"Autocomplete", discordtest.Autocomplete("actor", discordtest.Focused(discordtest.String("name", "Kim"))),
				discordgo.InteractionApplicationCommandAutocompleteResult, "Kim Jong Un"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				body := interactionBody(t, tt.i)
				ts := now(0)
				status, out := b.post(t, body, sign(b.key, ts, body), ts)
				if status != http.StatusOK {
					t.Fatalf("status %d: %s", status, out)
				}
				var resp struct {
					Type discordgo.InteractionResponseType `json:"type"`
					Data struct {
						AllowedMentions *discordgo.MessageAllowedMentions `json:"allowed_mentions"`
					} `json:"data"`
				}
				if err := json.Unmarshal(out, &resp); err != nil {
					t.Fatalf("answer is not JSON: %v: %s", err, out)
				}
				if resp.Type != tt.wantType {
					t.Fatalf("type %d, want %d", resp.Type, tt.wantType)
				}
				if !strings.Contains(string(out), tt.want) {
					t.Fatalf("answer lacks %q: %s", tt.want, out)
				}
				if tt.wantType == discordgo.InteractionResponseChannelMessageWithSource &&
					(resp.Data.AllowedMentions == nil || resp.Data.AllowedMentions.Parse == nil || len(resp.Data.AllowedMentions.Parse) != 0) {
					t.Fatalf("allowed_mentions is not an empty parse list: %s", out)
				}
			})
		}
	})
}

func TestHTTP_HealthAndMetrics(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		store := backend.OpenLibrary(t)
		b := startHTTP(t, &discord.HTTPServer{Router: newRouterOn(t, backend), Health: store.Ping})
		get := func(path string) (int, string) {
			res, err := http.Get(b.url + path)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			out, _ := io.ReadAll(res.Body)
			return res.StatusCode, string(out)
		}

		body := interactionBody(t, discordtest.Command("topics"))
		ts := now(0)
		if status, out := b.post(t, body, sign(b.key, ts, body), ts); status != 200 {
			t.Fatalf("/topics: %d %s", status, out)
		}

		if status, out := get("/healthz"); status != 200 || strings.TrimSpace(out) != "ok" {
			t.Fatalf("healthz = %d %q, want 200 ok", status, out)
		}
		// The answer is counted once it has been written, which may be a moment
		// after the client read it.
		status, out := get("/metrics")
		for deadline := time.Now().Add(5 * time.Second); status == 200 && !strings.Contains(out, `briefbot_interaction_duration_seconds_count{command="topics",kind="command"} 1`) && time.Now().Before(deadline); {
			time.Sleep(10 * time.Millisecond)
			status, out = get("/metrics")
		}
		if status != 200 {
			t.Fatalf("metrics status %d", status)
		}
		for _, want := range []string{
			`briefbot_interactions_total{command="topics",kind="command",outcome="answered"} 1`,
			`briefbot_interaction_duration_seconds_count{command="topics",kind="command"} 1`,
			`briefbot_deliveries_total{outcome="delivered"} 0`,
			`briefbot_errors_total{where="panic"} 0`,
			`go_goroutines`,
		} {
			if !strings.Contains(out, want) {
				t.Errorf("metrics lack %s", want)
			}
		}

		store.Close()
		if status, out := get("/healthz"); status != http.StatusServiceUnavailable {
			t.Fatalf("healthz with the database closed = %d %q, want 503", status, out)
		}
	})
}

func TestHTTP_ServeShutsDownCleanly(t *testing.T) {
	t.Parallel()
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	srv := &discord.HTTPServer{PublicKey: pub, Router: newRouter(t)}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ctx, "127.0.0.1:0") }()
	cancel()
	select {
	case err := <-errc:
		if err != nil {
			t.Fatalf("Serve = %v, want nil after cancel", err)
		}
	case <-time.After(wait):
		t.Fatal("Serve did not return after cancel")
	}

	noKey := &discord.HTTPServer{Router: newRouter(t)}
	if err := noKey.Serve(context.Background(), "127.0.0.1:0"); err == nil || !strings.Contains(err.Error(), "DISCORD_PUBLIC_KEY") {
		t.Fatalf("Serve without a key = %v, want an error naming DISCORD_PUBLIC_KEY", err)
	}
}

func TestParsePublicKey(t *testing.T) {
	t.Parallel()
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	tests := []struct {
		name, in string
		ok       bool
	}{
		{"Valid", hex.EncodeToString(pub), true},
		{"ValidWithSpaces", " " + hex.EncodeToString(pub) + "\n", true},
		{"NotHex", strings.Repeat("zz", 32), false},
		{"TooShort", hex.EncodeToString(pub[:31]), false},
		{"Empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := discord.ParsePublicKey(tt.in)
			if (err == nil) != tt.ok {
				t.Fatalf("ParsePublicKey(%q) error = %v, want ok=%v", tt.in, err, tt.ok)
			}
			if tt.ok && !got.Equal(pub) {
				t.Fatalf("ParsePublicKey = %x, want %x", got, pub)
			}
		})
	}
}

func TestServeStatus(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	m := discord.NewMetrics()
	var broken atomic.Bool
	health := func(context.Context) error {
		if broken.Load() {
			return errors.New("database is gone")
		}
		return nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- discord.ServeStatus(ctx, addr, m, health, nil) }()
	defer func() {
		cancel()
		if err := <-errc; err != nil {
			t.Errorf("ServeStatus = %v", err)
		}
	}()

	get := func(path string) (int, string) {
		for range 50 {
			res, err := http.Get("http://" + addr + path)
			if err != nil {
				time.Sleep(10 * time.Millisecond) // the listener is starting
				continue
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			return res.StatusCode, string(b)
		}
		t.Fatalf("GET %s: the status server never answered", path)
		return 0, ""
	}
	if status, body := get("/healthz"); status != 200 || strings.TrimSpace(body) != "ok" {
		t.Fatalf("healthz = %d %q", status, body)
	}
	if status, body := get("/metrics"); status != 200 || !strings.Contains(body, "briefbot_deliveries_total") {
		t.Fatalf("metrics = %d, lacking briefbot_deliveries_total", status)
	}
	if status, _ := get("/interactions"); status != http.StatusNotFound {
		t.Fatalf("/interactions on the status server = %d, want 404", status)
	}
	broken.Store(true)
	if status, _ := get("/healthz"); status != http.StatusServiceUnavailable {
		t.Fatalf("unhealthy healthz = %d, want 503", status)
	}
}

// fakeHTTPBot serves srv on loopback, verifying with the fake's key and
// completing deferrals through the fake (the webhook client's transport
// sends discord.com to it), and returns the interactions URL.
func fakeHTTPBot(t *testing.T, fake *discordtest.Server, srv *discord.HTTPServer) string {
	t.Helper()
	log, logs := newLogger()
	srv.PublicKey = fake.PublicKey()
	srv.Logger = log
	srv.WebhookClient = &http.Client{Transport: fake.Transport(), Timeout: wait}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() {
		ts.Close()
		if t.Failed() {
			t.Logf("logs:\n%s", logs)
		}
	})
	return ts.URL + "/interactions"
}

func TestHTTP_AgainstTheFake(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		fake := discordtest.New(t)
		router := hookedRouter{Router: newRouterOn(t, backend), before: func(i *discordgo.Interaction) {
			if commandName(i) == "search" || slowActor(i) {
				time.Sleep(300 * time.Millisecond)
			}
		}}
		endpoint := fakeHTTPBot(t, fake, &discord.HTTPServer{Router: router, DeferAfter: 100 * time.Millisecond})
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		post := func(t *testing.T, i *discordgo.Interaction) *discordgo.InteractionResponse {
			t.Helper()
			resp, err := fake.PostInteraction(ctx, endpoint, i)
			if err != nil {
				t.Fatalf("%s: %v", describe(i), err)
			}
			return resp
		}

		t.Run("EveryCommand", func(t *testing.T) {
			for _, c := range router.Commands() {
				if c.Name == "search" {
					continue // slow here; deferred below
				}
				var opts []*discordgo.ApplicationCommandInteractionDataOption
				for _, o := range c.Options {
					if v, ok := sampleValue(c.Name, o.Name); ok && o.Required {
						opts = append(opts, discordtest.String(o.Name, v))
					}
				}
				i := discordtest.Command(c.Name, opts...)
				resp := post(t, i)
				if c.Name == "timeline" {
					// A picture can't ride in the HTTP answer: the answer is a
					// deferral and the message comes through the webhook.
					ctx, cancel := context.WithTimeout(context.Background(), wait)
					m, err := fake.AwaitOriginal(ctx, i.ID)
					cancel()
					if err != nil || resp.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource ||
						len(m.Attachments) != 1 || !strings.Contains(messageText(m.Content, m.Embeds, m.Components), wantInAnswer[c.Name]) {
						t.Errorf("/timeline answered with type %d, then %+v (%v); want a deferral, then the timeline with its picture", resp.Type, m, err)
					}
					continue
				}
				if resp.Type == discordgo.InteractionResponseDeferredChannelMessageWithSource {
					// slower than the deferral threshold on a loaded machine:
					// the answer comes through the webhook instead
					ctx, cancel := context.WithTimeout(context.Background(), wait)
					m, err := fake.AwaitOriginal(ctx, i.ID)
					cancel()
					if err != nil || !strings.Contains(messageText(m.Content, m.Embeds, m.Components), wantInAnswer[c.Name]) {
						t.Errorf("/%s was deferred, then %+v (%v); want the answer holding %q", c.Name, m, err, wantInAnswer[c.Name])
					}
					continue
				}
				if resp.Type != discordgo.InteractionResponseChannelMessageWithSource || !strings.Contains(responseText(resp), wantInAnswer[c.Name]) {
					t.Errorf("/%s answered with type %d lacking %q:\n%s", c.Name, resp.Type, wantInAnswer[c.Name], responseText(resp))
				}
			}
		})
		t.Run("Button", func(t *testing.T) {
			i := discordtest.Command("brief")
			resp := post(t, i)
			components := func() []discordgo.MessageComponent {
				if resp.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
					return resp.Data.Components
				}
				// slower than the deferral threshold on a loaded machine:
				// the answer, buttons and all, comes through the webhook
				m, err := fake.AwaitOriginal(ctx, i.ID)
				if err != nil {
					t.Fatalf("/brief was deferred and never completed: %v", err)
				}
				return m.Components
			}()
			var older string
			for _, b := range buttons(components) {
				if strings.Contains(b.Label, "Older") && !b.Disabled {
					older = b.CustomID
				}
			}
			if older == "" {
				t.Fatal("/brief has no enabled Older button")
			}
			press := discordtest.Button(older)
			press.Message = fake.Original(i.ID)
			if got := post(t, press); got.Type != discordgo.InteractionResponseUpdateMessage || !strings.Contains(responseText(got), "Earlier:") {
				t.Fatalf("the button answered with type %d:\n%s", got.Type, responseText(got))
			}
		})
		t.Run("DeferredThenCompletedByWebhook", func(t *testing.T) {
			// The first edit is rate limited and the second meets a server
			// error; the third lands.
			earlier := len(requestsTo(fake, "PATCH", "/webhooks/"+discordtest.AppID+"/"))
			fake.RateLimit("PATCH /webhooks/*/*/messages/@original", 1)
			fake.FailNext("PATCH /webhooks/*/*/messages/@original", 1, 500)
			i := discordtest.Command("search", discordtest.String("query", "Kursk"))
			if resp := post(t, i); resp.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
				t.Fatalf("first answer has type %d, want a deferral", resp.Type)
			}
			m, err := fake.AwaitOriginal(ctx, i.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got := messageText(m.Content, m.Embeds, m.Components); !strings.Contains(got, "Kursk") {
				t.Fatalf("the completed answer lacks the results:\n%s", got)
			}
			patches := requestsTo(fake, "PATCH", "/webhooks/"+discordtest.AppID+"/")[earlier:]
			if len(patches) != 3 {
				t.Fatalf("%d webhook edits, want 3 (429, 500, success)", len(patches))
			}
			for _, p := range patches {
				if !bytes.Contains(p.Body, []byte(`"allowed_mentions":{"parse":[]`)) {
					t.Fatalf("the edit allows mentions: %s", p.Body)
				}
			}
		})
		t.Run("PrivateAnswerAfterDeferral", func(t *testing.T) {
			// The follow-up meets a rate limit first and is sent again once.
			fake.RateLimit("POST /webhooks/*/*", 1)
			i := discordtest.Command("actor", discordtest.String("name", "Qwxzv Nobody"))
			if resp := post(t, i); resp.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
				t.Fatalf("first answer has type %d, want a deferral", resp.Type)
			}
			if err := fake.Await(ctx, func() bool { return len(fake.Followups(i.ID)) > 0 }); err != nil {
				t.Fatalf("no ephemeral follow-up: %v", err)
			}
			f := fake.Followups(i.ID)[0]
			if f.Flags&discordgo.MessageFlagsEphemeral == 0 || !strings.Contains(messageText(f.Content, f.Embeds, f.Components), "Qwxzv Nobody") {
				t.Fatalf("follow-up flags %d, text:\n%s", f.Flags, messageText(f.Content, f.Embeds, f.Components))
			}
			if n := len(requestsTo(fake, "DELETE", "/webhooks/"+discordtest.AppID+"/")); n != 1 {
				t.Errorf("%d deletions of the placeholder, want 1", n)
			}
			if n := len(fake.Followups(i.ID)); n != 1 {
				t.Errorf("%d follow-ups, want exactly 1", n)
			}
		})
		fake.RequireNoViolations(t)
	})
}

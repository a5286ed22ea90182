package discord

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
)

// DefaultAPIBase is Discord's REST API, where deferred answers are completed.
const DefaultAPIBase = "https://discord.com/api/v10"

// Limits of the interactions endpoint.
const (
	// maxInteractionBody caps a request body. Interactions carry the
	// command's options and resolved objects; 1 MiB is far beyond any real
	// one.
	maxInteractionBody = 1 << 20
	// maxClockSkew is how far a signed timestamp may be from our clock
	// before the request counts as replayed.
	maxClockSkew = 5 * time.Minute
	// healthTimeout bounds the health check.
	healthTimeout = 2 * time.Second
)

// HTTPServer answers Discord's HTTP interactions (the "Interactions
// Endpoint URL" of the application) and serves health and metrics. It is an
// http.Handler with three routes:
//
//	POST /interactions  signed interactions from Discord
//	GET  /healthz       "ok" when Health passes, 503 otherwise
//	GET  /metrics       Prometheus metrics
//
// It needs no bot token: answers go back as the HTTP response, and deferred
// ones are completed through the interaction's webhook. Set the fields
// before the first request and don't change them afterwards.
type HTTPServer struct {
	// PublicKey is the application's public key, which Discord signs
	// every request with (DISCORD_PUBLIC_KEY, decoded from hex).
	PublicKey ed25519.PublicKey
	// AppID is the application ID, for interactions that don't carry it.
	AppID string
	// Router answers the interactions; *commands.Router implements it.
	Router Router
	// Health checks the database for /healthz; nil always passes.
	Health func(ctx context.Context) error
	// Metrics is served at /metrics; nil means a fresh set.
	Metrics *Metrics
	// Logger receives the server's logs; nil discards them.
	Logger *slog.Logger
	// WebhookClient sends deferred completions; nil means a client with a
	// 15 s timeout.
	WebhookClient *http.Client
	// APIBase is the REST API base URL for webhooks; empty means
	// DefaultAPIBase. Tests point it at a fake Discord.
	APIBase string
	// Now is the clock the signature timestamps are checked against; nil
	// means time.Now.
	Now func() time.Time

	// DeferAfter, DeferNow, HandlerTimeout and DrainTimeout work as in
	// Gateway.
	DeferAfter     time.Duration
	DeferNow       func(*discordgo.Interaction) bool
	HandlerTimeout time.Duration
	DrainTimeout   time.Duration
	// MaxConnections caps the connections open at once; 0 means
	// DefaultMaxConnections.
	MaxConnections int

	once sync.Once
	mux  *http.ServeMux
	d    *dispatcher
	log  *slog.Logger

	rejects rejectLog

	// webhooks is WebhookClient sending discordgo's requests to APIBase;
	// webhooksErr says why there is none.
	webhooks    *http.Client
	webhooksErr error
}

// init builds the routes and the dispatcher on first use.
func (h *HTTPServer) init() {
	h.once.Do(func() {
		h.log = h.Logger
		if h.log == nil {
			h.log = slog.New(slog.DiscardHandler)
		}
		if h.Metrics == nil {
			h.Metrics = NewMetrics()
		}
		if h.WebhookClient == nil {
			h.WebhookClient = &http.Client{Timeout: 15 * time.Second}
		}
		if h.APIBase == "" {
			h.APIBase = DefaultAPIBase
		}
		h.webhooks, h.webhooksErr = webhookClient(h.WebhookClient, h.APIBase)
		if h.Now == nil {
			h.Now = time.Now
		}
		h.d = newDispatcher(h.Router, h.log, h.Metrics, h.DeferAfter, h.HandlerTimeout, h.DeferNow)
		h.mux = http.NewServeMux()
		h.mux.HandleFunc("POST /interactions", h.interactions)
		handleStatus(h.mux, h.Metrics, h.Health, h.log)
	})
}

// ServeHTTP routes a request.
func (h *HTTPServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.init()
	h.mux.ServeHTTP(w, r)
}

// Serve listens on addr (such as ":8080") and serves until ctx is
// cancelled, then shuts down gracefully; see ServeListener.
func (h *HTTPServer) Serve(ctx context.Context, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("serve: listen on %s: %w", addr, err)
	}
	return h.ServeListener(ctx, ln)
}

// ServeListener serves on ln until ctx is cancelled. Then it stops
// accepting connections, waits for open requests and for deferred answers
// still being completed (up to DrainTimeout), and returns nil.
func (h *HTTPServer) ServeListener(ctx context.Context, ln net.Listener) error {
	h.init()
	if h.Router == nil {
		_ = ln.Close()
		return errors.New("serve: no router")
	}
	if len(h.PublicKey) != ed25519.PublicKeySize {
		_ = ln.Close()
		return errors.New("serve: no valid public key; set DISCORD_PUBLIC_KEY to the application's public key (64 hex digits)")
	}
	if h.webhooksErr != nil {
		_ = ln.Close()
		return fmt.Errorf("serve: %w", h.webhooksErr)
	}
	return serveUntil(ctx, limitConnections(ln, h.MaxConnections), h, h.log, h.DrainTimeout, h.d.drain)
}

// serveUntil serves handler on ln until ctx is cancelled, then shuts the
// server down and runs drain, both within drainFor (0 means
// DefaultDrainTimeout).
func serveUntil(ctx context.Context, ln net.Listener, handler http.Handler, log *slog.Logger, drainFor time.Duration, drain func(context.Context) bool) error {
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
		IdleTimeout:       time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("serving HTTP", "addr", ln.Addr().String())

	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing open requests and deferred answers")
	if drainFor <= 0 {
		drainFor = DefaultDrainTimeout
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), drainFor)
	defer cancel()
	err := srv.Shutdown(sctx)
	if drain != nil && !drain(sctx) {
		log.Warn("deferred answers did not finish in time", "waited", drainFor)
	}
	if err != nil {
		return fmt.Errorf("serve: shutdown: %w", err)
	}
	return nil
}

// ServeStatus serves GET /healthz (health, nil always passing) and GET
// /metrics (m) on addr until ctx is cancelled: the gateway bot's status
// endpoint, which has no interactions route.
func ServeStatus(ctx context.Context, addr string, m *Metrics, health func(context.Context) error, log *slog.Logger) error {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if m == nil {
		m = NewMetrics()
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("serve status: listen on %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	handleStatus(mux, m, health, log)
	return serveUntil(ctx, limitConnections(ln, 0), mux, log, 0, nil)
}

// interactions verifies and answers one interaction.
func (h *HTTPServer) interactions(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxInteractionBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "could not read the request body", http.StatusBadRequest)
		return
	}
	if err := h.verify(r.Header, body); err != nil {
		h.rejects.reject(h.log, h.Metrics, h.Now(), r.RemoteAddr, err)
		http.Error(w, "invalid request signature", http.StatusUnauthorized)
		return
	}
	i, err := decodeInteraction(body)
	if i == nil {
		http.Error(w, "the body is not an interaction", http.StatusBadRequest)
		return
	}
	if err != nil {
		h.log.Warn("could not decode all of an interaction; answering what could be read", "interaction", i.ID, "type", i.Type, "err", err)
	}
	if i.Type == discordgo.InteractionPing {
		// Discord pings the endpoint when it is saved in the Developer
		// Portal, and sends a bad signature to check that we refuse it.
		h.Metrics.observe("ping", "ping", OutcomeAnswered, 0)
		writeResponse(w, &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong})
		return
	}

	rep := &httpReplier{
		first:   make(chan *discordgo.InteractionResponse),
		written: make(chan error, 1),
		gone:    make(chan struct{}),
		i:       i,
		webhook: newWebhook(h.webhooks, h.webhooksErr, i, h.AppID, h.log, h.Metrics),
	}
	defer close(rep.gone)
	// The work must outlive the request: a deferred answer is completed
	// after the response below has been sent.
	go h.d.dispatch(context.WithoutCancel(r.Context()), i, rep)
	select {
	case resp := <-rep.first:
		rep.written <- writeResponse(w, resp)
	case <-r.Context().Done():
	}
}

// decodeInteraction reads an interaction as Discord sends it, over HTTP or
// in the gateway's INTERACTION_CREATE. discordgo cannot decode every
// component Discord sends (modal Label components, type 18, break it) and
// then leaves the data out. An interaction whose ID, token and type could
// be read is returned all the same, with the error, to be answered with
// what could be read (the router asks the user to try again) rather than
// dropped. It returns nil when even those are missing.
func decodeInteraction(raw []byte) (*discordgo.Interaction, error) {
	var i discordgo.Interaction
	err := json.Unmarshal(raw, &i)
	if err != nil && (i.ID == "" || i.Token == "" || i.Type == 0) {
		return nil, fmt.Errorf("decode interaction: %w", err)
	}
	if err != nil {
		return &i, fmt.Errorf("decode interaction %s: %w", i.ID, err)
	}
	return &i, nil
}

// verify checks the request's Ed25519 signature over timestamp+body and the
// timestamp's freshness.
func (h *HTTPServer) verify(hdr http.Header, body []byte) error {
	sigHex, ts := hdr.Get("X-Signature-Ed25519"), hdr.Get("X-Signature-Timestamp")
	if sigHex == "" || ts == "" {
		return errors.New("missing signature headers")
	}
	if len(h.PublicKey) != ed25519.PublicKeySize {
		return errors.New("no public key configured")
	}
	if !VerifySignature(h.PublicKey, sigHex, ts, body) {
		return errors.New("signature does not verify")
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return errors.New("malformed timestamp")
	}
	if skew := h.Now().Sub(time.Unix(sec, 0)); skew > maxClockSkew || skew < -maxClockSkew {
		return fmt.Errorf("timestamp %s is %v away from now", ts, skew.Round(time.Second))
	}
	return nil
}

// VerifySignature reports whether sigHex is pub's Ed25519 signature of
// timestamp followed by body, as Discord signs interactions. The signature
// must be exactly what Discord sends: 128 lowercase hex digits, nothing
// around them. It checks the signature only; the HTTP server also refuses
// stale timestamps.
func VerifySignature(pub ed25519.PublicKey, sigHex, timestamp string, body []byte) bool {
	if len(pub) != ed25519.PublicKeySize || len(sigHex) != 2*ed25519.SignatureSize || strings.ToLower(sigHex) != sigHex {
		return false
	}
	sig, err := hex.DecodeString(sigHex)
	if err != nil {
		return false
	}
	msg := make([]byte, 0, len(timestamp)+len(body))
	msg = append(append(msg, timestamp...), body...)
	return ed25519.Verify(pub, msg, sig)
}

// writeResponse writes an interaction response as the HTTP answer, as
// JSON in wireResponse's shape. A response with files never comes here: it
// is deferred and sent as a follow-up (httpReplier.reply).
func writeResponse(w http.ResponseWriter, resp *discordgo.InteractionResponse) error {
	body, err := json.Marshal(wireResponse(withNoMentions(resp)))
	if err != nil {
		http.Error(w, "could not encode the response", http.StatusInternalServerError)
		return fmt.Errorf("encode response: %w", err)
	}
	w.Header().Set("Content-Type", "application/json")
	if _, err := w.Write(body); err != nil {
		return fmt.Errorf("write response: %w", err)
	}
	return nil
}

// handleStatus adds GET /healthz and GET /metrics to mux.
func handleStatus(mux *http.ServeMux, m *Metrics, health func(context.Context) error, log *slog.Logger) {
	mux.Handle("GET /metrics", m.Handler())
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if health != nil {
			ctx, cancel := context.WithTimeout(r.Context(), healthTimeout)
			defer cancel()
			if err := health(ctx); err != nil {
				m.Fail("healthz")
				log.Error("health check failed", "err", err)
				w.WriteHeader(http.StatusServiceUnavailable)
				_, _ = io.WriteString(w, "unavailable\n")
				return
			}
		}
		_, _ = io.WriteString(w, "ok\n")
	})
}

// ParsePublicKey decodes the application's public key as the Developer
// Portal shows it: 64 hex digits.
func ParsePublicKey(s string) (ed25519.PublicKey, error) {
	b, err := hex.DecodeString(strings.TrimSpace(s))
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, errors.New("the public key must be 64 hex digits, as the Developer Portal shows it under General Information")
	}
	return ed25519.PublicKey(b), nil
}

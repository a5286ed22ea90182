package discord

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/url"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"briefbot/internal/retry"
)

// Gateway opcodes (Discord's "Gateway Opcodes").
const (
	opDispatch       = 0
	opHeartbeat      = 1
	opIdentify       = 2
	opResume         = 6
	opReconnect      = 7
	opInvalidSession = 9
	opHello          = 10
	opHeartbeatACK   = 11
)

// Timings of the gateway connection.
const (
	// gatewayVersion is the gateway API version, sent on every connection,
	// resumes included.
	gatewayVersion = "10"
	// helloTimeout bounds the wait for Hello after connecting.
	helloTimeout = 20 * time.Second
	// writeTimeout bounds one frame's write.
	writeTimeout = 10 * time.Second
	// resumeAttempts is how many times in a row the client tries the
	// resume URL before it gives the session up and identifies anew at the
	// gateway URL, as Discord asks when a reconnect fails.
	resumeAttempts = 3
	// closeToResume is the close code the client sends when it means to
	// resume: any code but 1000 and 1001 keeps the session alive.
	closeToResume = 4000
	// Backoff between failed connection attempts.
	reconnectFirst = 250 * time.Millisecond
	reconnectMax   = time.Minute
)

// identifyInterval is how often the client identifies at most: Discord
// allows max_concurrency identifies per 5 seconds, and briefbot runs one
// shard per process.
const identifyInterval = 5 * time.Second

// frame is a gateway payload.
type frame struct {
	Op   int             `json:"op"`
	Data json.RawMessage `json:"d"`
	Seq  *int64          `json:"s"`
	Type string          `json:"t"`
}

// readyEvent is what the client reads of READY.
type readyEvent struct {
	SessionID        string `json:"session_id"`
	ResumeGatewayURL string `json:"resume_gateway_url"`
	User             *struct {
		ID       string `json:"id"`
		Username string `json:"username"`
	} `json:"user"`
	Application *struct {
		ID string `json:"id"`
	} `json:"application"`
}

// appID is the application ID READY reports: the application's, or else
// the bot user's, which Discord makes the same.
func (r *readyEvent) appID() string {
	if r.Application != nil && r.Application.ID != "" {
		return r.Application.ID
	}
	if r.User != nil {
		return r.User.ID
	}
	return ""
}

// gatewayClient keeps one gateway session (one shard) alive over as many
// websocket connections as it takes: Hello and heartbeats (jittered first
// beat, ACK tracking, zombie connections closed), Identify with the
// documented connection properties and a valid presence, READY's
// session_id, resume_gateway_url and sequence kept for Resume, op 7 and op
// 9 obeyed. Close codes Discord marks as not reconnectable end run with a
// *RefusedError.
//
// Its fields are set before run and not changed afterwards; the session
// fields belong to run's goroutine, but for seq, which the heartbeat reads.
type gatewayClient struct {
	token   string // the bot token, without "Bot "
	intents discordgo.Intent
	shard   *[2]int // nil when not sharded
	url     string  // the gateway URL with v and encoding
	dialer  *websocket.Dialer
	log     *slog.Logger
	metrics *Metrics
	// onReady is called, on run's goroutine, with every READY.
	onReady func(*readyEvent)
	// onInteraction is called on a goroutine of its own for every
	// INTERACTION_CREATE.
	onInteraction func(*discordgo.Interaction)

	sessionID    string
	resumeURL    string
	seq          atomic.Int64 // the last sequence number; 0 for none
	lastIdentify time.Time
}

// errNewSession ends a connection after which the session cannot be
// resumed (op 9 with d false, close codes 4007 and 4009): the client
// identifies again.
var errNewSession = errors.New("the session cannot be resumed")

// errReconnect ends a connection that Discord asked the client to leave
// (op 7, op 9 with d true): the client reconnects at once and resumes.
var errReconnect = errors.New("asked to reconnect")

// run connects, identifies and keeps the session up until ctx ends
// (returning nil) or Discord refuses the bot (returning a *RefusedError).
func (c *gatewayClient) run(ctx context.Context) error {
	wait := reconnectFirst
	failedResumes := 0
	for ctx.Err() == nil {
		resume := c.sessionID != ""
		target := c.url
		if resume {
			target = c.resumeURL
		} else if err := c.awaitIdentify(ctx); err != nil {
			return nil
		}
		established, err := c.connect(ctx, target, resume)
		if ctx.Err() != nil {
			return nil
		}
		var refused *RefusedError
		switch {
		case errors.As(err, &refused):
			c.metrics.Fail("gateway")
			return refused
		case errors.Is(err, errNewSession):
			c.log.Info("gateway session ended; identifying again", "reason", err)
			c.forget()
		case errors.Is(err, errReconnect):
			c.log.Info("gateway reconnecting", "reason", err)
		default:
			c.log.Info("gateway disconnected", "err", err)
		}
		if established || errors.Is(err, errReconnect) {
			wait, failedResumes = reconnectFirst, 0
			continue // Discord asks to reconnect at once
		}
		if resume && c.sessionID != "" {
			if failedResumes++; failedResumes >= resumeAttempts {
				c.log.Warn("could not resume the gateway session; identifying again", "attempts", failedResumes)
				c.forget()
				failedResumes = 0
			}
		}
		c.metrics.Fail("gateway")
		c.log.Warn("gateway reconnect failed; trying again", "in", wait, "err", err)
		if retry.Sleep(ctx, jitter(wait)) != nil {
			return nil
		}
		wait = min(2*wait, reconnectMax)
	}
	return nil
}

// forget drops the session: the next connection identifies.
func (c *gatewayClient) forget() {
	c.sessionID, c.resumeURL = "", ""
	c.seq.Store(0)
}

// awaitIdentify waits until identifyInterval has passed since the last
// Identify.
func (c *gatewayClient) awaitIdentify(ctx context.Context) error {
	if c.lastIdentify.IsZero() {
		return nil
	}
	return retry.Sleep(ctx, time.Until(c.lastIdentify.Add(identifyInterval)))
}

// connect runs one websocket connection to target until it ends, and says
// whether it got as far as READY or RESUMED, and why it ended.
func (c *gatewayClient) connect(ctx context.Context, target string, resume bool) (established bool, err error) {
	conn, resp, err := c.dialer.DialContext(ctx, target, nil)
	if resp != nil && resp.Body != nil {
		_ = resp.Body.Close()
	}
	if err != nil {
		return false, fmt.Errorf("connect to %s: %w", hostOf(target), err)
	}
	ws := &wsConn{conn: conn}
	// Any other end keeps the session for a resume; this is a no-op after
	// another close.
	defer ws.close(closeToResume, "")
	// Shutting down closes with 1000: the session ends and the bot
	// shows offline at once.
	stop := context.AfterFunc(ctx, func() { ws.close(websocket.CloseNormalClosure, "shutting down") })
	defer stop()

	hb := &heartbeater{c: c, ws: ws}
	defer hb.stop()
	_ = conn.SetReadDeadline(time.Now().Add(helloTimeout))
	for {
		f, err := ws.read()
		if err != nil {
			return established, c.closeReason(err)
		}
		if f.Seq != nil {
			c.seq.Store(*f.Seq)
		}
		switch f.Op {
		case opHello:
			var h struct {
				Interval int64 `json:"heartbeat_interval"`
			}
			if err := json.Unmarshal(f.Data, &h); err != nil || h.Interval <= 0 {
				ws.close(closeToResume, "bad hello")
				return false, fmt.Errorf("hello without a heartbeat interval: %s", f.Data)
			}
			_ = conn.SetReadDeadline(time.Time{})
			hb.start(time.Duration(h.Interval) * time.Millisecond)
			if resume {
				err = ws.send(opResume, map[string]any{"token": c.token, "session_id": c.sessionID, "seq": c.seq.Load()})
			} else {
				c.lastIdentify = time.Now()
				err = ws.send(opIdentify, c.identify())
			}
			if err != nil {
				return false, err
			}
		case opHeartbeat:
			if err := hb.beat(); err != nil {
				return established, err
			}
		case opHeartbeatACK:
			hb.acked.Store(true)
		case opReconnect:
			ws.close(closeToResume, "reconnecting")
			return established, fmt.Errorf("op 7: %w", errReconnect)
		case opInvalidSession:
			var resumable bool
			_ = json.Unmarshal(f.Data, &resumable)
			if resumable && c.sessionID != "" {
				ws.close(closeToResume, "resuming")
				return established, fmt.Errorf("op 9 (resumable): %w", errReconnect)
			}
			ws.close(closeToResume, "identifying again")
			return established, fmt.Errorf("op 9: %w", errNewSession)
		case opDispatch:
			if c.dispatch(f) {
				established = true
			}
		}
	}
}

// dispatch handles an event and reports whether it establishes the
// session (READY or RESUMED).
func (c *gatewayClient) dispatch(f frame) bool {
	switch f.Type {
	case "READY":
		var r readyEvent
		if err := json.Unmarshal(f.Data, &r); err != nil || r.SessionID == "" {
			c.log.Error("could not read READY; the session cannot be resumed", "err", err)
			return true
		}
		c.sessionID = r.SessionID
		c.resumeURL = c.url // Discord always sends one; this is for safety
		if u, err := withQuery(r.ResumeGatewayURL); r.ResumeGatewayURL != "" && err == nil {
			c.resumeURL = u
		}
		name := ""
		if r.User != nil {
			name = r.User.Username
		}
		c.log.Info("gateway session ready", "session_user", name)
		if c.onReady != nil {
			c.onReady(&r)
		}
		return true
	case "RESUMED":
		c.log.Info("gateway session resumed")
		return true
	case "INTERACTION_CREATE":
		i, err := decodeInteraction(f.Data)
		if i == nil {
			c.log.Error("could not read an interaction; it goes unanswered", "err", err)
			return false
		}
		if err != nil {
			c.log.Warn("could not decode all of an interaction; answering what could be read", "interaction", i.ID, "type", i.Type, "err", err)
		}
		if c.onInteraction != nil {
			go c.onInteraction(i)
		}
	}
	return false
}

// identify is the Identify payload: the documented connection properties
// (not discordgo's deprecated $os) and a valid presence.
func (c *gatewayClient) identify() map[string]any {
	d := map[string]any{
		"token":      c.token,
		"intents":    c.intents,
		"properties": map[string]string{"os": runtime.GOOS, "browser": "briefbot", "device": "briefbot"},
		"presence":   map[string]any{"since": nil, "activities": []any{}, "status": "online", "afk": false},
	}
	if c.shard != nil {
		d["shard"] = *c.shard
	}
	return d
}

// closeReason turns the error that ended a read into why the connection
// ended: a *RefusedError for close codes that must not be retried,
// errNewSession for those after which the session is gone.
func (c *gatewayClient) closeReason(err error) error {
	var ce *websocket.CloseError
	if !errors.As(err, &ce) {
		return err
	}
	if r := closeRefusal(ce.Code, ce.Text, c.intents, c.shard); r != nil {
		return r
	}
	switch ce.Code {
	case 4003, 4007, 4009:
		// Not authenticated (the session was invalidated), invalid seq,
		// session timed out: start a new session.
		return fmt.Errorf("closed with %d %s: %w", ce.Code, ce.Text, errNewSession)
	}
	return fmt.Errorf("closed with %d %s", ce.Code, ce.Text)
}

// withQuery returns a gateway URL with the version and encoding the client
// speaks, which Discord wants on resumes too.
func withQuery(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "wss" && u.Scheme != "ws") || u.Host == "" {
		return "", fmt.Errorf("%q is not a websocket URL", raw)
	}
	if u.Path == "" {
		u.Path = "/"
	}
	q := u.Query()
	q.Set("v", gatewayVersion)
	q.Set("encoding", "json")
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// hostOf is a URL's host, for messages.
func hostOf(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Host
	}
	return raw
}

// jitter spreads d over [d/2, d).
func jitter(d time.Duration) time.Duration {
	return d/2 + rand.N(d/2+1)
}

// wsConn is a websocket connection with writes serialized (gorilla allows
// one writer at a time) and close idempotent.
type wsConn struct {
	conn   *websocket.Conn
	mu     sync.Mutex
	closed bool
}

// send writes one payload.
func (w *wsConn) send(op int, d any) error {
	raw, err := json.Marshal(map[string]any{"op": op, "d": d})
	if err != nil {
		return fmt.Errorf("encode op %d: %w", op, err)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return net.ErrClosed
	}
	_ = w.conn.SetWriteDeadline(time.Now().Add(writeTimeout))
	if err := w.conn.WriteMessage(websocket.TextMessage, raw); err != nil {
		return fmt.Errorf("send op %d: %w", op, err)
	}
	return nil
}

// read reads one payload, inflating zlib-compressed ones.
func (w *wsConn) read() (frame, error) {
	kind, raw, err := w.conn.ReadMessage()
	if err != nil {
		return frame{}, err
	}
	if kind == websocket.BinaryMessage {
		zr, err := zlib.NewReader(bytes.NewReader(raw))
		if err != nil {
			return frame{}, fmt.Errorf("inflate payload: %w", err)
		}
		if raw, err = io.ReadAll(zr); err != nil {
			return frame{}, fmt.Errorf("inflate payload: %w", err)
		}
	}
	var f frame
	if err := json.Unmarshal(raw, &f); err != nil {
		return frame{}, fmt.Errorf("decode payload: %w", err)
	}
	return f, nil
}

// close sends a close frame with code and closes the connection; only the
// first call does anything.
func (w *wsConn) close(code int, reason string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return
	}
	w.closed = true
	_ = w.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), time.Now().Add(time.Second))
	_ = w.conn.Close()
}

// heartbeater sends a connection's heartbeats: the first after a random
// part of the interval, as Discord asks, then one per interval. A
// heartbeat that finds the previous one unacknowledged means the
// connection is dead without having closed (a zombie): it closes it, and
// the client resumes.
type heartbeater struct {
	c      *gatewayClient
	ws     *wsConn
	acked  atomic.Bool
	cancel context.CancelFunc
	done   chan struct{}
}

// start starts the heartbeats; a second call does nothing.
func (h *heartbeater) start(interval time.Duration) {
	if h.done != nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel, h.done = cancel, make(chan struct{})
	h.acked.Store(true)
	go func() {
		defer close(h.done)
		t := time.NewTimer(rand.N(interval))
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			if !h.acked.Load() {
				h.c.log.Warn("no heartbeat ACK since the last heartbeat; closing the connection to resume", "interval", interval)
				h.ws.close(closeToResume, "heartbeat not acknowledged")
				return
			}
			if h.beat() != nil {
				h.ws.close(closeToResume, "heartbeat failed")
				return
			}
			t.Reset(interval)
		}
	}()
}

// beat sends one heartbeat with the last sequence number.
func (h *heartbeater) beat() error {
	h.acked.Store(false)
	var seq any // null before the first dispatch
	if s := h.c.seq.Load(); s > 0 {
		seq = s
	}
	return h.ws.send(opHeartbeat, seq)
}

// stop stops the heartbeats and waits for them to end.
func (h *heartbeater) stop() {
	if h.done == nil {
		return
	}
	h.cancel()
	<-h.done
}

package discordtest

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// gatewayState is the fake's gateway bookkeeping, guarded by Server.mu.
type gatewayState struct {
	sessions     map[string]*gatewaySession
	current      *gatewaySession // the latest identified or resumed session
	conns        map[*gatewayConn]bool
	identifies   []Identify
	lastIdentify time.Time // when the last accepted Identify came, by the fake's clock
	readies      int
	resumes      int
	heartbeats   int
	withholdAcks bool
	urls         []string // every connection's URL, oldest first
}

// gatewaySession is a gateway session: its sequence and every event sent,
// for replay on resume.
type gatewaySession struct {
	id     string
	sendMu sync.Mutex // keeps sequence numbers in order on the wire
	seq    int64
	events []gatewayEvent
	conn   *gatewayConn
	valid  bool
}

type gatewayEvent struct {
	seq  int64
	name string
	data json.RawMessage
}

type gatewayConn struct {
	ws       *websocket.Conn
	wmu      sync.Mutex
	compress bool
	sess     *gatewaySession
	// viaResume is true for connections to the resume URL that READY
	// hands out, the only place a session may be resumed.
	viaResume bool
}

// payload is a gateway frame.
type payload struct {
	Op   int             `json:"op"`
	Data json.RawMessage `json:"d"`
	Seq  *int64          `json:"s,omitempty"`
	Type string          `json:"t,omitempty"`
}

// maxPayload is the size of the largest payload a client may send; Discord
// closes the connection with 4002 on a larger one.
const maxPayload = 4096

// Gateway close codes the fake sends, with Discord's texts.
var closeTexts = map[int]string{
	4000: "Unknown error.",
	4001: "Unknown opcode.",
	4002: "Error while decoding payload.",
	4003: "Not authenticated.",
	4004: "Authentication failed.",
	4005: "Already authenticated.",
	4007: "Invalid seq.",
	4008: "Rate limited.",
	4009: "Session timed out.",
	4010: "Invalid shard.",
	4011: "Sharding required.",
	4012: "Invalid API version.",
	4013: "Invalid intent(s).",
	4014: "Disallowed intent(s).",
}

func (c *gatewayConn) send(p payload, compress bool) error {
	raw, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("marshal op %d: %w", p.Op, err)
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if compress {
		var buf bytes.Buffer
		zw := zlib.NewWriter(&buf)
		_, _ = zw.Write(raw)
		_ = zw.Close()
		return c.ws.WriteMessage(websocket.BinaryMessage, buf.Bytes())
	}
	return c.ws.WriteMessage(websocket.TextMessage, raw)
}

// close sends a close frame with code and Discord's text for it, then
// closes the socket.
func (c *gatewayConn) close(code int) {
	c.wmu.Lock()
	_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, closeTexts[code]), time.Now().Add(time.Second))
	c.wmu.Unlock()
	_ = c.ws.Close()
}

func mustJSON(v any) json.RawMessage {
	raw, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("discordtest: marshal: %v", err))
	}
	return raw
}

var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

// serveGateway serves the gateway URL that GET /gateway/bot announces.
func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request) { s.serveWS(w, r, false) }

// serveResumeGateway serves the resume_gateway_url that READY announces.
func (s *Server) serveResumeGateway(w http.ResponseWriter, r *http.Request) { s.serveWS(w, r, true) }

func (s *Server) serveWS(w http.ResponseWriter, r *http.Request, viaResume bool) {
	if enc := r.URL.Query().Get("encoding"); enc != "" && enc != "json" {
		http.Error(w, "discordtest speaks encoding=json only", http.StatusBadRequest)
		return
	}
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	ws.SetReadLimit(64 << 10) // larger payloads get 4002 below, not a torn connection
	c := &gatewayConn{ws: ws, viaResume: viaResume}
	s.mu.Lock()
	s.gw.conns[c] = true
	s.gw.urls = append(s.gw.urls, "ws://"+r.Host+r.URL.RequestURI())
	s.notify()
	s.mu.Unlock()
	defer s.dropConn(c)

	if v := r.URL.Query().Get("v"); v != "" && v != "9" && v != "10" {
		c.close(4012)
		return
	}
	hello := map[string]int64{"heartbeat_interval": s.opts.heartbeat.Milliseconds()}
	if c.send(payload{Op: 10, Data: mustJSON(hello)}, false) != nil {
		return
	}
	for {
		_, raw, err := ws.ReadMessage()
		if err != nil {
			return
		}
		if len(raw) > maxPayload {
			c.close(4002)
			return
		}
		var p payload
		if err := json.Unmarshal(raw, &p); err != nil {
			c.close(4002)
			return
		}
		if !s.handle(c, p) {
			return
		}
	}
}

// handle answers one payload from the client; false ends the connection.
func (s *Server) handle(c *gatewayConn, p payload) bool {
	switch p.Op {
	case 1:
		s.mu.Lock()
		s.gw.heartbeats++
		withhold := s.gw.withholdAcks
		s.notify()
		s.mu.Unlock()
		if !withhold {
			_ = c.send(payload{Op: 11, Data: json.RawMessage("null")}, false)
		}
		return true
	case 2:
		return s.identify(c, p.Data)
	case 6:
		return s.resume(c, p.Data)
	case 3, 4, 8, 31, 43: // presence, voice state, member and soundboard requests, channel info
		s.mu.Lock()
		authenticated := c.sess != nil
		s.mu.Unlock()
		if !authenticated {
			c.close(4003)
			return false
		}
		return true // accepted and ignored
	default:
		c.close(4001)
		return false
	}
}

func (s *Server) dropConn(c *gatewayConn) {
	_ = c.ws.Close()
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.gw.conns, c)
	if c.sess != nil && c.sess.conn == c {
		c.sess.conn = nil
	}
	s.notify()
}

func (s *Server) resume(c *gatewayConn, raw json.RawMessage) bool {
	var r struct {
		Token     string `json:"token"`
		SessionID string `json:"session_id"`
		Seq       int64  `json:"seq"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		c.close(4002)
		return false
	}
	s.mu.Lock()
	sess := s.gw.sessions[r.SessionID]
	refused := sess == nil || !sess.valid || (s.opts.token != "" && strings.TrimPrefix(r.Token, "Bot ") != s.opts.token)
	if !refused && !c.viaResume {
		// Discord asks for resumes on resume_gateway_url; the fake
		// holds clients to it: a resume elsewhere ends the session.
		sess.valid = false
		refused = true
	}
	s.mu.Unlock()
	if refused {
		return c.send(payload{Op: 9, Data: json.RawMessage("false")}, false) == nil
	}

	sess.sendMu.Lock()
	defer sess.sendMu.Unlock()
	s.mu.Lock()
	sess.conn, c.sess = c, sess
	s.gw.current = sess
	missed := []gatewayEvent{}
	for _, e := range sess.events {
		if e.seq > r.Seq {
			missed = append(missed, e)
		}
	}
	s.mu.Unlock()
	for _, e := range missed {
		seq := e.seq
		if c.send(payload{Op: 0, Type: e.name, Seq: &seq, Data: e.data}, false) != nil {
			return false
		}
	}
	s.emit(sess, "RESUMED", json.RawMessage("null"), false)
	s.mu.Lock()
	s.gw.resumes++
	s.notify()
	s.mu.Unlock()
	return true
}

// emit records a dispatch in the session and writes it to the session's
// connection, if any; the caller holds sess.sendMu. An event that cannot be
// written stays in the log for a resume to replay.
func (s *Server) emit(sess *gatewaySession, name string, data json.RawMessage, compress bool) {
	s.mu.Lock()
	sess.seq++
	seq := sess.seq
	sess.events = append(sess.events, gatewayEvent{seq: seq, name: name, data: data})
	conn := sess.conn
	s.mu.Unlock()
	if conn != nil {
		_ = conn.send(payload{Op: 0, Type: name, Seq: &seq, Data: data}, compress)
	}
}

// Dispatch sends a gateway event (op 0) of type name with data to the
// current session, waiting until one is READY. Events sent while the client
// is disconnected are replayed when it resumes.
func (s *Server) Dispatch(ctx context.Context, name string, data any) error {
	raw, ok := data.(json.RawMessage)
	if !ok {
		var err error
		if raw, err = json.Marshal(data); err != nil {
			return fmt.Errorf("dispatch %s: %w", name, err)
		}
	}
	var sess *gatewaySession
	err := s.Await(ctx, func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		sess = s.gw.current
		return sess != nil && s.gw.readies > 0
	})
	if err != nil {
		return fmt.Errorf("dispatch %s: no READY session: %w", name, err)
	}
	sess.sendMu.Lock()
	s.emit(sess, name, raw, false)
	sess.sendMu.Unlock()
	return nil
}

// WaitReady waits until the fake has sent READY to a client.
func (s *Server) WaitReady(ctx context.Context) error {
	return s.Await(ctx, func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.gw.readies > 0
	})
}

// Identifies returns every Identify payload the fake accepted, oldest
// first, so tests can assert intents, shard, properties and token.
func (s *Server) Identifies() []Identify {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Identify(nil), s.gw.identifies...)
}

// GatewayConnections returns the URL of every gateway connection so far,
// oldest first (ws://host:port/path?query), so tests can tell where a
// client connected and resumed, and with which version and encoding.
func (s *Server) GatewayConnections() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.gw.urls...)
}

// Resumes returns how many sessions were resumed (RESUMED sent).
func (s *Server) Resumes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gw.resumes
}

// Heartbeats returns how many heartbeats (op 1) the fake received.
func (s *Server) Heartbeats() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gw.heartbeats
}

// WithholdHeartbeatAcks makes the fake stop (true) or go back to (false)
// answering heartbeats with op 11, as a connection that died without
// closing would: the client should notice, close it and resume.
func (s *Server) WithholdHeartbeatAcks(withhold bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gw.withholdAcks = withhold
}

// Connected reports whether the current session has a live connection.
func (s *Server) Connected() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gw.current != nil && s.gw.current.conn != nil
}

// currentConn returns the current session's connection, or nil.
func (s *Server) currentConn() *gatewayConn {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.gw.current == nil {
		return nil
	}
	return s.gw.current.conn
}

// DropGateway closes the current gateway connection's TCP socket without a
// close frame, as a network failure would. The session stays resumable.
func (s *Server) DropGateway() {
	c := s.currentConn()
	if c == nil {
		return
	}
	s.mu.Lock()
	if c.sess != nil && c.sess.conn == c {
		c.sess.conn = nil
	}
	s.mu.Unlock()
	_ = c.ws.NetConn().Close()
}

// CloseGateway closes the current gateway connection with a close code
// and Discord's text for it, as Discord does: 4004 when the token stops
// being valid, 4014 for intents no longer allowed, 4000 for an unknown
// error. After 4004, 4007, 4009 and 4010–4014 the session can no longer be
// resumed.
func (s *Server) CloseGateway(code int) error {
	if closeTexts[code] == "" {
		return fmt.Errorf("close gateway: %d is not a gateway close code", code)
	}
	c := s.currentConn()
	if c == nil {
		return fmt.Errorf("close gateway: no gateway connection")
	}
	s.mu.Lock()
	if c.sess != nil {
		switch code {
		case 4004, 4007, 4009, 4010, 4011, 4012, 4013, 4014:
			c.sess.valid = false
		}
		if c.sess.conn == c {
			c.sess.conn = nil
		}
	}
	s.mu.Unlock()
	c.close(code)
	return nil
}

// Reconnect sends op 7 Reconnect on the current connection; the client
// should reconnect and resume.
func (s *Server) Reconnect() error {
	c := s.currentConn()
	if c == nil {
		return fmt.Errorf("reconnect: no gateway connection")
	}
	return c.send(payload{Op: 7, Data: json.RawMessage("null")}, false)
}

// InvalidateSession sends op 9 Invalid Session on the current connection.
// When resumable is false the session is forgotten and the client must
// identify again.
func (s *Server) InvalidateSession(resumable bool) error {
	c := s.currentConn()
	if c == nil {
		return fmt.Errorf("invalidate session: no gateway connection")
	}
	s.mu.Lock()
	if c.sess != nil {
		c.sess.valid = c.sess.valid && resumable
		if c.sess.conn == c {
			c.sess.conn = nil // the client identifies or resumes next
		}
		c.sess = nil
	}
	s.mu.Unlock()
	return c.send(payload{Op: 9, Data: mustJSON(resumable)}, false)
}

func (s *Server) closeGateway() {
	s.mu.Lock()
	conns := make([]*gatewayConn, 0, len(s.gw.conns))
	for c := range s.gw.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		_ = c.ws.NetConn().Close()
	}
}

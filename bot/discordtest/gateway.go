package discordtest

import (
	"bytes"
	"compress/zlib"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// gatewayState is the fake's gateway bookkeeping, guarded by Server.mu.
type gatewayState struct {
	sessions   map[string]*gatewaySession
	current    *gatewaySession // the latest identified or resumed session
	conns      map[*gatewayConn]bool
	identifies []discordgo.Identify
	readies    int
	resumes    int
	heartbeats int
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
}

// payload is a gateway frame.
type payload struct {
	Op   int             `json:"op"`
	Data json.RawMessage `json:"d"`
	Seq  *int64          `json:"s,omitempty"`
	Type string          `json:"t,omitempty"`
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

func (c *gatewayConn) close(code int, text string) {
	c.wmu.Lock()
	_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, text), time.Now().Add(time.Second))
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

func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request) {
	if enc := r.URL.Query().Get("encoding"); enc != "" && enc != "json" {
		http.Error(w, "discordtest speaks encoding=json only", http.StatusBadRequest)
		return
	}
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &gatewayConn{ws: ws}
	s.mu.Lock()
	s.gw.conns[c] = true
	s.mu.Unlock()
	defer s.dropConn(c)

	hello := map[string]int64{"heartbeat_interval": s.opts.heartbeat.Milliseconds()}
	if c.send(payload{Op: 10, Data: mustJSON(hello)}, false) != nil {
		return
	}
	for {
		_, raw, err := ws.ReadMessage()
		if err != nil {
			return
		}
		var p payload
		if err := json.Unmarshal(raw, &p); err != nil {
			c.close(4002, "Error while decoding payload.")
			return
		}
		switch p.Op {
		case 1:
			s.mu.Lock()
			s.gw.heartbeats++
			s.notify()
			s.mu.Unlock()
			_ = c.send(payload{Op: 11, Data: json.RawMessage("null")}, false)
		case 2:
			if !s.identify(c, p.Data) {
				return
			}
		case 6:
			if !s.resume(c, p.Data) {
				return
			}
		case 3, 4, 8: // presence, voice state, member requests: accepted and ignored
		default:
			c.close(4001, "Unknown opcode.")
			return
		}
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

func (s *Server) identify(c *gatewayConn, raw json.RawMessage) bool {
	// discordgo's presence does not unmarshal from what discordgo marshals
	// (activity timestamps), so it is left raw and unrecorded.
	var in struct {
		discordgo.Identify
		Presence json.RawMessage `json:"presence"`
	}
	if err := json.Unmarshal(raw, &in); err != nil {
		c.close(4002, "Error while decoding payload.")
		return false
	}
	id := in.Identify
	tok := strings.TrimPrefix(id.Token, "Bot ")
	if tok == "" || (s.opts.token != "" && tok != s.opts.token) {
		c.close(4004, "Authentication failed.")
		return false
	}
	if id.Shard != nil && (id.Shard[1] < 1 || id.Shard[0] >= id.Shard[1]) {
		c.close(4010, "Invalid shard.")
		return false
	}
	s.mu.Lock()
	if c.sess != nil && c.sess.valid && c.sess.conn == c {
		s.mu.Unlock()
		c.close(4005, "Already authenticated.")
		return false
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	sess := &gatewaySession{id: hex.EncodeToString(b), conn: c, valid: true}
	s.gw.sessions[sess.id] = sess
	s.gw.current = sess
	s.gw.identifies = append(s.gw.identifies, id)
	c.sess, c.compress = sess, id.Compress
	s.mu.Unlock()

	shard := [2]int{0, 1}
	if id.Shard != nil {
		shard = *id.Shard
	}
	ready := map[string]any{
		"v":                  10,
		"user":               botUser(),
		"guilds":             []map[string]any{{"id": GuildID, "unavailable": true}},
		"session_id":         sess.id,
		"resume_gateway_url": s.GatewayURL(),
		"shard":              shard,
		"application":        map[string]any{"id": AppID, "flags": 0},
		"private_channels":   []any{},
	}
	sess.sendMu.Lock()
	s.emit(sess, "READY", mustJSON(ready), c.compress)
	s.emit(sess, "GUILD_CREATE", mustJSON(guildCreate()), false)
	sess.sendMu.Unlock()
	s.mu.Lock()
	s.gw.readies++
	s.notify()
	s.mu.Unlock()
	return true
}

func guildCreate() map[string]any {
	return map[string]any{
		"id": GuildID, "name": "Briefing Room", "owner_id": UserID, "unavailable": false,
		"member_count": 2, "large": false, "joined_at": "2024-01-02T03:04:05Z",
		"roles":    []map[string]any{{"id": GuildID, "name": "@everyone", "permissions": fmt.Sprint(MemberPermissions), "position": 0}},
		"channels": []map[string]any{{"id": ChannelID, "type": 0, "name": "briefings", "guild_id": GuildID, "position": 0}},
		"members":  []map[string]any{{"user": botUser(), "roles": []string{}, "joined_at": "2024-01-02T03:04:05Z"}},
		"threads":  []any{}, "emojis": []any{}, "stickers": []any{}, "voice_states": []any{}, "presences": []any{},
	}
}

func (s *Server) resume(c *gatewayConn, raw json.RawMessage) bool {
	var r struct {
		Token     string `json:"token"`
		SessionID string `json:"session_id"`
		Seq       int64  `json:"seq"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		c.close(4002, "Error while decoding payload.")
		return false
	}
	s.mu.Lock()
	sess := s.gw.sessions[r.SessionID]
	if sess == nil || !sess.valid || (s.opts.token != "" && strings.TrimPrefix(r.Token, "Bot ") != s.opts.token) {
		s.mu.Unlock()
		return c.send(payload{Op: 9, Data: json.RawMessage("false")}, false) == nil
	}
	s.mu.Unlock()

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

// Identifies returns every Identify payload received, oldest first, so
// tests can assert intents, shard and token.
func (s *Server) Identifies() []discordgo.Identify {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]discordgo.Identify(nil), s.gw.identifies...)
}

// Resumes returns how many sessions were resumed (RESUMED sent).
func (s *Server) Resumes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gw.resumes
}

// Heartbeats returns how many heartbeats (op 1) the fake acknowledged.
func (s *Server) Heartbeats() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gw.heartbeats
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

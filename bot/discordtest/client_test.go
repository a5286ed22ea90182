package discordtest_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"briefbot/bot/discordtest"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// frame is a gateway payload as the tests send and read it.
type frame struct {
	Op   int             `json:"op"`
	Data json.RawMessage `json:"d"`
	Seq  *int64          `json:"s,omitempty"`
	Type string          `json:"t,omitempty"`
}

// testIdentify is an Identify as Discord documents it: token, intents, the
// connection properties os, browser and device, and a valid presence.
func testIdentify(token string, intents discordgo.Intent) map[string]any {
	return map[string]any{
		"token":      token,
		"intents":    intents,
		"properties": map[string]string{"os": "linux", "browser": "discordtest", "device": "discordtest"},
		"presence":   map[string]any{"since": nil, "activities": []any{}, "status": "online", "afk": false},
	}
}

// wsURL adds the version and encoding to a gateway URL.
func wsURL(base string) string {
	return strings.TrimSuffix(base, "/") + "/?v=10&encoding=json"
}

// conn is one raw gateway connection, for tests that send frames by hand.
type conn struct {
	t  *testing.T
	ws *websocket.Conn
}

// dial connects to a gateway URL and reads Hello.
func dial(t *testing.T, url string) *conn {
	t.Helper()
	ws, _, err := websocket.DefaultDialer.Dial(wsURL(url), nil)
	if err != nil {
		t.Fatalf("dial %s: %v", url, err)
	}
	t.Cleanup(func() { _ = ws.Close() })
	c := &conn{t: t, ws: ws}
	if f := c.read(); f.Op != 10 {
		t.Fatalf("first frame op %d, want 10 Hello", f.Op)
	}
	return c
}

// send writes one payload.
func (c *conn) send(op int, d any) {
	c.t.Helper()
	if err := c.ws.WriteJSON(map[string]any{"op": op, "d": d}); err != nil {
		c.t.Fatalf("send op %d: %v", op, err)
	}
}

// read reads one payload, failing the test on a close or after 5 s.
func (c *conn) read() frame {
	c.t.Helper()
	f, code := c.next()
	if code != 0 {
		c.t.Fatalf("connection closed with %d, want a payload", code)
	}
	return f
}

// next reads one payload, or the close code that ended the connection.
func (c *conn) next() (frame, int) {
	c.t.Helper()
	_ = c.ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	var f frame
	_, raw, err := c.ws.ReadMessage()
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		return f, ce.Code
	}
	if err != nil {
		c.t.Fatalf("read: %v", err)
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		c.t.Fatalf("decode %s: %v", raw, err)
	}
	return f, 0
}

// closed reads until the connection closes and returns the close code.
func (c *conn) closed() int {
	c.t.Helper()
	for {
		if _, code := c.next(); code != 0 {
			return code
		}
	}
}

// dispatch reads until the dispatch named t and returns it.
func (c *conn) dispatch(t string) frame {
	c.t.Helper()
	for {
		f := c.read()
		if f.Op == 0 && f.Type == t {
			return f
		}
	}
}

// ready reads READY and returns its session ID and resume URL.
func (c *conn) ready() (sessionID, resumeURL string) {
	c.t.Helper()
	var r struct {
		SessionID string `json:"session_id"`
		ResumeURL string `json:"resume_gateway_url"`
	}
	if err := json.Unmarshal(c.dispatch("READY").Data, &r); err != nil {
		c.t.Fatal(err)
	}
	return r.SessionID, r.ResumeURL
}

// client is a gateway client for the fake's own tests, written from
// Discord's documentation: it identifies as documented, resumes on
// resume_gateway_url, identifies again after op 9 with d false, and hands
// on every interaction. It sends no heartbeats; the fake's interval is 41 s.
type client struct {
	fake    *discordtest.Server
	got     chan *discordgo.Interaction
	resumed chan struct{}

	sessionID, resumeURL string
	seq                  int64
}

// open starts a client against fake and returns a discordgo session for
// answering over REST (never opened: discordgo's own gateway identifies
// with deprecated properties, which the fake flags) and the interactions
// the client receives.
func open(t *testing.T, fake *discordtest.Server) (*discordgo.Session, <-chan *discordgo.Interaction) {
	t.Helper()
	c := startClient(t, fake)
	return fake.Session("test-token"), c.got
}

// startClient starts a client and waits for READY.
func startClient(t *testing.T, fake *discordtest.Server) *client {
	t.Helper()
	c := &client{fake: fake, got: make(chan *discordgo.Interaction, 16), resumed: make(chan struct{}, 4)}
	run, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		for run.Err() == nil {
			c.connect(run)
			time.Sleep(10 * time.Millisecond)
		}
	}()
	t.Cleanup(func() { cancel(); <-done })
	if err := fake.WaitReady(ctx(t)); err != nil {
		t.Fatal(err)
	}
	return c
}

// connect runs one connection until it ends.
func (c *client) connect(ctx context.Context) {
	url := c.fake.GatewayURL()
	if c.sessionID != "" {
		url = c.resumeURL
	}
	ws, _, err := websocket.DefaultDialer.DialContext(ctx, wsURL(url), nil)
	if err != nil {
		return
	}
	defer ws.Close()
	stop := context.AfterFunc(ctx, func() { _ = ws.Close() })
	defer stop()
	for {
		var f frame
		if err := ws.ReadJSON(&f); err != nil {
			return
		}
		if f.Seq != nil {
			c.seq = *f.Seq
		}
		switch f.Op {
		case 10:
			d := any(testIdentify("test-token", discordgo.IntentsGuilds))
			op := 2
			if c.sessionID != "" {
				op, d = 6, map[string]any{"token": "test-token", "session_id": c.sessionID, "seq": c.seq}
			}
			if ws.WriteJSON(map[string]any{"op": op, "d": d}) != nil {
				return
			}
		case 7:
			return
		case 9:
			var resumable bool
			_ = json.Unmarshal(f.Data, &resumable)
			if !resumable {
				c.sessionID, c.resumeURL, c.seq = "", "", 0
			}
			return
		case 0:
			c.dispatch(f)
		}
	}
}

func (c *client) dispatch(f frame) {
	switch f.Type {
	case "READY":
		var r struct {
			SessionID string `json:"session_id"`
			ResumeURL string `json:"resume_gateway_url"`
		}
		_ = json.Unmarshal(f.Data, &r)
		c.sessionID, c.resumeURL = r.SessionID, r.ResumeURL
	case "RESUMED":
		c.resumed <- struct{}{}
	case "INTERACTION_CREATE":
		var i discordgo.Interaction
		if err := json.Unmarshal(f.Data, &i); err == nil {
			c.got <- &i
		}
	}
}

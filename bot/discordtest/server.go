package discordtest

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// The fixed identities the fake speaks for. Builders fill interactions with
// them, and the fake serves them from GET /users/@me, READY and GUILD_CREATE.
const (
	// AppID is the application's ID; it is also the bot user's ID, as for
	// every application created since 2022.
	AppID = "1100000000000000001"
	// BotUserID is the bot user's ID.
	BotUserID = AppID
	// BotUsername is the bot user's name.
	BotUsername = "briefbot"
	// GuildID is the guild the bot is in and interactions come from.
	GuildID = "1100000000000000100"
	// ChannelID is a text channel of GuildID that exists from the start.
	ChannelID = "1100000000000000200"
	// UserID is the member who triggers interactions.
	UserID = "1100000000000000300"
	// Username is UserID's name.
	Username = "reader"
	// MemberPermissions is the permission set of UserID in GuildID as Discord
	// sends it in interactions: view channel, send messages, embed links,
	// read message history and use application commands.
	MemberPermissions = discordgo.PermissionViewChannel | discordgo.PermissionSendMessages |
		discordgo.PermissionEmbedLinks | discordgo.PermissionReadMessageHistory |
		discordgo.PermissionUseApplicationCommands
)

// Server is a fake Discord on loopback: REST under /api/v9 and /api/v10, and
// a gateway websocket. It records every request, rejects what Discord would
// reject, and lets a test drive interactions and faults.
type Server struct {
	t    testing.TB
	http *httptest.Server
	// resumeHTTP serves the resume_gateway_url READY hands out: another
	// address than the gateway's, as on Discord.
	resumeHTTP *httptest.Server
	opts       options
	key        ed25519.PrivateKey
	spec       *spec // nil when the OpenAPI document is unavailable

	mu         sync.Mutex
	changed    chan struct{} // closed and replaced on every change, for Await
	offset     time.Duration // added to the clock by Advance
	nextID     int64
	requests   []Request
	violations []Violation
	faults     []*fault
	delays     map[string]time.Duration
	channels   map[string]*discordgo.Channel
	dms        map[string]string // recipient ID → DM channel ID
	messages   map[string][]*discordgo.Message
	commands   map[string][]*discordgo.ApplicationCommand // guild ID ("" for global) → commands
	inters     map[string]*interaction                    // by interaction ID
	byToken    map[string]*interaction
	gw         gatewayState
	lim        limiterState // rate limits, nonces and deleted channels (ratelimit.go)
}

type options struct {
	allowViolations bool
	now             func() time.Time
	heartbeat       time.Duration
	token           string
	limits          *Limits // nil: no rate limits (RateLimits)
	granted         discordgo.Intent
}

// Option configures a Server.
type Option func(*options)

// AllowViolations keeps the fake from failing the test at cleanup when it
// recorded violations: for tests that provoke rejections on purpose and
// inspect Violations themselves.
func AllowViolations() Option { return func(o *options) { o.allowViolations = true } }

// HeartbeatInterval sets the interval announced in Hello; the default is
// Discord's usual 41.25 s.
func HeartbeatInterval(d time.Duration) Option { return func(o *options) { o.heartbeat = d } }

// Token makes the fake accept only this bot token (with or without the
// "Bot " prefix) in REST Authorization headers and gateway Identify. By
// default any non-empty token is accepted.
func Token(token string) Option {
	return func(o *options) { o.token = strings.TrimPrefix(token, "Bot ") }
}

// New starts a fake Discord on 127.0.0.1 and shuts it down when the test
// ends. At cleanup it fails the test if it recorded any violation, unless
// AllowViolations was given.
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := &Server{
		t:        t,
		changed:  make(chan struct{}),
		nextID:   1200000000000000000,
		delays:   map[string]time.Duration{},
		channels: map[string]*discordgo.Channel{},
		dms:      map[string]string{},
		messages: map[string][]*discordgo.Message{},
		commands: map[string][]*discordgo.ApplicationCommand{},
		inters:   map[string]*interaction{},
		byToken:  map[string]*interaction{},
	}
	s.opts.now = time.Now
	s.opts.heartbeat = 41250 * time.Millisecond
	for _, o := range opts {
		o(&s.opts)
	}
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatalf("discordtest: generate key: %v", err)
	}
	s.key = key
	s.channels[ChannelID] = &discordgo.Channel{ID: ChannelID, GuildID: GuildID, Name: "briefings", Type: discordgo.ChannelTypeGuildText}
	s.gw.sessions = map[string]*gatewaySession{}
	s.gw.conns = map[*gatewayConn]bool{}
	s.spec = loadSpec(t, "")

	mux := http.NewServeMux()
	mux.HandleFunc("/api/", s.serveREST)
	mux.HandleFunc("/gateway", s.serveGateway)
	mux.HandleFunc("/gateway/", s.serveGateway)
	s.http = httptest.NewServer(mux)
	s.resumeHTTP = httptest.NewServer(http.HandlerFunc(s.serveResumeGateway))
	t.Cleanup(s.shutdown)
	return s
}

func (s *Server) shutdown() {
	s.closeGateway()
	s.http.CloseClientConnections()
	s.http.Close()
	s.resumeHTTP.CloseClientConnections()
	s.resumeHTTP.Close()
	if s.opts.allowViolations {
		return
	}
	for _, v := range s.Violations() {
		s.t.Errorf("discordtest: %s", v)
	}
}

// URL returns the loopback base URL of the fake, such as
// http://127.0.0.1:41234. REST lives under URL()+"/api/v10".
func (s *Server) URL() string { return s.http.URL }

// GatewayURL returns the websocket URL that GET /gateway and GET
// /gateway/bot announce, where clients connect and identify.
func (s *Server) GatewayURL() string {
	return "ws" + strings.TrimPrefix(s.http.URL, "http") + "/gateway"
}

// ResumeGatewayURL returns the resume_gateway_url that READY hands out: a
// websocket URL on another port than GatewayURL, as Discord's is on
// another host. Resuming anywhere else gets op 9 Invalid Session.
func (s *Server) ResumeGatewayURL() string {
	return "ws" + strings.TrimPrefix(s.resumeHTTP.URL, "http")
}

// PublicKey returns the key that verifies the signatures of interactions the
// fake posts with PostInteraction (the application's public key).
func (s *Server) PublicKey() ed25519.PublicKey { return s.key.Public().(ed25519.PublicKey) }

// Transport returns a RoundTripper that sends requests for discord.com to
// the fake and refuses every other host, so nothing leaves the machine.
func (s *Server) Transport() http.RoundTripper {
	base, _ := url.Parse(s.http.URL)
	return &transport{base: base, next: &http.Transport{Proxy: nil, ForceAttemptHTTP2: false}}
}

type transport struct {
	base *url.URL
	next http.RoundTripper
}

func (tr *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	switch req.URL.Hostname() {
	case "discord.com", "discordapp.com", tr.base.Hostname():
	default:
		return nil, fmt.Errorf("discordtest: refusing request to %s: only discord.com is faked", req.URL.Host)
	}
	out := req.Clone(req.Context())
	out.URL.Scheme = tr.base.Scheme
	out.URL.Host = tr.base.Host
	out.Host = tr.base.Host
	return tr.next.RoundTrip(out)
}

// Attach points a discordgo session at the fake: its HTTP client goes
// through Transport and its websocket dialer reaches the loopback gateway.
// At cleanup, before the fake shuts down, it closes the session, so the
// session does not try to reconnect to a fake that is gone.
func (s *Server) Attach(sess *discordgo.Session) {
	timeout := 20 * time.Second
	if sess.Client != nil && sess.Client.Timeout != 0 {
		timeout = sess.Client.Timeout
	}
	sess.Client = &http.Client{Transport: s.Transport(), Timeout: timeout}
	sess.Dialer = &websocket.Dialer{HandshakeTimeout: 5 * time.Second}
	// Close is discordgo's only race-free way to stop a session: it takes
	// about a second when the websocket is open, nothing otherwise.
	s.t.Cleanup(func() { _ = sess.Close() })
}

// Session returns a new discordgo session for the bot token "Bot "+token,
// attached to the fake and not yet opened.
func (s *Server) Session(token string) *discordgo.Session {
	sess, err := discordgo.New("Bot " + strings.TrimPrefix(token, "Bot "))
	if err != nil {
		s.t.Fatalf("discordtest: new session: %v", err)
	}
	s.Attach(sess)
	return sess
}

// Advance moves the fake's clock forward by d, as if that much time had
// passed since every interaction was dispatched.
func (s *Server) Advance(d time.Duration) {
	s.mu.Lock()
	s.offset += d
	s.mu.Unlock()
}

func (s *Server) now() time.Time {
	s.mu.Lock()
	off := s.offset
	s.mu.Unlock()
	return s.opts.now().Add(off)
}

// Await blocks until cond returns true or ctx ends. The fake calls cond
// again after every change it records (a request, a gateway event), so cond
// may read the fake's state through its methods.
func (s *Server) Await(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		if cond() {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("discordtest: await: %w", ctx.Err())
		case <-ch:
		}
	}
}

// notify wakes every Await; the caller holds s.mu.
func (s *Server) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// newID returns a fresh snowflake; the caller holds s.mu.
func (s *Server) newID() string {
	s.nextID++
	return strconv.FormatInt(s.nextID, 10)
}

// AddChannel makes a guild text channel with this ID exist, so that messages
// can be posted to it. ChannelID and DM channels exist without it.
func (s *Server) AddChannel(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.channels[id] = &discordgo.Channel{ID: id, GuildID: GuildID, Name: "channel-" + id, Type: discordgo.ChannelTypeGuildText}
}

// Messages returns the messages posted in a channel, oldest first, as they
// stand now (edits applied, deleted ones left out). Interaction responses
// and follow-ups count as messages of the interaction's channel.
func (s *Server) Messages(channelID string) []*discordgo.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*discordgo.Message(nil), s.messages[channelID]...)
}

// DMChannel returns the ID of the DM channel opened with a user through
// POST /users/@me/channels, or "" if none was opened.
func (s *Server) DMChannel(userID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dms[userID]
}

// Commands returns the application commands registered by bulk overwrite
// for a guild, or the global ones when guildID is "".
func (s *Server) Commands(guildID string) []*discordgo.ApplicationCommand {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*discordgo.ApplicationCommand(nil), s.commands[guildID]...)
}

func botUser() *discordgo.User {
	return &discordgo.User{ID: BotUserID, Username: BotUsername, Discriminator: "0", Bot: true, Verified: true}
}

func memberUser() *discordgo.User {
	return &discordgo.User{ID: UserID, Username: Username, Discriminator: "0", GlobalName: "Reader"}
}

package discord

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"briefbot/commands"
	"briefbot/internal/retry"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// Gateway runs the bot over Discord's gateway: one websocket session (one
// shard) that receives interactions and answers them through the REST API.
// Fill in the fields and call Run.
type Gateway struct {
	// Token is the bot token, with or without the "Bot " prefix. It never
	// appears in logs or in returned errors.
	Token string
	// AppID is the application ID; empty means the one READY reports.
	AppID string
	// GuildID, when set, registers the commands in that guild only (they
	// show up at once, handy while developing) instead of globally.
	GuildID string
	// ShardID and ShardCount select this process's shard; ShardCount 0
	// means 1. Only shard 0 registers the commands.
	ShardID, ShardCount int
	// Router answers the interactions; *commands.Router implements it.
	Router Router
	// Logger receives the runtime's logs, scrubbed of the token; nil
	// discards them.
	Logger *slog.Logger
	// Metrics, when set, counts interactions and errors.
	Metrics *Metrics
	// Intents are the gateway intents to identify with. briefbot needs
	// none: interactions reach a bot whatever intents it asks for, and it
	// reads nothing else from the gateway, so there is no privileged
	// intent to enable in the Developer Portal.
	Intents discordgo.Intent

	// DeferAfter is how long a handler may run before the bot sends a
	// deferral; 0 means DefaultDeferAfter.
	DeferAfter time.Duration
	// DeferNow, when set and true for an interaction, defers it at once
	// instead of waiting DeferAfter: for commands known to be slow.
	DeferNow func(*discordgo.Interaction) bool
	// HandlerTimeout bounds one handler; 0 means DefaultHandlerTimeout.
	HandlerTimeout time.Duration
	// DrainTimeout bounds the wait for in-flight interactions at shutdown;
	// 0 means DefaultDrainTimeout.
	DrainTimeout time.Duration

	// Configure, when set, is called with the REST session before the
	// gateway connects. Tests use it to point the session's HTTP client and
	// websocket dialer (which the gateway connection uses) at a fake
	// Discord.
	Configure func(*discordgo.Session)
	// OnReady, when set, is called once the session is connected and the
	// commands are registered, with the application ID in use.
	OnReady func(appID string)
}

// readyTimeout bounds the wait for READY when AppID must come from it.
const readyTimeout = 30 * time.Second

// Run connects, registers the command catalog, answers interactions until
// ctx is cancelled, then stops taking new interactions, lets the in-flight
// ones finish (up to DrainTimeout) and closes the gateway. It returns nil
// after a clean shutdown, and a *RefusedError, after the same draining,
// when Discord refuses the bot in a way reconnecting cannot fix (a bad
// token, disallowed intents, a bad shard).
//
// REST goes through discordgo's Session; the gateway through a client of
// our own (gateway_client.go), because discordgo v0.29 resumes on the
// connect URL instead of resume_gateway_url, identifies with the
// deprecated $os properties and retries every close code forever.
func (g *Gateway) Run(ctx context.Context) error {
	secret := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(g.Token), "Bot "))
	if secret == "" {
		return errors.New("gateway: no bot token; set DISCORD_TOKEN")
	}
	if g.Router == nil {
		return errors.New("gateway: no router")
	}
	shards := max(g.ShardCount, 1)
	if g.ShardID < 0 || g.ShardID >= shards {
		return fmt.Errorf("gateway: shard %d out of range for %d shards", g.ShardID, shards)
	}
	red := redactor{secret}
	log := newRedactingLogger(g.Logger, secret).With("shard", g.ShardID)
	detach := attachDiscordgoLog(log, secret)
	defer detach()

	s, err := discordgo.New("Bot " + secret)
	if err != nil {
		return red.err(fmt.Errorf("gateway: new session: %w", err))
	}
	// The bot needs no cache of guilds or channels.
	s.StateEnabled = false
	s.LogLevel = discordgo.LogWarning
	s.Client = &http.Client{Timeout: 20 * time.Second}
	if g.Configure != nil {
		g.Configure(s)
	}

	log.Info("connecting to the gateway", "shards", shards)
	url, err := gatewayURL(ctx, s)
	if err != nil {
		g.Metrics.Fail("gateway")
		return red.err(err)
	}
	d := newDispatcher(g.Router, log, g.Metrics, g.DeferAfter, g.HandlerTimeout, g.DeferNow)
	// Deferred answers go through the interaction's webhook, as over HTTP:
	// the same client, with discordgo's v9 paths sent to v10.
	hooks, hooksErr := webhookClient(s.Client, DefaultAPIBase)
	// Handlers outlive ctx: at shutdown they get DrainTimeout to finish.
	work, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWork()

	ready := make(chan string, 1)
	client := &gatewayClient{
		token:   secret,
		intents: g.Intents,
		url:     url,
		dialer:  s.Dialer,
		log:     log,
		metrics: g.Metrics,
		onReady: func(r *readyEvent) {
			select {
			case ready <- r.appID():
			default:
			}
		},
		onInteraction: func(i *discordgo.Interaction) {
			if ctx.Err() != nil {
				// shutting down: even before the drain below begins, a
				// new interaction gets the restart notice, not an answer
				d.stopTaking()
			}
			d.dispatch(work, i, &sessionReplier{s: s, i: i, webhook: newWebhook(hooks, hooksErr, i, g.AppID, log, g.Metrics)})
		},
	}
	if client.dialer == nil {
		client.dialer = websocket.DefaultDialer
	}
	if shards > 1 {
		client.shard = &[2]int{g.ShardID, shards}
	}
	// The connection outlives ctx too: while in-flight interactions
	// drain, new ones still arrive and are turned away politely.
	conn, closeConn := context.WithCancel(context.WithoutCancel(ctx))
	defer closeConn()
	connDone := make(chan error, 1)
	go func() { connDone <- client.run(conn) }()
	// stopConn closes the connection and returns why it had ended.
	stopConn := func() error {
		closeConn()
		return red.err(<-connDone)
	}

	appID := g.AppID
	if appID == "" {
		select {
		case appID = <-ready:
		case err := <-connDone:
			connDone <- err
		case <-ctx.Done():
		case <-time.After(readyTimeout):
		}
		if appID == "" && ctx.Err() == nil {
			if err := stopConn(); err != nil {
				return fmt.Errorf("gateway: %w", err)
			}
			return errors.New("gateway: READY did not say the application ID; set DISCORD_APP_ID")
		}
	}

	if ctx.Err() == nil && g.ShardID == 0 {
		if err := g.register(ctx, s, log, appID); err != nil && ctx.Err() == nil {
			g.Metrics.Fail("register")
			_ = stopConn()
			return red.err(err)
		}
	}
	if ctx.Err() == nil && g.OnReady != nil {
		g.OnReady(appID)
	}

	var refused error
	select {
	case <-ctx.Done():
		log.Info("shutting down: finishing in-flight interactions")
	case refused = <-connDone:
		connDone <- refused
		log.Error("Discord refused the bot; stopping", "err", refused)
	}
	drainFor := g.DrainTimeout
	if drainFor <= 0 {
		drainFor = DefaultDrainTimeout
	}
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), drainFor)
	defer cancel()
	if !d.drain(dctx) {
		log.Warn("in-flight interactions did not finish in time; cancelling them", "waited", drainFor)
	}
	stopWork()
	if err := stopConn(); err != nil {
		return fmt.Errorf("gateway: %w", err)
	}
	log.Info("gateway closed")
	return nil
}

// gatewayURL asks Discord (GET /gateway/bot) where to connect and returns
// the URL with the version and encoding. A refused token is a
// *RefusedError.
func gatewayURL(ctx context.Context, s *discordgo.Session) (string, error) {
	gw, err := s.GatewayBot(discordgo.WithContext(ctx))
	if err != nil {
		var re *discordgo.RESTError
		if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode == http.StatusUnauthorized {
			return "", fmt.Errorf("gateway: %w", &RefusedError{Code: http.StatusUnauthorized, Reason: "GET /gateway/bot", Advice: tokenAdvice})
		}
		return "", fmt.Errorf("gateway: GET /gateway/bot: %w", err)
	}
	url, err := withQuery(strings.TrimSuffix(gw.URL, "/"))
	if err != nil {
		return "", fmt.Errorf("gateway: GET /gateway/bot: %w", err)
	}
	return url, nil
}

// register overwrites the application's commands with the catalog: globally,
// or in GuildID.
func (g *Gateway) register(ctx context.Context, s *discordgo.Session, log *slog.Logger, appID string) error {
	n, err := overwrite(ctx, s, appID, g.GuildID, g.Router.Commands())
	if err != nil {
		return fmt.Errorf("gateway: %w", err)
	}
	log.Info("commands registered", "count", n, "guild", g.GuildID)
	return nil
}

// overwrite replaces the application's commands (globally, or in guildID)
// with cmds and returns how many Discord now has.
func overwrite(ctx context.Context, s *discordgo.Session, appID, guildID string, cmds []*discordgo.ApplicationCommand) (int, error) {
	if guildID != "" {
		cmds = commands.ForGuild(cmds)
	}
	got, err := s.ApplicationCommandBulkOverwrite(appID, guildID, cmds, discordgo.WithContext(ctx))
	if err != nil {
		where := "globally"
		if guildID != "" {
			where = "in guild " + guildID
		}
		return 0, fmt.Errorf("register %d commands %s: %w", len(cmds), where, err)
	}
	return len(got), nil
}

// RegisterCommands overwrites the application's commands with cmds through
// the REST API alone, without connecting to the gateway: for `briefbot
// serve`, whose HTTP endpoint has no bot token of its own, or for a one-off
// registration. guildID "" registers globally. configure, when set, is
// called with the session first (tests point it at a fake Discord). The
// token never appears in the returned error.
func RegisterCommands(ctx context.Context, token, appID, guildID string, cmds []*discordgo.ApplicationCommand, configure func(*discordgo.Session)) (int, error) {
	secret := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(token), "Bot "))
	if secret == "" {
		return 0, errors.New("register commands: no bot token; set DISCORD_TOKEN")
	}
	if appID == "" {
		return 0, errors.New("register commands: no application ID; set DISCORD_APP_ID")
	}
	red := redactor{secret}
	s, err := discordgo.New("Bot " + secret)
	if err != nil {
		return 0, red.err(fmt.Errorf("register commands: %w", err))
	}
	s.Client = &http.Client{Timeout: 20 * time.Second}
	if configure != nil {
		configure(s)
	}
	n, err := overwrite(ctx, s, appID, guildID, cmds)
	return n, red.err(err)
}

// sessionReplier answers one interaction over the gateway: the first
// response through the REST callback, the rest through the interaction's
// webhook, as for HTTP interactions. Neither needs the bot token, and both
// go through the webhook's session of its own, so that discordgo's rate
// limiter does not keep a bucket per interaction in the bot's session.
type sessionReplier struct {
	s *discordgo.Session
	i *discordgo.Interaction
	// webhook edits, follows up and deletes.
	*webhook
}

// serverRetries is the retry policy for Discord's 5xx answers to an
// interaction's first response. discordgo itself retries 502 and waits
// out 429s (callbackOptions); other server errors come back to us.
var serverRetries = retry.Policy{Attempts: 3, Backoff: 200 * time.Millisecond}

// callbackOptions turn discordgo's own retries back on for the first
// response, which the webhook's session has off: it waits out 429s and
// resends after 502, as discordgo does by default.
var callbackOptions = []discordgo.RequestOption{discordgo.WithRetryOnRatelimit(true), discordgo.WithRestRetries(3)}

// serverFailure judges a REST error: only a server error may be repeated.
func serverFailure(err error) retry.Verdict { return retry.Verdict{Again: serverError(err)} }

// reply sends the first response. A server error is retried once; if the
// first attempt had in fact reached Discord, the retry is refused as
// "already acknowledged", which means the user has the answer.
//
// discordgo resends a request that met 502 Bad Gateway by itself, so the
// refusal can also come back from the first call.
func (r *sessionReplier) reply(ctx context.Context, resp *discordgo.InteractionResponse) error {
	resp = withNoMentions(resp)
	once := serverRetries
	once.Attempts = 2
	err := once.Do(ctx, func(attempt int) error {
		if attempt > 1 && resp.Data != nil {
			rewind(resp.Data.Files)
		}
		s := r.s // the bot's session, when the interaction has no webhook
		if r.webhook.s != nil {
			s = r.webhook.s
		}
		return respondREST(ctx, s, r.i, resp, callbackOptions...)
	}, serverFailure, nil)
	if restCode(err) == discordgo.ErrCodeInteractionHasAlreadyBeenAcknowledged {
		return nil
	}
	return r.red.err(err) // a failed connection's error holds the URL
}

// rewind puts files that can be read again back at their start, so that a
// retried upload sends them whole rather than empty.
func rewind(files []*discordgo.File) {
	for _, f := range files {
		if s, ok := f.Reader.(io.Seeker); ok {
			_, _ = s.Seek(0, io.SeekStart)
		}
	}
}

// serverError reports whether err is Discord answering 5xx.
func serverError(err error) bool {
	var re *discordgo.RESTError
	return errors.As(err, &re) && re.Response != nil && re.Response.StatusCode >= 500
}

// restCode is Discord's JSON error code in err, or 0.
func restCode(err error) int {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Message != nil {
		return re.Message.Code
	}
	return 0
}

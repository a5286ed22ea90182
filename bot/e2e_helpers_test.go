package bot_test

import (
	"bytes"
	"context"
	"flag"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"briefbot/bot/discord"
	"briefbot/bot/discordtest"
	"briefbot/commands"

	"briefbot/internal/testlib"
	"github.com/bwmarrin/discordgo"
)

// testToken is a distinctive bot token: no log line or error may contain it.
const testToken = "MTEwMDAwMDAwMDAwMDAwMDAwMQ.Gx7QzP.briefbot-e2e-secret-token-4f1d9c"

// wait bounds every wait in these tests; nothing should come close.
const wait = 10 * time.Second

// newRouter returns the real command router over the sample library in
// SQLite.
func newRouter(t *testing.T) *commands.Router {
	return newRouterOn(t, testlib.SQLite)
}

// newRouterOn returns the real command router over the sample library in a
// store of backend b.
func newRouterOn(t *testing.T, b testlib.Backend) *commands.Router {
	return commands.New(b.OpenLibrary(t), commands.Options{})
}

// hookedRouter runs before ahead of the real router's handler: a test makes
// handlers slow or panic with it.
type hookedRouter struct {
	*commands.Router
	before func(i *discordgo.Interaction)
}

func (h hookedRouter) HandleWithProgress(ctx context.Context, i *discordgo.Interaction, progress commands.Progress) *discordgo.InteractionResponse {
	if h.before != nil {
		h.before(i)
	}
	return h.Router.HandleWithProgress(ctx, i, progress)
}

// commandName is the slash command an interaction is for, or "".
func commandName(i *discordgo.Interaction) string {
	if d, ok := i.Data.(discordgo.ApplicationCommandInteractionData); ok {
		return d.Name
	}
	return ""
}

// logBuffer collects every log line of a test, for searching.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// newLogger returns a debug-level JSON logger writing into a fresh buffer.
func newLogger() (*slog.Logger, *logBuffer) {
	b := &logBuffer{}
	return slog.New(slog.NewJSONHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug})), b
}

// runningGateway is a Gateway running against a fake Discord.
type runningGateway struct {
	fake    *discordtest.Server
	gw      *discord.Gateway
	logs    *logBuffer
	metrics *discord.Metrics
	stop    context.CancelFunc
	errc    chan error
}

// startGateway runs g (with the test token, a logger and metrics filled in)
// against fake until it has registered the commands, and shuts it down at
// the end of the test.
func startGateway(t *testing.T, fake *discordtest.Server, g *discord.Gateway) *runningGateway {
	t.Helper()
	log, logs := newLogger()
	if g.Token == "" {
		g.Token = testToken
	}
	g.Logger = log
	g.Metrics = discord.NewMetrics()
	g.Configure = fake.Attach
	ready := make(chan string, 1)
	g.OnReady = func(appID string) { ready <- appID }
	ctx, stop := context.WithCancel(context.Background())
	rg := &runningGateway{fake: fake, gw: g, logs: logs, metrics: g.Metrics, stop: stop, errc: make(chan error, 1)}
	go func() { rg.errc <- g.Run(ctx) }()
	t.Cleanup(func() {
		if err := rg.shutdown(); err != nil {
			t.Errorf("gateway shutdown: %v", err)
		}
		if strings.Contains(logs.String(), strings.TrimPrefix(testToken, "Bot ")) {
			t.Errorf("the logs contain the bot token")
		}
	})
	select {
	case appID := <-ready:
		if appID != discordtest.AppID {
			t.Fatalf("ready with app ID %q, want %q", appID, discordtest.AppID)
		}
	case err := <-rg.errc:
		rg.errc <- err
		t.Fatalf("gateway stopped before it was ready: %v", err)
	case <-time.After(wait):
		t.Fatal("gateway not ready in time")
	}
	return rg
}

// shutdown cancels the gateway and waits for Run to return; it is safe to
// call twice.
func (rg *runningGateway) shutdown() error {
	rg.stop()
	select {
	case err := <-rg.errc:
		rg.errc <- err
		return err
	case <-time.After(wait):
		return context.DeadlineExceeded
	}
}

// ask sends i over the gateway and returns the first response.
func (rg *runningGateway) ask(t *testing.T, i *discordgo.Interaction) (string, *discordgo.InteractionResponse) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	id := rg.fake.SendInteraction(ctx, i)
	resp, err := rg.fake.AwaitResponse(ctx, id)
	if err != nil {
		t.Fatalf("%s: %v", describe(i), err)
	}
	return id, resp
}

// original waits for the interaction's finished original message.
func (rg *runningGateway) original(t *testing.T, id string) *discordgo.Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	m, err := rg.fake.AwaitOriginal(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// describe names an interaction in failure messages.
func describe(i *discordgo.Interaction) string {
	if n := commandName(i); n != "" {
		return "/" + n
	}
	if d, ok := i.Data.(discordgo.MessageComponentInteractionData); ok {
		return "button " + d.CustomID
	}
	return i.Type.String()
}

// messageText flattens what a user reads in a message: content, embeds and
// button labels.
func messageText(content string, embeds []*discordgo.MessageEmbed, components []discordgo.MessageComponent) string {
	var b strings.Builder
	b.WriteString(content)
	for _, e := range embeds {
		b.WriteString("\n" + e.Title + "\n" + e.Description)
		for _, f := range e.Fields {
			b.WriteString("\n" + f.Name + "\n" + f.Value)
		}
		if e.Footer != nil {
			b.WriteString("\n" + e.Footer.Text)
		}
	}
	for _, btn := range buttons(components) {
		b.WriteString("\n[" + btn.Label + "]")
	}
	return b.String()
}

// responseText is messageText of a response's data.
func responseText(resp *discordgo.InteractionResponse) string {
	if resp.Data == nil {
		return ""
	}
	return messageText(resp.Data.Content, resp.Data.Embeds, resp.Data.Components)
}

// buttons lists the buttons in action rows.
func buttons(cs []discordgo.MessageComponent) []discordgo.Button {
	var out []discordgo.Button
	for _, c := range cs {
		switch c := c.(type) {
		case discordgo.ActionsRow:
			out = append(out, buttons(c.Components)...)
		case *discordgo.ActionsRow:
			out = append(out, buttons(c.Components)...)
		case discordgo.Button:
			out = append(out, c)
		case *discordgo.Button:
			out = append(out, *c)
		}
	}
	return out
}

// requestsTo returns the recorded requests with this method whose path
// starts with prefix.
func requestsTo(fake *discordtest.Server, method, prefix string) []discordtest.Request {
	var out []discordtest.Request
	for _, r := range fake.Requests() {
		if r.Method == method && strings.HasPrefix(r.Path, prefix) {
			out = append(out, r)
		}
	}
	return out
}

// update rewrites the golden files under testdata/console.
var update = flag.Bool("update", false, "rewrite golden files under testdata")

// golden compares got with testdata/console/name.golden, or rewrites it
// under -update.
func golden(t *testing.T, name string, got string) {
	t.Helper()
	testlib.Golden(t, filepath.Join("testdata", "console", name+".golden"), got, *update)
}

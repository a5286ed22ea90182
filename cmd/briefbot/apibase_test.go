package main

import (
	"context"
	"encoding/hex"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"briefbot/bot/discordtest"
	"briefbot/briefings"
	"briefbot/db"

	"github.com/bwmarrin/discordgo"
)

// apiBaseChildEnv makes TestAPIBaseChild run briefbot with the arguments in
// BRIEFBOT_TEST_ARGS, as a child process of TestAPIBase_EveryCommand.
const apiBaseChildEnv = "BRIEFBOT_TEST_APIBASE_CHILD"

func TestAPIBaseChild(t *testing.T) {
	if os.Getenv(apiBaseChildEnv) == "" {
		t.Skip("runs only as a child process of TestAPIBase_EveryCommand")
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	m := NewMain()
	m.DotEnv = ""
	err := m.Run(ctx, strings.Fields(os.Getenv("BRIEFBOT_TEST_ARGS")))
	m.Close()
	os.Exit(exitStatus(os.Stderr, err)) // as main does
}

// escapeGuard is a proxy that every request not meant for loopback goes
// through in the child processes: whatever reaches it would have gone to
// the internet. It refuses them all and remembers where they were going.
type escapeGuard struct {
	mu    sync.Mutex
	hosts []string
}

func (g *escapeGuard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	g.hosts = append(g.hosts, r.Method+" "+r.Host)
	g.mu.Unlock()
	http.Error(w, "escaped the fake", http.StatusBadGateway)
}

func (g *escapeGuard) escaped() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.hosts...)
}

// startBriefbot runs `briefbot args...` in a child process with env and
// every non-loopback request sent to guard; it is stopped at cleanup.
func startBriefbot(t *testing.T, guard string, args string, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestAPIBaseChild$")
	cmd.Env = append(os.Environ(), append(env, apiBaseChildEnv+"=1", "BRIEFBOT_TEST_ARGS="+args,
		"HTTPS_PROXY="+guard, "HTTP_PROXY="+guard, "https_proxy="+guard, "http_proxy="+guard, "NO_PROXY=", "no_proxy=")...)
	out, err := os.Create(filepath.Join(t.TempDir(), "out.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		if t.Failed() {
			b, _ := os.ReadFile(out.Name())
			t.Logf("briefbot %s output:\n%s", args, b)
		}
		out.Close()
	})
	return cmd
}

// TestAPIBase_EveryCommand starts `briefbot run`, `briefbot serve` and
// `briefbot deliver` with BRIEFBOT_DISCORD_API_BASE pointing at the fake and
// every other request trapped: each one does its Discord work through the
// fake, with the bot token, and nothing goes anywhere else.
func TestAPIBase_EveryCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	token := "tok-" + strings.Repeat("q", 40)
	fake := discordtest.New(t, discordtest.Token(token))
	guard := &escapeGuard{}
	gs := httptest.NewServer(guard)
	defer gs.Close()
	dir := t.TempDir()
	base := "BRIEFBOT_DISCORD_API_BASE=" + fake.URL()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	t.Run("Run", func(t *testing.T) {
		startBriefbot(t, gs.URL, "run", base, "DISCORD_TOKEN="+token, "DISCORD_GUILD_ID="+discordtest.GuildID,
			"BRIEFBOT_DB="+filepath.Join(dir, "run.db"))
		if err := fake.Await(ctx, func() bool { return len(fake.Commands(discordtest.GuildID)) > 0 }); err != nil {
			t.Fatalf("run never registered its commands with the fake: %v", err)
		}
		id := fake.SendInteraction(ctx, discordtest.Command("actor", discordtest.String("name", "Kim Jong Un")))
		resp, err := fake.AwaitResponse(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if resp.Data == nil || len(resp.Data.Embeds) == 0 {
			t.Fatalf("answer %+v, want an embed", resp.Data)
		}
	})

	t.Run("Serve", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		startBriefbot(t, gs.URL, "serve", base, "DISCORD_TOKEN="+token, "DISCORD_APP_ID="+discordtest.AppID,
			"DISCORD_PUBLIC_KEY="+hex.EncodeToString(fake.PublicKey()), "BRIEFBOT_HTTP_ADDR="+addr,
			"BRIEFBOT_OWNER_IDS="+discordtest.UserID, "BRIEFBOT_DB="+filepath.Join(dir, "serve.db"))
		if err := fake.Await(ctx, func() bool { return len(fake.Commands("")) > 0 }); err != nil {
			t.Fatalf("serve never registered its commands with the fake: %v", err)
		}
		for {
			res, err := http.Get("http://" + addr + "/healthz")
			if err == nil {
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				break
			}
			if ctx.Err() != nil {
				t.Fatalf("serve never listened: %v", err)
			}
			time.Sleep(50 * time.Millisecond)
		}
		// An export is deferred and sent through the interaction webhook.
		i := discordtest.DM(discordtest.Command("briefing", discordtest.SubCommand("export")))
		resp, err := fake.PostInteraction(ctx, "http://"+addr+"/interactions", i)
		if err != nil {
			t.Fatal(err)
		}
		if resp.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
			t.Fatalf("first answer type %d, want a deferral", resp.Type)
		}
		err = fake.Await(ctx, func() bool {
			for _, r := range fake.Requests() {
				if strings.HasPrefix(r.Path, "/webhooks/"+discordtest.AppID+"/") && len(r.Files) > 0 && r.Status < 300 {
					return true
				}
			}
			return false
		})
		if err != nil {
			t.Fatalf("the export never reached the fake's webhook: %v", err)
		}
	})

	t.Run("Deliver", func(t *testing.T) {
		// The run child has loaded the sample library; a channel
		// subscription is due a minute ago.
		path := filepath.Join(dir, "run.db")
		store, err := db.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		channel := "1100000000000000777"
		fake.AddChannel(channel)
		now := time.Now().UTC()
		due := now.Add(-time.Minute)
		_, _, err = store.SaveSubscription(ctx, &briefings.Subscription{GuildID: discordtest.GuildID, ChannelID: channel,
			Topic: "ukraine-war", Times: []briefings.Clock{{Hour: due.Hour(), Minute: due.Minute()}}, Zone: "UTC", Days: briefings.DaysDaily, NothingNew: true}, now.Add(-48*time.Hour))
		store.Close()
		if err != nil {
			t.Fatal(err)
		}
		startBriefbot(t, gs.URL, "deliver --once", base, "DISCORD_TOKEN="+token, "BRIEFBOT_DB="+path)
		if err := fake.Await(ctx, func() bool { return len(fake.Messages(channel)) > 0 }); err != nil {
			t.Fatalf("deliver posted nothing to the fake: %v", err)
		}
	})

	if got := guard.escaped(); len(got) > 0 {
		t.Errorf("requests went past the fake: %v", got)
	}
	for _, r := range fake.Requests() {
		if r.Status == http.StatusUnauthorized {
			t.Errorf("%s %s reached the fake without the bot token", r.Method, r.Path)
		}
	}
}

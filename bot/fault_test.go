package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"briefbot/bot/discord"
	"briefbot/bot/discordtest"

	"github.com/bwmarrin/discordgo"
)

// callbackRoute is where the first answer to an interaction goes.
const callbackRoute = "POST /interactions/*/*/callback"

// answeredOnce waits for the interaction's answer and checks that Discord
// accepted exactly one first response: no duplicate reached the user.
func answeredOnce(t *testing.T, fake *discordtest.Server, id, want string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	resp, err := fake.AwaitResponse(ctx, id)
	if err != nil {
		t.Fatalf("interaction %s: %v", id, err)
	}
	if got := responseText(resp); !strings.Contains(got, want) {
		t.Fatalf("interaction %s answered without %q: %s", id, want, got)
	}
	ok := 0
	for _, r := range requestsTo(fake, "POST", "/interactions/"+id+"/") {
		if r.Status/100 == 2 {
			ok++
		}
	}
	if ok != 1 {
		t.Fatalf("interaction %s: %d accepted callbacks, want exactly 1", id, ok)
	}
}

func TestFault_GatewayDropsDuringAnInteraction(t *testing.T) {
	fake := discordtest.New(t)
	started, release := make(chan struct{}, 1), make(chan struct{})
	router := hookedRouter{Router: newRouter(t), before: func(i *discordgo.Interaction) {
		if commandName(i) == "search" {
			started <- struct{}{}
			<-release
		}
	}}
	startGateway(t, fake, &discord.Gateway{Router: router, DeferAfter: time.Minute})
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()

	// The socket drops while the handler works: answers go over REST, not
	// the gateway, so this one still arrives.
	t.Run("WhileAnswering", func(t *testing.T) {
		before := fake.Resumes()
		id := fake.SendInteraction(ctx, discordtest.Command("search", discordtest.String("query", "Kursk")))
		<-started
		fake.DropGateway()
		close(release)
		answeredOnce(t, fake, id, "Kursk")
		if err := fake.Await(ctx, func() bool { return fake.Resumes() > before }); err != nil {
			t.Fatalf("no resume after the drop: %v", err)
		}
	})
	// The socket drops before the interaction is delivered: the fake keeps
	// it, and the resumed session replays it.
	t.Run("BeforeDelivery", func(t *testing.T) {
		// the resume above may still be settling: drop a live connection
		if err := fake.Await(ctx, fake.Connected); err != nil {
			t.Fatalf("not connected again after the first drop: %v", err)
		}
		before := fake.Resumes()
		fake.DropGateway()
		id := fake.SendInteraction(ctx, discordtest.Command("topics"))
		answeredOnce(t, fake, id, "Alaska")
		// the fake replays the missed interaction before it sends RESUMED,
		// so the answer can come a moment before the resume is counted
		if err := fake.Await(ctx, func() bool { return fake.Resumes() > before }); err != nil {
			t.Fatalf("answered without resuming: the drop did not happen (%v)", err)
		}
	})
	if n := len(fake.Identifies()); n != 1 {
		t.Errorf("%d identifies, want 1: every drop should resume the session", n)
	}
	fake.RequireNoViolations(t)
}

// reconnectStorm sends n op 7 Reconnects, each once the previous one has
// resumed and gap later, with an interaction dispatched right behind each,
// and returns those interactions.
func reconnectStorm(ctx context.Context, t *testing.T, fake *discordtest.Server, n int, gap time.Duration) []string {
	t.Helper()
	var ids []string
	for k := range n {
		before, start := fake.Resumes(), time.Now()
		if err := fake.Reconnect(); err != nil {
			t.Fatal(err)
		}
		// Sent while the client reconnects: the fake keeps it and the
		// resumed session gets it.
		ids = append(ids, fake.SendInteraction(ctx, discordtest.Command("topics")))
		if err := fake.Await(ctx, func() bool { return fake.Resumes() > before && fake.Connected() }); err != nil {
			t.Fatalf("no resume after op 7: %v", err)
		}
		t.Logf("op 7 number %d: resumed after %v", k+1, time.Since(start).Round(time.Millisecond))
		time.Sleep(gap)
	}
	return ids
}

// calm checks that the session stays put for a while: no more resumes.
func calm(t *testing.T, fake *discordtest.Server, d time.Duration) {
	t.Helper()
	before := fake.Resumes()
	time.Sleep(d)
	if got := fake.Resumes() - before; got > 0 {
		t.Errorf("the session resumed %d more times in %v after the storm: it keeps reconnecting", got, d)
	}
}

func TestFault_ReconnectStorm(t *testing.T) {
	fake := discordtest.New(t)
	startGateway(t, fake, &discord.Gateway{Router: newRouter(t)})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// discordgo answers op 7 by closing the socket, waiting a second for
	// the server and resuming; the next op 7 comes just after that.
	ids := reconnectStorm(ctx, t, fake, 3, 1100*time.Millisecond)
	for _, id := range ids {
		answeredOnce(t, fake, id, "Alaska")
	}
	calm(t, fake, 1500*time.Millisecond)
	answeredOnce(t, fake, fake.SendInteraction(ctx, discordtest.Command("topics")), "Alaska")
	if n := len(fake.Identifies()); n != 1 {
		t.Errorf("%d identifies after the op 7 storm, want 1", n)
	}
	fake.RequireNoViolations(t)
}

// TestFault_BackToBackReconnects sends the next op 7 as soon as the session
// has resumed. discordgo v0.29 never settled after this: two of its
// reconnect loops closed each other's fresh connection every heartbeat. The
// gateway client (bot/gateway_client.go) reconnects from one loop, so the
// session resumes each time and then stays put.
func TestFault_BackToBackReconnects(t *testing.T) {
	fake := discordtest.New(t)
	startGateway(t, fake, &discord.Gateway{Router: newRouter(t)})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ids := reconnectStorm(ctx, t, fake, 3, 0)
	for _, id := range ids {
		answeredOnce(t, fake, id, "Alaska")
	}
	calm(t, fake, 2*time.Second)
	if n := len(fake.Identifies()); n != 1 {
		t.Errorf("%d identifies after back-to-back op 7, want 1", n)
	}
	fake.RequireNoViolations(t)
}

func TestFault_RateLimitStorm(t *testing.T) {
	fake := discordtest.New(t)
	startGateway(t, fake, &discord.Gateway{Router: newRouter(t)})
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	// Twenty 429s in a row of 50 ms each: about a second, well inside the
	// three seconds Discord gives the first answer.
	fake.RateLimit(callbackRoute, 20)
	id := fake.SendInteraction(ctx, discordtest.Command("topics"))
	answeredOnce(t, fake, id, "Alaska")
	if got := len(requestsTo(fake, "POST", "/interactions/"+id+"/")); got != 21 {
		t.Errorf("%d callback POSTs, want 21 (20 refused, 1 accepted)", got)
	}
	fake.RequireNoViolations(t)
}

func TestFault_ServerErrors(t *testing.T) {
	fake := discordtest.New(t)
	rg := startGateway(t, fake, &discord.Gateway{Router: newRouter(t)})
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	t.Run("OneOfEach", func(t *testing.T) {
		for _, status := range []int{500, 502, 503, 504} {
			fake.FailNext(callbackRoute, 1, status)
			answeredOnce(t, fake, fake.SendInteraction(ctx, discordtest.Command("topics")), "Alaska")
		}
	})
	// Discord down for longer than the bot retries (one retry of the first
	// answer): the answer is lost, the bot says so in its log and keeps
	// serving.
	t.Run("Outage", func(t *testing.T) {
		fake.FailNext(callbackRoute, 2, 500)
		lost := fake.SendInteraction(ctx, discordtest.Command("topics"))
		if err := eventually(ctx, func() bool { return strings.Contains(rg.logs.String(), "interaction response failed") }); err != nil {
			t.Fatalf("the lost answer was not logged: %v\n%s", err, rg.logs.String())
		}
		if n := len(requestsTo(fake, "POST", "/interactions/"+lost+"/")); n != 2 {
			t.Errorf("%d callback attempts for one answer, want 2", n)
		}
		answeredOnce(t, fake, fake.SendInteraction(ctx, discordtest.Command("topics")), "Alaska")
	})
	fake.RequireNoViolations(t)
}

func TestFault_SlowerThanTheClientTimeout(t *testing.T) {
	fake := discordtest.New(t)
	log, logs := newLogger()
	ready := make(chan string, 1)
	g := &discord.Gateway{Token: testToken, Router: newRouter(t), Logger: log, OnReady: func(appID string) { ready <- appID },
		// discordgo's client gives up after 20 s; 500 ms here keeps the
		// test short and the behaviour the same.
		Configure: func(s *discordgo.Session) {
			fake.Attach(s)
			s.Client.Timeout = 500 * time.Millisecond
		}}
	runCtx, stop := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- g.Run(runCtx) }()
	t.Cleanup(func() {
		stop()
		select {
		case err := <-errc:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(wait):
			t.Error("Run did not return after shutdown")
		}
	})
	select {
	case <-ready:
	case err := <-errc:
		t.Fatalf("Run: %v", err)
	case <-time.After(wait):
		t.Fatal("not ready")
	}
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()

	fake.Delay(callbackRoute, 2*time.Second)
	slow := fake.SendInteraction(ctx, discordtest.Command("topics"))
	if err := eventually(ctx, func() bool { return strings.Contains(logs.String(), "interaction response failed") }); err != nil {
		t.Fatalf("the timed-out answer was not logged: %v\n%s", err, logs.String())
	}
	line := grepLines(logs.String(), "interaction response failed")
	if !strings.Contains(line, "Timeout") && !strings.Contains(line, "deadline") {
		t.Errorf("the log does not say the request timed out: %s", line)
	}
	if !strings.Contains(line, slow) {
		t.Errorf("the log does not name the interaction %s: %s", slow, line)
	}
	fake.Delay(callbackRoute, 0)
	answeredOnce(t, fake, fake.SendInteraction(ctx, discordtest.Command("topics")), "Alaska")
	if strings.Contains(logs.String(), testToken) {
		t.Error("the logs contain the token")
	}
}

// eventually polls cond until it holds or ctx ends: for conditions the fake
// is not told about, such as log lines.
func eventually(ctx context.Context, cond func() bool) error {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
	return nil
}

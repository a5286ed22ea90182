package bot_test

import (
	"context"
	"errors"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"briefbot/bot/discord"
	"briefbot/bot/discordtest"

	"github.com/bwmarrin/discordgo"
)

// TestGatewayClient_Identify: the bot identifies with the documented
// connection properties (os, browser, device; not discordgo's deprecated
// $os) and a valid presence, at the gateway URL with v=10 and
// encoding=json. The fake records a violation for anything else.
func TestGatewayClient_Identify(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	startGateway(t, fake, &discord.Gateway{Router: newRouter(t)})
	ids := fake.Identifies()
	if len(ids) != 1 {
		t.Fatalf("%d identifies, want 1", len(ids))
	}
	want := discordtest.IdentifyProperties{OS: runtime.GOOS, Browser: "briefbot", Device: "briefbot"}
	if got := ids[0].Properties; got != want {
		t.Errorf("properties %+v, want %+v", got, want)
	}
	if got := string(ids[0].Presence); got != `{"activities":[],"afk":false,"since":null,"status":"online"}` {
		t.Errorf("presence %s, want online with no activity", got)
	}
	if got := ids[0].Token; got != strings.TrimPrefix(testToken, "Bot ") {
		t.Errorf("identified with token %q, want the bot token", got)
	}
	conns := fake.GatewayConnections()
	if len(conns) != 1 || !sameQuery(t, conns[0], fake.GatewayURL()) {
		t.Errorf("connections %v, want one to %s?v=10&encoding=json", conns, fake.GatewayURL())
	}
	fake.RequireNoViolations(t)
}

// sameQuery reports whether a connection URL went to base's host with v=10
// and encoding=json.
func sameQuery(t *testing.T, conn, base string) bool {
	t.Helper()
	c, err := url.Parse(conn)
	if err != nil {
		t.Fatal(err)
	}
	b, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := c.Query()
	return c.Host == b.Host && q.Get("v") == "10" && q.Get("encoding") == "json"
}

// TestGatewayClient_ResumesOnResumeURL: after a drop, an op 7 and a
// resumable op 9, the bot resumes on READY's resume_gateway_url (the fake
// refuses a resume anywhere else), with the same version and encoding,
// without identifying again, and the interaction sent meanwhile is
// answered.
func TestGatewayClient_ResumesOnResumeURL(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	startGateway(t, fake, &discord.Gateway{Router: newRouter(t)})
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	for _, fault := range []struct {
		name   string
		inject func() error
	}{
		{"Drop", func() error { fake.DropGateway(); return nil }},
		{"Op7", fake.Reconnect},
		{"Op9Resumable", func() error { return fake.InvalidateSession(true) }},
		{"Close4000", func() error { return fake.CloseGateway(4000) }},
	} {
		t.Run(fault.name, func(t *testing.T) {
			before, conns := fake.Resumes(), len(fake.GatewayConnections())
			if err := fault.inject(); err != nil {
				t.Fatal(err)
			}
			id := fake.SendInteraction(ctx, discordtest.Command("topics"))
			answeredOnce(t, fake, id, "Alaska")
			if err := fake.Await(ctx, func() bool { return fake.Resumes() > before }); err != nil {
				t.Fatalf("no resume: %v", err)
			}
			got := fake.GatewayConnections()[conns:]
			if len(got) != 1 || !sameQuery(t, got[0], fake.ResumeGatewayURL()) {
				t.Fatalf("connections after the fault %v, want one to %s?v=10&encoding=json", got, fake.ResumeGatewayURL())
			}
		})
	}
	if n := len(fake.Identifies()); n != 1 {
		t.Errorf("%d identifies, want 1: every fault should resume", n)
	}
	fake.RequireNoViolations(t)
}

// TestGatewayClient_InvalidSession: op 9 with d false ends the session; the
// bot identifies again at the gateway URL, no sooner than Discord's
// identify rate limit allows, and answers again.
func TestGatewayClient_InvalidSession(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	startGateway(t, fake, &discord.Gateway{Router: newRouter(t)})
	ctx, cancel := context.WithTimeout(context.Background(), 2*wait)
	defer cancel()
	start := time.Now()
	if err := fake.InvalidateSession(false); err != nil {
		t.Fatal(err)
	}
	if err := fake.Await(ctx, func() bool { return len(fake.Identifies()) == 2 }); err != nil {
		t.Fatalf("no second identify: %v", err)
	}
	// One new connection: an Identify sooner would have been refused
	// with another op 9, and the bot would have had to try again.
	conns := fake.GatewayConnections()
	if len(conns) != 2 || !sameQuery(t, conns[1], fake.GatewayURL()) {
		t.Errorf("connections %v, want a second one to the gateway URL %s", conns, fake.GatewayURL())
	}
	if d := time.Since(start); d > discordtest.IdentifyInterval+3*time.Second {
		t.Errorf("identified again after %v", d)
	}
	answeredOnce(t, fake, fake.SendInteraction(ctx, discordtest.Command("topics")), "Alaska")
	fake.RequireNoViolations(t) // a second identify too soon would be refused
}

// TestGatewayClient_ZombieConnection: when heartbeats stop being
// acknowledged, the bot closes the connection itself and resumes.
func TestGatewayClient_ZombieConnection(t *testing.T) {
	fake := discordtest.New(t, discordtest.HeartbeatInterval(300*time.Millisecond))
	rg := startGateway(t, fake, &discord.Gateway{Router: newRouter(t)})
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := fake.Await(ctx, func() bool { return fake.Heartbeats() >= 2 }); err != nil {
		t.Fatalf("no heartbeats: %v", err)
	}
	before := fake.Resumes()
	fake.WithholdHeartbeatAcks(true)
	if err := fake.Await(ctx, func() bool { return !fake.Connected() }); err != nil {
		t.Fatalf("the bot kept a connection whose heartbeats go unanswered: %v", err)
	}
	fake.WithholdHeartbeatAcks(false)
	if err := fake.Await(ctx, func() bool { return fake.Resumes() > before }); err != nil {
		t.Fatalf("no resume after closing the zombie connection: %v", err)
	}
	if !strings.Contains(rg.logs.String(), "no heartbeat ACK") {
		t.Errorf("the log does not say why the connection was closed:\n%s", rg.logs.String())
	}
	answeredOnce(t, fake, fake.SendInteraction(ctx, discordtest.Command("topics")), "Alaska")
	fake.RequireNoViolations(t)
}

// TestGatewayClient_Refusals: close codes Discord marks as not
// reconnectable end Run with a *RefusedError that says what to change, and
// the bot does not reconnect.
func TestGatewayClient_Refusals(t *testing.T) {
	t.Parallel()
	for _, code := range []int{4004, 4010, 4011, 4012, 4013, 4014} {
		t.Run(strconv.Itoa(code), func(t *testing.T) {
			t.Parallel()
			fake := discordtest.New(t)
			rg := startGateway(t, fake, &discord.Gateway{Router: newRouter(t)})
			if err := fake.CloseGateway(code); err != nil {
				t.Fatal(err)
			}
			err := awaitRun(t, rg)
			var refused *discord.RefusedError
			if !errors.As(err, &refused) || refused.Code != code {
				t.Fatalf("Run returned %v, want a refusal with %d", err, code)
			}
			if refused.Advice == "" || !strings.Contains(err.Error(), refused.Advice) {
				t.Errorf("the error gives no advice: %v", err)
			}
			time.Sleep(300 * time.Millisecond)
			if n := len(fake.GatewayConnections()); n != 1 {
				t.Errorf("%d gateway connections, want 1: a refusal must not be retried", n)
			}
		})
	}
}

// TestGatewayClient_PrivilegedIntents: a bot that asks for a privileged
// intent the application was not granted is refused with 4014, and the
// error names the intent as the Developer Portal does; once it is granted,
// the same bot connects.
func TestGatewayClient_PrivilegedIntents(t *testing.T) {
	t.Parallel()
	t.Run("NotGranted", func(t *testing.T) {
		fake := discordtest.New(t)
		g := &discord.Gateway{Token: testToken, Router: newRouter(t), Intents: discordgo.IntentGuildMembers | discordgo.IntentGuilds, Configure: fake.Attach}
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		err := g.Run(ctx)
		var refused *discord.RefusedError
		if !errors.As(err, &refused) || refused.Code != 4014 {
			t.Fatalf("Run returned %v, want a refusal with 4014", err)
		}
		for _, w := range []string{"Server Members Intent", "GUILD_MEMBERS", "Privileged Gateway Intents", "Developer Portal"} {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("the error does not say %q: %v", w, err)
			}
		}
		if strings.Contains(err.Error(), "Presence Intent") {
			t.Errorf("the error names an intent the bot did not ask for: %v", err)
		}
	})
	t.Run("Granted", func(t *testing.T) {
		fake := discordtest.New(t, discordtest.GrantIntents(discordgo.IntentGuildMembers))
		startGateway(t, fake, &discord.Gateway{Router: newRouter(t), Intents: discordgo.IntentGuildMembers})
		if ids := fake.Identifies(); len(ids) != 1 || ids[0].Intents != discordgo.IntentGuildMembers {
			t.Fatalf("identifies %+v, want one with GUILD_MEMBERS", ids)
		}
	})
}

// awaitRun waits for a running gateway's Run to return by itself, and
// returns its error, which the test then owns.
func awaitRun(t *testing.T, rg *runningGateway) error {
	t.Helper()
	select {
	case err := <-rg.errc:
		rg.errc <- nil // the cleanup's shutdown finds Run done
		return err
	case <-time.After(wait):
		t.Fatal("Run is still running")
		return nil
	}
}

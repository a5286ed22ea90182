package main

import (
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"briefbot/bot/discordtest"
	"briefbot/briefings"
	"briefbot/db/pgtest"

	"github.com/bwmarrin/discordgo"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, to look at the outbox
)

// TestReplicas_OnePostgres runs briefbot as a deployment with replicas
// would, each process a child running the real main: two `briefbot serve`
// replicas and two `briefbot deliver` processes share one PostgreSQL
// database and talk to the fake Discord. 1,000 channel subscriptions are
// due in the same slot. While the digests go out, signed interactions are
// answered by both serve replicas; the delivery process holding the
// pending deliveries is SIGKILLed mid-run. The test then stands in for the
// ten minutes of its lease: a restarted replica started while the lease
// lasts takes none of them, and one started after the lease ran out (the
// test ages the dead process's leases in the database) delivers the rest.
// At the fake, every channel has received its digest exactly once.
//
// A part the dead process posted but had not recorded is posted again by
// the process that takes over with the same nonce, which the fake (as
// Discord does) answers with the message already created, within its
// NonceWindow. That window is what makes such a part exactly-once: here
// the takeover comes seconds after the kill.
//
// SQLite has no such test: on SQLite, pending deliveries are not leased
// (db.DB.PendingDeliveries), so the README asks for PostgreSQL to run more
// than one deliver or run process.
func TestReplicas_OnePostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	url := pgtest.NewDatabase(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	began := time.Now()

	token := "tok-" + strings.Repeat("r", 40)
	lim := discordtest.DiscordLimits()
	lim.GlobalWindow = 250 * time.Millisecond // 200/s, four times Discord's, to keep the test short
	fake := discordtest.New(t, discordtest.Token(token), discordtest.RateLimits(lim))
	guard := &escapeGuard{}
	gs := httptest.NewServer(guard)
	defer gs.Close()

	const n = 1000
	channels := dueSubscriptions(t, ctx, url, n)
	t.Logf("%d subscriptions saved, %s in", n, time.Since(began).Round(time.Millisecond))
	for _, ch := range channels {
		fake.AddChannel(ch)
	}
	total := func() int {
		sum := 0
		for _, ch := range channels {
			sum += len(fake.Messages(ch))
		}
		return sum
	}
	env := []string{"BRIEFBOT_DB=" + url, "DISCORD_TOKEN=" + token, "BRIEFBOT_DISCORD_API_BASE=" + fake.URL(), "BRIEFBOT_LOG_LEVEL=warn"}

	// two serve replicas
	var endpoints []string
	for range 2 {
		addr := freeAddr(t)
		startBriefbot(t, gs.URL, "serve", append(env, "DISCORD_APP_ID="+discordtest.AppID,
			"DISCORD_PUBLIC_KEY="+hex.EncodeToString(fake.PublicKey()), "BRIEFBOT_HTTP_ADDR="+addr)...)
		endpoints = append(endpoints, "http://"+addr)
	}
	for _, e := range endpoints {
		awaitHealthy(t, ctx, e)
	}

	// two delivery processes, started together
	deliverers := map[int]*exec.Cmd{}
	for range 2 {
		cmd := startBriefbot(t, gs.URL, "deliver", env...)
		deliverers[cmd.Process.Pid] = cmd
	}

	// both replicas answer signed interactions while the digests go out
	var wg sync.WaitGroup
	answered := make([]int, len(endpoints))
	for i, e := range endpoints {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				resp, err := fake.PostInteraction(ctx, e+"/interactions", discordtest.Command("search", discordtest.String("query", "ice route")))
				if err != nil {
					t.Errorf("replica %d: %v", i, err)
					return
				}
				if resp.Data == nil || !strings.Contains(messageText(resp.Data.Content, resp.Data.Embeds), "Ice route opens early") {
					t.Errorf("replica %d answered /search with %+v, want the ice route briefing", i, resp.Data)
					return
				}
				answered[i]++
				time.Sleep(200 * time.Millisecond)
			}
		}()
	}

	// SIGKILL the process holding the pending deliveries, mid-run
	if err := fake.Await(ctx, func() bool { return total() >= 150 }); err != nil {
		t.Fatalf("the deliver processes posted %d digests: %v", total(), err)
	}
	store, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var holder string
	if err := store.QueryRowContext(ctx, `SELECT coalesce(min(leased_by), '') || '|' || count(DISTINCT leased_by) FROM outbox
		WHERE status = 'pending' AND leased_until <> ''`).Scan(&holder); err != nil {
		t.Fatal(err)
	}
	owner, holders, _ := strings.Cut(holder, "|")
	pid := leasePID(owner)
	victim := deliverers[pid]
	if victim == nil || holders != "1" {
		t.Fatalf("pending deliveries are leased by %q (%s holders); want one of the deliver processes %v", owner, holders, pids(deliverers))
	}
	if err := victim.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_, _ = victim.Process.Wait()
	time.Sleep(250 * time.Millisecond) // a post the fake received before the kill is recorded
	atKill := total()
	if atKill >= n {
		t.Fatalf("all %d digests went out before the kill; the kill was not mid-run", atKill)
	}
	t.Logf("killed deliver process %d after %d digests, %s in", pid, atKill, time.Since(began).Round(time.Millisecond))

	// While the dead process's lease lasts, a restarted replica takes
	// none of its deliveries.
	if out := runOnce(t, ctx, gs.URL, env); !strings.Contains(out, "claimed 0, delivered 0,") {
		t.Errorf("a deliver run during the dead process's lease: %q, want nothing claimed or delivered", out)
	}
	if got := total(); got != atKill {
		t.Errorf("%d digests arrived while the dead process's lease lasts, want none", got-atKill)
	}

	// Ten minutes later its lease has run out: the test ages it, and the
	// restarted replica delivers what the dead one left.
	if _, err := store.ExecContext(ctx, `UPDATE outbox SET leased_until = '2000-01-01T00:00:00Z' WHERE leased_by = $1`, owner); err != nil {
		t.Fatal(err)
	}
	out := runOnce(t, ctx, gs.URL, env)
	t.Logf("the restarted replica: %s", strings.TrimSpace(out))
	if err := fake.Await(ctx, func() bool { return total() >= n }); err != nil {
		t.Fatalf("%d of %d digests arrived: %v", total(), n, err)
	}
	wg.Wait()

	for i, ch := range channels {
		msgs := fake.Messages(ch)
		if len(msgs) != 1 {
			t.Errorf("channel %d received %d digests for the slot, want exactly 1", i, len(msgs))
			continue
		}
		if text := messageText(msgs[0].Content, msgs[0].Embeds); !strings.Contains(text, "Ice route opens early") {
			t.Errorf("channel %d received %q, want the digest with the ice route briefing", i, text)
		}
	}
	var delivered, pending int
	if err := store.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE status = 'delivered' AND parts_sent = 1),
		count(*) FILTER (WHERE status = 'pending') FROM outbox`).Scan(&delivered, &pending); err != nil {
		t.Fatal(err)
	}
	if delivered != n || pending != 0 {
		t.Errorf("outbox: %d delivered with their one part, %d pending; want %d and none", delivered, pending, n)
	}
	for i, a := range answered {
		if a != 5 {
			t.Errorf("serve replica %d answered %d of 5 interactions", i, a)
		}
	}
	posts := 0
	for _, r := range fake.Requests() {
		if r.Method == http.MethodPost && strings.HasPrefix(r.Path, "/channels/") {
			posts++
		}
	}
	if esc := guard.escaped(); len(esc) > 0 {
		t.Errorf("requests escaped the fake: %v", esc)
	}
	t.Logf("%d digests from %d message posts (%d beyond one per channel: 429s and nonce repeats); rate-limit hits %+v; %s",
		total(), posts, posts-n, fake.LimitHits(), time.Since(began).Round(time.Millisecond))
}

// dueSubscriptions makes the library at url: one briefing on "arctic"
// saved three hours ago, and n channel subscriptions to it whose daily
// slot passed a minute ago. It returns their channels.
func dueSubscriptions(t *testing.T, ctx context.Context, url string, n int) []string {
	t.Helper()
	d, now := iceRouteLibrary(t, ctx, url)
	defer d.Close()
	slot := now.Add(-time.Minute)
	channels := make([]string, n)
	for i := range channels {
		channels[i] = fmt.Sprintf("16%017d", i)
		s := &briefings.Subscription{GuildID: discordtest.GuildID, ChannelID: channels[i], UserID: discordtest.UserID, Topic: "arctic",
			Times: []briefings.Clock{{Hour: slot.Hour(), Minute: slot.Minute()}}, Zone: "UTC", Days: briefings.DaysDaily}
		if _, _, err := d.SaveSubscription(ctx, s, now.Add(-2*time.Hour)); err != nil {
			t.Fatalf("subscription %d: %v", i, err)
		}
	}
	return channels
}

// awaitHealthy waits until the server at base answers /healthz.
func awaitHealthy(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	for {
		res, err := http.Get(base + "/healthz")
		if err == nil {
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			return
		}
		if ctx.Err() != nil {
			t.Fatalf("%s never listened: %v", base, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// runOnce runs `briefbot deliver --once` in a child process, as
// startBriefbot does, to the end and returns its output.
func runOnce(t *testing.T, ctx context.Context, guard string, env []string) string {
	t.Helper()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestAPIBaseChild$")
	cmd.Env = append(os.Environ(), append(env, apiBaseChildEnv+"=1", "BRIEFBOT_TEST_ARGS=deliver --once",
		"HTTPS_PROXY="+guard, "HTTP_PROXY="+guard, "https_proxy="+guard, "http_proxy="+guard, "NO_PROXY=", "no_proxy=")...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("deliver --once: %v\n%s", err, out)
	}
	return string(out)
}

// messageText is the text of a message or an answer: its content and its
// embeds' titles, descriptions and fields.
func messageText(content string, embeds []*discordgo.MessageEmbed) string {
	parts := []string{content}
	for _, e := range embeds {
		parts = append(parts, e.Title, e.Description)
		for _, f := range e.Fields {
			parts = append(parts, f.Name, f.Value)
		}
	}
	return strings.Join(parts, "\n")
}

// leasePID is the process ID in a lease holder's name (host:pid:random).
func leasePID(owner string) int {
	parts := strings.Split(owner, ":")
	if len(parts) < 3 {
		return 0
	}
	pid, _ := strconv.Atoi(parts[len(parts)-2])
	return pid
}

// pids lists the process IDs of cmds.
func pids(cmds map[int]*exec.Cmd) []int {
	var out []int
	for pid := range cmds {
		out = append(out, pid)
	}
	return out
}

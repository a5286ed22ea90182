//go:build soak

package bot_test

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"testing"
	"time"

	"briefbot/bot/discord"
	"briefbot/bot/discordtest"
	"briefbot/internal/testlib"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// The soak test runs the bot (this process) against a fake Discord in a
// child process, so that the fake's records of every request do not count
// towards the bot's memory. The child sends mixed traffic with faults for
// BRIEFBOT_SOAK (default 30m) and prints a summary; the bot's goroutines
// and heap are sampled meanwhile and must stay flat.
//
//	make soak                          # 30 minutes
//	BRIEFBOT_SOAK=2m make soak         # shorter
const soakChild = "BRIEFBOT_SOAK_CHILD"

func soakDuration(t *testing.T) time.Duration {
	d := 30 * time.Minute
	if s := os.Getenv("BRIEFBOT_SOAK"); s != "" {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			t.Fatalf("BRIEFBOT_SOAK=%q: %v", s, err)
		}
	}
	return d
}

// footprint is the bot's footprint at one moment.
type footprint struct {
	at         time.Duration
	goroutines int
	heap       uint64
}

func takeSample(start time.Time) footprint {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return footprint{at: time.Since(start), goroutines: runtime.NumGoroutine(), heap: ms.HeapAlloc}
}

func TestSoak(t *testing.T) {
	if os.Getenv(soakChild) != "" {
		soakTraffic(t)
		return
	}
	d := soakDuration(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestSoak$", "-test.timeout=0")
	cmd.Env = append(os.Environ(), soakChild+"=1")
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	lines := bufio.NewScanner(stdout)
	var fakeURL string
	for lines.Scan() {
		if u, ok := strings.CutPrefix(lines.Text(), "fake "); ok {
			fakeURL = u
			break
		}
	}
	if fakeURL == "" {
		t.Fatal("the child never said where its fake Discord is")
	}
	base, err := url.Parse(fakeURL)
	if err != nil {
		t.Fatal(err)
	}

	router, _ := fullRouterOn(t, testlib.SQLite)
	// The logs are scanned as they are written, not kept: a buffer of
	// every line would grow with the traffic and hide the bot's own heap.
	logs := &logScanner{secret: strings.TrimPrefix(testToken, "Bot ")}
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ready := make(chan string, 1)
	g := &discord.Gateway{Token: testToken, Router: router, Logger: log, Metrics: discord.NewMetrics(),
		OnReady: func(appID string) { ready <- appID },
		Configure: func(s *discordgo.Session) {
			s.Client = &http.Client{Timeout: 20 * time.Second, Transport: rewrite{base}}
			s.Dialer = &websocket.Dialer{HandshakeTimeout: 5 * time.Second}
		}}
	ctx, stop := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- g.Run(ctx) }()
	select {
	case <-ready:
	case err := <-errc:
		t.Fatalf("Run: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("the bot did not become ready")
	}

	start := time.Now()
	every := max(d/30, 2*time.Second)
	samples := []footprint{takeSample(start)}
	summary := make(chan string, 1)
	go func() {
		var last string
		for lines.Scan() {
			last = lines.Text()
			if strings.HasPrefix(last, "done ") {
				break
			}
		}
		summary <- last
	}()
	tick := time.NewTicker(every)
	defer tick.Stop()
	var result string
wait:
	for {
		select {
		case result = <-summary:
			break wait
		case <-tick.C:
			s := takeSample(start)
			samples = append(samples, s)
			t.Logf("%6s goroutines %4d heap %6.1f MiB", s.at.Round(time.Second), s.goroutines, float64(s.heap)/(1<<20))
		case <-time.After(d + 2*time.Minute):
			t.Fatal("the traffic never finished")
		}
	}
	if path := os.Getenv("BRIEFBOT_SOAK_HEAP"); path != "" {
		// A heap profile of the running bot, for `go tool pprof`.
		runtime.GC()
		if f, err := os.Create(path); err == nil {
			_ = pprof.WriteHeapProfile(f)
			f.Close()
		}
	}
	stop()
	if err := <-errc; err != nil {
		t.Errorf("Run: %v", err)
	}
	t.Logf("traffic: %s", result)
	if !strings.Contains(result, " lost 0 ") {
		t.Errorf("some interactions were never answered: %s\n%s", result, logs.problems())
	}
	if logs.leaked() {
		t.Error("the logs contain the token")
	}
	t.Logf("%d log lines", logs.count())
	if len(samples) < 6 {
		t.Fatalf("only %d samples; run longer", len(samples))
	}
	// The first samples are warm-up (caches, pools, the first searches);
	// compare the second fifth with the last fifth.
	n := len(samples) / 5
	early, late := mean(samples[n:2*n]), mean(samples[len(samples)-n:])
	t.Logf("early: %.0f goroutines, %.1f MiB; late: %.0f goroutines, %.1f MiB", early.g, early.h/(1<<20), late.g, late.h/(1<<20))
	if late.g > early.g+10 {
		t.Errorf("goroutines grew from %.0f to %.0f", early.g, late.g)
	}
	if late.h > early.h*1.25+2<<20 {
		t.Errorf("heap grew from %.1f MiB to %.1f MiB", early.h/(1<<20), late.h/(1<<20))
	}
}

// logScanner checks each log line for the secret and keeps only the last
// warnings and errors.
type logScanner struct {
	secret string
	mu     sync.Mutex
	lines  int
	leak   bool
	recent []string
}

func (l *logScanner) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines++
	line := string(p)
	l.leak = l.leak || strings.Contains(line, l.secret)
	if strings.Contains(line, `"level":"WARN"`) || strings.Contains(line, `"level":"ERROR"`) {
		l.recent = append(l.recent, line)
		if len(l.recent) > 50 {
			l.recent = l.recent[1:]
		}
	}
	return len(p), nil
}

func (l *logScanner) leaked() bool { l.mu.Lock(); defer l.mu.Unlock(); return l.leak }
func (l *logScanner) count() int   { l.mu.Lock(); defer l.mu.Unlock(); return l.lines }
func (l *logScanner) problems() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.recent, "")
}

type avg struct{ g, h float64 }

func mean(ss []footprint) avg {
	var a avg
	for _, s := range ss {
		a.g += float64(s.goroutines)
		a.h += float64(s.heap)
	}
	return avg{a.g / float64(len(ss)), a.h / float64(len(ss))}
}

// rewrite sends discord.com requests to the child's fake.
type rewrite struct{ base *url.URL }

func (r rewrite) RoundTrip(req *http.Request) (*http.Response, error) {
	out := req.Clone(req.Context())
	out.URL.Scheme, out.URL.Host, out.Host = r.base.Scheme, r.base.Host, r.base.Host
	return http.DefaultTransport.RoundTrip(out)
}

// soakTraffic is the child: a fake Discord sending mixed interactions with
// faults until the soak's time is up.
func soakTraffic(t *testing.T) {
	d := soakDuration(t)
	fake := discordtest.New(t, discordtest.AllowViolations())
	fmt.Println("fake", fake.URL())
	ctx, cancel := context.WithTimeout(context.Background(), d+time.Minute)
	defer cancel()
	if err := fake.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	// Registration comes right after READY.
	if err := fake.Await(ctx, func() bool { return len(fake.Commands("")) > 0 }); err != nil {
		t.Fatal(err)
	}
	traffic := []func() *discordgo.Interaction{
		func() *discordgo.Interaction { return discordtest.Command("topics") },
		func() *discordgo.Interaction { return discordtest.Command("brief") },
		func() *discordgo.Interaction {
			return discordtest.Command("actor", discordtest.String("name", "Kim Jong Un"))
		},
		func() *discordgo.Interaction {
			return discordtest.Command("event", discordtest.String("name", "Alaska summit"))
		},
		func() *discordgo.Interaction {
			return discordtest.Command("search", discordtest.String("query", "Kursk troops"))
		},
		func() *discordgo.Interaction {
			return discordtest.Command("ask", discordtest.String("question", "Who did Putin call?"))
		},
		func() *discordgo.Interaction { return discordtest.Command("timeline") },
		func() *discordgo.Interaction { return discordtest.Command("subscriptions") },
		func() *discordgo.Interaction {
			return discordtest.Autocomplete("actor", discordtest.Focused(discordtest.String("name", "Ki")))
		},
		func() *discordgo.Interaction { return discordtest.Button("brief::1") },
		func() *discordgo.Interaction {
			return discordtest.Command("search", discordtest.String("query", `"NEAR( @everyone '; DROP`))
		},
	}
	const callback = "POST /interactions/*/*/callback"
	faults := []struct {
		name   string
		inject func()
	}{
		{"429", func() { fake.RateLimit(callback, 2) }},
		{"500", func() { fake.FailNext(callback, 1, 500) }},
		{"502", func() { fake.FailNext(callback, 1, 502) }},
		{"drop", fake.DropGateway},
		// op 7 only once the session has settled: see
		// TestFault_BackToBackReconnects.
		{"op7", func() { _ = fake.Reconnect() }},
	}
	rng := rand.New(rand.NewPCG(1, 2))
	deadline := time.Now().Add(d)
	var sent, answered, lost, injected int
	lastFault := time.Now()
	for time.Now().Before(deadline) {
		if time.Since(lastFault) > 3*time.Second && fake.Connected() {
			f := faults[rng.IntN(len(faults))]
			fmt.Fprintf(os.Stderr, "soak: %s fault %s\n", time.Now().Format("15:04:05.000"), f.name)
			f.inject()
			injected++
			lastFault = time.Now()
		}
		id := fake.SendInteraction(ctx, traffic[rng.IntN(len(traffic))]())
		sent++
		actx, acancel := context.WithTimeout(ctx, 10*time.Second)
		_, err := fake.AwaitResponse(actx, id)
		acancel()
		if err != nil {
			lost++
			fmt.Fprintf(os.Stderr, "soak: %s lost %s: %v\n", time.Now().Format("15:04:05.000"), id, err)
		} else {
			answered++
		}
		time.Sleep(time.Duration(rng.IntN(40)) * time.Millisecond)
	}
	fmt.Printf("done sent %d answered %d lost %d faults %d\n", sent, answered, lost, injected)
}

package bot_test

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"briefbot/bot/discord"
	"briefbot/bot/discordtest"
)

// metricsText returns what b serves at /metrics.
func metricsText(t *testing.T, url string) string {
	t.Helper()
	res, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestHTTP_BadSignaturesAreCountedAndLogSampled(t *testing.T) {
	t.Parallel()
	b := startHTTP(t, &discord.HTTPServer{Router: newRouter(t)})
	_, otherKey, _ := ed25519.GenerateKey(rand.Reader)
	body := interactionBody(t, discordtest.Command("topics"))
	ts := now(0)
	const flood = 300
	for i := range flood {
		sig := sign(otherKey, ts, body)
		if i%3 == 1 {
			sig = "" // missing
		}
		if status, out := b.post(t, body, sig, ts); status != http.StatusUnauthorized {
			t.Fatalf("request %d: status %d, want 401: %s", i, status, out)
		}
	}
	if got, want := strings.Count(b.logs.String(), "rejected an interaction request"), 1; got != want {
		t.Fatalf("%d bad signatures wrote %d log lines, want %d:\n%s", flood, got, want, b.logs.String())
	}
	if want := fmt.Sprintf("briefbot_bad_signatures_total %d", flood); !strings.Contains(metricsText(t, b.url), want) {
		t.Fatalf("/metrics lacks %q", want)
	}
	// A good request is still answered, and is not counted.
	if status, out := b.post(t, body, sign(b.key, ts, body), ts); status != http.StatusOK {
		t.Fatalf("a good request after the flood: %d %s", status, out)
	}
	if want := fmt.Sprintf("briefbot_bad_signatures_total %d", flood); !strings.Contains(metricsText(t, b.url), want) {
		t.Fatalf("/metrics lacks %q after a good request", want)
	}
}

func TestHTTP_BadSignatureLogResumesWithCount(t *testing.T) {
	t.Parallel()
	clock := time.Now()
	b := startHTTP(t, &discord.HTTPServer{Router: newRouter(t), Now: func() time.Time { return clock }})
	body := interactionBody(t, discordtest.Command("topics"))
	for range 5 {
		b.post(t, body, "", "")
	}
	clock = clock.Add(11 * time.Second)
	b.post(t, body, "", "")
	logs := b.logs.String()
	if got := strings.Count(logs, "rejected an interaction request"); got != 2 {
		t.Fatalf("log lines = %d, want 2 (one at first, one after 10 s):\n%s", got, logs)
	}
	if !strings.Contains(logs, `"suppressed":4`) {
		t.Fatalf("the second line does not say 4 were left out:\n%s", logs)
	}
}

func TestHTTP_ConnectionCap(t *testing.T) {
	t.Parallel()
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	srv := &discord.HTTPServer{PublicKey: pub, Router: newRouter(t), MaxConnections: 2}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- srv.ServeListener(ctx, ln) }()
	t.Cleanup(func() { cancel(); <-errc })
	addr := ln.Addr().String()

	// healthz asks over a fresh connection and reports whether an answer
	// came within d.
	healthz := func(d time.Duration) bool {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(d))
		fmt.Fprintf(c, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
		line, err := bufio.NewReader(c).ReadString('\n')
		return err == nil && strings.Contains(line, "200")
	}
	if !healthz(2 * time.Second) {
		t.Fatal("no answer with no other connection open")
	}
	// Two idle connections, each half-way through its headers, take both
	// places.
	var held []net.Conn
	for range 2 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		fmt.Fprintf(c, "GET /healthz HTTP/1.1\r\n")
		held = append(held, c)
	}
	time.Sleep(100 * time.Millisecond) // let the server accept them
	if healthz(300 * time.Millisecond) {
		t.Fatal("a third connection was served while two held the cap of 2")
	}
	held[0].Close()
	if !healthz(2 * time.Second) {
		t.Fatal("no answer after a held connection closed")
	}
}

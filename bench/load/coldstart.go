package main

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"briefbot/internal/gen"
)

// Cold start (-coldstart): the time from exec of `briefbot serve` to its
// first answer, as Discord would see it after a restart. Each start gets a
// fresh Ed25519 key and address; the first interaction is sent as soon as
// the port accepts connections, and a deferred answer counts as answered
// when its follow-up reaches the loopback recorder. The library is one copy
// of the cached one, reused by every start, so it is in the operating
// system's page cache as it is when a bot restarts on the same machine.

// firstAsk is an interaction a cold start answers first.
type firstAsk struct {
	name string
	typ  int
	data map[string]any
}

// start is what one cold start measured, from exec.
type start struct {
	// listening is when the port first accepted a connection.
	listening time.Duration
	// responded is when the HTTP response arrived.
	responded time.Duration
	// answered is when the answer was complete: the HTTP response, or the
	// follow-up of a deferred one.
	answered time.Duration
	deferred bool
}

// coldStart starts serve runs times for each first interaction, taking the
// kinds in turn, and prints the median and range of each figure.
func coldStart(ctx context.Context, w io.Writer, bin string, n, runs int) error {
	cached, _, err := gen.Cached(ctx, n)
	if err != nil {
		return err
	}
	path := filepath.Join(os.TempDir(), fmt.Sprintf("briefbot-coldstart-%d.db", n))
	if err := copyFile(cached, path); err != nil {
		return err
	}
	defer os.Remove(path)
	defer os.Remove(path + "-wal")
	defer os.Remove(path + "-shm")
	rec := newRecorder()
	recLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer recLn.Close()
	go http.Serve(recLn, rec)
	logPath := filepath.Join(os.TempDir(), "briefbot-coldstart-serve.log")
	logf, err := os.Create(logPath)
	if err != nil {
		return err
	}
	defer logf.Close()

	g := gen.New(n)
	word := g.Word(5000) // held by a few hundred briefings at 100k
	asks := []firstAsk{
		{name: "PING", typ: 1},
		{name: "/timeline", typ: 2, data: map[string]any{"id": "300000000000000001", "name": "timeline", "type": 1}},
		{name: "/search " + word, typ: 2, data: map[string]any{"id": "300000000000000001", "name": "search", "type": 1,
			"options": []map[string]any{{"name": "query", "type": 3, "value": word}}}},
	}
	load0 := loadAverage()
	got := make([][]start, len(asks))
	for run := range runs {
		for k := range asks {
			i := (run + k) % len(asks) // each kind goes first in turn
			s, err := startOnce(bin, path, recLn.Addr().String(), rec, logf, asks[i])
			if err != nil {
				return fmt.Errorf("cold start %d, %s: %w (serve's log: %s)", run+1, asks[i].name, err, logPath)
			}
			got[i] = append(got[i], s)
		}
	}
	fmt.Fprintf(w, "# Cold start of `%s serve`, %d briefings\n\n", bin, n)
	fmt.Fprintf(w, "Exec to first answer, median and range of %d starts per row, kinds alternating; load average %s before, %s after.\n\n", runs, load0, loadAverage())
	fmt.Fprintln(w, "| First interaction | Port open (ms) | HTTP response (ms) | Answer complete (ms) | Deferred |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|")
	for i, a := range asks {
		var l, r, ans []time.Duration
		deferred := 0
		for _, s := range got[i] {
			l, r, ans = append(l, s.listening), append(r, s.responded), append(ans, s.answered)
			if s.deferred {
				deferred++
			}
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %d of %d |\n", a.name, spread(l), spread(r), spread(ans), deferred, len(got[i]))
	}
	return nil
}

// spread is "median (min–max)" in milliseconds.
func spread(ds []time.Duration) string {
	ds = slices.Clone(ds)
	slices.Sort(ds)
	return fmt.Sprintf("%s (%s–%s)", ms(ds[len(ds)/2]), ms(ds[0]), ms(ds[len(ds)-1]))
}

// startOnce execs serve, sends the first interaction as soon as the port
// accepts connections, waits for its answer and stops serve.
func startOnce(bin, path, recAddr string, rec *recorder, logf io.Writer, ask firstAsk) (start, error) {
	var s start
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		return s, err
	}
	addr, err := freeAddr()
	if err != nil {
		return s, err
	}
	cmd := serveCommand(bin, path, pub, addr, recAddr)
	cmd.Stdout, cmd.Stderr = logf, logf
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return s, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	reaped := false
	defer func() { // after an error
		if !reaped {
			_ = cmd.Process.Kill()
			<-exited
		}
	}()
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			break
		}
		select {
		case err := <-exited:
			reaped = true
			return s, fmt.Errorf("serve exited before listening: %v", err)
		default:
		}
		if time.Since(t0) > time.Minute {
			return s, fmt.Errorf("serve did not listen within a minute")
		}
		time.Sleep(500 * time.Microsecond)
	}
	s.listening = time.Since(t0)
	req, token := signed("http://"+addr+"/interactions", priv, ask.typ, ask.data)
	client := &http.Client{Timeout: 30 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return s, err
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	s.responded = time.Since(t0)
	if resp.StatusCode != http.StatusOK {
		return s, fmt.Errorf("HTTP %d: %s", resp.StatusCode, strings.TrimSpace(string(raw)))
	}
	var out struct {
		Type int `json:"type"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return s, fmt.Errorf("answer %q: %w", raw, err)
	}
	s.answered = s.responded
	if out.Type == 5 || out.Type == 6 {
		s.deferred = true
		for {
			if t, ok := rec.followUp(token); ok {
				// the edit may arrive before the deferral is read
				s.answered = max(s.responded, t.Sub(t0))
				break
			}
			if time.Since(t0) > time.Minute {
				return s, fmt.Errorf("no follow-up within a minute of the deferral")
			}
			time.Sleep(500 * time.Microsecond)
		}
	}
	_ = cmd.Process.Signal(os.Interrupt)
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		<-exited
	}
	reaped = true
	return s, nil
}

// loadAverage is the machine's 1, 5 and 15 minute load averages.
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], ", ")
}

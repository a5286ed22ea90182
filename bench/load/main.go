// Command load measures `briefbot serve` as Discord uses it: it starts the
// real binary on loopback over a generated library, signs Discord-shaped
// interactions with Ed25519 as Discord does, replays a realistic mix of
// commands and autocomplete at each concurrency asked for, records the
// webhook follow-ups of deferred answers on a loopback stand-in for
// Discord's API (BRIEFBOT_DISCORD_API_BASE), and reports throughput,
// p50/p90/p99 per command, deferrals, errors, and the server's CPU and
// memory:
//
//	go run ./bench/load -bin bin/briefbot -n 100000 -c 8,32,128 -d 20s
//
// With -coldstart it times instead how long serve takes from exec to its
// first answer (coldstart.go):
//
//	go run ./bench/load -bin bin/briefbot -n 100000 -coldstart 7
//
// The library comes from internal/gen's cache (generated on first use).
package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"briefbot/internal/gen"
)

func main() {
	bin := flag.String("bin", "bin/briefbot", "the briefbot binary to serve")
	n := flag.Int("n", 100_000, "briefings in the generated library")
	levels := flag.String("c", "8,32,128", "concurrencies to run, comma-separated")
	dur := flag.Duration("d", 20*time.Second, "how long each concurrency runs")
	warm := flag.Duration("warm", 3*time.Second, "warm-up before each concurrency, not counted")
	dbPath := flag.String("db", "", "serve this copy of the library, or this PostgreSQL database (postgres://…) holding it, instead of a fresh copy of the cached one (kept after the run; for side-by-side runs of two builds)")
	replicas := flag.Int("replicas", 1, "serve processes started on the same library, each on its own port; the load goes to them in turn, request by request")
	coldStarts := flag.Int("coldstart", 0, "instead of the load, time this many cold starts of serve to its first answer for each first interaction (PING, /timeline, /search)")
	flag.Parse()
	if *coldStarts > 0 {
		if err := coldStart(context.Background(), os.Stdout, *bin, *n, *coldStarts); err != nil {
			fmt.Fprintln(os.Stderr, "load:", err)
			os.Exit(1)
		}
		return
	}
	if *replicas < 1 {
		fmt.Fprintln(os.Stderr, "load: -replicas wants at least 1")
		os.Exit(2)
	}
	if err := run(*bin, *n, *dbPath, *levels, *dur, *warm, *replicas); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

func run(bin string, n int, path, levels string, dur, warm time.Duration, replicas int) error {
	ctx := context.Background()
	if path == "" {
		cached, _, err := gen.Cached(ctx, n)
		if err != nil {
			return err
		}
		// serve gets a copy of its own, so that the cached library stays
		// as generated for other benchmarks.
		path = filepath.Join(os.TempDir(), fmt.Sprintf("briefbot-load-%d.db", n))
		if err := copyFile(cached, path); err != nil {
			return err
		}
		defer os.Remove(path)
		defer os.Remove(path + "-wal")
		defer os.Remove(path + "-shm")
	} else if _, err := os.Stat(path); err != nil && !isPostgresURL(path) {
		return fmt.Errorf("-db: %w", err)
	}
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		return err
	}
	rec := newRecorder()
	recLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	go http.Serve(recLn, rec)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1024, MaxConnsPerHost: 0}, Timeout: 30 * time.Second}
	start := time.Now()
	var cmds []*exec.Cmd
	var bases, urls, logs []string
	defer func() {
		for _, cmd := range cmds {
			stopServe(cmd)
		}
	}()
	for i := range replicas {
		addr, err := freeAddr()
		if err != nil {
			return err
		}
		cmd := serveCommand(bin, path, pub, addr, recLn.Addr().String())
		name := "briefbot-load-serve.log"
		if replicas > 1 {
			name = fmt.Sprintf("briefbot-load-serve-%d.log", i+1)
		}
		logPath := filepath.Join(os.TempDir(), name)
		logf, err := os.Create(logPath)
		if err != nil {
			return err
		}
		defer logf.Close()
		cmd.Stdout, cmd.Stderr = logf, logf
		if err := cmd.Start(); err != nil {
			return err
		}
		cmds = append(cmds, cmd)
		base := "http://" + addr
		if err := waitReady(client, base+"/healthz", 60*time.Second); err != nil {
			return fmt.Errorf("%w (serve's log: %s)", err, logPath)
		}
		bases, urls, logs = append(bases, base), append(urls, base+"/interactions"), append(logs, logPath)
	}
	shown := path
	if isPostgresURL(path) {
		shown = "PostgreSQL at " + redactURL(path)
	}
	fmt.Printf("# briefbot serve under load\n\n%d briefings (%s), %d serve process(es) ready in %v; log in %s\n\n", n, shown, replicas, time.Since(start).Round(time.Millisecond), strings.Join(logs, ", "))
	mix := newMix(n)
	for _, l := range strings.Split(levels, ",") {
		c, err := strconv.Atoi(strings.TrimSpace(l))
		if err != nil || c < 1 {
			return fmt.Errorf("-c %q: want positive numbers", levels)
		}
		lv := &level{client: client, urls: urls, priv: priv, mix: mix, rec: rec}
		lv.run(c, warm, false)
		cpu0 := procsCPU(cmds)
		t0 := time.Now()
		res := lv.run(c, dur, true)
		elapsed := time.Since(t0)
		cpu := procsCPU(cmds) - cpu0
		waitFollowUps(rec, res, 15*time.Second)
		var mem memory
		for _, cmd := range cmds {
			rss, hwm, anon, file := procMem(cmd.Process.Pid)
			mem = memory{mem.rss + rss, mem.hwm + hwm, mem.anon + anon, mem.file + file}
		}
		report(os.Stdout, c, elapsed, res, rec, cpu, mem)
	}
	for i, base := range bases {
		resp, err := client.Get(base + "/metrics")
		if err != nil {
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if len(bases) > 1 {
			fmt.Printf("Serve process %d:\n\n", i+1)
		}
		fmt.Println("Server metrics after the run (interaction outcomes, shed work, answer cache):")
		fmt.Println()
		fmt.Println("```")
		for _, line := range strings.Split(string(body), "\n") {
			if strings.HasPrefix(line, "briefbot_interactions_total") || strings.Contains(line, "shed") || strings.Contains(line, "deferred") || strings.HasPrefix(line, "briefbot_answer_cache") {
				fmt.Println(line)
			}
		}
		fmt.Println("```")
	}
	return nil
}

// stopServe interrupts a serve process and waits up to ten seconds for it
// to end before killing it.
func stopServe(cmd *exec.Cmd) {
	_ = cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
	}
}

// isPostgresURL reports whether -db names a PostgreSQL database rather
// than a SQLite file (as db.IsPostgresURL does).
func isPostgresURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// redactURL keeps only the scheme and host of a database URL, so that a
// password never reaches the output.
func redactURL(url string) string {
	rest := url[strings.Index(url, "://")+3:]
	if at := strings.LastIndex(rest, "@"); at >= 0 {
		rest = rest[at+1:]
	}
	if i := strings.IndexAny(rest, "/?"); i >= 0 {
		rest = rest[:i]
	}
	return url[:strings.Index(url, "://")+3] + rest + "/…"
}

// procsCPU is the user and system time of all the processes so far.
func procsCPU(cmds []*exec.Cmd) time.Duration {
	var t time.Duration
	for _, cmd := range cmds {
		t += procCPU(cmd.Process.Pid)
	}
	return t
}

// serveCommand is `briefbot serve` on the library at path, listening on
// addr, checking signatures with pub, and sending deferred answers to the
// recorder at recAddr.
func serveCommand(bin, path string, pub ed25519.PublicKey, addr, recAddr string) *exec.Cmd {
	cmd := exec.Command(bin, "--db", path, "serve")
	cmd.Env = append(os.Environ(),
		"DISCORD_PUBLIC_KEY="+hex.EncodeToString(pub),
		"DISCORD_APP_ID=100000000000000001",
		"DISCORD_TOKEN=",
		"BRIEFBOT_HTTP_ADDR="+addr,
		"BRIEFBOT_SAMPLE=off",
		"BRIEFBOT_LOG_LEVEL=warn",
		"BRIEFBOT_DISCORD_API_BASE=http://"+recAddr,
	)
	return cmd
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func waitReady(c *http.Client, url string, within time.Duration) error {
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		resp, err := c.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("serve was not ready within %v", within)
}

// procCPU is the process's user and system time so far.
func procCPU(pid int) time.Duration {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(raw)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	if len(fields) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(fields[11], 10, 64)
	st, _ := strconv.ParseInt(fields[12], 10, 64)
	return time.Duration(ut+st) * time.Second / 100 // USER_HZ
}

// procMem is the process's resident memory now and at its peak, and of
// what it holds now the part that is its own (anonymous) and the part
// that is file pages, such as a mapped database, in MB.
func procMem(pid int) (rss, hwm, anon, file int) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, 0, 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		name, rest, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		var kb int
		fmt.Sscan(rest, &kb)
		switch name {
		case "VmRSS":
			rss = kb >> 10
		case "VmHWM":
			hwm = kb >> 10
		case "RssAnon":
			anon = kb >> 10
		case "RssFile":
			file = kb >> 10
		}
	}
	return rss, hwm, anon, file
}

// recorder stands in for Discord's API: it accepts the webhook calls that
// complete deferred answers and notes when each interaction's first one
// arrived.
type recorder struct {
	mu    sync.Mutex
	first map[string]time.Time // interaction token → first follow-up
	other atomic.Int64         // calls that were not webhook calls
}

func newRecorder() *recorder { return &recorder{first: map[string]time.Time{}} }

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	now := time.Now()
	_, _ = io.Copy(io.Discard, req.Body)
	// /api/v10/webhooks/{app}/{token}/messages/@original and the like
	parts := strings.Split(strings.TrimPrefix(req.URL.Path, "/api/v10/"), "/")
	if len(parts) >= 3 && parts[0] == "webhooks" {
		r.mu.Lock()
		if _, ok := r.first[parts[2]]; !ok {
			r.first[parts[2]] = now
		}
		r.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"id":"%d","channel_id":"200000000000000001","content":"","type":0}`, now.UnixNano())
		return
	}
	r.other.Add(1)
	http.Error(w, `{"message":"404: Not Found","code":0}`, http.StatusNotFound)
}

// waitFollowUps waits until every deferred answer in ss has its follow-up,
// or for at most d.
func waitFollowUps(rec *recorder, ss []sample, d time.Duration) {
	deadline := time.Now().Add(d)
	for _, s := range ss {
		for s.deferred && time.Now().Before(deadline) {
			if _, ok := rec.followUp(s.token); ok {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
}

// followUp returns when the first follow-up for token arrived.
func (r *recorder) followUp(token string) (time.Time, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	t, ok := r.first[token]
	return t, ok
}

// request is one kind of interaction the mix sends.
type request struct {
	name   string
	weight int
	// make returns the interaction's type and data for the draw.
	make func(rng *rand.Rand) (int, map[string]any)
}

// mix is the realistic mix: people type into autocomplete far more often
// than they send commands; searches and actor pages lead the commands.
type mix struct {
	reqs  []request
	total int
}

func newMix(n int) *mix {
	g := gen.New(n)
	actors, events, topics := g.Actors(), g.Events(), g.Topics()
	// Questions from facts spread over the library.
	var questions []string
	for i := 0; i < n; i += gen.BatchSize {
		bs := g.Next(gen.BatchSize)
		if len(bs) == 0 {
			break
		}
		f := strings.Fields(strings.Trim(bs[len(bs)-1].Facts[1].Text, "."))
		if len(f) > 4 {
			questions = append(questions, "What about "+f[len(f)-3]+" "+f[len(f)-2]+"?")
		}
		if len(questions) >= 200 {
			break
		}
	}
	zipf := func(rng *rand.Rand, k int) int { // popular ones more often
		return min(k-1, int(float64(k)*rng.Float64()*rng.Float64()*rng.Float64()))
	}
	word := func(rng *rand.Rand) string {
		switch rng.IntN(3) {
		case 0:
			return g.Word(rng.IntN(50)) // common
		case 1:
			return g.Word(200 + rng.IntN(2000)) // mid
		}
		return g.Word(5000 + rng.IntN(20000)) // rare
	}
	cmd := func(name string, opts ...map[string]any) map[string]any {
		return map[string]any{"id": "300000000000000001", "name": name, "type": 1, "options": opts}
	}
	opt := func(name, value string, focused bool) map[string]any {
		o := map[string]any{"name": name, "type": 3, "value": value}
		if focused {
			o["focused"] = true
		}
		return o
	}
	prefix := func(rng *rand.Rand, s string) string { return s[:min(len(s), 1+rng.IntN(4))] }
	m := &mix{reqs: []request{
		{"/actor", 10, func(rng *rand.Rand) (int, map[string]any) {
			return 2, cmd("actor", opt("name", actors[zipf(rng, len(actors))].Name, false))
		}},
		{"/event", 8, func(rng *rand.Rand) (int, map[string]any) {
			return 2, cmd("event", opt("name", events[zipf(rng, len(events))].Name, false))
		}},
		{"/search", 15, func(rng *rand.Rand) (int, map[string]any) {
			q := word(rng)
			if rng.IntN(3) == 0 {
				q += " " + word(rng)
			}
			return 2, cmd("search", opt("query", q, false))
		}},
		{"/ask", 8, func(rng *rand.Rand) (int, map[string]any) {
			return 2, cmd("ask", opt("question", questions[rng.IntN(len(questions))], false))
		}},
		{"/timeline", 6, func(rng *rand.Rand) (int, map[string]any) {
			switch rng.IntN(3) {
			case 0:
				return 2, cmd("timeline")
			case 1:
				return 2, cmd("timeline", opt("topic", topics[zipf(rng, len(topics))], false))
			}
			return 2, cmd("timeline", opt("actor", actors[zipf(rng, len(actors))].Name, false))
		}},
		{"autocomplete", 53, func(rng *rand.Rand) (int, map[string]any) {
			switch rng.IntN(4) {
			case 0, 1:
				return 4, cmd("actor", opt("name", prefix(rng, actors[zipf(rng, len(actors))].Name), true))
			case 2:
				return 4, cmd("event", opt("name", prefix(rng, events[zipf(rng, len(events))].Name), true))
			}
			return 4, cmd("timeline", opt("topic", prefix(rng, topics[rng.IntN(len(topics))]), true))
		}},
	}}
	for _, r := range m.reqs {
		m.total += r.weight
	}
	return m
}

func (m *mix) draw(rng *rand.Rand) *request {
	k := rng.IntN(m.total)
	for i := range m.reqs {
		if k -= m.reqs[i].weight; k < 0 {
			return &m.reqs[i]
		}
	}
	return &m.reqs[len(m.reqs)-1]
}

// sample is what one interaction took.
type sample struct {
	name     string
	latency  time.Duration // to the HTTP answer
	deferred bool
	token    string
	sent     time.Time
	err      string
}

type level struct {
	client *http.Client
	// urls are the serve processes' interaction endpoints, used in turn.
	urls []string
	priv ed25519.PrivateKey
	mix  *mix
	rec  *recorder
}

// seq numbers every interaction of the run: a repeated ID is a replay,
// which the bot ignores.
var seq atomic.Int64

// turn picks the serve process of each request when there are several.
var turn atomic.Int64

// run sends interactions from c workers for d and returns what each took.
func (lv *level) run(c int, d time.Duration, keep bool) []sample {
	var mu sync.Mutex
	var all []sample
	stop := time.Now().Add(d)
	var wg sync.WaitGroup
	for w := range c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), uint64(time.Now().UnixNano())))
			var mine []sample
			for time.Now().Before(stop) {
				mine = append(mine, lv.one(rng))
			}
			if keep {
				mu.Lock()
				all = append(all, mine...)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return all
}

// signed returns a request that posts an interaction of the type with the
// data to url, signed with priv as Discord signs it, and the interaction's
// token (which names its follow-ups).
func signed(url string, priv ed25519.PrivateKey, typ int, data map[string]any) (*http.Request, string) {
	seq := seq.Add(1)
	token := fmt.Sprintf("tok%d-%d", time.Now().UnixNano(), seq)
	body, _ := json.Marshal(map[string]any{
		"id":             strconv.FormatInt(400000000000000000+seq, 10),
		"application_id": "100000000000000001",
		"type":           typ,
		"token":          token,
		"version":        1,
		"guild_id":       "500000000000000001",
		"channel_id":     "200000000000000001",
		"locale":         "en-US",
		"guild_locale":   "en-US",
		"member": map[string]any{
			"user":        map[string]any{"id": strconv.FormatInt(600000000000000000+seq%500, 10), "username": "member", "discriminator": "0", "global_name": "Member"},
			"roles":       []string{},
			"permissions": "2248473465835073",
			"joined_at":   "2024-01-01T00:00:00+00:00",
		},
		"app_permissions": "2248473465835073",
		"data":            data,
	})
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	sig := ed25519.Sign(priv, append([]byte(ts), body...))
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(sig))
	req.Header.Set("X-Signature-Timestamp", ts)
	return req, token
}

// one sends one signed interaction.
func (lv *level) one(rng *rand.Rand) sample {
	r := lv.mix.draw(rng)
	typ, data := r.make(rng)
	url := lv.urls[int(turn.Add(1))%len(lv.urls)]
	req, token := signed(url, lv.priv, typ, data)
	s := sample{name: r.name, token: token, sent: time.Now()}
	resp, err := lv.client.Do(req)
	if err != nil {
		s.latency, s.err = time.Since(s.sent), "transport"
		return s
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	s.latency = time.Since(s.sent)
	if resp.StatusCode != http.StatusOK {
		s.err = "HTTP " + strconv.Itoa(resp.StatusCode)
		return s
	}
	var out struct {
		Type int `json:"type"`
	}
	if json.Unmarshal(raw, &out) != nil {
		s.err = "bad answer"
		return s
	}
	switch {
	case out.Type == 5 || out.Type == 6:
		s.deferred = true
	case typ == 4 && out.Type != 8:
		s.err = fmt.Sprintf("autocomplete answered with type %d", out.Type)
	}
	return s
}

func pct(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	return ds[min(len(ds)-1, int(p*float64(len(ds))))]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d)/float64(time.Millisecond)) }

// memory is the server's resident memory in MB (see procMem).
type memory struct{ rss, hwm, anon, file int }

// report prints one concurrency's table.
func report(w io.Writer, c int, elapsed time.Duration, all []sample, rec *recorder, cpu time.Duration, mem memory) {
	by := map[string][]sample{}
	var names []string
	for _, s := range all {
		if _, ok := by[s.name]; !ok {
			names = append(names, s.name)
		}
		by[s.name] = append(by[s.name], s)
	}
	sort.Strings(names)
	fmt.Fprintf(w, "## Concurrency %d\n\n", c)
	perReq := 0.0
	if len(all) > 0 {
		perReq = float64(cpu) / float64(time.Millisecond) / float64(len(all))
	}
	fmt.Fprintf(w, "%d interactions in %.1f s: **%.0f/s**; server CPU %.2f cores, %.2f ms CPU per interaction, RSS %d MB (peak %d MB; now %d MB its own, %d MB file pages)\n\n",
		len(all), elapsed.Seconds(), float64(len(all))/elapsed.Seconds(), cpu.Seconds()/elapsed.Seconds(), perReq, mem.rss, mem.hwm, mem.anon, mem.file)
	fmt.Fprintln(w, "| Request | Count | p50 ms | p90 ms | p99 ms | max ms | Deferred | Deferred done p99 ms | Not done | Errors |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, name := range names {
		ss := by[name]
		var lat, done []time.Duration
		deferred, errs, missing := 0, map[string]int{}, 0
		for _, s := range ss {
			if s.err != "" {
				errs[s.err]++
				continue
			}
			lat = append(lat, s.latency)
			if s.deferred {
				deferred++
				if t, ok := rec.followUp(s.token); ok {
					done = append(done, t.Sub(s.sent))
				} else {
					missing++
				}
			}
		}
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		sort.Slice(done, func(i, j int) bool { return done[i] < done[j] })
		var es []string
		for e, k := range errs {
			es = append(es, fmt.Sprintf("%d %s", k, e))
		}
		sort.Strings(es)
		errText := "0"
		if len(es) > 0 {
			errText = strings.Join(es, ", ")
		}
		fmt.Fprintf(w, "| %s | %d | %s | %s | %s | %s | %d | %s | %d | %s |\n", name, len(ss), ms(pct(lat, 0.5)), ms(pct(lat, 0.9)), ms(pct(lat, 0.99)),
			ms(pct(lat, 1)), deferred, ms(pct(done, 0.99)), missing, errText)
	}
	fmt.Fprintln(w)
}

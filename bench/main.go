// Command bench measures briefbot end to end on synthetic libraries and
// prints the figures as Markdown tables for BENCHMARKS.md:
//
//	go run -tags sqlite_fts5 ./bench -n 1000,10000,100000
//
// For each size it measures the p50 and p99 latency of every command
// handler through commands.Router.Handle, the same data fetched by raw SQL
// as the floor, and the ratio between them; then import throughput into an
// empty library, resident memory after serving 10,000 commands from the
// largest library, and the time from process start to the first answer.
// With -sidebyside it times /search and /ask against plain FTS5 bm25 in one
// loop instead (sidebyside.go):
//
//	go run -tags sqlite_fts5 ./bench -n 100000 -sidebyside 1000 -runs 5
//
// With -postgres URL it times the handlers on SQLite and on the same
// library copied into PostgreSQL instead, alternating the two (postgres.go):
//
//	go run -tags sqlite_fts5 ./bench -n 100000 -postgres postgres://… -runs 3
//
// Generated libraries are cached under the system's temporary directory
// (see internal/gen), so only the first run pays for generating them.
package main

import (
	"bufio"
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"

	"briefbot/commands"
	"briefbot/db"
	"briefbot/internal/gen"
)

func main() {
	sizes := flag.String("n", "1000,10000,100000", "comma-separated library sizes")
	iterations := flag.Int("iterations", 300, "requests per case and size")
	importN := flag.Int("import", 10_000, "briefings imported into an empty library to measure throughput; 0 skips")
	child := flag.String("child", "", "internal: run one measurement in this process (coldstart or memory)")
	path := flag.String("db", "", "internal: the library a child measurement opens")
	processes := flag.Bool("processes", true, "measure cold start and memory in fresh processes on the largest library")
	only := flag.String("cases", "", "measure only the latency cases whose name matches this regular expression")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the latency runs (not the floors) to this file")
	recallN := flag.Int("recall", 0, "facts picked at random and asked for by their two rarest words through /ask and /search, at each size; 0 skips")
	sideRounds := flag.Int("sidebyside", 0, "instead of the latency table, time /search rare, /search mid and /ask (or the -cases) against plain bm25 in one loop, alternating, this many rounds per run; skips import and processes")
	sideRuns := flag.Int("runs", 5, "runs of -sidebyside per case")
	pgURL := flag.String("postgres", "", "also measure the latency cases on this PostgreSQL database (postgres://…), alternating with SQLite case by case, -runs times; the library is copied into it first when it is empty; floors, import and processes are skipped")
	flag.BoolVar(&showStatements, "statements", false, "print the statements each handler runs")
	flag.IntVar(&floorIterations, "floor-iterations", 0, "runs of each floor's raw queries when fewer than -iterations (a common word's floor takes about a second); 0 runs -iterations")
	flag.Parse()
	log.SetFlags(0)
	ctx := context.Background()

	switch *child {
	case "coldstart":
		if err := coldStartChild(ctx, *path); err != nil {
			log.Fatal(err)
		}
		return
	case "memory":
		if err := memoryChild(ctx, *path); err != nil {
			log.Fatal(err)
		}
		return
	}

	filter, err := regexp.Compile(*only)
	if err != nil {
		log.Fatalf("bench: -cases: %v", err)
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			log.Fatalf("bench: %v", err)
		}
		defer f.Close()
		profile = f
	}
	var ns []int
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 100 {
			log.Fatalf("bench: bad size %q: give sizes of at least 100", s)
		}
		ns = append(ns, n)
	}
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	machine(out)
	var largest string
	for _, n := range ns {
		path, stats, err := gen.Cached(ctx, n)
		if err != nil {
			log.Fatalf("bench: library of %d: %v", n, err)
		}
		if stats.Briefings > 0 {
			fmt.Fprintf(out, "\nGenerated the %d-briefing library: %.0f briefings/s.\n", n, stats.PerSecond())
		}
		if *sideRounds > 0 {
			sideFilter := filter
			if *only == "" {
				sideFilter = sideBySideCases
			}
			if err := sideBySide(ctx, out, path, n, *sideRounds, max(1, *sideRuns), sideFilter); err != nil {
				log.Fatalf("bench: side by side at %d: %v", n, err)
			}
		} else if *pgURL != "" {
			if err := latenciesBoth(ctx, out, path, *pgURL, n, *iterations, max(1, *sideRuns), filter); err != nil {
				log.Fatalf("bench: %d on PostgreSQL: %v", n, err)
			}
		} else if err := latencies(ctx, out, path, n, *iterations, filter); err != nil {
			log.Fatalf("bench: %d: %v", n, err)
		}
		if *recallN > 0 {
			if err := recall(ctx, out, path, n, *recallN); err != nil {
				log.Fatalf("bench: recall at %d: %v", n, err)
			}
		}
		out.Flush()
		largest = path
	}
	if *sideRounds > 0 || *pgURL != "" {
		return
	}
	if *importN > 0 {
		if err := importThroughput(ctx, out, *importN); err != nil {
			log.Fatalf("bench: import: %v", err)
		}
	}
	if *processes {
		if err := children(out, largest); err != nil {
			log.Fatalf("bench: %v", err)
		}
	}
}

// machine prints what the figures were measured on.
func machine(w io.Writer) {
	cpu := "unknown"
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	mem := "unknown"
	if data, err := os.ReadFile("/proc/meminfo"); err == nil {
		if f := strings.Fields(string(data)); len(f) > 1 {
			if kb, err := strconv.Atoi(f[1]); err == nil {
				mem = fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
			}
		}
	}
	fmt.Fprintf(w, "Machine: %d CPUs (%s), %s RAM, %s %s/%s.\n", runtime.NumCPU(), cpu, mem, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

// rawConn opens a read-only connection for the floors and word picking. It
// keeps its statements prepared, as the store does, so that a floor is the
// time SQLite spends running them.
func rawConn(ctx context.Context, path string) (*sql.DB, *sql.Conn, error) {
	raw, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&_stmt_cache_size=64")
	if err != nil {
		return nil, nil, err
	}
	conn, err := raw.Conn(ctx)
	if err != nil {
		raw.Close()
		return nil, nil, err
	}
	return raw, conn, nil
}

// setup opens the library through the store and builds the router and the
// cases.
func setup(ctx context.Context, path string, n int) (*db.DB, *commands.Router, *sql.DB, *sql.Conn, []benchCase, words, error) {
	lib, err := db.Open(ctx, path)
	if err != nil {
		return nil, nil, nil, nil, nil, words{}, err
	}
	raw, conn, err := rawConn(ctx, path)
	if err != nil {
		lib.Close()
		return nil, nil, nil, nil, nil, words{}, err
	}
	w, err := pickWords(ctx, conn, n)
	if err != nil {
		conn.Close()
		raw.Close()
		lib.Close()
		return nil, nil, nil, nil, nil, w, err
	}
	r := commands.New(lib, commands.Options{})
	return lib, r, raw, conn, buildCases(gen.New(n), w, n), w, nil
}

// tracedRouter opens the library a second time through the tracing driver,
// for recording the statements each handler runs (never for timing it).
func tracedRouter(ctx context.Context, path string) (*db.DB, *commands.Router, error) {
	lib, err := db.OpenDriver(ctx, tracedDriver, path)
	if err != nil {
		return nil, nil, fmt.Errorf("open traced: %w", err)
	}
	return lib, commands.New(lib, commands.Options{}), nil
}

// latencies measures every case on the library of n briefings.
func latencies(ctx context.Context, w io.Writer, path string, n, iterations int, filter *regexp.Regexp) error {
	lib, r, raw, conn, cases, _, err := setup(ctx, path, n)
	if err != nil {
		return err
	}
	defer lib.Close()
	defer raw.Close()
	defer conn.Close()
	tlib, traced, err := tracedRouter(ctx, path)
	if err != nil {
		return err
	}
	defer tlib.Close()
	fmt.Fprintf(w, "\n### %d briefings\n\n", n)
	fmt.Fprintln(w, "| Request | Asks | p50 | p99 | Target p99 | Own SQL p50 (statements) | p50 / own SQL | Least SQL p50 | p50 / least SQL | Met |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|---:|---:|---:|:---:|")
	for _, c := range cases {
		if !filter.MatchString(c.name) {
			continue
		}
		l, err := runCase(ctx, r, traced, conn, c, iterations)
		if err != nil {
			return err
		}
		own := float64(l.p50) / float64(max(l.same50, 1))
		least := float64(l.p50) / float64(max(l.floor50, 1))
		met := ms(l.p99) <= c.target
		if c.floorRatio > 0 {
			met = met && own <= c.floorRatio
		}
		target := fmt.Sprintf("%g ms", c.target)
		if c.floorRatio > 0 {
			target += fmt.Sprintf(", ≤ %g× own SQL", c.floorRatio)
		}
		fmt.Fprintf(w, "| %s | %s | %.2f ms | %.2f ms | %s | %.2f ms (%d) | %.2f | %.2f ms | %.2f | %s |\n",
			c.name, c.note, ms(l.p50), ms(l.p99), target, ms(l.same50), l.statements, own, ms(l.floor50), least, yes(met))
	}
	return nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func yes(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}

// importThroughput imports n briefings into an empty library.
func importThroughput(ctx context.Context, w io.Writer, n int) error {
	dir, err := os.MkdirTemp("", "briefbot-import")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	lib, err := db.Open(ctx, filepath.Join(dir, "import.db"))
	if err != nil {
		return err
	}
	defer lib.Close()
	stats, err := gen.Import(ctx, lib, n)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nImport: %d briefings in batches of %d took %s: **%.0f briefings/s** (target ≥ 2,000/s: %s).\n",
		stats.Briefings, gen.BatchSize, stats.Elapsed.Round(time.Millisecond), stats.PerSecond(), yes(stats.PerSecond() >= 2000))
	return nil
}

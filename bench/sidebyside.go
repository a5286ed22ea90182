package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"
)

// The side-by-side mode (-sidebyside) times a handler against two anchors
// in one loop, taking the three in turn, so that all see the same load on a
// shared machine: a burst of other work slows each, not only one. The
// anchors are the least-SQL floor (plain FTS5 bm25 top ten over briefings
// and facts, joined to their briefings, with snippets: floors.go) and the
// barest bm25 top ten (ids only, bareFloor). Each run gives the ratio of the
// handler's p50 to each anchor's p50 over its rounds; the report gives the
// median ratio and its range over several runs, with the load average
// beside them.

// sideBySideCases are the cases the mode measures unless -cases says
// otherwise.
var sideBySideCases = regexp.MustCompile(`^(/search rare|/search mid|/ask)$`)

// sideBySide measures each selected case of the library of n briefings in
// runs runs of rounds rounds each; a round is one handler request and one
// query of each anchor, in an order that turns between rounds.
func sideBySide(ctx context.Context, w io.Writer, path string, n, rounds, runs int, filter *regexp.Regexp) error {
	lib, r, raw, conn, cases, _, err := setup(ctx, path, n)
	if err != nil {
		return err
	}
	defer lib.Close()
	defer raw.Close()
	defer conn.Close()
	fmt.Fprintf(w, "\n### Side by side, %d briefings: handler, bm25 with snippets and bare bm25 in one loop, %d rounds × %d runs\n\n", n, rounds, runs)
	fmt.Fprintf(w, "Load average before: %s.\n\n", loadAverage())
	fmt.Fprintln(w, "| Request | Asks | Handler p50 per run (ms) | bm25 + snippets p50 per run (ms) | Ratio per run | Median (range) | ≤ 3× | Bare bm25 p50 per run (ms) | Ratio per run | Median (range) | ≤ 3× |")
	fmt.Fprintln(w, "|---|---|---|---|---|---:|:---:|---|---|---:|:---:|")
	for _, c := range cases {
		if !filter.MatchString(c.name) {
			continue
		}
		fns := []func() error{handle(ctx, r, c), func() error { return c.floor(ctx, conn) }}
		if c.bare != nil {
			fns = append(fns, func() error { return c.bare(ctx, conn) })
		}
		p50s := make([][]time.Duration, len(fns)) // [fn][run]
		for range runs {
			got, err := alternate(rounds, fns...)
			if err != nil {
				return err
			}
			for i := range fns {
				p50s[i] = append(p50s[i], got[i])
			}
		}
		fmt.Fprintf(w, "| %s | %s | %s |", c.name, c.note, perRun(p50s[0]))
		for _, anchor := range p50s[1:] {
			ratios := make([]float64, runs)
			var rs []string
			for k := range runs {
				ratios[k] = float64(p50s[0][k]) / float64(max(anchor[k], 1))
				rs = append(rs, fmt.Sprintf("%.2f", ratios[k]))
			}
			sorted := slices.Clone(ratios)
			slices.Sort(sorted)
			median := sorted[len(sorted)/2]
			met := "—"
			if strings.HasPrefix(c.name, "/search") {
				met = yes(median <= 3)
			}
			fmt.Fprintf(w, " %s | %s | %.2f (%.2f–%.2f) | %s |", perRun(anchor), strings.Join(rs, ", "), median, sorted[0], sorted[len(sorted)-1], met)
		}
		if len(p50s) < 3 {
			fmt.Fprint(w, " — | — | — | — |")
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "\nLoad average after: %s.\n", loadAverage())
	return nil
}

// perRun lists durations in milliseconds.
func perRun(ds []time.Duration) string {
	s := make([]string, len(ds))
	for i, d := range ds {
		s[i] = fmt.Sprintf("%.3f", ms(d))
	}
	return strings.Join(s, ", ")
}

// alternate runs each fn rounds times, interleaved: round i starts with fn
// i mod len(fns) and takes the rest in order, so that none always runs
// first or after the same one. After a few warm-up rounds it returns each
// fn's p50.
func alternate(rounds int, fns ...func() error) ([]time.Duration, error) {
	for range min(10, rounds) {
		for _, fn := range fns {
			if err := fn(); err != nil {
				return nil, err
			}
		}
	}
	d := make([][]time.Duration, len(fns))
	for k := range d {
		d[k] = make([]time.Duration, rounds)
	}
	for i := range rounds {
		for j := range fns {
			k := (i + j) % len(fns)
			start := time.Now()
			err := fns[k]()
			d[k][i] = time.Since(start)
			if err != nil {
				return nil, err
			}
		}
	}
	p50 := make([]time.Duration, len(fns))
	for k := range d {
		slices.Sort(d[k])
		p50[k] = percentile(d[k], 0.5)
	}
	return p50, nil
}

// loadAverage is the machine's 1, 5 and 15 minute load averages, as uptime
// prints them.
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

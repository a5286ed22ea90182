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

	"github.com/bwmarrin/discordgo"
)

// The side-by-side mode (-sidebyside) times a handler against its least-SQL
// floor (plain FTS5 bm25, floors.go) in one loop, alternating the two, so
// that both see the same load on a shared machine: a burst of other work
// slows both, not only one. Each run gives the ratio of the handler's p50 to
// the floor's p50 over its rounds; the report gives the median ratio and its
// range over several runs, with the load average beside them.

// sideBySideCases are the cases the mode measures unless -cases says
// otherwise.
var sideBySideCases = regexp.MustCompile(`^(/search rare|/search mid|/ask)$`)

// sideRun is one run of one case: its handler and floor p50 over the run's
// rounds.
type sideRun struct {
	handler, floor time.Duration
}

func (r sideRun) ratio() float64 { return float64(r.handler) / float64(max(r.floor, 1)) }

// sideBySide measures each selected case of the library of n briefings in
// runs runs of rounds rounds each; a round is one handler request and one
// floor query, in an order that alternates between rounds.
func sideBySide(ctx context.Context, w io.Writer, path string, n, rounds, runs int, filter *regexp.Regexp) error {
	lib, r, raw, conn, cases, _, err := setup(ctx, path, n)
	if err != nil {
		return err
	}
	defer lib.Close()
	defer raw.Close()
	defer conn.Close()
	fmt.Fprintf(w, "\n### Side by side, %d briefings: handler against plain bm25, %d rounds × %d runs\n\n", n, rounds, runs)
	fmt.Fprintf(w, "Load average before: %s.\n\n", loadAverage())
	fmt.Fprintln(w, "| Request | Asks | Handler p50 per run (ms) | bm25 p50 per run (ms) | Ratio per run | Median ratio | Range | Target | Met |")
	fmt.Fprintln(w, "|---|---|---|---|---|---:|---:|---:|:---:|")
	for _, c := range cases {
		if !filter.MatchString(c.name) {
			continue
		}
		handle := func() error {
			resp := r.Handle(ctx, c.interaction)
			if resp == nil || resp.Data == nil {
				return fmt.Errorf("%s: empty response", c.name)
			}
			if resp.Data.Flags&discordgo.MessageFlagsEphemeral != 0 {
				return fmt.Errorf("%s: the handler answered with an error: %s", c.name, resp.Data.Content)
			}
			return nil
		}
		floor := func() error { return c.floor(ctx, conn) }
		var got []sideRun
		for range runs {
			run, err := alternate(rounds, handle, floor)
			if err != nil {
				return err
			}
			got = append(got, run)
		}
		var hs, fs, rs []string
		ratios := make([]float64, len(got))
		for i, run := range got {
			hs = append(hs, fmt.Sprintf("%.3f", ms(run.handler)))
			fs = append(fs, fmt.Sprintf("%.3f", ms(run.floor)))
			rs = append(rs, fmt.Sprintf("%.2f", run.ratio()))
			ratios[i] = run.ratio()
		}
		slices.Sort(ratios)
		median := ratios[len(ratios)/2]
		target, met := "—", "—"
		if strings.HasPrefix(c.name, "/search") {
			target, met = "≤ 3×", yes(median <= 3)
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %.2f | %.2f–%.2f | %s | %s |\n", c.name, c.note,
			strings.Join(hs, ", "), strings.Join(fs, ", "), strings.Join(rs, ", "), median, ratios[0], ratios[len(ratios)-1], target, met)
	}
	fmt.Fprintf(w, "\nLoad average after: %s.\n", loadAverage())
	return nil
}

// alternate runs a and b rounds times each, interleaved (a then b in even
// rounds, b then a in odd ones), after a few warm-up rounds, and returns
// their p50s.
func alternate(rounds int, a, b func() error) (sideRun, error) {
	for range min(10, rounds) {
		if err := a(); err != nil {
			return sideRun{}, err
		}
		if err := b(); err != nil {
			return sideRun{}, err
		}
	}
	da := make([]time.Duration, rounds)
	db := make([]time.Duration, rounds)
	timed := func(fn func() error, into *time.Duration) error {
		start := time.Now()
		err := fn()
		*into = time.Since(start)
		return err
	}
	for i := range rounds {
		first, second := func() error { return timed(a, &da[i]) }, func() error { return timed(b, &db[i]) }
		if i%2 == 1 {
			first, second = second, first
		}
		if err := first(); err != nil {
			return sideRun{}, err
		}
		if err := second(); err != nil {
			return sideRun{}, err
		}
	}
	slices.Sort(da)
	slices.Sort(db)
	return sideRun{handler: percentile(da, 0.5), floor: percentile(db, 0.5)}, nil
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

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"

	"briefbot/commands"
	"briefbot/db"

	"github.com/bwmarrin/discordgo"
)

// postgresLibrary opens the PostgreSQL database at url as the bot does
// (db.Open), first copying the SQLite library at path into it when it holds
// no library yet; a database that already holds one is used as it is, so
// only the first run pays for the copy.
func postgresLibrary(ctx context.Context, w io.Writer, url, path string) (*db.DB, error) {
	dst, err := db.Open(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", redactURL(url), err)
	}
	src, err := db.Open(ctx, path)
	if err != nil {
		dst.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	defer src.Close()
	tables, err := db.Copy(ctx, src, dst, db.CopyOptions{})
	switch {
	case errors.Is(err, db.ErrNotEmpty):
		fmt.Fprintln(w, "\nThe PostgreSQL database already holds a library: measuring it as it is.")
	case err != nil:
		dst.Close()
		return nil, fmt.Errorf("copy %s into PostgreSQL: %w", path, err)
	default:
		var rows int64
		for _, t := range tables {
			rows += t.Rows
		}
		fmt.Fprintf(w, "\nCopied the library into PostgreSQL: %d rows in %d tables.\n", rows, len(tables))
	}
	return dst, nil
}

// redactURL drops everything but the scheme and host of a database URL, so
// that a password never reaches the output.
func redactURL(url string) string {
	m := regexp.MustCompile(`^(postgres(?:ql)?://)(?:[^@/]*@)?([^/?]*)`).FindStringSubmatch(url)
	if m == nil {
		return "postgres://…"
	}
	return m[1] + m[2] + "/…"
}

// latenciesBoth measures every case on the SQLite library at path and on
// the same library in PostgreSQL at url, alternating the two backends case
// by case and repeating the pair runs times, and prints the medians of the
// runs, their ranges and the ratios. The floors are SQLite statements, so
// they are not measured here.
func latenciesBoth(ctx context.Context, w io.Writer, path, url string, n, iterations, runs int, filter *regexp.Regexp) error {
	lib, r, raw, conn, cases, _, err := setup(ctx, path, n)
	if err != nil {
		return err
	}
	defer lib.Close()
	defer raw.Close()
	defer conn.Close()
	pg, err := postgresLibrary(ctx, w, url, path)
	if err != nil {
		return err
	}
	defer pg.Close()
	pr := commands.New(pg, commands.Options{})
	fmt.Fprintf(w, "\n### %d briefings, SQLite beside PostgreSQL (%d iterations per case and backend, %d runs alternating the backends; no floors)\n\n", n, iterations, runs)
	fmt.Fprintln(w, "| Request | Asks | Target p99 | SQLite p50 | SQLite p99 | PostgreSQL p50 | PostgreSQL p99 | PG / SQLite p50 | PG / SQLite p99 | Met on PG |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|---:|---:|---:|:---:|")
	var notes []string
	for _, c := range cases {
		if !filter.MatchString(c.name) {
			continue
		}
		// A case that PostgreSQL answers with an error where SQLite
		// does not is timed all the same, and its answer told below
		// the table.
		onPG := handle(ctx, pr, c)
		if err := handle(ctx, r, c)(); err == nil {
			if err := onPG(); err != nil && !errors.Is(err, errEmpty) {
				notes = append(notes, fmt.Sprintf("- PostgreSQL answers %q otherwise than SQLite: %v", c.name, err))
				onPG = func() error {
					if err := handle(ctx, pr, c)(); errors.Is(err, errEmpty) {
						return err
					}
					return nil
				}
			}
		}
		var s50, s99, p50, p99 []float64
		for range runs {
			a, b, err := measure(iterations, handle(ctx, r, c))
			if err != nil {
				return fmt.Errorf("sqlite: %w", err)
			}
			s50, s99 = append(s50, ms(a)), append(s99, ms(b))
			a, b, err = measure(iterations, onPG)
			if err != nil {
				return fmt.Errorf("postgres: %w", err)
			}
			p50, p99 = append(p50, ms(a)), append(p99, ms(b))
		}
		fmt.Fprintf(w, "| %s | %s | %g ms | %s | %s | %s | %s | %.1f× | %.1f× | %s |\n", c.name, c.note, c.target,
			spread(s50), spread(s99), spread(p50), spread(p99),
			median(p50)/max(median(s50), 1e-3), median(p99)/max(median(s99), 1e-3), yes(median(p99) <= c.target))
	}
	if len(notes) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, strings.Join(notes, "\n"))
	}
	return nil
}

// errEmpty is a request the handler gave no answer to.
var errEmpty = errors.New("empty response")

// handle is one request of the case through the router, failing when the
// handler answers with an error.
func handle(ctx context.Context, r *commands.Router, c benchCase) func() error {
	return func() error {
		resp := r.Handle(ctx, c.interaction)
		if resp == nil || resp.Data == nil {
			return fmt.Errorf("%s: %w", c.name, errEmpty)
		}
		if resp.Data.Flags&discordgo.MessageFlagsEphemeral != 0 {
			msg := resp.Data.Content
			for _, e := range resp.Data.Embeds {
				msg += " " + e.Title + " " + e.Description
			}
			return fmt.Errorf("%s: the handler answered with an error: %s", c.name, strings.TrimSpace(msg))
		}
		return nil
	}
}

// spread is the median of the values in milliseconds and, with several,
// their range.
func spread(v []float64) string {
	if len(v) == 1 {
		return fmt.Sprintf("%.2f ms", v[0])
	}
	lo, hi := v[0], v[0]
	for _, x := range v {
		lo, hi = min(lo, x), max(hi, x)
	}
	return fmt.Sprintf("%.2f ms (%.2f–%.2f)", median(v), lo, hi)
}

// median is the middle value (the mean of the two middle ones for an even
// count).
func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

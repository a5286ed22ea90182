package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"sort"
	"strings"
	"time"

	"briefbot/briefings"
	"briefbot/commands"
	"briefbot/db"
	"briefbot/internal/gen"

	"github.com/bwmarrin/discordgo"
)

// benchCase is one request a user makes, with the raw SQLite queries that
// fetch the same data as its floor.
type benchCase struct {
	// name labels the case in the results, e.g. "/search common".
	name string
	// note says what the case asks, e.g. the word and how many briefings
	// hold it.
	note string
	// target is the p99 target in milliseconds.
	target float64
	// floorRatio is the most the handler may take over its floor; 0 when
	// the case has no ratio target.
	floorRatio float64
	// interaction is what Discord would send.
	interaction *discordgo.Interaction
	// floor runs the raw queries once.
	floor func(ctx context.Context, conn *sql.Conn) error
	// bare, for searches and /ask, is the barest bm25 top ten over the
	// same match (bareFloor), the second anchor of -sidebyside.
	bare func(ctx context.Context, conn *sql.Conn) error
}

// words picks the words /search and /ask use: the commonest word of the
// library, one held by about 2% of its briefings, and a rare one held by a
// handful, with how many briefings hold each.
type words struct {
	common, mid, rare          string
	commonDF, midDF, rareDF    int
	commonAlt, midAlt, rareAlt string
}

// pickWords reads the document frequencies of the briefing index.
func pickWords(ctx context.Context, conn *sql.Conn, n int) (words, error) {
	var w words
	if _, err := conn.ExecContext(ctx, `CREATE VIRTUAL TABLE IF NOT EXISTS temp.bench_vocab USING fts5vocab(main, briefings_fts, row)`); err != nil {
		return w, fmt.Errorf("vocabulary: %w", err)
	}
	pick := func(order string, df int, word, alt *string, got *int) error {
		rows, err := conn.QueryContext(ctx, `SELECT term, doc FROM temp.bench_vocab WHERE length(term) > 4 ORDER BY `+order+` LIMIT 2`, df)
		if err != nil {
			return err
		}
		defer rows.Close()
		var terms []string
		for rows.Next() {
			var t string
			var d int
			if err := rows.Scan(&t, &d); err != nil {
				return err
			}
			if len(terms) == 0 {
				*got = d
			}
			terms = append(terms, t)
		}
		if len(terms) < 2 {
			return fmt.Errorf("vocabulary too small")
		}
		*word, *alt = terms[0], terms[1]
		return rows.Err()
	}
	if err := pick(`doc DESC, term, ?`, 0, &w.common, &w.commonAlt, &w.commonDF); err != nil {
		return w, err
	}
	if err := pick(`abs(doc - ?), term`, n/50, &w.mid, &w.midAlt, &w.midDF); err != nil {
		return w, err
	}
	if err := pick(`abs(doc - ?), term`, max(3, n/10_000), &w.rare, &w.rareAlt, &w.rareDF); err != nil {
		return w, err
	}
	return w, nil
}

// buildCases returns the requests measured on a library of n briefings.
func buildCases(g *gen.Library, w words, n int) []benchCase {
	actors, events, topics := g.Actors(), g.Events(), g.Topics()
	top, mid := actors[0], actors[len(actors)/2]
	// Most events in the long tail are never drawn; one a twentieth of the
	// way down is mentioned a few dozen times at 100k.
	topEvent, midEvent := events[0], events[len(events)/20]
	pct := func(df int) string { return fmt.Sprintf("%.1f%% of briefings", 100*float64(df)/float64(n)) }
	a, b := factWords(g, n)
	// the generated facts hold no figures, and a "how many" question is
	// answered only by a figure of what it counts, so the question asks
	// about the two words
	question := fmt.Sprintf("What about %s %s?", a, b)
	commonQuestion := fmt.Sprintf("What about %s %s %s?", w.common, a, b)
	// a member's slip in a name: the mid actor's last word with a letter
	// left out, which /ask reads again as the name
	nameWords := strings.Fields(mid.Name)
	last := nameWords[len(nameWords)-1]
	nameWords[len(nameWords)-1] = last[:len(last)/2] + last[len(last)/2+1:]
	slipQuestion := fmt.Sprintf("Who is %s?", strings.Join(nameWords, " "))
	return []benchCase{
		{name: "/actor (most mentioned)", note: top.Name, target: 20, interaction: command("actor", opt("name", top.Name)),
			floor: actorFloor(top.Name)},
		{name: "/actor (mid)", note: mid.Name, target: 20, floorRatio: 1.5, interaction: command("actor", opt("name", mid.Name)),
			floor: actorFloor(mid.Name)},
		{name: "/event (most mentioned)", note: topEvent.Name, target: 20, interaction: command("event", opt("name", topEvent.Name)),
			floor: eventFloor(topEvent.Name)},
		{name: "/event (mid)", note: midEvent.Name, target: 20, floorRatio: 1.5, interaction: command("event", opt("name", midEvent.Name)),
			floor: eventFloor(midEvent.Name)},
		{name: "/timeline", note: "no options", target: 20, interaction: command("timeline"), floor: timelineFloor("", "")},
		{name: "/timeline topic", note: topics[0], target: 20, interaction: command("timeline", opt("topic", topics[0])),
			floor: timelineFloor(briefings.Slugify(topics[0]), "")},
		{name: "/timeline actor", note: top.Name, target: 20, interaction: command("timeline", opt("actor", top.Name)),
			floor: timelineFloor("", top.Name)},
		{name: "/search rare", note: w.rare + ", " + pct(w.rareDF), target: 20, floorRatio: 1.5,
			interaction: command("search", opt("query", w.rare)), floor: searchFloor(w.rare),
			bare: bareFloor(db.MatchQuery(w.rare, false))},
		{name: "/search mid", note: w.mid + ", " + pct(w.midDF), target: 20, floorRatio: 1.5,
			interaction: command("search", opt("query", w.mid)), floor: searchFloor(w.mid),
			bare: bareFloor(db.MatchQuery(w.mid, false))},
		{name: "/search common", note: w.common + ", " + pct(w.commonDF), target: 20,
			interaction: command("search", opt("query", w.common)), floor: searchFloor(w.common)},
		{name: "/search two common", note: w.common + " " + w.commonAlt, target: 20,
			interaction: command("search", opt("query", w.common+" "+w.commonAlt)), floor: searchFloor(w.common + " " + w.commonAlt)},
		{name: "/ask", note: question, target: 20, interaction: command("ask", opt("question", question)),
			floor: askFloor(a + " " + b), bare: bareFloor(db.MatchQuery(a+" "+b, true))},
		{name: "/ask with a common word", note: commonQuestion, target: 20,
			interaction: command("ask", opt("question", commonQuestion)), floor: askFloor(w.common + " " + a + " " + b)},
		{name: "/ask with a slip in a name", note: slipQuestion, target: 20,
			interaction: command("ask", opt("question", slipQuestion)), floor: askFloor(mid.Name)},
		{name: "autocomplete actor, 2 letters", note: top.Name[:2], target: 5,
			interaction: autocomplete("actor", "name", top.Name[:2]), floor: completeFloor(top.Name[:2])},
		{name: "autocomplete actor, 4 letters", note: mid.Name[:4], target: 5,
			interaction: autocomplete("actor", "name", mid.Name[:4]), floor: completeFloor(mid.Name[:4])},
		{name: "autocomplete actor, inner", note: innerPart(mid.Name), target: 5,
			interaction: autocomplete("actor", "name", innerPart(mid.Name)), floor: completeFloor(innerPart(mid.Name))},
		{name: "autocomplete actor, empty", note: "", target: 5,
			interaction: autocomplete("actor", "name", ""), floor: completeFloor("")},
		{name: "autocomplete event", note: midEvent.Name[:3], target: 5,
			interaction: autocomplete("event", "name", midEvent.Name[:3]), floor: completeEventFloor(midEvent.Name[:3])},
		{name: "autocomplete topic", note: topics[1][:3], target: 5,
			interaction: autocomplete("timeline", "topic", topics[1][:3]), floor: completeTopicFloor(topics[1][:3])},
	}
}

// factWords returns the two least frequent words of a fact in the middle of
// the library, so that /ask has something to find.
func factWords(g *gen.Library, n int) (string, string) {
	rank := map[string]int{}
	for i, w := range gen.Vocabulary() {
		rank[w] = i
	}
	var f briefings.Fact
	for i := 0; i <= n/2; i += gen.BatchSize {
		if bs := g.Next(gen.BatchSize); len(bs) > 0 {
			f = bs[len(bs)-1].Facts[1]
		}
	}
	words := strings.Fields(strings.ToLower(strings.Trim(f.Text, ".")))
	sort.Slice(words, func(i, j int) bool { return rank[words[i]] > rank[words[j]] })
	return words[0], words[1]
}

// innerPart is three letters from the middle of a name's last word.
func innerPart(name string) string {
	words := strings.Fields(name)
	last := words[len(words)-1]
	return last[1:4]
}

func opt(name, value string) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionString, Value: value}
}

func command(name string, opts ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.Interaction {
	return &discordgo.Interaction{
		ID: "1", AppID: "1", Type: discordgo.InteractionApplicationCommand, GuildID: "bench", ChannelID: "c",
		Member: &discordgo.Member{User: &discordgo.User{ID: "u"}},
		Data:   discordgo.ApplicationCommandInteractionData{Name: name, Options: opts},
	}
}

func autocomplete(cmd, option, text string) *discordgo.Interaction {
	o := opt(option, text)
	o.Focused = true
	i := command(cmd, o)
	i.Type = discordgo.InteractionApplicationCommandAutocomplete
	return i
}

// latency is what one case measured.
type latency struct {
	p50, p99, floor50, floor99 time.Duration
	// same50 and same99 time the statements the handler itself ran,
	// replayed raw; statements is how many there were.
	same50, same99 time.Duration
	statements     int
}

// measure runs fn iterations times after a warm-up and returns its p50 and
// p99.
func measure(iterations int, fn func() error) (p50, p99 time.Duration, err error) {
	for range min(10, iterations) {
		if err := fn(); err != nil {
			return 0, 0, err
		}
	}
	d := make([]time.Duration, iterations)
	for i := range d {
		start := time.Now()
		if err := fn(); err != nil {
			return 0, 0, err
		}
		d[i] = time.Since(start)
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return percentile(d, 0.50), percentile(d, 0.99), nil
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	i := int(float64(len(sorted)-1)*p + 0.5)
	return sorted[i]
}

// profile, when set (-cpuprofile), receives a CPU profile of the handler
// runs of the first case measured (choose it with -cases).
var profile io.Writer

// showStatements (-statements) prints the statements each handler runs.
var showStatements bool

// floorIterations, when above 0, caps how many times a floor runs (the
// -floor-iterations flag).
var floorIterations int

// runCase measures a case's handler through the router and its floor.
func runCase(ctx context.Context, r, traced *commands.Router, conn *sql.Conn, c benchCase, iterations int) (latency, error) {
	var l latency
	var err error
	profiling := profile != nil
	if profiling {
		if err := pprof.StartCPUProfile(profile); err != nil {
			return l, fmt.Errorf("cpu profile: %w", err)
		}
		profile = nil
	}
	l.p50, l.p99, err = measure(iterations, handle(ctx, r, c))
	if profiling {
		pprof.StopCPUProfile()
	}
	if err != nil {
		return l, err
	}
	floorRuns := iterations
	if floorIterations > 0 {
		floorRuns = min(floorIterations, iterations)
	}
	l.floor50, l.floor99, err = measure(floorRuns, func() error { return c.floor(ctx, conn) })
	if err != nil {
		return l, fmt.Errorf("%s floor: %w", c.name, err)
	}
	traced.Handle(ctx, c.interaction)
	stmts := trace.record(func() { traced.Handle(ctx, c.interaction) })
	if len(stmts) == 0 {
		return l, fmt.Errorf("%s: the handler ran no statement through the traced store", c.name)
	}
	l.statements = len(stmts)
	if showStatements {
		fmt.Fprintf(os.Stderr, "%s runs %d statements:\n", c.name, len(stmts))
		for _, s := range stmts {
			if s.query == "BEGIN" || s.query == "COMMIT" || s.query == "ROLLBACK" {
				fmt.Fprintf(os.Stderr, "             %s\n", s.query)
				continue
			}
			p50, _, err := measure(min(iterations, 200), func() error { return replay(ctx, conn, []statement{s}) })
			if err != nil {
				return l, err
			}
			fmt.Fprintf(os.Stderr, "  %7.3f ms  %s %v\n", ms(p50), abbreviate(s.query), s.args)
		}
	}
	l.same50, l.same99, err = measure(iterations, func() error { return replay(ctx, conn, stmts) })
	if err != nil {
		return l, fmt.Errorf("%s replayed: %w", c.name, err)
	}
	return l, nil
}

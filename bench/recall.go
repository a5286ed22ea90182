package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"unicode"

	"briefbot/commands"
	"briefbot/db"

	"github.com/bwmarrin/discordgo"
)

// recallMisses is how many misses the recall check lists.
const recallMisses = 5

// askLines and searchLines are how many records /ask and /search show
// (commands' askPassages and searchHits): a fact missed when more records
// than that hold both words it was asked by was outnumbered, not lost.
const (
	askLines    = 3
	searchLines = 10
)

// sampledFact is a fact picked for the recall check, with the two of its
// words that fewest facts hold.
type sampledFact struct {
	id           int64
	text, title  string
	words        [2]string
	df0, df1     int
	askHit, sHit bool
	// bothFacts and bothBriefings count the facts and briefings holding
	// both words, for a miss.
	bothFacts, bothBriefings int
}

// recall picks samples facts of published briefings at random, asks for
// each by the two of its words that the fewest facts hold, through /ask
// ("What about w1 w2?") and /search ("w1 w2"), and reports how many
// answers hold the fact: /ask must quote its text, /search must list its
// briefing. The seed is fixed, so a run can be repeated.
func recall(ctx context.Context, w io.Writer, path string, n, samples int) error {
	lib, err := db.Open(ctx, path)
	if err != nil {
		return err
	}
	defer lib.Close()
	raw, conn, err := rawConn(ctx, path)
	if err != nil {
		return err
	}
	defer raw.Close()
	defer conn.Close()
	r := commands.New(lib, commands.Options{})

	facts, err := sampleFacts(ctx, conn, samples)
	if err != nil {
		return err
	}
	df := map[string]int{}
	// found, or missed where more records than the answer shows hold
	// both words
	var askFound, searchFound, askOrOutnumbered, searchOrOutnumbered int
	var misses []string
	for i := range facts {
		f := &facts[i]
		if err := rarestWords(ctx, conn, f, df); err != nil {
			return err
		}
		two := f.words[0] + " " + f.words[1]
		f.askHit = strings.Contains(responseText(r.Handle(ctx, command("ask", opt("question", "What about "+two+"?")))), quoted(f.text))
		f.sHit = strings.Contains(responseText(r.Handle(ctx, command("search", opt("query", two)))), f.title)
		if f.askHit {
			askFound++
		}
		if f.sHit {
			searchFound++
		}
		if f.askHit && f.sHit {
			continue
		}
		if err := holdingBoth(ctx, conn, f); err != nil {
			return err
		}
		if !f.askHit && f.bothFacts > askLines {
			askOrOutnumbered++
		}
		if !f.sHit && f.bothBriefings > searchLines {
			searchOrOutnumbered++
		}
		if len(misses) < recallMisses {
			misses = append(misses, fmt.Sprintf("fact %d by %q (in %d and %d facts; both in %d facts and %d briefings): /ask %s, /search %s",
				f.id, two, f.df0, f.df1, f.bothFacts, f.bothBriefings, yes(f.askHit), yes(f.sHit)))
		}
	}
	askOrOutnumbered += askFound
	searchOrOutnumbered += searchFound
	fmt.Fprintf(w, "\nRecall at %d briefings: %d facts picked at random, each asked for by its two rarest words.\n\n", n, len(facts))
	fmt.Fprintln(w, "| Handler | Found | Share | Found, or more records hold both words than it shows |")
	fmt.Fprintln(w, "|---|---:|---:|---:|")
	fmt.Fprintf(w, "| /ask (quotes the fact) | %d/%d | %.1f%% | %d/%d |\n", askFound, len(facts), 100*float64(askFound)/float64(max(len(facts), 1)), askOrOutnumbered, len(facts))
	fmt.Fprintf(w, "| /search (lists its briefing) | %d/%d | %.1f%% | %d/%d |\n", searchFound, len(facts), 100*float64(searchFound)/float64(max(len(facts), 1)), searchOrOutnumbered, len(facts))
	for _, m := range misses {
		fmt.Fprintf(w, "\n- missed: %s", m)
	}
	if len(misses) > 0 {
		fmt.Fprintln(w)
	}
	return nil
}

// holdingBoth counts the facts and the briefings holding both of f's words.
func holdingBoth(ctx context.Context, conn *sql.Conn, f *sampledFact) error {
	match := `"` + f.words[0] + `" AND "` + f.words[1] + `"`
	if err := conn.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM facts_fts WHERE facts_fts MATCH ?1),
		(SELECT count(*) FROM briefings_fts WHERE briefings_fts MATCH ?1)`, match).Scan(&f.bothFacts, &f.bothBriefings); err != nil {
		return fmt.Errorf("recall: records holding %s: %w", match, err)
	}
	return nil
}

// sampleFacts picks facts of published briefings at random, with a fixed
// seed.
func sampleFacts(ctx context.Context, conn *sql.Conn, samples int) ([]sampledFact, error) {
	var top int64
	if err := conn.QueryRowContext(ctx, `SELECT max(id) FROM facts`).Scan(&top); err != nil {
		return nil, fmt.Errorf("recall: facts: %w", err)
	}
	rng := rand.New(rand.NewPCG(19, 2026))
	var out []sampledFact
	seen := map[int64]bool{}
	for tries := 0; len(out) < samples && tries < samples*20; tries++ {
		id := 1 + rng.Int64N(max(top, 1))
		if seen[id] {
			continue
		}
		seen[id] = true
		var f sampledFact
		err := conn.QueryRowContext(ctx, `SELECT f.id, f.text, b.title FROM facts f JOIN briefings b ON b.id = f.briefing_id
			WHERE f.id = ? AND b.status = 'published'`, id).Scan(&f.id, &f.text, &f.title)
		if err == sql.ErrNoRows {
			continue
		} else if err != nil {
			return nil, fmt.Errorf("recall: fact %d: %w", id, err)
		}
		out = append(out, f)
	}
	return out, nil
}

// rarestWords sets the fact's two words (of five letters or more) that the
// fewest facts hold, counting each word once through the facts' index and
// remembering the counts in df.
func rarestWords(ctx context.Context, conn *sql.Conn, f *sampledFact, df map[string]int) error {
	var words []string
	for _, word := range strings.FieldsFunc(strings.ToLower(f.text), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if len([]rune(word)) >= 5 && !slices.Contains(words, word) {
			words = append(words, word)
		}
	}
	if len(words) < 2 {
		return fmt.Errorf("recall: fact %d has fewer than two words to ask by", f.id)
	}
	for _, word := range words {
		if _, ok := df[word]; ok {
			continue
		}
		var c int
		if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM facts_fts WHERE facts_fts MATCH ?`, `"`+word+`"`).Scan(&c); err != nil {
			return fmt.Errorf("recall: how many facts hold %q: %w", word, err)
		}
		df[word] = c
	}
	slices.SortStableFunc(words, func(a, b string) int {
		if df[a] != df[b] {
			return df[a] - df[b]
		}
		return strings.Compare(a, b)
	})
	f.words = [2]string{words[0], words[1]}
	f.df0, f.df1 = df[words[0]], df[words[1]]
	return nil
}

// quoted is the start of a fact as an answer quotes it: its first words,
// before any cut an answer makes to fit.
func quoted(text string) string {
	words := strings.Fields(text)
	return strings.Join(words[:min(len(words), 4)], " ")
}

// responseText is everything a reply shows: its content and its embeds'
// titles, descriptions and fields.
func responseText(resp *discordgo.InteractionResponse) string {
	if resp == nil || resp.Data == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString(resp.Data.Content)
	for _, e := range resp.Data.Embeds {
		b.WriteString("\n" + e.Title + "\n" + e.Description)
		for _, f := range e.Fields {
			b.WriteString("\n" + f.Name + "\n" + f.Value)
		}
	}
	return b.String()
}

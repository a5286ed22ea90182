// Command genfile writes the synthetic library of bench/gen as a briefing
// file, YAML or JSON, for timing `briefbot import` as a process:
//
//	go run ./bench/genfile -n 100000 -format json -o /tmp/lib-100k.json
//
// YAML comes from fileformat.Encode; JSON is one object per document, each
// on its own line, documents separated by "---" lines, as
// docs/briefing-format.md allows.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"briefbot/bench/gen"
	"briefbot/briefings"
	"briefbot/briefings/fileformat"
)

func main() {
	n := flag.Int("n", 10_000, "how many briefings")
	format := flag.String("format", "yaml", "yaml or json")
	out := flag.String("o", "", "write to this file instead of standard output")
	flag.Parse()
	w := io.Writer(os.Stdout)
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			fail(err)
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	if err := write(bw, *n, *format); err != nil {
		fail(err)
	}
	if err := bw.Flush(); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "genfile:", err)
	os.Exit(1)
}

func write(w io.Writer, n int, format string) error {
	g := gen.New(n)
	first := true
	for {
		batch := g.Next(500)
		if len(batch) == 0 {
			return nil
		}
		for _, b := range batch {
			if !first {
				if _, err := io.WriteString(w, "---\n"); err != nil {
					return err
				}
			}
			first = false
			var err error
			switch format {
			case "yaml":
				err = fileformat.Encode(w, []*briefings.Briefing{b})
			case "json":
				err = writeJSON(w, b)
			default:
				return fmt.Errorf("-format %q: want yaml or json", format)
			}
			if err != nil {
				return err
			}
		}
	}
}

// The documented fields, in JSON.
type (
	jsonBriefing struct {
		Slug        string           `json:"slug"`
		Title       string           `json:"title"`
		Published   string           `json:"published"`
		Source      *jsonSource      `json:"source,omitempty"`
		Topics      []string         `json:"topics,omitempty"`
		Summary     string           `json:"summary"`
		Body        string           `json:"body,omitempty"`
		Actors      []jsonActor      `json:"actors,omitempty"`
		Events      []jsonEvent      `json:"events,omitempty"`
		Facts       []jsonFact       `json:"facts,omitempty"`
		Corrections []jsonCorrection `json:"corrections,omitempty"`
	}
	jsonSource struct {
		Name string `json:"name,omitempty"`
		URL  string `json:"url,omitempty"`
	}
	jsonActor struct {
		Name        string   `json:"name"`
		Kind        string   `json:"kind,omitempty"`
		Aliases     []string `json:"aliases,omitempty"`
		Description string   `json:"description,omitempty"`
	}
	jsonEvent struct {
		Name         string   `json:"name"`
		Date         string   `json:"date,omitempty"`
		End          string   `json:"end,omitempty"`
		Location     string   `json:"location,omitempty"`
		Participants []string `json:"participants,omitempty"`
		Description  string   `json:"description,omitempty"`
	}
	jsonFact struct {
		Text        string   `json:"text"`
		Attribution string   `json:"attribution"`
		Actors      []string `json:"actors,omitempty"`
		Event       string   `json:"event,omitempty"`
		AsOf        string   `json:"as_of,omitempty"`
	}
	jsonCorrection struct {
		Date string `json:"date"`
		Text string `json:"text"`
	}
)

func date(d briefings.Date) string {
	switch d.P {
	case briefings.PrecisionNone:
		return ""
	case briefings.PrecisionTime:
		return d.T.UTC().Format(time.RFC3339Nano)
	}
	return d.String()
}

func writeJSON(w io.Writer, b *briefings.Briefing) error {
	j := jsonBriefing{Slug: b.Slug, Title: b.Title, Published: date(b.Published), Topics: b.Topics, Summary: b.Summary, Body: b.Body}
	if b.Source != (briefings.Source{}) {
		j.Source = &jsonSource{Name: b.Source.Name, URL: b.Source.URL}
	}
	for _, a := range b.Actors {
		j.Actors = append(j.Actors, jsonActor{Name: a.Name, Kind: string(a.Kind), Aliases: a.Aliases, Description: a.Description})
	}
	for _, e := range b.Events {
		j.Events = append(j.Events, jsonEvent{Name: e.Name, Date: date(e.Date), End: date(e.End), Location: e.Location, Participants: e.Participants, Description: e.Description})
	}
	for _, f := range b.Facts {
		j.Facts = append(j.Facts, jsonFact{Text: f.Text, Attribution: f.Attribution, Actors: f.Actors, Event: f.Event, AsOf: date(f.AsOf)})
	}
	for _, c := range b.Corrections {
		j.Corrections = append(j.Corrections, jsonCorrection{Date: date(c.Date), Text: c.Text})
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(j) // one line and its "\n"
}

package commands_test

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/bwmarrin/discordgo"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// TestRouter_Golden renders a table of interactions and compares each
// response's JSON, as a transport would send it, with its golden file.
func TestRouter_Golden(t *testing.T) {
	t.Parallel()
	r := newRouter(openLibrary(t))
	for _, tc := range []struct {
		name string
		i    *discordgo.Interaction
	}{
		{"help", command("help")},
		{"topics", command("topics")},
		{"brief-latest", command("brief")},
		{"brief-topic", command("brief", opt("topic", "arctic-shipping"))},
		{"brief-topic-misspelled", command("brief", opt("topic", "Artic shiping"))},
		{"brief-topic-unknown", command("brief", opt("topic", "volcanoes"))},
		{"brief-page-press", button("brief:arctic-shipping:3")},
		{"brief-page-past-end", button("brief:arctic-shipping:500")},
		{"actor-alias", command("actor", opt("name", "kim"))},
		{"actor-misspelled", command("actor", opt("name", "Kim Jong Um"))},
		{"actor-suggestion-press", button("actor:Kim Jong Un")},
		{"event-partial", command("event", opt("name", "alaska"))},
		{"event-month", command("event", opt("name", "Kursk region declared retaken"))},
		{"event-unknown", command("event", opt("name", "moon landing"))},
		{"timeline-topic", command("timeline", opt("topic", "ukraine-war"))},
		{"timeline-actor", command("timeline", opt("actor", "Putin"))},
		{"timeline-unknown-actor", command("timeline", opt("actor", "Vladimir Putn"))},
		{"search-kursk", command("search", opt("query", "Kursk"))},
		{"search-empty", command("search", opt("query", ""))},
		{"search-hostile", command("search", opt("query", `"NEAR( * OR`))},
		{"ask-troops", command("ask", opt("question", "How many North Korean troops are fighting for Russia?"))},
		{"ask-uncovered", command("ask", opt("question", "What is the capital of Peru?"))},
		{"ask-no-figure", command("ask", opt("question", "How many North Korean troops fought in Kursk?"))},
		// the structured answer first: an event's date, its place, an actor
		{"ask-when", command("ask", opt("question", "When did Putin and Trump meet?"))},
		{"ask-where", command("ask", opt("question", "Where was the partnership treaty signed?"))},
		{"ask-who", command("ask", opt("question", "Who leads North Korea?"))},
		{"ask-month", command("ask", opt("question", "When did Russia declare the Kursk region retaken?"))},
		{"autocomplete-actor-ki", autocomplete("actor", focused("name", "ki"))},
		{"autocomplete-topic-empty", autocomplete("brief", focused("topic", ""))},
		{"button-forged", button("brief:energy-markets:0:admin")},
		{"command-unknown", command("purge")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := r.Handle(context.Background(), tc.i)
			checkLimits(t, tc.name, resp)
			got, err := json.MarshalIndent(resp, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", "golden", tc.name+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("read golden file (run with -update to create it): %v", err)
			}
			if string(got) != string(want) {
				t.Errorf("%s differs from the golden file; run with -update if the change is intended\ngot:\n%s", path, got)
			}
		})
	}
}

package chart_test

import (
	"bytes"
	"fmt"
	"testing"

	"briefbot/briefings/chart"
)

// BenchmarkRender draws and encodes a crowded timeline that has not been
// drawn before, as /timeline does after the library changed.
func BenchmarkRender(b *testing.B) {
	t := manyClose()
	i := 0
	for b.Loop() {
		i++
		t.Title = fmt.Sprintf("Crowded %d", i)
		if _, _, err := chart.Render(t); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderAgain asks for the same timeline again, as members do
// between two changes to the library.
func BenchmarkRenderAgain(b *testing.B) {
	t := manyClose()
	for b.Loop() {
		if _, _, err := chart.Render(t); err != nil {
			b.Fatal(err)
		}
	}
}

// TestRenderKeepsPicturesByContent checks that a timeline asked again gets
// the same picture and that any change to what it shows draws a new one.
func TestRenderKeepsPicturesByContent(t *testing.T) {
	base := summit()
	first, _, err := chart.Render(base)
	if err != nil {
		t.Fatal(err)
	}
	again, _, err := chart.Render(summit())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, again) {
		t.Fatal("the same timeline drew a different picture")
	}
	if len(first) > 2<<20 {
		t.Fatalf("picture is %d bytes; want it well inside Discord's attachment limit", len(first))
	}
	changes := map[string]func(*chart.Timeline){
		"an event renamed":    func(tl *chart.Timeline) { tl.Rows[0].Events[0].Name = "Summit moved to Juneau" },
		"a citation added":    func(tl *chart.Timeline) { tl.Rows[1].Events[0].Cites = append(tl.Rows[1].Events[0].Cites, 9) },
		"a date moved":        func(tl *chart.Timeline) { tl.Rows[0].Events[1].Date = day(2025, 8, 9) },
		"more left out":       func(tl *chart.Timeline) { tl.Omitted++ },
		"a row label changed": func(tl *chart.Timeline) { tl.Rows[1].Label = "War" },
	}
	for name, change := range changes {
		t.Run(name, func(t *testing.T) {
			tl := summit()
			change(&tl)
			got, _, err := chart.Render(tl)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Equal(got, first) {
				t.Fatalf("%s, yet the picture is the one drawn before", name)
			}
			decode(t, got)
		})
	}
}

package chart_test

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"briefbot/briefings"
	"briefbot/briefings/chart"
)

var update = flag.Bool("update", false, "rewrite the golden images in testdata")

func day(y int, m time.Month, d int) briefings.Date { return briefings.DayOf(y, m, d) }

func month(y int, m time.Month) briefings.Date {
	return briefings.Date{T: time.Date(y, m, 1, 0, 0, 0, 0, time.UTC), P: briefings.PrecisionMonth}
}

func year(y int) briefings.Date {
	return briefings.Date{T: time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), P: briefings.PrecisionYear}
}

// summit is a timeline with every kind of date: days, a period, a month
// and a year, in two rows, with events close enough to need lanes.
func summit() chart.Timeline {
	return chart.Timeline{
		Title:    "Timeline: Alaska summit",
		Grouping: "topic",
		Rows: []chart.Row{
			{Label: "Alaska summit", Events: []chart.Event{
				{Name: "Trump–Putin summit in Anchorage", Date: day(2025, time.August, 15), Cites: []int{1, 2}},
				{Name: "Summit announced", Date: day(2025, time.August, 8), Cites: []int{1}},
				{Name: "White House meeting with European leaders", Date: day(2025, time.August, 18), Cites: []int{2}},
				{Name: "Preparatory talks", Date: month(2025, time.July), Cites: []int{3}},
			}},
			{Label: "War in Ukraine", Events: []chart.Event{
				{Name: "Summer offensive", Date: day(2025, time.June, 1), End: day(2025, time.July, 20), Cites: []int{4}},
				{Name: "Sanctions deadline", Date: day(2025, time.August, 8), Cites: []int{4, 5}},
				{Name: "Talks in Istanbul", Date: day(2025, time.May, 16), Cites: []int{5}},
				{Name: "Ceasefire proposals", Date: year(2025), Cites: []int{6}},
			}},
		},
		Omitted: 3,
		Hint:    "narrow it with the topic or actor option",
	}
}

// manyClose is a crowded timeline: many events in a few days, long names.
func manyClose() chart.Timeline {
	var evs []chart.Event
	for i := range 30 {
		evs = append(evs, chart.Event{
			Name:  fmt.Sprintf("Event number %d with a rather long name that needs shortening to fit the picture", i+1),
			Date:  day(2025, time.March, 1+i%5),
			Cites: []int{i%7 + 1},
		})
	}
	return chart.Timeline{Title: "Crowded", Grouping: "actor", Rows: []chart.Row{
		{Label: "Everyone", Events: evs[:20]},
		{Label: "Someone else", Events: evs[20:]},
		{Label: "Nobody", Events: []chart.Event{{Name: "Alone", Date: month(2025, time.March)}}},
	}}
}

func decode(t *testing.T, data []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("the picture is not a PNG: %v", err)
	}
	return img
}

// TestRender_MatchesGolden compares pictures with the golden ones in
// testdata, allowing small differences in antialiasing.
func TestRender_MatchesGolden(t *testing.T) {
	for _, tt := range []struct {
		name string
		tl   chart.Timeline
	}{
		{"summit", summit()},
		{"crowded", manyClose()},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data, _, err := chart.Render(tt.tl)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", tt.name+".png")
			if *update {
				if err := os.WriteFile(path, data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if diff := imageDiff(decode(t, data), decode(t, want)); diff > 0.002 {
				t.Errorf("%s differs from the golden picture in %.2f%% of its pixels; look at it, and run with -update if the change is right",
					tt.name, diff*100)
				_ = os.WriteFile(filepath.Join(t.TempDir(), tt.name+".png"), data, 0o644)
			}
		})
	}
}

// imageDiff is the share of pixels that differ by more than a small amount
// in any channel; a different size counts as entirely different.
func imageDiff(a, b image.Image) float64 {
	if a.Bounds() != b.Bounds() {
		return 1
	}
	r := a.Bounds()
	differ := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			r1, g1, b1, a1 := a.At(x, y).RGBA()
			r2, g2, b2, a2 := b.At(x, y).RGBA()
			if far(r1, r2) || far(g1, g2) || far(b1, b2) || far(a1, a2) {
				differ++
			}
		}
	}
	return float64(differ) / float64(r.Dx()*r.Dy())
}

func far(a, b uint32) bool {
	const tolerance = 24 << 8
	if a > b {
		return a-b > tolerance
	}
	return b-a > tolerance
}

// TestPlan_EveryLabelDrawnWithoutOverlap checks the layout: a picture wide
// enough for a phone, every event placed once with its label, no label or
// mark touching another, everything inside the picture, and ink in every
// label's box once drawn.
func TestPlan_EveryLabelDrawnWithoutOverlap(t *testing.T) {
	for _, tt := range []struct {
		name        string
		tl          chart.Timeline
		wantDrawn   int
		wantOmitted int
	}{
		{"summit", summit(), 8, 3},
		{"crowded", manyClose(), 31, 0},
		{"capped", capped(), chart.MaxEvents, 60 - chart.MaxEvents},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data, l, err := chart.Render(tt.tl)
			if err != nil {
				t.Fatal(err)
			}
			img := decode(t, data)
			if b := img.Bounds(); b.Dx() != l.Width || b.Dy() != l.Height || l.Width < 1200 {
				t.Fatalf("picture %v, layout %dx%d; want at least 1,200 pixels wide and the layout's size", b, l.Width, l.Height)
			}
			if len(l.Events) != tt.wantDrawn || l.Drawn != tt.wantDrawn || l.Omitted != tt.wantOmitted {
				t.Errorf("placed %d events (drawn %d, omitted %d), want %d drawn and %d omitted",
					len(l.Events), l.Drawn, l.Omitted, tt.wantDrawn, tt.wantOmitted)
			}
			if tt.wantOmitted > 0 && !slices.ContainsFunc(l.Footer, func(s string) bool {
				return strings.Contains(s, fmt.Sprintf("%d more events not drawn", tt.wantOmitted))
			}) {
				t.Errorf("the footer %q does not say %d events were left out", l.Footer, tt.wantOmitted)
			}
			frame := chart.Box{X0: 0, Y0: 0, X1: float64(l.Width), Y1: float64(l.Height)}
			for i, p := range l.Events {
				if p.Name == "" || p.Detail == "" {
					t.Errorf("%q has an empty label line", p.Event.Name)
				}
				if !p.Label.Inside(frame) || !p.Marker.Inside(frame) {
					t.Errorf("%q is outside the picture: label %+v, mark %+v", p.Name, p.Label, p.Marker)
				}
				if !p.Label.Inside(l.Rows[p.Row].Band) || !p.Marker.Inside(l.Rows[p.Row].Band) {
					t.Errorf("%q is outside its row %q", p.Name, l.Rows[p.Row].Label)
				}
				for _, q := range l.Events[i+1:] {
					for _, pair := range [][2]chart.Box{{p.Label, q.Label}, {p.Label, q.Marker}, {p.Marker, q.Label}} {
						if pair[0].Overlaps(pair[1]) {
							t.Errorf("%q and %q overlap: %+v and %+v", p.Name, q.Name, pair[0], pair[1])
						}
					}
				}
				if ink(img, p.Label) < 0.03 {
					t.Errorf("no text drawn in the label box of %q", p.Name)
				}
			}
			for i, r := range l.Rows {
				for _, s := range l.Rows[i+1:] {
					if r.Band.Overlaps(s.Band) {
						t.Errorf("rows %q and %q overlap", r.Label, s.Label)
					}
				}
			}
		})
	}
}

// capped has more events than a picture draws.
func capped() chart.Timeline {
	var evs []chart.Event
	for i := range 60 {
		evs = append(evs, chart.Event{Name: fmt.Sprintf("E%d", i), Date: day(2020+i/12, time.Month(1+i%12), 1)})
	}
	return chart.Timeline{Title: "Many", Rows: []chart.Row{{Label: "All", Events: evs}}}
}

// ink is the share of a box's pixels dark enough to be text.
func ink(img image.Image, b chart.Box) float64 {
	dark, all := 0, 0
	for y := int(b.Y0); y < int(b.Y1); y++ {
		for x := int(b.X0); x < int(b.X1); x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if (r+g+bl)/3 < 0x8000 {
				dark++
			}
			all++
		}
	}
	if all == 0 {
		return 0
	}
	return float64(dark) / float64(all)
}

// TestPlan_PrecisionIsHonest checks that a date known to the month covers
// the month, one known to the year the year, and a day is a point.
func TestPlan_PrecisionIsHonest(t *testing.T) {
	tl := chart.Timeline{Title: "Precision", Rows: []chart.Row{{Label: "All", Events: []chart.Event{
		{Name: "Day", Date: day(2024, time.June, 10)},
		{Name: "Month", Date: month(2024, time.June)},
		{Name: "Year", Date: year(2024)},
		{Name: "Period", Date: day(2024, time.March, 1), End: day(2024, time.March, 31)},
	}}}}
	l, err := chart.Plan(tl)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]chart.Placed{}
	for _, p := range l.Events {
		got[p.Event.Name] = p
	}
	w := func(b chart.Box) float64 { return b.X1 - b.X0 }
	if m := got["Day"].Mark; m != chart.MarkPoint {
		t.Errorf("a day is drawn as mark %d, want a point", m)
	}
	for _, name := range []string{"Month", "Year"} {
		if m := got[name].Mark; m != chart.MarkVague {
			t.Errorf("a date known to the %s is drawn as mark %d, want a vague span", name, m)
		}
	}
	if m := got["Period"].Mark; m != chart.MarkPeriod {
		t.Errorf("a period is drawn as mark %d, want a period", m)
	}
	year, mon := w(got["Year"].Marker), w(got["Month"].Marker)
	if ratio := year / mon; ratio < 11 || ratio > 13 {
		t.Errorf("the year's span is %.0f px and June's %.0f px: a ratio of %.1f, want about 12", year, mon, ratio)
	}
	if d := got["Day"].Marker; d.X0 < got["Month"].Marker.X0 || d.X1 > got["Month"].Marker.X1 {
		t.Errorf("10 June (%+v) is not within June (%+v)", d, got["Month"].Marker)
	}
	if !strings.HasPrefix(got["Month"].Detail, "June 2024") || !strings.HasPrefix(got["Year"].Detail, "2024") {
		t.Errorf("labels %q and %q do not say the month and the year only", got["Month"].Detail, got["Year"].Detail)
	}
}

// TestRender_NoEvents refuses an empty timeline.
func TestRender_NoEvents(t *testing.T) {
	if _, _, err := chart.Render(chart.Timeline{Title: "Empty", Rows: []chart.Row{{Label: "None"}}}); !errors.Is(err, chart.ErrNoEvents) {
		t.Errorf("Render of no events: %v, want ErrNoEvents", err)
	}
}

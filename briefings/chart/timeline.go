// Package chart draws pictures of the library: a timeline of dated events
// as a PNG. It renders with fonts embedded in the binary and never touches
// the network.
package chart

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"briefbot/briefings"

	"golang.org/x/image/font"
)

// MaxEvents is the most events one picture draws; the rest are counted
// in its footer.
const MaxEvents = 40

// Width is the width of a timeline picture in pixels: wide enough to be
// read on a phone when opened, at text sizes of 18 pixels and more.
const Width = 1280

// Timeline is what a timeline picture shows.
type Timeline struct {
	// Title heads the picture, such as "Timeline: Alaska summit".
	Title string
	// Grouping says what the rows are, such as "topic" or "actor".
	Grouping string
	// Rows group the events; each row's events in any order.
	Rows []Row
	// Omitted is how many events the caller left out before these.
	Omitted int
	// Hint tells how to see what was left out, such as "narrow it with the
	// topic or actor option".
	Hint string
}

// Row is one group of events: a topic's, or an actor's.
type Row struct {
	// Label names the group.
	Label string
	// Events are the group's events.
	Events []Event
}

// Event is one dated event as the picture draws it.
type Event struct {
	// Name labels the event.
	Name string
	// Date is when it starts, End when it ends (zero when it is a single
	// date). Each is drawn at its precision: a month-only date is the whole
	// month, a year-only date the whole year.
	Date, End briefings.Date
	// Cites are the numbers of the briefings that mention the event, as
	// the message beside the picture lists them.
	Cites []int
}

// ErrNoEvents is returned for a timeline without events to draw.
var ErrNoEvents = errors.New("chart: no dated events to draw")

// Box is a rectangle in picture coordinates, from X0,Y0 (top left) to
// X1,Y1 (bottom right).
type Box struct{ X0, Y0, X1, Y1 float64 }

// Overlaps reports whether b and c share any area.
func (b Box) Overlaps(c Box) bool {
	return b.X0 < c.X1 && c.X0 < b.X1 && b.Y0 < c.Y1 && c.Y0 < b.Y1
}

// Inside reports whether b lies within c.
func (b Box) Inside(c Box) bool {
	return b.X0 >= c.X0 && b.X1 <= c.X1 && b.Y0 >= c.Y0 && b.Y1 <= c.Y1
}

// Mark says how an event's date is drawn.
type Mark uint8

// The marks: a point for a day or an instant, a solid bar for a period
// known to the day, a pale dashed bar for a date known only to the month or
// the year (somewhere within it).
const (
	MarkPoint Mark = iota
	MarkPeriod
	MarkVague
)

// Placed is one event where the layout puts it.
type Placed struct {
	// Row is the index of the event's row in Layout.Rows.
	Row int
	// Event is the event drawn.
	Event Event
	// Mark is how its date is drawn, Marker where.
	Mark   Mark
	Marker Box
	// Name and Detail are the label's two lines as drawn (the name may be
	// shortened); Label is the box they take.
	Name, Detail string
	Label        Box
}

// RowBox is a row's place: its header and the band its events take.
type RowBox struct {
	Label  string
	Header Box
	Band   Box
}

// Tick is a labelled date on the time axis.
type Tick struct {
	X     float64
	Label string
}

// Layout is where everything of a timeline picture goes. Render draws it;
// tests check it.
type Layout struct {
	Width, Height int
	Title         string
	Subtitle      string
	// Plot is the area the time axis spans, across every row.
	Plot   Box
	Rows   []RowBox
	Events []Placed
	Ticks  []Tick
	// LegendY is the top of the legend that explains the marks.
	LegendY float64
	// Footer lines say what was left out.
	Footer []string
	// FooterY is the baseline of the first footer line.
	FooterY float64
	// Drawn and Omitted count the events drawn and left out in all.
	Drawn, Omitted int
	// from and to are the instants at Plot's left and right edges.
	from, to time.Time
}

// Sizes, in pixels.
const (
	margin      = 40.0
	titleSize   = 32.0
	subSize     = 19.0
	rowSize     = 22.0
	nameSize    = 20.0
	detailSize  = 18.0
	axisSize    = 18.0
	footerSize  = 18.0
	markerH     = 16.0
	labelGap    = 6.0
	laneGap     = 14.0
	boxPad      = 10.0 // space kept free either side of an event's box
	maxLabelW   = 460.0
	minBarW     = 10.0
	tickSpacing = 150.0
)

// Plan lays out t: rows top to bottom in the order given, events in date
// order within their row, each event on the first lane of its row where
// its marker and label fit without touching another's. At most MaxEvents
// are placed, the earliest; the rest count as omitted.
func Plan(t Timeline) (*Layout, error) {
	drawMu.Lock()
	defer drawMu.Unlock()
	return plan(loadFaces(), t)
}

func plan(f *faces, t Timeline) (*Layout, error) {
	type item struct {
		row int
		ev  Event
	}
	var items []item
	for r, row := range t.Rows {
		for _, e := range row.Events {
			if e.Date.IsZero() {
				continue
			}
			items = append(items, item{r, e})
		}
	}
	if len(items) == 0 {
		return nil, ErrNoEvents
	}
	slices.SortStableFunc(items, func(a, b item) int { return cmpDates(a.ev, b.ev) })
	omitted := max(t.Omitted, 0)
	if len(items) > MaxEvents {
		omitted += len(items) - MaxEvents
		items = items[:MaxEvents]
	}

	l := &Layout{Width: Width, Title: fitText(f.title, t.Title, Width-2*margin), Drawn: len(items), Omitted: omitted}
	l.Subtitle = subtitle(t, len(items))
	l.from, l.to = span(items[0].ev, items[1:], func(i item) Event { return i.ev })
	y := margin + titleSize
	y += 12 + subSize
	l.Plot.X0, l.Plot.X1 = margin+8, Width-margin-8

	// The axis labels sit above the rows.
	y += 20 + axisSize
	l.Ticks = ticks(f.axis, l.from, l.to, l.Plot.X0, l.Plot.X1)
	y += 12
	l.Plot.Y0 = y

	for r, row := range t.Rows {
		var mine []item
		for _, it := range items {
			if it.row == r {
				mine = append(mine, it)
			}
		}
		if len(mine) == 0 {
			continue
		}
		header := Box{margin, y, Width - margin, y + rowSize + 14}
		rb := RowBox{Label: fitText(f.row, row.Label, Width-2*margin-40), Header: header}
		y = header.Y1 + 6
		var lanes []float64 // the right edge taken on each lane
		laneH := markerH + labelGap + lineH(nameSize) + lineH(detailSize) + laneGap
		var placed []Placed
		var lane []int
		for _, it := range mine {
			p := l.place(f, it.ev)
			p.Row = len(l.Rows)
			left, right := min(p.Marker.X0, p.Label.X0)-boxPad, max(p.Marker.X1, p.Label.X1)+boxPad
			n := slices.IndexFunc(lanes, func(edge float64) bool { return edge <= left })
			if n < 0 {
				n = len(lanes)
				lanes = append(lanes, 0)
			}
			lanes[n] = right
			placed = append(placed, p)
			lane = append(lane, n)
		}
		for i := range placed {
			top := y + float64(lane[i])*laneH
			placed[i].Marker.Y0, placed[i].Marker.Y1 = top, top+markerH
			placed[i].Label.Y0 = top + markerH + labelGap
			placed[i].Label.Y1 = placed[i].Label.Y0 + lineH(nameSize) + lineH(detailSize)
		}
		l.Events = append(l.Events, placed...)
		rb.Band = Box{margin, header.Y1, Width - margin, y + float64(len(lanes))*laneH}
		y = rb.Band.Y1
		l.Rows = append(l.Rows, rb)
	}
	l.Plot.Y1 = y
	if omitted > 0 {
		more := fmt.Sprintf("%s not drawn", plural(omitted, "more event", "more events"))
		if t.Hint != "" {
			more += ": " + t.Hint
		}
		l.Footer = append(l.Footer, more)
	}
	for i, s := range l.Footer {
		l.Footer[i] = fitText(f.footer, s, Width-2*margin)
	}
	l.LegendY = y + 20
	l.FooterY = l.LegendY + markerH + 14 + footerSize
	l.Height = int(math.Ceil(l.FooterY + float64(len(l.Footer)-1)*lineH(footerSize) + margin))
	return l, nil
}

// place measures an event's marker and label; their vertical place is set
// by the caller.
func (l *Layout) place(f *faces, e Event) Placed {
	p := Placed{Event: e, Mark: markOf(e)}
	start, end := extent(e)
	x0, x1 := l.x(start), l.x(end)
	if p.Mark == MarkPoint {
		mid := (x0 + x1) / 2
		x0, x1 = mid-markerH/2, mid+markerH/2
	} else if x1-x0 < minBarW {
		mid := (x0 + x1) / 2
		x0, x1 = mid-minBarW/2, mid+minBarW/2
	}
	p.Marker = Box{X0: x0, X1: x1}
	p.Name = fitText(f.name, e.Name, maxLabelW)
	p.Detail = detail(e)
	w := max(measure(f.name, p.Name), measure(f.detail, p.Detail))
	lx := min(max(x0, l.Plot.X0), l.Plot.X1-w)
	p.Label = Box{X0: lx, X1: lx + w}
	return p
}

// detail is an event's second label line: its date as precisely as known,
// and the briefings that cite it.
func detail(e Event) string {
	s := e.Date.Span(e.End)
	if e.End.IsZero() && e.Date.P == briefings.PrecisionTime {
		s = e.Date.Human()
	}
	var refs strings.Builder
	for _, n := range e.Cites {
		fmt.Fprintf(&refs, "[%d]", n)
	}
	if refs.Len() > 0 {
		s += "  " + refs.String()
	}
	return s
}

// markOf says how e's date is drawn.
func markOf(e Event) Mark {
	vague := func(d briefings.Date) bool {
		return d.P == briefings.PrecisionYear || d.P == briefings.PrecisionMonth
	}
	switch {
	case vague(e.Date) || (!e.End.IsZero() && vague(e.End)):
		return MarkVague
	case e.End.IsZero():
		return MarkPoint
	}
	return MarkPeriod
}

// extent is the stretch of time e covers: from the start of its date to
// the end of its last date's period.
func extent(e Event) (time.Time, time.Time) {
	last := e.Date
	if !e.End.IsZero() {
		last = e.End
	}
	end := last.End()
	if end.Before(e.Date.T) {
		end = e.Date.End()
	}
	return e.Date.T, end
}

// span is the time the axis covers: every event's extent, with a margin.
func span[T any](first Event, rest []T, ev func(T) Event) (time.Time, time.Time) {
	from, to := extent(first)
	for _, r := range rest {
		s, e := extent(ev(r))
		if s.Before(from) {
			from = s
		}
		if e.After(to) {
			to = e
		}
	}
	d := to.Sub(from)
	if d < 48*time.Hour {
		d = 48 * time.Hour
		mid := from.Add(to.Sub(from) / 2)
		from, to = mid.Add(-d/2), mid.Add(d/2)
	}
	pad := time.Duration(float64(d) * 0.03)
	return from.Add(-pad), to.Add(pad)
}

// x maps an instant to its horizontal position.
func (l *Layout) x(t time.Time) float64 {
	total := l.to.Sub(l.from).Seconds()
	return l.Plot.X0 + (t.Sub(l.from).Seconds()/total)*(l.Plot.X1-l.Plot.X0)
}

// cmpDates orders events by start, then by end, then by name.
func cmpDates(a, b Event) int {
	switch {
	case a.Date.Before(b.Date):
		return -1
	case b.Date.Before(a.Date):
		return 1
	}
	_, ea := extent(a)
	_, eb := extent(b)
	if c := ea.Compare(eb); c != 0 {
		return c
	}
	return strings.Compare(a.Name, b.Name)
}

// subtitle says what the picture holds.
func subtitle(t Timeline, drawn int) string {
	s := plural(drawn, "dated event", "dated events")
	if t.Grouping != "" {
		s += " · rows by " + t.Grouping
	}
	for _, r := range t.Rows {
		for _, e := range r.Events {
			if len(e.Cites) > 0 {
				return s + " · [n] are the briefings listed in the message"
			}
		}
	}
	return s
}

// A tick step: n days, months or years.
type step struct {
	unit   byte // 'd', 'm' or 'y'
	n      int
	approx time.Duration
}

var steps = func() []step {
	day := 24 * time.Hour
	var s []step
	for _, n := range []int{1, 2, 7, 14} {
		s = append(s, step{'d', n, time.Duration(n) * day})
	}
	for _, n := range []int{1, 2, 3, 6} {
		s = append(s, step{'m', n, time.Duration(n) * 30 * day})
	}
	for _, n := range []int{1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000} {
		s = append(s, step{'y', n, time.Duration(n) * 365 * day})
	}
	return s
}()

// ticks labels the axis with the finest step whose labels fit side by
// side.
func ticks(face font.Face, from, to time.Time, x0, x1 float64) []Tick {
	most := max(int((x1-x0)/tickSpacing), 2)
	st := steps[len(steps)-1]
	for _, s := range steps {
		if float64(to.Sub(from))/float64(s.approx) <= float64(most) {
			st = s
			break
		}
	}
	l := Layout{from: from, to: to, Plot: Box{X0: x0, X1: x1}}
	var out []Tick
	var t time.Time
	switch st.unit {
	case 'd':
		t = time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, time.UTC)
	case 'm':
		t = time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC)
	default:
		y := from.Year() - from.Year()%st.n
		t = time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	for ; !t.After(to) && len(out) < 64; t = next(t, st) {
		if t.Before(from) {
			continue
		}
		var label string
		switch st.unit {
		case 'd':
			label = t.Format("2 Jan 2006")
		case 'm':
			label = t.Format("Jan 2006")
		default:
			label = t.Format("2006")
		}
		x := l.x(t)
		w := measure(face, label)
		if x-w/2 < x0-margin/2 || x+w/2 > x1+margin/2 {
			continue
		}
		out = append(out, Tick{X: x, Label: label})
	}
	return out
}

func next(t time.Time, s step) time.Time {
	switch s.unit {
	case 'd':
		return t.AddDate(0, 0, s.n)
	case 'm':
		return t.AddDate(0, s.n, 0)
	}
	return t.AddDate(s.n, 0, 0)
}

// lineH is the height of a line of text at size px.
func lineH(size float64) float64 { return math.Ceil(size * 1.3) }

// plural returns "1 event" or "3 events".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

package chart

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"

	"github.com/fogleman/gg"
	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
)

// The picture's colours. The card is light and opaque, so it reads the
// same on Discord's dark and light themes: text is near black (contrast
// above 15:1), secondary text dark grey (above 8:1), and the row colours
// are dark enough to stand out from the card (above 4.5:1).
var (
	colBackground = color.RGBA{0xf7, 0xf8, 0xfa, 0xff}
	colBorder     = color.RGBA{0xb8, 0xbf, 0xc9, 0xff}
	colBand       = color.RGBA{0xec, 0xef, 0xf3, 0xff}
	colGrid       = color.RGBA{0xd3, 0xd8, 0xdf, 0xff}
	colText       = color.RGBA{0x1b, 0x1d, 0x21, 0xff}
	colSecondary  = color.RGBA{0x45, 0x4b, 0x54, 0xff}
	rowColours    = []color.RGBA{
		{0x1f, 0x5f, 0x9e, 0xff}, // blue
		{0xb2, 0x3a, 0x0b, 0xff}, // vermilion
		{0x17, 0x6b, 0x4d, 0xff}, // green
		{0x7d, 0x3c, 0x98, 0xff}, // purple
		{0x8a, 0x5a, 0x00, 0xff}, // ochre
		{0x0b, 0x6a, 0x73, 0xff}, // teal
		{0xa3, 0x2a, 0x6e, 0xff}, // magenta
		{0x4a, 0x55, 0x68, 0xff}, // slate
	}
)

// cacheSize is how many rendered pictures Render keeps. A picture is
// 100–400 KB, so the cache holds at most a few megabytes.
const cacheSize = 32

// rendered is a picture Render drew, with its layout.
type rendered struct {
	png    []byte
	layout *Layout
}

// cache keeps recent pictures by their content. A timeline is drawn the
// same every time from the same content, so a key of the content needs no
// invalidation: a changed library gives a different timeline.
var cache, _ = lru.New[[sha256.Size]byte, rendered](cacheSize)

// Render draws t as a PNG and returns it with its layout. Pictures are
// kept by content, so the same timeline asked again is not drawn again;
// callers must not change the bytes or the layout they get.
func Render(t Timeline) ([]byte, *Layout, error) {
	key, err := contentKey(t)
	if err != nil {
		return nil, nil, err
	}
	if r, ok := cache.Get(key); ok {
		return r.png, r.layout, nil
	}
	img, l, err := drawLocked(t)
	if err != nil {
		return nil, nil, err
	}
	// Encoding needs no fonts, so it runs outside the drawing lock. The
	// fastest compression is about four times quicker than the best and
	// its files are still far inside Discord's attachment limit.
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, nil, fmt.Errorf("chart: encode png: %w", err)
	}
	cache.Add(key, rendered{png: buf.Bytes(), layout: l})
	return buf.Bytes(), l, nil
}

// contentKey is the hash of everything a timeline's picture shows.
func contentKey(t Timeline) ([sha256.Size]byte, error) {
	data, err := json.Marshal(t)
	if err != nil {
		return [sha256.Size]byte{}, fmt.Errorf("chart: key: %w", err)
	}
	return sha256.Sum256(data), nil
}

// drawLocked lays out and paints t while holding the drawing lock.
func drawLocked(t Timeline) (image.Image, *Layout, error) {
	drawMu.Lock()
	defer drawMu.Unlock()
	f := loadFaces()
	l, err := plan(f, t)
	if err != nil {
		return nil, nil, err
	}
	return draw(f, l), l, nil
}

// draw paints a layout.
func draw(f *faces, l *Layout) image.Image {
	dc := gg.NewContext(l.Width, l.Height)
	dc.SetColor(colBackground)
	dc.Clear()
	dc.SetColor(colBorder)
	dc.SetLineWidth(2)
	dc.DrawRectangle(1, 1, float64(l.Width)-2, float64(l.Height)-2)
	dc.Stroke()

	text(dc, f.title, colText, l.Title, margin, margin+titleSize)
	text(dc, f.sub, colSecondary, l.Subtitle, margin, margin+titleSize+12+subSize)

	for i, r := range l.Rows {
		if i%2 == 0 {
			dc.SetColor(colBand)
			dc.DrawRectangle(r.Band.X0, r.Header.Y0, r.Band.X1-r.Band.X0, r.Band.Y1-r.Header.Y0)
			dc.Fill()
		}
	}
	for _, tk := range l.Ticks {
		dc.SetColor(colGrid)
		dc.SetLineWidth(1)
		dc.DrawLine(tk.X, l.Plot.Y0-6, tk.X, l.Plot.Y1)
		dc.Stroke()
		// Centred on the tick, to a whole pixel as gg.DrawStringAnchored does.
		text(dc, f.axis, colSecondary, tk.Label, tk.X-0.5*math.Floor(measure(f.axis, tk.Label)), l.Plot.Y0-14)
	}
	for i, r := range l.Rows {
		c := rowColours[i%len(rowColours)]
		dc.SetColor(c)
		dc.DrawRoundedRectangle(r.Header.X0+8, r.Header.Y0+10, 16, 16, 3)
		dc.Fill()
		text(dc, f.row, colText, r.Label, r.Header.X0+34, r.Header.Y0+7+rowSize)
	}
	for _, p := range l.Events {
		c := rowColours[p.Row%len(rowColours)]
		drawMark(dc, p.Mark, p.Marker, c)
		text(dc, f.name, colText, p.Name, p.Label.X0, p.Label.Y0+nameSize)
		text(dc, f.detail, colSecondary, p.Detail, p.Label.X0, p.Label.Y0+lineH(nameSize)+detailSize)
	}

	// The legend: each mark with what it means.
	x := margin
	for _, it := range []struct {
		m     Mark
		w     float64
		label string
	}{
		{MarkPoint, markerH, "a day"},
		{MarkPeriod, 40, "a period"},
		{MarkVague, 40, "sometime within a month or a year, as precisely as the briefings date it"},
	} {
		drawMark(dc, it.m, Box{x, l.LegendY, x + it.w, l.LegendY + markerH}, rowColours[len(rowColours)-1])
		x += it.w + 8
		text(dc, f.footer, colSecondary, it.label, x, l.LegendY+markerH-1)
		x += measure(f.footer, it.label) + 28
	}
	for i, s := range l.Footer {
		text(dc, f.footer, colText, s, margin, l.FooterY+float64(i)*lineH(footerSize))
	}
	return dc.Image()
}

// text draws s in face with its baseline starting at (x, y), as
// gg.Context.DrawString does on a context with no transform or clip, but
// through font.Drawer: gg draws every glyph through a bilinear transform,
// which made text a quarter of a picture's drawing time.
func text(dc *gg.Context, face font.Face, c color.Color, s string, x, y float64) {
	d := font.Drawer{Dst: dc.Image().(*image.RGBA), Src: image.NewUniform(c), Face: face,
		Dot: fixed.Point26_6{X: fixed.Int26_6(math.Round(x * 64)), Y: fixed.Int26_6(math.Round(y * 64))}}
	d.DrawString(s)
}

// drawMark draws one event's mark in box b.
func drawMark(dc *gg.Context, m Mark, b Box, c color.RGBA) {
	w, h := b.X1-b.X0, b.Y1-b.Y0
	switch m {
	case MarkPoint:
		dc.SetColor(c)
		dc.DrawCircle(b.X0+w/2, b.Y0+h/2, h/2)
		dc.Fill()
	case MarkPeriod:
		dc.SetColor(c)
		dc.DrawRoundedRectangle(b.X0, b.Y0, w, h, 4)
		dc.Fill()
	case MarkVague:
		dc.SetColor(color.NRGBA{c.R, c.G, c.B, 0x40})
		dc.DrawRoundedRectangle(b.X0, b.Y0, w, h, 4)
		dc.Fill()
		dc.SetColor(c)
		dc.SetLineWidth(2)
		dc.SetDash(6, 4)
		dc.DrawRoundedRectangle(b.X0+1, b.Y0+1, w-2, h-2, 4)
		dc.Stroke()
		dc.SetDash()
	}
}

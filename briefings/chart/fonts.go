package chart

import (
	"sync"
	"unicode/utf8"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// faces are the font faces a timeline uses: the Go fonts, compiled into
// the binary, at fixed pixel sizes (72 DPI, so points are pixels).
type faces struct {
	title, sub, row, name, detail, axis, footer font.Face
}

var (
	facesOnce sync.Once
	theFaces  *faces
)

// loadFaces parses the embedded fonts once. Faces are not safe for
// concurrent use, so drawing holds drawMu.
func loadFaces() *faces {
	facesOnce.Do(func() {
		regular := mustParse(goregular.TTF)
		bold := mustParse(gobold.TTF)
		theFaces = &faces{
			title:  face(bold, titleSize),
			sub:    face(regular, subSize),
			row:    face(bold, rowSize),
			name:   face(bold, nameSize),
			detail: face(regular, detailSize),
			axis:   face(regular, axisSize),
			footer: face(regular, footerSize),
		}
	})
	return theFaces
}

// drawMu serialises layout and drawing: font faces keep caches that are
// not safe for concurrent use.
var drawMu sync.Mutex

func mustParse(ttf []byte) *opentype.Font {
	f, err := opentype.Parse(ttf)
	if err != nil {
		panic("chart: embedded font: " + err.Error()) // the Go fonts always parse
	}
	return f
}

func face(f *opentype.Font, size float64) font.Face {
	fc, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		panic("chart: font face: " + err.Error())
	}
	return fc
}

// measure is the advance width of s in f, in pixels.
func measure(f font.Face, s string) float64 {
	return float64(font.MeasureString(f, s)) / 64
}

// fitText shortens s with an ellipsis until it fits in w pixels.
func fitText(f font.Face, s string, w float64) string {
	if measure(f, s) <= w {
		return s
	}
	ell := measure(f, "…")
	var adv fixed.Int26_6
	limit := fixed.Int26_6((w - ell) * 64)
	prev := rune(-1)
	for i, r := range s {
		if prev >= 0 {
			adv += f.Kern(prev, r)
		}
		a, ok := f.GlyphAdvance(r)
		if !ok {
			a, _ = f.GlyphAdvance('?')
		}
		if adv+a > limit {
			return trimRight(s[:i]) + "…"
		}
		adv += a
		prev = r
	}
	return s
}

// trimRight drops trailing spaces and punctuation that would sit oddly
// before an ellipsis.
func trimRight(s string) string {
	for len(s) > 0 {
		r, n := utf8.DecodeLastRuneInString(s)
		if r != ' ' && r != ',' && r != '-' && r != ':' {
			break
		}
		s = s[:len(s)-n]
	}
	return s
}

package web_test

import (
	"math"
	"os"
	"regexp"
	"strconv"
	"testing"
)

// TestStylesheet_Contrast reads the stylesheet's colours for the light and
// the dark theme and checks that text, secondary text and links stand out
// from the background by WCAG AA's 4.5:1 at least.
func TestStylesheet_Contrast(t *testing.T) {
	css, err := os.ReadFile("assets/style.css")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile(`:root \{([^}]*)\}`).FindAllSubmatch(css, -1)
	if len(blocks) != 2 {
		t.Fatalf("found %d :root blocks, want the light and the dark theme", len(blocks))
	}
	varRE := regexp.MustCompile(`--([a-z]+): #([0-9a-f]{6})`)
	for i, b := range blocks {
		colours := map[string]string{}
		for _, m := range varRE.FindAllSubmatch(b[1], -1) {
			colours[string(m[1])] = string(m[2])
		}
		for _, fg := range []string{"fg", "muted", "link"} {
			if colours[fg] == "" || colours["bg"] == "" {
				t.Fatalf("theme %d lacks --%s or --bg", i, fg)
			}
			if c := contrast(colours[fg], colours["bg"]); c < 4.5 {
				t.Errorf("theme %d: --%s #%s on #%s has contrast %.1f:1, want 4.5:1 or more", i, fg, colours[fg], colours["bg"], c)
			}
		}
	}
}

func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

func luminance(hex string) float64 {
	if len(hex) != 6 {
		return math.NaN()
	}
	var l [3]float64
	for i := range 3 {
		v, _ := strconv.ParseUint(hex[2*i:2*i+2], 16, 8)
		c := float64(v) / 255
		if c <= 0.03928 {
			l[i] = c / 12.92
		} else {
			l[i] = math.Pow((c+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*l[0] + 0.7152*l[1] + 0.0722*l[2]
}

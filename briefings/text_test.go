package briefings_test

import (
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"briefbot/briefings"
)

func TestFoldAndSlugify(t *testing.T) {
	tests := []struct{ in, fold, slug string }{
		{"Kim Jong Un", "kim jong un", "kim-jong-un"},
		{"  Kim   Jong-Ün ", "kim jong-un", "kim-jong-un"},
		{"Zelenskyy, Volodymyr", "zelenskyy, volodymyr", "zelenskyy-volodymyr"},
		{"Putin–Kim call (12 Aug 2025)", "putin–kim call (12 aug 2025)", "putin-kim-call-12-aug-2025"},
		{"Straße São Paulo Œuvre", "strasse sao paulo oeuvre", "strasse-sao-paulo-oeuvre"},
		{"Москва", "москва", "москва"},
		{"!!!", "!!!", ""},
	}
	for _, tt := range tests {
		if got := briefings.Fold(tt.in); got != tt.fold {
			t.Errorf("Fold(%q)=%q, want %q", tt.in, got, tt.fold)
		}
		if got := briefings.Slugify(tt.in); got != tt.slug {
			t.Errorf("Slugify(%q)=%q, want %q", tt.in, got, tt.slug)
		}
	}
	long := briefings.Slugify(strings.Repeat("word ", 60))
	if n := utf8.RuneCountInString(long); n > briefings.MaxSlug || strings.HasSuffix(long, "-") {
		t.Errorf("long slug is %d characters ending %q; want at most %d and no trailing hyphen", n, long[len(long)-3:], briefings.MaxSlug)
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"a longer sentence", 10, "a longer…"},
		{"ÄÖÜäöüßéèê", 5, "ÄÖÜä…"},
		{"🙂🙂🙂🙂", 3, "🙂🙂…"},
		{"anything", 0, ""},
	}
	for _, tt := range tests {
		got := briefings.Truncate(tt.in, tt.max)
		if got != tt.want {
			t.Errorf("Truncate(%q, %d)=%q, want %q", tt.in, tt.max, got, tt.want)
		}
		if !utf8.ValidString(got) {
			t.Errorf("Truncate(%q, %d) cut inside a character", tt.in, tt.max)
		}
	}
}

func TestClosest(t *testing.T) {
	names := []string{"Kim Jong Un", "Vladimir Putin", "Donald Trump", "North Korea", "South Korea", "Kursk recapture", "Kremlin", "Alaska summit"}
	tests := []struct {
		q    string
		want []string
	}{
		{"Kim Jong Um", []string{"Kim Jong Un"}},
		{"putn", []string{"Vladimir Putin"}},
		{"korea", []string{"North Korea", "South Korea"}},
		{"kr", []string{"Kremlin"}},
		{"recap", []string{"Kursk recapture"}},
		{"vladimr putin", []string{"Vladimir Putin"}},
		{"alsaka", []string{"Alaska summit"}},
		{"Kim Jnog Un", []string{"Kim Jong Un"}},
		{"trupm", []string{"Donald Trump"}},
		{"zzzzzz", nil},
		{"", nil},
	}
	for _, tt := range tests {
		got := briefings.Closest(tt.q, names, 3)
		if len(got) == 0 && len(tt.want) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Closest(%q)=%q, want %q", tt.q, got, tt.want)
		}
	}
}

func TestErrorCode(t *testing.T) {
	err := briefings.Errorf(briefings.ENOTFOUND, "No actor named %q.", "X")
	if got := briefings.ErrorCode(err); got != briefings.ENOTFOUND {
		t.Errorf("code=%q", got)
	}
	if got := briefings.ErrorMessage(err); got != `No actor named "X".` {
		t.Errorf("message=%q", got)
	}
	if got := briefings.ErrorCode(errString("disk full")); got != briefings.EINTERNAL {
		t.Errorf("plain error code=%q, want internal", got)
	}
	if got := briefings.ErrorMessage(errString("disk full")); strings.Contains(got, "disk") {
		t.Errorf("internal detail leaked into the user message: %q", got)
	}
	batch := &briefings.BatchError{Items: []briefings.ItemError{{Index: 2, Slug: "x", Fields: []briefings.FieldError{{Field: "title", Message: "required"}}}}}
	if got := briefings.ErrorCode(batch); got != briefings.EINVALID {
		t.Errorf("batch code=%q, want invalid", got)
	}
	if got := batch.Error(); got != "briefing 3 (x): title: required" {
		t.Errorf("batch message=%q", got)
	}
}

type errString string

func (e errString) Error() string { return string(e) }

func TestEscapeControl(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text, Ünïcode and 日本語", "plain text, Ünïcode and 日本語"},
		{"lines\nand\ttabs stay", "lines\nand\ttabs stay"},
		{"\x1b[31mred\x1b[0m", `\x1b[31mred\x1b[0m`},
		{"\x1b]0;title\a", `\x1b]0;title\x07`},
		{"carriage\rreturn", `carriage\x0dreturn`},
		{"nul\x00 del\x7f c1\u009b", `nul\x00 del\x7f c1\x9b`},
		{"abc\u202edcba", `abc\u202edcba`},
		{"\u2066isolate\u2069", `\u2066isolate\u2069`},
		{"bad \xff byte", `bad \xff byte`},
	}
	for _, tt := range tests {
		if got := briefings.EscapeControl(tt.in); got != tt.want {
			t.Errorf("EscapeControl(%q)=%q, want %q", tt.in, got, tt.want)
		}
	}
}

// foldByRunes is Fold as first written, rune by rune through unicode and
// the accent table: the reference the ASCII fast path must agree with.
func foldByRunes(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.TrimSpace(s) {
		r = unicode.ToLower(r)
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		if f := briefings.Fold(string(r)); r >= utf8.RuneSelf && f != "" {
			b.WriteString(f)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// TestFoldAgreesOnEveryKindOfText checks Fold's fast path for plain ASCII
// against the rune-by-rune reading, on text mixing ASCII, accents, other
// scripts, every ASCII control and space, Unicode spaces and bytes that
// are not UTF-8.
func TestFoldAgreesOnEveryKindOfText(t *testing.T) {
	var all strings.Builder
	for c := 0; c < utf8.RuneSelf; c++ {
		all.WriteByte(byte(c))
	}
	tests := []string{
		all.String(),
		"  Kim\tJong-Ün\n\nand\u00a0Putin\u2003in\u0085Anchorage ",
		"ÀÉÎÕÜ ÆŒß Þð straße",
		"Москва ΑΘΗΝΑ 東京 \xff\xfe broken \xc3",
		"MiXeD CaSe 12,000 troops; 2.5% — \"quoted\" (yes)",
		"\v\f\r\x1c\x1d\x1e\x1f separators",
		"",
		"   ",
		"kim jong un", "kim  jong", " kim", "kim ", "kim\tjong", "x\x01y\x7f", "a", " ",
	}
	for _, in := range tests {
		if got, want := briefings.Fold(in), foldByRunes(in); got != want {
			t.Errorf("Fold(%q) = %q, the rune-by-rune reading gives %q", in, got, want)
		}
	}
}

package commands

import "testing"

// TestEscape checks what Discord shows literally: every markdown character
// anywhere, quote, heading and list markers only at the start of a line,
// and text with nothing to escape unchanged (multi-byte characters too).
func TestEscape(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"Plain", "Kim Jong Un met Putin", "Kim Jong Un met Putin"},
		{"Empty", "", ""},
		{"Accents", "Zelenskỳ — «Kyiv»", "Zelenskỳ — «Kyiv»"},
		{"Emphasis", "*bold* _it_ ~~x~~", `\*bold\* \_it\_ \~\~x\~\~`},
		{"CodeSpoilerLink", "`a` ||b|| [c](d)", "\\`a\\` \\|\\|b\\|\\| \\[c\\](d)"},
		{"Backslash", `a\b`, `a\\b`},
		{"LineStartMarkers", "> quote\n# head\n- item", "\\> quote\n\\# head\n\\- item"},
		{"IndentedMarker", "  - item", `  \- item`},
		{"InnerMarkers", "10 - 3 > 2 #1", "10 - 3 > 2 #1"},
		{"AfterMultibyte", "é*", `é\*`},
		{"MarkerAfterText", "Top\n-5 °C", "Top\n\\-5 °C"},
		{"TerminalEscape", "\x1b[31mred", `\\x1b\[31mred`},
		{"RightToLeftOverride", "abc\u202edcba", `abc\\u202edcba`},
	}
	for _, tt := range tests {
		if got := escape(tt.in); got != tt.want {
			t.Errorf("%s: escape(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

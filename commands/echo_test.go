package commands_test

import (
	"strings"
	"testing"
)

// TestRouter_EchoesEscapeControlCharacters types terminal escape sequences
// and a right-to-left override where a "nothing matches" answer repeats
// what the member typed: the answer shows them as escapes, never raw.
func TestRouter_EchoesEscapeControlCharacters(t *testing.T) {
	t.Parallel()
	r := newRouter(openLibrary(t))
	const typed = "zzqxv\x1b[2J\x1b]0;owned\a\u202eevil"
	for _, tt := range []struct{ name, option, want string }{
		{"search", "query", `zzqxv\\x1b\[2J\\x1b\]0;owned\\x07\\u202eevil`},
		{"actor", "name", `zzqxv\\x1b\[2J\\x1b\]0;owned\\x07\\u202eevil`},
		{"event", "name", `zzqxv\\x1b\[2J\\x1b\]0;owned\\x07\\u202eevil`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := handle(t, r, "/"+tt.name, command(tt.name, opt(tt.option, typed)))
			got := w.text()
			if strings.ContainsAny(got, "\x1b\a\u202e") {
				t.Errorf("answer holds raw control characters: %q", got)
			}
			if !strings.Contains(got, tt.want) {
				t.Errorf("answer %q does not echo %q", got, tt.want)
			}
		})
	}
}

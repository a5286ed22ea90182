package console_test

import (
	"strings"
	"testing"

	"briefbot/bot/console"

	"briefbot/internal/testlib"
	"github.com/bwmarrin/discordgo"
)

// TestConsole_EscapesControlCharacters types terminal escape sequences and
// a right-to-left override into the console: the echo of the line, the
// error about it and the answer that repeats it all show them escaped.
func TestConsole_EscapesControlCharacters(t *testing.T) {
	t.Parallel()
	script := "/search query:zzqxv\x1b[2J\x1b]0;owned\a\u202eevil\n" +
		"/actr\x1b[31m name:kim\n" +
		"# a comment \x1b[5m blinking\n"
	got := testlib.RunScript(t, sampleRouter(t, testlib.SQLite), console.Options{GuildID: "200000000000000001"}, script)
	if strings.ContainsAny(got, "\x1b\a\u202e") {
		t.Errorf("the console printed raw control characters:\n%q", got)
	}
	for _, want := range []string{
		`> /search query:zzqxv\x1b[2J\x1b]0;owned\x07\u202eevil`,
		`matches “zzqxv\x1b[2J\x1b]0;owned\x07\u202eevil”`,
		`error: there is no command /actr\x1b[31m`,
		`# a comment \x1b[5m blinking`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the console output lacks %q:\n%s", want, got)
		}
	}
}

// TestTextRenderer_ANSIKeepsOnlyItsOwnBold renders a response carrying
// escape sequences with ANSI on: the renderer's bold stays, the rest is
// escaped.
func TestTextRenderer_ANSIKeepsOnlyItsOwnBold(t *testing.T) {
	t.Parallel()
	r := console.TextRenderer{Now: renderNow, ANSI: true}
	got := r.Response(&discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: "a **bold** word \x1b[2J\u202e"},
	})
	if want := "a \x1b[1mbold\x1b[22m word \\x1b[2J\\u202e\n"; got != want {
		t.Errorf("Response = %q, want %q", got, want)
	}
}

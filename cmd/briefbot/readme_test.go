package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// consoleExample is a console transcript in README.md: the lines of a
// fenced block, the console arguments and what its output must show.
type consoleExample struct {
	line   int // of the opening fence, for failure messages
	args   []string
	expect []string
	script string
}

// exampleMarker precedes every console transcript in README.md:
// <!-- console example: briefbot ARGS | expect: TEXT; TEXT -->
var exampleMarker = regexp.MustCompile(`^<!-- console example: briefbot(.*?)(?: \| expect: (.*))? -->$`)

// readmeConsoleExamples returns the console transcripts of README.md. A
// fenced block without a language whose first line is a slash command must
// carry the marker, so no example escapes the test.
func readmeConsoleExamples(t *testing.T) []consoleExample {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	var out []consoleExample
	for i := 0; i < len(lines); i++ {
		if !strings.HasPrefix(lines[i], "```") {
			continue
		}
		lang := strings.TrimPrefix(lines[i], "```")
		var body []string
		j := i + 1
		for ; j < len(lines) && !strings.HasPrefix(lines[j], "```"); j++ {
			body = append(body, lines[j])
		}
		open := i
		i = j
		if lang != "" || len(body) == 0 || !strings.HasPrefix(body[0], "/") {
			continue
		}
		m := []string(nil)
		if open > 0 {
			m = exampleMarker.FindStringSubmatch(lines[open-1])
		}
		if m == nil {
			t.Errorf("README.md:%d: a console example without a <!-- console example: briefbot ARGS --> line above it", open+1)
			continue
		}
		ex := consoleExample{line: open + 1, args: strings.Fields(m[1]), script: strings.Join(body, "\n") + "\n"}
		for _, e := range strings.Split(m[2], ";") {
			if e = strings.TrimSpace(e); e != "" {
				ex.expect = append(ex.expect, e)
			}
		}
		// The reader is told the command: it appears in the README's text.
		if len(ex.args) > 0 && !strings.Contains(string(data), "briefbot "+strings.Join(ex.args, " ")+"\n") {
			t.Errorf("README.md:%d: the example runs `briefbot %s`, which the README never shows on its own line", ex.line, strings.Join(ex.args, " "))
		}
		out = append(out, ex)
	}
	return out
}

// TestREADME_ConsoleExamples runs every console transcript of README.md,
// as written, on a fresh library, the way a newcomer would after `make
// run`: no line may end in an error or an apology, every press must answer,
// and the output shows what the README promises.
func TestREADME_ConsoleExamples(t *testing.T) {
	t.Parallel()
	examples := readmeConsoleExamples(t)
	if len(examples) < 2 {
		t.Fatalf("found %d console examples in README.md, want the tour and the moderator's", len(examples))
	}
	for _, ex := range examples {
		t.Run(strings.Join(append([]string{"briefbot"}, ex.args...), "_"), func(t *testing.T) {
			env := map[string]string{"BRIEFBOT_DB": filepath.Join(t.TempDir(), "briefbot.db")}
			out, errOut, err := run(t, env, ex.script, ex.args...)
			if err != nil {
				t.Fatalf("README.md:%d: %v\n%s", ex.line, err, errOut)
			}
			for _, l := range strings.Split(errOut, "\n") {
				if strings.HasPrefix(l, "error:") {
					t.Errorf("README.md:%d: the console answered with %q", ex.line, l)
				}
			}
			if strings.Contains(out, "something went wrong") {
				t.Errorf("README.md:%d: an internal error:\n%s", ex.line, out)
			}
			for _, a := range transcriptAnswers(out) {
				if strings.HasPrefix(a.line, "press") && strings.TrimSpace(a.answer) == "" {
					t.Errorf("README.md:%d: %q answered nothing", ex.line, a.line)
				}
			}
			for _, want := range ex.expect {
				if !strings.Contains(out, want) {
					t.Errorf("README.md:%d: the output lacks %q:\n%s", ex.line, want, out)
				}
			}
		})
	}
}

// answered is one echoed line of a piped console and what followed it.
type answered struct{ line, answer string }

// transcriptAnswers splits a piped console's output into its lines and
// their answers, in order.
func transcriptAnswers(out string) []answered {
	var all []answered
	for _, l := range strings.SplitAfter(out, "\n") {
		if strings.HasPrefix(l, "> ") {
			all = append(all, answered{line: strings.TrimSpace(l[2:])})
			continue
		}
		if len(all) > 0 {
			all[len(all)-1].answer += l
		}
	}
	return all
}

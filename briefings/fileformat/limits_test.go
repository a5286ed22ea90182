package fileformat_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"briefbot/briefings/fileformat"
)

// repeatLines returns n lines made by line(i), for i from 0.
func repeatLines(n int, line func(i int) string) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(line(i))
		b.WriteByte('\n')
	}
	return b.String()
}

// TestDecode_Limits feeds Decode files built to exhaust the YAML parser and
// checks that each gets one problem naming the limit and the line, before
// the parser sees it.
func TestDecode_Limits(t *testing.T) {
	nestedMaps := repeatLines(100, func(i int) string { return strings.Repeat(" ", i) + "a:" })
	tests := []struct {
		name    string
		src     string
		doc     int
		line    int
		message string
	}{
		{"FlowBomb", strings.Repeat("[", 64<<10), 1, 1, "nesting deeper than 64 levels"},
		{"FlowBombInAField", minimal + "body: " + strings.Repeat("{a: [", 20<<10), 1, 5, "nesting deeper than 64 levels"},
		{"FlowBombOverLines", minimal + "body:\n" + strings.Repeat("  [\n", 100), 1, 68, "nesting deeper than 64 levels"},
		{"JSONBomb", strings.Repeat(`{"a":`, 100<<10) + "1" + strings.Repeat("}", 100<<10), 1, 1, "nesting deeper than 64 levels"},
		{"BlockSequenceBomb", strings.Repeat("- ", 300<<10) + "x\n", 1, 1, "nesting deeper than 64 levels"},
		{"IndentationBomb", nestedMaps, 1, 65, "nesting deeper than 64 levels"},
		{"BombAfterACompactKey", minimal + "facts:\n- text: |\n  " + strings.Repeat("[", 1000), 1, 7, "nesting deeper than 64 levels"},
		{"BombAfterAFlowList", "[a], " + strings.Repeat("[", 1000), 1, 1, "nesting deeper than 64 levels"},
		{"BombAfterAQuotedScalar", "'a' " + strings.Repeat("{", 1000), 1, 1, "nesting deeper than 64 levels"},
		{"BombInTheSecondDocument", minimal + "---\n" + strings.Repeat("[", 1000), 2, 6, "nesting deeper than 64 levels"},
		{"ManyDocuments", strings.Repeat("---\ntitle: x\n", 100_000), 10_001, 20_001, "more than 10,000 documents"},
		{"ManyValues", minimal + "aliases: [" + strings.Repeat("a, ", 15_000) + "]", 1, 5, "more than 10,000 values"},
		{"ManyListEntries", minimal + "topics:\n" + strings.Repeat("- a\n", 15_000), 1, 9996, "more than 10,000 values"},
		{"ManyFields", minimal + repeatLines(300, func(i int) string { return fmt.Sprintf("k%d: v", i) }), 1, 201, "more than 200 fields"},
		{"ManyFlowFields", minimal + "source: {" + strings.Repeat("a: b, ", 300) + "}", 1, 5, "more than 200 fields"},
		{"LargeDocument", minimal + "body: |\n" + strings.Repeat("  "+strings.Repeat("x", 98)+"\n", 15_000), 1, 15_005, "the document is 1,480 KiB; a briefing may take up to 1,024 KiB"},
		{"InvalidUTF8", minimal + "body: caf\xe9\n", 0, 5, "line 5 is not valid UTF-8 (column 10); save the file as UTF-8"},
		{"UTF16", "\xff\xfet\x00i\x00", 0, 1, "line 1 is not valid UTF-8 (column 1)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			problems := decodeProblems(t, tt.src)
			if len(problems) != 1 {
				t.Fatalf("got %d problems, want 1: %v", len(problems), problems)
			}
			p := problems[0]
			if p.Doc != tt.doc || p.Line != tt.line || !strings.Contains(p.Message, tt.message) {
				t.Errorf("problem = doc %d line %d %q, want doc %d line %d %q", p.Doc, p.Line, p.Message, tt.doc, tt.line, tt.message)
			}
		})
	}
}

// TestDecode_LimitsLeaveRealFilesAlone checks that what looks like a bomb
// but is text (in a block scalar, quotes or a comment), and files near the
// limits, still decode.
func TestDecode_LimitsLeaveRealFilesAlone(t *testing.T) {
	brackets := strings.Repeat("[{", 500)
	tests := []struct {
		name, src string
		docs      int
	}{
		{"BracketsInALiteralBlock", minimal + "body: |\n  " + brackets + "\n\n  - - - - - - -\n", 1},
		{"BracketsInAFoldedBlockOfAnEntry", minimal + "facts:\n  - text: >-\n      " + brackets + "\n    attribution: the wire\n", 1},
		{"BracketsInQuotes", minimal + "body: \"" + brackets + "\\\"\n  " + brackets + "\"\n", 1},
		{"BracketsInSingleQuotes", minimal + "body: '" + brackets + "''\n  " + brackets + "'\n", 1},
		{"BracketsInAComment", minimal + "# " + brackets + "\nbody: a # " + brackets + "\n", 1},
		{"BracketsInPlainText", minimal + "body: a " + brackets + "\n", 1},
		{"DocumentBlockScalarAtColumnZero", minimal + "body: |\n" + strings.Repeat(" ", 1) + brackets + "\n", 1},
		{"ManyDocuments", repeatLines(10_000, func(i int) string {
			return fmt.Sprintf("---\ntitle: Briefing %d\npublished: 2025-08-12\ntopics: [a]\nsummary: s", i)
		}), 10_000},
		{"NestedJSON", `{"title": "T", "published": "2025-08-12", "topics": ["a"], "summary": "s", "facts": [{"text": "t", "attribution": "a", "actors": []}]}`, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bs, err := fileformat.Decode(strings.NewReader(tt.src), "f.yaml")
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if len(bs) != tt.docs {
				t.Fatalf("got %d briefings, want %d", len(bs), tt.docs)
			}
		})
	}
}

// TestDecode_FileTooLarge reads no more than the limit of an endless file.
func TestDecode_FileTooLarge(t *testing.T) {
	r := &countingReader{r: endless{}}
	_, err := fileformat.Decode(r, "huge.yaml")
	var fe *fileformat.Error
	if !errors.As(err, &fe) || len(fe.Problems) != 1 {
		t.Fatalf("err=%v, want one problem", err)
	}
	if got, want := fe.Problems[0].String(), "huge.yaml: the file is larger than 32 MiB, the most one import reads; split it into several files"; got != want {
		t.Errorf("problem %q, want %q", got, want)
	}
	if r.n > fileformat.MaxFileBytes+64<<10 {
		t.Errorf("read %d bytes, want at most the limit", r.n)
	}
}

type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a'
	}
	return len(p), nil
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// TestDecode_ProblemsAreCapped lists the first problems of a file of many
// bad documents and counts the rest.
func TestDecode_ProblemsAreCapped(t *testing.T) {
	src := repeatLines(5000, func(i int) string { return fmt.Sprintf("---\ntitle: Briefing %d", i) })
	_, err := fileformat.Decode(strings.NewReader(src), "f.yaml")
	var fe *fileformat.Error
	if !errors.As(err, &fe) {
		t.Fatalf("err=%v, want *fileformat.Error", err)
	}
	// Each document lacks published, topics and summary.
	if got, want := len(fe.Problems), fileformat.MaxProblems; got != want {
		t.Errorf("%d problems listed, want %d", got, want)
	}
	if got, want := fe.More, 3*5000-fileformat.MaxProblems; got != want {
		t.Errorf("More=%d, want %d", got, want)
	}
	lines := strings.Split(fe.Error(), "\n")
	if got, want := lines[len(lines)-1], "…and 14,950 more"; got != want {
		t.Errorf("last line %q, want %q", got, want)
	}
}

// TestDecode_AliasLimits refuses documents that repeat aliases to grow.
func TestDecode_AliasLimits(t *testing.T) {
	t.Run("MoreThan1000Uses", func(t *testing.T) {
		src := minimal + "actors:\n  - name: n\n    aliases: [&a b, " + strings.Repeat("*a, ", 1100) + "]\n"
		problems := decodeProblems(t, src)
		found := false
		for _, p := range problems {
			found = found || strings.Contains(p.Message, "uses aliases (*name) more than 1,000 times; write the values out")
			if strings.Contains(p.Message, "does not name an anchor") {
				t.Errorf("problem %q blames a missing anchor", p)
			}
		}
		if !found {
			t.Errorf("problems %v do not name the alias limit", problems)
		}
	})
	t.Run("ExpandingPastTheValueLimit", func(t *testing.T) {
		// 900 uses of a 60-entry list are 54,000 values.
		src := minimal + "events:\n  - name: e\n    date: 2025\n    participants: &p [" + strings.Repeat("a, ", 60) + "]\n" +
			repeatLines(900, func(i int) string { return fmt.Sprintf("  - {name: e%d, date: 2025, participants: *p}", i) })
		problems := decodeProblems(t, src)
		if len(problems) == 0 || !strings.Contains(problems[0].Message, "more than 10,000 values once its aliases are expanded") {
			t.Errorf("problems %v, want the expanded value limit", problems)
		}
	})
}

// TestProblem_StringEscapesControlCharacters shows a field name with
// terminal escape sequences escaped, not raw.
func TestProblem_StringEscapesControlCharacters(t *testing.T) {
	src := minimal + "\"\\e]0;owned\\a\\e[31mred\\u202e\": x\n"
	problems := decodeProblems(t, src)
	if len(problems) != 1 {
		t.Fatalf("got %v, want one problem", problems)
	}
	got := problems[0].String()
	if strings.ContainsAny(got, "\x1b\x07\u202e") {
		t.Errorf("String()=%q holds raw control characters", got)
	}
	if want := `f.yaml:doc 1: \x1b]0;owned\x07\x1b[31mred\u202e: unknown field`; !strings.HasPrefix(got, want) {
		t.Errorf("String()=%q, want it to start %q", got, want)
	}
}

// decodeAllocs returns the bytes Decode allocates for data.
func decodeAllocs(data []byte) (uint64, error) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := fileformat.Decode(bytes.NewReader(data), "f.yaml")
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc, err
}

// allocLimit is the most Decode may allocate for n bytes of input: a fixed
// allowance and a multiple of the input (the parser takes about 1 KB for
// each value, and a value can be two bytes). Before the limits, 16 KB of
// "[" took the parser past 1 GB.
func allocLimit(n int) uint64 { return 16<<20 + 1000*uint64(n) }

// attacks make files of about 1 MiB, the most a moderator can attach, built
// to make the parser use memory or time.
func attacks() map[string]func() string {
	near := func(n int, line func(i int) string) string { // documents just inside the limits
		var b strings.Builder
		for b.Len() < 512<<10 { // documents are parsed one at a time: more of them would not raise the peak
			b.WriteString("---\n" + minimal + repeatLines(n, line))
		}
		return b.String()
	}
	return map[string]func() string{
		"FlowBomb":     func() string { return strings.Repeat("[", 1<<20) },
		"BlockBomb":    func() string { return strings.Repeat("- ", 1<<19) },
		"JSONBomb":     func() string { return strings.Repeat(`{"a":`, 100<<10) + strings.Repeat("}", 100<<10) },
		"Nested63Deep": func() string { return strings.Repeat(strings.Repeat("[", 63)+strings.Repeat("]", 63)+",", 8000) },
		"ListEntries":  func() string { return near(9_900, func(int) string { return "- a" }) },
		"FlowEntries":  func() string { return near(1, func(int) string { return "x: [" + strings.Repeat("a,", 9_900) + "]" }) },
		"FlowMappings": func() string { return near(2400, func(int) string { return "- {a: b}" }) },
		"MaxFields": func() string {
			return near(24, func(i int) string {
				return fmt.Sprintf("m%d:\n%s", i, repeatLines(199, func(j int) string { return fmt.Sprintf("  k%d: v", j) }))
			})
		},
		"LiteralBlock": func() string {
			return minimal + "body: |\n" + strings.Repeat("  "+strings.Repeat("a", 98)+"\n", 10_000)
		},
		"ShortLines":       func() string { return minimal + "body: |\n" + strings.Repeat("  a\n", 250_000) },
		"EscapedQuotes":    func() string { return minimal + "body: \"" + strings.Repeat(`\u00e9`, 170_000) + "\"\n" },
		"Documents":        func() string { return strings.Repeat("---\ntitle: x\n", 80_000) },
		"InvalidDocuments": func() string { return strings.Repeat("---\ntitle: [\n", 9_999) },
		"AliasesOfLists": func() string {
			return minimal + "actors:\n  - name: n\n    aliases: &a [" + strings.Repeat("b, ", 5_000) + "]\nevents:\n" +
				strings.Repeat("  - {name: e, date: 2025, participants: *a}\n", 600)
		},
		"StrayClosers":        func() string { return "[a]" + strings.Repeat("]", 1<<20-16) },
		"StrayClosersAlone":   func() string { return minimal + "body: " + strings.Repeat("]", 1<<20-100) },
		"Commas":              func() string { return "[" + strings.Repeat(",", 1<<20-16) },
		"Properties":          func() string { return "[" + strings.Repeat("&a ", 300_000) },
		"BlockProperties":     func() string { return minimal + "body: " + strings.Repeat("!t ", 300_000) },
		"ShortComments":       func() string { return strings.Repeat("#\n", 500_000) },
		"EmptyLines":          func() string { return minimal + strings.Repeat("\n", 1<<20-100) },
		"DocumentEnds":        func() string { return strings.Repeat("...\n", 250_000) },
		"EmptyEntries":        func() string { return minimal + "topics:\n" + strings.Repeat("-\n", 500_000) },
		"BracketsInPlainText": func() string { return minimal + "body: x " + strings.Repeat("[{", 1<<19-100) },
		"ClosersInPlainText":  func() string { return minimal + "body: x " + strings.Repeat("]},", 1<<18) },
		"CommentsOnly":        func() string { return strings.Repeat("# "+strings.Repeat("c", 98)+"\n", 10_000) },
		"UnclosedQuote":       func() string { return minimal + "body: \"" + strings.Repeat("[", 1<<20) },
		"UnclosedFlowLines":   func() string { return minimal + "body: [" + strings.Repeat("a\n", 1<<19) },
	}
}

// TestDecode_PeakMemory decodes each attack in a child process (this test
// binary again) that reports its peak resident memory for each, and checks
// that none reaches 100 MB. The parent kills the child if it passes 400 MB,
// so that a regression fails the test instead of the machine.
func TestDecode_PeakMemory(t *testing.T) {
	if os.Getenv(peakEnv) == "child" {
		peakChild()
		return
	}
	if _, err := os.Stat("/proc/self/clear_refs"); err != nil {
		t.Skip("needs Linux's /proc/self/clear_refs to measure peak memory")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestDecode_PeakMemory$", "-test.count=1")
	cmd.Env = append(os.Environ(), peakEnv+"=child")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killed := watchRSS(cmd.Process.Pid, 400<<20)
	err := cmd.Wait()
	if *killed {
		t.Fatalf("the child passed 400 MB and was killed; it reported:\n%s", out.String())
	}
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out.String())
	}
	seen := 0
	for _, line := range strings.Split(out.String(), "\n") {
		var name, took string
		var kb int
		if n, _ := fmt.Sscanf(line, "peak %s %d %s", &name, &kb, &took); n != 3 {
			continue
		}
		seen++
		t.Logf("%-20s %6d KB %8s", name, kb, took)
		if kb*1024 >= 100_000_000 {
			t.Errorf("%s: peak resident memory %d KB, want under 100 MB", name, kb)
		}
	}
	if seen != len(attacks()) {
		t.Fatalf("child reported %d attacks, want %d:\n%s", seen, len(attacks()), out.String())
	}
}

const peakEnv = "FILEFORMAT_TEST_PEAK"

// peakChild decodes each attack and prints "peak NAME KB", the highest
// resident memory during its decoding.
func peakChild() {
	all := attacks()
	names := make([]string, 0, len(all))
	for name := range all {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		data := []byte(all[name]())
		debug.FreeOSMemory()
		if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil { // resets VmHWM
			fmt.Println("error:", err)
			os.Exit(2)
		}
		start := time.Now()
		_, _ = fileformat.Decode(bytes.NewReader(data), name+".yaml")
		fmt.Printf("peak %s %d %v\n", name, statusKB("/proc/self/status", "VmHWM:"), time.Since(start).Round(time.Millisecond))
	}
}

// statusKB reads a "Key: N kB" line of a /proc status file, or -1.
func statusKB(path, key string) int {
	raw, err := os.ReadFile(path)
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, key); ok {
			var kb int
			fmt.Sscan(rest, &kb)
			return kb
		}
	}
	return -1
}

// watchRSS kills the process pid when its resident memory passes limit
// bytes, and reports through the returned flag that it did. It stops when
// the process is gone.
func watchRSS(pid int, limit int) *bool {
	killed := new(bool)
	path := fmt.Sprintf("/proc/%d/status", pid)
	go func() {
		for {
			kb := statusKB(path, "VmRSS:")
			if kb < 0 {
				return
			}
			if kb*1024 > limit {
				*killed = true
				_ = syscall.Kill(pid, syscall.SIGKILL)
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
	}()
	return killed
}

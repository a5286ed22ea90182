package fileformat_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"briefbot/briefings"
	"briefbot/briefings/fileformat"
)

// minimal is the smallest valid briefing; cases add or replace fields.
const minimal = "title: Talks in Anchorage\npublished: 2025-08-12\ntopics: [alaska-summit]\nsummary: They met.\n"

// with returns minimal with the top-level field key replaced by the raw YAML
// value, or removed when value is empty, plus any extra lines.
func with(key, value string, extra ...string) string {
	var out []string
	found := false
	for _, l := range strings.Split(strings.TrimSuffix(minimal, "\n"), "\n") {
		if strings.HasPrefix(l, key+":") {
			found = true
			if value == "" {
				continue
			}
			l = key + ": " + value
		}
		out = append(out, l)
	}
	if !found && value != "" {
		out = append(out, key+": "+value)
	}
	return strings.Join(append(out, extra...), "\n") + "\n"
}

// decodeProblems decodes src and returns its problems, failing when the
// error is not an *Error.
func decodeProblems(t *testing.T, src string) []fileformat.Problem {
	t.Helper()
	_, err := fileformat.Decode(strings.NewReader(src), "f.yaml")
	if err == nil {
		return nil
	}
	var fe *fileformat.Error
	if !errors.As(err, &fe) {
		t.Fatalf("error %T %v, want *fileformat.Error", err, err)
	}
	if got, want := briefings.ErrorCode(err), briefings.EINVALID; got != want {
		t.Fatalf("code=%q, want %q", got, want)
	}
	return fe.Problems
}

func TestDecode_Problems(t *testing.T) {
	type want struct {
		field, message string
		line           int // 0: not checked
	}
	tests := []struct {
		name string
		src  string
		want []want
	}{
		{"MissingTitle", with("title", ""), []want{{"title", "required", 0}}},
		{"TitleTooLong", with("title", strings.Repeat("é", 257)), []want{{"title", "is 257 characters; the limit is 256", 1}}},
		{"TitleList", with("title", "[a, b]"), []want{{"title", "must be text, not a list", 1}}},
		{"TitleMapping", with("title", "{a: b}"), []want{{"title", "must be text, not a mapping", 1}}},
		{"MissingPublished", with("published", ""), []want{{"published", "required: a date such as 2025-08-12", 0}}},
		{"BadDate", with("published", "2025-13-01"), []want{{"published", `"2025-13-01" is not a date`, 2}}},
		{"BadPrecision", with("published", "2025-8"), []want{{"published", `"2025-8" is not a date: use YYYY, YYYY-MM, YYYY-MM-DD or RFC 3339`, 2}}},
		{"SignedYear", with("published", "'+202'"), []want{{"published", `"+202" is not a date`, 2}}},
		{"PastYear9999InUTC", with("published", "9999-12-31T23:00:00-05:00"), []want{{"published", `"9999-12-31T23:00:00-05:00" is 10000-01-01T04:00:00Z in UTC, outside the years 0001 to 9999`, 2}}},
		{"RightToLeftOverride", with("title", "\"Invoice \\u202Egnp.exe\""), []want{{"title", "contains the bidirectional control U+202E", 1}}},
		{"SpaceSeparatedTime", with("published", "2025-08-12 14:00"), []want{{"published", "is not a date", 2}}},
		{"DateList", with("published", "[2025]"), []want{{"published", "must be a date such as 2025-08-12, not a list", 2}}},
		{"UnknownField", with("titel", "x"), []want{{"titel", `unknown field "titel"; did you mean "title"?`, 5}}},
		{"UnknownFieldFar", with("zzz", "x"), []want{{"zzz", `unknown field "zzz"; the fields here are slug, title, published`, 5}}},
		{"UnknownNestedField", with("facts", "", "facts:", "  - text: t", "    atribution: a"), []want{
			{"facts[1].atribution", `did you mean "attribution"?`, 7},
			{"facts[1].attribution", "required", 6},
		}},
		{"DuplicateKey", with("summary", "a", "summary: b"), []want{{"summary", "appears twice in the same mapping (first on line 4)", 5}}},
		{"BadStatus", with("status", "publshed"), []want{{"status", `"publshed" is not one of draft, published, retracted`, 0}}},
		{"BadSlug", with("slug", "Bad Slug"), []want{{"slug", `try "bad-slug"`, 0}}},
		{"SlugFromEmptyTitle", with("title", `"!!!"`), []want{{"slug", "the title \"!!!\" gives no slug", 0}}},
		{"BadURL", with("source", "{name: KCNA, url: ftp://example.org/x}"), []want{{"source.url", "is not an http or https URL", 5}}},
		{"SourceText", with("source", "KCNA"), []want{{"source", "must be a mapping of fields, not text", 5}}},
		{"NoTopics", with("topics", ""), []want{{"topics", "required: at least one topic", 0}}},
		{"EmptyTopics", with("topics", "[]"), []want{{"topics", "required: at least one topic", 3}}},
		{"TopicsText", with("topics", "alaska-summit"), []want{{"topics", "must be a list such as [a, b], not text", 3}}},
		{"TooManyTopics", with("topics", "[a, b, c, d, e, f, g, h, i, j, k]"), []want{{"topics", "has 11 entries; the limit is 10", 3}}},
		{"TopicWithoutSlug", with("topics", `["?"]`), []want{{"topics[1]", `"?" gives no topic slug`, 3}}},
		{"SummaryTooLong", with("summary", strings.Repeat("a", 4001)), []want{{"summary", "is 4001 characters; the limit is 4000", 4}}},
		{"MissingSummary", with("summary", ""), []want{{"summary", "required", 0}}},
		{"BadKind", with("actors", "", "actors:", "  - name: Kim", "    kind: leader"), []want{{"actors[1].kind", `"leader" is not one of person, country, organization, group, place`, 7}}},
		{"ActorWithoutName", with("actors", "", "actors:", "  - kind: person"), []want{{"actors[1].name", "required", 6}}},
		{"ActorNotMapping", with("actors", "", "actors: [Kim]"), []want{{"actors[1]", "must be a mapping of fields, not text", 5}}},
		{"AliasTaken", with("actors", "", "actors:", "  - {name: Kim Jong Un, aliases: [Kim]}", "  - {name: Kim Yo Jong, aliases: [kim]}"), []want{{"actors[2].aliases[1]", `"kim" is already used by actors[1].aliases[1]`, 7}}},
		{"EventWithoutDate", with("events", "", "events:", "  - name: Summit"), []want{{"events[1].date", "required", 6}}},
		{"EventEndsBeforeStart", with("events", "", "events:", "  - {name: Summit, date: 2025-08-15, end: 2025-08-14}"), []want{{"events[1].end", "2025-08-14 is before the date 2025-08-15", 6}}},
		{"EventSameName", with("events", "", "events:", "  - {name: Summit, date: 2025}", "  - {name: summit, date: 2025}"), []want{{"events[2].name", `"summit" appears twice`, 7}}},
		{"EmptyParticipant", with("events", "", "events:", "  - {name: Summit, date: 2025, participants: [\"\"]}"), []want{{"events[1].participants[1]", "required", 6}}},
		{"FactWithoutAttribution", with("facts", "", "facts:", "  - text: t", "  - text: u"), []want{{"facts[1].attribution", "required", 6}, {"facts[2].attribution", "required", 7}}},
		{"FactBadAsOf", with("facts", "", "facts:", "  - {text: t, attribution: a, as_of: soon}"), []want{{"facts[1].as_of", `"soon" is not a date`, 6}}},
		{"FactActorsText", with("facts", "", "facts:", "  - {text: t, attribution: a, actors: Kim}"), []want{{"facts[1].actors", "must be a list", 6}}},
		{"CorrectionWithoutDate", with("corrections", "", "corrections:", "  - text: fixed"), []want{{"corrections[1].date", "required", 6}}},
		{"MergeKey", with("source", "", "base: &b {name: KCNA}", "source:", "  <<: *b"), []want{
			{"base", `unknown field "base"`, 5},
			{"source", "merge keys (<<) are not supported", 7},
		}},
		{"NotAMapping", "- title: a\n- title: b\n", []want{{"", "a briefing must be a mapping of fields", 1}}},
		{"SyntaxError", with("topics", "[a, b", "x: y"), []want{{"", "YAML syntax:", 0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			problems := decodeProblems(t, tt.src)
			if len(problems) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(problems), len(tt.want), (&fileformat.Error{Problems: problems}).Error())
			}
			for i, w := range tt.want {
				p := problems[i]
				if p.Field != w.field || !strings.Contains(p.Message, w.message) || p.Doc != 1 || p.File != "f.yaml" {
					t.Errorf("problem %d = %+v, want doc 1 field %q message containing %q", i+1, p, w.field, w.message)
				}
				if w.line != 0 && p.Line != w.line {
					t.Errorf("problem %d line=%d, want %d", i+1, p.Line, w.line)
				}
			}
		})
	}
}

func TestDecode_ProblemString(t *testing.T) {
	src := with("facts", "", "facts:", "  - text: a", "    attribution: b", "  - text: c", "  - text: d")
	problems := decodeProblems(t, src)
	if len(problems) != 2 {
		t.Fatalf("got %d problems, want 2: %v", len(problems), problems)
	}
	if got, want := problems[0].String(), "f.yaml:doc 1: facts[2].attribution: required"; got != want {
		t.Errorf("String()=%q, want %q", got, want)
	}
	if got, want := (fileformat.Problem{File: "f.yaml", Doc: 2, Line: 9, Message: "YAML syntax: bad"}).String(), "f.yaml:doc 2: line 9: YAML syntax: bad"; got != want {
		t.Errorf("String()=%q, want %q", got, want)
	}
}

func TestDecode_MultipleDocuments(t *testing.T) {
	src := with("title", "") + "---\n" + minimal + "---\n" + with("title", "Second", "facts:", "  - text: t") + "---\n" + with("topics", "[a", "")
	problems := decodeProblems(t, src)
	got := make([]string, len(problems))
	for i, p := range problems {
		got[i] = p.String()
	}
	want := []string{
		"f.yaml:doc 1: title: required",
		"f.yaml:doc 3: facts[1].attribution: required",
	}
	if len(got) != 3 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("problems:\n%s\nwant to start with:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The syntax error of document 4 names the line in the whole file.
	if p := problems[2]; p.Doc != 4 || p.Field != "" || p.Line != 20 || !strings.HasPrefix(p.String(), fmt.Sprintf("f.yaml:doc 4: line %d: YAML syntax:", p.Line)) {
		t.Errorf("syntax problem = %+v (%s), want doc 4 at line 20, where the list breaks off", p, p)
	}
}

func TestDecode_DuplicateSlug(t *testing.T) {
	problems := decodeProblems(t, minimal+"---\n"+minimal)
	if len(problems) != 1 {
		t.Fatalf("got %v, want one problem", problems)
	}
	if got, want := problems[0].String(), `f.yaml:doc 2: slug: "talks-in-anchorage" is also the slug of document 1; give each briefing its own slug`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestDecode_NoBriefings(t *testing.T) {
	for _, src := range []string{"", "---\n", "---\n---\n", "# just a comment\n", "\ufeff"} {
		problems := decodeProblems(t, src)
		if len(problems) != 1 || problems[0].Doc != 0 || !strings.HasPrefix(problems[0].String(), "f.yaml: no briefings") {
			t.Errorf("Decode(%q) problems=%v, want one \"no briefings\"", src, problems)
		}
	}
}

func TestDecode_Defaults(t *testing.T) {
	bs, err := fileformat.Decode(strings.NewReader("---\n"+with("topics", "[Alaska summit, russia-north-korea]")), "f.yaml")
	if err != nil {
		t.Fatal(err)
	}
	b := bs[0]
	if got, want := b.Slug, "talks-in-anchorage"; got != want {
		t.Errorf("Slug=%q, want %q", got, want)
	}
	if got, want := b.Status, briefings.StatusPublished; got != want {
		t.Errorf("Status=%q, want %q", got, want)
	}
	if got, want := strings.Join(b.Topics, "|"), "Alaska summit|russia-north-korea"; got != want {
		t.Errorf("Topics=%q, want %q", got, want)
	}
}

func TestDecode_JSON(t *testing.T) {
	src := `{"title": "Talks", "published": "2025-08-12", "topics": ["alaska-summit"], "summary": "They met.",
	 "source": {"name": "KCNA", "url": "https://example.org/a"},
	 "facts": [{"text": "t", "attribution": "a", "actors": ["Kim"], "as_of": 2025}]}`
	bs, err := fileformat.Decode(strings.NewReader(src), "f.json")
	if err != nil {
		t.Fatal(err)
	}
	b := bs[0]
	if b.Title != "Talks" || b.Source.URL != "https://example.org/a" || len(b.Facts) != 1 || b.Facts[0].Actors[0] != "Kim" {
		t.Errorf("decoded %+v", b)
	}
	if got, want := b.Facts[0].AsOf, briefings.MustParseDate("2025"); got != want {
		t.Errorf("AsOf=%v (%v), want %v", got, got.P, want)
	}
}

func TestDecode_DatePrecision(t *testing.T) {
	src := with("published", "2025-08-12T14:30:00+02:00", "events:",
		"  - {name: a, date: 2025}",
		"  - {name: b, date: 2025-08}",
		"  - {name: c, date: '2025-08-12'}",
		"  - {name: d, date: \"2025-08-12T12:30:00.5Z\"}")
	bs, err := fileformat.Decode(strings.NewReader(src), "f.yaml")
	if err != nil {
		t.Fatal(err)
	}
	b := bs[0]
	if got, want := b.Published.P, briefings.PrecisionTime; got != want {
		t.Errorf("Published.P=%v, want %v", got, want)
	}
	if got, want := b.Published.T, time.Date(2025, 8, 12, 12, 30, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("Published.T=%v, want %v", got, want)
	}
	for i, want := range []briefings.Precision{briefings.PrecisionYear, briefings.PrecisionMonth, briefings.PrecisionDay, briefings.PrecisionTime} {
		if got := b.Events[i].Date.P; got != want {
			t.Errorf("events[%d] precision=%v, want %v", i+1, got, want)
		}
	}
}

func TestDecode_ScalarsKeepTheirSpelling(t *testing.T) {
	src := with("title", "1984", "source: {name: 0x1F}", "actors:", "  - {name: yes, aliases: [1.50, true]}")
	bs, err := fileformat.Decode(strings.NewReader(src), "f.yaml")
	if err != nil {
		t.Fatal(err)
	}
	b := bs[0]
	if got, want := []string{b.Title, b.Source.Name, b.Actors[0].Name, b.Actors[0].Aliases[0], b.Actors[0].Aliases[1]}, "1984 0x1F yes 1.50 true"; strings.Join(got, " ") != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestDecode_AnchorsAndAliases(t *testing.T) {
	src := with("actors", "", "actors:", "  - name: Vladimir Putin", "    aliases: &p [Putin]",
		"events:", "  - {name: Summit, date: 2025, participants: *p}")
	bs, err := fileformat.Decode(strings.NewReader(src), "f.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got := bs[0].Events[0].Participants; len(got) != 1 || got[0] != "Putin" {
		t.Errorf("Participants=%q, want [Putin]", got)
	}
}

func TestDecode_Fixture(t *testing.T) {
	f, err := os.Open("testdata/briefings.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	bs, err := fileformat.Decode(f, "briefings.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(bs), 2; got != want {
		t.Fatalf("len=%d, want %d", got, want)
	}
	a, b := bs[0], bs[1]
	if got, want := a.Topics[1], "Russia–North Korea"; got != want {
		t.Errorf("topic=%q, want %q", got, want)
	}
	if got, want := len(a.Actors), 5; got != want {
		t.Errorf("actors=%d, want %d", got, want)
	}
	if got, want := a.Facts[1].AsOf.P, briefings.PrecisionYear; got != want {
		t.Errorf("as_of precision=%v, want %v", got, want)
	}
	if !strings.HasSuffix(a.Body, "not denied.\n") || !strings.Contains(a.Body, "June, came") {
		t.Errorf("body=%q", a.Body)
	}
	if got, want := b.Slug, "trump-and-putin-meet-in-anchorage"; got != want {
		t.Errorf("slug=%q, want %q", got, want)
	}
	if got, want := b.Status, briefings.StatusDraft; got != want {
		t.Errorf("status=%q, want %q", got, want)
	}
	if got, want := b.Facts[0].Text, `Trump called the meeting "extremely productive".`; got != want {
		t.Errorf("fact=%q, want %q", got, want)
	}
}

// TestDecode_DocumentationExample keeps the complete example of
// docs/briefing-format.md valid.
func TestDecode_DocumentationExample(t *testing.T) {
	doc, err := os.ReadFile("../../docs/briefing-format.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "## A complete example")
	if !ok {
		t.Fatal("docs/briefing-format.md has no complete example")
	}
	_, rest, _ = strings.Cut(rest, "```yaml\n")
	example, _, ok := strings.Cut(rest, "```")
	if !ok {
		t.Fatal("the example's code block is not closed")
	}
	bs, err := fileformat.Decode(strings.NewReader(example), "briefing-format.md")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(bs), 2; got != want {
		t.Fatalf("example holds %d briefings, want %d", got, want)
	}
	if got, want := bs[1].Slug, "ferry-strike-ends-after-three-days"; got != want {
		t.Errorf("second slug=%q, want %q as the page says", got, want)
	}
}

package fileformat_test

import (
	"bytes"
	"flag"
	"os"
	"reflect"
	"strings"
	"testing"

	"briefbot/briefings"
	"briefbot/briefings/fileformat"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// encode returns Encode's output, failing the test on error.
func encode(t testing.TB, bs []*briefings.Briefing) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := fileformat.Encode(&buf, bs); err != nil {
		t.Fatalf("encode: %v", err)
	}
	return buf.Bytes()
}

func TestEncode_Golden(t *testing.T) {
	src, err := os.ReadFile("testdata/briefings.yaml")
	if err != nil {
		t.Fatal(err)
	}
	bs, err := fileformat.Decode(bytes.NewReader(src), "briefings.yaml")
	if err != nil {
		t.Fatal(err)
	}
	got := encode(t, bs)
	const golden = "testdata/briefings.golden"
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("Encode output differs from %s (go test -update rewrites it):\n%s", golden, got)
	}
}

// rich is a briefing that uses every field and the text YAML finds hardest.
func rich() *briefings.Briefing {
	return &briefings.Briefing{
		Slug:             "kim-jong-un-says-yes-2025",
		Title:            `Kim Jong-ün: "yes" — #1 @everyone`,
		Published:        briefings.MustParseDate("2025-08-12T14:30:00Z"),
		Status:           briefings.StatusRetracted,
		RetractionReason: "The source withdrew the report.\nSee the correction below.",
		Source:           briefings.Source{Name: "Yonhap: Seoul", URL: "https://example.org/a?b=c&d=e#f"},
		Topics:           []string{"alaska-summit", "Russia, North Korea", "null", "2025"},
		Summary:          "  Leading spaces matter.\nSecond line: with a colon\n\ttabbed line\n# not a comment\n",
		Body:             "Body with trailing newlines.\n\n- not a list\n  indented: not a map\n'single' \"double\" \\back\\\n\n\n",
		Actors: []briefings.Actor{
			{Name: "Kim Jong Un", Kind: briefings.KindPerson, Aliases: []string{"Kim", "김정은", "Kim: the leader"}, Description: "Leader of North Korea."},
			{Name: "@everyone", Kind: briefings.KindGroup},
			{Name: "true", Kind: briefings.KindCountry, Description: "A name YAML would read as a boolean."},
			{Name: "Ĳssel & Co.", Kind: briefings.KindOrganization, Description: "Ends with a space "},
			{Name: "- dash", Kind: briefings.KindPlace, Description: "line one\nline two without a final newline"},
		},
		Events: []briefings.Event{
			{Name: "Alaska summit", Date: briefings.MustParseDate("2025-08-15"), End: briefings.MustParseDate("2025-08-16"), Location: "Anchorage, Alaska", Participants: []string{"Kim", "@everyone", "true"}, Description: "Multi\nline\n"},
			{Name: "[bracketed] {braced}", Date: briefings.MustParseDate("2025")},
			{Name: "Month event", Date: briefings.MustParseDate("2025-08"), Location: "'quoted'", Description: "    indented first line\nsecond line\n"},
		},
		Facts: []briefings.Fact{
			{Text: "A fact: with a colon", Attribution: "KCNA", Actors: []string{"Kim", "Kim: the leader"}, Event: "Alaska summit", AsOf: briefings.MustParseDate("2024")},
			{Text: "Emoji 🚀 and non-breaking\u00a0space and zero-width\u200bjoiner", Attribution: "\"quoted\" source"},
		},
		Corrections: []briefings.Correction{
			{Date: briefings.MustParseDate("2025-08-13"), Text: "Fixed the date.\n"},
		},
	}
}

func TestEncode_RoundTrip(t *testing.T) {
	want := rich()
	other := rich()
	other.Slug = "another"
	first := encode(t, []*briefings.Briefing{want, other})
	got, err := fileformat.Decode(bytes.NewReader(first), "rich.yaml")
	if err != nil {
		t.Fatalf("decode of encoded output: %v\n%s", err, first)
	}
	if len(got) != 2 {
		t.Fatalf("decoded %d briefings, want 2", len(got))
	}
	if !reflect.DeepEqual(got[0], want) {
		t.Errorf("round trip changed the briefing:\n got %+v\nwant %+v\n%s", got[0], want, first)
	}
	if second := encode(t, got); !bytes.Equal(first, second) {
		t.Errorf("second encode differs:\n%s\n---- first:\n%s", second, first)
	}
	if n := bytes.Count(first, []byte("\n---\n")); n != 1 {
		t.Errorf("found %d document separators, want 1", n)
	}
}

func TestEncode_Layout(t *testing.T) {
	b := &briefings.Briefing{
		Slug:      "s",
		Title:     "Title",
		Published: briefings.MustParseDate("2025-08-12"),
		Status:    briefings.StatusPublished,
		Topics:    []string{"Alaska summit"},
		Summary:   "One line.\nTwo lines.\n",
		Facts:     []briefings.Fact{{Text: "t", Attribution: "a"}},
		Version:   3, CreatedBy: "someone",
	}
	want := "slug: s\ntitle: Title\npublished: 2025-08-12\ntopics: [Alaska summit]\nsummary: |\n  One line.\n  Two lines.\nfacts:\n  - text: t\n    attribution: a\n"
	if got := string(encode(t, []*briefings.Briefing{b})); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestEncode_Text(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"Plain", "Kim Jong Un", "title: Kim Jong Un\n"},
		{"Unicode", "Ким Чен Ын", "title: Ким Чен Ын\n"},
		{"Boolean", "Yes", `title: "Yes"` + "\n"},
		{"Number", "1984", `title: "1984"` + "\n"},
		{"ColonSpace", "Seoul: talks", `title: "Seoul: talks"` + "\n"},
		{"Hash", "a #b", `title: "a #b"` + "\n"},
		{"Mention", "@everyone", `title: "@everyone"` + "\n"},
		{"Quotes", `say "hi"`, `title: "say \"hi\""` + "\n"},
		{"LeadingSpace", " x", `title: " x"` + "\n"},
		{"Control", "a\u0007b", `title: "a\u0007b"` + "\n"},
		{"NoFinalNewline", "a\nb", "title: |-\n  a\n  b\n"},
		{"ExtraNewlines", "a\nb\n\n", "title: |+\n  a\n  b\n\n"},
		{"IndentedFirstLine", "  a\nb\n", "title: |2\n    a\n  b\n"},
		{"TrailingSpaceLine", "a \nb", `title: "a \nb"` + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(encode(t, []*briefings.Briefing{{Title: tt.in}}))
			if !strings.Contains(got, tt.want) {
				t.Errorf("got:\n%s\nwant it to contain:\n%s", got, tt.want)
			}
		})
	}
}

func TestEncode_InvalidUTF8(t *testing.T) {
	var buf bytes.Buffer
	err := fileformat.Encode(&buf, []*briefings.Briefing{{Slug: "s", Title: "bad \xff"}})
	if err == nil || !strings.Contains(err.Error(), "title is not valid UTF-8") {
		t.Errorf("err=%v, want title is not valid UTF-8", err)
	}
}

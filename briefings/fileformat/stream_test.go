package fileformat_test

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"briefbot/briefings"
	"briefbot/briefings/fileformat"
)

// stream decodes text with a Decoder, reading it in small pieces so that
// documents and lines cross the reader's boundaries.
func stream(t *testing.T, text, name string) ([]*briefings.Briefing, []int, error) {
	t.Helper()
	d := fileformat.NewDecoder(&trickle{s: text}, name)
	var bs []*briefings.Briefing
	var docs []int
	for {
		got, err := d.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		bs = append(bs, got.Briefing)
		docs = append(docs, got.Doc)
	}
	return bs, docs, d.Err()
}

// trickle reads 7 bytes at a time.
type trickle struct{ s string }

func (r *trickle) Read(p []byte) (int, error) {
	if r.s == "" {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), 7)], r.s)
	r.s = r.s[n:]
	return n, nil
}

// TestDecoder_SameAsDecode: a file streamed gives the briefings and the
// problems Decode gives, whatever its line breaks.
func TestDecoder_SameAsDecode(t *testing.T) {
	good, err := os.ReadFile(filepath.Join("testdata", "briefings.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]string{
		"sample":       string(good),
		"crlf":         strings.ReplaceAll(string(good), "\n", "\r\n"),
		"cr":           strings.ReplaceAll(string(good), "\n", "\r"),
		"bom":          "\ufeff" + string(good),
		"leading ---":  "---\n" + minimal + "---\n" + strings.Replace(minimal, "Anchorage", "Nome", 1),
		"problems":     minimal + "---\ntitle: [unclosed\n---\n" + "title: No summary\npublished: 2025-08-12\n---\n" + minimal,
		"empty parts":  "---\n---\n" + minimal + "---\n",
		"not a map":    "- a\n- b\n---\n" + minimal,
		"two errors":   minimal + "facts:\n  - text: x\n---\n" + minimal + "colour: red\n",
		"empty":        "",
		"only comment": "# nothing here\n",
	}
	for name, text := range tests {
		t.Run(name, func(t *testing.T) {
			want, werr := fileformat.Decode(strings.NewReader(text), "f.yaml")
			got, docs, gerr := stream(t, text, "f.yaml")
			if fmt.Sprint(werr) != fmt.Sprint(gerr) {
				t.Fatalf("problems differ:\nDecode:\n%v\nDecoder:\n%v", werr, gerr)
			}
			if werr != nil {
				return
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("briefings differ: got %d, Decode %d", len(got), len(want))
			}
			for i, d := range docs {
				if d != i+1 {
					t.Errorf("briefing %d came from document %d", i+1, d)
				}
			}
		})
	}
}

// TestDecoder_ManyDocuments: a stream is not held to Decode's cap on
// documents per file, and numbers every document.
func TestDecoder_ManyDocuments(t *testing.T) {
	var b strings.Builder
	n := fileformat.MaxDocuments + 500
	for i := range n {
		fmt.Fprintf(&b, "---\nslug: b%d\n%s", i, minimal)
	}
	if _, err := fileformat.Decode(strings.NewReader(b.String()), "f.yaml"); err == nil {
		t.Fatal("Decode took more than MaxDocuments documents")
	}
	got, docs, err := stream(t, b.String(), "f.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != n || docs[n-1] != n || got[n-1].Slug != fmt.Sprintf("b%d", n-1) {
		t.Fatalf("got %d briefings, the last from document %d", len(got), docs[len(docs)-1])
	}
}

// TestDecoder_LimitEndsTheFile: a document beyond a limit is one problem
// naming it and its line, after the problems of the documents before it,
// and nothing after it is read.
func TestDecoder_LimitEndsTheFile(t *testing.T) {
	big := minimal + "body: |\n" + strings.Repeat("  "+strings.Repeat("x", 98)+"\n", 15_000)
	tests := []struct {
		name, text string
		want       []string
	}{
		{"LargeDocument", minimal + "---\n" + big + "---\ncolour: red\n",
			[]string{"f.yaml:doc 2: line 15010: the document is 1,480 KiB; a briefing may take up to 1,024 KiB. Split it, or check that a \"---\" line is not missing"}},
		{"AfterAProblem", "title: x\n---\n" + minimal + "body: " + strings.Repeat("[", 100) + "\n",
			[]string{"f.yaml:doc 1: summary: required", "f.yaml:doc 2: line 7: nesting deeper than 64 levels"}},
		{"BadUTF8", minimal + "---\n" + minimal + "body: \xff\n",
			[]string{"f.yaml: line 10: line 10 is not valid UTF-8 (column 7); save the file as UTF-8"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := stream(t, tt.text, "f.yaml")
			var fe *fileformat.Error
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v, want problems", err)
			}
			var got []string
			for _, p := range fe.Problems {
				got = append(got, p.String())
			}
			for _, w := range tt.want {
				found := false
				for _, g := range got {
					found = found || strings.HasPrefix(g, w)
				}
				if !found {
					t.Errorf("problems %q lack %q", got, w)
				}
			}
			if last := got[len(got)-1]; !strings.HasPrefix(last, tt.want[len(tt.want)-1]) {
				t.Errorf("last problem %q, want the limit", last)
			}
		})
	}
}

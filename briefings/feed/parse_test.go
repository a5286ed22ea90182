package feed_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"briefbot/briefings"
	"briefbot/briefings/feed"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// describe renders a parsed feed for its golden file.
func describe(p *feed.Parsed) string {
	var b strings.Builder
	fmt.Fprintf(&b, "kind: %s\ntitle: %s\n", p.Kind, p.Title)
	for _, e := range p.Entries {
		pub := "-"
		if !e.Published.IsZero() {
			pub = e.Published.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(&b, "---\nkey: %s\nlink: %s\ntitle: %s\nauthor: %s\npublished: %s\ntext:\n%s\n", e.Key, e.Link, e.Title, e.Author, pub, e.Text)
	}
	return b.String()
}

func TestParse(t *testing.T) {
	for _, tt := range []struct {
		file, contentType, base string
	}{
		{file: "rss2_content_encoded.xml", contentType: "application/rss+xml; charset=utf-8", base: "https://courier.example/world/rss"},
		{file: "atom_xhtml.xml", contentType: "application/atom+xml", base: "https://ledger.example/atom.xml"},
		{file: "jsonfeed.json", contentType: "application/feed+json", base: "https://orbit.example/feed.json"},
		// the XML declaration names the charset; the header says nothing
		{file: "latin1.xml", contentType: "application/xml", base: "https://marche.example/rss"},
		{file: "broken_tolerable.xml", contentType: "text/xml", base: "http://gazette.example/rss"},
	} {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			p, err := feed.Parse(data, tt.contentType, tt.base)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			got := describe(p)
			golden := filepath.Join("testdata", "golden", strings.TrimSuffix(tt.file, filepath.Ext(tt.file))+".txt")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("parsed feed differs from %s:\n%s", golden, got)
			}
			for _, e := range p.Entries {
				if e.Hash == "" || e.Key == "" {
					t.Errorf("entry %q has no key or hash", e.Title)
				}
			}
		})
	}
}

// A feed sent as ISO-8859-1 with no XML declaration is read in the charset
// its Content-Type names.
func TestParse_CharsetFromHeader(t *testing.T) {
	body := []byte("<rss version=\"2.0\"><channel><title>Caf\xe9 Nachrichten</title><item><title>Gr\xfc\xdfe aus K\xf6ln</title><link>https://koeln.example/a</link></item></channel></rss>")
	p, err := feed.Parse(body, "text/xml; charset=ISO-8859-1", "https://koeln.example/rss")
	if err != nil {
		t.Fatal(err)
	}
	if p.Title != "Café Nachrichten" || len(p.Entries) != 1 || p.Entries[0].Title != "Grüße aus Köln" {
		t.Fatalf("got title %q, entries %+v", p.Title, p.Entries)
	}
}

func TestParse_Refused(t *testing.T) {
	for _, tt := range []struct{ file, want string }{
		{"refuse_entities.xml", "declares XML entities"},
		{"refuse_truncated.xml", "broken beyond reading"},
		{"refuse_not_a_feed.xml", "does not serve an RSS, Atom or JSON feed"},
		{"article_ferry.html", "does not serve an RSS, Atom or JSON feed"},
	} {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			_, err = feed.Parse(data, "application/xml", "https://x.example/feed")
			if err == nil {
				t.Fatal("parsed; want a refusal")
			}
			if briefings.ErrorCode(err) != briefings.EINVALID || !strings.Contains(briefings.ErrorMessage(err), tt.want) {
				t.Fatalf("err = %v; want EINVALID saying %q", err, tt.want)
			}
		})
	}
}

func TestNormaliseLink(t *testing.T) {
	for in, want := range map[string]string{
		"HTTPS://News.Example:443/a/b/?utm_source=rss&id=7&fbclid=x#top": "https://news.example/a/b?id=7",
		"http://news.example:80/":        "http://news.example/",
		"https://news.example/a?b=2&a=1": "https://news.example/a?a=1&b=2",
	} {
		if got := feed.NormaliseLink(in); got != want {
			t.Errorf("NormaliseLink(%q) = %q, want %q", in, got, want)
		}
	}
}

package article_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"briefbot/briefings"
	"briefbot/briefings/article"
)

// site is a loopback web server that records what it was asked.
type site struct {
	*httptest.Server
	mu     sync.Mutex
	agents []string
}

func newSite(t *testing.T, h http.Handler) *site {
	t.Helper()
	s := &site{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.agents = append(s.agents, r.UserAgent())
		s.mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *site) hits() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.agents)
}

func page(t *testing.T, name string) http.HandlerFunc {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(data)
	}
}

func loopback() *article.Fetcher {
	return article.New(article.Config{AllowLoopback: true, Timeout: 5 * time.Second})
}

func TestFetcher_Fetch(t *testing.T) {
	for _, tt := range []struct {
		name, page                    string
		title, author, siteName, date string
		wantText, notText             []string
	}{
		{name: "GraphAndTypeArray", page: "seed.html",
			title: "Putin thanks Kim for North Korea's war help ahead of Alaska summit", author: "Min-jun Park",
			siteName: "Korea Desk", date: "2025-08-12",
			wantText: []string{"On Tuesday, August 12, 2025, Putin initiated the call", "At least 10,000 North Korean troops",
				"presenting long-term challenges to international security architectures."}},
		{name: "ArrayOfBlocksPublisherObject", page: "wire.html",
			title: "Donors pledge $40 million as cholera spreads across three Sahel countries", author: "Claire Dumont",
			siteName: "Meridian Wire", date: "2026-03-04",
			wantText: []string{"GENEVA, March 4 (Meridian Wire) – Donors pledged $40 million", "Health ministers from the three countries will meet in Bamako on March 18"}},
		// no og:title or JSON-LD headline: the <title>, without the site's name after it
		{name: "TitleTagWithSiteName", page: "titleonly.html",
			title: "Port workers vote to strike from Monday", author: "Lena Ortiz",
			siteName: "Harbour Post", date: "2026-12-01",
			wantText: []string{"Dock workers at the port of Valmora voted on Tuesday", "Tomas Berg, said a strike would cost"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t, page(t, tt.page))
			a, err := loopback().Fetch(context.Background(), s.URL+"/world/article")
			if err != nil {
				t.Fatal(err)
			}
			if got, want := a.Title, tt.title; got != want {
				t.Errorf("Title=%q, want %q", got, want)
			}
			if got, want := a.Author, tt.author; got != want {
				t.Errorf("Author=%q, want %q", got, want)
			}
			if got, want := a.SiteName, tt.siteName; got != want {
				t.Errorf("SiteName=%q, want %q", got, want)
			}
			if got, want := a.Published.String(), tt.date; got != want {
				t.Errorf("Published=%s, want %s (the publisher's calendar day)", got, want)
			}
			if got, want := a.URL, s.URL+"/world/article"; got != want {
				t.Errorf("URL=%q, want %q", got, want)
			}
			for _, w := range tt.wantText {
				if !strings.Contains(a.Text, w) {
					t.Errorf("text lacks %q:\n%s", w, a.Text)
				}
			}
			// navigation, the cookie banner, related links, sharing,
			// comments and the footer are not the article
			for _, n := range []string{"Subscribe", "cookies", "Related stories", "Markets slide", "Share on X",
				"Nobody believes a word", "skeptic_42", "All rights reserved"} {
				if strings.Contains(a.Text, n) {
					t.Errorf("text holds %q from around the article:\n%s", n, a.Text)
				}
			}
			if strings.Contains(a.Text, "\n\n\n") || !strings.Contains(a.Text, ".\n\n") {
				t.Errorf("paragraphs are not separated by one blank line:\n%q", a.Text)
			}
			if got := s.agents[0]; !strings.HasPrefix(got, "briefbot/") {
				t.Errorf("User-Agent=%q, want one naming briefbot", got)
			}
		})
	}
}

// The text the extractor reads starts with headline and byline, and the
// page's date and site name go with it.
func TestWebArticle_ExtractInput(t *testing.T) {
	s := newSite(t, page(t, "wire.html"))
	a, err := loopback().Fetch(context.Background(), s.URL)
	if err != nil {
		t.Fatal(err)
	}
	in := a.ExtractInput()
	if !strings.HasPrefix(in.Text, "Donors pledge $40 million as cholera spreads across three Sahel countries\n\nBy Claire Dumont\n\nGENEVA, March 4") {
		t.Errorf("text starts %q", in.Text[:min(200, len(in.Text))])
	}
	if in.Published.String() != "2026-03-04" || in.DefaultAttribution != "Meridian Wire" {
		t.Errorf("Published=%s DefaultAttribution=%q", in.Published, in.DefaultAttribution)
	}
	d := briefings.DraftArticle(in)
	if d.Briefing.Title != a.Title || d.Briefing.Published.String() != "2026-03-04" || d.Briefing.Source.Name != "Meridian Wire" {
		t.Errorf("draft: title %q, published %s, source %q", d.Briefing.Title, d.Briefing.Published, d.Briefing.Source.Name)
	}
	if strings.Contains(d.Briefing.Body, "By Claire Dumont") || strings.HasPrefix(d.Briefing.Body, "Donors pledge $40 million as") {
		t.Errorf("the body keeps the headline or byline: %q", d.Briefing.Body[:min(200, len(d.Briefing.Body))])
	}
}

func TestFetcher_Refuses(t *testing.T) {
	big := strings.Repeat("<p>Filler paragraph of an endless page.</p>\n", 4000) // ~170 KB
	mux := http.NewServeMux()
	mux.HandleFunc("/pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Write([]byte("%PDF-1.7"))
	})
	mux.HandleFunc("/untyped", func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Content-Type"] = nil
		w.Write([]byte{0, 1, 2, 3})
	})
	mux.HandleFunc("/declared-big", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Length", "999999999")
		w.WriteHeader(http.StatusOK)
	})
	mux.HandleFunc("/streamed-big", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		for range 10 { // no Content-Length: chunked, counted while read
			w.Write([]byte(big))
			w.(http.Flusher).Flush()
		}
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	mux.HandleFunc("/missing", http.NotFound)
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	for _, target := range []string{"metadata", "private", "mapped", "cgnat", "ula", "file"} {
		to := map[string]string{
			"metadata": "http://169.254.169.254/latest/meta-data/",
			"private":  "http://10.0.0.7/admin",
			"mapped":   "http://[::ffff:192.168.1.1]/",
			"cgnat":    "http://100.64.0.1/",
			"ula":      "http://[fd00::1]/",
			"file":     "file:///etc/passwd",
		}[target]
		mux.HandleFunc("/to-"+target, func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, to, http.StatusFound) })
	}
	s := newSite(t, mux)
	f := article.New(article.Config{AllowLoopback: true, Timeout: 400 * time.Millisecond, MaxBytes: 1 << 20})
	for _, tt := range []struct{ name, url, want string }{
		{"NotHTML", s.URL + "/pdf", "is not a web page (it is application/pdf)"},
		{"NoType", s.URL + "/untyped", "is not a web page"},
		{"DeclaredTooLarge", s.URL + "/declared-big", "larger than 1 MiB"},
		{"StreamedTooLarge", s.URL + "/streamed-big", "larger than 1 MiB"},
		{"Timeout", s.URL + "/slow", "took longer than 400ms"},
		{"NotFound", s.URL + "/missing", `answered "404 Not Found"`},
		{"RedirectLoop", s.URL + "/loop", "redirects more than 5 times"},
		{"RedirectToMetadata", s.URL + "/to-metadata", "leads to 169.254.169.254, a private or local network address"},
		{"RedirectToPrivate", s.URL + "/to-private", "leads to 10.0.0.7"},
		{"RedirectToMappedPrivate", s.URL + "/to-mapped", "a private or local network address"},
		{"RedirectToCGNAT", s.URL + "/to-cgnat", "leads to 100.64.0.1"},
		{"RedirectToULA", s.URL + "/to-ula", "leads to fd00::1"},
		{"RedirectToFile", s.URL + "/to-file", "I only fetch http and https links"},
		{"FileScheme", "file:///etc/passwd", "I only fetch http and https links"},
		{"FTP", "ftp://example.com/a", "I only fetch http and https links"},
		{"Credentials", "https://user:pw@example.com/", "user name or password"},
		{"NoHost", "https:///path", "has no site in it"},
		{"PrivateLiteral", "http://192.168.0.1/", "leads to 192.168.0.1"},
		{"Unspecified", "http://0.0.0.0:" + s.URL[strings.LastIndex(s.URL, ":")+1:] + "/", "leads to 0.0.0.0"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			_, err := f.Fetch(context.Background(), tt.url)
			if err == nil {
				t.Fatal("fetched")
			}
			if briefings.ErrorCode(err) != briefings.EINVALID || !strings.Contains(briefings.ErrorMessage(err), tt.want) {
				t.Errorf("err=%v (code %s), want EINVALID with %q", err, briefings.ErrorCode(err), tt.want)
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

// Without BRIEFBOT_FETCH_ALLOW_LOOPBACK the fetcher never reaches a
// loopback server, directly or through a redirect from a public one.
func TestFetcher_RefusesLoopback(t *testing.T) {
	private := newSite(t, page(t, "seed.html"))
	public := newSite(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, private.URL+"/secret", http.StatusMovedPermanently)
	}))
	f := article.New(article.Config{})
	for _, u := range []string{private.URL, strings.Replace(private.URL, "127.0.0.1", "localhost", 1), public.URL} {
		if _, err := f.Fetch(context.Background(), u); !strings.Contains(briefings.ErrorMessage(err), "a private or local network address") {
			t.Errorf("%s: err=%v", u, err)
		}
	}
	if public.hits() != 0 || private.hits() != 0 {
		t.Fatalf("loopback servers were reached: public %d, private %d", public.hits(), private.hits())
	}
	f.TreatAsPublic(strings.TrimPrefix(public.URL, "http://"))
	_, err := f.Fetch(context.Background(), public.URL+"/news")
	if msg := briefings.ErrorMessage(err); !strings.Contains(msg, "leads to 127.0.0.1, a private or local network address") {
		t.Errorf("redirect to loopback: %v", err)
	}
	if public.hits() != 1 || private.hits() != 0 {
		t.Errorf("public %d hits (want 1), private %d (want 0)", public.hits(), private.hits())
	}
}

// A plain-text page is read as it is; a page in Latin-1 is decoded.
func TestFetcher_PlainTextAndCharset(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/txt", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("Headline here\n\nParis, 3 May 2026 – Something happened today, officials said.\n"))
	})
	mux.HandleFunc("/latin1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=iso-8859-1")
		body := "<html><head><title>Caf\xe9 owners protest</title></head><body><article><p>" +
			strings.Repeat("The caf\xe9 owners of Lyon marched on Monday against the new terrace tax, their union said. ", 8) +
			"</p></article></body></html>"
		w.Write([]byte(body))
	})
	s := newSite(t, mux)
	a, err := loopback().Fetch(context.Background(), s.URL+"/txt")
	if err != nil || !strings.HasPrefix(a.Text, "Headline here\n\nParis, 3 May 2026") {
		t.Errorf("plain text: %+v, %v", a, err)
	}
	a, err = loopback().Fetch(context.Background(), s.URL+"/latin1")
	if err != nil || a.Title != "Café owners protest" || !strings.Contains(a.Text, "The café owners of Lyon") {
		t.Errorf("latin-1: %+v, %v", a, err)
	}
}

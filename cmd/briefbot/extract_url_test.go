package main

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
)

// articlePage is a news page with navigation, a cookie banner, comments
// and JSON-LD, as a site serves it.
const articlePage = `<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Arctic traffic | Polar Ledger</title>
<meta property="og:title" content="92 ships crossed the Northern Sea Route last year">
<meta property="og:site_name" content="Polar Ledger">
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"NewsArticle","headline":"92 ships crossed the Northern Sea Route last year","datePublished":"2025-03-03T08:00:00+01:00","author":[{"@type":"Person","name":"Ingrid Solberg"}],"publisher":{"@type":"Organization","name":"Polar Ledger"}}]}</script>
</head><body>
<nav><a href="/">Home</a> <a href="/arctic">Arctic</a> <a href="/subscribe">Subscribe now</a></nav>
<div class="cookie-banner">We use cookies. Accept all cookies to keep reading.</div>
<article><h1>92 ships crossed the Northern Sea Route last year</h1>
<p>The Northern Sea Route Authority said on Monday that 92 ships crossed the route last year, up from 47 the year before, as ice retreated earlier than usual in the Kara Sea.</p>
<p>Traffic will be reviewed at a meeting in Murmansk on Friday, the authority said. Insurers have raised premiums for the passage, according to Lloyd's List, which tracks the shipping industry.</p>
<p>The route cuts the voyage from Rotterdam to Shanghai by about ten days compared with the Suez Canal, shipping analysts say.</p>
</article>
<section class="comments"><p>First comment: this is all fake news.</p></section>
</body></html>`

func TestImportExtract_URL(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(articlePage))
	}))
	defer srv.Close()
	dbPath := filepath.Join(t.TempDir(), "lib.db")

	t.Run("Fetched", func(t *testing.T) {
		env := map[string]string{"BRIEFBOT_DB": dbPath, "BRIEFBOT_FETCH_ALLOW_LOOPBACK": "1"}
		stdout, stderr, err := run(t, env, "", "import", "--extract", srv.URL+"/arctic/route", "--topic", "Arctic shipping")
		if err != nil {
			t.Fatalf("%v\n%s", err, stderr)
		}
		for _, want := range []string{`title: "92 ships crossed the Northern Sea Route last year"`, "published: 2025-03-03",
			"name: Polar Ledger", "url: " + srv.URL + "/arctic/route", "Arctic shipping", "up from 47 the year before",
			"2025-03-07", "Lloyd's List"} {
			if !strings.Contains(stdout, want) {
				t.Errorf("the draft lacks %q:\n%s", want, stdout)
			}
		}
		for _, absent := range []string{"Subscribe now", "cookies", "fake news", "By Ingrid Solberg"} {
			if strings.Contains(stdout, absent) {
				t.Errorf("the draft holds %q from around the article:\n%s", absent, stdout)
			}
		}
	})
	t.Run("LoopbackRefusedByDefault", func(t *testing.T) {
		_, _, err := run(t, map[string]string{"BRIEFBOT_DB": dbPath}, "", "import", "--extract", srv.URL+"/arctic/route", "--topic", "Arctic shipping")
		if err == nil || !strings.Contains(err.Error(), "a private or local network address") {
			t.Fatalf("err=%v", err)
		}
	})
	t.Run("BadSetting", func(t *testing.T) {
		_, _, err := run(t, map[string]string{"BRIEFBOT_DB": dbPath, "BRIEFBOT_FETCH_ALLOW_LOOPBACK": "maybe"}, "", "import", "--extract", srv.URL, "--topic", "x")
		if err == nil || !strings.Contains(err.Error(), "BRIEFBOT_FETCH_ALLOW_LOOPBACK") {
			t.Fatalf("err=%v", err)
		}
	})
}

package article

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
	"time"

	"briefbot/briefings"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
)

// Parse reads an article from an HTML page: the readable text, found by
// go-readability (a port of Firefox's Reader View), and the title, author,
// site name and publication date from the page's meta tags and JSON-LD,
// with go-readability's own reading of them as the fallback. pageURL
// resolves relative links; it may be nil.
func Parse(r io.Reader, pageURL *url.URL) (*briefings.WebArticle, error) {
	doc, err := html.Parse(r)
	if err != nil {
		return nil, fmt.Errorf("parse html: %w", err)
	}
	m := readMeta(doc)
	pruneChrome(doc)
	p := readability.NewParser()
	p.Logger = slog.New(slog.DiscardHandler)
	if pageURL == nil {
		pageURL = &url.URL{Scheme: "https", Host: "example.invalid"}
	}
	ra, err := p.ParseAndMutate(doc, pageURL)
	if err != nil {
		return nil, fmt.Errorf("readable text: %w", err)
	}
	a := &briefings.WebArticle{Title: first(m.title, ra.Title()), Author: first(m.author, ra.Byline()),
		SiteName: first(m.siteName, ra.SiteName()), Published: m.published}
	if a.Published.IsZero() {
		if t, err := ra.PublishedTime(); err == nil {
			a.Published = briefings.DayOf(t.Year(), t.Month(), t.Day())
		}
	}
	if ra.Node != nil {
		var b strings.Builder
		if err := ra.RenderText(&b); err != nil {
			return nil, fmt.Errorf("render text: %w", err)
		}
		a.Text = tidyText(b.String())
	}
	for _, s := range []*string{&a.Title, &a.Author, &a.SiteName} {
		*s = strings.Join(strings.Fields(*s), " ")
	}
	a.Title = headline(a.Title, a.SiteName, pageURL)
	return a, nil
}

// chromeName matches the id or class of a page's furniture: consent
// banners, comments, related links, sharing and sign-up boxes.
var chromeName = regexp.MustCompile(`(?i)(?:^|[-_\s])(?:cookies?|consent|gdpr|newsletter|comments?|related|share|sharing|social|subscribe|subscription|promo|advert|adverts|ads|banner|breadcrumbs?|paywall|popup|modal)(?:[-_\s]|$)`)

// chromeRole are ARIA roles that are never the article.
var chromeRole = map[string]bool{"navigation": true, "banner": true, "contentinfo": true, "complementary": true,
	"dialog": true, "alertdialog": true, "search": true}

// pruneChrome removes what is never the article before go-readability
// scores the page: navigation, asides, footers, forms, dialogs and
// elements named for banners, comments, related links or sharing. On a
// short article go-readability relaxes its own filters and would keep a
// cookie banner as the first paragraph.
func pruneChrome(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode && isChrome(c) {
			n.RemoveChild(c)
		} else {
			pruneChrome(c)
		}
		c = next
	}
}

func isChrome(n *html.Node) bool {
	switch n.Data {
	case "nav", "aside", "footer", "form", "dialog", "noscript", "iframe":
		return true
	case "html", "head", "body", "main", "article":
		return false
	}
	return chromeRole[strings.ToLower(attr(n, "role"))] || chromeName.MatchString(attr(n, "id")) || chromeName.MatchString(attr(n, "class"))
}

// blankLines matches runs of blank lines.
var blankLines = regexp.MustCompile(`\n[ \t\p{Zs}]*(\n[ \t\p{Zs}]*)+`)

// tidyText trims each line and separates paragraphs with one blank line.
func tidyText(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return strings.TrimSpace(blankLines.ReplaceAllString(strings.Join(lines, "\n"), "\n\n"))
}

func first(vs ...string) string {
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// meta is what a page's metadata says about its article.
type meta struct {
	title, author, siteName string
	published               briefings.Date
}

// readMeta reads the article's metadata: JSON-LD first (the publisher's
// structured data), then Open Graph, Twitter and article: meta tags, then
// <title>.
func readMeta(doc *html.Node) meta {
	tags := map[string]string{}
	var title string
	var ld []any
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "meta":
				key := strings.ToLower(first(attr(n, "property"), attr(n, "name"), attr(n, "itemprop")))
				if v := strings.TrimSpace(attr(n, "content")); key != "" && v != "" {
					if _, seen := tags[key]; !seen {
						tags[key] = v
					}
				}
			case "title":
				if title == "" && n.FirstChild != nil {
					title = n.FirstChild.Data
				}
			case "script":
				if strings.EqualFold(strings.TrimSpace(attr(n, "type")), "application/ld+json") && n.FirstChild != nil {
					var v any
					if json.Unmarshal([]byte(n.FirstChild.Data), &v) == nil {
						ld = append(ld, v)
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	j := readJSONLD(ld)
	m := meta{
		title:    first(tags["og:title"], tags["twitter:title"], j.headline, title),
		author:   first(j.author, tags["author"], notURL(tags["article:author"]), tags["parsely-author"]),
		siteName: first(tags["og:site_name"], j.publisher, tags["application-name"]),
	}
	for _, d := range []string{j.datePublished, tags["article:published_time"], tags["datepublished"],
		tags["publish-date"], tags["parsely-pub-date"], tags["dc.date.issued"], tags["date"]} {
		if t, ok := parseTime(d); ok {
			m.published = briefings.DayOf(t.Year(), t.Month(), t.Day())
			break
		}
	}
	return m
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

func notURL(s string) string {
	if strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") {
		return ""
	}
	return s
}

// timeLayouts are the forms datePublished and article:published_time take
// in the wild; the date is read in the page's own offset, so an article
// published late in the evening keeps its publisher's calendar day.
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04Z07:00", "2006-01-02T15:04:05",
	"2006-01-02T15:04", "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05", "2006-01-02", time.RFC1123Z, time.RFC1123}

func parseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil && t.Year() >= 1900 {
			return t, true
		}
	}
	return time.Time{}, false
}

// jsonLD is what the article's JSON-LD object says.
type jsonLD struct {
	headline, author, publisher, datePublished string
}

// articleType matches schema.org's article types: Article, NewsArticle,
// ReportageNewsArticle, BlogPosting, OpinionNewsArticle and the like.
var articleType = regexp.MustCompile(`^(?:https?://schema\.org/)?(?:\w*Article|BlogPosting|LiveBlogPosting|SocialMediaPosting|Report)$`)

// readJSONLD finds the first article object in the page's JSON-LD blocks,
// looking through arrays and @graph lists, and reads it; a publisher or
// author given as a reference ({"@id": …}) is looked up among the nodes.
func readJSONLD(blocks []any) jsonLD {
	byID := map[string]map[string]any{}
	var articles []map[string]any
	var visit func(v any)
	visit = func(v any) {
		switch v := v.(type) {
		case []any:
			for _, x := range v {
				visit(x)
			}
		case map[string]any:
			if id, ok := v["@id"].(string); ok && len(v) > 1 {
				byID[id] = v
			}
			if hasType(v["@type"]) {
				articles = append(articles, v)
			}
			if g, ok := v["@graph"]; ok {
				visit(g)
			}
		}
	}
	for _, b := range blocks {
		visit(b)
	}
	if len(articles) == 0 {
		return jsonLD{}
	}
	a := articles[0]
	deref := func(v any) any {
		if m, ok := v.(map[string]any); ok {
			if id, ok := m["@id"].(string); ok && len(m) == 1 && byID[id] != nil {
				return byID[id]
			}
		}
		return v
	}
	return jsonLD{
		headline:      first(str(a["headline"]), str(a["name"])),
		author:        strings.Join(names(a["author"], deref), ", "),
		publisher:     first(names(a["publisher"], deref)...),
		datePublished: first(str(a["datePublished"]), str(a["dateCreated"])),
	}
}

func hasType(t any) bool {
	switch t := t.(type) {
	case string:
		return articleType.MatchString(t)
	case []any:
		for _, x := range t {
			if s, ok := x.(string); ok && articleType.MatchString(s) {
				return true
			}
		}
	}
	return false
}

// str is a JSON-LD value as a string: a string, or the first of an array.
func str(v any) string {
	switch v := v.(type) {
	case string:
		return strings.TrimSpace(v)
	case []any:
		for _, x := range v {
			if s := str(x); s != "" {
				return s
			}
		}
	}
	return ""
}

// names reads a person or organization value: a name, an object with a
// name, or an array of them.
func names(v any, deref func(any) any) []string {
	switch v := deref(v).(type) {
	case string:
		if s := notURL(strings.TrimSpace(v)); s != "" {
			return []string{s}
		}
	case map[string]any:
		if s := str(v["name"]); s != "" {
			return []string{s}
		}
	case []any:
		var out []string
		for _, x := range v {
			out = append(out, names(x, deref)...)
		}
		return out
	}
	return nil
}

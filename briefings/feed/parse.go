// Package feed reads news feeds (RSS 0.9x, 1.0 and 2.0, Atom and JSON Feed)
// and polls the feeds guilds follow: each new item is fetched, drafted
// under the feed's topic and offered for review. Parsing is
// github.com/mmcdole/gofeed's; fetching goes through briefings/article,
// which never reaches a private or loopback address.
package feed

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"

	"briefbot/briefings"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
)

// Entry is one item of a feed as the poller reads it.
type Entry struct {
	// Key identifies the item across polls: its GUID, else its normalised
	// link, else the hash of its title.
	Key string
	// Link is the article's address, resolved against the feed's.
	Link string
	// Title is the item's headline, as plain text.
	Title string
	// Text is the item's content as plain text (content:encoded, Atom
	// content, JSON Feed content), else its summary; paragraphs are
	// separated by blank lines.
	Text string
	// Author names the item's author(s), when the feed does.
	Author string
	// Published is when the feed says the item was published (or last
	// updated); zero when it does not say.
	Published time.Time
	// Hash is the hash of the title and text: a re-published copy has the
	// same, an updated item another.
	Hash string
}

// Parsed is a feed read from its body.
type Parsed struct {
	// Title is the feed's own title.
	Title string
	// Kind is "rss", "atom" or "json".
	Kind string
	// Entries are the feed's items, newest first (those without a date
	// after the dated ones, in the feed's order).
	Entries []Entry
}

// entityDecl finds an XML entity declaration, which no feed needs: entity
// tricks (billion laughs, external entities) are refused outright.
var entityDecl = regexp.MustCompile(`(?i)<!ENTITY`)

// xmlEncoding finds the encoding an XML declaration names.
var xmlEncoding = regexp.MustCompile(`^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']`)

// Parse reads a feed from its body. contentType is the answer's
// Content-Type, whose charset applies when the XML declaration names none;
// base resolves relative links. What is wrong with the feed is an EINVALID
// error that says what.
func Parse(body []byte, contentType, base string) (*Parsed, error) {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return nil, briefings.Errorf(briefings.EINVALID, "the feed is empty")
	}
	if trimmed[0] == '<' {
		// a DTD comes before the root element, near the start
		if entityDecl.Match(trimmed[:min(len(trimmed), 8192)]) {
			return nil, briefings.Errorf(briefings.EINVALID, "the feed declares XML entities, which I refuse to read")
		}
		if xmlEncoding.Find(trimmed) == nil {
			if _, params, err := mime.ParseMediaType(contentType); err == nil && params["charset"] != "" &&
				!strings.EqualFold(params["charset"], "utf-8") && !strings.EqualFold(params["charset"], "utf8") {
				r, err := charset.NewReader(bytes.NewReader(trimmed), contentType)
				if err != nil {
					return nil, briefings.Errorf(briefings.EINVALID, "the feed is in the character set %q, which I can't read", params["charset"])
				}
				if trimmed, err = io.ReadAll(r); err != nil {
					return nil, briefings.Errorf(briefings.EINVALID, "the feed is not valid %s text", params["charset"])
				}
			}
		}
	}
	p := gofeed.NewParser()
	gf, err := p.Parse(bytes.NewReader(trimmed))
	switch {
	case errors.Is(err, gofeed.ErrFeedTypeNotDetected):
		return nil, briefings.Errorf(briefings.EINVALID, "the address does not serve an RSS, Atom or JSON feed")
	case err != nil:
		return nil, briefings.Errorf(briefings.EINVALID, "the feed is broken beyond reading: %s", briefings.Truncate(err.Error(), 160))
	}
	baseURL, _ := url.Parse(base)
	out := &Parsed{Title: plain(gf.Title), Kind: gf.FeedType}
	for _, it := range gf.Items {
		if it == nil {
			continue
		}
		e := Entry{Title: plain(it.Title), Link: resolve(baseURL, it.Link)}
		if e.Link == "" {
			for _, l := range it.Links {
				if e.Link = resolve(baseURL, l); e.Link != "" {
					break
				}
			}
		}
		e.Text = htmlText(it.Content)
		if e.Text == "" {
			e.Text = htmlText(it.Description)
		}
		var authors []string
		for _, a := range it.Authors {
			if a != nil && strings.TrimSpace(a.Name) != "" {
				authors = append(authors, strings.TrimSpace(a.Name))
			}
		}
		e.Author = strings.Join(authors, ", ")
		if it.PublishedParsed != nil {
			e.Published = *it.PublishedParsed
		} else if it.UpdatedParsed != nil {
			e.Published = *it.UpdatedParsed
		}
		e.Hash = contentHash(e.Title, e.Text)
		switch {
		case strings.TrimSpace(it.GUID) != "":
			e.Key = "guid:" + briefings.Truncate(strings.TrimSpace(it.GUID), 500)
		case e.Link != "":
			e.Key = "link:" + briefings.Truncate(NormaliseLink(e.Link), 500)
		case e.Title != "":
			e.Key = "title:" + contentHash(e.Title, "")
		default:
			continue // nothing to tell it by, and nothing to draft
		}
		out.Entries = append(out.Entries, e)
	}
	sort.SliceStable(out.Entries, func(i, j int) bool {
		a, b := out.Entries[i].Published, out.Entries[j].Published
		if a.IsZero() || b.IsZero() {
			return !a.IsZero() && b.IsZero()
		}
		return a.After(b)
	})
	return out, nil
}

// resolve makes link absolute against base; "" for what is not an http or
// https address.
func resolve(base *url.URL, link string) string {
	link = strings.TrimSpace(link)
	if link == "" {
		return ""
	}
	u, err := url.Parse(link)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return ""
	}
	return u.String()
}

// trackingParams are query parameters that say where a reader came from,
// not what they read.
var trackingParams = regexp.MustCompile(`^(?i)(utm_[a-z_]+|fbclid|gclid|mc_cid|mc_eid|ocid|cmpid|ref|ref_src)$`)

// NormaliseLink returns the form of an article's address that the same
// article keeps across polls: lower-case scheme and host, no default port,
// no fragment, no tracking parameters, the rest of the query sorted, no
// trailing slash.
func NormaliseLink(link string) string {
	u, err := url.Parse(strings.TrimSpace(link))
	if err != nil {
		return strings.TrimSpace(link)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	if h, p := u.Hostname(), u.Port(); (u.Scheme == "http" && p == "80") || (u.Scheme == "https" && p == "443") {
		u.Host = h
	}
	u.Fragment, u.RawFragment = "", ""
	q := u.Query()
	for k := range q {
		if trackingParams.MatchString(k) {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode() // sorted by key
	if len(u.Path) > 1 {
		u.Path = strings.TrimRight(u.Path, "/")
		u.RawPath = ""
	}
	return u.String()
}

// contentHash is the hash of an item's title and text, with white space
// folded so that re-wrapping changes nothing.
func contentHash(title, text string) string {
	h := sha256.Sum256([]byte(strings.Join(strings.Fields(title), " ") + "\x00" + strings.Join(strings.Fields(text), " ")))
	return hex.EncodeToString(h[:16])
}

// plain is a feed's one-line text: markup removed, white space folded.
func plain(s string) string {
	return strings.Join(strings.Fields(htmlText(s)), " ")
}

// blockTags end a paragraph in an item's HTML.
var blockTags = map[string]bool{"p": true, "div": true, "br": true, "li": true, "h1": true, "h2": true, "h3": true,
	"h4": true, "h5": true, "h6": true, "td": true, "th": true, "dt": true, "dd": true, "blockquote": true, "tr": true, "section": true, "article": true, "figcaption": true, "hr": true}

// skipTags hold no readable text.
var skipTags = map[string]bool{"script": true, "style": true, "noscript": true, "iframe": true, "svg": true, "template": true}

// htmlText turns an item's HTML (or plain text) into plain text:
// paragraphs separated by blank lines, entities decoded, scripts dropped.
func htmlText(s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	z := html.NewTokenizer(strings.NewReader(s))
	var paras []string
	var cur strings.Builder
	skip := 0
	flush := func() {
		if t := strings.Join(strings.Fields(cur.String()), " "); t != "" {
			paras = append(paras, t)
		}
		cur.Reset()
	}
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			flush()
			return strings.Join(paras, "\n\n")
		case html.TextToken:
			if skip == 0 {
				cur.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			if skipTags[string(name)] && tt == html.StartTagToken {
				skip++
			} else if blockTags[string(name)] {
				flush()
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if skipTags[string(name)] && skip > 0 {
				skip--
			} else if blockTags[string(name)] {
				flush()
			}
		}
	}
}

// String describes the parsed feed for logs.
func (p *Parsed) String() string {
	return fmt.Sprintf("%s feed %q with %d items", p.Kind, p.Title, len(p.Entries))
}

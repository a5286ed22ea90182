// Package article fetches news articles from the web for drafting: the
// readable text of a page, with its title, author, site name and
// publication date. It is the adapter behind commands.Articles and
// `briefbot import --extract URL`, and it refuses to reach anything but
// the public internet.
package article

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"briefbot/briefings"

	"golang.org/x/net/html/charset"
)

// Defaults of a Fetcher's limits.
const (
	// DefaultTimeout bounds one fetch, redirects and reading included. It
	// stays well inside the 15 minutes an interaction token lasts.
	DefaultTimeout = 15 * time.Second
	// DefaultMaxBytes bounds the page read: news pages with their markup
	// rarely pass 2 MiB.
	DefaultMaxBytes = 5 << 20
	// DefaultMaxRedirects bounds the redirects followed.
	DefaultMaxRedirects = 5
	// UserAgent names the bot to the sites it reads.
	UserAgent = "briefbot/1 (news briefing bot; fetches one article a moderator asked for)"
)

// Config sets a Fetcher's limits.
type Config struct {
	// Timeout bounds one fetch; 0 means DefaultTimeout.
	Timeout time.Duration
	// MaxBytes bounds the page read; 0 means DefaultMaxBytes.
	MaxBytes int64
	// MaxRedirects bounds the redirects followed; 0 means
	// DefaultMaxRedirects.
	MaxRedirects int
	// AllowLoopback lets the fetcher reach 127.0.0.0/8 and ::1, for tests
	// against a local server only (BRIEFBOT_FETCH_ALLOW_LOOPBACK=1). Private
	// and link-local addresses stay refused.
	AllowLoopback bool
}

// Fetcher reads articles from public web pages: http and https only, never
// a private, loopback or link-local address (checked on the address each
// connection is made to, so redirects and DNS cannot lead around it),
// within a timeout and a size limit, HTML and plain text only.
type Fetcher struct {
	cfg    Config
	client *http.Client
	// publicForTest is one loopback address tests treat as public.
	publicForTest string
}

// New returns a Fetcher with cfg's limits.
func New(cfg Config) *Fetcher {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = DefaultMaxBytes
	}
	if cfg.MaxRedirects <= 0 {
		cfg.MaxRedirects = DefaultMaxRedirects
	}
	f := &Fetcher{cfg: cfg}
	dialer := &net.Dialer{Timeout: cfg.Timeout, Control: control(cfg.AllowLoopback, &f.publicForTest)}
	transport := &http.Transport{
		// no proxy: the address checked must be the one connected to
		Proxy:                 nil,
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   cfg.Timeout,
		ResponseHeaderTimeout: cfg.Timeout,
		MaxIdleConns:          4,
		IdleConnTimeout:       30 * time.Second,
		ForceAttemptHTTP2:     true,
	}
	f.client = &http.Client{Transport: transport, Timeout: cfg.Timeout, CheckRedirect: f.checkRedirect}
	return f
}

// errTooManyRedirects stops a redirect chain longer than the limit.
var errTooManyRedirects = errors.New("too many redirects")

func (f *Fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > f.cfg.MaxRedirects {
		return errTooManyRedirects
	}
	if err := checkURL(req.URL); err != nil {
		return &redirectRefused{to: req.URL, err: err}
	}
	// the redirected request names the bot as the first one did
	req.Header.Set("User-Agent", via[0].Header.Get("User-Agent"))
	return nil
}

// redirectRefused is a redirect to an address checkURL refuses. It
// unwraps to checkURL's error, worded for an article's link; a feed's
// fetch words it for the feed's address instead.
type redirectRefused struct {
	to  *url.URL
	err error
}

func (e *redirectRefused) Error() string {
	return "redirect to " + e.to.Redacted() + ": " + e.err.Error()
}
func (e *redirectRefused) Unwrap() error { return e.err }

// checkURL refuses what is not a plain http or https address.
func checkURL(u *url.URL) error {
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return briefings.Errorf(briefings.EINVALID, "I only fetch http and https links, and %s is not one. Give the article's web address, such as https://example.com/news/article.", shown(u.String()))
	case u.User != nil:
		return briefings.Errorf(briefings.EINVALID, "I don't fetch links that carry a user name or password. Give the article's public address.")
	case u.Hostname() == "":
		return briefings.Errorf(briefings.EINVALID, "%s has no site in it. Give the article's full address, such as https://example.com/news/article.", shown(u.String()))
	}
	return nil
}

// Fetch reads the article at rawURL. Whatever the moderator can fix (a
// bad or private address, a page that is not HTML, too large, too slow,
// missing) is an EINVALID error that says what to do; the rest is wrapped
// with the address.
func (f *Fetcher) Fetch(ctx context.Context, rawURL string) (*briefings.WebArticle, error) {
	rawURL = strings.TrimSpace(rawURL)
	if rawURL == "" {
		return nil, briefings.Errorf(briefings.EINVALID, "Give the article's web address, such as https://example.com/news/article.")
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, briefings.Errorf(briefings.EINVALID, "%s is not a web address. Give the article's address, such as https://example.com/news/article.", shown(rawURL))
	}
	if err := checkURL(u); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, f.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, briefings.Errorf(briefings.EINVALID, "%s is not a web address I can fetch. Check the link.", shown(rawURL))
	}
	req.Header.Set("User-Agent", UserAgent)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,text/plain;q=0.8")
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, f.fetchError(ctx, rawURL, err)
	}
	defer resp.Body.Close()
	final := resp.Request.URL.String()
	if resp.StatusCode != http.StatusOK {
		return nil, briefings.Errorf(briefings.EINVALID, "%s answered %q. Check the link, or paste the article's text instead.", shown(final), resp.Status)
	}
	mediaType, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if err != nil {
		mediaType = ""
	}
	if mediaType != "text/html" && mediaType != "application/xhtml+xml" && mediaType != "text/plain" {
		what := mediaType
		if what == "" {
			what = "of no stated type"
		}
		return nil, briefings.Errorf(briefings.EINVALID, "%s is not a web page (it is %s). Give the address of the article's page, or paste its text instead.", shown(final), what)
	}
	if resp.ContentLength > f.cfg.MaxBytes {
		return nil, f.tooLarge(final)
	}
	body, err := charset.NewReader(resp.Body, resp.Header.Get("Content-Type"))
	if err != nil {
		return nil, briefings.Errorf(briefings.EINVALID, "%s is in a character set I can't read. Paste the article's text instead.", shown(final))
	}
	// the limit is checked while reading: a missing or false
	// Content-Length does not get past it
	data, err := io.ReadAll(io.LimitReader(body, f.cfg.MaxBytes+1))
	if err != nil {
		return nil, f.fetchError(ctx, final, err)
	}
	if int64(len(data)) > f.cfg.MaxBytes {
		return nil, f.tooLarge(final)
	}
	var a *briefings.WebArticle
	if mediaType == "text/plain" {
		a = &briefings.WebArticle{Text: strings.TrimSpace(string(data))}
	} else {
		a, err = Parse(strings.NewReader(string(data)), resp.Request.URL)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", final, err)
		}
	}
	a.URL = final
	if strings.TrimSpace(a.Text) == "" {
		return nil, briefings.Errorf(briefings.EINVALID, "I found no article text at %s. Paste the article's text instead.", shown(final))
	}
	return a, nil
}

func (f *Fetcher) tooLarge(where string) error {
	return briefings.Errorf(briefings.EINVALID, "The page at %s is larger than %d MiB, the most I read. Paste the article's text instead.",
		shown(where), max(1, f.cfg.MaxBytes>>20))
}

// advice is what a refusal tells the reader to do, for each kind of
// failure; the article's and the feed's differ.
type advice struct {
	private, redirects, timeout, dns, other string
}

// articleAdvice speaks to a moderator who gave an article's link.
var articleAdvice = advice{
	private:   " Give the article's public address.",
	redirects: " Open it in a browser and give me the address it ends at.",
	timeout:   " Try again later, or paste the article's text instead.",
	dns:       " Check the link.",
	other:     " Check the link, or paste the article's text instead.",
}

// fetchError turns a failed request into what the moderator can act on.
func (f *Fetcher) fetchError(ctx context.Context, where string, err error) error {
	return f.requestError(ctx, where, err, articleAdvice)
}

// requestError says why a request for where failed, followed by the
// advice for that kind of failure.
func (f *Fetcher) requestError(ctx context.Context, where string, err error, do advice) error {
	var refused *refusedAddress
	var dnsErr *net.DNSError
	var be *briefings.Error
	switch {
	case errors.As(err, &be):
		return be
	case errors.As(err, &refused):
		return briefings.Errorf(briefings.EINVALID, "%s leads to %s, a private or local network address, which I never fetch.%s", shown(where), refused.ip, do.private)
	case errors.Is(err, errTooManyRedirects):
		return briefings.Errorf(briefings.EINVALID, "%s redirects more than %d times.%s", shown(where), f.cfg.MaxRedirects, do.redirects)
	case errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil || isTimeout(err):
		return briefings.Errorf(briefings.EINVALID, "%s took longer than %s to answer.%s", shown(where), f.cfg.Timeout, do.timeout)
	case errors.As(err, &dnsErr):
		return briefings.Errorf(briefings.EINVALID, "I could not find the site of %s.%s", shown(where), do.dns)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return briefings.Errorf(briefings.EINVALID, "I could not fetch %s: %s.%s", shown(where), briefings.Truncate(err.Error(), 200), do.other)
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// shown is an address as a message quotes it: short, and never a link
// Discord would unfurl.
func shown(s string) string {
	return "<" + briefings.Truncate(s, 200) + ">"
}

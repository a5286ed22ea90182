package article

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"briefbot/briefings"
	"briefbot/internal/retry"
)

// FeedUserAgent names the bot to the sites whose feeds it polls.
const FeedUserAgent = "briefbot/1 (news briefing bot; polls a news feed a server's moderators follow)"

// FeedRequest asks for a feed, with the validators of the last answer so
// that an unchanged feed answers 304 Not Modified.
type FeedRequest struct {
	// URL is the feed's address.
	URL string
	// ETag and LastModified are the last answer's validators; empty for
	// none.
	ETag, LastModified string
}

// FeedResponse is a feed's answer: 200 with the body, or 304.
type FeedResponse struct {
	// URL is the feed's address after redirects.
	URL string
	// NotModified is true for a 304 answer, which has no body.
	NotModified bool
	// Body is the feed as sent, at most the fetcher's size limit.
	Body []byte
	// ContentType is the Content-Type header, which may name the charset.
	ContentType string
	// ETag and LastModified are the answer's validators.
	ETag, LastModified string
}

// RetryLater is the error of a feed that asked to be polled later: 429 Too
// Many Requests or 503 Service Unavailable, with Retry-After.
type RetryLater struct {
	// Status is the answer's status line.
	Status string
	// After is how long the site asked to wait; 0 when it did not say.
	After time.Duration
}

func (e *RetryLater) Error() string {
	if e.After > 0 {
		return "the site answered " + strconv.Quote(e.Status) + " and asked to wait " + e.After.String()
	}
	return "the site answered " + strconv.Quote(e.Status)
}

// GetFeed fetches a feed with a conditional GET, through the same guard as
// Fetch: http and https only, never a private, loopback or link-local
// address (after redirects and DNS too), within the timeout and the size
// limit. What the feed's site does wrong is an EINVALID error that says
// so; a 429 or 503 is a *RetryLater.
func (f *Fetcher) GetFeed(ctx context.Context, fr FeedRequest) (*FeedResponse, error) {
	raw := strings.TrimSpace(fr.URL)
	u, err := url.Parse(raw)
	if err != nil {
		return nil, briefings.Errorf(briefings.EINVALID, "%s is not a web address.", shown(raw))
	}
	if err := checkURL(u); err != nil {
		return nil, feedAddressError(u, false)
	}
	ctx, cancel := context.WithTimeout(ctx, f.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, briefings.Errorf(briefings.EINVALID, "%s is not a web address I can fetch.", shown(raw))
	}
	req.Header.Set("User-Agent", FeedUserAgent)
	req.Header.Set("Accept", "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5")
	if fr.ETag != "" {
		req.Header.Set("If-None-Match", fr.ETag)
	}
	if fr.LastModified != "" {
		req.Header.Set("If-Modified-Since", fr.LastModified)
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, f.feedError(ctx, raw, err)
	}
	defer resp.Body.Close()
	final := resp.Request.URL.String()
	out := &FeedResponse{URL: final, ContentType: resp.Header.Get("Content-Type"),
		ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified")}
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotModified:
		out.NotModified = true
		return out, nil
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		return nil, &RetryLater{Status: resp.Status, After: retry.After(resp.Header, time.Now())}
	default:
		return nil, briefings.Errorf(briefings.EINVALID, "%s answered %q.", shown(final), resp.Status)
	}
	if resp.ContentLength > f.cfg.MaxBytes {
		return nil, f.feedTooLarge(final)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, f.cfg.MaxBytes+1))
	if err != nil {
		return nil, f.feedError(ctx, final, err)
	}
	if int64(len(data)) > f.cfg.MaxBytes {
		return nil, f.feedTooLarge(final)
	}
	out.Body = data
	return out, nil
}

func (f *Fetcher) feedTooLarge(where string) error {
	return briefings.Errorf(briefings.EINVALID, "The feed at %s is larger than %d MiB, the most I read.", shown(where), max(1, f.cfg.MaxBytes>>20))
}

// feedAddressError says why the feed's address, or the address it
// redirected to, is not one the fetcher reads.
func feedAddressError(u *url.URL, redirected bool) error {
	const moved = " If the feed has moved, remove it and add its new address."
	at := shown(u.Redacted())
	if redirected {
		switch {
		case u.Scheme != "http" && u.Scheme != "https":
			return briefings.Errorf(briefings.EINVALID, "The feed's address redirected to %s; only http and https are allowed.%s", at, moved)
		case u.User != nil:
			return briefings.Errorf(briefings.EINVALID, "The feed's address redirected to %s, which carries a user name or password; I only read public feeds.", at)
		}
		return briefings.Errorf(briefings.EINVALID, "The feed's address redirected to %s, which has no site in it.%s", at, moved)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return briefings.Errorf(briefings.EINVALID, "The feed's address %s is not http or https; only http and https are allowed.", at)
	case u.User != nil:
		return briefings.Errorf(briefings.EINVALID, "The feed's address %s carries a user name or password; I only read public feeds.", at)
	}
	return briefings.Errorf(briefings.EINVALID, "The feed's address %s has no site in it.", at)
}

// feedError says why a feed could not be fetched, for /feed list.
func (f *Fetcher) feedError(ctx context.Context, where string, err error) error {
	var redirect *redirectRefused
	if errors.As(err, &redirect) {
		return feedAddressError(redirect.to, true)
	}
	return f.requestError(ctx, where, err, advice{})
}

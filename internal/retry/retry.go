// Package retry is the one retry policy of briefbot's outbound calls:
// Discord's REST API and interaction webhooks, the model, and fetches of
// attachments, articles and feeds. It says how long to wait between
// attempts (a doubling backoff, or longer when the server asks with
// Retry-After), which answers may be tried again (429 and 5xx, and a
// connection that failed before any reply), and it waits without
// outliving the caller's context.
//
// It is a leaf: it imports nothing of briefbot, so any package may use it.
package retry

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Policy is how often and how patiently a call is tried.
type Policy struct {
	// Attempts is how many tries a call gets in all, the first included;
	// less than 1 means one.
	Attempts int
	// Backoff is the wait after the first failure, doubled after each
	// further one.
	Backoff time.Duration
	// Max caps every wait, a server's Retry-After included; 0 means no cap.
	Max time.Duration
}

// Verdict is what a failed attempt allows.
type Verdict struct {
	// Again says the attempt may be repeated.
	Again bool
	// Limited says a rate limit refused the attempt, so it certainly did
	// nothing: the wait is the server's After alone, without backoff, and
	// the failure does not lengthen later backoffs.
	Limited bool
	// After is how long the server asked to wait (Retry-After); 0 when
	// it did not say.
	After time.Duration
}

// Wait returns how long to wait before the next attempt after a failure
// judged v, when failures earlier failures (not rate limits) came before
// it: the backoff doubled per earlier failure, or the server's After when
// that says more; a rate limit waits After alone. Max caps the result.
func (p Policy) Wait(failures int, v Verdict) time.Duration {
	w := v.After
	if !v.Limited {
		w = max(doubled(p.Backoff, failures), v.After)
	}
	if p.Max > 0 {
		w = min(w, p.Max)
	}
	return max(w, 0)
}

// doubled is d doubled n times, saturating instead of overflowing.
func doubled(d time.Duration, n int) time.Duration {
	if n < 0 || d <= 0 {
		return max(d, 0)
	}
	if n >= 63 || d > math.MaxInt64>>n {
		return math.MaxInt64
	}
	return d << n
}

// Do calls try until it returns nil, an error marked Final or judged not
// worth repeating, Attempts run out, or ctx ends, waiting between attempts as
// Wait says. judge decides each error; waited, when not nil, is told of
// each wait before it starts (for logs). Do returns try's last error, or
// ctx's when ctx ended first.
func (p Policy) Do(ctx context.Context, try func(attempt int) error, judge func(error) Verdict, waited func(attempt int, wait time.Duration, err error)) error {
	failures := 0
	for attempt := 1; ; attempt++ {
		err := try(attempt)
		if err == nil {
			return nil
		}
		var f final
		if errors.As(err, &f) {
			return err
		}
		v := judge(err)
		if !v.Again || attempt >= p.Attempts {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		wait := p.Wait(failures, v)
		if !v.Limited {
			failures++
		}
		if waited != nil {
			waited(attempt, wait, err)
		}
		if serr := Sleep(ctx, wait); serr != nil {
			return serr
		}
	}
}

// Sleep waits d or until ctx ends, and then returns ctx's error.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Status reports whether an HTTP answer with this status may be tried
// again: 429 Too Many Requests and the 5xx server errors.
func Status(code int) bool {
	return code == http.StatusTooManyRequests || code >= 500
}

// Response judges an HTTP exchange: a response is judged by its status,
// with the wait its Retry-After header asks for; without one, a
// connection or timeout error is worth repeating, the caller's own
// cancellation and an error marked Final are not.
func Response(resp *http.Response, err error) Verdict {
	if resp == nil {
		var f final
		return Verdict{Again: err != nil && !errors.Is(err, context.Canceled) && !errors.As(err, &f)}
	}
	return Verdict{Again: Status(resp.StatusCode), After: After(resp.Header, time.Now())}
}

// Final marks err as not worth repeating whatever it is, for a call that
// knows better than Response (a refused redirect, say). errors.Is and
// errors.As see through it.
func Final(err error) error {
	if err == nil {
		return nil
	}
	return final{err}
}

type final struct{ err error }

func (f final) Error() string { return f.err.Error() }
func (f final) Unwrap() error { return f.err }

// After reads how long a Retry-After header asks to wait: seconds (a
// fraction is kept) or an HTTP date. It returns 0 when the header is
// missing, malformed, negative or in the past.
func After(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil {
		return seconds(s)
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now).Round(time.Second)
	}
	return 0
}

// maxAfter bounds what a server can ask for, far beyond any cap a caller
// sets, so that a huge number cannot overflow a time.Duration.
const maxAfter = 365 * 24 * time.Hour

// seconds turns a count of seconds into a duration: 0 unless positive,
// at most maxAfter.
func seconds(s float64) time.Duration {
	if !(s > 0) {
		return 0
	}
	return time.Duration(min(s, maxAfter.Seconds()) * float64(time.Second))
}

// DiscordAfter reads how long a 429 from Discord asks to wait: the JSON
// body's retry_after (seconds, fractional), or else the Retry-After
// header, or else a second.
func DiscordAfter(h http.Header, body []byte) time.Duration {
	var rl struct {
		RetryAfter float64 `json:"retry_after"`
	}
	if json.Unmarshal(body, &rl) == nil && rl.RetryAfter > 0 {
		return seconds(rl.RetryAfter)
	}
	if d := After(h, time.Now()); d > 0 {
		return d
	}
	return time.Second
}

// HTTP makes an HTTP call with send until an answer is not worth repeating
// (Response judges), Attempts run out or ctx ends. It returns the last
// response with its body open for the caller, or the last error. The
// bodies of answers it repeats are drained and closed before waiting;
// waited, when not nil, is told of each wait first (for logs).
func (p Policy) HTTP(ctx context.Context, send func() (*http.Response, error), waited func(attempt int, wait time.Duration, status int, err error)) (*http.Response, error) {
	var resp *http.Response
	err := p.Do(ctx, func(int) error {
		var err error
		if resp, err = send(); err != nil {
			return err
		}
		if Status(resp.StatusCode) {
			return errStatus
		}
		return nil
	}, func(err error) Verdict {
		if err == errStatus {
			return Response(resp, nil)
		}
		return Response(nil, err)
	}, func(attempt int, wait time.Duration, err error) {
		status := 0
		if resp != nil {
			status = resp.StatusCode
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
			resp.Body.Close()
			resp = nil
		}
		if waited != nil {
			waited(attempt, wait, status, err)
		}
	})
	switch {
	case err == errStatus:
		return resp, nil // out of attempts: the caller reads the answer
	case err != nil && resp != nil:
		resp.Body.Close()
		return nil, err
	}
	return resp, err
}

// errStatus marks an attempt answered with a status worth repeating.
var errStatus = errors.New("retryable status")

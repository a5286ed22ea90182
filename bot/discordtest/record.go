package discordtest

import (
	"fmt"
	"net/url"
	"path"
	"strings"
	"testing"
	"time"
)

// Request is one REST request the fake received, with the answer it gave.
type Request struct {
	Method string
	// Path is the path without the /api/vN prefix, such as
	// "/channels/1100000000000000200/messages".
	Path  string
	Query url.Values
	// Body is the JSON body; for multipart requests, the payload_json part.
	Body []byte
	// Files are the file parts of a multipart request.
	Files []File
	// Status and Response are what the fake answered; Status is 0 when the
	// client gave up during an injected delay.
	Status   int
	Response []byte
	Time     time.Time
}

// File is an uploaded file of a multipart request.
type File struct {
	Field       string // files[0], files[1], ...
	Name        string
	ContentType string
	Data        []byte
}

// Violation is something the bot did that Discord would reject, or that
// breaks a house rule (allowed_mentions), or that the fake does not serve.
type Violation struct {
	Method, Path string
	// Status and Code are the HTTP status and Discord error code the fake
	// answered with; a house-rule violation on an accepted request has the
	// success status and Code 0.
	Status, Code int
	Reason       string
}

// String formats the violation for a test failure.
func (v Violation) String() string {
	return fmt.Sprintf("%s %s: %d (code %d): %s", v.Method, v.Path, v.Status, v.Code, v.Reason)
}

// Requests returns every REST request so far, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Violations returns every violation so far, oldest first.
func (s *Server) Violations() []Violation {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Violation(nil), s.violations...)
}

// RequireNoViolations fails t now if the fake recorded any violation.
func (s *Server) RequireNoViolations(t testing.TB) {
	t.Helper()
	vs := s.Violations()
	for _, v := range vs {
		t.Errorf("discordtest: %s", v)
	}
	if len(vs) > 0 {
		t.FailNow()
	}
}

// fault is an injected failure for the next n requests matching pattern.
type fault struct {
	method, pattern string
	n               int
	status          int // 429 for a rate limit
}

// splitPattern parses "POST /channels/*/messages" or "/gateway".
func splitPattern(pattern string) (method, pat string) {
	if m, p, ok := strings.Cut(pattern, " "); ok {
		return strings.ToUpper(m), strings.TrimSpace(p)
	}
	return "", pattern
}

func matches(method, pat, reqMethod, reqPath string) bool {
	if method != "" && method != reqMethod {
		return false
	}
	ok, err := path.Match(pat, reqPath)
	return err == nil && ok
}

// RateLimit makes the next n requests matching pattern fail with 429 and a
// retry_after of 50 ms, headers included, as Discord's per-route limits do.
// A pattern is an optional method and a path without /api/vN, where *
// matches one path segment: "POST /interactions/*/*/callback".
func (s *Server) RateLimit(pattern string, n int) {
	s.addFault(pattern, n, 429)
}

// FailNext makes the next n requests matching pattern (see RateLimit) fail
// with the given status (a 5xx, or 403 for a channel the bot cannot see,
// answered as Discord does: code 50001, Missing Access) and a
// Discord-shaped error body. These are not violations.
func (s *Server) FailNext(pattern string, n, status int) {
	s.addFault(pattern, n, status)
}

func (s *Server) addFault(pattern string, n, status int) {
	m, p := splitPattern(pattern)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &fault{method: m, pattern: p, n: n, status: status})
}

// Delay holds every answer to requests matching pattern (see RateLimit) for
// d before serving it, to test client timeouts; d = 0 removes the delay.
func (s *Server) Delay(pattern string, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d == 0 {
		delete(s.delays, pattern)
		return
	}
	s.delays[pattern] = d
}

// takeFault returns the status of an injected failure for this request, or 0.
func (s *Server) takeFault(method, p string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if matches(f.method, f.pattern, method, p) {
			f.n--
			if f.n <= 0 {
				s.faults = append(s.faults[:i], s.faults[i+1:]...)
			}
			return f.status
		}
	}
	return 0
}

func (s *Server) delayFor(method, p string) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	var d time.Duration
	for pattern, dd := range s.delays {
		m, pat := splitPattern(pattern)
		if matches(m, pat, method, p) && dd > d {
			d = dd
		}
	}
	return d
}

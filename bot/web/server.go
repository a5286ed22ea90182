// Package web is the reading room: read-only pages of the global library
// on the web, and of each server's library whose admins turned its room
// on, under the room's unguessable key (/g/<key>/…). Pages are rendered on
// the server with html/template, need no JavaScript, set no cookies, and
// are served under a strict Content Security Policy and a per-client rate
// limit.
package web

import (
	"context"
	"embed"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"briefbot/briefings"
)

// Store is what the reading room reads: the library, a briefing in a
// given status (so that a retracted briefing can say it was retracted),
// a briefing's versions, the servers' rooms, and a counter of the
// library's writes. *db.DB implements it.
type Store interface {
	briefings.Library
	// BriefingWithStatus finds the briefing among the given statuses.
	// Returns ENOTFOUND.
	BriefingWithStatus(ctx context.Context, guildID, slug string, statuses ...briefings.Status) (*briefings.Briefing, error)
	// BriefingHistory lists the versions of the briefing with the slug
	// visible to the guild, newest first. Returns ENOTFOUND.
	BriefingHistory(ctx context.Context, guildID, slug string) ([]briefings.BriefingVersion, error)
	// OpenReadingRoom returns the server's room with the key when it is
	// on. Returns ENOTFOUND for an unknown key and a room that is off.
	OpenReadingRoom(ctx context.Context, key string) (briefings.ReadingRoom, error)
	// LibraryVersion changes whenever the briefings or topics change.
	LibraryVersion(ctx context.Context) (int64, error)
}

// Defaults of the server's limits.
const (
	// DefaultRate is how many requests a second one client may make on
	// average, and DefaultBurst how many at once.
	DefaultRate  = 5.0
	DefaultBurst = 30
	// maxClients bounds the rate limiter's memory; the quietest clients
	// are forgotten first.
	maxClients = 10000
)

// ContentSecurityPolicy is sent with every response: nothing runs,
// nothing loads from elsewhere, and no one may frame the pages.
const ContentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

//go:embed assets
var assets embed.FS

// Server serves the reading room.
type Server struct {
	// Store is the library read.
	Store Store
	// Logger receives details of failures; nil discards them.
	Logger *slog.Logger
	// Rate and Burst limit each client (by IP address); zero means
	// DefaultRate and DefaultBurst.
	Rate  float64
	Burst int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Pictures bounds the timeline pictures kept; zero means
	// DefaultPictures.
	Pictures int

	once     sync.Once
	mux      *http.ServeMux
	limiter  *limiter
	pictures *pictureCache
}

func (s *Server) init() {
	s.once.Do(func() {
		if s.Logger == nil {
			s.Logger = slog.New(slog.DiscardHandler)
		}
		if s.Now == nil {
			s.Now = time.Now
		}
		rate, burst := s.Rate, s.Burst
		if rate <= 0 {
			rate = DefaultRate
		}
		if burst <= 0 {
			burst = DefaultBurst
		}
		s.limiter = &limiter{rate: rate, burst: float64(burst), clients: map[string]*bucket{}}
		n := s.Pictures
		if n <= 0 {
			n = DefaultPictures
		}
		s.pictures = newPictureCache(n, maxPictureBytes)
		mux := http.NewServeMux()
		// Every page of the global library, and the same under a
		// server's room.
		for _, prefix := range []string{"", "/g/{key}"} {
			mux.HandleFunc("GET "+prefix+"/{$}", s.page(s.home))
			mux.HandleFunc("GET "+prefix+"/topics/{topic}", s.page(s.topic))
			mux.HandleFunc("GET "+prefix+"/briefings/{slug}", s.page(s.briefing))
			mux.HandleFunc("GET "+prefix+"/search", s.page(s.search))
			mux.HandleFunc("GET "+prefix+"/actors/{name}", s.page(s.actor))
			mux.HandleFunc("GET "+prefix+"/events/{name}", s.page(s.event))
			mux.HandleFunc("GET "+prefix+"/timeline", s.page(s.timeline))
			mux.HandleFunc("GET "+prefix+"/timeline.png", s.timelinePNG)
			mux.HandleFunc("GET "+prefix+"/topics/{topic}/timeline.png", s.timelinePNG)
		}
		mux.HandleFunc("GET /g/{key}", s.roomWithoutSlash)
		mux.HandleFunc("GET /style.css", s.stylesheet)
		mux.HandleFunc("GET /favicon.svg", s.favicon)
		mux.HandleFunc("GET /favicon.ico", s.favicon)
		mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodGet && r.Method != http.MethodHead {
				w.Header().Set("Allow", "GET, HEAD")
				s.fail(w, r, http.StatusMethodNotAllowed, "The reading room is read-only.")
				return
			}
			s.fail(w, r, http.StatusNotFound, "There is no page here.")
		})
		s.mux = mux
	})
}

// ServeHTTP answers one request: security headers on everything, the
// client's rate limit, then the page.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.init()
	h := w.Header()
	h.Set("Content-Security-Policy", ContentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	if wait, ok := s.limiter.allow(clientOf(r), s.Now()); !ok {
		h.Set("Retry-After", wait)
		s.fail(w, r, http.StatusTooManyRequests, "Too many requests from your address. Wait a few seconds and reload.")
		return
	}
	s.mux.ServeHTTP(w, r)
}

// Serve listens on addr until ctx ends, then shuts down gracefully.
func (s *Server) Serve(ctx context.Context, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return s.ServeListener(ctx, ln)
}

// ServeListener serves on ln until ctx ends.
func (s *Server) ServeListener(ctx context.Context, ln net.Listener) error {
	s.init()
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(s.Logger.Handler(), slog.LevelWarn),
	}
	done := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_ = srv.Shutdown(sctx)
		case <-done:
		}
	}()
	err := srv.Serve(ln)
	close(done)
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// clientOf is the address a client is limited by: its IP, without port.
func clientOf(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"briefbot/briefings"
	"briefbot/briefings/chart"
)

// library is the library a page shows: the global one at /, or a
// server's under its room's key at /g/<key>.
type library struct {
	// guildID is the server whose library is shown, with the global
	// library's briefings its members see too; empty for the global one.
	guildID string
	// base prefixes every link of the library's pages: "" or /g/<key>.
	base string
}

// shows reports whether a record of guildID's library is on lib's pages.
func (lib library) shows(guildID string) bool {
	return guildID == "" || guildID == lib.guildID
}

// errNoRoom answers a key no room has and a room that is off alike.
var errNoRoom = briefings.Errorf(briefings.ENOTFOUND, "no such reading room")

// library resolves the request's library: the global one, or the room
// with the key in the path when it is on.
func (s *Server) library(r *http.Request) (library, error) {
	key := r.PathValue("key")
	if key == "" {
		return library{}, nil
	}
	room, err := s.Store.OpenReadingRoom(r.Context(), key)
	if briefings.ErrorCode(err) == briefings.ENOTFOUND {
		return library{}, errNoRoom
	} else if err != nil {
		return library{}, err
	}
	return library{guildID: room.GuildID, base: "/g/" + key}, nil
}

// logPath is the request's path for logs, with a room's key left out: the
// key is what keeps a room private.
func logPath(r *http.Request) string {
	if key := r.PathValue("key"); key != "" {
		return strings.Replace(r.URL.Path, key, "…", 1)
	}
	return r.URL.Path
}

// Limits of what a page shows.
const (
	topicBriefings = 50
	searchHits     = 25
	maxQuery       = 200
	timelineEvents = chart.MaxEvents
)

var templates = map[string]*template.Template{}

func init() {
	funcs := template.FuncMap{"paragraphs": paragraphs, "pathseg": url.PathEscape}
	for _, name := range []string{"home", "topic", "briefing", "search", "actor", "event", "timeline", "error"} {
		templates[name] = template.Must(template.New("layout.html").Funcs(funcs).ParseFS(assets, "assets/layout.html", "assets/"+name+".html"))
	}
}

// view is what every page template gets.
type view struct {
	Title string
	Query string
	// Base prefixes the links: "" for the global library, /g/<key> in a
	// server's room.
	Base string
	// Room is set on a server's pages.
	Room bool
	Data any
}

// page turns a page handler into an http.HandlerFunc: the handler gets the
// library and returns the template, the title and the data, or an error.
// Under a key no room has, or a room that is off, every page is the same
// missing page as a path that was never there.
func (s *Server) page(h func(r *http.Request, lib library) (string, string, any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		lib, err := s.library(r)
		if err == errNoRoom {
			s.fail(w, r, http.StatusNotFound, "There is no page here.")
			return
		}
		var name, title string
		var data any
		if err == nil {
			if lib.base != "" {
				w.Header().Set("Cache-Control", "no-store")
			}
			name, title, data, err = h(r, lib)
		}
		switch {
		case briefings.ErrorCode(err) == briefings.ENOTFOUND:
			s.failIn(w, lib, http.StatusNotFound, "There is no such page in the library: it may have been moved or never published.")
			return
		case briefings.ErrorCode(err) == briefings.EINVALID:
			s.failIn(w, lib, http.StatusBadRequest, briefings.ErrorMessage(err))
			return
		case err != nil:
			id := errorID()
			s.Logger.Error("reading room page", "path", logPath(r), "error_id", id, "err", err)
			s.failIn(w, lib, http.StatusInternalServerError, "Sorry, this page could not be shown (error "+id+"). Try again later.")
			return
		}
		s.render(w, http.StatusOK, name, view{Title: title, Query: r.URL.Query().Get("q"), Base: lib.base, Room: lib.base != "", Data: data})
	}
}

// render writes a page, or a bare apology when the template fails.
func (s *Server) render(w http.ResponseWriter, status int, name string, v view) {
	var buf bytes.Buffer
	if err := templates[name].Execute(&buf, v); err != nil {
		s.Logger.Error("reading room template", "template", name, "err", err)
		http.Error(w, "Sorry, this page could not be shown.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// fail answers with an error page of the global library.
func (s *Server) fail(w http.ResponseWriter, _ *http.Request, status int, msg string) {
	s.failIn(w, library{}, status, msg)
}

// failIn answers with an error page whose links stay in lib.
func (s *Server) failIn(w http.ResponseWriter, lib library, status int, msg string) {
	s.render(w, status, "error", view{Title: http.StatusText(status), Base: lib.base, Room: lib.base != "", Data: msg})
}

func errorID() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// home lists the library's topics.
func (s *Server) home(r *http.Request, lib library) (string, string, any, error) {
	topics, err := s.Store.Topics(r.Context(), lib.guildID)
	if err != nil {
		return "", "", nil, err
	}
	return "home", "The library", topics, nil
}

type topicPage struct {
	Topic     *briefings.Topic
	Briefings []*briefings.Briefing
	Total     int
	Events    int
}

// topic lists a topic's briefings, newest first, under its timeline.
func (s *Server) topic(r *http.Request, lib library) (string, string, any, error) {
	ctx := r.Context()
	t, err := s.Store.Topic(ctx, lib.guildID, r.PathValue("topic"))
	if err != nil {
		return "", "", nil, err
	}
	bs, total, err := s.Store.Briefings(ctx, briefings.BriefingQuery{GuildID: lib.guildID, Topic: t.Slug, Limit: topicBriefings})
	if err != nil {
		return "", "", nil, err
	}
	evs, err := s.Store.Events(ctx, briefings.EventQuery{GuildID: lib.guildID, Topic: t.Slug, Limit: timelineEvents, BriefingsPerEvent: -1})
	if err != nil {
		return "", "", nil, err
	}
	return "topic", t.Name, topicPage{Topic: t, Briefings: bs, Total: total, Events: len(evs)}, nil
}

type briefingPage struct {
	B         *briefings.Briefing
	Retracted bool
	Topics    []briefings.Topic
	History   []version
}

// version is one published version of a briefing, as readers see its
// history: when, and which fields changed; not who.
type version struct {
	Version int
	At      string
	Changes string
}

// briefing shows a briefing whole with its history, or only the notice of
// its retraction.
func (s *Server) briefing(r *http.Request, lib library) (string, string, any, error) {
	ctx := r.Context()
	b, err := s.Store.BriefingWithStatus(ctx, lib.guildID, r.PathValue("slug"), briefings.StatusPublished, briefings.StatusRetracted)
	if err != nil {
		return "", "", nil, err
	}
	if !lib.shows(b.GuildID) {
		return "", "", nil, briefings.Errorf(briefings.ENOTFOUND, "not in this library")
	}
	if b.Status == briefings.StatusRetracted {
		// Only the notice: nothing of what was withdrawn.
		return "briefing", b.Title, briefingPage{B: &briefings.Briefing{Title: b.Title, Slug: b.Slug,
			RetractionReason: b.RetractionReason, Published: b.Published}, Retracted: true}, nil
	}
	p := briefingPage{B: b}
	for _, slug := range b.Topics {
		if t, err := s.Store.Topic(ctx, lib.guildID, slug); err == nil {
			p.Topics = append(p.Topics, *t)
		}
	}
	if p.History, err = s.history(ctx, lib, b); err != nil {
		return "", "", nil, err
	}
	return "briefing", b.Title, p, nil
}

// history lists the briefing's published versions, newest first: the
// versions it had as a draft are not shown, nor who saved any of them.
func (s *Server) history(ctx context.Context, lib library, b *briefings.Briefing) ([]version, error) {
	vs, err := s.Store.BriefingHistory(ctx, lib.guildID, b.Slug)
	if err != nil {
		return nil, err
	}
	var out []version
	for _, v := range vs {
		if v.Snapshot == nil || v.Snapshot.Status != briefings.StatusPublished || v.Snapshot.GuildID != b.GuildID {
			continue
		}
		out = append(out, version{Version: v.Version, At: v.At.UTC().Format("2 January 2006, 15:04 UTC"), Changes: v.Changes})
	}
	return out, nil
}

type searchPage struct {
	Query string
	Hits  []hit
}

type hit struct {
	Kind        string
	Slug        string
	Title       string
	Snippet     []part
	Attribution string
}

// part is a piece of a snippet, matched or not.
type part struct {
	Text  string
	Match bool
}

// search ranks briefings and facts against the reader's words.
func (s *Server) search(r *http.Request, lib library) (string, string, any, error) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if utf8.RuneCountInString(q) > maxQuery {
		return "", "", nil, briefings.Errorf(briefings.EINVALID, "The search is longer than %d characters; shorten it.", maxQuery)
	}
	p := searchPage{Query: q}
	if q == "" {
		return "search", "Search", p, nil
	}
	hits, err := s.Store.Search(r.Context(), briefings.SearchQuery{GuildID: lib.guildID, Text: q, Limit: searchHits})
	if err != nil {
		return "", "", nil, err
	}
	for _, h := range hits {
		if !lib.shows(h.Briefing.GuildID) || h.Briefing.Slug == "" {
			continue
		}
		p.Hits = append(p.Hits, hit{Kind: string(h.Kind), Slug: h.Briefing.Slug, Title: h.Briefing.Title,
			Snippet: snippet(h.Snippet), Attribution: h.Attribution})
	}
	return "search", "Search: " + q, p, nil
}

// snippet splits a highlighted snippet into parts.
func snippet(s string) []part {
	var out []part
	for s != "" {
		i := strings.Index(s, briefings.HighlightOpen)
		if i < 0 {
			out = append(out, part{Text: s})
			break
		}
		if i > 0 {
			out = append(out, part{Text: s[:i]})
		}
		s = s[i+len(briefings.HighlightOpen):]
		j := strings.Index(s, briefings.HighlightClose)
		if j < 0 {
			out = append(out, part{Text: s, Match: true})
			break
		}
		out = append(out, part{Text: s[:j], Match: true})
		s = s[j+len(briefings.HighlightClose):]
	}
	return out
}

// paragraphs splits text at blank lines.
func paragraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// roomWithoutSlash sends a room's address typed without its final slash
// to the room's home, and answers like any other page when there is no
// such room.
func (s *Server) roomWithoutSlash(w http.ResponseWriter, r *http.Request) {
	lib, err := s.library(r)
	switch {
	case err == errNoRoom:
		s.fail(w, r, http.StatusNotFound, "There is no page here.")
	case err != nil:
		id := errorID()
		s.Logger.Error("reading room page", "path", logPath(r), "error_id", id, "err", err)
		s.fail(w, r, http.StatusInternalServerError, "Sorry, this page could not be shown (error "+id+"). Try again later.")
	default:
		w.Header().Set("Cache-Control", "no-store")
		http.Redirect(w, r, lib.base+"/", http.StatusFound)
	}
}

// favicon serves the site's icon, which browsers ask for on every site.
func (s *Server) favicon(w http.ResponseWriter, _ *http.Request) {
	svg, _ := assets.ReadFile("assets/favicon.svg")
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	_, _ = w.Write(svg)
}

// stylesheet serves the one stylesheet.
func (s *Server) stylesheet(w http.ResponseWriter, _ *http.Request) {
	css, _ := assets.ReadFile("assets/style.css")
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(css)
}

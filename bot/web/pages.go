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

// The reading room shows the global library only.
const globalLibrary = ""

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
	Data  any
}

// page turns a page handler into an http.HandlerFunc: the handler returns
// the template, the title and the data, or an error.
func (s *Server) page(h func(r *http.Request) (string, string, any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		name, title, data, err := h(r)
		switch {
		case briefings.ErrorCode(err) == briefings.ENOTFOUND:
			s.fail(w, r, http.StatusNotFound, "There is no such page in the library: it may have been moved or never published.")
			return
		case briefings.ErrorCode(err) == briefings.EINVALID:
			s.fail(w, r, http.StatusBadRequest, briefings.ErrorMessage(err))
			return
		case err != nil:
			id := errorID()
			s.Logger.Error("reading room page", "path", r.URL.Path, "error_id", id, "err", err)
			s.fail(w, r, http.StatusInternalServerError, "Sorry, this page could not be shown (error "+id+"). Try again later.")
			return
		}
		s.render(w, http.StatusOK, name, view{Title: title, Query: r.URL.Query().Get("q"), Data: data})
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

// fail answers with an error page.
func (s *Server) fail(w http.ResponseWriter, _ *http.Request, status int, msg string) {
	s.render(w, status, "error", view{Title: http.StatusText(status), Data: msg})
}

func errorID() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// home lists the global library's topics.
func (s *Server) home(r *http.Request) (string, string, any, error) {
	topics, err := s.Store.Topics(r.Context(), globalLibrary)
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
func (s *Server) topic(r *http.Request) (string, string, any, error) {
	ctx := r.Context()
	t, err := s.Store.Topic(ctx, globalLibrary, r.PathValue("topic"))
	if err != nil {
		return "", "", nil, err
	}
	bs, total, err := s.Store.Briefings(ctx, briefings.BriefingQuery{GuildID: globalLibrary, Topic: t.Slug, Limit: topicBriefings})
	if err != nil {
		return "", "", nil, err
	}
	evs, err := s.Store.Events(ctx, briefings.EventQuery{GuildID: globalLibrary, Topic: t.Slug, Limit: timelineEvents, BriefingsPerEvent: -1})
	if err != nil {
		return "", "", nil, err
	}
	return "topic", t.Name, topicPage{Topic: t, Briefings: bs, Total: total, Events: len(evs)}, nil
}

type briefingPage struct {
	B         *briefings.Briefing
	Retracted bool
	Topics    []briefings.Topic
}

// briefing shows a briefing whole, or only the notice of its retraction.
func (s *Server) briefing(r *http.Request) (string, string, any, error) {
	ctx := r.Context()
	b, err := s.Store.BriefingWithStatus(ctx, globalLibrary, r.PathValue("slug"), briefings.StatusPublished, briefings.StatusRetracted)
	if err != nil {
		return "", "", nil, err
	}
	if b.GuildID != globalLibrary {
		return "", "", nil, briefings.Errorf(briefings.ENOTFOUND, "not in the global library")
	}
	if b.Status == briefings.StatusRetracted {
		// Only the notice: nothing of what was withdrawn.
		return "briefing", b.Title, briefingPage{B: &briefings.Briefing{Title: b.Title, Slug: b.Slug,
			RetractionReason: b.RetractionReason, Published: b.Published}, Retracted: true}, nil
	}
	p := briefingPage{B: b}
	for _, slug := range b.Topics {
		if t, err := s.Store.Topic(ctx, globalLibrary, slug); err == nil {
			p.Topics = append(p.Topics, *t)
		}
	}
	return "briefing", b.Title, p, nil
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
func (s *Server) search(r *http.Request) (string, string, any, error) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if utf8.RuneCountInString(q) > maxQuery {
		return "", "", nil, briefings.Errorf(briefings.EINVALID, "The search is longer than %d characters; shorten it.", maxQuery)
	}
	p := searchPage{Query: q}
	if q == "" {
		return "search", "Search", p, nil
	}
	hits, err := s.Store.Search(r.Context(), briefings.SearchQuery{GuildID: globalLibrary, Text: q, Limit: searchHits})
	if err != nil {
		return "", "", nil, err
	}
	for _, h := range hits {
		if h.Briefing.GuildID != globalLibrary || h.Briefing.Slug == "" {
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

// timelinePNG draws the timeline of the global library, or of a topic.
func (s *Server) timelinePNG(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := briefings.EventQuery{GuildID: globalLibrary, Limit: timelineEvents + 1, BriefingsPerEvent: -1}
	title := "Timeline"
	if slug := r.PathValue("topic"); slug != "" {
		t, err := s.Store.Topic(ctx, globalLibrary, slug)
		if err != nil {
			s.pictureFailed(ctx, w, r, err)
			return
		}
		q.Topic, title = t.Slug, "Timeline: "+t.Name
	}
	events, err := s.Store.Events(ctx, q)
	if err != nil {
		s.pictureFailed(ctx, w, r, err)
		return
	}
	t := chart.Timeline{Title: title, Grouping: "actor", Hint: "see the briefings below"}
	if len(events) > timelineEvents {
		t.Omitted, events = 1, events[:timelineEvents]
		t.Hint = "there are later events"
	}
	t.Rows = chart.RowsByActor(events, nil, "", 6)
	data, _, err := chart.Render(t)
	if err != nil {
		s.pictureFailed(ctx, w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(data)
}

func (s *Server) pictureFailed(_ context.Context, w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case briefings.ErrorCode(err) == briefings.ENOTFOUND:
		http.Error(w, "no such topic", http.StatusNotFound)
	case err == chart.ErrNoEvents:
		http.Error(w, "no dated events", http.StatusNotFound)
	default:
		s.Logger.Error("reading room timeline", "path", r.URL.Path, "err", err)
		http.Error(w, "the timeline could not be drawn", http.StatusInternalServerError)
	}
}

// stylesheet serves the one stylesheet.
func (s *Server) stylesheet(w http.ResponseWriter, _ *http.Request) {
	css, _ := assets.ReadFile("assets/style.css")
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(css)
}

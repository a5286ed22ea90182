package web

import (
	"net/http"
	"net/url"

	"briefbot/briefings"
)

// Limits of the actor and event pages.
const (
	actorFacts     = 30
	actorEvents    = 30
	pageBriefings  = 20
	timelineListed = timelineEvents
)

type actorPage struct {
	Actor     *briefings.Actor
	Facts     []briefings.FactRef
	Events    []briefings.EventRef
	Briefings []briefings.BriefingRef
	Total     int
}

// actor shows an actor of the library: who they are, the facts
// about them with attribution, their dated events and the briefings that
// mention them.
func (s *Server) actor(r *http.Request, lib library) (string, string, any, error) {
	ctx := r.Context()
	a, err := s.Store.Actor(ctx, lib.guildID, r.PathValue("name"))
	if err != nil {
		return "", "", nil, err
	}
	if !lib.shows(a.GuildID) {
		return "", "", nil, briefings.Errorf(briefings.ENOTFOUND, "not in this library")
	}
	p := actorPage{Actor: a}
	if p.Facts, err = s.Store.Facts(ctx, briefings.FactQuery{GuildID: lib.guildID, ActorID: a.ID, Limit: actorFacts}); err != nil {
		return "", "", nil, err
	}
	if p.Events, err = s.Store.Events(ctx, briefings.EventQuery{GuildID: lib.guildID, ActorID: a.ID, Limit: actorEvents, BriefingsPerEvent: -1}); err != nil {
		return "", "", nil, err
	}
	if p.Briefings, p.Total, err = s.Store.BriefingsMentioning(ctx, lib.guildID, a.ID, 0, pageBriefings); err != nil {
		return "", "", nil, err
	}
	return "actor", a.Name, p, nil
}

type eventPage struct {
	Event     *briefings.Event
	Facts     []briefings.FactRef
	Briefings []briefings.BriefingRef
	Total     int
}

// event shows an event of the library: when, where, who, the facts
// about it and the briefings that mention it.
func (s *Server) event(r *http.Request, lib library) (string, string, any, error) {
	ctx := r.Context()
	e, err := s.Store.Event(ctx, lib.guildID, r.PathValue("name"))
	if err != nil {
		return "", "", nil, err
	}
	if !lib.shows(e.GuildID) {
		return "", "", nil, briefings.Errorf(briefings.ENOTFOUND, "not in this library")
	}
	p := eventPage{Event: e}
	if p.Facts, err = s.Store.Facts(ctx, briefings.FactQuery{GuildID: lib.guildID, EventID: e.ID, Limit: actorFacts}); err != nil {
		return "", "", nil, err
	}
	if p.Briefings, p.Total, err = s.Store.BriefingsMentioning(ctx, lib.guildID, 0, e.ID, pageBriefings); err != nil {
		return "", "", nil, err
	}
	return "event", e.Name, p, nil
}

type timelinePage struct {
	Topic   *briefings.Topic
	Picture string
	Events  []briefings.EventRef
	More    bool
}

// timeline lists the dated events of the library, or of a topic,
// under their picture.
func (s *Server) timeline(r *http.Request, lib library) (string, string, any, error) {
	ctx := r.Context()
	q := briefings.EventQuery{GuildID: lib.guildID, Limit: timelineListed + 1, BriefingsPerEvent: 3}
	p := timelinePage{Picture: lib.base + "/timeline.png"}
	title := "Timeline"
	if text := r.URL.Query().Get("topic"); text != "" {
		t, err := s.Store.Topic(ctx, lib.guildID, text)
		if err != nil {
			return "", "", nil, err
		}
		q.Topic, p.Topic, title = t.Slug, t, "Timeline: "+t.Name
		p.Picture = lib.base + "/topics/" + url.PathEscape(t.Slug) + "/timeline.png"
	}
	events, err := s.Store.Events(ctx, q)
	if err != nil {
		return "", "", nil, err
	}
	if len(events) > timelineListed {
		events, p.More = events[:timelineListed], true
	}
	p.Events = events
	return "timeline", title, p, nil
}

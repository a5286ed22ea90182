package commands

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"time"

	"briefbot/briefings"
	"briefbot/briefings/chart"

	"github.com/bwmarrin/discordgo"
)

// TimelineFile is the name of the picture /timeline attaches.
const TimelineFile = "timeline.png"

// Limits of the picture's grouping: the rows it has, and the events read
// to count what was left out or to find an event's topic.
const (
	timelineRows    = 6
	timelineCounted = 1000
	// timelineTopicBriefings is how many of an event's newest briefings
	// decide its topic.
	timelineTopicBriefings = 20
)

// timelinePicture draws the events the message lists, with the citation
// numbers it gives them, in rows by topic (or by actor, when the timeline
// is about one topic). more says that the list was cut.
func (r *Router) timelinePicture(ctx context.Context, q *request, query briefings.EventQuery, title, actor string,
	events []briefings.EventRef, cites [][]int, more bool) (*discordgo.File, error) {
	t := chart.Timeline{Title: title, Hint: "narrow it with the topic or actor option"}
	if more {
		all := query
		all.Limit = timelineCounted
		n, err := r.lib.CountEvents(ctx, all)
		if err != nil {
			return nil, fmt.Errorf("count events %+v: %w", all, err)
		}
		t.Omitted = max(n-len(events), 1)
	}
	var rows []chart.Row
	var err error
	if query.Topic != "" {
		t.Grouping = "actor"
		rows = chart.RowsByActor(events, cites, actor, timelineRows)
	} else {
		t.Grouping = "topic"
		if rows, err = r.topicRows(ctx, q, events, cites); err != nil {
			return nil, err
		}
	}
	t.Rows = rows
	data, _, err := chart.Render(t)
	if err != nil {
		return nil, fmt.Errorf("draw the timeline: %w", err)
	}
	return &discordgo.File{Name: TimelineFile, ContentType: "image/png", Reader: bytes.NewReader(data)}, nil
}

// chartEvent is an event as the picture draws it.
func chartEvent(e briefings.EventRef, cites []int) chart.Event {
	return chart.Event{Name: oneLine(e.Name), Date: e.Date, End: e.End, Cites: cites}
}

// topicRows groups events by the topics of the newest briefings that
// mention them: each event goes to the topic most of them carry. Topics
// holding more of the listed events come first; events of topics beyond
// the first few share a last row.
func (r *Router) topicRows(ctx context.Context, q *request, events []briefings.EventRef, cites [][]int) ([]chart.Row, error) {
	ids := make([]int64, len(events))
	for i, e := range events {
		ids[i] = e.ID
	}
	topics, err := r.lib.EventTopics(ctx, q.guildID, ids, timelineTopicBriefings)
	if err != nil {
		return nil, fmt.Errorf("topics for the timeline: %w", err)
	}
	type group struct {
		topic  briefings.Topic
		events []chart.Event
	}
	var groups []*group
	bySlug := map[string]*group{}
	var other []chart.Event
	for i, e := range events {
		ts := topics[e.ID]
		if len(ts) == 0 {
			other = append(other, chartEvent(e, cites[i]))
			continue
		}
		g := bySlug[ts[0].Slug]
		if g == nil {
			g = &group{topic: ts[0]}
			bySlug[ts[0].Slug] = g
			groups = append(groups, g)
		}
		g.events = append(g.events, chartEvent(e, cites[i]))
	}
	slices.SortStableFunc(groups, func(a, b *group) int { return len(b.events) - len(a.events) })
	var rows []chart.Row
	for i, g := range groups {
		if i >= timelineRows-1 && len(groups) > timelineRows {
			other = append(other, g.events...)
			continue
		}
		rows = append(rows, chart.Row{Label: oneLine(g.topic.Name), Events: g.events})
	}
	if len(other) > 0 {
		label := "Other topics"
		if len(rows) == 0 {
			label = "All topics"
		}
		rows = append(rows, chart.Row{Label: label, Events: other})
	}
	return rows, nil
}

// EventLister lists dated events; briefings.Library and
// briefings.DigestSource have it.
type EventLister interface {
	Events(ctx context.Context, q briefings.EventQuery) ([]briefings.EventRef, error)
}

// WeekPictureDays is how far either side of a digest's day its timeline
// picture reaches.
const WeekPictureDays = 7

// DigestPicture draws the timeline of a digest's week: the topic's dated
// events in guildID's library (and the global one) from seven days before
// until's day to seven days after, in rows by actor. It returns nil when
// the week has no dated events.
func DigestPicture(ctx context.Context, src EventLister, guildID string, topic briefings.Topic, until time.Time) (*discordgo.File, error) {
	day := briefings.DateFromTime(until)
	from := briefings.Date{T: day.T.AddDate(0, 0, -WeekPictureDays), P: briefings.PrecisionDay}
	to := briefings.Date{T: day.T.AddDate(0, 0, WeekPictureDays+1), P: briefings.PrecisionDay}
	events, err := src.Events(ctx, briefings.EventQuery{GuildID: guildID, Topic: topic.Slug, From: from, To: to,
		Limit: timelineCounted, BriefingsPerEvent: -1})
	if err != nil {
		return nil, fmt.Errorf("digest picture: %w", err)
	}
	if len(events) == 0 {
		return nil, nil
	}
	t := chart.Timeline{Title: oneLine(topic.Name) + ": " + from.Span(briefings.Date{T: to.T.AddDate(0, 0, -1), P: briefings.PrecisionDay}),
		Grouping: "actor", Hint: "type /timeline topic:" + oneLine(topic.Name) + " for all of them"}
	if len(events) > timelineEvents {
		t.Omitted = len(events) - timelineEvents
		events = events[:timelineEvents]
	}
	t.Rows = chart.RowsByActor(events, nil, "", timelineRows)
	data, _, err := chart.Render(t)
	if err != nil {
		return nil, fmt.Errorf("digest picture: %w", err)
	}
	return &discordgo.File{Name: TimelineFile, ContentType: "image/png", Reader: bytes.NewReader(data)}, nil
}

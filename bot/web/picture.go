package web

import (
	"container/list"
	"context"
	"net/http"
	"sync"

	"briefbot/briefings"
	"briefbot/briefings/chart"
)

// Bounds of the picture cache.
const (
	// DefaultPictures is how many timeline pictures are kept at most.
	DefaultPictures = 64
	// maxPictureBytes bounds the bytes of the pictures kept.
	maxPictureBytes = 32 << 20
)

// timelinePNG draws the timeline of the library, or of a topic, or serves
// the picture drawn before when the library has not changed since.
func (s *Server) timelinePNG(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	lib, err := s.library(r)
	if err == errNoRoom {
		s.fail(w, r, http.StatusNotFound, "There is no page here.")
		return
	} else if err != nil {
		s.pictureFailed(ctx, w, r, err)
		return
	}
	// The version is read before the library, so that a picture is never
	// kept under a version newer than what it shows.
	v, err := s.Store.LibraryVersion(ctx)
	if err != nil {
		s.pictureFailed(ctx, w, r, err)
		return
	}
	key := pictureKey{version: v, guildID: lib.guildID, topic: r.PathValue("topic")}
	data, ok := s.pictures.get(key)
	if !ok {
		if data, err = s.drawTimeline(ctx, lib, key.topic); err != nil {
			s.pictureFailed(ctx, w, r, err)
			return
		}
		s.pictures.put(key, data)
	}
	w.Header().Set("Content-Type", "image/png")
	if lib.base != "" {
		w.Header().Set("Cache-Control", "no-store")
	} else {
		w.Header().Set("Cache-Control", "public, max-age=300")
	}
	_, _ = w.Write(data)
}

// drawTimeline renders the library's (or the topic's) dated events.
func (s *Server) drawTimeline(ctx context.Context, lib library, topic string) ([]byte, error) {
	q := briefings.EventQuery{GuildID: lib.guildID, Limit: timelineEvents + 1, BriefingsPerEvent: -1}
	title := "Timeline"
	if topic != "" {
		t, err := s.Store.Topic(ctx, lib.guildID, topic)
		if err != nil {
			return nil, err
		}
		q.Topic, title = t.Slug, "Timeline: "+t.Name
	}
	events, err := s.Store.Events(ctx, q)
	if err != nil {
		return nil, err
	}
	t := chart.Timeline{Title: title, Grouping: "actor", Hint: "see the briefings below"}
	if len(events) > timelineEvents {
		t.Omitted, events = 1, events[:timelineEvents]
		t.Hint = "there are later events"
	}
	t.Rows = chart.RowsByActor(events, nil, "", 6)
	data, _, err := chart.Render(t)
	return data, err
}

func (s *Server) pictureFailed(_ context.Context, w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case briefings.ErrorCode(err) == briefings.ENOTFOUND:
		http.Error(w, "no such topic", http.StatusNotFound)
	case err == chart.ErrNoEvents:
		http.Error(w, "no dated events", http.StatusNotFound)
	default:
		s.Logger.Error("reading room timeline", "path", logPath(r), "err", err)
		http.Error(w, "the timeline could not be drawn", http.StatusInternalServerError)
	}
}

// pictureKey names a drawn picture: the library's version when it was
// drawn, whose library, and the topic ("" for all).
type pictureKey struct {
	version int64
	guildID string
	topic   string
}

// pictureCache keeps the most recently used pictures, bounded in number
// and in bytes. A write to the library changes its version, so pictures of
// older versions are never asked for again and age out.
type pictureCache struct {
	mu       sync.Mutex
	max      int
	maxBytes int
	bytes    int
	order    *list.List // of *pictureEntry, most recent first
	entries  map[pictureKey]*list.Element
	// hits and misses count lookups, for tests.
	hits, misses int
}

type pictureEntry struct {
	key  pictureKey
	data []byte
}

func newPictureCache(max, maxBytes int) *pictureCache {
	return &pictureCache{max: max, maxBytes: maxBytes, order: list.New(), entries: map[pictureKey]*list.Element{}}
}

func (c *pictureCache) get(k pictureKey) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[k]
	if !ok {
		c.misses++
		return nil, false
	}
	c.hits++
	c.order.MoveToFront(e)
	return e.Value.(*pictureEntry).data, true
}

func (c *pictureCache) put(k pictureKey, data []byte) {
	if len(data) > c.maxBytes {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[k]; ok {
		c.bytes -= len(e.Value.(*pictureEntry).data)
		c.order.Remove(e)
		delete(c.entries, k)
	}
	c.entries[k] = c.order.PushFront(&pictureEntry{key: k, data: data})
	c.bytes += len(data)
	for c.order.Len() > c.max || c.bytes > c.maxBytes {
		last := c.order.Back()
		old := last.Value.(*pictureEntry)
		c.order.Remove(last)
		delete(c.entries, old.key)
		c.bytes -= len(old.data)
	}
}

// len returns how many pictures are kept and their bytes.
func (c *pictureCache) len() (int, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len(), c.bytes
}

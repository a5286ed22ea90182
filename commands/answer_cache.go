package commands

import (
	"bytes"
	"container/list"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/bwmarrin/discordgo"
)

// DefaultAnswerCache is how many rendered answers a Router keeps when
// Options.AnswerCache asks for the cache without a size.
const DefaultAnswerCache = 2048

// maxAnswerCacheBytes bounds what the kept answers hold in all, timeline
// pictures included.
const maxAnswerCacheBytes = 64 << 20

// versioned is a library that counts its writes: the version changes with
// every write to the briefings or the topics, which every content edit
// makes (db.DB's LibraryVersion, migration 0017).
type versioned interface {
	LibraryVersion(ctx context.Context) (int64, error)
}

// answerCache keeps rendered answers to the read-only commands and the
// names autocomplete offers, at the library version they were made from.
// An answer is served again only while the library is at that version:
// the first request that reads a newer version empties the cache, and an
// answer made while a write landed is kept under the older version it
// read first, so it is never served after the write.
//
// What an answer depends on besides the library is in its key: the guild
// (whose library and the global one it draws from), the UTC date (relative
// dates such as "3 days ago"), the guild's reading room (citations link to
// it), and the command with every option. Nothing of the member is: the
// commands cached answer every member of a guild alike.
type answerCache struct {
	mu       sync.Mutex
	version  int64
	entries  map[string]*list.Element // of *cachedAnswer
	lru      *list.List               // most recently used first
	size     int                      // bytes held
	maxCount int
	maxBytes int

	hits, misses atomic.Uint64
}

// cachedAnswer is one kept answer: a response or autocomplete names.
type cachedAnswer struct {
	key   string
	resp  *discordgo.InteractionResponse // never handed out; see cloneResponse
	files [][]byte                       // the contents of resp's files
	names []string
	size  int
}

func newAnswerCache(maxCount int) *answerCache {
	return &answerCache{entries: map[string]*list.Element{}, lru: list.New(), maxCount: maxCount, maxBytes: maxAnswerCacheBytes}
}

// get returns the answer kept under key at version, and counts a hit or a
// miss. A version newer than the cache's empties it.
func (c *answerCache) get(version int64, key string) (*cachedAnswer, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if version > c.version {
		c.reset(version)
	}
	el, ok := c.entries[key]
	if !ok || version != c.version {
		c.misses.Add(1)
		return nil, false
	}
	c.lru.MoveToFront(el)
	c.hits.Add(1)
	return el.Value.(*cachedAnswer), true
}

// put keeps a at version, unless the library has moved on since.
func (c *answerCache) put(version int64, a *cachedAnswer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if version > c.version {
		c.reset(version)
	}
	if version != c.version || a.size > c.maxBytes/8 {
		return
	}
	if el, ok := c.entries[a.key]; ok {
		c.size -= el.Value.(*cachedAnswer).size
		c.lru.Remove(el)
	}
	c.entries[a.key] = c.lru.PushFront(a)
	c.size += a.size
	for c.lru.Len() > c.maxCount || c.size > c.maxBytes {
		old := c.lru.Remove(c.lru.Back()).(*cachedAnswer)
		delete(c.entries, old.key)
		c.size -= old.size
	}
}

func (c *answerCache) reset(version int64) {
	c.version = version
	c.entries = map[string]*list.Element{}
	c.lru.Init()
	c.size = 0
}

// AnswerCacheCounts returns how many requests the answer cache answered
// and how many it could not, since the Router was made; zeros when the
// cache is off.
func (r *Router) AnswerCacheCounts() (hits, misses uint64) {
	if r.answers == nil {
		return 0, 0
	}
	return r.answers.hits.Load(), r.answers.misses.Load()
}

// cacheable reports whether the answer to the slash command q is the same
// for every member of its guild and made from the library alone.
func (r *Router) cacheable(q *request) bool {
	if r.answers == nil {
		return false
	}
	switch q.command {
	case cmdActor, cmdEvent, cmdTimeline, cmdSearch, cmdTopics, cmdBrief:
		return true
	case cmdAsk:
		// A model's answer is written anew each time, and a question
		// answered while the embedder failed is answered by words alone.
		return r.opts.Model == nil && r.opts.Embedder == nil
	}
	return false
}

// answerKey returns the cache's version and the key of q's answer, or
// false when it cannot be cached now.
func (r *Router) answerKey(ctx context.Context, q *request, kind string) (int64, string, bool) {
	room := ""
	if r.opts.PublicURL != "" && r.opts.Rooms != nil && q.guildID != "" {
		rr, err := r.opts.Rooms.ReadingRoom(ctx, q.guildID)
		if err != nil {
			return 0, "", false
		}
		if rr.On {
			room = rr.Key
		}
	}
	// The version is read before anything the answer is made from, so
	// that an answer is never kept under a version newer than it shows.
	v, err := r.lib.(versioned).LibraryVersion(ctx)
	if err != nil {
		r.log.WarnContext(ctx, "library version for the answer cache", "err", err)
		return 0, "", false
	}
	var k strings.Builder
	for _, part := range []string{kind, q.guildID, r.now().UTC().Format("2006-01-02"), room, q.command, q.sub} {
		k.WriteString(part)
		k.WriteByte(0)
	}
	names := make([]string, 0, len(q.opts))
	for name := range q.opts {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		o := q.opts[name]
		fmt.Fprintf(&k, "%s\x01%d\x01%t\x01%v\x00", name, o.Type, o.Focused, o.Value)
	}
	return v, k.String(), true
}

// answerCached answers the slash command q with h, or with the answer
// kept for the same request at the library's current version.
func (r *Router) answerCached(ctx context.Context, q *request, h handler) *discordgo.InteractionResponse {
	if !r.cacheable(q) {
		return r.answer(ctx, q, h)
	}
	v, key, ok := r.answerKey(ctx, q, "command")
	if !ok {
		return r.answer(ctx, q, h)
	}
	if a, ok := r.answers.get(v, key); ok && a.resp != nil {
		return cloneResponse(a.resp, a.files)
	}
	resp, err := h(ctx, q)
	if err != nil {
		return r.failure(ctx, q, err)
	}
	// An answer cut short (shed, timed out) is not the whole answer.
	if ctx.Err() == nil {
		if a, ok := keepResponse(key, resp); ok {
			r.answers.put(v, a)
		}
	}
	return resp
}

// completeNamesCached is completeNames through the answer cache.
func (r *Router) completeNamesCached(ctx context.Context, q *request, kind string, complete func() ([]string, error)) ([]string, error) {
	if r.answers == nil {
		return complete()
	}
	v, key, ok := r.answerKey(ctx, q, "autocomplete "+kind)
	if !ok {
		return complete()
	}
	if a, ok := r.answers.get(v, key); ok && a.resp == nil {
		return append([]string(nil), a.names...), nil
	}
	names, err := complete()
	if err == nil && ctx.Err() == nil {
		size := len(key)
		for _, n := range names {
			size += len(n)
		}
		r.answers.put(v, &cachedAnswer{key: key, names: append([]string(nil), names...), size: size})
	}
	return names, err
}

// keepResponse returns a copy of resp to keep under key, reading its files
// (and giving resp fresh readers of them); false when resp holds anything
// cloneResponse cannot copy.
func keepResponse(key string, resp *discordgo.InteractionResponse) (*cachedAnswer, bool) {
	if resp == nil || resp.Data == nil {
		return nil, false
	}
	d := resp.Data
	if d.Attachments != nil || d.Poll != nil {
		return nil, false
	}
	a := &cachedAnswer{key: key}
	for _, f := range d.Files {
		if f == nil || f.Reader == nil {
			return nil, false
		}
		data, err := io.ReadAll(f.Reader)
		if err != nil {
			return nil, false
		}
		f.Reader = bytes.NewReader(data)
		a.files = append(a.files, data)
		a.size += len(data)
	}
	if _, ok := cloneComponents(d.Components); !ok {
		return nil, false
	}
	text, err := json.Marshal(d)
	if err != nil {
		return nil, false
	}
	a.size += len(text) + len(key)
	a.resp = cloneResponse(resp, a.files)
	return a, true
}

// cloneResponse returns a copy of resp that shares nothing it or its
// caller may change (fit clips embeds and buttons in place), with readers
// of files for its files. resp must have passed keepResponse.
func cloneResponse(resp *discordgo.InteractionResponse, files [][]byte) *discordgo.InteractionResponse {
	out := *resp
	d := *resp.Data
	out.Data = &d
	if resp.Data.Embeds != nil {
		d.Embeds = make([]*discordgo.MessageEmbed, len(resp.Data.Embeds))
		for i, e := range resp.Data.Embeds {
			d.Embeds[i] = cloneEmbed(e)
		}
	}
	d.Components, _ = cloneComponents(resp.Data.Components)
	if resp.Data.Choices != nil {
		d.Choices = make([]*discordgo.ApplicationCommandOptionChoice, len(resp.Data.Choices))
		for i, c := range resp.Data.Choices {
			if c != nil {
				cc := *c
				d.Choices[i] = &cc
			}
		}
	}
	if resp.Data.AllowedMentions != nil {
		am := *resp.Data.AllowedMentions
		d.AllowedMentions = &am
	}
	d.Files = nil
	for i, f := range resp.Data.Files {
		d.Files = append(d.Files, &discordgo.File{Name: f.Name, ContentType: f.ContentType, Reader: bytes.NewReader(files[i])})
	}
	return &out
}

func cloneEmbed(e *discordgo.MessageEmbed) *discordgo.MessageEmbed {
	if e == nil {
		return nil
	}
	c := *e
	if e.Footer != nil {
		f := *e.Footer
		c.Footer = &f
	}
	if e.Image != nil {
		im := *e.Image
		c.Image = &im
	}
	if e.Thumbnail != nil {
		t := *e.Thumbnail
		c.Thumbnail = &t
	}
	if e.Video != nil {
		v := *e.Video
		c.Video = &v
	}
	if e.Provider != nil {
		p := *e.Provider
		c.Provider = &p
	}
	if e.Author != nil {
		a := *e.Author
		c.Author = &a
	}
	if e.Fields != nil {
		c.Fields = make([]*discordgo.MessageEmbedField, len(e.Fields))
		for i, f := range e.Fields {
			if f != nil {
				ff := *f
				c.Fields[i] = &ff
			}
		}
	}
	return &c
}

// cloneComponents copies rows of buttons, the only components the cached
// commands send; false for anything else.
func cloneComponents(cs []discordgo.MessageComponent) ([]discordgo.MessageComponent, bool) {
	if cs == nil {
		return nil, true
	}
	out := make([]discordgo.MessageComponent, 0, len(cs))
	for _, c := range cs {
		row, ok := asRow(c)
		if !ok {
			return nil, false
		}
		items := make([]discordgo.MessageComponent, 0, len(row.Components))
		for _, it := range row.Components {
			b, ok := asButton(it)
			if !ok {
				return nil, false
			}
			if b.Emoji != nil {
				em := *b.Emoji
				b.Emoji = &em
			}
			items = append(items, b)
		}
		out = append(out, discordgo.ActionsRow{Components: items})
	}
	return out, true
}

package commands

import (
	"context"
	"net/url"
	"strings"
	"sync"

	"briefbot/briefings"
)

// pages returns the reading room's address of a briefing cited in guildID,
// or "" when there is no reading room or the briefing is not public there:
// a global briefing is on the global library's pages; one of guildID's
// own only while the guild's reading room is on, under its key. The room
// is looked up once, the first time one of the guild's briefings is cited;
// the function is safe to call from several goroutines.
func (r *Router) pages(ctx context.Context, guildID string) func(briefings.BriefingRef) string {
	base := strings.TrimRight(r.opts.PublicURL, "/")
	var once sync.Once
	room := ""
	return func(b briefings.BriefingRef) string {
		if base == "" || b.Slug == "" {
			return ""
		}
		if b.GuildID == "" {
			return safeURL(base + "/briefings/" + url.PathEscape(b.Slug))
		}
		if b.GuildID != guildID || r.opts.Rooms == nil {
			return ""
		}
		once.Do(func() {
			rr, err := r.opts.Rooms.ReadingRoom(ctx, guildID)
			if err != nil {
				// The citation still links to its source; the key is
				// never logged.
				r.log.WarnContext(ctx, "reading room lookup for citations", "guild", guildID, "err", err)
			} else if rr.On && briefings.ValidRoomKey(rr.Key) {
				room = "/g/" + rr.Key
			}
		})
		if room == "" {
			return ""
		}
		return safeURL(base + room + "/briefings/" + url.PathEscape(b.Slug))
	}
}

// citations numbers cited briefings, linking each to its page in the
// reading room when it has a public one.
func (r *Router) citations(ctx context.Context, guildID string) citations {
	return citations{page: r.pages(ctx, guildID)}
}

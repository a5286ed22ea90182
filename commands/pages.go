package commands

import (
	"net/url"
	"strings"

	"briefbot/briefings"
)

// briefingPage is the reading room's address of a briefing, or "" when
// there is no reading room or the briefing is not on it (only the global
// library is).
func (r *Router) briefingPage(b briefings.BriefingRef) string {
	base := strings.TrimRight(r.opts.PublicURL, "/")
	if base == "" || b.GuildID != "" || b.Slug == "" {
		return ""
	}
	return safeURL(base + "/briefings/" + url.PathEscape(b.Slug))
}

// citations numbers cited briefings, linking each to its page in the
// reading room when there is one.
func (r *Router) citations() citations {
	return citations{page: r.briefingPage}
}

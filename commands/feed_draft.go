package commands

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"briefbot/briefings"
)

// DraftFromFeed drafts a briefing from an article a feed brought, as
// /briefing add url: drafts one (headline, lede, body, publication date,
// candidate facts, actors and events, with the model when one is set),
// files it under the feed's topic and saves it as a draft whose author is
// the feed. A feed with auto_publish publishes it at once. The audit log
// records the feed (briefings.FeedAuthor) and note. item, when given, is
// the feed's item: the store remembers it with the draft, in the same
// transaction, and marks it published with the briefing. It returns the
// saved briefing. Invalid drafts are EINVALID errors.
func (r *Router) DraftFromFeed(ctx context.Context, f briefings.Feed, a *briefings.WebArticle, note string, item *briefings.FeedItem) (*briefings.Briefing, error) {
	if r.opts.Curator == nil {
		return nil, errors.New("drafting from feeds needs the moderators' store")
	}
	in := a.ExtractInput()
	in.Now = r.now()
	d := briefings.DraftArticle(in)
	b := d.Briefing
	b.Status = briefings.StatusDraft
	if b.Title == "" {
		b.Title = briefings.Truncate(strings.Join(strings.Fields(a.Title), " "), briefings.MaxTitle)
	}
	if b.Summary == "" {
		b.Summary = briefings.Truncate(strings.Join(strings.Fields(in.Text), " "), briefings.MaxSummary)
	}
	if b.Published.IsZero() {
		b.Published = briefings.DateFromTime(r.now())
	}
	b.Source = briefings.Source{Name: strings.TrimSpace(a.SiteName), URL: a.URL}
	if b.Source.Name == "" {
		b.Source.Name = strings.TrimSpace(f.Title)
	}
	if u, err := url.Parse(a.URL); b.Source.Name == "" && err == nil && u.Host != "" {
		b.Source.Name = strings.TrimPrefix(u.Hostname(), "www.")
	}
	b.Source.Name = briefings.Truncate(b.Source.Name, briefings.MaxName)
	b.Topics = []string{f.Topic}
	slug := b.Slug
	if slug == "" {
		slug = briefings.ShortSlug(b.Title)
	}
	if verr := briefings.Validate(b); verr != nil {
		return nil, verr.AsError()
	}
	slug, err := r.freeSlug(ctx, f.GuildID, slug)
	if err != nil {
		return nil, err
	}
	b.Slug = slug
	if err := r.candidatesFrom(ctx, f.GuildID, b, in.Text); err != nil {
		return nil, err
	}
	by := briefings.FeedAuthor(f.ID)
	out, err := r.opts.Curator.SaveCurated(ctx, briefings.Write{GuildID: f.GuildID, Briefing: b, By: by, Action: briefings.AuditDraft, Note: note, FeedItem: item})
	if err != nil {
		return nil, fmt.Errorf("save draft of %s: %w", a.URL, err)
	}
	if f.AutoPublish {
		saved, err := r.opts.Curator.BriefingWithStatus(ctx, f.GuildID, out.Slug)
		if err != nil {
			return nil, fmt.Errorf("reload %q: %w", out.Slug, err)
		}
		e, err := r.opts.Curator.EditableBriefing(ctx, saved.ID)
		if err != nil {
			return nil, fmt.Errorf("load %q to publish: %w", out.Slug, err)
		}
		if err := r.currentDeclarations(ctx, e); err != nil {
			return nil, err
		}
		e.Status = briefings.StatusPublished
		var published *briefings.FeedItem
		if item != nil {
			it := *item
			it.State = briefings.FeedItemPublished
			published = &it
		}
		if _, err := r.opts.Curator.SaveCurated(ctx, briefings.Write{GuildID: f.GuildID, Briefing: e, By: by, BaseVersion: out.Version,
			Action: briefings.AuditPublish, Note: "published at once by feed " + f.URL, FeedItem: published}); err != nil {
			// it stays a draft, for a moderator to review
			r.log.WarnContext(ctx, "feed draft not published", "feed", f.ID, "briefing", out.Slug, "err", err)
		}
	}
	saved, err := r.opts.Curator.BriefingWithStatus(ctx, f.GuildID, out.Slug)
	if err != nil {
		return nil, fmt.Errorf("reload %q: %w", out.Slug, err)
	}
	return saved, nil
}

package commands

import (
	"context"
	"fmt"
	"strings"

	"briefbot/briefings"
)

// briefingToCurate finds the briefing a moderator named in a briefing
// option, among those they may change (drafts and retracted ones too): by
// its slug, or by its title ignoring case and accents. A name that is only
// part of a title, or a typo, is refused with the closest titles, as
// names are elsewhere; a title several briefings share is refused with
// their slugs.
func (r *Router) briefingToCurate(ctx context.Context, q *request, name string) (int64, error) {
	libs, err := r.curatedLibraries(ctx, q)
	if err != nil {
		return 0, err
	}
	if name != "" {
		found, err := r.opts.Curator.BriefingWithStatus(ctx, q.guildID, name)
		switch {
		case err == nil:
			// one of the global library, for someone who may not change
			// it, is refused by the edit with the reason
			return found.ID, nil
		case !notFound(err):
			return 0, fmt.Errorf("find briefing %q: %w", name, err)
		}
	}
	var entries []briefings.BriefingEntry
	if name != "" && len(libs) > 0 {
		if entries, err = r.opts.Curator.BriefingsToCurate(ctx, libs, name, maxChoices); err != nil {
			return 0, fmt.Errorf("find briefing %q: %w", name, err)
		}
	}
	var exact []briefings.BriefingEntry
	for _, e := range entries {
		if briefings.Fold(e.Title) == briefings.Fold(name) || e.Slug == strings.ToLower(name) {
			exact = append(exact, e)
		}
	}
	switch {
	case len(exact) == 1:
		return exact[0].ID, nil
	case len(exact) > 1:
		slugs := make([]string, len(exact))
		for i, e := range exact {
			slugs[i] = fmt.Sprintf("`%s` (%s)", e.Slug, e.Status)
		}
		return 0, userError("%s: %d briefings are titled “%s”: %s. Type the slug of the one you mean, or pick it from the list.",
			q.where(optBriefing), len(exact), escape(briefings.Truncate(oneLine(name), 100)), strings.Join(slugs, ", "))
	}
	msg := fmt.Sprintf("%s: there is no briefing titled or with the slug “%s” in %s.", q.where(optBriefing),
		escape(briefings.Truncate(oneLine(name), 100)), libraryName(q.guildID))
	close := make([]string, 0, 3)
	for _, e := range entries {
		if len(close) < 3 {
			close = append(close, e.Title)
		}
	}
	if len(close) == 0 {
		known, err := r.opts.Curator.NamesToCurate(ctx, q.guildID, briefings.NameBriefing)
		if err != nil {
			return 0, fmt.Errorf("briefing names: %w", err)
		}
		close = briefings.Closest(name, known, 3)
	}
	if len(close) > 0 {
		quoted := make([]string, len(close))
		for i, n := range close {
			quoted[i] = "**" + escape(oneLine(n)) + "**"
		}
		msg += " Did you mean " + orList(quoted) + "?"
	}
	return 0, userError("%s Start typing in the option to pick one from the list.", msg)
}

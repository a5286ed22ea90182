package commands

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"briefbot/briefings"

	"github.com/bwmarrin/discordgo"
)

// editFields are the edit form's fields, in the form's order.
var editFields = []string{fieldTitle, fieldSummary, fieldBody, fieldURL, fieldTopics}

// keptConflicts is the key under which a kept edit remembers the fields
// that its moderator and someone else both changed; it is no text input.
const keptConflicts = "_conflicts"

// fieldLabel names an edit form field as the form shows it.
func fieldLabel(id string) string {
	switch id {
	case fieldTitle:
		return "Title"
	case fieldSummary:
		return "Summary"
	case fieldBody:
		return "Article text"
	case fieldURL:
		return "Source URL"
	case fieldTopics:
		return "Topics"
	}
	return id
}

// normalField is a form value as it would be saved, for comparing.
func normalField(id, v string) string {
	if id == fieldTopics {
		return strings.Join(splitTopics(v), ", ")
	}
	return strings.TrimSpace(v)
}

// changedFields lists, in the form's order, the fields whose submitted
// values differ from those of the version the moderator opened: what the
// edit changes. A field the form did not carry is not changed.
func changedFields(opened *briefings.Briefing, values map[string]string) []string {
	was := formOf(opened)
	var out []string
	for _, id := range editFields {
		v, ok := values[id]
		if ok && normalField(id, v) != normalField(id, was[id]) {
			out = append(out, id)
		}
	}
	return out
}

// applyChanged writes the changed fields of values into b and leaves
// every other field as b has it, so that an edit never undoes what it did
// not touch.
func applyChanged(b *briefings.Briefing, values map[string]string, changed []string) {
	for _, id := range changed {
		v := strings.TrimSpace(values[id])
		switch id {
		case fieldTitle:
			b.Title = v
		case fieldSummary:
			b.Summary = v
		case fieldBody:
			b.Body = v
		case fieldURL:
			b.Source.URL = v
			if u, err := url.Parse(v); v == "" {
				b.Source.Name = ""
			} else if err == nil && u.Host != "" {
				b.Source.Name = strings.TrimPrefix(u.Hostname(), "www.")
			}
		case fieldTopics:
			b.Topics = splitTopics(v)
		}
	}
}

// rebaseEdit moves an edit begun on opened onto current: the form's
// values become current's, with the moderator's own changes kept as they
// typed them. conflicts lists the fields that someone else changed too, to
// a different value.
func rebaseEdit(opened, current *briefings.Briefing, values map[string]string) (fields map[string]string, changed, conflicts []string) {
	was, now := formOf(opened), formOf(current)
	changed = changedFields(opened, values)
	fields = map[string]string{}
	for _, id := range editFields {
		if id == fieldBody {
			// the article text stays out of a form that had none, and out
			// of one it no longer fits unless the moderator changed it
			if _, had := values[fieldBody]; !had || (textLen(current.Body) > maxInputValue && !slices.Contains(changed, fieldBody)) {
				continue
			}
		}
		fields[id] = now[id]
	}
	for _, id := range changed {
		fields[id] = values[id]
		if normalField(id, was[id]) != normalField(id, now[id]) && normalField(id, values[id]) != normalField(id, now[id]) {
			conflicts = append(conflicts, id)
		}
	}
	return fields, changed, conflicts
}

// openedVersion is the briefing as the moderator opened it at version;
// current when that is the version, or when it is no longer kept.
func (r *Router) openedVersion(ctx context.Context, current *briefings.Briefing, version int) (*briefings.Briefing, error) {
	if current.Version == version {
		return current, nil
	}
	b, err := r.opts.Curator.BriefingAtVersion(ctx, current.ID, version)
	if notFound(err) {
		return current, nil
	} else if err != nil {
		return nil, fmt.Errorf("briefing %d at version %d: %w", current.ID, version, err)
	}
	return b, nil
}

// keepStaleEdit answers an edit refused because the briefing changed after
// the moderator opened it at version: it keeps their changes over the
// current version, says what changed and which fields both changed, with
// both values, and offers Try again. earlier are conflicts already found.
func (r *Router) keepStaleEdit(ctx context.Context, q *request, id int64, version int, values map[string]string, earlier []string, problem error) (*discordgo.InteractionResponse, error) {
	current, err := r.opts.Curator.EditableBriefing(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("stale edit of %d: %w", id, err)
	}
	opened, err := r.openedVersion(ctx, current, version)
	if err != nil {
		return nil, err
	}
	fields, changed, conflicts := rebaseEdit(opened, current, values)
	for _, c := range earlier {
		if slices.Contains(changed, c) && !slices.Contains(conflicts, c) && normalField(c, fields[c]) != normalField(c, formOf(current)[c]) {
			conflicts = append(conflicts, c)
		}
	}
	if len(conflicts) > 0 {
		fields[keptConflicts] = strings.Join(conflicts, ",")
	}
	kept, err := r.opts.Curator.SaveFormDraft(ctx, briefings.FormDraft{GuildID: q.guildID, UserID: q.userID, Kind: "edit",
		TargetID: id, BaseVersion: current.Version, Fields: fields})
	if err != nil {
		return nil, fmt.Errorf("keep form: %w", err)
	}
	var msg strings.Builder
	msg.WriteString(escape(strings.TrimSuffix(briefings.ErrorMessage(problem), "\nOpen it again to edit the current version.")))
	now := formOf(current)
	for _, c := range conflicts {
		fmt.Fprintf(&msg, "\n**%s was changed by you and by someone else.** Yours: “%s”. Version %d: “%s”. The form keeps yours; check it before you submit.",
			fieldLabel(c), escape(clip(oneLine(fields[c]), 300)), current.Version, escape(clip(oneLine(now[c]), 300)))
	}
	names := make([]string, len(changed))
	for i, c := range changed {
		names[i] = strings.ToLower(fieldLabel(c))
	}
	if len(changed) == 0 {
		msg.WriteString("\n\nYou had changed nothing. Press **Try again** to open the form on the current version.")
	} else {
		fmt.Fprintf(&msg, "\n\nNothing you typed is lost: press **Try again** to reopen the form on version %d with your changes (%s) kept; everything else shows as it is now.",
			current.Version, strings.Join(names, ", "))
	}
	resp := Ephemeral(msg.String())
	resp.Data.Components = []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Label: "Try again", Style: discordgo.PrimaryButton, CustomID: idRetry + ":" + strconv.FormatInt(kept, 10)},
	}}}
	return resp, nil
}

// retryEdit reopens a kept edit of b on its current version: when b
// changed since the edit was kept, the moderator's changes are moved onto
// it, and a field someone else changed meanwhile is refused again with
// both values.
func (r *Router) retryEdit(ctx context.Context, q *request, b *briefings.Briefing, d *briefings.FormDraft) (*discordgo.InteractionResponse, error) {
	fields := map[string]string{}
	for k, v := range d.Fields {
		fields[k] = v
	}
	var conflicts []string
	if c := fields[keptConflicts]; c != "" {
		conflicts = strings.Split(c, ",")
	}
	delete(fields, keptConflicts)
	if b.Version != d.BaseVersion {
		opened, err := r.openedVersion(ctx, b, d.BaseVersion)
		if err != nil {
			return nil, err
		}
		if _, _, more := rebaseEdit(opened, b, fields); len(more) > 0 {
			vs, err := r.opts.Curator.VersionsSince(ctx, b.ID, d.BaseVersion)
			if err != nil {
				return nil, fmt.Errorf("versions of %d: %w", b.ID, err)
			}
			return r.keepStaleEdit(ctx, q, b.ID, d.BaseVersion, fields, conflicts, &briefings.StaleError{Base: d.BaseVersion, Since: vs})
		}
		fields, _, _ = rebaseEdit(opened, b, fields)
	}
	_, withBody := fields[fieldBody]
	resp := briefingForm(target(idForm+":edit", b.ID, b.Version), "Edit: "+b.Title, fields, withBody)
	markConflicts(resp, conflicts)
	return resp, nil
}

// markConflicts labels the form's fields that another moderator changed
// too.
func markConflicts(resp *discordgo.InteractionResponse, conflicts []string) {
	if resp.Data == nil || len(conflicts) == 0 {
		return
	}
	for _, c := range resp.Data.Components {
		row, ok := c.(discordgo.ActionsRow)
		if !ok {
			continue
		}
		for i, it := range row.Components {
			if ti, ok := it.(discordgo.TextInput); ok && slices.Contains(conflicts, ti.CustomID) {
				ti.Label = clip(fieldLabel(ti.CustomID)+" (changed by both; see message)", maxInputLabel)
				row.Components[i] = ti
			}
		}
	}
}

// isStale reports whether err refuses an edit begun on an older version.
func isStale(err error) bool {
	var stale *briefings.StaleError
	return errors.As(err, &stale)
}

package commands

import (
	"context"
	"fmt"
	"strings"

	"briefbot/briefings"

	"github.com/bwmarrin/discordgo"
)

// idDetails is the preview's button that opens the details form:
//
//	bdet:<id>:<version>          open the details form of a draft
//	bf:details:<id>:<version>    the details form
const idDetails = "bdet"

// The details form's text inputs beyond the add form's.
const (
	fieldSourceName = "source_name"
)

// detailsForm is the form of a draft's publication date, source and
// topics, the details the add form may have left to the article.
func detailsForm(b *briefings.Briefing, version int, values map[string]string) *discordgo.InteractionResponse {
	if values == nil {
		values = map[string]string{fieldPublished: b.Published.String(), fieldSourceName: b.Source.Name, fieldURL: b.Source.URL,
			fieldTopics: strings.Join(b.Topics, ", ")}
	}
	input := func(id, label string, required bool, max int, placeholder string) discordgo.MessageComponent {
		return discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.TextInput{
			CustomID: id, Label: label, Style: discordgo.TextInputShort, Required: required, MaxLength: max,
			Placeholder: placeholder, Value: clip(values[id], max),
		}}}
	}
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseModal,
		Data: &discordgo.InteractionResponseData{CustomID: target(idForm+":details", b.ID, version), Title: "Details: " + b.Title,
			Components: []discordgo.MessageComponent{
				input(fieldPublished, "Published: YYYY-MM-DD", true, 25, "2025-08-12"),
				input(fieldSourceName, "Source", false, briefings.MaxName, "Meridian Wire"),
				input(fieldURL, "Source URL", false, briefings.MaxURL, "https://example.com/article"),
				input(fieldTopics, "Topics, separated by commas", true, 500, "Ukraine war, Russia–North Korea"),
			}},
	}
}

// openDetails answers the preview's Details button.
func (r *Router) openDetails(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	id, version, ok := parseTarget(q.arg)
	if !ok {
		return nil, userError("I don't recognise that button. Run /briefing edit instead.")
	}
	b, err := r.editableByID(ctx, q, id)
	if err != nil {
		return nil, err
	}
	if b.Status != briefings.StatusDraft {
		return nil, userError("**%s** is already %s; change it with /briefing edit.", escape(b.Slug), b.Status)
	}
	return detailsForm(b, version, nil), nil
}

// applyDetails saves the details form over the draft b, which must still
// be at version. A new publication date or source changes what the
// article's relative dates and unattributed facts read as, so the
// candidates are drawn again, but only while the draft is as it was
// drafted (version 1, no model): facts and events a moderator has
// already worked on are kept, and the answer says to check their dates.
func (r *Router) applyDetails(ctx context.Context, q *request, b *briefings.Briefing, version int, values map[string]string) (*discordgo.InteractionResponse, error) {
	if b.Status != briefings.StatusDraft {
		return nil, userError("**%s** is already %s; change it with /briefing edit.", escape(b.Slug), b.Status)
	}
	pub, err := briefings.ParseDate(strings.TrimSpace(values[fieldPublished]))
	if err != nil {
		return r.keepForm(ctx, q, "details", b.ID, version, values, briefings.Errorf(briefings.EINVALID, "published: %s", err))
	}
	oldPub, oldSource := b.Published, b.Source.Name
	b.Published = pub
	b.Source = briefings.Source{Name: strings.TrimSpace(values[fieldSourceName]), URL: strings.TrimSpace(values[fieldURL])}
	b.Topics = splitTopics(values[fieldTopics])
	if verr := briefings.Validate(b); verr != nil {
		return r.keepForm(ctx, q, "details", b.ID, version, values, verr.AsError())
	}
	note := ""
	if pub.String() != oldPub.String() || b.Source.Name != oldSource {
		text := b.Body
		if strings.TrimSpace(text) == "" {
			text = b.Summary
		}
		switch {
		case b.Version == 1 && version == 1 && r.opts.Model == nil:
			if err := r.candidatesFrom(ctx, b.GuildID, b, text); err != nil {
				return nil, err
			}
			note = fmt.Sprintf(" Relative dates and unattributed facts now read from %s and %s.", pub.Human(), sourceOrArticle(b.Source.Name))
		default:
			note = " The candidate facts and events were kept as they are, since they may hold your work: check the dates drawn from relative words such as \"on Friday\", or press Re-draft from text to draw them afresh with the new date (it says first what that replaces)."
		}
	}
	out, err := r.opts.Curator.SaveCurated(ctx, briefings.Write{GuildID: b.GuildID, Briefing: b, By: q.userID, BaseVersion: version, Action: briefings.AuditEdit})
	if err != nil {
		if code := briefings.ErrorCode(err); code == briefings.EINVALID || code == briefings.ECONFLICT {
			return r.keepForm(ctx, q, "details", b.ID, version, values, err)
		}
		return nil, fmt.Errorf("save details of %q: %w", b.Slug, err)
	}
	return r.preview(ctx, q, b.Slug, fmt.Sprintf("Draft saved as version %d.%s", out.Version, note))
}

func sourceOrArticle(name string) string {
	if name == "" {
		return "the article as the source"
	}
	return name + " as the source"
}

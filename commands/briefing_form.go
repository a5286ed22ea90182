package commands

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"briefbot/briefings"

	"github.com/bwmarrin/discordgo"
)

// Discord's limits on a modal.
const (
	maxModalTitle  = 45
	maxModalInputs = 5
	maxInputValue  = 4000
	maxInputLabel  = 45
)

// The text inputs of the briefing form.
const (
	fieldTitle   = "title"
	fieldSummary = "summary"
	fieldBody    = "body"
	fieldURL     = "source_url"
	fieldTopics  = "topics"
)

// briefingForm is the add or edit modal, prefilled with values. The article
// text input is left out when the text is too long for a modal, and the
// edit then keeps it.
func briefingForm(customID, title string, values map[string]string, withBody bool) *discordgo.InteractionResponse {
	input := func(id, label string, style discordgo.TextInputStyle, required bool, max int, placeholder string) discordgo.MessageComponent {
		return discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.TextInput{
			CustomID: id, Label: label, Style: style, Required: required, MaxLength: max,
			Placeholder: placeholder, Value: clip(values[id], max),
		}}}
	}
	rows := []discordgo.MessageComponent{
		input(fieldTitle, "Title", discordgo.TextInputShort, true, briefings.MaxTitle, "Putin thanks Kim for North Korea's war help"),
		input(fieldSummary, "Summary", discordgo.TextInputParagraph, true, maxInputValue, "What happened and why it matters, in a few sentences."),
	}
	if withBody {
		rows = append(rows, input(fieldBody, "Article text", discordgo.TextInputParagraph, false, maxInputValue, "The article; facts, actors and dates are drawn from it."))
	}
	rows = append(rows,
		input(fieldURL, "Source URL", discordgo.TextInputShort, false, briefings.MaxURL, "https://example.com/article"),
		input(fieldTopics, "Topics, separated by commas", discordgo.TextInputShort, true, 500, "Ukraine war, Russia–North Korea"))
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseModal,
		Data: &discordgo.InteractionResponseData{CustomID: customID, Title: clip(title, maxModalTitle), Components: rows},
	}
}

// fitModal keeps a modal within Discord's limits: a title of at most 45
// characters, at most five text inputs of at most 4,000 characters with
// labels of at most 45, and no mentions.
func fitModal(resp *discordgo.InteractionResponse) *discordgo.InteractionResponse {
	d := resp.Data
	if d == nil {
		return Ephemeral("That form could not be built. Run the command again.")
	}
	d.AllowedMentions = noMentions()
	d.Title = clip(d.Title, maxModalTitle)
	if d.Title == "" {
		d.Title = "Form"
	}
	if len(d.Components) > maxModalInputs {
		d.Components = d.Components[:maxModalInputs]
	}
	for _, c := range d.Components {
		row, ok := c.(discordgo.ActionsRow)
		if !ok {
			continue
		}
		for i, it := range row.Components {
			if ti, ok := it.(discordgo.TextInput); ok {
				ti.Label = clip(ti.Label, maxInputLabel)
				ti.Value = clip(ti.Value, min(maxInputValue, max(ti.MaxLength, 1)))
				ti.Placeholder = clip(ti.Placeholder, 100)
				row.Components[i] = ti
			}
		}
	}
	return resp
}

// formValues reads the submitted text inputs by ID.
func formValues(data discordgo.ModalSubmitInteractionData) map[string]string {
	out := map[string]string{}
	var walk func(cs []discordgo.MessageComponent)
	walk = func(cs []discordgo.MessageComponent) {
		for _, c := range cs {
			switch v := c.(type) {
			case discordgo.ActionsRow:
				walk(v.Components)
			case *discordgo.ActionsRow:
				walk(v.Components)
			case discordgo.TextInput:
				out[v.CustomID] = v.Value
			case *discordgo.TextInput:
				out[v.CustomID] = v.Value
			}
		}
	}
	walk(data.Components)
	return out
}

// formOf returns the form's values for a briefing.
func formOf(b *briefings.Briefing) map[string]string {
	return map[string]string{fieldTitle: b.Title, fieldSummary: b.Summary, fieldBody: b.Body,
		fieldURL: b.Source.URL, fieldTopics: strings.Join(b.Topics, ", ")}
}

// editForm answers /briefing edit with the form prefilled; its custom ID
// carries the version the edit starts from.
func (r *Router) editForm(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	b, err := r.editable(ctx, q, q.str(optBriefing))
	if err != nil {
		return nil, err
	}
	return r.formFor(b), nil
}

// formFor is the edit form of b at its current version.
func (r *Router) formFor(b *briefings.Briefing) *discordgo.InteractionResponse {
	return briefingForm(target(idForm+":edit", b.ID, b.Version), "Edit: "+b.Title, formOf(b), textLen(b.Body) <= maxInputValue)
}

// editDraftForm answers the preview's Edit button.
func (r *Router) editDraftForm(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	id, _, ok := parseTarget(q.arg)
	if !ok {
		return nil, userError("I don't recognise that button. Run /briefing edit instead.")
	}
	b, err := r.editableByID(ctx, q, id)
	if err != nil {
		return nil, err
	}
	return r.formFor(b), nil
}

// formSubmit answers the add and edit forms.
func (r *Router) formSubmit(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	data, _ := q.i.Data.(discordgo.ModalSubmitInteractionData)
	values := formValues(data)
	switch {
	case q.arg == "add" || q.arg == "url":
		if err := r.mayCurate(ctx, q, q.guildID); err != nil {
			return nil, err
		}
		return r.addSubmit(ctx, q, q.arg, values)
	case strings.HasPrefix(q.arg, "details:"):
		id, version, ok := parseTarget(strings.TrimPrefix(q.arg, "details:"))
		if !ok {
			return nil, userError("I don't recognise that form. Press the draft's button again.")
		}
		b, err := r.editableByID(ctx, q, id)
		if err != nil {
			return nil, err
		}
		return r.applyDetails(ctx, q, b, version, values)
	case strings.HasPrefix(q.arg, "edit:"):
		id, version, ok := parseTarget(strings.TrimPrefix(q.arg, "edit:"))
		if !ok {
			return nil, userError("I don't recognise that form. Run /briefing edit again.")
		}
		b, err := r.editableByID(ctx, q, id)
		if err != nil {
			return nil, err
		}
		return r.applyEdit(ctx, q, b, version, values)
	}
	return nil, userError("I don't recognise that form. Run the command again.")
}

// freeSlug returns slug, or slug-2, slug-3… when the guild already sees a
// briefing with it, so that a new draft never overwrites or hides one.
func (r *Router) freeSlug(ctx context.Context, guildID, slug string) (string, error) {
	for n := 1; n < 100; n++ {
		s := slug
		if n > 1 {
			suffix := "-" + strconv.Itoa(n)
			s = strings.TrimRight(briefings.Truncate(slug, briefings.MaxSlug-len(suffix)+1), "…-") + suffix
		}
		_, err := r.opts.Curator.BriefingWithStatus(ctx, guildID, s)
		if notFound(err) {
			return s, nil
		} else if err != nil {
			return "", fmt.Errorf("check slug %q: %w", s, err)
		}
	}
	return "", userError("Too many briefings share that title. Choose another title.")
}

// candidatesFrom replaces b's facts and events with those extracted from
// text; names of known actors are linked by their canonical name, and
// events already in the library are left alone. It draws from text, the
// article as pasted or fetched, with its headline, byline and dateline.
func (r *Router) candidatesFrom(ctx context.Context, guildID string, b *briefings.Briefing, text string) error {
	names, err := r.opts.Curator.NamesToCurate(ctx, guildID, briefings.NameActor)
	if err != nil {
		return fmt.Errorf("actor names: %w", err)
	}
	// a saved draft's own actors are in the library because it declared
	// them; drawn again, they are proposed again, as the library has them
	// now (with a moderator's description, kind and aliases). A draft not
	// saved yet has none of its own.
	if b.ID == 0 {
		b.Actors, b.Events = nil, nil
	}
	own := map[string]briefings.Actor{}
	for _, a := range b.Actors {
		for _, n := range append([]string{a.Name}, a.Aliases...) {
			own[briefings.Fold(n)] = a
		}
	}
	var known []string
	for _, n := range names {
		if _, mine := own[briefings.Fold(n)]; !mine {
			known = append(known, n)
		}
	}
	x := r.extractCandidates(ctx, briefings.ExtractInput{Text: text, Published: b.Published,
		KnownActors: known, DefaultAttribution: b.Source.Name, Now: r.now()})
	canonical := map[string]string{}
	// actors the article names that the library does not know are proposed
	// in the draft, and its facts may name them
	b.Actors = nil
	proposed := map[string]bool{}
	for _, a := range x.NewActors {
		drawn := a
		for _, n := range append([]string{a.Name}, a.Aliases...) {
			if cur, ok := own[briefings.Fold(n)]; ok {
				a = cur
				break
			}
		}
		if !proposed[briefings.Fold(a.Name)] {
			proposed[briefings.Fold(a.Name)] = true
			b.Actors = append(b.Actors, a)
		}
		for _, n := range append(append([]string{drawn.Name}, drawn.Aliases...), a.Aliases...) {
			canonical[n] = a.Name
		}
		canonical[a.Name] = a.Name
	}
	name := func(n string) (string, error) {
		if c, ok := canonical[n]; ok {
			return c, nil
		}
		a, err := r.opts.Curator.ActorToCurate(ctx, guildID, n)
		if err != nil {
			return "", fmt.Errorf("actor %q: %w", n, err)
		}
		canonical[n] = a.Name
		return a.Name, nil
	}
	// the draft's own events are in the library because it declared them;
	// drawn again, they replace themselves
	ownEvents := map[string]bool{}
	for _, e := range b.Events {
		ownEvents[briefings.Fold(e.Name)] = true
	}
	b.Events = nil
	eventName, err := r.candidateEvents(ctx, guildID, b, x.Events, ownEvents)
	if err != nil {
		return err
	}
	b.Facts = nil
	for _, f := range x.Facts {
		var actors []string
		seen := map[string]bool{}
		for _, a := range f.Actors {
			c, err := name(a)
			if err != nil {
				return err
			}
			if !seen[c] {
				seen[c] = true
				actors = append(actors, c)
			}
		}
		f.Actors = actors
		if n, ok := eventName[f.Event]; ok {
			f.Event = n
		}
		b.Facts = append(b.Facts, f)
	}
	return nil
}

// candidateEvents declares the extracted events in b and returns the name
// each extracted name now goes by ("" for one left out). An event the
// library already has on the same date is the same event: facts name it
// and the draft does not declare it again. One of the same name on
// another date is another event ("Alaska summit" of 2025 is not the one
// "on Friday" of an article of 2026): it is declared with its date in its
// name, and left out when even that name is taken.
func (r *Router) candidateEvents(ctx context.Context, guildID string, b *briefings.Briefing, events []briefings.Event, own map[string]bool) (map[string]string, error) {
	names := map[string]string{}
	declared := map[string]bool{}
	for _, e := range events {
		orig := e.Name
		if !own[briefings.Fold(e.Name)] {
			lib, err := r.opts.Curator.EventToCurate(ctx, guildID, e.Name)
			switch {
			case notFound(err):
			case err != nil:
				return nil, fmt.Errorf("event %q: %w", e.Name, err)
			case lib.Date.String() == e.Date.String():
				names[orig] = lib.Name
				continue
			default:
				e.Name = briefings.Truncate(e.Name+" ("+e.Date.Human()+")", briefings.MaxName)
				if _, err := r.opts.Curator.EventToCurate(ctx, guildID, e.Name); err == nil || !notFound(err) || declared[briefings.Fold(e.Name)] {
					if err != nil && !notFound(err) {
						return nil, fmt.Errorf("event %q: %w", e.Name, err)
					}
					names[orig] = ""
					continue
				}
			}
		}
		if declared[briefings.Fold(e.Name)] {
			names[orig] = e.Name
			continue
		}
		declared[briefings.Fold(e.Name)] = true
		names[orig] = e.Name
		b.Events = append(b.Events, e)
	}
	return names, nil
}

// preview shows a draft privately with Publish, Edit, its details (date,
// source, topics) and Discard.
func (r *Router) preview(ctx context.Context, q *request, slug, note string) (*discordgo.InteractionResponse, error) {
	b, err := r.opts.Curator.BriefingWithStatus(ctx, q.guildID, slug, briefings.StatusDraft)
	if err != nil {
		return nil, fmt.Errorf("load draft %q: %w", slug, err)
	}
	e, marks := briefingEmbed(b, true)
	e.Title = clip("Draft: "+b.Title, maxEmbedTitle)
	e.Footer = &discordgo.MessageEmbedFooter{Text: fmt.Sprintf("Draft %s, version %d · %s, %s and %s found in the text; fix them with /briefing fact and /briefing event",
		b.Slug, b.Version, plural(len(b.Facts), "candidate fact", "candidate facts"),
		plural(len(b.Actors), "actor", "actors"), plural(len(b.Events), "dated event", "dated events"))}
	resp := private(message([]*discordgo.MessageEmbed{e}, withMoreFacts([]discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Label: "Publish", Style: discordgo.SuccessButton, CustomID: target(idPublish, b.ID, b.Version)},
		discordgo.Button{Label: "Edit", Style: discordgo.PrimaryButton, CustomID: target(idEditBtn, b.ID, b.Version)},
		discordgo.Button{Label: "Date, source, topics", Style: discordgo.SecondaryButton, CustomID: target(idDetails, b.ID, b.Version)},
		discordgo.Button{Label: "Re-draft from text", Style: discordgo.SecondaryButton, CustomID: target(idRedraft, b.ID, b.Version)},
		discordgo.Button{Label: "Discard", Style: discordgo.DangerButton, CustomID: target(idDiscard, b.ID, b.Version)},
	}}}, b, factsShown(e, marks))...))
	resp.Data.Content = note
	return resp, nil
}

// applyEdit saves the edit form over b, which must still be at version:
// only the fields the moderator changed from the version they opened are
// written, so that an edit never undoes what it did not touch.
func (r *Router) applyEdit(ctx context.Context, q *request, b *briefings.Briefing, version int, values map[string]string) (*discordgo.InteractionResponse, error) {
	opened, err := r.openedVersion(ctx, b, version)
	if err != nil {
		return nil, err
	}
	oldText := b.Summary + "\x00" + b.Body
	applyChanged(b, values, changedFields(opened, values))
	// An edit changes what was edited: the facts, events, attributions and
	// actors a moderator curated stay, even when the text changed.
	note := "Draft saved as version %d."
	if b.Summary+"\x00"+b.Body != oldText {
		note += " The facts, actors and events stay as they were; fix them with /briefing fact and /briefing event."
	}
	if verr := briefings.Validate(b); verr != nil {
		return r.keepForm(ctx, q, "edit", b.ID, version, values, verr.AsError())
	}
	out, err := r.opts.Curator.SaveCurated(ctx, briefings.Write{GuildID: b.GuildID, Briefing: b, By: q.userID, BaseVersion: version, Action: briefings.AuditEdit})
	if err != nil {
		if isStale(err) {
			// A stale edit keeps the moderator's changes, to be applied
			// over the current version only if they choose to.
			return r.keepStaleEdit(ctx, q, b.ID, version, values, nil, err)
		}
		if code := briefings.ErrorCode(err); code == briefings.EINVALID || code == briefings.ECONFLICT {
			return r.keepForm(ctx, q, "edit", b.ID, version, values, err)
		}
		return nil, fmt.Errorf("save edit of %q: %w", b.Slug, err)
	}
	if b.Status == briefings.StatusDraft {
		return r.preview(ctx, q, b.Slug, fmt.Sprintf(note, out.Version))
	}
	saved, err := r.opts.Curator.BriefingWithStatus(ctx, b.GuildID, b.Slug)
	if err != nil {
		return nil, fmt.Errorf("reload %q: %w", b.Slug, err)
	}
	msg := fmt.Sprintf("Saved **%s** as version %d.", escape(b.Slug), out.Version)
	if out.Action == "unchanged" {
		msg = fmt.Sprintf("Nothing changed in **%s**; it stays at version %d.", escape(b.Slug), out.Version)
	}
	return done(msg, saved), nil
}

// keepForm keeps what the moderator typed and answers with the problems
// and a button that reopens the form with their text.
func (r *Router) keepForm(ctx context.Context, q *request, kind string, targetID int64, base int, values map[string]string, problem error) (*discordgo.InteractionResponse, error) {
	id, err := r.opts.Curator.SaveFormDraft(ctx, briefings.FormDraft{GuildID: q.guildID, UserID: q.userID, Kind: kind,
		TargetID: targetID, BaseVersion: base, Fields: values})
	if err != nil {
		return nil, fmt.Errorf("keep form: %w", err)
	}
	intro := "I could not save that. Nothing you typed is lost: press **Try again** to reopen the form with your text."
	if briefings.ErrorCode(problem) == briefings.EINVALID {
		intro = "Some fields need fixing. Nothing you typed is lost: press **Try again** to reopen the form with your text.\n"
	}
	resp := Ephemeral(intro + "\n" + escape(problemText(q, problem)))
	resp.Data.Components = []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Label: "Try again", Style: discordgo.PrimaryButton, CustomID: idRetry + ":" + strconv.FormatInt(id, 10)},
	}}}
	return resp, nil
}

// retryForm reopens a kept form with what was typed, for the same person in
// the same guild, after checking their permissions again.
func (r *Router) retryForm(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	id, err := strconv.ParseInt(q.arg, 10, 64)
	if err != nil || id <= 0 {
		return nil, userError("I don't recognise that button. Run the command again.")
	}
	d, err := r.opts.Curator.FormDraft(ctx, id)
	if notFound(err) {
		return nil, userError("That form has expired. Run the command again.")
	} else if err != nil {
		return nil, fmt.Errorf("kept form %d: %w", id, err)
	}
	if d.UserID != q.userID || d.GuildID != q.guildID {
		return nil, userError("That form is someone else's. Run the command yourself.")
	}
	if d.Kind == "add" || d.Kind == "url" {
		if err := r.mayCurate(ctx, q, q.guildID); err != nil {
			return nil, err
		}
		return addForm(d.Kind, d.Fields), nil
	}
	b, err := r.editableByID(ctx, q, d.TargetID)
	if err != nil {
		return nil, err
	}
	if d.Kind == "details" {
		return detailsForm(b, d.BaseVersion, d.Fields), nil
	}
	return r.retryEdit(ctx, q, b, d)
}

// publishDraft answers the preview's Publish button.
func (r *Router) publishDraft(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	id, version, ok := parseTarget(q.arg)
	if !ok {
		return nil, userError("I don't recognise that button. Run /briefing add again.")
	}
	b, err := r.editableByID(ctx, q, id)
	if err != nil {
		return nil, err
	}
	if b.Status != briefings.StatusDraft {
		return nil, userError("**%s** is already %s.", escape(b.Slug), b.Status)
	}
	b.Status = briefings.StatusPublished
	out, err := r.opts.Curator.SaveCurated(ctx, briefings.Write{GuildID: b.GuildID, Briefing: b, By: q.userID, BaseVersion: version, Action: briefings.AuditPublish})
	if err != nil {
		return nil, inDiscordTerms(q, b, err)
	}
	saved, err := r.opts.Curator.BriefingWithStatus(ctx, b.GuildID, b.Slug)
	if err != nil {
		return nil, fmt.Errorf("reload %q: %w", b.Slug, err)
	}
	resp := done(fmt.Sprintf("Published **%s** (version %d). Everyone here can now read it with /brief.", escape(b.Slug), out.Version), saved)
	resp.Type, resp.Data.Flags = discordgo.InteractionResponseUpdateMessage, 0
	return resp, nil
}

// discardDraft answers the preview's Discard button.
func (r *Router) discardDraft(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	id, version, ok := parseTarget(q.arg)
	if !ok {
		return nil, userError("I don't recognise that button.")
	}
	b, err := r.editableByID(ctx, q, id)
	if err != nil {
		return nil, err
	}
	if err := r.opts.Curator.DiscardDraft(ctx, b.GuildID, id, version, q.userID); err != nil {
		return nil, err
	}
	resp := Ephemeral(fmt.Sprintf("Discarded the draft **%s**. Nobody saw it.", escape(b.Slug)))
	resp.Type, resp.Data.Flags = discordgo.InteractionResponseUpdateMessage, 0
	return resp, nil
}

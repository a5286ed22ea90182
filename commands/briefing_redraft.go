package commands

import (
	"context"
	"fmt"
	"strings"

	"briefbot/briefings"

	"github.com/bwmarrin/discordgo"
)

// Re-drafting reads a draft's text again and replaces its candidates (the
// facts with their attributions, the events and the proposed actors) with
// what the fresh reading finds. It is its own action, never a side effect
// of an edit, and it always asks first, saying what it would replace and
// what the moderator would lose:
//
//	/briefing redraft briefing:<slug>   the question, privately
//	bredraft:<id>:<version>             the draft preview's button: the question in place of the preview
//	bredraftok:<id>:<version>           Re-draft: replace, if the draft is still at version
//	bredraftno:<id>:<version>           Cancel: the draft preview again, unchanged
//
// Only drafts are re-drafted. A published briefing is what members read;
// replacing its facts with unchecked candidates would publish them, so the
// answer says how to fix it instead (/briefing fact, or a new draft with
// /briefing add).
const (
	idRedraft       = "bredraft"
	idRedraftOK     = "bredraftok"
	idRedraftCancel = "bredraftno"
)

// The list of what a re-draft would lose: at most maxLossesListed items in
// maxLossesText characters, so that the question fits a message.
const (
	maxLossesListed = 8
	maxLossesText   = 1200
)

// registerRedraft adds /briefing redraft's buttons.
func (r *Router) registerRedraft() {
	r.components[idRedraft] = r.redraftButton
	r.components[idRedraftOK] = r.redraftConfirm
	r.components[idRedraftCancel] = r.redraftCancel
}

// redraft answers /briefing redraft: what re-drafting would replace, with
// Re-draft and Cancel.
func (r *Router) redraft(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	b, err := r.editable(ctx, q, q.str(optBriefing))
	if err != nil {
		return nil, err
	}
	return r.redraftQuestion(ctx, b)
}

// redraftButton answers the draft preview's Re-draft from text button: the
// same question, in place of the preview.
func (r *Router) redraftButton(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	b, err := r.redraftTarget(ctx, q)
	if err != nil {
		return nil, err
	}
	resp, err := r.redraftQuestion(ctx, b)
	if err != nil {
		return nil, err
	}
	resp.Type, resp.Data.Flags = discordgo.InteractionResponseUpdateMessage, 0
	return resp, nil
}

// redraftTarget loads the draft a button names, checking the sender again:
// the custom ID grants nothing.
func (r *Router) redraftTarget(ctx context.Context, q *request) (*briefings.Briefing, error) {
	id, version, ok := parseTarget(q.arg)
	if !ok {
		return nil, userError("I don't recognise that button. Run /briefing redraft instead.")
	}
	b, err := r.editableByID(ctx, q, id)
	if err != nil {
		return nil, err
	}
	if err := redraftable(b); err != nil {
		return nil, err
	}
	if b.Version != version {
		return nil, userError("**%s** changed after this message was shown (it was version %d, it is now version %d), so I did nothing. Run /briefing redraft briefing:%s to see what re-drafting would replace now.",
			escape(b.Slug), version, b.Version, b.Slug)
	}
	return b, nil
}

// redraftable refuses what is not a draft, saying what to do instead.
func redraftable(b *briefings.Briefing) error {
	switch b.Status {
	case briefings.StatusDraft:
		return nil
	case briefings.StatusPublished:
		return userError("**%s** is published, and members read its facts as they are: re-drafting would publish unchecked candidates in their place, so only drafts are re-drafted. Fix a fact with /briefing fact edit briefing:%s, or start a new draft from the article with /briefing add.",
			escape(b.Slug), b.Slug)
	}
	return userError("**%s** is %s; only drafts are re-drafted. Start a new draft from the article with /briefing add.", escape(b.Slug), b.Status)
}

// redraftQuestion asks whether to re-draft b, saying what it would replace
// and what would be lost.
func (r *Router) redraftQuestion(ctx context.Context, b *briefings.Briefing) (*discordgo.InteractionResponse, error) {
	if err := redraftable(b); err != nil {
		return nil, err
	}
	fresh, err := r.redrafted(ctx, b)
	if err != nil {
		return nil, err
	}
	c := compareCandidates(b, fresh)
	var msg []string
	msg = append(msg, fmt.Sprintf("**Re-draft “%s” from its text?**", escape(oneLine(b.Title))),
		fmt.Sprintf("This replaces %s with %s drawn afresh from the draft's text. It keeps the title, summary and text, the published date (%s), the source (%s) and the topics (%s).",
			candidateCounts(b), candidateCounts(fresh), b.Published.Human(), escape(sourceOrNone(b.Source.Name)), escape(strings.Join(b.Topics, ", "))))
	if c.same {
		msg = append(msg, "A fresh reading gives the draft as it is: there is nothing to re-draft.")
		resp := Ephemeral(strings.Join(msg, "\n"))
		resp.Data.Components = []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: "Back to the draft", Style: discordgo.SecondaryButton, CustomID: target(idRedraftCancel, b.ID, b.Version)},
		}}}
		return resp, nil
	}
	if len(c.losses) == 0 {
		msg = append(msg, "Nothing you changed by hand would be lost: every fact, attribution, event and actor of the draft is found again.")
	} else {
		l := lines{budget: maxLossesText}
		for i, loss := range c.losses {
			if i == maxLossesListed {
				l.dropped += len(c.losses) - i
				break
			}
			l.add("• " + loss)
		}
		msg = append(msg, fmt.Sprintf("You would lose %s that the fresh reading does not find again:", plural(len(c.losses), "thing", "things")), l.String())
	}
	msg = append(msg, fmt.Sprintf("Nothing changes until you press **Re-draft**; /briefing history briefing:%s keeps every version.", b.Slug))
	resp := Ephemeral(strings.Join(msg, "\n"))
	resp.Data.Components = []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Label: "Re-draft", Style: discordgo.DangerButton, CustomID: target(idRedraftOK, b.ID, b.Version)},
		discordgo.Button{Label: "Cancel", Style: discordgo.SecondaryButton, CustomID: target(idRedraftCancel, b.ID, b.Version)},
	}}}
	return resp, nil
}

// redraftConfirm answers Re-draft: the draft's candidates are replaced in
// one save, which fails whole when the draft changed since the question.
func (r *Router) redraftConfirm(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	b, err := r.redraftTarget(ctx, q)
	if err != nil {
		return nil, err
	}
	fresh, err := r.redrafted(ctx, b)
	if err != nil {
		return nil, err
	}
	out, err := r.opts.Curator.SaveCurated(ctx, briefings.Write{GuildID: b.GuildID, Briefing: fresh, By: q.userID,
		BaseVersion: b.Version, Action: briefings.AuditEdit, Note: "re-drafted from its text"})
	if err != nil {
		return nil, inDiscordTerms(q, b, err)
	}
	note := fmt.Sprintf("Re-drafted from its text as version %d: %s replaced %s.", out.Version, candidateCounts(fresh), candidateCounts(b))
	if out.Action == "unchanged" {
		note = fmt.Sprintf("A fresh reading gave the draft as it was; it stays at version %d.", out.Version)
	}
	resp, err := r.preview(ctx, q, b.Slug, note)
	if err != nil {
		return nil, err
	}
	resp.Type, resp.Data.Flags = discordgo.InteractionResponseUpdateMessage, 0
	return resp, nil
}

// redraftCancel answers Cancel: the draft's preview again, unchanged.
func (r *Router) redraftCancel(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	id, _, ok := parseTarget(q.arg)
	if !ok {
		return nil, userError("I don't recognise that button. Run /briefing drafts to find your draft.")
	}
	b, err := r.editableByID(ctx, q, id)
	if err != nil {
		return nil, err
	}
	if b.Status != briefings.StatusDraft {
		return nil, userError("**%s** is %s now; nothing was re-drafted.", escape(b.Slug), b.Status)
	}
	resp, err := r.preview(ctx, q, b.Slug, "Nothing was re-drafted. Here is your draft as it is.")
	if err != nil {
		return nil, err
	}
	resp.Type, resp.Data.Flags = discordgo.InteractionResponseUpdateMessage, 0
	return resp, nil
}

// redrafted returns a copy of b whose facts, events and proposed actors
// are drawn afresh from its text, read with its published date and source;
// everything else is b's.
func (r *Router) redrafted(ctx context.Context, b *briefings.Briefing) (*briefings.Briefing, error) {
	text := strings.TrimSpace(b.Body)
	if text == "" {
		text = strings.TrimSpace(b.Summary)
	}
	if text == "" {
		return nil, userError("**%s** has no text to draft from. Paste the article into its Article text with /briefing edit briefing:%s first.", escape(b.Slug), b.Slug)
	}
	fresh := cloneBriefing(b)
	// the title leads, as the headline led the article, so that the first
	// paragraph is read as text and not taken for a headline
	if err := r.candidatesFrom(ctx, b.GuildID, fresh, b.Title+"\n\n"+text); err != nil {
		return nil, err
	}
	return fresh, nil
}

// cloneBriefing copies b deeply enough to change its candidates.
func cloneBriefing(b *briefings.Briefing) *briefings.Briefing {
	c := *b
	c.Topics = append([]string(nil), b.Topics...)
	c.Corrections = append([]briefings.Correction(nil), b.Corrections...)
	c.Actors = make([]briefings.Actor, len(b.Actors))
	for i, a := range b.Actors {
		a.Aliases = append([]string(nil), a.Aliases...)
		c.Actors[i] = a
	}
	c.Events = make([]briefings.Event, len(b.Events))
	for i, e := range b.Events {
		e.Participants = append([]string(nil), e.Participants...)
		c.Events[i] = e
	}
	c.Facts = make([]briefings.Fact, len(b.Facts))
	for i, f := range b.Facts {
		f.Actors = append([]string(nil), f.Actors...)
		c.Facts[i] = f
	}
	return &c
}

// candidateCounts says how many candidates b holds: "5 facts, 3 events and
// 12 actors".
func candidateCounts(b *briefings.Briefing) string {
	return fmt.Sprintf("%s, %s and %s", plural(len(b.Facts), "fact", "facts"), plural(len(b.Events), "event", "events"),
		plural(len(b.Actors), "actor", "actors"))
}

func sourceOrNone(name string) string {
	if name == "" {
		return "none"
	}
	return name
}

// comparison is what a re-draft changes: what the moderator would lose,
// and whether the fresh candidates equal the old ones.
type comparison struct {
	losses []string
	same   bool
}

// compareCandidates lists what old holds that fresh does not: facts whose
// text it does not find again, attributions it gives otherwise, events it
// does not find on the same date, actors it does not propose.
func compareCandidates(old, fresh *briefings.Briefing) comparison {
	var c comparison
	freshFacts := map[string]briefings.Fact{}
	for _, f := range fresh.Facts {
		freshFacts[briefings.Fold(f.Text)] = f
	}
	for i, f := range old.Facts {
		nf, ok := freshFacts[briefings.Fold(f.Text)]
		switch {
		case !ok:
			c.losses = append(c.losses, fmt.Sprintf("fact %d, which the text does not give as it stands: “%s” — %s", i+1,
				escape(briefings.Truncate(oneLine(f.Text), 120)), escape(f.Attribution)))
		case nf.Attribution != f.Attribution:
			c.losses = append(c.losses, fmt.Sprintf("fact %d's attribution: %s (the fresh reading says %s)", i+1,
				escape(f.Attribution), escape(nf.Attribution)))
		}
	}
	freshEvents := map[string]string{}
	for _, e := range fresh.Events {
		freshEvents[briefings.Fold(e.Name)] = e.Date.String()
	}
	for _, e := range old.Events {
		if d, ok := freshEvents[briefings.Fold(e.Name)]; !ok || d != e.Date.String() {
			c.losses = append(c.losses, fmt.Sprintf("the event **%s** (%s)", escape(e.Name), e.Date.Human()))
		}
	}
	freshActors := map[string]bool{}
	for _, a := range fresh.Actors {
		freshActors[briefings.Fold(a.Name)] = true
	}
	for _, a := range old.Actors {
		if !freshActors[briefings.Fold(a.Name)] {
			c.losses = append(c.losses, fmt.Sprintf("the actor **%s**", escape(a.Name)))
		}
	}
	c.same = len(c.losses) == 0 && len(old.Facts) == len(fresh.Facts) && len(old.Events) == len(fresh.Events) &&
		len(old.Actors) == len(fresh.Actors)
	return c
}

// completeBriefingFor offers briefings for /briefing's briefing option:
// drafts only for /briefing redraft, every briefing the sender may change
// otherwise.
func (r *Router) completeBriefingFor(ctx context.Context, q *request, text string) ([]*discordgo.ApplicationCommandOptionChoice, error) {
	if q.sub != "redraft" {
		return r.completeBriefing(ctx, q, text)
	}
	libs, err := r.curatedLibraries(ctx, q)
	if err != nil || len(libs) == 0 {
		return nil, err
	}
	found, err := r.opts.Curator.BriefingsToCurate(ctx, libs, text, 4*maxChoices)
	if err != nil {
		return nil, err
	}
	var out []*discordgo.ApplicationCommandOptionChoice
	for _, b := range found {
		if b.Status != briefings.StatusDraft || len(out) == maxChoices {
			continue
		}
		label := " · draft"
		if b.GuildID == "" && q.guildID != "" {
			label += ", global library"
		}
		out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: clip(oneLine(b.Title), maxChoiceText-textLen(label)) + label, Value: b.Slug})
	}
	return out, nil
}

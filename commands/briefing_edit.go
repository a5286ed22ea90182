package commands

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"briefbot/briefings"
	"briefbot/briefings/fileformat"

	"github.com/bwmarrin/discordgo"
)

// intOpt returns the integer value of the named option, 0 when absent.
func (q *request) intOpt(name string) int {
	o := q.opts[name]
	if o == nil {
		return 0
	}
	switch v := o.Value.(type) {
	case float64:
		return int(v)
	case int64:
		return int(v)
	case int:
		return v
	}
	return 0
}

// given reports whether the named option was filled in.
func (q *request) given(name string) bool { return q.opts[name] != nil }

// save writes b as one moderator action and reloads it for display.
func (r *Router) save(ctx context.Context, q *request, b *briefings.Briefing, action briefings.AuditAction, note, msg string) (*discordgo.InteractionResponse, error) {
	var out briefings.SaveOutcome
	err := r.retryBusy(ctx, q, note, func() (err error) {
		out, err = r.opts.Curator.SaveCurated(ctx, briefings.Write{GuildID: b.GuildID, Briefing: b, By: q.userID,
			BaseVersion: b.Version, Action: action, Note: note})
		return err
	})
	if err != nil {
		return nil, inDiscordTerms(q, b, err)
	}
	saved, err := r.opts.Curator.BriefingWithStatus(ctx, b.GuildID, b.Slug)
	if err != nil {
		return nil, fmt.Errorf("reload %q: %w", b.Slug, err)
	}
	return done(fmt.Sprintf("%s **%s** is now at version %d.", msg, escape(b.Slug), out.Version), saved), nil
}

// parseDateOption reads a date option; "-" clears it.
func parseDateOption(q *request, name string) (briefings.Date, error) {
	s := strings.TrimSpace(q.str(name))
	if s == "-" || s == "" {
		return briefings.Date{}, nil
	}
	d, err := briefings.ParseDate(s)
	if err != nil {
		return d, userError("%s: “%s” is not a date. Type YYYY, YYYY-MM or YYYY-MM-DD, such as 2025, 2025-08 or 2025-08-15.",
			q.where(name), escape(briefings.Truncate(oneLine(s), 40)))
	}
	return d, nil
}

// splitList splits a comma-separated option; "-" means an empty list.
func splitList(s string) []string {
	if strings.TrimSpace(s) == "-" {
		return nil
	}
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// factAt checks the fact number against b.
func factAt(b *briefings.Briefing, n int) error {
	if n < 1 || n > len(b.Facts) {
		return userError("**%s** has %s; pick a number from 1 to %d.", escape(b.Slug), plural(len(b.Facts), "fact", "facts"), len(b.Facts))
	}
	return nil
}

// factAdd answers /briefing fact add.
func (r *Router) factAdd(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	b, err := r.editable(ctx, q, q.str(optBriefing))
	if err != nil {
		return nil, err
	}
	f := briefings.Fact{Text: strings.TrimSpace(q.str(optText)), Attribution: strings.TrimSpace(q.str(optAttribution)),
		Actors: splitList(q.str(optActors)), Event: strings.TrimSpace(q.str(optEvent))}
	if f.AsOf, err = parseDateOption(q, optAsOf); err != nil {
		return nil, err
	}
	b.Facts = append(b.Facts, f)
	return r.save(ctx, q, b, briefings.AuditFactAdd, "", fmt.Sprintf("Added fact %d.", len(b.Facts)))
}

// factEdit answers /briefing fact edit.
func (r *Router) factEdit(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	b, err := r.editable(ctx, q, q.str(optBriefing))
	if err != nil {
		return nil, err
	}
	n := q.intOpt(optNumber)
	if err := factAt(b, n); err != nil {
		return nil, err
	}
	f := &b.Facts[n-1]
	if q.given(optText) {
		f.Text = strings.TrimSpace(q.str(optText))
	}
	if q.given(optAttribution) {
		f.Attribution = strings.TrimSpace(q.str(optAttribution))
	}
	if q.given(optAsOf) {
		if f.AsOf, err = parseDateOption(q, optAsOf); err != nil {
			return nil, err
		}
	}
	return r.save(ctx, q, b, briefings.AuditFactEdit, "", fmt.Sprintf("Changed fact %d.", n))
}

// factRemove answers /briefing fact remove.
func (r *Router) factRemove(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	b, err := r.editable(ctx, q, q.str(optBriefing))
	if err != nil {
		return nil, err
	}
	n := q.intOpt(optNumber)
	if err := factAt(b, n); err != nil {
		return nil, err
	}
	b.Facts = append(b.Facts[:n-1], b.Facts[n:]...)
	return r.save(ctx, q, b, briefings.AuditFactRemove, "", fmt.Sprintf("Removed fact %d.", n))
}

// actorEdit answers /briefing actor edit: kind, aliases, description.
func (r *Router) actorEdit(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	a, err := r.curatedActor(ctx, q, optName)
	if err != nil {
		return nil, err
	}
	if q.given(optKind) {
		a.Kind = briefings.ActorKind(q.str(optKind))
	}
	if q.given(optAliases) {
		a.Aliases = splitList(q.str(optAliases))
	}
	if q.given(optDescription) {
		a.Description = strings.TrimSpace(q.str(optDescription))
	}
	if err := checkActorOptions(q, *a); err != nil {
		return nil, err
	}
	if err := r.opts.Curator.UpdateActor(ctx, a.GuildID, *a, q.userID); err != nil {
		return nil, r.nameError(q, err, a.Name)
	}
	aliases := "none"
	if len(a.Aliases) > 0 {
		aliases = escape(strings.Join(a.Aliases, ", "))
	}
	return Ephemeral(fmt.Sprintf("Saved **%s** (%s). Aliases: %s.\n%s", escape(a.Name), actorKind(a.Kind), aliases, escape(a.Description))), nil
}

// eventEdit answers /briefing event edit: dates, location, participants,
// description.
func (r *Router) eventEdit(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	e, err := r.curatedEvent(ctx, q, optName)
	if err != nil {
		return nil, err
	}
	if q.given(optDate) {
		if e.Date, err = parseDateOption(q, optDate); err != nil {
			return nil, err
		}
	}
	if q.given(optEnd) {
		if e.End, err = parseDateOption(q, optEnd); err != nil {
			return nil, err
		}
	}
	if q.given(optLocation) {
		e.Location = strings.TrimSpace(q.str(optLocation))
	}
	if q.given(optDescription) {
		e.Description = strings.TrimSpace(q.str(optDescription))
	}
	if q.given(optParticipants) {
		if e.Participants, err = r.participants(ctx, q); err != nil {
			return nil, err
		}
	}
	if err := r.opts.Curator.UpdateEvent(ctx, e.GuildID, *e, q.userID); err != nil {
		return nil, optionError(q, "", err)
	}
	dates := e.Date.Human()
	if !e.End.IsZero() {
		dates += " to " + e.End.Human()
	}
	who := ""
	if len(e.Participants) > 0 {
		who = " Taking part: " + escape(strings.Join(e.Participants, ", ")) + "."
	}
	return Ephemeral(fmt.Sprintf("Saved **%s**: %s.%s", escape(e.Name), dates, who)), nil
}

// correct answers /briefing correct: a correction dated today.
func (r *Router) correct(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	b, err := r.editable(ctx, q, q.str(optBriefing))
	if err != nil {
		return nil, err
	}
	if b.Status != briefings.StatusPublished {
		return nil, userError("**%s** is %s; only published briefings take corrections. Edit a draft instead.", escape(b.Slug), b.Status)
	}
	text := strings.TrimSpace(q.str(optText))
	b.Corrections = append(b.Corrections, briefings.Correction{Date: briefings.DateFromTime(r.now()), Text: text})
	return r.save(ctx, q, b, briefings.AuditCorrect, text, "Added the correction; it shows with the briefing and in the next digest.")
}

// retract answers /briefing retract: hidden from answers, kept in the
// history, announced in the next digest.
func (r *Router) retract(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	b, err := r.editable(ctx, q, q.str(optBriefing))
	if err != nil {
		return nil, err
	}
	if b.Status != briefings.StatusPublished {
		return nil, userError("**%s** is %s, not published, so there is nothing to retract.", escape(b.Slug), b.Status)
	}
	reason := strings.TrimSpace(q.str(optReason))
	b.Status, b.RetractionReason = briefings.StatusRetracted, reason
	resp, err := r.save(ctx, q, b, briefings.AuditRetract, reason, "Retracted: it no longer appears in answers, and the next digest says so.")
	if err == nil {
		resp.Data.Embeds = nil
	}
	return resp, err
}

// history answers /briefing history: each version, who saved it, when, and
// what changed.
func (r *Router) history(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	b, err := r.editable(ctx, q, q.str(optBriefing))
	if err != nil {
		return nil, err
	}
	vs, err := r.opts.Curator.BriefingHistory(ctx, b.GuildID, b.Slug)
	if err != nil {
		return nil, fmt.Errorf("history of %q: %w", b.Slug, err)
	}
	l := lines{budget: maxEmbedDesc}
	for i, v := range vs {
		line := fmt.Sprintf("**v%d** · %s · %s · %s", v.Version, discordTime(briefings.Date{T: v.At, P: briefings.PrecisionTime}, 'f'),
			who(v.By), escape(oneLine(v.Changes)))
		if i+1 < len(vs) {
			for _, c := range scalarChanges(vs[i+1].Snapshot, v.Snapshot) {
				line += "\n　" + c
			}
		}
		l.add(line)
	}
	return private(message([]*discordgo.MessageEmbed{{
		Title:       "History of " + b.Title,
		Description: l.String(),
		Color:       colorHelp,
		Footer:      &discordgo.MessageEmbedFooter{Text: fmt.Sprintf("%s · %s · %s", b.Slug, b.Status, plural(len(vs), "version", "versions"))},
	}})), nil
}

// scalarChanges shows, for the title, summary, publication date and source
// that changed between two versions, what they were and what they became.
func scalarChanges(old, cur *briefings.Briefing) []string {
	if old == nil || cur == nil {
		return nil
	}
	source := func(s briefings.Source) string {
		return strings.TrimSpace(strings.TrimSpace(s.Name) + " " + s.URL)
	}
	fields := []struct{ name, a, b string }{
		{"title", old.Title, cur.Title},
		{"summary", old.Summary, cur.Summary},
		{"published", old.Published.Human(), cur.Published.Human()},
		{"source", source(old.Source), source(cur.Source)},
	}
	var out []string
	for _, f := range fields {
		if f.a == f.b {
			continue
		}
		shown := func(s string) string {
			if s == "" {
				return "(none)"
			}
			return "“" + escape(clip(oneLine(s), 120)) + "”"
		}
		out = append(out, fmt.Sprintf("%s: %s → %s", f.name, shown(f.a), shown(f.b)))
	}
	return out
}

// who shows a user ID as a mention (which pings nobody: mentions are off)
// and anything else, such as "import", as text.
func who(by string) string {
	if by == "" {
		return "unknown"
	}
	for _, c := range by {
		if c < '0' || c > '9' {
			return escape(by)
		}
	}
	return "<@" + by + ">"
}

// importFile answers /briefing import: the attachment is decoded and saved
// all or nothing, with every problem listed.
func (r *Router) importFile(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	if err := r.mayCurate(ctx, q, q.guildID); err != nil {
		return nil, err
	}
	if r.opts.Attachments == nil {
		return nil, userError("Importing files is not available here. Ask the operator to import it with `briefbot import`.")
	}
	a := q.attachment(optFile)
	if a == nil {
		return nil, userError("Attach a .yaml or .json file in the briefing format.")
	}
	data, err := r.opts.Attachments.Fetch(ctx, a, maxImportBytes)
	if err != nil {
		if briefings.ErrorCode(err) != briefings.EINTERNAL {
			return nil, err
		}
		return nil, fmt.Errorf("fetch attachment %q: %w", a.Filename, err)
	}
	bs, err := fileformat.Decode(bytes.NewReader(data), a.Filename)
	if err != nil {
		return nil, userError("Nothing was imported: %s has problems.\n%s", escape(a.Filename), escape(briefings.ErrorMessage(err)))
	}
	out, err := r.opts.Curator.ImportBriefings(ctx, q.guildID, bs, q.userID)
	var batch *briefings.BatchError
	if errors.As(err, &batch) {
		return nil, userError("Nothing was imported: the library refused some briefings.\n%s", escape(batch.Error()))
	} else if err != nil {
		return nil, err
	}
	counts := map[string]int{}
	for _, o := range out {
		counts[o.Action]++
	}
	return Ephemeral(fmt.Sprintf("Imported %s from %s: %d created, %d updated, %d unchanged.",
		plural(len(out), "briefing", "briefings"), escape(a.Filename), counts["created"], counts["updated"], counts["unchanged"])), nil
}

// attachment returns the attachment the named option refers to, from the
// interaction's resolved data; a transport without resolved data (the
// console) passes the file's name as the value.
func (q *request) attachment(name string) *discordgo.MessageAttachment {
	o := q.opts[name]
	if o == nil {
		return nil
	}
	id, _ := o.Value.(string)
	if id == "" {
		return nil
	}
	if data, ok := q.i.Data.(discordgo.ApplicationCommandInteractionData); ok && data.Resolved != nil {
		if a := data.Resolved.Attachments[id]; a != nil {
			return a
		}
	}
	return &discordgo.MessageAttachment{ID: id, Filename: id}
}

// export answers /briefing export: this library's published briefings, on
// the topic when one is given, as a file in the briefing format.
func (r *Router) export(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	if err := r.mayCurate(ctx, q, q.guildID); err != nil {
		return nil, err
	}
	query := briefings.BriefingQuery{GuildID: q.guildID}
	name := "briefings"
	if t := strings.TrimSpace(q.str(optTopic)); t != "" {
		topic, err := r.lib.Topic(ctx, q.guildID, t)
		if notFound(err) {
			return r.didYouMean(ctx, q, briefings.NameTopic, t)
		} else if err != nil {
			return nil, fmt.Errorf("topic %q: %w", t, err)
		}
		query.Topic, name = topic.Slug, "briefings-"+topic.Slug
	}
	all, _, err := r.lib.Briefings(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	var own []*briefings.Briefing
	for _, b := range all {
		if b.GuildID == q.guildID {
			own = append(own, b)
		}
	}
	if len(own) == 0 {
		return nil, userError("This library has no published briefings to export yet.")
	}
	var buf bytes.Buffer
	if err := fileformat.Encode(&buf, own); err != nil {
		return nil, fmt.Errorf("export: encode: %w", err)
	}
	resp := Ephemeral(fmt.Sprintf("This library's export: %s in the briefing format. Edit the file and bring it back with /briefing import.",
		plural(len(own), "published briefing", "published briefings")))
	resp.Data.Files = []*discordgo.File{{Name: name + ".yaml", ContentType: "application/yaml", Reader: bytes.NewReader(buf.Bytes())}}
	return resp, nil
}

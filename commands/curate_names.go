package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"briefbot/briefings"

	"github.com/bwmarrin/discordgo"
)

// /briefing actor and /briefing event are groups, like /briefing fact:
// add, edit, rename, merge and delete. A group keeps /briefing under
// Discord's 25 subcommands with room to spare, reads as the sentence the
// moderator means ("/briefing actor merge"), and gives each action only
// the options it takes, which one subcommand with an action choice could
// not.

// Option names of the library's actors and events.
const (
	optNewName      = "new_name"
	optKeepOld      = "keep_old_name"
	optInto         = "into"
	optParticipants = "participants"
)

// libraryGroups returns the /briefing actor and /briefing event groups.
func libraryGroups() []*discordgo.ApplicationCommandOption {
	one := 1
	text := func(name, desc string, required bool, maxLen int) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: name,
			Description: desc, Required: required, MinLength: &one, MaxLength: maxLen}
	}
	pick := func(name, desc string) *discordgo.ApplicationCommandOption {
		o := text(name, desc, true, briefings.MaxName)
		o.Autocomplete = true
		return o
	}
	sub := func(name, desc string, opts ...*discordgo.ApplicationCommandOption) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionSubCommand, Name: name, Description: desc, Options: opts}
	}
	kind := func(required bool) *discordgo.ApplicationCommandOption {
		o := text(optKind, "Person, country, organization, group or place", required, 20)
		for _, k := range briefings.ActorKinds {
			o.Choices = append(o.Choices, &discordgo.ApplicationCommandOptionChoice{Name: string(k), Value: string(k)})
		}
		return o
	}
	listIn := func() *discordgo.ApplicationCommandOption {
		o := text(optBriefing, "Also list it in this briefing: its title or slug", false, briefings.MaxTitle)
		o.Autocomplete = true
		return o
	}
	const dateHelp = "YYYY, YYYY-MM or YYYY-MM-DD"
	return []*discordgo.ApplicationCommandOption{
		{Type: discordgo.ApplicationCommandOptionSubCommandGroup, Name: "actor", Description: "Add, edit, rename, merge or delete an actor",
			Options: []*discordgo.ApplicationCommandOption{
				sub("add", "Add an actor to this server's library", text(optName, "The actor's name as briefings show it", true, briefings.MaxName),
					kind(true), text(optAliases, "Other names, separated by commas", false, 2000),
					text(optDescription, "Who or what the actor is", false, briefings.MaxDescription), listIn()),
				sub("edit", "Edit an actor: kind, aliases, description", pick(optName, "The actor's name or alias"), kind(false),
					text(optAliases, "Every alias, separated by commas (replaces them); - for none", false, 2000),
					text(optDescription, "Who or what the actor is", false, briefings.MaxDescription)),
				sub("rename", "Rename an actor; every briefing keeps it", pick(optName, "The actor's name or alias"),
					text(optNewName, "The new name", true, briefings.MaxName),
					&discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionBoolean, Name: optKeepOld,
						Description: "Keep the old name as an alias (yes unless you say no)"}),
				sub("merge", "Merge an actor into another: its mentions, facts and names move there",
					pick(optName, "The actor that goes"), pick(optInto, "The actor that stays")),
				sub("delete", "Delete an actor no published briefing mentions; drafts lose it", pick(optName, "The actor's name or alias")),
			}},
		{Type: discordgo.ApplicationCommandOptionSubCommandGroup, Name: "event", Description: "Add, edit, rename, merge or delete an event",
			Options: []*discordgo.ApplicationCommandOption{
				sub("add", "Add an event to this server's library", text(optName, "The event's name", true, briefings.MaxName),
					text(optDate, "When it starts: "+dateHelp, true, 25), text(optEnd, "When it ends: "+dateHelp, false, 25),
					text(optLocation, "Where it takes place", false, briefings.MaxLocation),
					text(optParticipants, "Actors taking part, separated by commas", false, 2000),
					text(optDescription, "What the event is", false, briefings.MaxDescription), listIn()),
				sub("edit", "Edit an event: dates, location, participants, description", pick(optName, "The event's name"),
					text(optDate, "When it starts: "+dateHelp, false, 25), text(optEnd, "When it ends; - to clear", false, 25),
					text(optLocation, "Where it takes place", false, briefings.MaxLocation),
					text(optParticipants, "Every actor taking part, separated by commas (replaces them); - for none", false, 2000),
					text(optDescription, "What the event is", false, briefings.MaxDescription)),
				sub("rename", "Rename an event; every briefing keeps it", pick(optName, "The event's name"),
					text(optNewName, "The new name", true, briefings.MaxName)),
				sub("merge", "Merge an event into another: its mentions, facts and participants move there",
					pick(optName, "The event that goes"), pick(optInto, "The event that stays")),
				sub("delete", "Delete an event no published briefing mentions; drafts lose it", pick(optName, "The event's name")),
			}},
	}
}

// libraryHandlers are the handlers of the groups, by subcommand path.
func (r *Router) libraryHandlers() map[string]handler {
	return map[string]handler{
		"actor add": r.actorAdd, "actor edit": r.actorEdit, "actor rename": r.actorRename,
		"actor merge": r.actorMerge, "actor delete": r.actorDelete,
		"event add": r.eventAdd, "event edit": r.eventEdit, "event rename": r.eventRename,
		"event merge": r.eventMerge, "event delete": r.eventDelete,
	}
}

// where names the command and option a message is about, as the moderator
// typed them: "/briefing actor add aliases".
func (q *request) where(opt string) string {
	s := "/" + q.command + " " + q.sub
	if opt != "" {
		s += " " + opt
	}
	return s
}

// optionError puts the message of a refused value (EINVALID, ECONFLICT)
// after the command and option it came from; other errors pass unchanged.
func optionError(q *request, opt string, err error) error {
	if code := briefings.ErrorCode(err); code != briefings.EINVALID && code != briefings.ECONFLICT {
		return err
	}
	return userError("%s: %s", q.where(opt), briefings.ErrorMessage(err))
}

// actorAdd answers /briefing actor add.
func (r *Router) actorAdd(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	if err := r.mayCurate(ctx, q, q.guildID); err != nil {
		return nil, err
	}
	a := briefings.Actor{Name: strings.TrimSpace(q.str(optName)), Kind: briefings.ActorKind(q.str(optKind)),
		Aliases: splitList(q.str(optAliases)), Description: strings.TrimSpace(q.str(optDescription))}
	if err := checkActorOptions(q, a); err != nil {
		return nil, err
	}
	b, err := r.listedIn(ctx, q)
	if err != nil {
		return nil, err
	}
	added, err := r.opts.Curator.AddActor(ctx, q.guildID, a, q.userID)
	if err != nil {
		return nil, r.nameError(q, err, a.Name)
	}
	msg := fmt.Sprintf("Added **%s** (%s) to %s.%s", escape(added.Name), strings.ToLower(actorKind(added.Kind)), libraryName(q.guildID), aliasNote(added.Aliases))
	if b != nil {
		b.Actors = append(b.Actors, *added)
		return r.saveListed(ctx, q, b, msg, added.Name)
	}
	return Ephemeral(msg + " Facts can name it now: /briefing fact add actors:" + escape(added.Name) +
		". Members will see it once a published briefing names it."), nil
}

// listedIn loads the briefing the add commands' briefing option names,
// checking that the sender may change it before anything is added.
func (r *Router) listedIn(ctx context.Context, q *request) (*briefings.Briefing, error) {
	if !q.given(optBriefing) {
		return nil, nil
	}
	b, err := r.editable(ctx, q, q.str(optBriefing))
	if err != nil {
		return nil, err
	}
	if b.GuildID != q.guildID {
		mine := "this server's briefings"
		if q.guildID == "" {
			mine = "the global library's briefings"
		}
		return nil, userError("%s: **%s** is in another library than the one this adds to. Pick one of %s, or leave the option out.",
			q.where(optBriefing), escape(b.Slug), mine)
	}
	return b, nil
}

// saveListed saves b, which now lists the actor or event just added, as a
// new version. The library keeps what was added when the briefing is
// refused, and the moderator reads both.
func (r *Router) saveListed(ctx context.Context, q *request, b *briefings.Briefing, msg, name string) (*discordgo.InteractionResponse, error) {
	resp, err := r.save(ctx, q, b, briefings.AuditEdit, "listed "+name, msg+" It is listed in the briefing too:")
	if err != nil && briefings.ErrorCode(err) != briefings.EINTERNAL {
		return nil, userError("%s But I could not list it in **%s**: %s", msg, escape(b.Slug), briefings.ErrorMessage(err))
	}
	return resp, err
}

// checkActorOptions checks the typed name, kind, aliases and description,
// each against its own option.
func checkActorOptions(q *request, a briefings.Actor) error {
	if err := briefings.CheckName(a.Name); err != nil {
		return optionError(q, optName, err)
	}
	for opt, part := range map[string]briefings.Actor{optKind: {Kind: a.Kind}, optAliases: {Aliases: a.Aliases},
		optDescription: {Description: a.Description}} {
		if err := briefings.CheckActorFields(part); err != nil {
			return optionError(q, opt, err)
		}
	}
	return nil
}

// aliasNote says which aliases an actor has.
func aliasNote(aliases []string) string {
	if len(aliases) == 0 {
		return ""
	}
	return " Aliases: " + escape(strings.Join(aliases, ", ")) + "."
}

// libraryName names the library a moderator writes to.
func libraryName(guildID string) string {
	if guildID == "" {
		return "the global library"
	}
	return "this server's library"
}

// eventAdd answers /briefing event add.
func (r *Router) eventAdd(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	if err := r.mayCurate(ctx, q, q.guildID); err != nil {
		return nil, err
	}
	e := briefings.Event{Name: strings.TrimSpace(q.str(optName)), Location: strings.TrimSpace(q.str(optLocation)),
		Description: strings.TrimSpace(q.str(optDescription))}
	if err := briefings.CheckName(e.Name); err != nil {
		return nil, optionError(q, optName, err)
	}
	var err error
	if e.Date, err = parseDateOption(q, optDate); err != nil {
		return nil, err
	}
	if e.Date.IsZero() {
		return nil, userError("%s: type when it starts as YYYY, YYYY-MM or YYYY-MM-DD, such as 2025, 2025-08 or 2025-08-15.", q.where(optDate))
	}
	if q.given(optEnd) {
		if e.End, err = parseDateOption(q, optEnd); err != nil {
			return nil, err
		}
	}
	if !e.End.IsZero() && e.End.T.Before(e.Date.T) {
		return nil, userError("%s: %s is before the date, %s. Type an end on or after the start, or leave it out.", q.where(optEnd), e.End.Human(), e.Date.Human())
	}
	if e.Participants, err = r.participants(ctx, q); err != nil {
		return nil, err
	}
	if err := briefings.CheckEventFields(briefings.Event{Date: e.Date, Location: e.Location}); err != nil {
		return nil, optionError(q, optLocation, err)
	}
	if err := briefings.CheckEventFields(briefings.Event{Date: e.Date, Description: e.Description}); err != nil {
		return nil, optionError(q, optDescription, err)
	}
	b, err := r.listedIn(ctx, q)
	if err != nil {
		return nil, err
	}
	added, err := r.opts.Curator.AddEvent(ctx, q.guildID, e, q.userID)
	if err != nil {
		return nil, r.nameError(q, err, e.Name)
	}
	msg := fmt.Sprintf("Added **%s** (%s) to %s.", escape(added.Name), eventDates(added), libraryName(q.guildID))
	if b != nil {
		b.Events = append(b.Events, *added)
		return r.saveListed(ctx, q, b, msg, added.Name)
	}
	return Ephemeral(msg + " Facts can name it now: /briefing fact add event:" + escape(added.Name) +
		". Members will see it once a published briefing's fact names it."), nil
}

// participants reads the participants option: actors of the library, by
// name or alias, given by their names; "-" for none.
func (r *Router) participants(ctx context.Context, q *request) ([]string, error) {
	var out []string
	for _, p := range splitList(q.str(optParticipants)) {
		a, err := r.opts.Curator.ActorToCurate(ctx, q.guildID, p)
		if notFound(err) {
			return nil, userError("%s: “%s” is not an actor in %s. Add it first with /briefing actor add name:%s, or leave it out.",
				q.where(optParticipants), escape(p), libraryName(q.guildID), escape(p))
		} else if err != nil {
			return nil, fmt.Errorf("participant %q: %w", p, err)
		}
		out = append(out, a.Name)
	}
	return out, nil
}

// eventDates says when an event takes place.
func eventDates(e *briefings.Event) string {
	s := e.Date.Human()
	if !e.End.IsZero() {
		s += " to " + e.End.Human()
	}
	return s
}

// actorRename answers /briefing actor rename.
func (r *Router) actorRename(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	a, err := r.curatedActor(ctx, q, optName)
	if err != nil {
		return nil, err
	}
	name := strings.TrimSpace(q.str(optNewName))
	if err := briefings.CheckName(name); err != nil {
		return nil, optionError(q, optNewName, err)
	}
	keep := true
	if o := q.opts[optKeepOld]; o != nil {
		keep, _ = o.Value.(bool)
	}
	renamed, err := r.opts.Curator.RenameActor(ctx, a.GuildID, a.ID, name, keep, q.userID)
	if err != nil {
		return nil, r.nameError(q, err, name)
	}
	note := fmt.Sprintf(" “%s” is no longer a name of it.", escape(a.Name))
	if keep || briefings.Fold(a.Name) == briefings.Fold(name) {
		note = fmt.Sprintf(" “%s” still finds it.", escape(a.Name))
	}
	return Ephemeral(fmt.Sprintf("Renamed **%s** to **%s**; every briefing that mentions it shows the new name.%s%s",
		escape(a.Name), escape(renamed.Name), note, aliasNote(renamed.Aliases))), nil
}

// eventRename answers /briefing event rename.
func (r *Router) eventRename(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	e, err := r.curatedEvent(ctx, q, optName)
	if err != nil {
		return nil, err
	}
	name := strings.TrimSpace(q.str(optNewName))
	if err := briefings.CheckName(name); err != nil {
		return nil, optionError(q, optNewName, err)
	}
	renamed, err := r.opts.Curator.RenameEvent(ctx, e.GuildID, e.ID, name, q.userID)
	if err != nil {
		return nil, r.nameError(q, err, name)
	}
	return Ephemeral(fmt.Sprintf("Renamed **%s** to **%s**; every briefing that mentions it shows the new name.",
		escape(e.Name), escape(renamed.Name))), nil
}

// actorMerge answers /briefing actor merge.
func (r *Router) actorMerge(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	from, err := r.curatedActor(ctx, q, optName)
	if err != nil {
		return nil, err
	}
	into, err := r.curatedActor(ctx, q, optInto)
	if err != nil {
		return nil, err
	}
	if from.ID == into.ID {
		return nil, userError("%s: “%s” and “%s” are the same actor, **%s**. Pick the other one of the two to merge from the list.",
			q.where(optInto), escape(q.str(optName)), escape(q.str(optInto)), escape(into.Name))
	}
	if from.GuildID != into.GuildID {
		return nil, userError("%s: **%s** is in another library than **%s**; only actors of one library can be merged.",
			q.where(optInto), escape(into.Name), escape(from.Name))
	}
	out, err := r.opts.Curator.MergeActors(ctx, from.GuildID, from.ID, into.ID, q.userID)
	if err != nil {
		return nil, optionError(q, optInto, err)
	}
	return Ephemeral(fmt.Sprintf("Merged **%s** into **%s**: %s and %s now name **%s** instead, and “%s” is one of its aliases.",
		escape(from.Name), escape(into.Name), plural(out.Briefings, "briefing", "briefings"), plural(out.Facts, "fact", "facts"),
		escape(into.Name), escape(from.Name))), nil
}

// eventMerge answers /briefing event merge.
func (r *Router) eventMerge(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	from, err := r.curatedEvent(ctx, q, optName)
	if err != nil {
		return nil, err
	}
	into, err := r.curatedEvent(ctx, q, optInto)
	if err != nil {
		return nil, err
	}
	if from.ID == into.ID {
		return nil, userError("%s: that is **%s** again. Pick the event to keep from the list.", q.where(optInto), escape(into.Name))
	}
	if from.GuildID != into.GuildID {
		return nil, userError("%s: **%s** is in another library than **%s**; only events of one library can be merged.",
			q.where(optInto), escape(into.Name), escape(from.Name))
	}
	out, err := r.opts.Curator.MergeEvents(ctx, from.GuildID, from.ID, into.ID, q.userID)
	if err != nil {
		return nil, optionError(q, optInto, err)
	}
	return Ephemeral(fmt.Sprintf("Merged **%s** into **%s**: %s and %s now name **%s** instead.",
		escape(from.Name), escape(into.Name), plural(out.Briefings, "briefing", "briefings"), plural(out.Facts, "fact", "facts"),
		escape(into.Name))), nil
}

// actorDelete answers /briefing actor delete.
func (r *Router) actorDelete(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	a, err := r.curatedActor(ctx, q, optName)
	if err != nil {
		return nil, err
	}
	out, err := r.opts.Curator.DeleteActor(ctx, a.GuildID, a.ID, q.userID)
	if err != nil {
		return nil, inUse(q, err, "/briefing actor merge")
	}
	return Ephemeral(fmt.Sprintf("Deleted **%s** from %s.%s", escape(a.Name), libraryName(a.GuildID), draftsNote(out.Drafts))), nil
}

// eventDelete answers /briefing event delete.
func (r *Router) eventDelete(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	e, err := r.curatedEvent(ctx, q, optName)
	if err != nil {
		return nil, err
	}
	out, err := r.opts.Curator.DeleteEvent(ctx, e.GuildID, e.ID, q.userID)
	if err != nil {
		return nil, inUse(q, err, "/briefing event merge")
	}
	return Ephemeral(fmt.Sprintf("Deleted **%s** from %s.%s", escape(e.Name), libraryName(e.GuildID), draftsNote(out.Drafts))), nil
}

// draftsNote names the drafts a delete changed.
func draftsNote(drafts []briefings.BriefingEntry) string {
	if len(drafts) == 0 {
		return ""
	}
	names := make([]string, 0, len(drafts))
	for _, d := range drafts {
		names = append(names, "**"+escape(oneLine(d.Title))+"** (`"+d.Slug+"`)")
	}
	return fmt.Sprintf(" It is gone from %s too: %s.", plural(len(drafts), "draft", "drafts"), strings.Join(names, ", "))
}

// inUse words a refused delete: which briefings mention it, and what to do
// instead.
func inUse(q *request, err error, merge string) error {
	var used *briefings.InUseError
	if !errors.As(err, &used) {
		return err
	}
	l := lines{budget: 1500}
	which := "published briefing"
	for _, b := range used.Briefings {
		if b.Status != briefings.StatusPublished {
			which = "published or retracted briefing"
		}
	}
	l.add(fmt.Sprintf("%s: I did not delete **%s**: it is in %s:", q.where(""), escape(used.Name),
		plural(len(used.Briefings), which, which+"s")))
	for _, b := range used.Briefings {
		l.add(fmt.Sprintf("• **%s** (`%s`, %s)", escape(oneLine(b.Title)), b.Slug, b.Status))
	}
	l.add(fmt.Sprintf("To fold it into another %s, use %s; to fix its name, /briefing %s rename.", used.Kind, merge, used.Kind))
	return userError("%s", l.String())
}

// nameError words a refused new name: the name the library has, and what
// to do instead.
func (r *Router) nameError(q *request, err error, name string) error {
	var taken *briefings.NameTakenError
	if !errors.As(err, &taken) {
		return optionError(q, optName, err)
	}
	opt := optName
	switch {
	case q.given(optNewName):
		opt = optNewName
	case briefings.Fold(taken.Name) != briefings.Fold(name):
		opt = optAliases
	}
	where := fmt.Sprintf("**%s**", escape(taken.Of))
	if taken.Existing != taken.Of {
		where = fmt.Sprintf("“%s”, a name of **%s**", escape(taken.Existing), escape(taken.Of))
	}
	if taken.Global {
		where += " in the global library"
	}
	if taken.LooksAlike {
		return userError("%s: “%s” looks like %s, but is written with different characters (letters of another alphabet, for example). Use **%s** as it is, or write the name in the same letters.",
			q.where(opt), escape(taken.Name), where, escape(taken.Of))
	}
	var hint string
	switch {
	case taken.Global:
		hint = "Briefings here can name it as it is; give yours another name."
	case strings.HasSuffix(q.sub, " add"):
		hint = fmt.Sprintf("Facts can name it as it is; to give it another name, use /briefing %s rename or edit.", taken.Kind)
	default:
		hint = fmt.Sprintf("If they are one and the same, merge them with /briefing %s merge.", taken.Kind)
	}
	return userError("%s: “%s” is already %s. %s", q.where(opt), escape(taken.Name), where, hint)
}

// curatedActor finds the actor the option names, among those the sender
// may change.
func (r *Router) curatedActor(ctx context.Context, q *request, opt string) (*briefings.Actor, error) {
	if err := r.mayCurate(ctx, q, q.guildID); err != nil {
		return nil, err
	}
	name := strings.TrimSpace(q.str(opt))
	a, err := r.opts.Curator.ActorToCurate(ctx, q.guildID, name)
	if notFound(err) {
		return nil, r.unknownName(ctx, q, briefings.NameActor, opt, name)
	} else if err != nil {
		return nil, fmt.Errorf("actor %q: %w", name, err)
	}
	if err := r.mayChange(ctx, q, opt, a.GuildID, a.Name); err != nil {
		return nil, err
	}
	return a, nil
}

// curatedEvent finds the event the option names, among those the sender
// may change.
func (r *Router) curatedEvent(ctx context.Context, q *request, opt string) (*briefings.Event, error) {
	if err := r.mayCurate(ctx, q, q.guildID); err != nil {
		return nil, err
	}
	name := strings.TrimSpace(q.str(opt))
	e, err := r.opts.Curator.EventToCurate(ctx, q.guildID, name)
	if notFound(err) {
		return nil, r.unknownName(ctx, q, briefings.NameEvent, opt, name)
	} else if err != nil {
		return nil, fmt.Errorf("event %q: %w", name, err)
	}
	if err := r.mayChange(ctx, q, opt, e.GuildID, e.Name); err != nil {
		return nil, err
	}
	return e, nil
}

// mayChange checks that the sender may change an actor or event of the
// library, saying which option named one of the global library.
func (r *Router) mayChange(ctx context.Context, q *request, opt, libraryGuild, name string) error {
	err := r.mayCurate(ctx, q, libraryGuild)
	if briefings.ErrorCode(err) == briefings.EFORBIDDEN && libraryGuild == "" && q.guildID != "" {
		return briefings.Errorf(briefings.EFORBIDDEN, "%s: **%s** is in the global library, which only the bot's operators can change. Pick one of this server's own from the list.",
			q.where(opt), escape(name))
	}
	return err
}

// unknownName refuses a name the sender's libraries do not have, with the
// closest ones they do.
func (r *Router) unknownName(ctx context.Context, q *request, kind briefings.NameKind, opt, name string) error {
	noun := kindNoun[kind]
	msg := fmt.Sprintf("%s: there is no %s called “%s” in %s.", q.where(opt), noun, escape(briefings.Truncate(oneLine(name), 100)), libraryName(q.guildID))
	known, err := r.opts.Curator.NamesToCurate(ctx, q.guildID, kind)
	if err != nil {
		return fmt.Errorf("%s names: %w", noun, err)
	}
	if close := briefings.Closest(name, known, 3); len(close) > 0 {
		quoted := make([]string, len(close))
		for i, n := range close {
			quoted[i] = "**" + escape(n) + "**"
		}
		msg += " Did you mean " + orList(quoted) + "?"
	}
	return userError("%s Start typing in the %s option and pick one from the list, or add it with /briefing %s add.", msg, opt, noun)
}

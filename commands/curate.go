package commands

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"briefbot/briefings"

	"github.com/bwmarrin/discordgo"
)

// Attachments fetches the files attached to interactions. Handlers never do
// network I/O, so the transport that received the interaction implements
// it: the Discord runtimes download the attachment's URL with a size limit,
// the console reads a local file.
type Attachments interface {
	// Fetch returns the attachment's bytes, at most maxBytes of them; a
	// larger file is an EINVALID error.
	Fetch(ctx context.Context, a *discordgo.MessageAttachment, maxBytes int64) ([]byte, error)
}

// The moderators' commands and their custom-ID kinds.
const (
	cmdBriefing = "briefing"
	cmdSettings = "settings"

	// Custom IDs of moderation carry what to act on and the version it was
	// shown at, never who may act: every press and submit is checked again.
	//
	//	bf:add                     the new-briefing form
	//	bf:edit:<id>:<version>     the edit form of briefing <id>
	//	bpub:<id>:<version>        publish a draft
	//	bedit:<id>:<version>       open the edit form of a draft
	//	bdis:<id>:<version>        discard a draft
	//	bretry:<form id>           reopen a kept form with what was typed
	//	bdet:<id>:<version>        open the details form of a draft
	idForm    = "bf"
	idPublish = "bpub"
	idEditBtn = "bedit"
	idDiscard = "bdis"
	idRetry   = "bretry"
)

// maxImportBytes bounds an imported file.
const maxImportBytes = 1 << 20

// registerCuration adds the moderators' commands when a Curator is
// configured.
func (r *Router) registerCuration() {
	if r.opts.Curator == nil {
		return
	}
	r.handlers[cmdBriefing] = r.briefing
	r.handlers[cmdSettings] = r.settings
	r.modals[idForm] = r.formSubmit
	r.components[idPublish] = r.publishDraft
	r.components[idEditBtn] = r.editDraftForm
	r.components[idDiscard] = r.discardDraft
	r.components[idRetry] = r.retryForm
	r.components[idDetails] = r.openDetails
	r.registerRedraft()
	r.completers[cmdBriefing+" "+optBriefing] = r.completeBriefingFor
	r.completers[cmdBriefing+" "+optName] = r.completeActorOrEvent
	r.completers[cmdBriefing+" "+optInto] = r.completeActorOrEvent
	r.completers[cmdBriefing+" "+optNumber] = r.completeFactNumber
	r.completers[cmdBriefing+" "+optTopic] = r.completeTopics
	r.completers[cmdSettings+" "+optTimeZone] = completeZones
	r.extra = append(r.extra, curationCatalog(r.opts.Articles != nil, r.opts.Rooms != nil)...)
}

// Option names of the moderators' commands.
const (
	optBriefing    = "briefing"
	optText        = "text"
	optReason      = "reason"
	optFile        = "file"
	optNumber      = "number"
	optAttribution = "attribution"
	optActors      = "actors"
	optEvent       = "event"
	optAsOf        = "as_of"
	optKind        = "kind"
	optAliases     = "aliases"
	optDescription = "description"
	optDate        = "date"
	optEnd         = "end"
	optLocation    = "location"
	optRole        = "moderator_role"
	optClearRole   = "clear_moderator_role"
	optTimeZone    = "timezone"
	optRoom        = "reading_room"
	optNewRoomLink = "new_reading_room_link"
)

// curationCatalog returns /briefing (Manage Messages by default) and
// /settings (Manage Server by default); /briefing add takes a link when
// the bot fetches articles, and /settings turns the server's reading room
// on and off when there are reading rooms.
func curationCatalog(fetches, rooms bool) []*discordgo.ApplicationCommand {
	manageMessages := int64(discordgo.PermissionManageMessages)
	manageGuild := int64(discordgo.PermissionManageGuild)
	one := 1
	text := func(name, desc string, required bool, maxLen int) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: name,
			Description: desc, Required: required, MinLength: &one, MaxLength: maxLen}
	}
	briefingOpt := func() *discordgo.ApplicationCommandOption {
		o := text(optBriefing, "The briefing: its title or slug; start typing to pick it", true, briefings.MaxTitle)
		o.Autocomplete = true
		return o
	}
	number := func() *discordgo.ApplicationCommandOption {
		min := 1.0
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionInteger, Name: optNumber,
			Description: "The fact's number, as the briefing lists it", Required: true, MinValue: &min, MaxValue: briefings.MaxFacts,
			Autocomplete: true}
	}
	sub := func(name, desc string, opts ...*discordgo.ApplicationCommandOption) *discordgo.ApplicationCommandOption {
		if opts == nil {
			opts = []*discordgo.ApplicationCommandOption{}
		}
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionSubCommand, Name: name, Description: desc, Options: opts}
	}
	var addOpts []*discordgo.ApplicationCommandOption
	if fetches {
		addOpts = append(addOpts, text(optURL, "A link to the article to draft from (or leave it out and paste the text)", false, briefings.MaxURL),
			text(optTopics, "Topics, separated by commas; without them a form asks", false, 500),
			text(optPublished, "Publication date, YYYY-MM-DD, if the page does not give it", false, 25))
	}
	zoneOpt := text(optTimeZone, "Default time zone for digests, e.g. Europe/Paris", false, briefings.MaxZoneInput)
	zoneOpt.Autocomplete = true
	contexts := &[]discordgo.InteractionContextType{discordgo.InteractionContextGuild, discordgo.InteractionContextBotDM}
	guildOnly := &[]discordgo.InteractionContextType{discordgo.InteractionContextGuild}
	installs := &[]discordgo.ApplicationIntegrationType{discordgo.ApplicationIntegrationGuildInstall}
	cmds := []*discordgo.ApplicationCommand{
		{
			Type: discordgo.ChatApplicationCommand, Name: cmdBriefing, Description: "Curate the briefings (moderators)",
			DefaultMemberPermissions: &manageMessages, Contexts: contexts, IntegrationTypes: installs,
			Options: append([]*discordgo.ApplicationCommandOption{
				sub("add", "Draft a briefing from an article or a link; you see it before anyone else does", addOpts...),
				sub("edit", "Edit a briefing's title, summary, text, source and topics", briefingOpt()),
				{Type: discordgo.ApplicationCommandOptionSubCommandGroup, Name: "fact", Description: "Add, change or remove a key fact",
					Options: []*discordgo.ApplicationCommandOption{
						sub("add", "Add a key fact with who says so", briefingOpt(),
							text(optText, "The fact", true, briefings.MaxFactText),
							text(optAttribution, "Who says so, e.g. South Korean intelligence", true, briefings.MaxAttribution),
							text(optActors, "Actors it concerns, separated by commas", false, 500),
							text(optEvent, "The event it concerns", false, briefings.MaxName),
							text(optAsOf, "The date it was true as of: YYYY, YYYY-MM or YYYY-MM-DD", false, 25)),
						sub("edit", "Change a key fact", briefingOpt(), number(),
							text(optText, "The new text", false, briefings.MaxFactText),
							text(optAttribution, "Who says so", false, briefings.MaxAttribution),
							text(optAsOf, "The date it was true as of; - to clear", false, 25)),
						sub("remove", "Remove a key fact", briefingOpt(), number()),
					}},
				sub("correct", "Add a dated correction, shown with the briefing and in the next digest", briefingOpt(),
					text(optText, "What was wrong and what is right", true, briefings.MaxCorrection)),
				sub("retract", "Withdraw a briefing from answers; the next digest says so", briefingOpt(),
					text(optReason, "Why it is withdrawn", true, briefings.MaxReason)),
				sub("history", "Every version of a briefing: who, when, what changed", briefingOpt()),
				sub("drafts", "This server's drafts, newest first, with who started each"),
				sub("redraft", "Draw a draft's facts, events and actors afresh from its text; asks first, saying what it replaces", briefingOpt()),
				sub("import", "Add or update briefings from a file in the briefing format, all or nothing",
					&discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionAttachment, Name: optFile,
						Description: "A .yaml or .json file in the briefing format", Required: true}),
				sub("export", "Download this library's published briefings as a file",
					&discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: optTopic,
						Description: "Only briefings on this topic", MinLength: &one, MaxLength: maxNameInput, Autocomplete: true}),
			}, libraryGroups()...),
		},
		{
			Type: discordgo.ChatApplicationCommand, Name: cmdSettings, Description: "Server settings for briefbot (admins)",
			DefaultMemberPermissions: &manageGuild, Contexts: guildOnly, IntegrationTypes: installs,
			Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionRole, Name: optRole, Description: "Members with this role may curate briefings"},
				{Type: discordgo.ApplicationCommandOptionBoolean, Name: optClearRole, Description: "Remove the moderator role"},
				zoneOpt,
			},
		},
	}
	if rooms {
		settings := cmds[len(cmds)-1]
		settings.Options = append(settings.Options,
			&discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionBoolean, Name: optRoom,
				Description: "Show this server's library on the web, at a secret link (off by default)"},
			&discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionBoolean, Name: optNewRoomLink,
				Description: "Give the reading room a new link; the old one stops working"})
	}
	return cmds
}

// moderator describes who sent the interaction for the moderation rules.
func (r *Router) moderator(q *request) briefings.Member {
	m := briefings.Member{UserID: q.userID, GuildID: q.guildID, Owner: briefings.IsOwner(q.userID, r.opts.OwnerIDs)}
	if q.i != nil && q.i.Member != nil {
		m.Permissions, m.Roles = q.i.Member.Permissions, q.i.Member.Roles
	}
	return m
}

// mayCurate checks that the sender may write to libraryGuild's library:
// the payload's permissions or the guild's moderator role, the operators
// for the global library, and only from inside the guild.
func (r *Router) mayCurate(ctx context.Context, q *request, libraryGuild string) error {
	m := r.moderator(q)
	s, err := r.opts.Curator.Settings(ctx, q.guildID)
	if err != nil {
		return fmt.Errorf("settings of %q: %w", q.guildID, err)
	}
	return briefings.CheckCurate(m, s, libraryGuild)
}

// editable loads a briefing by slug or title for editing, after checking
// that the sender may change it.
func (r *Router) editable(ctx context.Context, q *request, name string) (*briefings.Briefing, error) {
	if err := r.mayCurate(ctx, q, q.guildID); err != nil {
		return nil, err
	}
	id, err := r.briefingToCurate(ctx, q, strings.TrimSpace(name))
	if err != nil {
		return nil, err
	}
	return r.editableByID(ctx, q, id)
}

// editableByID loads a briefing named by a custom ID, after checking that
// the sender may change it: the ID grants nothing.
func (r *Router) editableByID(ctx context.Context, q *request, id int64) (*briefings.Briefing, error) {
	b, err := r.opts.Curator.EditableBriefing(ctx, id)
	if notFound(err) {
		return nil, userError("That briefing no longer exists.")
	} else if err != nil {
		return nil, fmt.Errorf("load briefing %d: %w", id, err)
	}
	if err := r.mayCurate(ctx, q, b.GuildID); err != nil {
		return nil, err
	}
	if err := r.currentDeclarations(ctx, b); err != nil {
		return nil, err
	}
	return b, nil
}

// currentDeclarations replaces the actors and events b declares with how
// they stand in its library now. The store merges a briefing's
// declarations into the library on every save, so without this a fact or
// correction saved after /briefing actor or /briefing event would undo
// that edit with the briefing's older copy.
func (r *Router) currentDeclarations(ctx context.Context, b *briefings.Briefing) error {
	for i, a := range b.Actors {
		cur, err := r.opts.Curator.ActorToCurate(ctx, b.GuildID, a.Name)
		if notFound(err) {
			continue
		} else if err != nil {
			return fmt.Errorf("actor %q of %q: %w", a.Name, b.Slug, err)
		}
		if cur.GuildID == b.GuildID {
			b.Actors[i] = *cur
		}
	}
	for i, e := range b.Events {
		cur, err := r.opts.Curator.EventToCurate(ctx, b.GuildID, e.Name)
		if notFound(err) {
			continue
		} else if err != nil {
			return fmt.Errorf("event %q of %q: %w", e.Name, b.Slug, err)
		}
		if cur.GuildID == b.GuildID {
			b.Events[i] = *cur
		}
	}
	return nil
}

// parseTarget reads "<id>:<version>" from a custom ID.
func parseTarget(arg string) (int64, int, bool) {
	a, b, ok := strings.Cut(arg, ":")
	if !ok {
		return 0, 0, false
	}
	id, err1 := strconv.ParseInt(a, 10, 64)
	v, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil || id <= 0 || v <= 0 || strconv.FormatInt(id, 10) != a || strconv.Itoa(v) != b {
		return 0, 0, false
	}
	return id, v, true
}

// target formats "<kind>:<id>:<version>".
func target(kind string, id int64, version int) string {
	return kind + ":" + strconv.FormatInt(id, 10) + ":" + strconv.Itoa(version)
}

func choices(names []string) []*discordgo.ApplicationCommandOptionChoice {
	out := make([]*discordgo.ApplicationCommandOptionChoice, 0, len(names))
	for _, n := range names {
		out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: n, Value: n})
	}
	return out
}

// briefing dispatches the /briefing subcommands.
func (r *Router) briefing(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	h := map[string]handler{
		"add":         r.add,
		"edit":        r.editForm,
		"fact add":    r.factAdd,
		"fact edit":   r.factEdit,
		"fact remove": r.factRemove,
		"correct":     r.correct,
		"retract":     r.retract,
		"history":     r.history,
		"drafts":      r.drafts,
		"redraft":     r.redraft,
		"import":      r.importFile,
		"export":      r.export,
	}[q.sub]
	if h == nil {
		h = r.libraryHandlers()[q.sub]
	}
	if h == nil {
		return nil, userError("I don't know /briefing %s. Type /briefing to see the subcommands.", escape(q.sub))
	}
	return h(ctx, q)
}

// done is a private confirmation with the briefing as it now stands.
func done(msg string, b *briefings.Briefing) *discordgo.InteractionResponse {
	resp := private(message(nil))
	resp.Data.Content = msg
	if b != nil {
		e, marks := briefingEmbed(b, true)
		if b.Status == briefings.StatusDraft {
			e.Footer = &discordgo.MessageEmbedFooter{Text: fmt.Sprintf("Draft %s, version %d · members see it only once published", b.Slug, b.Version)}
		}
		resp.Data.Embeds = []*discordgo.MessageEmbed{e}
		resp.Data.Components = withMoreFacts(nil, b, factsShown(e, marks))
	}
	return resp
}

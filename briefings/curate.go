package briefings

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Curator stores what moderators do beyond reading: drafts, versioned
// edits checked against the version they started from, the audit log,
// guild settings and the typed text of forms that failed validation. Every
// write records an AuditEntry in the same transaction.
type Curator interface {
	LibraryManager
	// BriefingWithStatus finds the briefing with the slug visible to the
	// guild among the statuses (any when none are given). Returns ENOTFOUND.
	BriefingWithStatus(ctx context.Context, guildID, slug string, statuses ...Status) (*Briefing, error)
	// EditableBriefing returns the briefing with the store ID as it was
	// last saved (its declared actors and events only), with ID, GuildID,
	// Version, Status and the Created/Updated fields set. Returns ENOTFOUND.
	EditableBriefing(ctx context.Context, id int64) (*Briefing, error)
	// BriefingAtVersion returns the briefing with the store ID as it was
	// saved at the version, for comparing an edit with what its moderator
	// opened. Returns ENOTFOUND.
	BriefingAtVersion(ctx context.Context, id int64, version int) (*Briefing, error)
	// SaveCurated saves one briefing as w describes. A BaseVersion that is
	// no longer the latest returns a *StaleError (code ECONFLICT); invalid
	// input returns EINVALID listing every failure.
	SaveCurated(ctx context.Context, w Write) (SaveOutcome, error)
	// DiscardDraft deletes a draft that is still at baseVersion. Returns
	// ENOTFOUND, EINVALID when it is not a draft, and *StaleError.
	DiscardDraft(ctx context.Context, guildID string, id int64, baseVersion int, by string) error
	// ImportBriefings is Library.SaveBriefings with an audit entry per
	// briefing written: all or nothing.
	ImportBriefings(ctx context.Context, guildID string, bs []*Briefing, by string) ([]SaveOutcome, error)
	// ActorToCurate returns the actor whose name or alias equals name in
	// the guild's library or the global one, whatever mentions it: members
	// see only actors that published briefings mention (Library.Actor),
	// moderators also those of drafts. Returns ENOTFOUND.
	ActorToCurate(ctx context.Context, guildID, name string) (*Actor, error)
	// EventToCurate is ActorToCurate for events. Returns ENOTFOUND.
	EventToCurate(ctx context.Context, guildID, name string) (*Event, error)
	// TopicToCurate is Library.Topic whatever the topic's briefings
	// (drafts, retracted ones or none). Returns ENOTFOUND.
	TopicToCurate(ctx context.Context, guildID, text string) (*Topic, error)
	// FindActorsToCurate is Library.FindActors with drafts' actors too.
	FindActorsToCurate(ctx context.Context, guildID, text string, limit int) ([]Actor, error)
	// FindEventsToCurate is Library.FindEvents with drafts' events too.
	FindEventsToCurate(ctx context.Context, guildID, text string, limit int) ([]Event, error)
	// NamesToCurate is Library.Names for actors and events with drafts'
	// too, so that extraction links the actors the library already has;
	// for briefings, the titles of every briefing of the guild's
	// own library, whatever its status.
	NamesToCurate(ctx context.Context, guildID string, kind NameKind) ([]string, error)
	// Drafts returns the drafts of the guild's library ("" for the global
	// one), newest first, at most limit of them, and how many there are.
	Drafts(ctx context.Context, guildID string, limit int) ([]BriefingEntry, int, error)
	// BriefingsToCurate returns at most limit briefings of the libraries
	// (guild IDs, "" for the global one), drafts and retracted ones too,
	// whose title or slug contains text: title prefixes first, then the
	// most recently changed.
	BriefingsToCurate(ctx context.Context, libraries []string, text string, limit int) ([]BriefingEntry, error)
	// UpdateActor replaces the kind, description and aliases of the actor
	// with a.ID in guildID's library. Returns ENOTFOUND, EINVALID, ECONFLICT.
	UpdateActor(ctx context.Context, guildID string, a Actor, by string) error
	// UpdateEvent replaces the dates, location, participants and
	// description of the event with e.ID in guildID's library. Returns
	// ENOTFOUND, EINVALID.
	UpdateEvent(ctx context.Context, guildID string, e Event, by string) error
	// BriefingHistory lists the versions of the briefing with the slug
	// visible to the guild, newest first. Returns ENOTFOUND.
	BriefingHistory(ctx context.Context, guildID, slug string) ([]BriefingVersion, error)
	// VersionsSince lists the versions of the briefing with the store ID
	// after version base, oldest first.
	VersionsSince(ctx context.Context, id int64, base int) ([]BriefingVersion, error)
	// AuditLog returns the newest entries of the guild's log ("" for the
	// global library's), newest first.
	AuditLog(ctx context.Context, guildID string, limit int) ([]AuditEntry, error)
	// Notices returns the corrections and retractions made to briefings
	// visible to the guild at or after since, oldest first, for digests.
	Notices(ctx context.Context, guildID string, since time.Time) ([]Notice, error)
	// Settings returns the guild's settings; zero settings when none are
	// saved.
	Settings(ctx context.Context, guildID string) (GuildSettings, error)
	// SaveSettings stores the guild's settings. Returns EINVALID.
	SaveSettings(ctx context.Context, s GuildSettings, by string) error
	// SaveFormDraft keeps what a moderator typed into a form, so that a
	// failed submission can be reopened with it; it returns the draft's ID.
	SaveFormDraft(ctx context.Context, d FormDraft) (int64, error)
	// FormDraft returns a kept form that has not expired. Returns ENOTFOUND.
	FormDraft(ctx context.Context, id int64) (*FormDraft, error)
}

// Discord permission bits that the moderation rules read, with Discord's
// values, so that the domain needs no Discord library.
const (
	PermAdministrator  int64 = 1 << 3
	PermManageGuild    int64 = 1 << 5
	PermManageMessages int64 = 1 << 13
)

// Member is who sent an interaction, as the moderation rules see them.
type Member struct {
	// UserID identifies the person.
	UserID string
	// GuildID is the guild the interaction came from; empty in a DM.
	GuildID string
	// Permissions are the member's permission bits in the channel, as the
	// interaction carries them.
	Permissions int64
	// Roles are the member's role IDs.
	Roles []string
	// Owner is true for the bot's operators, who may edit the global
	// library.
	Owner bool
}

// IsOwner reports whether userID is one of the operators' IDs.
func IsOwner(userID string, ownerIDs []string) bool {
	return userID != "" && slices.Contains(ownerIDs, userID)
}

// CanModerate reports whether m may curate the briefings of the guild the
// interaction came from: Manage Messages, Administrator, or the guild's
// moderator role.
func CanModerate(m Member, s GuildSettings) bool {
	if m.GuildID == "" {
		return false
	}
	if m.Permissions&(PermManageMessages|PermAdministrator) != 0 {
		return true
	}
	return s.ModeratorRoleID != "" && slices.Contains(m.Roles, s.ModeratorRoleID)
}

// CanAdminister reports whether m may change the guild's settings: Manage
// Server or Administrator.
func CanAdminister(m Member) bool {
	return m.GuildID != "" && m.Permissions&(PermManageGuild|PermAdministrator) != 0
}

// CheckCurate says whether m may write to the library of libraryGuild
// ("" for the global one). The global library is the operators'; a guild's
// library is its moderators', and only from inside that guild. A briefing
// of another guild is reported as not found, so that forged IDs learn
// nothing.
func CheckCurate(m Member, s GuildSettings, libraryGuild string) error {
	if libraryGuild == "" {
		switch {
		case m.Owner:
			return nil
		case m.GuildID == "":
			return Errorf(EFORBIDDEN, "In direct messages only the global library is in reach, and only the bot's operators can change it. To add or edit your server's briefings, use /briefing in a channel of that server, where you are a moderator.")
		}
		return Errorf(EFORBIDDEN, "That is in the global library, which only the bot's operators can change. Add your own briefing for this server instead.")
	}
	if libraryGuild != m.GuildID {
		return Errorf(ENOTFOUND, "There is no such briefing in this server.")
	}
	if m.Owner || CanModerate(m, s) {
		return nil
	}
	return Errorf(EFORBIDDEN, "Only moderators can change briefings: you need the Manage Messages permission or the server's moderator role.")
}

// AuditAction names what a moderator did.
type AuditAction string

// The actions the audit log records.
const (
	AuditDraft      AuditAction = "draft"
	AuditEdit       AuditAction = "edit"
	AuditPublish    AuditAction = "publish"
	AuditDiscard    AuditAction = "discard"
	AuditFactAdd    AuditAction = "fact_add"
	AuditFactEdit   AuditAction = "fact_edit"
	AuditFactRemove AuditAction = "fact_remove"
	AuditActorEdit  AuditAction = "actor_edit"
	AuditEventEdit  AuditAction = "event_edit"
	AuditCorrect    AuditAction = "correct"
	AuditRetract    AuditAction = "retract"
	AuditImport     AuditAction = "import"
	AuditSettings   AuditAction = "settings"
)

// AuditEntry is one write in the audit log.
type AuditEntry struct {
	// ID orders entries.
	ID int64
	// At is when the write happened.
	At time.Time
	// GuildID is the library written to; empty for the global one.
	GuildID string
	// UserID is who wrote.
	UserID string
	// Action is what they did.
	Action AuditAction
	// Target names what changed, e.g. "briefing:alaska-summit".
	Target string
	// Before and After are JSON snapshots; "" when there was none.
	Before, After string
}

// Write is one moderator's change to a briefing.
type Write struct {
	// GuildID is the library written to; "" for the global one.
	GuildID string
	// Briefing is the whole briefing as it should be saved.
	Briefing *Briefing
	// By is the user ID of the moderator.
	By string
	// BaseVersion is the version the edit started from; 0 creates a new
	// briefing and fails with ECONFLICT when the slug is taken.
	BaseVersion int
	// Action is what the audit log records.
	Action AuditAction
	// Note is the correction or the retraction reason, for digests.
	Note string
	// FeedItem, when set, is the feed item the briefing is drafted from:
	// the store remembers it, with the briefing's ID, in the transaction
	// that saves the briefing, so that no crash leaves a draft whose item
	// the feed would draft again.
	FeedItem *FeedItem
}

// BriefingEntry is a briefing as moderators' lists show it.
type BriefingEntry struct {
	BriefingRef
	// Status is draft, published or retracted.
	Status Status
	// Version is the latest version.
	Version int
	// CreatedBy started the briefing; CreatedAt and UpdatedAt are when its
	// first and latest versions were saved.
	CreatedBy            string
	CreatedAt, UpdatedAt time.Time
}

// BriefingVersion is one saved version of a briefing.
type BriefingVersion struct {
	// Version counts from 1.
	Version int
	// By and At say who saved it and when.
	By string
	At time.Time
	// Changes names the fields that changed, e.g. "summary, facts[2]", or
	// the change to the library that made the version, e.g. "actor
	// renamed: Michael Grant → Mike Grant".
	Changes string
	// Snapshot is the briefing as saved; set by BriefingHistory only.
	Snapshot *Briefing
}

// StaleError refuses an edit that started from an older version than the
// latest. Its code is ECONFLICT.
type StaleError struct {
	// Base is the version the edit started from.
	Base int
	// Since are the versions saved after it, oldest first.
	Since []BriefingVersion
}

// Error says what changed since the edit began and what to do.
func (e *StaleError) Error() string {
	var b strings.Builder
	latest := e.Base
	if n := len(e.Since); n > 0 {
		latest = e.Since[n-1].Version
	}
	fmt.Fprintf(&b, "Someone changed this briefing after you started editing (you had version %d; it is now at version %d), so I did not save your edit.", e.Base, latest)
	for i, v := range e.Since {
		if i == 5 {
			fmt.Fprintf(&b, "\n…and %d more versions", len(e.Since)-i)
			break
		}
		by := v.By
		switch {
		case by == "":
			by = "someone"
		case strings.Trim(by, "0123456789") == "":
			by = "<@" + by + ">" // a Discord user: shown by name, never pinged
		}
		fmt.Fprintf(&b, "\n• version %d by %s at %s: %s", v.Version, by, v.At.UTC().Format("2006-01-02 15:04 UTC"), v.Changes)
	}
	b.WriteString("\nOpen it again to edit the current version.")
	return b.String()
}

// Unwrap exposes the ECONFLICT code and the message to ErrorCode and
// ErrorMessage.
func (e *StaleError) Unwrap() error { return &Error{Code: ECONFLICT, Message: e.Error()} }

// GuildSettings are a guild's moderation and digest settings.
type GuildSettings struct {
	// GuildID is the guild.
	GuildID string
	// ModeratorRoleID is the role whose members may curate briefings
	// besides those with Manage Messages; empty for none.
	ModeratorRoleID string
	// TimeZone is the IANA zone digests are scheduled in by default, e.g.
	// "Europe/Paris"; empty means UTC.
	TimeZone string
	// UpdatedBy and UpdatedAt say who saved them last, and when.
	UpdatedBy string
	UpdatedAt time.Time
}

// Location returns the settings' time zone, UTC when none is set or it no
// longer loads.
func (s GuildSettings) Location() *time.Location {
	if s.TimeZone == "" {
		return time.UTC
	}
	loc, err := time.LoadLocation(s.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// ValidateSettings checks a guild's settings: a numeric role ID and a time
// zone that loads. Returns EINVALID.
func ValidateSettings(s GuildSettings) error {
	if s.GuildID == "" {
		return Errorf(EINVALID, "Settings belong to a server; run /settings in one.")
	}
	if s.ModeratorRoleID != "" {
		for _, r := range s.ModeratorRoleID {
			if r < '0' || r > '9' {
				return Errorf(EINVALID, "The moderator role must be a role of this server.")
			}
		}
	}
	if s.TimeZone != "" {
		if len(s.TimeZone) > 64 || !utf8.ValidString(s.TimeZone) || strings.EqualFold(s.TimeZone, "local") {
			return Errorf(EINVALID, "%q is not a time zone. Use a name such as Europe/Paris or America/New_York.", Truncate(s.TimeZone, 64))
		}
		if _, err := time.LoadLocation(s.TimeZone); err != nil {
			return Errorf(EINVALID, "%q is not a time zone I know. Use a name such as Europe/Paris or America/New_York.", Truncate(s.TimeZone, 64))
		}
	}
	return nil
}

// FormDraft is what a moderator typed into a form, kept for a short while
// so that a submission that failed validation can be reopened with it.
type FormDraft struct {
	// ID is the store's identifier.
	ID int64
	// GuildID and UserID say whose it is: only they may reopen it.
	GuildID, UserID string
	// Kind is the form it came from.
	Kind string
	// TargetID is the briefing the form edits; 0 for a new one.
	TargetID int64
	// BaseVersion is the version the edit started from.
	BaseVersion int
	// Fields are the typed values by text input ID.
	Fields map[string]string
	// CreatedAt is when it was kept.
	CreatedAt time.Time
}

// FormDraftTTL is how long a kept form can be reopened.
const FormDraftTTL = 24 * time.Hour

// Notice is a correction or retraction a digest announces.
type Notice struct {
	// Action is AuditCorrect or AuditRetract.
	Action AuditAction
	// Briefing is the briefing it concerns.
	Briefing BriefingRef
	// Text is the correction, or the reason for the retraction.
	Text string
	// At is when it was made.
	At time.Time
}

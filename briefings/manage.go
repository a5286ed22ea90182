package briefings

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"
)

// LibraryManager adds, renames, merges and deletes the actors and events of
// a library ("" for the global one). Each method is one transaction that
// records an AuditEntry with the before and after as JSON, and names the
// existing entry when a new name is taken or looks like one the library
// has (Confusable). A name of another guild's library is never found.
type LibraryManager interface {
	// AddActor creates an actor in guildID's library. Returns EINVALID and
	// ECONFLICT when a name or alias is taken or looks like one taken.
	AddActor(ctx context.Context, guildID string, a Actor, by string) (*Actor, error)
	// AddEvent creates an event in guildID's library; its participants are
	// names of the library's actors. Returns EINVALID and ECONFLICT.
	AddEvent(ctx context.Context, guildID string, e Event, by string) (*Event, error)
	// RenameActor gives the actor with the id a new name; the old name
	// becomes an alias when keepOld is set. Every briefing that mentions
	// the actor keeps it. Returns ENOTFOUND, EINVALID, ECONFLICT.
	RenameActor(ctx context.Context, guildID string, id int64, name string, keepOld bool, by string) (*Actor, error)
	// RenameEvent gives the event with the id a new name, kept by every
	// briefing that mentions it. Returns ENOTFOUND, EINVALID, ECONFLICT.
	RenameEvent(ctx context.Context, guildID string, id int64, name string, by string) (*Event, error)
	// MergeActors moves every mention, fact link, event participation and
	// name of the actor from into the actor into, whose names become
	// its aliases, and deletes from. Returns ENOTFOUND and EINVALID.
	MergeActors(ctx context.Context, guildID string, from, into int64, by string) (MergeOutcome, error)
	// MergeEvents moves every mention, fact link and participant of the
	// event from into the event into, and deletes from. Returns
	// ENOTFOUND and EINVALID.
	MergeEvents(ctx context.Context, guildID string, from, into int64, by string) (MergeOutcome, error)
	// DeleteActor deletes the actor with the id and removes it from the
	// drafts that mention it. While a published or retracted briefing
	// mentions it, it returns an *InUseError and changes nothing.
	// Returns ENOTFOUND.
	DeleteActor(ctx context.Context, guildID string, id int64, by string) (DeleteOutcome, error)
	// DeleteEvent is DeleteActor for events.
	DeleteEvent(ctx context.Context, guildID string, id int64, by string) (DeleteOutcome, error)
}

// Audit actions of LibraryManager.
const (
	AuditActorAdd    AuditAction = "actor_add"
	AuditActorRename AuditAction = "actor_rename"
	AuditActorMerge  AuditAction = "actor_merge"
	AuditActorDelete AuditAction = "actor_delete"
	AuditEventAdd    AuditAction = "event_add"
	AuditEventRename AuditAction = "event_rename"
	AuditEventMerge  AuditAction = "event_merge"
	AuditEventDelete AuditAction = "event_delete"
)

// MergeOutcome says what a merge moved.
type MergeOutcome struct {
	// Briefings is how many briefings mention the merged actor or event.
	Briefings int
	// Facts is how many facts now link to it instead.
	Facts int
}

// DeleteOutcome says what a delete changed besides the library.
type DeleteOutcome struct {
	// Drafts are the drafts the actor or event was removed from.
	Drafts []BriefingEntry
}

// InUseError refuses to delete an actor or event that briefings members can
// read (or could, for retracted ones) still mention. Its code is
// ECONFLICT.
type InUseError struct {
	// Kind is "actor" or "event"; Name is its name.
	Kind, Name string
	// Briefings are the briefings that mention it, published ones first.
	Briefings []BriefingEntry
}

// Error names the briefings, at most five of them.
func (e *InUseError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%q is mentioned by %d briefings that are not drafts, so it was not deleted:", e.Name, len(e.Briefings))
	for i, r := range e.Briefings {
		if i == 5 {
			fmt.Fprintf(&b, "\n…and %d more", len(e.Briefings)-i)
			break
		}
		fmt.Fprintf(&b, "\n• %s (%s, %s)", r.Title, r.Slug, r.Status)
	}
	return b.String()
}

// Unwrap exposes the ECONFLICT code and the message to ErrorCode and
// ErrorMessage.
func (e *InUseError) Unwrap() error { return &Error{Code: ECONFLICT, Message: e.Error()} }

// CheckActorFields checks an actor's kind, description and aliases against
// the limits, in words for people.
func CheckActorFields(a Actor) error {
	if a.Kind != "" && !a.Kind.Valid() {
		return Errorf(EINVALID, "%q is not a kind of actor: use person, country, organization, group or place.", a.Kind)
	}
	if n := len([]rune(a.Description)); n > MaxDescription {
		return Errorf(EINVALID, "The description is %d characters; the limit is %d.", n, MaxDescription)
	}
	if len(a.Aliases) > MaxAliases {
		return Errorf(EINVALID, "That is %d aliases; the limit is %d.", len(a.Aliases), MaxAliases)
	}
	for _, al := range a.Aliases {
		if strings.TrimSpace(al) == "" || len([]rune(al)) > MaxName {
			return Errorf(EINVALID, "Each alias needs 1 to %d characters.", MaxName)
		}
		if err := checkCharacters("An alias", al); err != nil {
			return err
		}
	}
	return checkCharacters("The description", a.Description)
}

// checkCharacters refuses control characters but line breaks and tabs, and
// bidirectional controls, as Validate does: they would travel into every
// message, export and terminal that shows the text.
func checkCharacters(what, v string) error {
	if i := strings.IndexFunc(v, forbiddenControl); i >= 0 {
		r, _ := utf8.DecodeRuneInString(v[i:])
		return Errorf(EINVALID, "%s contains the control character %U; remove it.", what, r)
	}
	if i := strings.IndexFunc(v, IsBidiControl); i >= 0 {
		r, _ := utf8.DecodeRuneInString(v[i:])
		return Errorf(EINVALID, "%s contains the bidirectional control %U, which changes how the text around it is shown; remove it.", what, r)
	}
	if !utf8.ValidString(v) {
		return Errorf(EINVALID, "%s is not valid UTF-8.", what)
	}
	return nil
}

// CheckEventFields checks an event's dates, location and description
// against the rules, in words for people.
func CheckEventFields(e Event) error {
	switch {
	case e.Date.IsZero():
		return Errorf(EINVALID, "An event needs a date such as 2025, 2025-08 or 2025-08-15.")
	case !e.End.IsZero() && e.End.T.Before(e.Date.T):
		return Errorf(EINVALID, "The end, %s, is before the date, %s.", e.End, e.Date)
	case len([]rune(e.Description)) > MaxDescription:
		return Errorf(EINVALID, "The description is over %d characters.", MaxDescription)
	case len([]rune(e.Location)) > MaxLocation:
		return Errorf(EINVALID, "The location is over %d characters.", MaxLocation)
	}
	if err := checkCharacters("The location", e.Location); err != nil {
		return err
	}
	return checkCharacters("The description", e.Description)
}

// CheckName checks a new name of an actor or event: 1 to MaxName
// characters on one line.
func CheckName(name string) error {
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > MaxName {
		return Errorf(EINVALID, "A name needs 1 to %d characters.", MaxName)
	}
	if strings.ContainsAny(name, "\r\n\t") {
		return Errorf(EINVALID, "A name is one line.")
	}
	return checkCharacters("The name", name)
}

// NameTakenError refuses a new name of an actor or event that the library
// already has, or that looks like one it has (Confusable). Its code is
// ECONFLICT.
type NameTakenError struct {
	// Kind is "actor" or "event"; Name is the name refused.
	Kind, Name string
	// Existing is the name the library has; Of is the actor or event it
	// names (Existing itself, or the actor an alias belongs to).
	Existing, Of string
	// Global says that the existing one is in the global library.
	Global bool
	// LooksAlike says that Name is written with other characters than
	// Existing rather than being the same name.
	LooksAlike bool
}

// Error names the existing one.
func (e *NameTakenError) Error() string {
	of := fmt.Sprintf("the %s %q", e.Kind, e.Of)
	if e.Existing != e.Of {
		of = fmt.Sprintf("%q, a name of the %s %q", e.Existing, e.Kind, e.Of)
	}
	if e.Global {
		of += " in the global library"
	}
	if e.LooksAlike {
		return fmt.Sprintf("%q looks like %s but is written with different characters (letters of another alphabet, for example).", e.Name, of)
	}
	return fmt.Sprintf("%q is already %s.", e.Name, of)
}

// Unwrap exposes the ECONFLICT code and the message to ErrorCode and
// ErrorMessage.
func (e *NameTakenError) Unwrap() error { return &Error{Code: ECONFLICT, Message: e.Error()} }

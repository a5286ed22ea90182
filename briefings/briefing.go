// Package briefings is briefbot's domain: briefings, their attributed facts,
// the actors and dated events behind them, topics, and the rules that keep
// them valid. It uses the standard library only and defines the small
// interfaces it needs from the store and other adapters.
package briefings

import "time"

// Status is where a briefing stands in its life.
type Status string

// The statuses of a briefing. Only published briefings are shown to members.
const (
	StatusDraft     Status = "draft"
	StatusPublished Status = "published"
	StatusRetracted Status = "retracted"
)

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	return s == StatusDraft || s == StatusPublished || s == StatusRetracted
}

// Briefing is one curated news briefing, with its facts, actors and events.
type Briefing struct {
	// ID is the store's identifier; 0 before the briefing is saved.
	ID int64
	// GuildID is the library the briefing belongs to: one guild's, or the
	// global library every guild sees when empty.
	GuildID string
	// Slug identifies the briefing within its library.
	Slug string
	// Title is at most MaxTitle characters.
	Title string
	// Summary is at most MaxSummary characters.
	Summary string
	// Body is the optional full article text.
	Body string
	// Published is the publication date.
	Published Date
	// Source says where the briefing comes from.
	Source Source
	// Topics are topic slugs, at least one.
	Topics []string
	// Status is draft, published or retracted.
	Status Status
	// RetractionReason says why a retracted briefing was withdrawn.
	RetractionReason string
	// Corrections are dated notes, oldest first.
	Corrections []Correction
	// Actors are the actors the briefing mentions, in file order.
	Actors []Actor
	// Events are the events the briefing mentions, in file order.
	Events []Event
	// Facts are the briefing's key facts, in order.
	Facts []Fact
	// Version counts saved changes, starting at 1.
	Version int
	// CreatedBy and UpdatedBy name who made the first and the latest version.
	CreatedBy, UpdatedBy string
	// CreatedAt and UpdatedAt are when those versions were saved.
	CreatedAt, UpdatedAt time.Time
}

// Source names where a briefing's information comes from.
type Source struct {
	// Name is the publication, e.g. "Reuters".
	Name string
	// URL is an http or https link, optional.
	URL string
}

// Correction is a dated note fixing something a briefing once said.
type Correction struct {
	// Date is when the correction was made.
	Date Date
	// Text says what was corrected.
	Text string
}

// Fact is one attributed key fact of a briefing.
type Fact struct {
	// ID is the store's identifier; 0 before the fact is saved.
	ID int64
	// Text is the fact itself.
	Text string
	// Attribution says who says so, e.g. "South Korean intelligence".
	Attribution string
	// Actors are the names (or aliases) of the actors the fact concerns.
	Actors []string
	// Event is the name of the event the fact concerns, optional.
	Event string
	// AsOf is the date the fact was true as of, optional.
	AsOf Date
}

// ActorKind classifies an actor.
type ActorKind string

// The kinds of actor.
const (
	KindPerson       ActorKind = "person"
	KindCountry      ActorKind = "country"
	KindOrganization ActorKind = "organization"
	KindGroup        ActorKind = "group"
	KindPlace        ActorKind = "place"
)

// ActorKinds lists every valid kind, in the order they are documented.
var ActorKinds = []ActorKind{KindPerson, KindCountry, KindOrganization, KindGroup, KindPlace}

// Valid reports whether k is a known kind.
func (k ActorKind) Valid() bool {
	for _, v := range ActorKinds {
		if k == v {
			return true
		}
	}
	return false
}

// Actor is a person, country, organization, group or place. Actors are
// shared by every briefing of a library: the same name or alias is the same
// actor.
type Actor struct {
	// ID is the store's identifier; 0 before the actor is saved.
	ID int64
	// GuildID is the library the actor belongs to; empty for global.
	GuildID string
	// Name is the actor's canonical name.
	Name string
	// Kind is one of ActorKinds.
	Kind ActorKind
	// Description says who or what the actor is.
	Description string
	// Aliases are other names the actor goes by.
	Aliases []string
}

// Event is something that happened, or will, on a date known to a precision.
// Events are shared by every briefing of a library.
type Event struct {
	// ID is the store's identifier; 0 before the event is saved.
	ID int64
	// GuildID is the library the event belongs to; empty for global.
	GuildID string
	// Name is the event's name.
	Name string
	// Date is when it starts.
	Date Date
	// End is when it ends, optional.
	End Date
	// Location is where it takes place, optional.
	Location string
	// Participants are actor names or aliases.
	Participants []string
	// Description says what the event is.
	Description string
}

// Topic groups briefings; channels and people subscribe to topics.
type Topic struct {
	// GuildID is the library the topic belongs to: one guild's, seen only
	// there, or the global library's (empty), seen everywhere.
	GuildID string
	// Slug identifies the topic within its library, e.g. "alaska-summit".
	Slug string
	// Name is the display name, e.g. "Alaska summit".
	Name string
	// Aliases are other names that select the topic.
	Aliases []string
}

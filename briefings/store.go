package briefings

import "context"

// BriefingRef is the short form of a briefing used when citing it.
type BriefingRef struct {
	// ID is the store's identifier.
	ID int64
	// GuildID is the briefing's library; empty for global.
	GuildID string
	// Slug identifies the briefing within its library.
	Slug string
	// Title is the briefing's title.
	Title string
	// Published is the publication date.
	Published Date
	// SourceName and SourceURL say where it comes from.
	SourceName, SourceURL string
}

// FactRef is a fact with the briefing it belongs to.
type FactRef struct {
	Fact
	// Briefing is the briefing that states the fact.
	Briefing BriefingRef
}

// EventRef is an event with the briefings that mention it.
type EventRef struct {
	Event
	// Briefings mention the event, newest first; at most the query's
	// BriefingsPerEvent of them.
	Briefings []BriefingRef
	// BriefingCount is how many published briefings visible to the guild
	// mention the event in all, however many Briefings holds; it is counted
	// only when the query sets CountBriefings.
	BriefingCount int
}

// TopicStats is a topic with how many published briefings it has.
type TopicStats struct {
	Topic
	// Count is the number of published briefings visible to the guild.
	Count int
	// Latest is the publication date of the newest of them.
	Latest Date
}

// HitKind says what a search hit is.
type HitKind string

// The kinds of search hit.
const (
	HitBriefing HitKind = "briefing"
	HitFact     HitKind = "fact"
	HitActor    HitKind = "actor"
	HitEvent    HitKind = "event"
)

// SearchQuery asks for ranked matches of free text typed by a user.
type SearchQuery struct {
	// GuildID selects the guild's library plus the global one.
	GuildID string
	// Text is the user's text, never passed to FTS5 raw.
	Text string
	// MatchAny ranks rows matching any word instead of requiring all of them,
	// for natural-language questions.
	MatchAny bool
	// Kinds restricts the hits; empty means briefings and facts.
	Kinds []HitKind
	// Limit caps the hits; 0 means 10.
	Limit int
}

// SearchHit is one ranked search result.
type SearchHit struct {
	// Kind is what matched.
	Kind HitKind
	// Briefing is the briefing the hit belongs to (for facts and briefings).
	Briefing BriefingRef
	// FactID, ActorID or EventID identify the row for those kinds.
	FactID, ActorID, EventID int64
	// Title is the briefing title, or the actor or event name.
	Title string
	// Snippet is the matching text with each matched word wrapped in
	// HighlightOpen and HighlightClose.
	Snippet string
	// Attribution is the fact's attribution, for fact hits.
	Attribution string
	// Score orders hits; higher is better.
	Score float64
}

// Markers that wrap matched words in snippets; renderers turn them into
// their own emphasis (Discord bold, terminal emphasis).
const (
	HighlightOpen  = "\x02"
	HighlightClose = "\x03"
)

// NameKind selects which names autocomplete and suggestions draw from.
type NameKind string

// The kinds of name that can be completed.
const (
	NameActor    NameKind = "actor"
	NameEvent    NameKind = "event"
	NameTopic    NameKind = "topic"
	NameBriefing NameKind = "briefing"
)

// KnownName is one name or alias of an actor, event or topic, with what it
// names and how well known that is.
type KnownName struct {
	// Name is the name or alias as written.
	Name string
	// Of is the canonical name of the actor, event or topic it names; the
	// same as Name for a canonical name.
	Of string
	// Mentions counts the published briefings visible to the guild that
	// mention what it names; a store may count only the newest of them.
	Mentions int
}

// BriefingQuery selects briefings, newest first.
type BriefingQuery struct {
	// GuildID selects the guild's library plus the global one.
	GuildID string
	// Topic is a topic slug; empty means any topic.
	Topic string
	// Statuses filters by status; empty means published only.
	Statuses []Status
	// Offset and Limit page the result; Limit 0 means no limit.
	Offset, Limit int
}

// EventQuery selects dated events in date order.
type EventQuery struct {
	// GuildID selects the guild's library plus the global one.
	GuildID string
	// Topic limits to events mentioned by published briefings on the topic.
	Topic string
	// ActorID limits to events the actor takes part in.
	ActorID int64
	// From and To bound the event date (From inclusive, To exclusive); zero
	// means unbounded.
	From, To Date
	// Limit caps the result; 0 means no limit.
	Limit int
	// BriefingsPerEvent caps the briefings returned with each event, newest
	// first; 0 means all of them and a negative value none.
	BriefingsPerEvent int
	// CountBriefings asks for each event's BriefingCount, which costs a
	// read of all its mentions (tens of thousands for the most popular).
	CountBriefings bool
}

// FactQuery selects facts of published briefings.
type FactQuery struct {
	// GuildID selects the guild's library plus the global one.
	GuildID string
	// ActorID, EventID and Topic filter when set; all set filters apply.
	ActorID, EventID int64
	Topic            string
	// Limit caps the result; 0 means no limit.
	Limit int
}

// SaveOutcome says what saving one briefing did.
type SaveOutcome struct {
	// Slug is the briefing saved.
	Slug string
	// Action is "created", "updated" or "unchanged".
	Action string
	// Version is the briefing's version after saving.
	Version int
}

// Library is the store of briefings that every command reads from. Every
// read sees the guild's own library plus the global one; drafts and
// retracted briefings are only returned when asked for explicitly.
type Library interface {
	// SaveBriefings validates and saves briefings into guildID's library
	// ("" for global) in one transaction: all or nothing. A briefing whose
	// slug exists is updated as a new version, unless nothing changed.
	// Returns EINVALID for invalid input.
	SaveBriefings(ctx context.Context, guildID string, bs []*Briefing, by string) ([]SaveOutcome, error)

	// Briefing returns the briefing with the slug visible to guildID, with
	// its facts, actors and events. Returns ENOTFOUND.
	Briefing(ctx context.Context, guildID, slug string) (*Briefing, error)
	// Briefings returns full briefings matching q, newest first, and how
	// many match in all.
	Briefings(ctx context.Context, q BriefingQuery) ([]*Briefing, int, error)

	// Actor returns the actor whose name or alias equals name, ignoring case
	// and accents. Returns ENOTFOUND.
	Actor(ctx context.Context, guildID, name string) (*Actor, error)
	// Event returns the event whose name equals name, ignoring case and
	// accents. Returns ENOTFOUND.
	Event(ctx context.Context, guildID, name string) (*Event, error)
	// FindActors returns actors whose name or alias matches text by prefix or
	// part, best first.
	FindActors(ctx context.Context, guildID, text string, limit int) ([]Actor, error)
	// FindEvents returns events whose name matches text by prefix or part,
	// best first.
	FindEvents(ctx context.Context, guildID, text string, limit int) ([]Event, error)
	// Events returns dated events matching q in date order, each with the
	// newest published briefings that mention it (up to
	// q.BriefingsPerEvent) and, when q.CountBriefings is set, how many
	// mention it in all.
	Events(ctx context.Context, q EventQuery) ([]EventRef, error)
	// CountEvents returns how many dated events match q, counting at most
	// q.Limit of them when it is set.
	CountEvents(ctx context.Context, q EventQuery) (int, error)
	// EventTopics returns, for each event, the topics of the newest
	// published briefings visible to the guild that mention it (at most
	// perEvent of them), the topic most of them carry first.
	EventTopics(ctx context.Context, guildID string, eventIDs []int64, perEvent int) (map[int64][]Topic, error)
	// Facts returns facts of published briefings matching q, newest
	// briefing first, in fact order within a briefing.
	Facts(ctx context.Context, q FactQuery) ([]FactRef, error)
	// BriefingsMentioning returns the newest published briefings that
	// mention the actor or event (one of the IDs is 0), newest first, at
	// most limit of them (0 means all), and how many mention it in all.
	BriefingsMentioning(ctx context.Context, guildID string, actorID, eventID int64, limit int) ([]BriefingRef, int, error)

	// Recall returns the whole facts, events, actors and briefings that
	// match any of q.Words, each kind best first, for answering questions.
	Recall(ctx context.Context, q RecallQuery) (*Recalled, error)

	// Search ranks published briefings and facts (and actors and events when
	// asked) against the user's text, which is tokenized and quoted so that
	// no FTS5 syntax reaches MATCH.
	Search(ctx context.Context, q SearchQuery) ([]SearchHit, error)

	// Topic returns the topic whose slug, name or alias equals text among
	// the guild's own topics and the global ones (never another guild's)
	// that have a published briefing visible to the guild. Returns
	// ENOTFOUND.
	Topic(ctx context.Context, guildID, text string) (*Topic, error)
	// Topics returns every topic with published briefings visible to the
	// guild, with counts and latest dates, most recent first.
	Topics(ctx context.Context, guildID string) ([]TopicStats, error)

	// CompleteNames returns at most limit names of the kind that match text
	// by prefix or part, best first: prefix matches before inner matches,
	// then shorter names. Empty text lists the most relevant names.
	CompleteNames(ctx context.Context, guildID string, kind NameKind, text string, limit int) ([]string, error)
	// Names returns every name (and alias) of the kind visible to the guild,
	// for "did you mean" suggestions.
	Names(ctx context.Context, guildID string, kind NameKind) ([]string, error)
	// KnownNames returns the names and aliases of the actors, events or
	// topics (kind) that published briefings visible to the guild mention,
	// each with what it names and how many of those briefings (or of the
	// newest of them) mention it, most mentioned first, for "did you mean"
	// suggestions.
	KnownNames(ctx context.Context, guildID string, kind NameKind) ([]KnownName, error)
}

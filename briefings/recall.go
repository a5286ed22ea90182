package briefings

// RecallQuery asks the store for everything in a library that may answer a
// question: facts, events, actors and briefing text matching any of the
// words.
type RecallQuery struct {
	// GuildID selects the guild's library plus the global one.
	GuildID string
	// Words are plain words, any of which may match; the store quotes
	// them, so no full-text syntax reaches the index.
	Words []string
	// Forms are other forms of the words (a related word, another
	// spelling, a number in words), which match as the words do; a row
	// that holds every one of the words ranks first without them.
	Forms []string
	// Limit caps the rows of each kind; 0 means 20.
	Limit int
}

// RecalledFact is a whole fact with its briefing and, when the fact
// concerns one, its whole event.
type RecalledFact struct {
	FactRef
	// EventRecord is the event the fact concerns, or nil.
	EventRecord *Event
}

// RecalledEvent is a whole event with the newest briefing that mentions
// it, to cite.
type RecalledEvent struct {
	Event
	// Briefing is the newest published briefing mentioning the event.
	Briefing BriefingRef
}

// RecalledActor is a whole actor with the newest briefing that mentions
// it, to cite.
type RecalledActor struct {
	Actor
	// Briefing is the newest published briefing mentioning the actor.
	Briefing BriefingRef
}

// RecalledBriefing is a briefing's own text.
type RecalledBriefing struct {
	// Briefing is the briefing.
	Briefing BriefingRef
	// Summary and Body are its text.
	Summary, Body string
}

// Recalled is what a library holds that matches a question's words, each
// kind best match first by the store's full-text ranking.
type Recalled struct {
	Facts     []RecalledFact
	Events    []RecalledEvent
	Actors    []RecalledActor
	Briefings []RecalledBriefing
	// Common lists the question's words the store left out of its
	// search as being in most of the library, beside rarer ones (as
	// written in RecallQuery.Words); empty when none were.
	Common []string
}

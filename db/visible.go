package db

import (
	"context"

	"briefbot/briefings"
)

// scope says whose reading a query of actors and events serves. Members see
// an actor or event only while a published briefing visible to their guild
// mentions it: what only drafts, replaced versions, retracted briefings or
// another guild mention stays out of every answer, list and suggestion.
// Moderators curating their library see all of it, drafts included.
type scope bool

// The scopes of a read.
const (
	members  scope = false
	curators scope = true
)

// actorVisible is the SQL condition that the actor (id column) is
// mentioned by a published briefing visible to the guild (param guild): in
// its actors, its facts or its events' participants (briefing_actors holds
// all three, migration 8). One seek in briefing_actors_recent.
func actorVisible(id, guild string) string {
	return `EXISTS (SELECT 1 FROM briefing_actors m WHERE m.actor_id = ` + id + `
		AND m.status = 'published' AND m.guild_id IN (` + guild + `, ''))`
}

// eventVisible is the SQL condition that the event (id column) is
// mentioned by a published briefing visible to the guild (param guild).
func eventVisible(id, guild string) string {
	return `EXISTS (SELECT 1 FROM briefing_events m WHERE m.event_id = ` + id + `
		AND m.status = 'published' AND m.guild_id IN (` + guild + `, ''))`
}

// visibleTo returns " AND " the condition for members, nothing for
// curators.
func (s scope) visibleTo(cond string) string {
	if s == curators {
		return ""
	}
	return ` AND ` + cond
}

// FindActorsToCurate is FindActors for moderators: the actors of the
// guild's library and the global one, whatever mentions them (drafts too).
func (db *DB) FindActorsToCurate(ctx context.Context, guildID, text string, limit int) ([]briefings.Actor, error) {
	return db.findActors(ctx, guildID, text, limit, curators)
}

// FindEventsToCurate is FindEvents for moderators: the events of the
// guild's library and the global one, whatever mentions them (drafts too).
func (db *DB) FindEventsToCurate(ctx context.Context, guildID, text string, limit int) ([]briefings.Event, error) {
	return db.findEvents(ctx, guildID, text, limit, curators)
}

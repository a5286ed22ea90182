-- A briefing's mentions of actors and events carry the briefing's library,
-- status and publication date, so "the newest published briefings that
-- mention X" and "how many mention X" read one index in order instead of
-- looking up every mentioning briefing (the most mentioned actor of a
-- 100,000-briefing library is in 17,000 of them). The store writes the
-- three columns with each mention; the trigger keeps them in step when a
-- briefing's own change one of them (a retraction, a new date).

ALTER TABLE briefing_actors ADD COLUMN guild_id TEXT NOT NULL DEFAULT '';
ALTER TABLE briefing_actors ADD COLUMN status TEXT NOT NULL DEFAULT '';
ALTER TABLE briefing_actors ADD COLUMN published TEXT NOT NULL DEFAULT '';
ALTER TABLE briefing_events ADD COLUMN guild_id TEXT NOT NULL DEFAULT '';
ALTER TABLE briefing_events ADD COLUMN status TEXT NOT NULL DEFAULT '';
ALTER TABLE briefing_events ADD COLUMN published TEXT NOT NULL DEFAULT '';

UPDATE briefing_actors SET (guild_id, status, published) =
	(SELECT b.guild_id, b.status, b.published FROM briefings b WHERE b.id = briefing_actors.briefing_id);
UPDATE briefing_events SET (guild_id, status, published) =
	(SELECT b.guild_id, b.status, b.published FROM briefings b WHERE b.id = briefing_events.briefing_id);

DROP INDEX briefing_actors_actor;
DROP INDEX briefing_events_event;
CREATE INDEX briefing_actors_recent ON briefing_actors(actor_id, status, published DESC, briefing_id DESC, guild_id);
CREATE INDEX briefing_events_recent ON briefing_events(event_id, status, published DESC, briefing_id DESC, guild_id);

CREATE TRIGGER briefings_mentions_au AFTER UPDATE OF guild_id, status, published ON briefings
WHEN old.guild_id IS NOT new.guild_id OR old.status IS NOT new.status OR old.published IS NOT new.published
BEGIN
	UPDATE briefing_actors SET guild_id = new.guild_id, status = new.status, published = new.published
		WHERE briefing_id = new.id;
	UPDATE briefing_events SET guild_id = new.guild_id, status = new.status, published = new.published
		WHERE briefing_id = new.id;
END;

-- A briefing mentions every participant of the events it mentions. Until
-- now that was worked out when reading, by joining each event's
-- participants, which made counting an actor's mentions a union of two
-- lists; briefing_actors now holds those participants too (declared = 0),
-- so one index answers it. The triggers keep that true when a briefing
-- links an event and when an event gains a participant.

INSERT INTO briefing_actors (briefing_id, actor_id, position, declared, guild_id, status, published)
SELECT be.briefing_id, ep.actor_id,
	(SELECT coalesce(max(ba.position) + 1, 0) FROM briefing_actors ba WHERE ba.briefing_id = be.briefing_id)
		+ be.position * 100 + ep.position,
	0, be.guild_id, be.status, be.published
FROM briefing_events be CROSS JOIN event_participants ep ON ep.event_id = be.event_id
WHERE true
ON CONFLICT (briefing_id, actor_id) DO NOTHING;

CREATE TRIGGER briefing_events_participants_ai AFTER INSERT ON briefing_events BEGIN
	INSERT INTO briefing_actors (briefing_id, actor_id, position, declared, guild_id, status, published)
	SELECT new.briefing_id, ep.actor_id,
		(SELECT coalesce(max(ba.position) + 1, 0) FROM briefing_actors ba WHERE ba.briefing_id = new.briefing_id) + ep.position,
		0, new.guild_id, new.status, new.published
	FROM event_participants ep WHERE ep.event_id = new.event_id
	ON CONFLICT (briefing_id, actor_id) DO NOTHING;
END;

CREATE TRIGGER event_participants_mentions_ai AFTER INSERT ON event_participants BEGIN
	INSERT INTO briefing_actors (briefing_id, actor_id, position, declared, guild_id, status, published)
	SELECT be.briefing_id, new.actor_id,
		(SELECT coalesce(max(ba.position) + 1, 0) FROM briefing_actors ba WHERE ba.briefing_id = be.briefing_id),
		0, be.guild_id, be.status, be.published
	FROM briefing_events be WHERE be.event_id = new.event_id
	ON CONFLICT (briefing_id, actor_id) DO NOTHING;
END;

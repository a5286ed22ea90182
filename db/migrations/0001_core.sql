-- Core tables: briefings, their facts, and the actors, events and topics
-- shared by every briefing of a library. guild_id '' is the global library.
-- Dates are stored as UTC text "YYYY-MM-DDTHH:MM:SSZ" (sortable) with a
-- precision column (briefings.Precision).

CREATE TABLE topics (
	slug        TEXT PRIMARY KEY,
	name        TEXT NOT NULL,
	name_folded TEXT NOT NULL
);

CREATE TABLE topic_aliases (
	topic_slug   TEXT NOT NULL REFERENCES topics(slug) ON DELETE CASCADE,
	alias        TEXT NOT NULL,
	alias_folded TEXT NOT NULL,
	position     INTEGER NOT NULL,
	PRIMARY KEY (topic_slug, alias_folded)
);
CREATE INDEX topic_aliases_folded ON topic_aliases(alias_folded);

CREATE TABLE briefings (
	id                  INTEGER PRIMARY KEY,
	guild_id            TEXT NOT NULL DEFAULT '',
	slug                TEXT NOT NULL,
	title               TEXT NOT NULL,
	summary             TEXT NOT NULL,
	body                TEXT NOT NULL DEFAULT '',
	published           TEXT NOT NULL,
	published_precision INTEGER NOT NULL,
	source_name         TEXT NOT NULL DEFAULT '',
	source_url          TEXT NOT NULL DEFAULT '',
	status              TEXT NOT NULL DEFAULT 'published'
		CHECK (status IN ('draft', 'published', 'retracted')),
	retraction_reason   TEXT NOT NULL DEFAULT '',
	version             INTEGER NOT NULL DEFAULT 1,
	created_by          TEXT NOT NULL DEFAULT '',
	created_at          TEXT NOT NULL,
	updated_by          TEXT NOT NULL DEFAULT '',
	updated_at          TEXT NOT NULL,
	UNIQUE (guild_id, slug)
);
CREATE INDEX briefings_listing ON briefings(status, published DESC, id DESC);

CREATE TABLE briefing_topics (
	briefing_id INTEGER NOT NULL REFERENCES briefings(id) ON DELETE CASCADE,
	topic_slug  TEXT NOT NULL REFERENCES topics(slug),
	position    INTEGER NOT NULL,
	PRIMARY KEY (briefing_id, topic_slug)
);
CREATE INDEX briefing_topics_topic ON briefing_topics(topic_slug, briefing_id);

CREATE TABLE corrections (
	briefing_id    INTEGER NOT NULL REFERENCES briefings(id) ON DELETE CASCADE,
	position       INTEGER NOT NULL,
	date           TEXT NOT NULL,
	date_precision INTEGER NOT NULL,
	text           TEXT NOT NULL,
	PRIMARY KEY (briefing_id, position)
);

CREATE TABLE actors (
	id          INTEGER PRIMARY KEY,
	guild_id    TEXT NOT NULL DEFAULT '',
	name        TEXT NOT NULL,
	name_folded TEXT NOT NULL,
	kind        TEXT NOT NULL DEFAULT '',
	description TEXT NOT NULL DEFAULT '',
	UNIQUE (guild_id, name_folded)
);

-- actor_names holds every name of an actor: its canonical name at position 0
-- and its aliases after it. The unique key keeps names and aliases distinct
-- within a library, so a name always means one actor.
CREATE TABLE actor_names (
	actor_id INTEGER NOT NULL REFERENCES actors(id) ON DELETE CASCADE,
	guild_id TEXT NOT NULL,
	name     TEXT NOT NULL,
	folded   TEXT NOT NULL,
	position INTEGER NOT NULL,
	UNIQUE (guild_id, folded)
);
CREATE INDEX actor_names_actor ON actor_names(actor_id, position);
CREATE INDEX actor_names_folded ON actor_names(folded);

CREATE TABLE events (
	id             INTEGER PRIMARY KEY,
	guild_id       TEXT NOT NULL DEFAULT '',
	name           TEXT NOT NULL,
	name_folded    TEXT NOT NULL,
	date           TEXT NOT NULL,
	date_precision INTEGER NOT NULL,
	end_date       TEXT NOT NULL DEFAULT '',
	end_precision  INTEGER NOT NULL DEFAULT 0,
	location       TEXT NOT NULL DEFAULT '',
	description    TEXT NOT NULL DEFAULT '',
	UNIQUE (guild_id, name_folded)
);
CREATE INDEX events_date ON events(date);
CREATE INDEX events_folded ON events(name_folded);

CREATE TABLE event_participants (
	event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
	actor_id INTEGER NOT NULL REFERENCES actors(id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	PRIMARY KEY (event_id, actor_id)
);
CREATE INDEX event_participants_actor ON event_participants(actor_id);

-- briefing_actors and briefing_events list what a briefing mentions: the
-- ones it declares first, then the ones its facts and events refer to.
CREATE TABLE briefing_actors (
	briefing_id INTEGER NOT NULL REFERENCES briefings(id) ON DELETE CASCADE,
	actor_id    INTEGER NOT NULL REFERENCES actors(id),
	position    INTEGER NOT NULL,
	declared    INTEGER NOT NULL DEFAULT 1,
	PRIMARY KEY (briefing_id, actor_id)
);
CREATE INDEX briefing_actors_actor ON briefing_actors(actor_id);

CREATE TABLE briefing_events (
	briefing_id INTEGER NOT NULL REFERENCES briefings(id) ON DELETE CASCADE,
	event_id    INTEGER NOT NULL REFERENCES events(id),
	position    INTEGER NOT NULL,
	declared    INTEGER NOT NULL DEFAULT 1,
	PRIMARY KEY (briefing_id, event_id)
);
CREATE INDEX briefing_events_event ON briefing_events(event_id);

CREATE TABLE facts (
	id                INTEGER PRIMARY KEY,
	briefing_id       INTEGER NOT NULL REFERENCES briefings(id) ON DELETE CASCADE,
	position          INTEGER NOT NULL,
	text              TEXT NOT NULL,
	attribution       TEXT NOT NULL,
	as_of             TEXT NOT NULL DEFAULT '',
	as_of_precision   INTEGER NOT NULL DEFAULT 0,
	event_id          INTEGER REFERENCES events(id),
	UNIQUE (briefing_id, position)
);
CREATE INDEX facts_event ON facts(event_id);

CREATE TABLE fact_actors (
	fact_id  INTEGER NOT NULL REFERENCES facts(id) ON DELETE CASCADE,
	actor_id INTEGER NOT NULL REFERENCES actors(id),
	position INTEGER NOT NULL,
	PRIMARY KEY (fact_id, actor_id)
);
CREATE INDEX fact_actors_actor ON fact_actors(actor_id);

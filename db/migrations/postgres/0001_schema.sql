-- The PostgreSQL schema: the tables of the SQLite migrations 0001 to 0016 as
-- they stand after the last of them, in one step. Later changes come as
-- further numbered files here, next to the SQLite ones.
--
-- Columns keep SQLite's representation so that one store serves both: dates
-- are sortable UTC text "YYYY-MM-DDTHH:MM:SSZ" with a precision column,
-- flags are 0/1 integers, and ids are given out as SQLite gives out rowids
-- (the largest plus one, see next_id), which keeps ids identical on both
-- backends for the same writes. Writes run one at a time, as on SQLite (the
-- store takes an advisory lock at the start of every write transaction).
--
-- Search uses PostgreSQL's own tools instead of FTS5: a generated tsvector
-- column with a GIN index on each searched table (the 'english' text search
-- configuration stems words as FTS5's porter tokenizer does, and unaccent is
-- left out so the configuration stays immutable), and pg_trgm indexes on the
-- folded names, aliases and slugs that autocomplete and name lookups scan.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- next_id returns the id SQLite would give the next row of a table: the
-- largest id plus one, and records it in the session's briefbot.last_id. It first takes the store's write lock (the advisory
-- lock every write transaction takes, see db/postgres.go) until the end of
-- the transaction, so that two processes never give out the same id.
CREATE FUNCTION next_id(tbl regclass) RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
DECLARE n bigint;
BEGIN
	PERFORM pg_advisory_xact_lock(7283451);
	EXECUTE format('SELECT coalesce(max(id), 0) + 1 FROM %s', tbl) INTO n;
	PERFORM set_config('briefbot.last_id', n::text, false);
	RETURN n;
END $$;

-- next_rowid gives out the rowid of a table that has no id of its own from
-- its sequence. Like next_id it records what it gave out in the session's
-- briefbot.last_id, which the store reads as SQLite's last_insert_rowid.
CREATE FUNCTION next_rowid(seq regclass) RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
DECLARE n bigint;
BEGIN
	n := nextval(seq);
	PERFORM set_config('briefbot.last_id', n::text, false);
	RETURN n;
END $$;

-- instr is SQLite's instr: the 1-based position of needle in haystack, or 0.
CREATE FUNCTION instr(haystack text, needle text) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN strpos(haystack, needle);

-- json_each, json_group_array, group_concat and json_insert stand in for
-- the SQLite functions of the same names in the forms the store uses: a
-- JSON array of ids as a set of rows, a list of values as a JSON array
-- ('[]' for none), values joined by a separator, and a value appended to a
-- JSON array ('$[#]').
CREATE FUNCTION json_each(list text) RETURNS TABLE (value bigint) LANGUAGE sql IMMUTABLE PARALLEL SAFE
	AS $$ SELECT e::bigint FROM jsonb_array_elements_text(list::jsonb) e $$;
CREATE FUNCTION json_group_array_final(anycompatiblearray) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
	AS $$ SELECT coalesce(array_to_json($1)::text, '[]') $$;
CREATE AGGREGATE json_group_array(anycompatible) (
	SFUNC = array_append, STYPE = anycompatiblearray, FINALFUNC = json_group_array_final, INITCOND = '{}');
CREATE FUNCTION group_concat_step(acc text, v text, sep text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN CASE WHEN v IS NULL THEN acc WHEN acc IS NULL THEN v ELSE acc || sep || v END;
CREATE AGGREGATE group_concat(text, text) (SFUNC = group_concat_step, STYPE = text);
CREATE FUNCTION json_insert(list text, path text, v text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN CASE WHEN path = '$[#]' THEN (list::jsonb || jsonb_build_array(v))::text
		ELSE NULL END;

-- max and min of comparisons, which SQLite takes as 1 and 0, and SQLite's
-- max and min of two values.
CREATE AGGREGATE max(boolean) (SFUNC = boolor_statefunc, STYPE = boolean);
CREATE AGGREGATE min(boolean) (SFUNC = booland_statefunc, STYPE = boolean);
CREATE FUNCTION max(a anycompatible, b anycompatible) RETURNS anycompatible LANGUAGE sql IMMUTABLE PARALLEL SAFE
	AS $$ SELECT CASE WHEN a IS NULL OR b IS NULL THEN NULL ELSE greatest(a, b) END $$;
CREATE FUNCTION min(a anycompatible, b anycompatible) RETURNS anycompatible LANGUAGE sql IMMUTABLE PARALLEL SAFE
	AS $$ SELECT CASE WHEN a IS NULL OR b IS NULL THEN NULL ELSE least(a, b) END $$;

CREATE TABLE briefings (
	id                  BIGINT PRIMARY KEY,
	rowid               BIGINT GENERATED ALWAYS AS (id) STORED,
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
	retracted_at        TEXT NOT NULL DEFAULT '',
	search              tsvector GENERATED ALWAYS AS (
		setweight(to_tsvector('english', title), 'A') ||
		setweight(to_tsvector('english', summary), 'B') ||
		setweight(to_tsvector('english', body), 'C')) STORED,
	UNIQUE (guild_id, slug)
);
ALTER TABLE briefings ALTER COLUMN id SET DEFAULT next_id('briefings');
CREATE INDEX briefings_listing ON briefings(status, published DESC, id DESC);
CREATE INDEX briefings_updated ON briefings(updated_at);
CREATE INDEX briefing_refs ON briefings(id, status, guild_id, published, published_precision, slug, title, source_name, source_url);
CREATE INDEX briefings_search ON briefings USING gin (search);
CREATE INDEX briefings_slug_trgm ON briefings USING gin (slug gin_trgm_ops);

CREATE TABLE corrections (
	briefing_id    BIGINT NOT NULL REFERENCES briefings(id) ON DELETE CASCADE DEFERRABLE,
	position       INTEGER NOT NULL,
	date           TEXT NOT NULL,
	date_precision INTEGER NOT NULL,
	text           TEXT NOT NULL,
	PRIMARY KEY (briefing_id, position)
);

CREATE TABLE actors (
	id          BIGINT PRIMARY KEY,
	guild_id    TEXT NOT NULL DEFAULT '',
	name        TEXT NOT NULL,
	name_folded TEXT NOT NULL,
	kind        TEXT NOT NULL DEFAULT '',
	description TEXT NOT NULL DEFAULT '',
	UNIQUE (guild_id, name_folded)
);
ALTER TABLE actors ALTER COLUMN id SET DEFAULT next_id('actors');

CREATE SEQUENCE actor_names_rowid;
CREATE TABLE actor_names (
	rowid    BIGINT NOT NULL DEFAULT next_rowid('actor_names_rowid'),
	actor_id BIGINT NOT NULL REFERENCES actors(id) ON DELETE CASCADE DEFERRABLE,
	guild_id TEXT NOT NULL,
	name     TEXT NOT NULL,
	folded   TEXT NOT NULL,
	position INTEGER NOT NULL,
	UNIQUE (guild_id, folded)
);
CREATE INDEX actor_names_actor ON actor_names(actor_id, position);
CREATE INDEX actor_names_folded ON actor_names(folded);
CREATE INDEX actor_names_trgm ON actor_names USING gin (folded gin_trgm_ops);

CREATE TABLE events (
	id             BIGINT PRIMARY KEY,
	guild_id       TEXT NOT NULL DEFAULT '',
	name           TEXT NOT NULL,
	name_folded    TEXT NOT NULL,
	date           TEXT NOT NULL,
	date_precision INTEGER NOT NULL,
	end_date       TEXT NOT NULL DEFAULT '',
	end_precision  INTEGER NOT NULL DEFAULT 0,
	location       TEXT NOT NULL DEFAULT '',
	description    TEXT NOT NULL DEFAULT '',
	search         tsvector GENERATED ALWAYS AS (
		setweight(to_tsvector('english', name), 'A') ||
		setweight(to_tsvector('english', location), 'B') ||
		setweight(to_tsvector('english', description), 'C')) STORED,
	UNIQUE (guild_id, name_folded)
);
ALTER TABLE events ALTER COLUMN id SET DEFAULT next_id('events');
CREATE INDEX events_date ON events(date);
CREATE INDEX events_folded ON events(name_folded);
CREATE INDEX events_search ON events USING gin (search);
CREATE INDEX events_trgm ON events USING gin (name_folded gin_trgm_ops);

CREATE SEQUENCE event_participants_rowid;
CREATE TABLE event_participants (
	rowid    BIGINT NOT NULL DEFAULT next_rowid('event_participants_rowid'),
	event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE DEFERRABLE,
	actor_id BIGINT NOT NULL REFERENCES actors(id) ON DELETE CASCADE DEFERRABLE,
	position INTEGER NOT NULL,
	PRIMARY KEY (event_id, actor_id)
);
CREATE INDEX event_participants_actor ON event_participants(actor_id);

CREATE TABLE briefing_actors (
	rowid       BIGSERIAL,
	briefing_id BIGINT NOT NULL REFERENCES briefings(id) ON DELETE CASCADE DEFERRABLE,
	actor_id    BIGINT NOT NULL REFERENCES actors(id) DEFERRABLE,
	position    INTEGER NOT NULL,
	declared    INTEGER NOT NULL DEFAULT 1,
	guild_id    TEXT NOT NULL DEFAULT '',
	status      TEXT NOT NULL DEFAULT '',
	published   TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (briefing_id, actor_id)
);
CREATE INDEX briefing_actors_actor ON briefing_actors(actor_id);
CREATE INDEX briefing_actors_recent ON briefing_actors(actor_id, status, published DESC, briefing_id DESC, guild_id);
CREATE INDEX briefing_actors_rowid ON briefing_actors(rowid);

CREATE TABLE briefing_events (
	rowid       BIGSERIAL,
	briefing_id BIGINT NOT NULL REFERENCES briefings(id) ON DELETE CASCADE DEFERRABLE,
	event_id    BIGINT NOT NULL REFERENCES events(id) DEFERRABLE,
	position    INTEGER NOT NULL,
	declared    INTEGER NOT NULL DEFAULT 1,
	guild_id    TEXT NOT NULL DEFAULT '',
	status      TEXT NOT NULL DEFAULT '',
	published   TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (briefing_id, event_id)
);
CREATE INDEX briefing_events_event ON briefing_events(event_id);
CREATE INDEX briefing_events_recent ON briefing_events(event_id, status, published DESC, briefing_id DESC, guild_id);
CREATE INDEX briefing_events_rowid ON briefing_events(rowid);

CREATE TABLE facts (
	id              BIGINT PRIMARY KEY,
	briefing_id     BIGINT NOT NULL REFERENCES briefings(id) ON DELETE CASCADE DEFERRABLE,
	position        INTEGER NOT NULL,
	text            TEXT NOT NULL,
	attribution     TEXT NOT NULL,
	as_of           TEXT NOT NULL DEFAULT '',
	as_of_precision INTEGER NOT NULL DEFAULT 0,
	event_id        BIGINT REFERENCES events(id) DEFERRABLE,
	search          tsvector GENERATED ALWAYS AS (
		setweight(to_tsvector('english', text), 'A') ||
		setweight(to_tsvector('english', attribution), 'B')) STORED,
	UNIQUE (briefing_id, position) DEFERRABLE
);
ALTER TABLE facts ALTER COLUMN id SET DEFAULT next_id('facts');
CREATE INDEX facts_event ON facts(event_id);
CREATE INDEX facts_search ON facts USING gin (search);

CREATE TABLE fact_actors (
	fact_id  BIGINT NOT NULL REFERENCES facts(id) ON DELETE CASCADE DEFERRABLE,
	actor_id BIGINT NOT NULL REFERENCES actors(id) DEFERRABLE,
	position INTEGER NOT NULL,
	PRIMARY KEY (fact_id, actor_id)
);
CREATE INDEX fact_actors_actor ON fact_actors(actor_id);

-- actors_fts stands in for SQLite's standalone FTS5 table of the same name:
-- the store writes an actor's names and description there (rowid is the
-- actor's id), and search reads the generated tsvector.
CREATE TABLE actors_fts (
	rowid       BIGINT PRIMARY KEY,
	name        TEXT NOT NULL DEFAULT '',
	aliases     TEXT NOT NULL DEFAULT '',
	description TEXT NOT NULL DEFAULT '',
	search      tsvector GENERATED ALWAYS AS (
		setweight(to_tsvector('english', name), 'A') ||
		setweight(to_tsvector('english', aliases), 'A') ||
		setweight(to_tsvector('english', description), 'C')) STORED
);
CREATE INDEX actors_fts_search ON actors_fts USING gin (search);

CREATE TABLE topics (
	guild_id    TEXT NOT NULL DEFAULT '',
	slug        TEXT NOT NULL,
	name        TEXT NOT NULL,
	name_folded TEXT NOT NULL,
	PRIMARY KEY (guild_id, slug)
);
CREATE INDEX topics_slug ON topics(slug);
CREATE INDEX topics_folded ON topics(name_folded);
CREATE INDEX topics_trgm ON topics USING gin (name_folded gin_trgm_ops);

CREATE TABLE briefing_topics (
	briefing_id BIGINT NOT NULL REFERENCES briefings(id) ON DELETE CASCADE DEFERRABLE,
	topic_slug  TEXT NOT NULL,
	position    INTEGER NOT NULL,
	PRIMARY KEY (briefing_id, topic_slug)
);
CREATE INDEX briefing_topics_topic ON briefing_topics(topic_slug, briefing_id);

CREATE TABLE topic_aliases (
	guild_id     TEXT NOT NULL,
	topic_slug   TEXT NOT NULL,
	alias        TEXT NOT NULL,
	alias_folded TEXT NOT NULL,
	position     INTEGER NOT NULL,
	PRIMARY KEY (guild_id, topic_slug, alias_folded),
	FOREIGN KEY (guild_id, topic_slug) REFERENCES topics(guild_id, slug) ON DELETE CASCADE DEFERRABLE
);
CREATE INDEX topic_aliases_folded ON topic_aliases(alias_folded);
CREATE INDEX topic_aliases_trgm ON topic_aliases USING gin (alias_folded gin_trgm_ops);

CREATE TABLE briefing_versions (
	briefing_id BIGINT NOT NULL REFERENCES briefings(id) ON DELETE CASCADE DEFERRABLE,
	version     INTEGER NOT NULL,
	by          TEXT NOT NULL DEFAULT '',
	at          TEXT NOT NULL,
	snapshot    TEXT NOT NULL,
	changes     TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (briefing_id, version)
);

CREATE TABLE audit_log (
	id          BIGINT PRIMARY KEY,
	at          TEXT NOT NULL,
	guild_id    TEXT NOT NULL DEFAULT '',
	user_id     TEXT NOT NULL DEFAULT '',
	action      TEXT NOT NULL,
	target      TEXT NOT NULL DEFAULT '',
	briefing_id BIGINT,
	before      TEXT NOT NULL DEFAULT '',
	after       TEXT NOT NULL DEFAULT '',
	note        TEXT NOT NULL DEFAULT ''
);
ALTER TABLE audit_log ALTER COLUMN id SET DEFAULT next_id('audit_log');
CREATE INDEX audit_log_guild ON audit_log(guild_id, id);
CREATE INDEX audit_log_action ON audit_log(action, at);

CREATE TABLE guild_settings (
	guild_id          TEXT PRIMARY KEY,
	moderator_role_id TEXT NOT NULL DEFAULT '',
	time_zone         TEXT NOT NULL DEFAULT '',
	updated_by        TEXT NOT NULL DEFAULT '',
	updated_at        TEXT NOT NULL
);

CREATE TABLE form_drafts (
	id           BIGINT PRIMARY KEY,
	guild_id     TEXT NOT NULL DEFAULT '',
	user_id      TEXT NOT NULL,
	kind         TEXT NOT NULL,
	target_id    BIGINT NOT NULL DEFAULT 0,
	base_version INTEGER NOT NULL DEFAULT 0,
	fields       TEXT NOT NULL,
	created_at   TEXT NOT NULL
);
ALTER TABLE form_drafts ALTER COLUMN id SET DEFAULT next_id('form_drafts');
CREATE INDEX form_drafts_created ON form_drafts(created_at);

CREATE TABLE subscriptions (
	id              BIGINT PRIMARY KEY,
	guild_id        TEXT NOT NULL DEFAULT '',
	target          TEXT NOT NULL,
	channel_id      TEXT NOT NULL DEFAULT '',
	dm              INTEGER NOT NULL DEFAULT 0,
	user_id         TEXT NOT NULL DEFAULT '',
	topic           TEXT NOT NULL,
	hour            INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),
	minute          INTEGER NOT NULL CHECK (minute BETWEEN 0 AND 59),
	zone            TEXT NOT NULL,
	days            TEXT NOT NULL,
	nothing_new     INTEGER NOT NULL DEFAULT 0,
	created_at      TEXT NOT NULL,
	updated_at      TEXT NOT NULL,
	next_run        TEXT NOT NULL,
	since           TEXT NOT NULL,
	paused_reason   TEXT NOT NULL DEFAULT '',
	last_slot       TEXT NOT NULL DEFAULT '',
	last_outcome    TEXT NOT NULL DEFAULT '',
	last_reason     TEXT NOT NULL DEFAULT '',
	last_message_id TEXT NOT NULL DEFAULT '',
	times           TEXT NOT NULL DEFAULT '',
	picture         INTEGER NOT NULL DEFAULT 0,
	UNIQUE (guild_id, target, topic)
);
ALTER TABLE subscriptions ALTER COLUMN id SET DEFAULT next_id('subscriptions');
CREATE INDEX subscriptions_due ON subscriptions(next_run) WHERE paused_reason = '';
CREATE INDEX subscriptions_user ON subscriptions(user_id);

CREATE TABLE digests (
	id         BIGINT PRIMARY KEY,
	guild_id   TEXT NOT NULL,
	topic      TEXT NOT NULL,
	since      TEXT NOT NULL,
	until      TEXT NOT NULL,
	parts      TEXT NOT NULL,
	created_at TEXT NOT NULL,
	UNIQUE (guild_id, topic, since, until)
);
ALTER TABLE digests ALTER COLUMN id SET DEFAULT next_id('digests');

CREATE TABLE outbox (
	id              BIGINT PRIMARY KEY,
	subscription_id BIGINT NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE DEFERRABLE,
	slot            TEXT NOT NULL,
	since           TEXT NOT NULL,
	status          TEXT NOT NULL DEFAULT 'pending'
		CHECK (status IN ('pending', 'delivered', 'nothing_new', 'failed')),
	parts_sent      INTEGER NOT NULL DEFAULT 0,
	message_ids     TEXT NOT NULL DEFAULT '[]',
	attempts        INTEGER NOT NULL DEFAULT 0,
	last_error      TEXT NOT NULL DEFAULT '',
	created_at      TEXT NOT NULL,
	updated_at      TEXT NOT NULL,
	UNIQUE (subscription_id, slot)
);
ALTER TABLE outbox ALTER COLUMN id SET DEFAULT next_id('outbox');
CREATE INDEX outbox_pending ON outbox(slot) WHERE status = 'pending';
CREATE INDEX outbox_age ON outbox(created_at);

CREATE TABLE answer_feedback (
	id          BIGINT PRIMARY KEY,
	guild_id    TEXT NOT NULL,
	channel_id  TEXT NOT NULL,
	message_id  TEXT NOT NULL,
	user_id     TEXT NOT NULL,
	question    TEXT NOT NULL,
	answer      TEXT NOT NULL,
	model       TEXT NOT NULL,
	helpful     INTEGER NOT NULL CHECK (helpful IN (0, 1)),
	created_at  TEXT NOT NULL,
	reviewed_at TEXT NOT NULL DEFAULT '',
	reviewed_by TEXT NOT NULL DEFAULT '',
	UNIQUE (message_id, user_id)
);
ALTER TABLE answer_feedback ALTER COLUMN id SET DEFAULT next_id('answer_feedback');
CREATE INDEX answer_feedback_review ON answer_feedback (guild_id, helpful, reviewed_at, id);

CREATE TABLE import_stagings (
	id           BIGINT PRIMARY KEY,
	guild_id     TEXT NOT NULL,
	by           TEXT NOT NULL,
	started_at   TEXT NOT NULL,
	heartbeat_at TEXT NOT NULL,
	host         TEXT NOT NULL DEFAULT '',
	pid          INTEGER NOT NULL DEFAULT 0,
	briefings    INTEGER NOT NULL DEFAULT 0
);
ALTER TABLE import_stagings ALTER COLUMN id SET DEFAULT next_id('import_stagings');

CREATE TABLE import_staged (
	rowid      BIGSERIAL,
	staging_id BIGINT NOT NULL REFERENCES import_stagings(id) ON DELETE CASCADE DEFERRABLE,
	kind       TEXT NOT NULL,
	row_id     BIGINT NOT NULL DEFAULT 0,
	slug       TEXT NOT NULL DEFAULT '',
	before     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX import_staged_staging ON import_staged(staging_id);

CREATE TABLE feeds (
	id                BIGINT PRIMARY KEY,
	guild_id          TEXT NOT NULL,
	url               TEXT NOT NULL,
	topic             TEXT NOT NULL,
	review_channel_id TEXT NOT NULL DEFAULT '',
	auto_publish      INTEGER NOT NULL DEFAULT 0,
	interval_seconds  INTEGER NOT NULL,
	title             TEXT NOT NULL DEFAULT '',
	added_by          TEXT NOT NULL DEFAULT '',
	added_at          TEXT NOT NULL,
	etag              TEXT NOT NULL DEFAULT '',
	last_modified     TEXT NOT NULL DEFAULT '',
	next_poll_at      TEXT NOT NULL,
	last_polled_at    TEXT NOT NULL DEFAULT '',
	last_ok_at        TEXT NOT NULL DEFAULT '',
	failures          INTEGER NOT NULL DEFAULT 0,
	last_error        TEXT NOT NULL DEFAULT '',
	paused_at         TEXT NOT NULL DEFAULT '',
	pause_reason      TEXT NOT NULL DEFAULT '',
	UNIQUE (guild_id, url)
);
ALTER TABLE feeds ALTER COLUMN id SET DEFAULT next_id('feeds');
CREATE INDEX feeds_due ON feeds(next_poll_at) WHERE paused_at = '';

CREATE TABLE feed_items (
	rowid         BIGSERIAL,
	feed_id       BIGINT NOT NULL REFERENCES feeds(id) ON DELETE CASCADE DEFERRABLE,
	item_key      TEXT NOT NULL,
	hash          TEXT NOT NULL,
	link          TEXT NOT NULL DEFAULT '',
	title         TEXT NOT NULL DEFAULT '',
	briefing_id   BIGINT NOT NULL DEFAULT 0,
	state         TEXT NOT NULL,
	seen_at       TEXT NOT NULL,
	updated_at    TEXT NOT NULL,
	card          TEXT NOT NULL DEFAULT '',
	card_note     TEXT NOT NULL DEFAULT '',
	card_tries    INTEGER NOT NULL DEFAULT 0,
	card_error    TEXT NOT NULL DEFAULT '',
	card_tried_at TEXT NOT NULL DEFAULT '',
	card_next_at  TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (feed_id, item_key)
);
CREATE INDEX feed_items_hash ON feed_items(feed_id, hash);
CREATE INDEX feed_items_cards ON feed_items(card_next_at) WHERE card = 'waiting';

CREATE TABLE record_vectors (
	kind   TEXT NOT NULL CHECK (kind IN ('fact', 'event', 'actor')),
	id     BIGINT NOT NULL,
	model  TEXT NOT NULL,
	text   TEXT NOT NULL,
	vector BYTEA NOT NULL,
	PRIMARY KEY (model, kind, id)
);

-- The mention triggers of SQLite migrations 0007 and 0008: a briefing's
-- mention rows carry its guild, status and publication date, and an event's
-- participants are mentioned by every briefing that mentions the event.
CREATE FUNCTION briefings_mentions_au() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE briefing_actors SET guild_id = new.guild_id, status = new.status, published = new.published
		WHERE briefing_id = new.id;
	UPDATE briefing_events SET guild_id = new.guild_id, status = new.status, published = new.published
		WHERE briefing_id = new.id;
	RETURN NULL;
END $$;
CREATE TRIGGER briefings_mentions_au AFTER UPDATE OF guild_id, status, published ON briefings
	FOR EACH ROW WHEN (old.guild_id IS DISTINCT FROM new.guild_id OR old.status IS DISTINCT FROM new.status
		OR old.published IS DISTINCT FROM new.published)
	EXECUTE FUNCTION briefings_mentions_au();

CREATE FUNCTION briefing_events_participants_ai() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO briefing_actors (briefing_id, actor_id, position, declared, guild_id, status, published)
	SELECT new.briefing_id, ep.actor_id,
		(SELECT coalesce(max(ba.position) + 1, 0) FROM briefing_actors ba WHERE ba.briefing_id = new.briefing_id) + ep.position,
		0, new.guild_id, new.status, new.published
	FROM event_participants ep WHERE ep.event_id = new.event_id
	ON CONFLICT (briefing_id, actor_id) DO NOTHING;
	RETURN NULL;
END $$;
CREATE TRIGGER briefing_events_participants_ai AFTER INSERT ON briefing_events
	FOR EACH ROW EXECUTE FUNCTION briefing_events_participants_ai();

CREATE FUNCTION event_participants_mentions_ai() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO briefing_actors (briefing_id, actor_id, position, declared, guild_id, status, published)
	SELECT be.briefing_id, new.actor_id,
		(SELECT coalesce(max(ba.position) + 1, 0) FROM briefing_actors ba WHERE ba.briefing_id = be.briefing_id),
		0, be.guild_id, be.status, be.published
	FROM briefing_events be WHERE be.event_id = new.event_id
	ON CONFLICT (briefing_id, actor_id) DO NOTHING;
	RETURN NULL;
END $$;
CREATE TRIGGER event_participants_mentions_ai AFTER INSERT ON event_participants
	FOR EACH ROW EXECUTE FUNCTION event_participants_mentions_ai();

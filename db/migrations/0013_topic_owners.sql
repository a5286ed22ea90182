-- A topic belongs to the library that made it: the global library's topics
-- are everyone's, a guild's are that guild's alone. Until now topics were
-- keyed by slug alone, so one guild's display name showed in every other
-- guild that typed the slug. topics and topic_aliases are now keyed by
-- (guild_id, slug); a guild sees its own topics and the global ones, its
-- own hiding a global one of the same slug.
--
-- briefing_topics keeps (briefing, slug): the briefing's library decides
-- which topic the slug names. Its foreign key to topics(slug) goes, since
-- a slug alone no longer names one row.
--
-- Existing topics are given to the libraries whose briefings or
-- subscriptions use them: to the global library when a global briefing
-- does (guilds' briefings on the slug then share it), otherwise to each
-- guild that does. A library keeps the display name only if its own
-- briefings spelled it so (in any saved version); any other library gets a
-- name made from the slug, since the stored name may have been given by
-- another guild. Subscriptions in direct messages give no guild a topic:
-- they see the global library only. Topics nothing uses are dropped;
-- saving a briefing that names one makes it again.

CREATE TABLE topic_owners (
	guild_id TEXT NOT NULL,
	slug     TEXT NOT NULL,
	PRIMARY KEY (guild_id, slug)
);

-- A staged import's hidden briefings belong to the guild importing them.
INSERT OR IGNORE INTO topic_owners (guild_id, slug)
SELECT coalesce((SELECT s.guild_id FROM import_stagings s WHERE 'staging:' || s.id = b.guild_id), b.guild_id), bt.topic_slug
FROM briefing_topics bt JOIN briefings b ON b.id = bt.briefing_id;
INSERT OR IGNORE INTO topic_owners (guild_id, slug)
SELECT guild_id, topic FROM subscriptions WHERE guild_id != '';
DELETE FROM topic_owners WHERE guild_id LIKE 'staging:%'
	OR guild_id != '' AND slug IN (SELECT slug FROM topic_owners WHERE guild_id = '');

-- How each library spelled the topics of its briefings.
CREATE TABLE topic_spellings (
	guild_id TEXT NOT NULL,
	spelling TEXT NOT NULL,
	PRIMARY KEY (guild_id, spelling)
);
INSERT OR IGNORE INTO topic_spellings (guild_id, spelling)
SELECT coalesce((SELECT s.guild_id FROM import_stagings s WHERE 'staging:' || s.id = b.guild_id), b.guild_id), j.value
FROM briefing_versions v JOIN briefings b ON b.id = v.briefing_id, json_each(v.snapshot, '$.Topics') j
WHERE json_valid(v.snapshot) AND j.type = 'text';

CREATE TABLE topics_owned (
	guild_id    TEXT NOT NULL DEFAULT '',
	slug        TEXT NOT NULL,
	name        TEXT NOT NULL,
	name_folded TEXT NOT NULL,
	PRIMARY KEY (guild_id, slug)
);
INSERT INTO topics_owned (guild_id, slug, name, name_folded)
SELECT o.guild_id, o.slug,
	CASE WHEN EXISTS (SELECT 1 FROM topic_spellings sp WHERE sp.guild_id = o.guild_id AND sp.spelling = t.name)
		THEN t.name ELSE upper(substr(o.slug, 1, 1)) || replace(substr(o.slug, 2), '-', ' ') END,
	CASE WHEN EXISTS (SELECT 1 FROM topic_spellings sp WHERE sp.guild_id = o.guild_id AND sp.spelling = t.name)
		THEN t.name_folded ELSE replace(o.slug, '-', ' ') END
FROM topic_owners o JOIN topics t ON t.slug = o.slug;

-- Aliases wait in a table without a foreign key until topics is renamed.
CREATE TABLE topic_aliases_kept AS
SELECT o.guild_id, a.topic_slug, a.alias, a.alias_folded, a.position
FROM topic_aliases a JOIN topics_owned o ON o.slug = a.topic_slug;

CREATE TABLE briefing_topics_owned (
	briefing_id INTEGER NOT NULL REFERENCES briefings(id) ON DELETE CASCADE,
	topic_slug  TEXT NOT NULL,
	position    INTEGER NOT NULL,
	PRIMARY KEY (briefing_id, topic_slug)
);
INSERT INTO briefing_topics_owned (briefing_id, topic_slug, position)
SELECT briefing_id, topic_slug, position FROM briefing_topics;

DROP TABLE briefing_topics;
DROP TABLE topic_aliases;
DROP TABLE topics;
DROP TABLE topic_owners;
DROP TABLE topic_spellings;
ALTER TABLE topics_owned RENAME TO topics;
ALTER TABLE briefing_topics_owned RENAME TO briefing_topics;

CREATE TABLE topic_aliases (
	guild_id     TEXT NOT NULL,
	topic_slug   TEXT NOT NULL,
	alias        TEXT NOT NULL,
	alias_folded TEXT NOT NULL,
	position     INTEGER NOT NULL,
	PRIMARY KEY (guild_id, topic_slug, alias_folded),
	FOREIGN KEY (guild_id, topic_slug) REFERENCES topics(guild_id, slug) ON DELETE CASCADE
);
INSERT INTO topic_aliases (guild_id, topic_slug, alias, alias_folded, position)
SELECT guild_id, topic_slug, alias, alias_folded, position FROM topic_aliases_kept;
DROP TABLE topic_aliases_kept;

CREATE INDEX topics_slug ON topics(slug);
CREATE INDEX topics_folded ON topics(name_folded);
CREATE INDEX topic_aliases_folded ON topic_aliases(alias_folded);
CREATE INDEX briefing_topics_topic ON briefing_topics(topic_slug, briefing_id);

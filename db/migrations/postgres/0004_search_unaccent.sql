-- Search folds diacritics, as SQLite's FTS5 tokenizer does
-- (remove_diacritics 2): the text search configuration briefbot is
-- english with unaccent before the stemmer, and every search column is
-- built with it. (A generated column's expression cannot be changed in
-- place before PostgreSQL 17, so each is made again, with its index.)
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TEXT SEARCH CONFIGURATION briefbot (COPY = pg_catalog.english);
ALTER TEXT SEARCH CONFIGURATION briefbot
	ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;

ALTER TABLE briefings DROP COLUMN search;
ALTER TABLE briefings ADD COLUMN search tsvector GENERATED ALWAYS AS (
	setweight(to_tsvector('briefbot', title), 'A') ||
	setweight(to_tsvector('briefbot', summary), 'B') ||
	setweight(to_tsvector('briefbot', body), 'C')) STORED;
CREATE INDEX briefings_search ON briefings USING gin (search);

ALTER TABLE events DROP COLUMN search;
ALTER TABLE events ADD COLUMN search tsvector GENERATED ALWAYS AS (
	setweight(to_tsvector('briefbot', name), 'A') ||
	setweight(to_tsvector('briefbot', location), 'B') ||
	setweight(to_tsvector('briefbot', description), 'C')) STORED;
CREATE INDEX events_search ON events USING gin (search);

ALTER TABLE facts DROP COLUMN search;
ALTER TABLE facts ADD COLUMN search tsvector GENERATED ALWAYS AS (
	setweight(to_tsvector('briefbot', text), 'A') ||
	setweight(to_tsvector('briefbot', attribution), 'B')) STORED;
CREATE INDEX facts_search ON facts USING gin (search);

ALTER TABLE actors_fts DROP COLUMN search;
ALTER TABLE actors_fts ADD COLUMN search tsvector GENERATED ALWAYS AS (
	setweight(to_tsvector('briefbot', name), 'A') ||
	setweight(to_tsvector('briefbot', aliases), 'A') ||
	setweight(to_tsvector('briefbot', description), 'C')) STORED;
CREATE INDEX actors_fts_search ON actors_fts USING gin (search);

-- Search by word stems: the porter tokenizer wraps unicode61 (diacritics
-- still removed, case still ignored) and indexes English words by their
-- stem, so "sanctioned" finds "sanctions" and "resignation" finds
-- "resigned". The indexes are rebuilt in place from the rows they index;
-- the triggers that keep them current name the tables, not their
-- tokenizer, and stay as they are.

DROP TABLE briefings_fts;
CREATE VIRTUAL TABLE briefings_fts USING fts5(
	title, summary, body,
	content = 'briefings', content_rowid = 'id',
	tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO briefings_fts(briefings_fts) VALUES ('rebuild');

DROP TABLE facts_fts;
CREATE VIRTUAL TABLE facts_fts USING fts5(
	text, attribution,
	content = 'facts', content_rowid = 'id',
	tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO facts_fts(facts_fts) VALUES ('rebuild');

DROP TABLE events_fts;
CREATE VIRTUAL TABLE events_fts USING fts5(
	name, location, description,
	content = 'events', content_rowid = 'id',
	tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO events_fts(events_fts) VALUES ('rebuild');

-- actors_fts keeps its own copy of the text (see 0002): the copy is set
-- aside while the index is made again.
CREATE TEMP TABLE actors_fts_copy AS SELECT rowid AS id, name, aliases, description FROM actors_fts;
DROP TABLE actors_fts;
CREATE VIRTUAL TABLE actors_fts USING fts5(
	name, aliases, description,
	tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO actors_fts(rowid, name, aliases, description)
SELECT id, name, aliases, description FROM actors_fts_copy;
DROP TABLE temp.actors_fts_copy;

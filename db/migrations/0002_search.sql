-- Full-text search over briefings, facts, actors and events, and the version
-- history of every briefing. unicode61 with remove_diacritics 2 makes
-- "Zelensky" match "Zelenskỳ" and is case-insensitive.

CREATE VIRTUAL TABLE briefings_fts USING fts5(
	title, summary, body,
	content = 'briefings', content_rowid = 'id',
	tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO briefings_fts(briefings_fts) VALUES ('rebuild');

CREATE TRIGGER briefings_fts_ai AFTER INSERT ON briefings BEGIN
	INSERT INTO briefings_fts(rowid, title, summary, body)
	VALUES (new.id, new.title, new.summary, new.body);
END;
CREATE TRIGGER briefings_fts_ad AFTER DELETE ON briefings BEGIN
	INSERT INTO briefings_fts(briefings_fts, rowid, title, summary, body)
	VALUES ('delete', old.id, old.title, old.summary, old.body);
END;
CREATE TRIGGER briefings_fts_au AFTER UPDATE OF title, summary, body ON briefings BEGIN
	INSERT INTO briefings_fts(briefings_fts, rowid, title, summary, body)
	VALUES ('delete', old.id, old.title, old.summary, old.body);
	INSERT INTO briefings_fts(rowid, title, summary, body)
	VALUES (new.id, new.title, new.summary, new.body);
END;

CREATE VIRTUAL TABLE facts_fts USING fts5(
	text, attribution,
	content = 'facts', content_rowid = 'id',
	tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO facts_fts(facts_fts) VALUES ('rebuild');

CREATE TRIGGER facts_fts_ai AFTER INSERT ON facts BEGIN
	INSERT INTO facts_fts(rowid, text, attribution) VALUES (new.id, new.text, new.attribution);
END;
CREATE TRIGGER facts_fts_ad AFTER DELETE ON facts BEGIN
	INSERT INTO facts_fts(facts_fts, rowid, text, attribution)
	VALUES ('delete', old.id, old.text, old.attribution);
END;
CREATE TRIGGER facts_fts_au AFTER UPDATE OF text, attribution ON facts BEGIN
	INSERT INTO facts_fts(facts_fts, rowid, text, attribution)
	VALUES ('delete', old.id, old.text, old.attribution);
	INSERT INTO facts_fts(rowid, text, attribution) VALUES (new.id, new.text, new.attribution);
END;

CREATE VIRTUAL TABLE events_fts USING fts5(
	name, location, description,
	content = 'events', content_rowid = 'id',
	tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO events_fts(events_fts) VALUES ('rebuild');

CREATE TRIGGER events_fts_ai AFTER INSERT ON events BEGIN
	INSERT INTO events_fts(rowid, name, location, description)
	VALUES (new.id, new.name, new.location, new.description);
END;
CREATE TRIGGER events_fts_ad AFTER DELETE ON events BEGIN
	INSERT INTO events_fts(events_fts, rowid, name, location, description)
	VALUES ('delete', old.id, old.name, old.location, old.description);
END;
CREATE TRIGGER events_fts_au AFTER UPDATE OF name, location, description ON events BEGIN
	INSERT INTO events_fts(events_fts, rowid, name, location, description)
	VALUES ('delete', old.id, old.name, old.location, old.description);
	INSERT INTO events_fts(rowid, name, location, description)
	VALUES (new.id, new.name, new.location, new.description);
END;

-- An actor's aliases live in actor_names, so actors_fts keeps its own copy of
-- the text; the store rewrites an actor's row whenever it saves the actor.
CREATE VIRTUAL TABLE actors_fts USING fts5(
	name, aliases, description,
	tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO actors_fts(rowid, name, aliases, description)
SELECT a.id, a.name,
	coalesce((SELECT group_concat(n.name, ' ') FROM actor_names n
		WHERE n.actor_id = a.id AND n.position > 0), ''),
	a.description
FROM actors a;

CREATE TRIGGER actors_fts_ad AFTER DELETE ON actors BEGIN
	DELETE FROM actors_fts WHERE rowid = old.id;
END;

-- briefing_versions keeps every saved version: who saved it, when, a JSON
-- snapshot of the briefing as saved, and a short summary of what changed.
CREATE TABLE briefing_versions (
	briefing_id INTEGER NOT NULL REFERENCES briefings(id) ON DELETE CASCADE,
	version     INTEGER NOT NULL,
	by          TEXT NOT NULL DEFAULT '',
	at          TEXT NOT NULL,
	snapshot    TEXT NOT NULL,
	changes     TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (briefing_id, version)
);

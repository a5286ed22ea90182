-- A guild's reading room: its library on the web, off until its admins
-- turn it on, at an unguessable key (never the guild's ID). Rotating the
-- key replaces it, so old links stop working.
CREATE TABLE reading_rooms (
	guild_id   TEXT PRIMARY KEY,
	room_key   TEXT NOT NULL UNIQUE,
	enabled    INTEGER NOT NULL DEFAULT 0,
	updated_by TEXT NOT NULL DEFAULT '',
	updated_at TEXT NOT NULL
);

-- library_version counts the writes to what the reading room draws, so
-- that a drawn picture can be kept until the library changes. Every
-- content edit rewrites its briefings (a new version of each), so the
-- briefings and topics tables are the ones to watch.
CREATE TABLE library_version (
	id      INTEGER PRIMARY KEY CHECK (id = 1),
	version INTEGER NOT NULL
);
INSERT INTO library_version (id, version) VALUES (1, 0);

CREATE TRIGGER library_version_briefings_ai AFTER INSERT ON briefings BEGIN
	UPDATE library_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER library_version_briefings_au AFTER UPDATE ON briefings BEGIN
	UPDATE library_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER library_version_briefings_ad AFTER DELETE ON briefings BEGIN
	UPDATE library_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER library_version_topics_ai AFTER INSERT ON topics BEGIN
	UPDATE library_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER library_version_topics_au AFTER UPDATE ON topics BEGIN
	UPDATE library_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER library_version_topics_ad AFTER DELETE ON topics BEGIN
	UPDATE library_version SET version = version + 1 WHERE id = 1;
END;

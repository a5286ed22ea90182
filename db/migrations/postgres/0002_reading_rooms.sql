-- SQLite migration 0017: a guild's reading room, and library_version, which
-- counts the writes to briefings and topics (one per row, as SQLite's row
-- triggers count them).
CREATE TABLE reading_rooms (
	guild_id   TEXT PRIMARY KEY,
	room_key   TEXT NOT NULL UNIQUE,
	enabled    INTEGER NOT NULL DEFAULT 0,
	updated_by TEXT NOT NULL DEFAULT '',
	updated_at TEXT NOT NULL
);

CREATE TABLE library_version (
	id      BIGINT PRIMARY KEY CHECK (id = 1),
	version BIGINT NOT NULL
);
INSERT INTO library_version (id, version) VALUES (1, 0);

CREATE FUNCTION library_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE library_version SET version = version + 1 WHERE id = 1;
	RETURN NULL;
END $$;
CREATE TRIGGER library_version_briefings AFTER INSERT OR UPDATE OR DELETE ON briefings
	FOR EACH ROW EXECUTE FUNCTION library_version_bump();
CREATE TRIGGER library_version_topics AFTER INSERT OR UPDATE OR DELETE ON topics
	FOR EACH ROW EXECUTE FUNCTION library_version_bump();

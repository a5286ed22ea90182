-- A large import is saved in short transactions into a hidden staging area
-- and published in one short transaction at the end, so that it never holds
-- the write lock for long and stays all or nothing.
--
-- import_stagings has a row per import being saved; its new briefings carry
-- guild_id 'staging:<id>', a library no read ever asks for, until they are
-- published. heartbeat_at is renewed with every transaction of the import,
-- and host and pid name the process saving it, so an import whose process
-- died is recognised and swept away.
CREATE TABLE import_stagings (
	id           INTEGER PRIMARY KEY,
	guild_id     TEXT NOT NULL,
	by           TEXT NOT NULL,
	started_at   TEXT NOT NULL,
	heartbeat_at TEXT NOT NULL,
	host         TEXT NOT NULL DEFAULT '',
	pid          INTEGER NOT NULL DEFAULT 0,
	briefings    INTEGER NOT NULL DEFAULT 0
);

-- import_staged lists what a staged import changed in the library outside
-- its hidden briefings: the actors, events, topics, names and participants
-- it created (row_id or slug) and the earlier values of rows it changed
-- (before, JSON), so that a failed or abandoned import can be undone.
CREATE TABLE import_staged (
	staging_id INTEGER NOT NULL REFERENCES import_stagings(id) ON DELETE CASCADE,
	kind       TEXT NOT NULL,
	row_id     INTEGER NOT NULL DEFAULT 0,
	slug       TEXT NOT NULL DEFAULT '',
	before     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX import_staged_staging ON import_staged(staging_id);

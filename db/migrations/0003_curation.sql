-- Moderation: the audit log of every write, guild settings, forms kept so
-- that a failed submission can be reopened with what was typed, and when a
-- briefing was retracted (digests announce retractions).

ALTER TABLE briefings ADD COLUMN retracted_at TEXT NOT NULL DEFAULT '';

-- audit_log keeps one row per write: who, when, which library, what was
-- done, and JSON snapshots before and after. briefing_id has no foreign key
-- so that the log outlives a discarded draft. note holds a correction's
-- text or a retraction's reason, which digests announce.
CREATE TABLE audit_log (
	id          INTEGER PRIMARY KEY,
	at          TEXT NOT NULL,
	guild_id    TEXT NOT NULL DEFAULT '',
	user_id     TEXT NOT NULL DEFAULT '',
	action      TEXT NOT NULL,
	target      TEXT NOT NULL DEFAULT '',
	briefing_id INTEGER,
	before      TEXT NOT NULL DEFAULT '',
	after       TEXT NOT NULL DEFAULT '',
	note        TEXT NOT NULL DEFAULT ''
);
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
	id           INTEGER PRIMARY KEY,
	guild_id     TEXT NOT NULL DEFAULT '',
	user_id      TEXT NOT NULL,
	kind         TEXT NOT NULL,
	target_id    INTEGER NOT NULL DEFAULT 0,
	base_version INTEGER NOT NULL DEFAULT 0,
	fields       TEXT NOT NULL,
	created_at   TEXT NOT NULL
);
CREATE INDEX form_drafts_created ON form_drafts(created_at);

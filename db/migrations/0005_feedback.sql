-- Members' 👍 and 👎 on /ask answers. One vote per member per answer
-- message; a 👎 waits for review until reviewed_at is set.
CREATE TABLE answer_feedback (
	id          INTEGER PRIMARY KEY,
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
CREATE INDEX answer_feedback_review ON answer_feedback (guild_id, helpful, reviewed_at, id);

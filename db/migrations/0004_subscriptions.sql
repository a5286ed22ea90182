-- Digest subscriptions, the digests composed for them and the delivery
-- outbox. Times are UTC RFC 3339 text (sortable).

-- A subscription is a standing order for a digest of one topic. target is
-- "c:<channel>" for a channel or "u:<user>" for a person's DMs, so the same
-- target subscribes to a topic once per guild. paused_reason is non-empty
-- while deliveries are stopped.
CREATE TABLE subscriptions (
	id              INTEGER PRIMARY KEY,
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
	UNIQUE (guild_id, target, topic)
);
CREATE INDEX subscriptions_due ON subscriptions(next_run) WHERE paused_reason = '';
CREATE INDEX subscriptions_user ON subscriptions(user_id);

-- A digest is composed and rendered once per library, topic and period and
-- shared by every subscriber whose period it is. parts is a JSON array of
-- message bodies; an empty array means nothing was new.
CREATE TABLE digests (
	id         INTEGER PRIMARY KEY,
	guild_id   TEXT NOT NULL,
	topic      TEXT NOT NULL,
	since      TEXT NOT NULL,
	until      TEXT NOT NULL,
	parts      TEXT NOT NULL,
	created_at TEXT NOT NULL,
	UNIQUE (guild_id, topic, since, until)
);

-- The outbox holds one row per subscription and slot, written before
-- anything is sent. parts_sent and message_ids record each message posted,
-- so a delivery resumed after a crash posts only what is missing; message
-- nonces derive from the row's id.
CREATE TABLE outbox (
	id              INTEGER PRIMARY KEY,
	subscription_id INTEGER NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,
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
CREATE INDEX outbox_pending ON outbox(slot) WHERE status = 'pending';
CREATE INDEX outbox_age ON outbox(created_at);

-- Digests list briefings by when they were last saved.
CREATE INDEX briefings_updated ON briefings(updated_at);

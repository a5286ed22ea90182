-- feeds are the news feeds (RSS, Atom, JSON Feed) a guild follows: each new
-- item becomes a draft under the feed's topic. Times are fixed-width UTC
-- text, so that text order is time order; '' means never. paused_at is ''
-- while the feed is polled.
CREATE TABLE feeds (
	id                INTEGER PRIMARY KEY,
	guild_id          TEXT NOT NULL,
	url               TEXT NOT NULL,
	topic             TEXT NOT NULL,
	review_channel_id TEXT NOT NULL DEFAULT '',
	auto_publish      INTEGER NOT NULL DEFAULT 0,
	interval_seconds  INTEGER NOT NULL,
	title             TEXT NOT NULL DEFAULT '',
	added_by          TEXT NOT NULL DEFAULT '',
	added_at          TEXT NOT NULL,
	etag              TEXT NOT NULL DEFAULT '',
	last_modified     TEXT NOT NULL DEFAULT '',
	next_poll_at      TEXT NOT NULL,
	last_polled_at    TEXT NOT NULL DEFAULT '',
	last_ok_at        TEXT NOT NULL DEFAULT '',
	failures          INTEGER NOT NULL DEFAULT 0,
	last_error        TEXT NOT NULL DEFAULT '',
	paused_at         TEXT NOT NULL DEFAULT '',
	pause_reason      TEXT NOT NULL DEFAULT '',
	UNIQUE (guild_id, url)
);
CREATE INDEX feeds_due ON feeds(next_poll_at) WHERE paused_at = '';

-- feed_items remembers every item of a feed once seen, by its GUID (or
-- normalised link) and the hash of its content, so that an item is drafted
-- once and a re-published copy is recognised. briefing_id has no foreign
-- key: the memory outlives a discarded draft, which must not come back.
CREATE TABLE feed_items (
	feed_id     INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
	item_key    TEXT NOT NULL,
	hash        TEXT NOT NULL,
	link        TEXT NOT NULL DEFAULT '',
	title       TEXT NOT NULL DEFAULT '',
	briefing_id INTEGER NOT NULL DEFAULT 0,
	state       TEXT NOT NULL,
	seen_at     TEXT NOT NULL,
	updated_at  TEXT NOT NULL,
	PRIMARY KEY (feed_id, item_key)
);
CREATE INDEX feed_items_hash ON feed_items(feed_id, hash);

-- A feed item's review card is remembered until it is posted, so that a
-- card Discord refused (the bot may not post in the review channel) or a
-- card a crash left unposted is tried again, and /feed list can say how
-- many wait and why. card is '' (no card), 'waiting' or 'done';
-- card_next_at is when a waiting card is tried next, card_tried_at when it
-- was last tried, in the fixed-width UTC text of feeds.
ALTER TABLE feed_items ADD COLUMN card TEXT NOT NULL DEFAULT '';
ALTER TABLE feed_items ADD COLUMN card_note TEXT NOT NULL DEFAULT '';
ALTER TABLE feed_items ADD COLUMN card_tries INTEGER NOT NULL DEFAULT 0;
ALTER TABLE feed_items ADD COLUMN card_error TEXT NOT NULL DEFAULT '';
ALTER TABLE feed_items ADD COLUMN card_tried_at TEXT NOT NULL DEFAULT '';
ALTER TABLE feed_items ADD COLUMN card_next_at TEXT NOT NULL DEFAULT '';
CREATE INDEX feed_items_cards ON feed_items(card_next_at) WHERE card = 'waiting';

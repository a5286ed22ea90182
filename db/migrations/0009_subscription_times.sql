-- A subscription may deliver at several local times of day, as a sorted
-- list "08:00,18:30"; each of its slots is claimed once in the outbox,
-- keyed by (subscription, slot) as before. hour and minute stay the first
-- time of the list, which orders the subscriptions of a topic.
ALTER TABLE subscriptions ADD COLUMN times TEXT NOT NULL DEFAULT '';
UPDATE subscriptions SET times = printf('%02d:%02d', hour, minute);

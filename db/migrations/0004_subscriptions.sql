-- Digest subscriptions, their schedule and the delivery outbox. Filled in by the digest work.
SELECT 1;

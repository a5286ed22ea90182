-- A subscription may ask for a picture of its topic's timeline for the
-- week (the past seven days and the next seven) with each digest.
ALTER TABLE subscriptions ADD COLUMN picture INTEGER NOT NULL DEFAULT 0;

-- A poller claims the due feeds it is about to poll: it leases each until
-- leased_until ('' when no one has), and other pollers (processes sharing
-- the library) leave it alone until then or until the poll is recorded.
-- leased_by names the poller's store (host:pid:random), for people looking.
ALTER TABLE feeds ADD COLUMN leased_until TEXT NOT NULL DEFAULT '';
ALTER TABLE feeds ADD COLUMN leased_by TEXT NOT NULL DEFAULT '';

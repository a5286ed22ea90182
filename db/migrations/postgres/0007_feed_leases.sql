-- Several run processes may poll feeds from one PostgreSQL store: the one
-- whose DueFeeds returns a due feed leases it until leased_until ('' when
-- no one has), and the others leave it alone until then or until the poll
-- is recorded. leased_by names the poller's store (host:pid:random), for
-- people looking.
ALTER TABLE feeds ADD COLUMN leased_until TEXT NOT NULL DEFAULT '';
ALTER TABLE feeds ADD COLUMN leased_by TEXT NOT NULL DEFAULT '';

-- Several deliver or run processes may share a PostgreSQL store: the one
-- whose PendingDeliveries returns a pending delivery leases it until
-- leased_until ('' when no one has), and the others leave it alone until
-- then. leased_by names the process (host:pid), for people looking.
ALTER TABLE outbox ADD COLUMN leased_until TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN leased_by TEXT NOT NULL DEFAULT '';

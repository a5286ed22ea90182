-- SQLite migration 0019: merging or deleting an actor or an event moves the
-- library's version (and so notifies other processes, 0009).
CREATE TRIGGER library_version_actors AFTER DELETE ON actors
	FOR EACH ROW EXECUTE FUNCTION library_version_bump();
CREATE TRIGGER library_version_events AFTER DELETE ON events
	FOR EACH ROW EXECUTE FUNCTION library_version_bump();

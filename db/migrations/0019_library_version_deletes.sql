-- Merging or deleting an actor or an event changes what members see
-- without writing briefings or topics: the library's version moves with it
-- too, so answers and pictures kept by version are not served stale.
CREATE TRIGGER library_version_actors_ad AFTER DELETE ON actors BEGIN
	UPDATE library_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER library_version_events_ad AFTER DELETE ON events BEGIN
	UPDATE library_version SET version = version + 1 WHERE id = 1;
END;

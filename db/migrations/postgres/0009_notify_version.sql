-- Merging or deleting an actor or an event moves library_version without
-- writing briefings or topics (db.bumpLibraryVersion): other processes hear
-- of it as they hear of those writes (0008).
CREATE TRIGGER library_version_notify AFTER UPDATE ON library_version
	FOR EACH STATEMENT EXECUTE FUNCTION notify_library_changed();

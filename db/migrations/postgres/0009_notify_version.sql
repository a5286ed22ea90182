-- library_version can move without a write to briefings or topics (merging
-- or deleting an actor or an event, 0010): other processes hear of it as
-- they hear of those writes (0008).
CREATE TRIGGER library_version_notify AFTER UPDATE ON library_version
	FOR EACH STATEMENT EXECUTE FUNCTION notify_library_changed();

-- Every process sharing the library hears of the changes another makes to
-- what it keeps between queries (see db/notify.go): a guild's settings,
-- and the library's version, which moves with every write to briefings and
-- topics. NOTIFY is sent at commit; identical notices of one transaction
-- are sent once, and the library's is sent once a statement, not a row.
CREATE FUNCTION notify_settings_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP <> 'INSERT' THEN
		PERFORM pg_notify('briefbot_changes', 'settings:' || old.guild_id);
	END IF;
	IF TG_OP <> 'DELETE' THEN
		PERFORM pg_notify('briefbot_changes', 'settings:' || new.guild_id);
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER guild_settings_notify AFTER INSERT OR UPDATE OR DELETE ON guild_settings
	FOR EACH ROW EXECUTE FUNCTION notify_settings_changed();

CREATE FUNCTION notify_library_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('briefbot_changes', 'library');
	RETURN NULL;
END $$;
CREATE TRIGGER briefings_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON briefings
	FOR EACH STATEMENT EXECUTE FUNCTION notify_library_changed();
CREATE TRIGGER topics_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON topics
	FOR EACH STATEMENT EXECUTE FUNCTION notify_library_changed();

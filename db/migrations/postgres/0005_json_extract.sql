-- json_extract stands in for SQLite's in the form the store uses when it
-- undoes a staged import: one key of a JSON object ('$.key'), as text.
CREATE FUNCTION json_extract(doc text, path text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
	AS $$ SELECT doc::jsonb ->> substr(path, 3) $$;

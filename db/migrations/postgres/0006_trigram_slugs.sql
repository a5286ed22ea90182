-- Autocomplete and name lookups match a folded name, alias or slug
-- anywhere in it. On PostgreSQL they match with LIKE '%text%' (see
-- db/contains.go), which pg_trgm's GIN indexes answer: 0001 made them on
-- actors' names and aliases, events' names, topics' names and aliases and
-- briefings' slugs. Topics are matched by their slug too, which had none.
-- pg_trgm is in the postgresql-contrib files that Debian's postgresql
-- package includes since PostgreSQL 10; the extension exists since 0001.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS topics_slug_trgm ON topics USING gin (slug gin_trgm_ops);

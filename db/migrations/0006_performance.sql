-- briefing_refs holds everything a citation of a briefing shows, with the
-- status and library that decide whether a reader may see it. A briefing's
-- row keeps its body (about 3 KB) before the status and publication date,
-- so reading those from the row follows the body's overflow pages; lists of
-- citations, counts of visible briefings and search results read this index
-- instead (queries name it with INDEXED BY, because SQLite prefers the
-- rowid when looking a row up by id).
CREATE INDEX briefing_refs ON briefings(id, status, guild_id, published, published_precision,
	slug, title, source_name, source_url);
